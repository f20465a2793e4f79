//! The Besluit request body (Besluiten API 1.1.0, schema `Besluit`) to domain attributes.

use event_schemas::besluit::BesluitAttributes;
use serde_json::Value;

use crate::error::ApiError;
use crate::fields::{Fields, Presence::*};

/// What the caller sent, read as a complete set of attributes (POST, PUT, or a PATCH merged
/// onto the current attributes by [`merge_patch`]). An empty identificatie is to be generated.
pub fn parse(body: &Value) -> Result<BesluitAttributes, ApiError> {
    let mut f = Fields::new(body)?;
    let verantwoordelijke = f.rsin("verantwoordelijkeOrganisatie", Required);
    let attributes = BesluitAttributes {
        identificatie: f.string("identificatie", 50, Optional).unwrap_or_default(),
        verantwoordelijke_organisatie: verantwoordelijke.unwrap_or_default(),
        besluittype: f.url("besluittype", 200, Required).unwrap_or_default(),
        // Blank, not null, means no zaak (Open Zaak: allow_blank, allow_null False).
        zaak: f.url("zaak", 200, Optional).filter(|z| !z.is_empty()),
        datum: f.date("datum", Required).unwrap_or_default(),
        toelichting: f
            .string("toelichting", usize::MAX, Optional)
            .unwrap_or_default(),
        bestuursorgaan: f.string("bestuursorgaan", 50, Optional).unwrap_or_default(),
        ingangsdatum: f.date("ingangsdatum", Required).unwrap_or_default(),
        vervaldatum: f.date("vervaldatum", Nullable),
        vervalreden: vervalreden(&mut f, body),
        publicatiedatum: f.date("publicatiedatum", Nullable),
        verzenddatum: f.date("verzenddatum", Nullable),
        uiterlijke_reactiedatum: f.date("uiterlijkeReactiedatum", Nullable),
    };
    f.finish(|| attributes)
}

/// A vervalreden or blank; null is refused, as the reference's ChoiceField (allow_blank,
/// not allow_null) does.
fn vervalreden(f: &mut Fields<'_>, body: &Value) -> Option<event_schemas::besluit::Vervalreden> {
    if body.get("vervalreden").is_some_and(Value::is_null) {
        f.error("vervalreden", "null", "Dit veld mag niet leeg zijn.");
        return None;
    }
    f.blank_or_choice("vervalreden")
}

/// A PATCH body laid over the current attributes: only writable fields it names change.
/// A besluit without zaak or vervalreden has them blank, as it renders them.
pub fn merge_patch(current: &BesluitAttributes, patch: &Value) -> Result<Value, ApiError> {
    let mut current = serde_json::to_value(current).map_err(ApiError::internal)?;
    for blank in ["zaak", "vervalreden"] {
        if let Some(v) = current.get_mut(blank).filter(|v| v.is_null()) {
            *v = Value::from("");
        }
    }
    crate::resource::merge_patch(current, patch)
}

/// The attributes a PUT (`body` the whole besluit) or PATCH (merged onto `current`) asks
/// for.
pub fn apply(
    current: &BesluitAttributes,
    body: &Value,
    partial: bool,
) -> Result<BesluitAttributes, ApiError> {
    if partial {
        parse(&merge_patch(current, body)?)
    } else {
        parse(body)
    }
}

/// The BesluitInformatieObject request body: the informatieobject and the besluit (URLs).
pub fn parse_informatieobject(body: &Value) -> Result<(String, String), ApiError> {
    let mut f = Fields::new(body)?;
    let informatieobject = f
        .url("informatieobject", 1000, Required)
        .unwrap_or_default();
    let besluit = f.url("besluit", 1000, Required).unwrap_or_default();
    f.finish(|| (informatieobject, besluit))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn codes(body: Value) -> Vec<(String, String)> {
        match parse(&body) {
            Err(ApiError::Validation(v)) => v.into_iter().map(|p| (p.name, p.code)).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn the_required_fields_are_named_with_the_standards_codes() {
        let got = codes(json!({}));
        for field in [
            "verantwoordelijkeOrganisatie",
            "besluittype",
            "datum",
            "ingangsdatum",
        ] {
            assert!(
                got.contains(&(field.into(), "required".into())),
                "{field}: {got:?}"
            );
        }
    }

    #[test]
    fn an_rsin_failing_the_elfproef_and_an_unknown_vervalreden_are_invalid() {
        let got = codes(json!({"verantwoordelijkeOrganisatie": "123456789",
            "besluittype": "http://x/bt/1", "datum": "2026-01-01", "ingangsdatum": "2026-01-01",
            "vervalreden": "opgegeven"}));
        assert!(got.contains(&("verantwoordelijkeOrganisatie".into(), "invalid".into())));
        assert!(got.contains(&("vervalreden".into(), "invalid_choice".into())));
    }

    #[test]
    fn a_null_zaak_or_vervalreden_is_refused_as_the_reference_does() {
        let got = codes(json!({"verantwoordelijkeOrganisatie": "000000000",
            "besluittype": "http://x/bt/1", "zaak": null, "datum": "2026-01-01",
            "ingangsdatum": "2026-01-01", "vervalreden": null}));
        assert!(got.contains(&("zaak".into(), "null".into())), "{got:?}");
        assert!(
            got.contains(&("vervalreden".into(), "null".into())),
            "{got:?}"
        );
    }

    #[test]
    fn a_patch_of_a_besluit_without_zaak_keeps_it_blank() {
        let a = parse(&json!({"verantwoordelijkeOrganisatie": "517439943",
            "besluittype": "http://x/bt/1", "datum": "2026-01-01", "ingangsdatum": "2026-01-01"}))
        .unwrap();
        let merged = merge_patch(&a, &json!({"toelichting": "t"})).unwrap();
        let b = parse(&merged).unwrap();
        assert_eq!(
            (b.zaak, b.vervalreden, b.toelichting.as_str()),
            (None, None, "t")
        );
    }

    #[test]
    fn a_blank_zaak_and_vervalreden_mean_none() {
        let a = parse(&json!({"verantwoordelijkeOrganisatie": "517439943",
            "besluittype": "http://x/bt/1", "zaak": "", "datum": "2026-01-01",
            "ingangsdatum": "2026-01-01", "vervalreden": ""}))
        .unwrap();
        assert_eq!((a.zaak, a.vervalreden), (None, None));
    }
}
