//! The request bodies of gebruiksrechten, objectinformatieobjecten and verzendingen, read
//! into the attributes a part stores (its `informatieobject` apart: the stream says it).

use event_schemas::document::{DocumentPartAttributes, DocumentPartKind as Kind};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::fields::{Fields, Presence::*};

const OBJECT_TYPES: &[&str] = &["besluit", "zaak", "verzoek"];
const AARD_RELATIES: &[&str] = &["afzender", "geadresseerde"];

fn one_of(f: &mut Fields<'_>, name: &str, choices: &[&str]) -> Option<String> {
    let v = f.string(name, 50, Required)?;
    if choices.contains(&v.as_str()) {
        Some(v)
    } else {
        f.error(
            name,
            "invalid_choice",
            format!("\"{v}\" is een ongeldige keuze."),
        );
        None
    }
}

/// A nested object (an address) or null.
fn object(f: &mut Fields<'_>, name: &str) -> Value {
    match f.raw_value(name, Nullable) {
        None => Value::Null,
        Some(v @ Value::Object(_)) => v,
        Some(_) => {
            f.error(name, "invalid", "Ongeldige data. Verwacht een dictionary.");
            Value::Null
        }
    }
}

/// `(informatieobject, attributes)` of a body of `kind`.
pub fn parse(kind: Kind, body: &Value) -> Result<(String, DocumentPartAttributes), ApiError> {
    let mut f = Fields::new(body)?;
    let informatieobject = f
        .url("informatieobject", 1000, Required)
        .unwrap_or_default();
    let attributes = match kind {
        Kind::Gebruiksrecht => json!({
            "startdatum": f.datetime("startdatum", Required),
            "einddatum": f.datetime("einddatum", Nullable),
            "omschrijvingVoorwaarden": f.string("omschrijvingVoorwaarden", 100_000, Required),
        }),
        Kind::Objectinformatieobject => json!({
            "object": f.url("object", 1000, Required),
            "objectType": one_of(&mut f, "objectType", OBJECT_TYPES),
        }),
        Kind::Verzending => json!({
            "betrokkene": f.url("betrokkene", 200, Required),
            "aardRelatie": one_of(&mut f, "aardRelatie", AARD_RELATIES),
            "toelichting": f.string("toelichting", 200, Optional).unwrap_or_default(),
            "ontvangstdatum": f.date("ontvangstdatum", Nullable),
            "verzenddatum": f.date("verzenddatum", Nullable),
            "contactPersoon": f.url("contactPersoon", 1000, Required),
            "contactpersoonnaam": f.string("contactpersoonnaam", 40, Optional).unwrap_or_default(),
            "binnenlandsCorrespondentieadres": object(&mut f, "binnenlandsCorrespondentieadres"),
            "buitenlandsCorrespondentieadres": object(&mut f, "buitenlandsCorrespondentieadres"),
            "correspondentiePostadres": object(&mut f, "correspondentiePostadres"),
            "faxnummer": f.string("faxnummer", 15, Nullable),
            "emailadres": f.string("emailadres", 100, Nullable),
            "mijnOverheid": f.boolean("mijnOverheid", Optional).unwrap_or(false),
            "telefoonnummer": f.string("telefoonnummer", 15, Nullable),
        }),
    };
    let attributes = match attributes {
        Value::Object(m) => m,
        _ => DocumentPartAttributes::new(),
    };
    f.finish(|| (informatieobject, attributes))
}
