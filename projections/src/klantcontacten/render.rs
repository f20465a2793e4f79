//! A klantcontact as the Klantinteracties API 0.9 (Open Klant 2.x) returns it.

use domain::klantinteracties::klantcontact::Klantcontact;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::partijen::render::{reference, volledige_naam, DIGITALE_ADRESSEN, PARTIJEN};
use crate::render::Urls;

pub const KLANTCONTACTEN: &str = "klantcontacten";
pub const BETROKKENEN: &str = "betrokkenen";
pub const ONDERWERPOBJECTEN: &str = "onderwerpobjecten";
pub const BIJLAGEN: &str = "bijlagen";

fn references<'a>(urls: &Urls, collection: &str, uuids: impl Iterator<Item = &'a Uuid>) -> Value {
    uuids.map(|u| reference(urls, collection, *u)).collect()
}

/// The klantcontact's resource; `leiddeTotInterneTaken` is filled in where it is read (the
/// internetaken name their klantcontact, not the other way round).
pub fn klantcontact(k: &Klantcontact, urls: &Urls) -> Value {
    let a = &k.attributes;
    json!({
        "uuid": k.uuid,
        "url": urls.klantcontact(k.uuid),
        "gingOverOnderwerpobjecten":
            references(urls, ONDERWERPOBJECTEN, k.onderwerpobjecten.keys()),
        "hadBetrokkenActoren": references(
            urls,
            "actoren",
            k.actorklantcontacten.values().map(|a| &a.actor)
        ),
        "omvatteBijlagen": references(urls, BIJLAGEN, k.bijlagen.keys()),
        "hadBetrokkenen": references(urls, BETROKKENEN, k.betrokkenen.keys()),
        "leiddeTotInterneTaken": [],
        "nummer": a.nummer,
        "referentienummer": a.referentienummer,
        "kanaal": a.kanaal,
        "onderwerp": a.onderwerp,
        "inhoud": a.inhoud,
        "reactie": a.reactie,
        "indicatieContactGelukt": a.indicatie_contact_gelukt,
        "hoofdOnderwerpType": a.hoofd_onderwerp_type,
        "verdereActieOndernomen": a.verdere_actie_ondernomen,
        "taal": a.taal,
        "vertrouwelijk": a.vertrouwelijk,
        "plaatsgevondenOp": plaatsgevonden_op(k),
        "metadata": a.metadata,
    })
}

/// `plaatsgevondenOp` as rendered (and as its filter column holds it).
pub fn plaatsgevonden_op(k: &Klantcontact) -> String {
    k.attributes
        .plaatsgevonden_op
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

pub const ACTORKLANTCONTACTEN: &str = "actorklantcontacten";

/// Betrokkene `uuid` of `k` (schema `Betrokkene`).
pub fn betrokkene(k: &Klantcontact, uuid: Uuid, urls: &Urls) -> Option<Value> {
    let b = k.betrokkenen.get(&uuid)?;
    let adressen = k
        .digitale_adressen
        .iter()
        .filter(|(_, a)| a.verstrekt_door_betrokkene == Some(uuid))
        .map(|(u, _)| *u)
        .collect::<Vec<_>>();
    Some(json!({
        "uuid": uuid,
        "url": urls.klantinteracties_object(BETROKKENEN, uuid),
        "wasPartij": b.was_partij.map(|p| reference(urls, PARTIJEN, p)),
        "hadKlantcontact": reference(urls, KLANTCONTACTEN, k.uuid),
        "digitaleAdressen": references(urls, DIGITALE_ADRESSEN, adressen.iter()),
        "bezoekadres": b.bezoekadres,
        "correspondentieadres": b.correspondentieadres,
        "contactnaam": b.contactnaam,
        "volledigeNaam": volledige_naam(b.contactnaam.as_ref()),
        "rol": b.rol.as_str(),
        "organisatienaam": b.organisatienaam,
        "initiator": b.initiator,
    }))
}

/// Onderwerpobject `uuid` of `k` (schema `Onderwerpobject`).
pub fn onderwerpobject(k: &Klantcontact, uuid: Uuid, urls: &Urls) -> Option<Value> {
    let o = k.onderwerpobjecten.get(&uuid)?;
    Some(json!({
        "uuid": uuid,
        "url": urls.klantinteracties_object(ONDERWERPOBJECTEN, uuid),
        "klantcontact": reference(urls, KLANTCONTACTEN, k.uuid),
        "wasKlantcontact": o.was_klantcontact.map(|u| reference(urls, KLANTCONTACTEN, u)),
        "onderwerpobjectidentificator": o.onderwerpobjectidentificator,
    }))
}

/// Bijlage `uuid` of `k` (schema `Bijlage`).
pub fn bijlage(k: &Klantcontact, uuid: Uuid, urls: &Urls) -> Option<Value> {
    let b = k.bijlagen.get(&uuid)?;
    Some(json!({
        "uuid": uuid,
        "url": urls.klantinteracties_object(BIJLAGEN, uuid),
        "wasBijlageVanKlantcontact": reference(urls, KLANTCONTACTEN, k.uuid),
        "bijlageidentificator": b.bijlageidentificator,
    }))
}

/// Actorklantcontact `uuid` of `k` (schema `ActorKlantcontact`).
pub fn actorklantcontact(k: &Klantcontact, uuid: Uuid, urls: &Urls) -> Option<Value> {
    let a = k.actorklantcontacten.get(&uuid)?;
    Some(json!({
        "uuid": uuid,
        "url": urls.klantinteracties_object(ACTORKLANTCONTACTEN, uuid),
        "actor": reference(urls, "actoren", a.actor),
        "klantcontact": reference(urls, KLANTCONTACTEN, k.uuid),
    }))
}

/// Part `uuid` of `k` named by its `resource` (for the audit trail).
pub fn part(k: &Klantcontact, resource: &str, uuid: Uuid, urls: &Urls) -> Option<Value> {
    match resource {
        "betrokkene" => betrokkene(k, uuid, urls),
        "onderwerpobject" => onderwerpobject(k, uuid, urls),
        "bijlage" => bijlage(k, uuid, urls),
        "actorklantcontact" => actorklantcontact(k, uuid, urls),
        "digitaaladres" => digitaal_adres(k, uuid, urls),
        _ => None,
    }
}

/// Digitaal adres `uuid` of `k`, given by one of its betrokkenen (schema `DigitaalAdres`).
pub fn digitaal_adres(k: &Klantcontact, uuid: Uuid, urls: &Urls) -> Option<Value> {
    k.digitale_adressen.get(&uuid).map(|a| {
        json!({
            "uuid": uuid,
            "url": urls.klantinteracties_object(DIGITALE_ADRESSEN, uuid),
            "verstrektDoorBetrokkene": a
                .verstrekt_door_betrokkene
                .map(|b| reference(urls, BETROKKENEN, b)),
            "verstrektDoorPartij": null,
            "adres": a.adres,
            "soortDigitaalAdres": a.soort_digitaal_adres.as_str(),
            "isStandaardAdres": a.is_standaard_adres,
            "omschrijving": a.omschrijving,
            "referentie": a.referentie,
            "verificatieDatum": a.verificatie_datum,
        })
    })
}
