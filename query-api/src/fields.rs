//! Reading a JSON request body field by field, collecting every problem as an invalidParam
//! with the standard's codes (required, null, blank, max_length, invalid, invalid_choice).

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{ApiError, InvalidParam};

pub struct Fields<'a> {
    obj: &'a Map<String, Value>,
    pub errors: Vec<InvalidParam>,
}

/// Whether a field must be present, and whether null is allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Required,
    Optional,
    Nullable,
}

impl<'a> Fields<'a> {
    pub fn new(body: &'a Value) -> Result<Self, ApiError> {
        match body {
            Value::Object(obj) => Ok(Self {
                obj,
                errors: Vec::new(),
            }),
            _ => Err(ApiError::invalid(
                "nonFieldErrors",
                "invalid",
                "Ongeldige data. Verwacht een dictionary.",
            )),
        }
    }

    pub fn error(&mut self, name: &str, code: &str, reason: impl Into<String>) {
        self.errors.push(InvalidParam::new(name, code, reason));
    }

    /// The raw value; `None` when absent, or null where null is allowed.
    fn raw(&mut self, name: &str, presence: Presence) -> Option<&'a Value> {
        match (self.obj.get(name), presence) {
            (None, Presence::Required) => {
                self.error(name, "required", "Dit veld is vereist.");
                None
            }
            (Some(Value::Null), Presence::Nullable) | (None, _) => None,
            (Some(Value::Null), _) => {
                self.error(name, "null", "Dit veld mag niet leeg zijn.");
                None
            }
            (Some(v), _) => Some(v),
        }
    }

    /// A string of at most `max` characters; blank allowed unless required.
    pub fn string(&mut self, name: &str, max: usize, presence: Presence) -> Option<String> {
        let v = self.raw(name, presence)?;
        let Some(s) = v.as_str() else {
            self.error(name, "invalid", "Geen geldige string.");
            return None;
        };
        if s.is_empty() && presence == Presence::Required {
            self.error(name, "blank", "Dit veld mag niet leeg zijn.");
            return None;
        }
        if s.chars().count() > max {
            self.error(
                name,
                "max_length",
                format!("Zorg ervoor dat dit veld niet meer dan {max} karakters bevat."),
            );
            return None;
        }
        Some(s.to_owned())
    }

    /// An absolute http(s) URL of at most `max` characters (blank allowed unless required).
    pub fn url(&mut self, name: &str, max: usize, presence: Presence) -> Option<String> {
        let s = self.string(name, max, presence)?;
        if s.is_empty() || is_http_url(&s) {
            Some(s)
        } else {
            self.error(name, "invalid", "Voer een geldige URL in.");
            None
        }
    }

    pub fn date(&mut self, name: &str, presence: Presence) -> Option<NaiveDate> {
        let s = self.raw(name, presence)?.as_str();
        match s.and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()) {
            Some(d) => Some(d),
            None => {
                self.error(
                    name,
                    "invalid",
                    "Datum heeft het verkeerde formaat. Gebruik een van deze formaten: YYYY-MM-DD.",
                );
                None
            }
        }
    }

    pub fn datetime(&mut self, name: &str, presence: Presence) -> Option<DateTime<Utc>> {
        let s = self.raw(name, presence)?.as_str();
        match s.and_then(|s| DateTime::parse_from_rfc3339(s).ok()) {
            Some(d) => Some(d.with_timezone(&Utc)),
            None => {
                self.error(name, "invalid", "Datetime heeft een verkeerd formaat.");
                None
            }
        }
    }

    /// A value of an enumeration (serde snake_case names).
    pub fn choice<T: DeserializeOwned>(&mut self, name: &str, presence: Presence) -> Option<T> {
        let v = self.raw(name, presence)?;
        match serde_json::from_value(v.clone()) {
            Ok(t) => Some(t),
            Err(_) => {
                self.error(
                    name,
                    "invalid_choice",
                    format!("{v} is een ongeldige keuze."),
                );
                None
            }
        }
    }

    /// A nested object or list, decoded as a whole.
    pub fn nested<T: DeserializeOwned>(&mut self, name: &str, presence: Presence) -> Option<T> {
        let v = self.raw(name, presence)?;
        match serde_json::from_value(v.clone()) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(name, "invalid", format!("Ongeldige waarde: {e}"));
                None
            }
        }
    }

    pub fn boolean(&mut self, name: &str, presence: Presence) -> Option<bool> {
        let v = self.raw(name, presence)?;
        let b = v.as_bool();
        if b.is_none() {
            self.error(name, "invalid", "Moet een geldige boolean zijn.");
        }
        b
    }

    /// A list of non-blank strings of at most `max` characters each.
    pub fn string_list(
        &mut self,
        name: &str,
        max: usize,
        presence: Presence,
    ) -> Option<Vec<String>> {
        let v = self.raw(name, presence)?;
        let Some(items) = v.as_array() else {
            self.error(name, "not_a_list", "Verwachtte een lijst met items.");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.as_str() {
                Some("") => self.error(name, "blank", "Dit veld mag niet leeg zijn."),
                Some(s) if s.chars().count() > max => self.error(
                    name,
                    "max_length",
                    format!("Zorg ervoor dat dit veld niet meer dan {max} karakters bevat."),
                ),
                Some(s) => out.push(s.to_owned()),
                None => self.error(name, "invalid", "Geen geldige string."),
            }
        }
        Some(out)
    }

    /// Takes the problems of a nested object's fields, named `{prefix}.{field}`.
    pub fn absorb(&mut self, prefix: &str, nested: Fields<'_>) {
        for mut e in nested.errors {
            e.name = format!("{prefix}.{}", e.name);
            self.errors.push(e);
        }
    }

    pub fn raw_value(&mut self, name: &str, presence: Presence) -> Option<Value> {
        self.raw(name, presence).cloned()
    }

    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, ApiError> {
        if self.errors.is_empty() {
            Ok(value())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

pub fn is_http_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}
