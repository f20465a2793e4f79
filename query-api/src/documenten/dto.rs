//! The EnkelvoudigInformatieObject request body (Documenten API 1.4.2) to domain attributes,
//! and its content fields (`inhoud` in base64, `bestandsomvang`, `lock`).

use base64::Engine as _;
use bytes::Bytes;
use chrono::NaiveDate;
use event_schemas::document::DocumentAttributes;
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::fields::{Fields, Presence::*};

const STATUSES: &[&str] = &[
    "in_bewerking",
    "ter_vaststelling",
    "definitief",
    "gearchiveerd",
];

/// A field that may be absent, null, or have a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Given<T> {
    Absent,
    Null,
    Value(T),
}

/// The attributes of a body; `vertrouwelijkheidaanduiding` is `None` when blank or absent
/// (it then comes from the informatieobjecttype).
pub struct Parsed {
    pub attributes: DocumentAttributes,
    pub vertrouwelijkheid: Option<Vertrouwelijkheidaanduiding>,
}

/// What the body says of the content.
pub struct ContentFields {
    pub inhoud: Given<Bytes>,
    pub bestandsomvang: Given<u64>,
    pub lock: Option<String>,
}

pub fn parse(body: &Value) -> Result<Parsed, ApiError> {
    let mut f = Fields::new(body)?;
    let vertrouwelijkheid = f.blank_or_choice("vertrouwelijkheidaanduiding");
    let status = f.string("status", 20, Optional).unwrap_or_default();
    if !status.is_empty() && !STATUSES.contains(&status.as_str()) {
        f.error(
            "status",
            "invalid_choice",
            format!("\"{status}\" is een ongeldige keuze."),
        );
    }
    let taal = f.string("taal", 3, Required).unwrap_or_default();
    if !taal.is_empty() && taal.chars().count() < 3 {
        f.error(
            "taal",
            "min_length",
            "Zorg ervoor dat dit veld minimaal 3 karakters bevat.",
        );
    }
    let attributes = DocumentAttributes {
        identificatie: f.string("identificatie", 40, Optional).unwrap_or_default(),
        bronorganisatie: f.rsin("bronorganisatie", Required).unwrap_or_default(),
        creatiedatum: f.date("creatiedatum", Required).unwrap_or(NaiveDate::MIN),
        titel: f.string("titel", 200, Required).unwrap_or_default(),
        vertrouwelijkheidaanduiding: vertrouwelijkheid
            .unwrap_or(Vertrouwelijkheidaanduiding::Openbaar),
        auteur: f.string("auteur", 200, Required).unwrap_or_default(),
        status,
        formaat: f.string("formaat", 255, Optional).unwrap_or_default(),
        taal,
        bestandsnaam: f.string("bestandsnaam", 255, Optional).unwrap_or_default(),
        link: f.url("link", 200, Optional).unwrap_or_default(),
        beschrijving: f.string("beschrijving", 1000, Optional).unwrap_or_default(),
        ontvangstdatum: f.date("ontvangstdatum", Nullable),
        verzenddatum: f.date("verzenddatum", Nullable),
        indicatie_gebruiksrecht: f.boolean("indicatieGebruiksrecht", Nullable),
        verschijningsvorm: f
            .string("verschijningsvorm", 10_000, Optional)
            .unwrap_or_default(),
        ondertekening: object(&mut f, "ondertekening"),
        integriteit: object(&mut f, "integriteit"),
        informatieobjecttype: f
            .url("informatieobjecttype", 200, Required)
            .unwrap_or_default(),
        trefwoorden: f
            .string_list("trefwoorden", 100, Nullable)
            .unwrap_or_default(),
    };
    if attributes.ontvangstdatum.is_some()
        && ["in_bewerking", "ter_vaststelling"].contains(&attributes.status.as_str())
    {
        f.error(
            "status",
            "invalid_for_received",
            "De waarden 'in bewerking' en 'ter vaststelling' zijn niet van toepassing op ontvangen informatieobjecten.",
        );
    }
    f.finish(|| Parsed {
        attributes,
        vertrouwelijkheid,
    })
}

const SOORTEN: &[&str] = &["analoog", "digitaal", "pki"];
const ALGORITMEN: &[&str] = &[
    "crc_16",
    "crc_32",
    "crc_64",
    "fletcher_4",
    "fletcher_8",
    "fletcher_16",
    "fletcher_32",
    "hmac",
    "md5",
    "sha_1",
    "sha_256",
    "sha_512",
    "sha_3",
];

/// ondertekening `{soort, datum}` or integriteit `{algoritme, waarde, datum}`, or null:
/// each field checked (blank choices and a null datum allowed), problems named
/// `{name}.{field}`; all blank is none.
fn object(f: &mut Fields<'_>, name: &str) -> Option<Value> {
    let v = f.raw_value(name, Nullable)?;
    let mut nested = match Fields::new(&v) {
        Ok(n) => n,
        Err(_) => {
            f.error(name, "invalid", "Ongeldige data. Verwacht een dictionary.");
            return None;
        }
    };
    let choice = |n: &mut Fields<'_>, field: &str, choices: &[&str]| {
        let value = n.string(field, 20, Optional).unwrap_or_default();
        if !value.is_empty() && !choices.contains(&value.as_str()) {
            n.error(
                field,
                "invalid_choice",
                format!("\"{value}\" is een ongeldige keuze."),
            );
        }
        value
    };
    let checked = if name == "ondertekening" {
        json!({
            "soort": choice(&mut nested, "soort", SOORTEN),
            "datum": nested.date("datum", Nullable),
        })
    } else {
        json!({
            "algoritme": choice(&mut nested, "algoritme", ALGORITMEN),
            "waarde": nested.string("waarde", 128, Optional).unwrap_or_default(),
            "datum": nested.date("datum", Nullable),
        })
    };
    f.absorb(name, nested);
    // All blank is no ondertekening / integriteit at all (rendered as null).
    let blank = checked
        .as_object()
        .is_some_and(|o| o.values().all(|v| v.is_null() || v == ""));
    (!blank).then_some(checked)
}

/// The content fields of a body; `lock_required` for a PUT, whose serializer in the
/// reference requires `lock` (a PATCH without it is `missing-lock-id`, decided later).
pub fn content_fields(body: &Value, lock_required: bool) -> Result<ContentFields, ApiError> {
    let mut f = Fields::new(body)?;
    let inhoud = match body.get("inhoud") {
        None => Given::Absent,
        Some(Value::Null) => Given::Null,
        Some(Value::String(s)) => match base64::engine::general_purpose::STANDARD.decode(s) {
            Ok(bytes) => Given::Value(Bytes::from(bytes)),
            Err(_) => {
                f.error(
                    "inhoud",
                    "invalid",
                    "Het bestand is niet geldig base64-gecodeerd.",
                );
                Given::Absent
            }
        },
        Some(_) => {
            f.error(
                "inhoud",
                "invalid",
                "Het bestand is niet geldig base64-gecodeerd.",
            );
            Given::Absent
        }
    };
    let bestandsomvang = match body.get("bestandsomvang") {
        None => Given::Absent,
        Some(Value::Null) => Given::Null,
        Some(v) => match crate::fields::as_integer(v) {
            Some(n) if n >= 0 => Given::Value(n as u64),
            _ => {
                f.error(
                    "bestandsomvang",
                    "invalid",
                    "Een geldig geheel getal is vereist.",
                );
                Given::Absent
            }
        },
    };
    let presence = if lock_required { Required } else { Optional };
    let lock = f.string("lock", 100, presence).filter(|l| !l.is_empty());
    f.finish(|| ContentFields {
        inhoud,
        bestandsomvang,
        lock,
    })
}

/// A PATCH body laid over the current attributes: only writable fields it names change.
pub fn merge_patch(current: &DocumentAttributes, patch: &Value) -> Result<Value, ApiError> {
    let current = serde_json::to_value(current).map_err(ApiError::internal)?;
    crate::resource::merge_patch(current, patch)
}
