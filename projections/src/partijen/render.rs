//! A partij and its parts as the Klantinteracties API 0.9 (Open Klant 2.x) returns them.

use domain::klantinteracties::partij::Partij;
use event_schemas::klantinteracties::partij::{PartijIdentificatie, PartijIdentificatorAttributes};
use event_schemas::klantinteracties::Contactnaam;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::render::Urls;

pub const PARTIJEN: &str = "partijen";
pub const IDENTIFICATOREN: &str = "partij-identificatoren";
pub const DIGITALE_ADRESSEN: &str = "digitaleadressen";
pub const REKENINGNUMMERS: &str = "rekeningnummers";
pub const VERTEGENWOORDIGINGEN: &str = "vertegenwoordigingen";

/// `{uuid, url}` of a resource of this API in `collection`.
pub fn reference(urls: &Urls, collection: &str, uuid: Uuid) -> Value {
    json!({"uuid": uuid, "url": urls.klantinteracties_object(collection, uuid)})
}

fn references<'a>(urls: &Urls, collection: &str, uuids: impl Iterator<Item = &'a Uuid>) -> Value {
    uuids.map(|u| reference(urls, collection, *u)).collect()
}

/// Open Klant's `volledigeNaam`: the contactnaam's voornaam, voorvoegsel and achternaam.
pub fn volledige_naam(c: Option<&Contactnaam>) -> String {
    c.map(|c| {
        [&c.voornaam, &c.voorvoegsel_achternaam, &c.achternaam]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    })
    .unwrap_or_default()
}

fn identificatie(p: &Partij, urls: &Urls) -> (&'static str, Value) {
    match &p.attributes.partij_identificatie {
        PartijIdentificatie::Persoon { contactnaam } => (
            "persoon",
            json!({
                "contactnaam": contactnaam,
                "volledigeNaam": volledige_naam(contactnaam.as_ref()),
            }),
        ),
        PartijIdentificatie::Organisatie { naam } => ("organisatie", json!({ "naam": naam })),
        PartijIdentificatie::Contactpersoon {
            contactnaam,
            werkte_voor_partij,
        } => (
            "contactpersoon",
            json!({
                "uuid": p.uuid,
                "werkteVoorPartij": werkte_voor_partij.map(|u| reference(urls, PARTIJEN, u)),
                "contactnaam": contactnaam,
                "volledigeNaam": volledige_naam(contactnaam.as_ref()),
            }),
        ),
    }
}

/// A partij (schema `Partij`, the soort's serializer).
pub fn partij(p: &Partij, urls: &Urls) -> Value {
    let a = &p.attributes;
    let (soort, identificatie) = identificatie(p, urls);
    let identificatoren: Vec<Value> = p
        .identificatoren
        .keys()
        .filter_map(|u| identificator(p, *u, urls))
        .collect();
    json!({
        "uuid": p.uuid,
        "url": urls.partij(p.uuid),
        "nummer": a.nummer,
        "interneNotitie": a.interne_notitie,
        // Klantcontacten and categorie-relaties are not served yet: none refer to a partij.
        "betrokkenen": [],
        "categorieRelaties": [],
        "digitaleAdressen": references(urls, DIGITALE_ADRESSEN, p.digitale_adressen.keys()),
        "voorkeursDigitaalAdres": a.voorkeurs_digitaal_adres
            .map(|u| reference(urls, DIGITALE_ADRESSEN, u)),
        "vertegenwoordigden": references(urls, PARTIJEN, p.vertegenwoordigingen.values()),
        "rekeningnummers": references(urls, REKENINGNUMMERS, p.rekeningnummers.keys()),
        "voorkeursRekeningnummer": a.voorkeurs_rekeningnummer
            .map(|u| reference(urls, REKENINGNUMMERS, u)),
        "partijIdentificatoren": identificatoren,
        "soortPartij": soort,
        "partijIdentificatie": identificatie,
        "indicatieGeheimhouding": a.indicatie_geheimhouding,
        "voorkeurstaal": a.voorkeurstaal,
        "indicatieActief": a.indicatie_actief,
        "bezoekadres": a.bezoekadres,
        "correspondentieadres": a.correspondentieadres,
    })
}

/// Partij-identificator `uuid` of `p` (schema `PartijIdentificator`); `None` when `p` has
/// none with this uuid.
pub fn identificator(p: &Partij, uuid: Uuid, urls: &Urls) -> Option<Value> {
    let i: &PartijIdentificatorAttributes = p.identificatoren.get(&uuid)?;
    Some(json!({
        "uuid": uuid,
        "url": urls.klantinteracties_object(IDENTIFICATOREN, uuid),
        "identificeerdePartij": reference(urls, PARTIJEN, p.uuid),
        "anderePartijIdentificator": i.andere_partij_identificator,
        "partijIdentificator": i.partij_identificator,
        "subIdentificatorVan": i.sub_identificator_van
            .map(|u| reference(urls, IDENTIFICATOREN, u)),
    }))
}

/// Digitaal adres `uuid` of `p` (schema `DigitaalAdres`), for `expand=digitaleAdressen`.
pub fn digitaal_adres(p: &Partij, uuid: Uuid, urls: &Urls) -> Option<Value> {
    let a = p.digitale_adressen.get(&uuid)?;
    Some(json!({
        "uuid": uuid,
        "url": urls.klantinteracties_object(DIGITALE_ADRESSEN, uuid),
        "verstrektDoorBetrokkene": a.verstrekt_door_betrokkene
            .map(|u| reference(urls, "betrokkenen", u)),
        "verstrektDoorPartij": reference(urls, PARTIJEN, p.uuid),
        "adres": a.adres,
        "soortDigitaalAdres": a.soort_digitaal_adres.as_str(),
        "isStandaardAdres": a.is_standaard_adres,
        "omschrijving": a.omschrijving,
        "referentie": a.referentie,
        "verificatieDatum": a.verificatie_datum,
    }))
}

/// Rekeningnummer `uuid` of `p` (schema `Rekeningnummer`).
pub fn rekeningnummer(p: &Partij, uuid: Uuid, urls: &Urls) -> Option<Value> {
    let r = p.rekeningnummers.get(&uuid)?;
    Some(json!({
        "uuid": uuid,
        "url": urls.klantinteracties_object(REKENINGNUMMERS, uuid),
        "partij": reference(urls, PARTIJEN, p.uuid),
        "iban": r.iban,
        "bic": r.bic,
    }))
}

/// Vertegenwoordiging `uuid` of `p`, the partij that represents (schema
/// `Vertegenwoordigden`).
pub fn vertegenwoordiging(p: &Partij, uuid: Uuid, urls: &Urls) -> Option<Value> {
    let vertegenwoordigde = p.vertegenwoordigingen.get(&uuid)?;
    Some(json!({
        "uuid": uuid,
        "url": urls.klantinteracties_object(VERTEGENWOORDIGINGEN, uuid),
        "vertegenwoordigendePartij": reference(urls, PARTIJEN, p.uuid),
        "vertegenwoordigdePartij": reference(urls, PARTIJEN, *vertegenwoordigde),
    }))
}
