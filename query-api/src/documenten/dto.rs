//! The EnkelvoudigInformatieObject request body (Documenten API 1.4.2) to domain attributes,
//! and its content fields (`inhoud` in base64, `bestandsomvang`, `lock`).

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

pub use commands::documenten::{Content as ContentFields, Given};

/// The attributes of a body; `vertrouwelijkheidaanduiding` is `None` when blank or absent
/// (it then comes from the informatieobjecttype).
pub struct Parsed {
    pub attributes: DocumentAttributes,
    pub vertrouwelijkheid: Option<Vertrouwelijkheidaanduiding>,
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
    f.declare(
        "inhoud",
        json!({"type": "string", "format": "byte"}),
        Nullable,
    );
    f.declare(
        "bestandsomvang",
        json!({"type": "integer", "minimum": 0}),
        Nullable,
    );
    let inhoud = match body.get("inhoud") {
        None => Given::Absent,
        Some(Value::Null) => Given::Null,
        Some(Value::String(s)) => match decode_base64(s) {
            Ok(bytes) if bytes.is_empty() && s.is_empty() => Given::Null,
            Ok(bytes) if bytes.is_empty() => {
                f.error("inhoud", "invalid-base64", "Het bestand is leeg.");
                Given::Absent
            }
            Ok(bytes) => Given::Value(Bytes::from(bytes)),
            Err((code, reason)) => {
                f.error("inhoud", code, reason);
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

/// base64 `inhoud` read as the reference reads it (drf-extra-fields' Base64FileField over
/// Python's lenient `b64decode`): a `data:...;base64,` header is dropped, characters
/// outside the alphabet (line breaks, spaces) are skipped, and the data ends at the
/// padding that completes a quantum. Failures carry Open Zaak's codes:
/// `incorrect-base64-padding`, else `invalid-base64`.
fn decode_base64(s: &str) -> Result<Vec<u8>, (&'static str, String)> {
    let data = s.split_once(";base64,").map_or(s, |(_, d)| d);
    let sextet = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(data.len() / 4 * 3);
    let (mut quad_pos, mut pads, mut acc, mut done) = (0u32, 0u32, 0u32, false);
    for &c in data.as_bytes() {
        if c == b'=' {
            pads += 1;
            if quad_pos >= 2 && quad_pos + pads >= 4 {
                done = true;
                break;
            }
            continue;
        }
        let Some(v) = sextet(c) else { continue };
        pads = 0;
        acc = (acc << 6) | u32::from(v);
        quad_pos = (quad_pos + 1) % 4;
        match quad_pos {
            2 => out.push((acc >> 4) as u8),
            3 => out.push((acc >> 2) as u8),
            0 => out.push(acc as u8),
            _ => {}
        }
        acc &= 0xff;
    }
    if done || quad_pos == 0 {
        return Ok(out);
    }
    let clean = data.bytes().all(|c| c == b'=' || sextet(c).is_some());
    if quad_pos == 1 || !clean {
        Err((
            "invalid-base64",
            "Ongeldige base64-gecodeerde tekst.".to_owned(),
        ))
    } else {
        Err((
            "incorrect-base64-padding",
            "The provided base64 data has incorrect padding".to_owned(),
        ))
    }
}

/// A PATCH body laid over the current attributes: only writable fields it names change.
pub fn merge_patch(current: &DocumentAttributes, patch: &Value) -> Result<Value, ApiError> {
    let current = serde_json::to_value(current).map_err(ApiError::internal)?;
    crate::resource::merge_patch(current, patch)
}

/// The attributes a PUT (`body` the whole document) or PATCH (merged onto `current`) asks
/// for: a vertrouwelijkheidaanduiding or indicatieGebruiksrecht it does not give stays.
pub fn apply(
    current: &DocumentAttributes,
    body: &Value,
    partial: bool,
) -> Result<DocumentAttributes, ApiError> {
    let merged;
    let input = if partial {
        merged = merge_patch(current, body)?;
        &merged
    } else {
        body
    };
    let parsed = parse(input)?;
    let mut attributes = parsed.attributes;
    if parsed.vertrouwelijkheid.is_none() {
        attributes.vertrouwelijkheidaanduiding = current.vertrouwelijkheidaanduiding;
    }
    if body.get("indicatieGebruiksrecht").is_none() {
        attributes.indicatie_gebruiksrecht = current.indicatie_gebruiksrecht;
    }
    Ok(attributes)
}

/// The names of the fields a body changes, for the event.
pub fn changed(body: &Value) -> Vec<String> {
    body.as_object()
        .map(|o| o.keys().filter(|k| *k != "lock").cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_read_leniently_as_the_reference_reads_it() {
        for given in [
            "aGVsbG8=",
            "aGVs\nbG8=\n",
            "aGVs bG8=",
            "data:text/plain;base64,aGVsbG8=",
            "aGVsbG8=aGVs",
        ] {
            assert_eq!(decode_base64(given).unwrap(), b"hello", "{given:?}");
        }
        assert_eq!(decode_base64("aGk=").unwrap(), b"hi");
        assert_eq!(
            decode_base64("aGVsbA").unwrap_err().0,
            "incorrect-base64-padding"
        );
        assert_eq!(decode_base64("aGVsb").unwrap_err().0, "invalid-base64");
        assert_eq!(decode_base64("aGV sbA").unwrap_err().0, "invalid-base64");
    }

    #[test]
    fn an_empty_inhoud_is_no_inhoud_and_bad_base64_has_the_references_codes() {
        let c = content_fields(&json!({"inhoud": ""}), false).unwrap();
        assert_eq!(c.inhoud, Given::Null);
        match content_fields(&json!({"inhoud": "aGVsbA"}), false) {
            Err(ApiError::Validation(v)) => {
                assert_eq!(
                    (v[0].name.as_str(), v[0].code.as_str()),
                    ("inhoud", "incorrect-base64-padding")
                )
            }
            _ => panic!("expected a validation error"),
        }
    }
}
