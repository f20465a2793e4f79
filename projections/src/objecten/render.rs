//! The simple objects as the Klantinteracties API 0.9 and the Contactgegevens API 1.1
//! (Open Klant 2.x) return them.

use domain::klantinteracties::SimpleState;
use event_schemas::contactgegevens::{OrganisatieAttributes, PersoonAttributes};
use event_schemas::klantinteracties::overig::{
    ActorAttributes, CategorieAttributes, CategorieRelatieAttributes, InternetaakAttributes,
};
use serde_json::{json, Value};

use crate::partijen::render::{reference, PARTIJEN};
use crate::render::Urls;

pub const INTERNETAKEN: &str = "internetaken";
pub const ACTOREN: &str = "actoren";
pub const CATEGORIEEN: &str = "categorieen";
pub const CATEGORIE_RELATIES: &str = "categorie-relaties";
pub const PERSONEN: &str = "persoon";
pub const ORGANISATIES: &str = "organisatie";

/// An internetaak (schema `InterneTaak`): `toegewezenAanActor` is the first of its actoren.
pub fn internetaak(t: &SimpleState<InternetaakAttributes>, urls: &Urls) -> Value {
    let a = &t.attributes;
    let actoren: Vec<Value> = a
        .toegewezen_aan_actoren
        .iter()
        .map(|u| reference(urls, ACTOREN, *u))
        .collect();
    json!({
        "uuid": t.uuid,
        "url": urls.klantinteracties_object(INTERNETAKEN, t.uuid),
        "nummer": a.nummer,
        "referentienummer": a.referentienummer,
        "gevraagdeHandeling": a.gevraagde_handeling,
        "aanleidinggevendKlantcontact":
            reference(urls, crate::klantcontacten::render::KLANTCONTACTEN, a.aanleidinggevend_klantcontact),
        "toegewezenAanActor": actoren.first(),
        "toegewezenAanActoren": actoren,
        "toelichting": a.toelichting,
        "status": a.status.as_str(),
        "toegewezenOp": a.toegewezen_op.map(rfc3339),
        "afgehandeldOp": a.afgehandeld_op.map(rfc3339),
    })
}

fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// An actor (schema `Actor`): its `soortActor` beside the `actorIdentificatie` of that
/// soort.
pub fn actor(t: &SimpleState<ActorAttributes>, urls: &Urls) -> Value {
    let a = &t.attributes;
    let mut out = json!({
        "uuid": t.uuid,
        "url": urls.klantinteracties_object(ACTOREN, t.uuid),
        "naam": a.naam,
        "indicatieActief": a.indicatie_actief,
        "actoridentificator": a.actoridentificator,
    });
    if let (Some(map), Ok(Value::Object(soort))) = (
        out.as_object_mut(),
        serde_json::to_value(&a.actor_identificatie),
    ) {
        map.extend(soort);
    }
    out
}

/// A categorie (schema `Categorie`).
pub fn categorie(t: &SimpleState<CategorieAttributes>, urls: &Urls) -> Value {
    json!({
        "uuid": t.uuid,
        "url": urls.klantinteracties_object(CATEGORIEEN, t.uuid),
        "naam": t.attributes.naam,
    })
}

/// A categorie-relatie (schema `CategorieRelatie`); the categorie's `naam` is filled in
/// where it is read (it is the categorie's, not the relatie's).
pub fn categorie_relatie(t: &SimpleState<CategorieRelatieAttributes>, urls: &Urls) -> Value {
    let a = &t.attributes;
    json!({
        "uuid": t.uuid,
        "url": urls.klantinteracties_object(CATEGORIE_RELATIES, t.uuid),
        "partij": a.partij.map(|u| reference(urls, PARTIJEN, u)),
        "categorie": a.categorie.map(|u| reference(urls, CATEGORIEEN, u)),
        "beginDatum": a.begin_datum,
        "eindDatum": a.eind_datum,
    })
}

/// A persoon of the Contactgegevens API (schema `Persoon`).
pub fn persoon(t: &SimpleState<PersoonAttributes>, urls: &Urls) -> Value {
    let a = &t.attributes;
    json!({
        "uuid": t.uuid,
        "url": urls.contactgegevens_object(PERSONEN, t.uuid),
        "geboortedatum": a.geboortedatum,
        "overlijdensdatum": a.overlijdensdatum,
        "geslachtsnaam": a.geslachtsnaam,
        "geslacht": a.geslacht.map(|g| serde_json::to_value(g).unwrap_or_default())
            .unwrap_or_else(|| json!("")),
        "voorvoegsel": a.voorvoegsel,
        "voornamen": a.voornamen,
        "adres": a.adres,
    })
}

/// An organisatie of the Contactgegevens API (schema `Organisatie`).
pub fn organisatie(t: &SimpleState<OrganisatieAttributes>, urls: &Urls) -> Value {
    let a = &t.attributes;
    json!({
        "uuid": t.uuid,
        "url": urls.contactgegevens_object(ORGANISATIES, t.uuid),
        "handelsnaam": a.handelsnaam,
        "oprichtingsdatum": a.oprichtingsdatum,
        "opheffingsdatum": a.opheffingsdatum,
        "adres": a.adres,
    })
}
