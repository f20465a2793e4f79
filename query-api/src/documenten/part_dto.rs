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
    let parsed = f.finish(|| (informatieobject, attributes))?;
    if kind == Kind::Verzending {
        check_one_address(&parsed.1)?;
    }
    Ok(parsed)
}

/// The ways a verzending reaches its betrokkene, of which it has exactly one: Open Zaak's
/// VerzendingAddressValidator (`invalid-address`, after the fields). Like there,
/// faxnummer is not counted; unlike there, telefoonnummer is counted once (Open Zaak counts
/// it twice, so it refuses a verzending by telefoon alone; see ARCHITECTURE.md).
const ADDRESSES: &[&str] = &[
    "binnenlandsCorrespondentieadres",
    "buitenlandsCorrespondentieadres",
    "correspondentiePostadres",
    "telefoonnummer",
    "emailadres",
    "mijnOverheid",
];

fn check_one_address(attributes: &DocumentPartAttributes) -> Result<(), ApiError> {
    let filled = ADDRESSES
        .iter()
        .filter(|name| attributes.get(**name).is_some_and(truthy))
        .count();
    if filled == 1 {
        return Ok(());
    }
    Err(ApiError::invalid(
        "nonFieldErrors",
        "invalid-address",
        "Verzending must contain precisely one correspondentieadress",
    ))
}

/// Python's truthiness of a JSON value; an object is filled when any of its values is.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => o.values().any(truthy),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verzending(extra: Value) -> Value {
        let mut body = json!({
            "informatieobject": "http://x/documenten/api/v1/enkelvoudiginformatieobjecten/1",
            "betrokkene": "http://x/betrokkene/1",
            "aardRelatie": "geadresseerde",
            "contactPersoon": "http://x/contactpersoon/1",
        });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    }

    fn code(body: Value) -> Option<String> {
        match parse(Kind::Verzending, &body) {
            Ok(_) => None,
            Err(ApiError::Validation(v)) => Some(v[0].code.clone()),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_verzending_has_exactly_one_address() {
        assert_eq!(code(verzending(json!({"emailadres": "a@b.nl"}))), None);
        assert_eq!(
            code(verzending(json!({"telefoonnummer": "0612345678"}))),
            None
        );
        assert_eq!(code(verzending(json!({"mijnOverheid": true}))), None);
        for refused in [
            json!({}),
            json!({"mijnOverheid": false, "faxnummer": "0101234567"}),
            json!({"emailadres": "a@b.nl", "telefoonnummer": "0612345678"}),
            json!({"emailadres": "a@b.nl", "correspondentiePostadres": {"postbusOfAntwoordnummer": 12}}),
        ] {
            assert_eq!(
                code(verzending(refused.clone())).as_deref(),
                Some("invalid-address"),
                "{refused}"
            );
        }
    }

    #[test]
    fn field_problems_of_a_verzending_come_before_its_address_rule() {
        assert_eq!(
            code(verzending(json!({"aardRelatie": "anders"}))).as_deref(),
            Some("invalid_choice")
        );
    }
}
