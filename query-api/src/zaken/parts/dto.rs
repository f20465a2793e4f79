//! A part's request body, read field by field against its [`Spec`], into the attributes
//! the event stores. Read-only fields in the body are ignored, as the standard's serializers
//! do; what derives from the zaak or the catalogue is added by the handler.

use event_schemas::zaak::PartAttributes;
use serde_json::{json, Value};

use super::{Spec, Ty};
use crate::error::ApiError;
use crate::fields::{Fields, Presence};

/// The writable attributes of `body` (a complete resource: PUT, POST or a merged PATCH).
/// `zaak` and other URL fields are checked as URLs only; what they point at is checked by
/// the handler.
pub fn parse(spec: &Spec, body: &Value) -> Result<PartAttributes, ApiError> {
    let mut f = Fields::new(body)?;
    let mut out = PartAttributes::new();
    for field in spec.fields {
        let (name, presence) = (field.name, field.presence);
        let value = match field.ty {
            Ty::Url(max) => f.url(name, max, presence).map(Value::String),
            Ty::Text(max) => f.string(name, max, presence).map(Value::String),
            Ty::Slug(max) => slug(&mut f, name, max, presence),
            Ty::Choice(choices) => f.one_of(name, choices, presence).map(Value::String),
            Ty::Date => f.date(name, presence).map(|d| json!(d.to_string())),
            Ty::AuthenticatieContext => match auth_source(&out) {
                Some(source) => super::authenticatie::context(&mut f, name, presence, source),
                None => continue,
            },
            Ty::DateTime => f
                .datetime(name, presence)
                .map(|d| json!(d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))),
            Ty::Object => object(&mut f, name, presence),
            Ty::OverigeDefinitie => overige_definitie(&mut f, name, presence),
        };
        match (value, field.ty) {
            (None, Ty::Slug(_)) => {}
            (Some(Value::String(s)), Ty::Slug(_)) if s.is_empty() => {}
            (value, ty) => {
                out.insert(
                    name.to_owned(),
                    value.unwrap_or_else(|| absent(ty, presence)),
                );
            }
        }
    }
    f.finish(|| out)
}

/// How a rol of the betrokkeneType parsed so far authenticates, if at all.
fn auth_source(parsed: &PartAttributes) -> Option<domain::zaak::rol::AuthSource> {
    let betrokkene_type = parsed.get("betrokkeneType")?.as_str()?;
    domain::zaak::rol::AuthSource::of_betrokkene_type(betrokkene_type)
}

/// The stored value of a field the body left out.
fn absent(ty: Ty, presence: Presence) -> Value {
    match (ty, presence) {
        (_, Presence::Nullable) | (Ty::DateTime | Ty::Date, _) => Value::Null,
        (Ty::Object | Ty::OverigeDefinitie, _) => json!({}),
        _ => json!(""),
    }
}

fn slug(f: &mut Fields<'_>, name: &str, max: usize, presence: Presence) -> Option<Value> {
    let s = f.string(name, max, presence)?;
    if s.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        Some(Value::String(s))
    } else {
        f.error(
            name,
            "invalid",
            "Alleen kleine letters en underscores ([a-z_]) zijn toegestaan.",
        );
        None
    }
}

fn object(f: &mut Fields<'_>, name: &str, presence: Presence) -> Option<Value> {
    let v = f.raw_value(name, presence)?;
    if v.is_object() {
        Some(v)
    } else {
        f.error(name, "invalid", "Ongeldige data. Verwacht een dictionary.");
        None
    }
}

/// An ObjectTypeOverigeDefinitie: its three required members and nothing else; their
/// errors are named `{name}.{member}`.
fn overige_definitie(f: &mut Fields<'_>, name: &str, presence: Presence) -> Option<Value> {
    let v = object(f, name, presence)?;
    let mut inner = Fields::new(&v).ok()?;
    let url = inner.url("url", 1000, Presence::Required);
    let schema = inner.string("schema", 100, Presence::Required);
    let object_data = inner.string("objectData", 100, Presence::Required);
    match inner.finish(|| json!({"url": url, "schema": schema, "objectData": object_data})) {
        Ok(definitie) => Some(definitie),
        Err(ApiError::Validation(params)) => {
            for p in params {
                f.error(&format!("{name}.{}", p.name), &p.code, p.reason);
            }
            None
        }
        Err(_) => None,
    }
}

/// A PATCH: the current attributes with the body's fields of the spec laid over them.
pub fn merge(spec: &Spec, current: &PartAttributes, patch: &Value) -> Result<Value, ApiError> {
    let Value::Object(patch) = patch else {
        return Err(ApiError::invalid(
            "nonFieldErrors",
            "invalid",
            "Ongeldige data. Verwacht een dictionary.",
        ));
    };
    let mut merged = current.clone();
    for field in spec.fields {
        if let Some(v) = patch.get(field.name) {
            merged.insert(field.name.to_owned(), v.clone());
        }
    }
    Ok(Value::Object(merged))
}

/// `wijzigen-niet-toegelaten` for every fixed field whose value would change.
pub fn check_immutable(
    spec: &Spec,
    current: &PartAttributes,
    new: &PartAttributes,
) -> Result<(), ApiError> {
    let changed: Vec<_> = spec
        .fields
        .iter()
        .filter(|f| f.immutable && current.get(f.name) != new.get(f.name))
        .map(|f| {
            crate::error::InvalidParam::new(
                f.name,
                "wijzigen-niet-toegelaten",
                "Dit veld mag niet gewijzigd worden.",
            )
        })
        .collect();
    if changed.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(changed))
    }
}

#[cfg(test)]
mod tests {
    use event_schemas::zaak::PartKind;

    use super::*;

    fn errors(r: Result<PartAttributes, ApiError>) -> Vec<(String, String)> {
        match r {
            Err(ApiError::Validation(v)) => v.into_iter().map(|p| (p.name, p.code)).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_rol_without_its_required_fields_names_each_of_them() {
        let spec = Spec::of(PartKind::Rol);
        let got = errors(parse(spec, &json!({"zaak": "http://x.nl/z/1"})));
        assert_eq!(
            got,
            vec![
                ("betrokkeneType".to_owned(), "required".to_owned()),
                ("roltype".to_owned(), "required".to_owned()),
                ("roltoelichting".to_owned(), "required".to_owned()),
            ]
        );
    }

    #[test]
    fn an_unknown_choice_and_an_overlong_text_are_refused_with_their_codes() {
        let spec = Spec::of(PartKind::Zaakobject);
        let body = json!({"zaak": "http://x.nl/z/1", "objectType": "kasteel",
            "relatieomschrijving": "x".repeat(81)});
        assert_eq!(
            errors(parse(spec, &body)),
            vec![
                ("objectType".to_owned(), "invalid_choice".to_owned()),
                ("relatieomschrijving".to_owned(), "max_length".to_owned()),
            ]
        );
    }

    #[test]
    fn absent_optional_fields_are_stored_as_the_standard_renders_them() {
        let spec = Spec::of(PartKind::Zaakinformatieobject);
        let body = json!({"zaak": "http://x.nl/z/1", "informatieobject": "http://x.nl/d/1"});
        let a = parse(spec, &body).unwrap();
        assert_eq!(a["titel"], "");
        assert_eq!(a["vernietigingsdatum"], Value::Null);
        assert_eq!(a["status"], Value::Null);
    }

    #[test]
    fn a_fixed_field_may_not_change() {
        let spec = Spec::of(PartKind::Zaakinformatieobject);
        let old = parse(
            spec,
            &json!({"zaak": "http://x.nl/z/1", "informatieobject": "http://x.nl/d/1"}),
        )
        .unwrap();
        let new = parse(
            spec,
            &json!({"zaak": "http://x.nl/z/1", "informatieobject": "http://x.nl/d/2"}),
        )
        .unwrap();
        assert!(check_immutable(spec, &old, &old).is_ok());
        assert!(
            matches!(check_immutable(spec, &old, &new), Err(ApiError::Validation(v)) if v[0].name == "informatieobject")
        );
    }
}
