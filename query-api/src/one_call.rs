//! What Open Zaak's one-call endpoints share over HTTP (zaken, documenten, besluiten): the
//! body's required parts, each part's refusals named under it (`rollen.0.roltype`), a part
//! completed with the resource it belongs to, and the reservation of numbers.

use serde_json::{json, Map, Value};

use crate::error::{ApiError, InvalidParam};
use crate::fields::{as_integer, Fields, Presence};
use commands::WriteError;

/// A part of the body's refusals, named under `prefix`.
pub fn under(prefix: &str) -> impl Fn(ApiError) -> ApiError + '_ {
    move |e| WriteError::from(e).nested(prefix).into()
}

/// The body as an object whose `keys` are all there and not null (all missing ones at once).
pub fn require_keys<'b>(
    body: &'b Value,
    keys: &[&str],
) -> Result<&'b Map<String, Value>, ApiError> {
    let object = Fields::new(body).and(body.as_object().ok_or(ApiError::NotFound))?;
    let missing: Vec<InvalidParam> = keys
        .iter()
        .filter(|k| object.get(**k).is_none_or(Value::is_null))
        .map(|k| InvalidParam::new(*k, "required", "Dit veld is vereist."))
        .collect();
    if missing.is_empty() {
        Ok(object)
    } else {
        Err(ApiError::Validation(missing))
    }
}

/// A part with `field` (the resource it belongs to) set to `url`: what a client sent there
/// is replaced, as in Open Zaak.
pub fn with(part: &Value, field: &str, url: &str) -> Value {
    let mut part = part.clone();
    if let Value::Object(o) = &mut part {
        o.insert(field.into(), json!(url));
    }
    part
}

/// Two refusals as one (the invalidParams of both).
pub fn merge(a: ApiError, b: ApiError) -> ApiError {
    match (a, b) {
        (ApiError::Validation(mut a), ApiError::Validation(b)) => {
            a.extend(b);
            ApiError::Validation(a)
        }
        (a, _) => a,
    }
}

/// A reservation body: its `bronorganisatie` (an RSIN) and `aantal` (1 when absent).
pub fn reservation(body: &Value) -> Result<(String, u32), ApiError> {
    let mut f = Fields::new(body)?;
    let bronorganisatie = f.rsin("bronorganisatie", Presence::Required);
    let aantal = match f.raw_value("aantal", Presence::Nullable) {
        None => Some(1),
        Some(v) => match as_integer(&v) {
            Some(n) if n >= 1 => Some(u32::try_from(n).unwrap_or(u32::MAX)),
            Some(_) => {
                f.error(
                    "aantal",
                    "min_value",
                    "Zorg ervoor dat deze waarde groter of gelijk is aan 1.",
                );
                None
            }
            None => {
                f.error("aantal", "invalid", "Een geldig getal is vereist.");
                None
            }
        },
    };
    let (bronorganisatie, aantal) = f.finish(|| (bronorganisatie, aantal))?;
    match (bronorganisatie, aantal) {
        (Some(b), Some(a)) => Ok((b, a)),
        _ => Err(ApiError::internal("validated fields are missing")),
    }
}

/// Reserved numbers as Open Zaak answers them: one as `{field: number}`, several as a list.
pub fn reserved(field: &str, aantal: u32, numbers: &[String]) -> Value {
    let one = |n: &String| json!({ field: n });
    match numbers {
        [n] if aantal == 1 => one(n),
        many => many.iter().map(one).collect(),
    }
}
