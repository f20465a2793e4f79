//! A Catalogi API request body to attributes, read field by field from the tables in
//! `schema`, every problem an invalidParam with the standard's code. Absent optional fields
//! get their empty value, so the stored attributes always hold every writable field.

use event_schemas::catalogus::ObjectAttributes;
use serde_json::{json, Value};

use super::schema::{Field, Ty};
use crate::error::ApiError;
use crate::fields::{Fields, Presence};

/// The attributes `body` gives for `table`; the references are checked by `references`.
pub fn parse(table: &[Field], body: &Value) -> Result<ObjectAttributes, ApiError> {
    let mut f = Fields::new(body)?;
    let attributes = read(&mut f, table);
    f.finish(|| attributes)
}

/// A PATCH body laid over the stored attributes: only the writable fields it names change.
pub fn merge_patch(
    table: &[Field],
    current: &ObjectAttributes,
    patch: &Value,
) -> Result<Value, ApiError> {
    let Value::Object(patch) = patch else {
        return Err(ApiError::invalid(
            "nonFieldErrors",
            "invalid",
            "Ongeldige data. Verwacht een dictionary.",
        ));
    };
    let mut merged = current.clone();
    for (k, v) in patch {
        if table.iter().any(|f| f.name == k) {
            merged.insert(k.clone(), v.clone());
        }
    }
    Ok(Value::Object(merged))
}

fn read(f: &mut Fields<'_>, table: &[Field]) -> ObjectAttributes {
    let mut out = ObjectAttributes::new();
    for field in table {
        if let Some(value) = value(f, field).or_else(|| empty(field)) {
            out.insert(field.name.to_owned(), value);
        }
    }
    out
}

/// What an absent field is stored as; an optional object that cannot be null stays absent.
fn empty(field: &Field) -> Option<Value> {
    Some(match (field.ty, field.presence) {
        (_, Presence::Nullable) => Value::Null,
        (Ty::Object(_), Presence::Optional) => return None,
        (Ty::Texts(_) | Ty::Urls(_) | Ty::Refs(_) | Ty::Objects(_), _) => json!([]),
        (Ty::Bool, _) => json!(false),
        (Ty::Date | Ty::Int(..) | Ty::Duration | Ty::NonZeroDuration | Ty::Object(_), _) => {
            Value::Null
        }
        _ => json!(""),
    })
}

fn value(f: &mut Fields<'_>, field: &Field) -> Option<Value> {
    let (name, presence) = (field.name, field.presence);
    match field.ty {
        Ty::Text(max) => f.string(name, max, presence).map(Value::from),
        Ty::Email(max) => email(f, name, max, presence),
        Ty::Url(max) => f.url(name, max, presence).map(Value::from),
        Ty::Catalogus | Ty::Ref(_) => f.url(name, 1000, presence).map(Value::from),
        Ty::Date => f.date(name, presence).map(|d| json!(d)),
        Ty::Bool => f.boolean(name, presence).map(Value::from),
        Ty::Int(min, max) => integer(f, name, (min, max), presence),
        Ty::Duration => f.duration(name, presence).map(Value::from),
        Ty::NonZeroDuration => {
            let d = f.duration(name, presence)?;
            if d.chars().all(|c| !c.is_ascii_digit() || c == '0') {
                f.error(
                    name,
                    "empty-duration",
                    "duration cannot be empty, null may be allowed",
                );
                return None;
            }
            Some(d.into())
        }
        Ty::Choice(choices) => choice(f, name, choices, presence),
        Ty::Texts(max) => f.string_list(name, max, presence).map(|v| json!(v)),
        Ty::Urls(max) => urls(f, name, max, presence),
        Ty::Refs(_) => urls(f, name, 1000, presence),
        Ty::Object(table) => nested(f, name, table, presence),
        Ty::Objects(table) => nested_list(f, name, table, presence),
    }
}

fn email(f: &mut Fields<'_>, name: &str, max: usize, presence: Presence) -> Option<Value> {
    let s = f.string(name, max, presence)?;
    let valid = s.is_empty()
        || s.split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    if !valid {
        f.error(name, "invalid", "Voer een geldig e-mailadres in.");
        return None;
    }
    Some(s.into())
}

fn integer(
    f: &mut Fields<'_>,
    name: &str,
    (min, max): (i64, i64),
    presence: Presence,
) -> Option<Value> {
    let v = f.raw_value(name, presence)?;
    match crate::fields::as_integer(&v) {
        None => f.error(name, "invalid", "Een geldig getal is vereist."),
        Some(n) if n < min => f.error(
            name,
            "min_value",
            format!("Zorg ervoor dat deze waarde groter is dan of gelijk aan {min}."),
        ),
        Some(n) if n > max => f.error(
            name,
            "max_value",
            format!("Zorg ervoor dat deze waarde kleiner is dan of gelijk aan {max}."),
        ),
        Some(n) => return Some(n.into()),
    }
    None
}

fn choice(f: &mut Fields<'_>, name: &str, choices: &[&str], presence: Presence) -> Option<Value> {
    let v = f.raw_value(name, presence)?;
    match v.as_str() {
        Some(s) if choices.contains(&s) => Some(v),
        _ => {
            f.error(
                name,
                "invalid_choice",
                format!("{v} is een ongeldige keuze."),
            );
            None
        }
    }
}

fn urls(f: &mut Fields<'_>, name: &str, max: usize, presence: Presence) -> Option<Value> {
    let list = f.string_list(name, max, presence)?;
    if list.iter().any(|u| !crate::fields::is_http_url(u)) {
        f.error(name, "invalid", "Voer een geldige URL in.");
        return None;
    }
    Some(json!(list))
}

fn nested(f: &mut Fields<'_>, name: &str, table: &[Field], presence: Presence) -> Option<Value> {
    let v = f.raw_value(name, presence)?;
    let mut inner = match Fields::new(&v) {
        Ok(inner) => inner,
        Err(_) => {
            f.error(name, "invalid", "Ongeldige data. Verwacht een dictionary.");
            return None;
        }
    };
    let attributes = read(&mut inner, table);
    let ok = inner.errors.is_empty();
    f.absorb(name, inner);
    ok.then_some(Value::Object(attributes))
}

fn nested_list(
    f: &mut Fields<'_>,
    name: &str,
    table: &[Field],
    presence: Presence,
) -> Option<Value> {
    let v = f.raw_value(name, presence)?;
    let Some(items) = v.as_array() else {
        f.error(name, "not_a_list", "Verwachtte een lijst met items.");
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Ok(mut inner) = Fields::new(item) else {
            f.error(&format!("{name}.{i}"), "invalid", "Ongeldige data.");
            continue;
        };
        out.push(Value::Object(read(&mut inner, table)));
        f.absorb(&format!("{name}.{i}"), inner);
    }
    Some(json!(out))
}

#[cfg(test)]
mod tests {
    use event_schemas::catalogus::ObjectKind;
    use serde_json::json;

    use super::*;
    use crate::catalogi::schema::{fields, CATALOGUS};

    fn codes(e: ApiError) -> Vec<(String, String)> {
        match e {
            ApiError::Validation(p) => p.into_iter().map(|p| (p.name, p.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_statustype_without_required_fields_names_each_one() {
        let got = codes(parse(fields(ObjectKind::Statustype), &json!({})).unwrap_err());
        assert_eq!(
            got,
            [
                ("zaaktype".into(), "required".into()),
                ("omschrijving".into(), "required".into()),
                ("volgnummer".into(), "required".into()),
            ]
        );
    }

    #[test]
    fn a_volgnummer_out_of_range_and_a_bad_duration_are_refused() {
        let body = json!({"zaaktype": "http://x/zt/1", "omschrijving": "Intake",
            "volgnummer": 10000, "doorlooptijd": "vijf dagen"});
        let got = codes(parse(fields(ObjectKind::Statustype), &body).unwrap_err());
        assert_eq!(
            got,
            [
                ("volgnummer".into(), "max_value".into()),
                ("doorlooptijd".into(), "invalid".into()),
            ]
        );
    }

    #[test]
    fn nested_problems_are_named_with_their_path() {
        let body = json!({"zaaktype": "http://x/zt/1", "omschrijving": "Verleend",
            "resultaattypeomschrijving": "http://x/r", "selectielijstklasse": "http://x/s",
            "brondatumArchiefprocedure": {"afleidingswijze": "ooit"}});
        let got = codes(parse(fields(ObjectKind::Resultaattype), &body).unwrap_err());
        assert_eq!(
            got,
            [(
                "brondatumArchiefprocedure.afleidingswijze".into(),
                "invalid_choice".into()
            )]
        );
    }

    #[test]
    fn an_empty_servicenorm_is_refused_but_null_is_allowed() {
        let zaaktype = fields(ObjectKind::Zaaktype);
        for empty in ["P0D", "PT0S", "P0Y0M"] {
            let got = codes(parse(zaaktype, &json!({"servicenorm": empty})).unwrap_err());
            assert!(
                got.contains(&("servicenorm".into(), "empty-duration".into())),
                "{empty}"
            );
        }
        let got = codes(parse(zaaktype, &json!({"servicenorm": null})).unwrap_err());
        assert!(got.iter().all(|(name, _)| name != "servicenorm"));
    }

    #[test]
    fn absent_optional_fields_are_stored_empty() {
        let body = json!({"domein": "ABC", "rsin": "517439943", "contactpersoonBeheerNaam": "Ad"});
        let a = parse(CATALOGUS, &body).unwrap();
        assert_eq!(a["contactpersoonBeheerEmailadres"], "");
        assert_eq!(a["naam"], Value::Null);
    }
}
