//! Reading a JSON request body field by field, collecting every problem as an invalidParam
//! with the standard's codes (required, null, blank, max_length, invalid, invalid_choice).

use std::cell::RefCell;
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use crate::error::{ApiError, InvalidParam};

/// The standard's ObjectTypeEnum (a zaakobject's objectType, a resultaattype's
/// brondatumArchiefprocedure.objecttype), with the blank value first.
pub const OBJECT_TYPES_OR_BLANK: &[&str] = &[
    "",
    "adres",
    "besluit",
    "buurt",
    "enkelvoudig_document",
    "gemeente",
    "gemeentelijke_openbare_ruimte",
    "huishouden",
    "inrichtingselement",
    "kadastrale_onroerende_zaak",
    "kunstwerkdeel",
    "maatschappelijke_activiteit",
    "medewerker",
    "natuurlijk_persoon",
    "niet_natuurlijk_persoon",
    "openbare_ruimte",
    "organisatorische_eenheid",
    "pand",
    "spoorbaandeel",
    "status",
    "terreindeel",
    "terrein_gebouwd_object",
    "vestiging",
    "waterdeel",
    "wegdeel",
    "wijk",
    "woonplaats",
    "woz_deelobject",
    "woz_object",
    "woz_waarde",
    "zakelijk_recht",
    "overige",
];

/// The ObjectTypeEnum without the blank value.
pub const OBJECT_TYPES: &[&str] = match OBJECT_TYPES_OR_BLANK.split_first() {
    Some((_, rest)) => rest,
    None => &[],
};

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

thread_local! {
    /// While [`describe`] runs a parser: the fields read, a frame per nested object.
    static RECORDING: RefCell<Vec<Vec<(String, Value, Presence)>>> = const { RefCell::new(Vec::new()) };
}

static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

/// The fields a request parser reads, as an OpenAPI object schema: `parse` is run on an
/// empty body while every accessor of [`Fields`] notes its field's name, type, limits and
/// presence. What the parser validates is thereby what the document says, by construction.
pub fn describe(parse: impl FnOnce(&Value)) -> Value {
    RECORDING.with(|r| r.borrow_mut().push(Vec::new()));
    parse(&Value::Object(Map::new()));
    let fields = RECORDING.with(|r| r.borrow_mut().pop()).unwrap_or_default();
    object_schema(fields)
}

fn recording() -> bool {
    RECORDING.with(|r| !r.borrow().is_empty())
}

fn object_schema(fields: Vec<(String, Value, Presence)>) -> Value {
    crate::openapi::schema_object(
        fields
            .iter()
            .map(|(name, schema, presence)| {
                let mut schema = schema.clone();
                if *presence == Presence::Nullable {
                    schema["nullable"] = json!(true);
                }
                (name.as_str(), schema, *presence == Presence::Required)
            })
            .collect(),
    )
}

/// The values of an enumeration `T` (serde's message for an unknown variant lists them).
fn variants<T: DeserializeOwned>() -> Option<Vec<String>> {
    let message = serde_json::from_value::<T>(json!("\u{1}"))
        .err()?
        .to_string();
    let (_, expected) = message.split_once("expected ")?;
    let values: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    (!values.is_empty()).then_some(values)
}

impl<'a> Fields<'a> {
    /// While describing (see [`describe`]): notes a field, the first note of a name winning
    /// (`url` notes before the `string` it calls).
    fn note(&self, name: &str, schema: Value, presence: Presence) {
        if !recording() {
            return;
        }
        RECORDING.with(|r| {
            if let Some(frame) = r.borrow_mut().last_mut() {
                if !frame.iter().any(|(n, ..)| n == name) {
                    frame.push((name.to_owned(), schema, presence));
                }
            }
        });
    }

    /// Declares a field the parser reads itself rather than through an accessor (passed on
    /// as it is, or decoded by hand), so [`describe`] lists it too.
    pub fn declare(&self, name: &str, schema: Value, presence: Presence) {
        self.note(name, schema, presence);
    }

    /// While describing: runs `read` on an empty nested object, its fields in a frame of
    /// their own, and returns their schema.
    fn describe_nested<T>(read: impl FnOnce(&mut Fields<'a>) -> T) -> Value {
        RECORDING.with(|r| r.borrow_mut().push(Vec::new()));
        let mut inner = Fields {
            obj: &EMPTY,
            errors: Vec::new(),
        };
        read(&mut inner);
        let fields = RECORDING.with(|r| r.borrow_mut().pop()).unwrap_or_default();
        object_schema(fields)
    }

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

    /// A string of at most `max` characters; blank allowed unless required. As the
    /// reference serializers (DRF's CharField) do, a number is taken as its text and
    /// surrounding whitespace is trimmed.
    pub fn string(&mut self, name: &str, max: usize, presence: Presence) -> Option<String> {
        self.note(name, string_schema(max), presence);
        let v = self.raw(name, presence)?;
        let Some(s) = as_text(v) else {
            self.error(name, "invalid", "Geen geldige string.");
            return None;
        };
        let s = s.trim();
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

    /// An RSIN (9 digits passing the 11-proef); blank allowed unless required. The codes
    /// are the reference's (`only-digits`, `invalid-length`, `invalid`).
    pub fn rsin(&mut self, name: &str, presence: Presence) -> Option<String> {
        self.note(name, json!({"type": "string", "maxLength": 9}), presence);
        let s = self.string(name, usize::MAX, presence)?;
        if s.is_empty() {
            return Some(s);
        }
        match domain::Rsin::parse(&s) {
            Ok(r) => Some(r.as_str().to_owned()),
            Err(e) => {
                self.error(name, e.code(), e.to_string());
                None
            }
        }
    }

    /// An absolute http(s) URL of at most `max` characters (blank allowed unless required).
    pub fn url(&mut self, name: &str, max: usize, presence: Presence) -> Option<String> {
        let mut schema = string_schema(max);
        schema["format"] = json!("uri");
        self.note(name, schema, presence);
        let s = self.string(name, max, presence)?;
        if s.is_empty() || is_http_url(&s) {
            Some(s)
        } else {
            self.error(name, "invalid", "Voer een geldige URL in.");
            None
        }
    }

    pub fn date(&mut self, name: &str, presence: Presence) -> Option<NaiveDate> {
        self.note(name, json!({"type": "string", "format": "date"}), presence);
        let s = self.raw(name, presence)?.as_str();
        match s.and_then(crate::iso8601::parse_date) {
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

    /// A date-time; one without offset is UTC, as in the reference (`iso8601`).
    pub fn datetime(&mut self, name: &str, presence: Presence) -> Option<DateTime<Utc>> {
        self.note(
            name,
            json!({"type": "string", "format": "date-time"}),
            presence,
        );
        let s = self.raw(name, presence)?.as_str();
        match s.and_then(crate::iso8601::parse_datetime) {
            Some(d) => Some(d),
            None => {
                self.error(name, "invalid", "Datetime heeft een verkeerd formaat.");
                None
            }
        }
    }

    /// An ISO 8601 duration such as `P1Y2M10D`, `P6W` or `PT36H`.
    pub fn duration(&mut self, name: &str, presence: Presence) -> Option<String> {
        self.note(
            name,
            json!({"type": "string", "format": "duration"}),
            presence,
        );
        let s = self.raw(name, presence)?.as_str();
        match s.filter(|s| is_duration(s)) {
            Some(s) => Some(s.to_owned()),
            None => {
                self.error(
                    name,
                    "invalid",
                    "Ongeldige duur: gebruik ISO 8601, bijvoorbeeld P30D.",
                );
                None
            }
        }
    }

    /// A value of an enumeration (serde snake_case names).
    pub fn choice<T: DeserializeOwned>(&mut self, name: &str, presence: Presence) -> Option<T> {
        if recording() {
            let schema = match variants::<T>() {
                Some(values) => json!({"type": "string", "enum": values}),
                None => json!({"type": "string"}),
            };
            self.note(name, schema, presence);
        }
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

    /// One of `choices` (DRF's ChoiceField: anything else is `invalid_choice`).
    pub fn one_of(&mut self, name: &str, choices: &[&str], presence: Presence) -> Option<String> {
        self.note(name, json!({"type": "string", "enum": choices}), presence);
        let v = self.raw(name, presence)?;
        match v.as_str() {
            Some(s) if choices.contains(&s) => Some(s.to_owned()),
            _ => {
                self.error(
                    name,
                    "invalid_choice",
                    format!("{v} is een ongeldige keuze."),
                );
                None
            }
        }
    }

    /// A value of an enumeration, where blank (and null) mean none.
    pub fn blank_or_choice<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        if recording() {
            let mut values = variants::<T>().unwrap_or_default();
            values.insert(0, String::new());
            self.note(
                name,
                json!({"type": "string", "enum": values}),
                Presence::Optional,
            );
        }
        match self.raw(name, Presence::Nullable) {
            None => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(_) => self.choice(name, Presence::Nullable),
        }
    }

    /// A boolean; like DRF's BooleanField, also `"true"`/`"false"`, `1`/`0` and their kin.
    pub fn boolean(&mut self, name: &str, presence: Presence) -> Option<bool> {
        self.note(name, json!({"type": "boolean"}), presence);
        let v = self.raw(name, presence)?;
        let b = as_boolean(v);
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
        self.note(
            name,
            json!({"type": "array", "items": string_schema(max)}),
            presence,
        );
        let v = self.raw(name, presence)?;
        let Some(items) = v.as_array() else {
            self.error(name, "not_a_list", "Verwachtte een lijst met items.");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match as_text(item).as_deref().map(str::trim) {
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

    /// Whether the body names `name` (null included).
    pub fn has(&self, name: &str) -> bool {
        self.obj.contains_key(name)
    }

    /// A string that must be present but may be blank (the reference's `required` with
    /// `allow_blank`, as in a gegevensgroep).
    pub fn present_string(&mut self, name: &str, max: usize) -> Option<String> {
        self.note(name, string_schema(max), Presence::Required);
        if !self.has(name) {
            self.error(name, "required", "Dit veld is vereist.");
            return None;
        }
        self.string(name, max, Presence::Optional)
    }

    /// A nested object read field by field by `read`; its problems are named
    /// `{name}.{field}`, as the reference reports a nested serializer's. `None` when it is
    /// absent (or null where allowed) or has a problem.
    pub fn object<T>(
        &mut self,
        name: &str,
        presence: Presence,
        read: impl FnOnce(&mut Fields<'a>) -> T,
    ) -> Option<T> {
        if recording() {
            let schema = Self::describe_nested(read);
            self.note(name, schema, presence);
            return None;
        }
        let v = self.raw(name, presence)?;
        let Value::Object(obj) = v else {
            self.error(name, "invalid", "Ongeldige data. Verwacht een dictionary.");
            return None;
        };
        let mut inner = Fields {
            obj,
            errors: Vec::new(),
        };
        let value = read(&mut inner);
        let ok = inner.errors.is_empty();
        self.absorb(name, inner);
        ok.then_some(value)
    }

    /// A list of nested objects, each read by `read`; problems are named
    /// `{name}.{index}.{field}`. `None` when absent or when any item has a problem.
    pub fn objects<T>(
        &mut self,
        name: &str,
        presence: Presence,
        mut read: impl FnMut(&mut Fields<'a>) -> T,
    ) -> Option<Vec<T>> {
        if recording() {
            let items = Self::describe_nested(read);
            self.note(name, json!({"type": "array", "items": items}), presence);
            return None;
        }
        let v = self.raw(name, presence)?;
        let Some(items) = v.as_array() else {
            self.error(name, "not_a_list", "Verwachtte een lijst met items.");
            return None;
        };
        let (mut out, mut ok) = (Vec::with_capacity(items.len()), true);
        for (i, item) in items.iter().enumerate() {
            let Value::Object(obj) = item else {
                self.error(
                    &format!("{name}.{i}"),
                    "invalid",
                    "Ongeldige data. Verwacht een dictionary.",
                );
                ok = false;
                continue;
            };
            let mut inner = Fields {
                obj,
                errors: Vec::new(),
            };
            out.push(read(&mut inner));
            ok &= inner.errors.is_empty();
            self.absorb(&format!("{name}.{i}"), inner);
        }
        ok.then_some(out)
    }

    /// Takes the problems of a nested object's fields, named `{prefix}.{field}`.
    pub fn absorb(&mut self, prefix: &str, nested: Fields<'_>) {
        for mut e in nested.errors {
            e.name = format!("{prefix}.{}", e.name);
            self.errors.push(e);
        }
    }

    pub fn raw_value(&mut self, name: &str, presence: Presence) -> Option<Value> {
        self.note(name, json!({}), presence);
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

fn string_schema(max: usize) -> Value {
    if max == usize::MAX {
        json!({"type": "string"})
    } else {
        json!({"type": "string", "maxLength": max})
    }
}

/// A string, or a number as its text (DRF's CharField takes `20` as `"20"`); not a boolean,
/// list or object.
pub fn as_text(v: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match v {
        Value::String(s) => Some(s.as_str().into()),
        Value::Number(n) => Some(n.to_string().into()),
        _ => None,
    }
}

/// A boolean as DRF's BooleanField reads it.
pub fn as_boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => {
            let x = n.as_f64()?;
            if x == 1.0 {
                Some(true)
            } else if x == 0.0 {
                Some(false)
            } else {
                None
            }
        }
        Value::String(s) => match s.as_str() {
            "t" | "T" | "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on"
            | "On" | "ON" | "1" => Some(true),
            "f" | "F" | "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off"
            | "Off" | "OFF" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An integer as DRF's IntegerField reads it: a number without fraction, or its text.
pub fn as_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|x| x.fract() == 0.0 && x.abs() < 9e15)
                .map(|x| x as i64)
        }),
        Value::String(s) => {
            let s = s.trim();
            let s = s.strip_suffix(".0").unwrap_or(s);
            s.parse().ok()
        }
        _ => None,
    }
}

/// `P[nY][nM][nW][nD][T[nH][nM][n[.n]S]]` with at least one part (and one after `T`).
pub fn is_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let parts = |text: &str, units: &str, fraction: bool| -> Option<usize> {
        let (mut count, mut number, mut last) = (0, String::new(), None);
        for c in text.chars() {
            if c.is_ascii_digit() || (fraction && c == '.' && !number.is_empty()) {
                number.push(c);
                continue;
            }
            let at = units.find(c)?;
            if number.is_empty() || last.is_some_and(|l| at <= l) {
                return None;
            }
            (count, last) = (count + 1, Some(at));
            number.clear();
        }
        number.is_empty().then_some(count)
    };
    match (
        parts(date, "YMWD", false),
        time.map(|t| parts(t, "HMS", true)),
    ) {
        (Some(d), None) => d > 0,
        (Some(_), Some(Some(t))) => t > 0,
        _ => false,
    }
}

pub fn is_http_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

#[cfg(test)]
mod tests {
    use super::is_duration;

    #[test]
    fn iso_8601_durations_are_recognised() {
        for ok in ["P30D", "P1Y2M10D", "P6W", "PT36H", "P1DT12H30M", "PT0.5S"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in [
            "",
            "P",
            "30D",
            "PT",
            "P1H",
            "PD",
            "P1D2Y",
            "P1.5D",
            "vijf dagen",
        ] {
            assert!(!is_duration(bad), "{bad}");
        }
    }
}
