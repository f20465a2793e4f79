//! The query parameters of the Klantinteracties lists as SQL conditions on real columns.
//! Unknown parameters are refused (400), an empty value filters nothing (django-filter).
//! The filters on a partij's identificatoren are ONE `EXISTS` on the same identificator
//! (and those on the identificator it is a sub-identificator of, another): a partij is
//! listed once however many of its identificatoren match, unlike Open Klant's joins.

use projections::render::Urls;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::error::{ApiError, InvalidParam};
use crate::openapi::params::{param, ParamType, QueryParam, EXPAND, PAGING};
use crate::pagination::Paging;

pub enum Filter {
    /// Equality on a text column.
    Text(&'static str),
    /// Equality on a boolean column.
    Bool(&'static str),
    /// One of the values, on a text column.
    Choice(&'static str, &'static [&'static str]),
    /// Equality on a column of the partij's identificator (all such in one EXISTS).
    Identificator(&'static str),
    /// Equality on a column of the identificator a partij's identificator is under.
    SubIdentificator(&'static str),
    /// A uuid in the partij's `vertegenwoordigden`.
    Vertegenwoordigde,
    /// The URL of one of our partijen in the partij's `vertegenwoordigden`.
    VertegenwoordigdeUrl,
    /// Case-insensitive containment in a text column.
    IContains(&'static str),
    /// A date (ISO, stored as text) compared with `op` (`=`, `>`, `>=`, `<`, `<=`).
    Date(&'static str, &'static str),
    /// true: the column is set; false: it is not.
    Set(&'static str),
    /// The uuid of the part's partij.
    Partij,
    /// The resource's own uuid.
    Uuid,
    /// Another partij named by the part, by uuid (a text column of its uuid).
    OtherPartij(&'static str),
    /// Another partij named by the part, by the URL of one of ours.
    OtherPartijUrl(&'static str),
    /// The URL of one of our partijen, as the part's partij.
    PartijUrl,
    /// A column of the part's partij (in `partijen`).
    OfPartij(&'static str),
    /// A uuid in an array column (a klantcontact's betrokkenen, their partijen, its
    /// onderwerpobjecten).
    InArray(&'static str),
    /// The uuid in the URL of one of our resources under the path, as a text column.
    UrlUnder(&'static str, &'static str),
    /// A uuid, bound where the SQL condition says `{}` (`o.klantcontact = {}`,
    /// `EXISTS (SELECT 1 ... WHERE x.uuid = {})`): a relation to another read model.
    UuidIn(&'static str),
    /// The uuid in the URL of one of our resources under the path, bound as [`Self::UuidIn`].
    UrlIn(&'static str, &'static str),
    /// A text, bound as [`Self::UuidIn`].
    TextIn(&'static str),
    /// A text contained in (`ILIKE`, case-insensitive), bound as [`Self::UuidIn`].
    ContainsIn(&'static str),
    /// true: the subquery finds a row; false: it finds none.
    Exists(&'static str),
}

/// The query parameters of a list with `filters`, for the OpenAPI document.
pub fn parameters(filters: &[(&'static str, Filter)], expand: bool) -> Vec<QueryParam> {
    let expand = if expand { &[EXPAND][..] } else { &[] };
    PAGING
        .iter()
        .copied()
        .chain(filters.iter().map(|(name, filter)| {
            let ty = match filter {
                Filter::Bool(_) | Filter::Set(_) | Filter::Exists(_) => ParamType::Bool,
                Filter::Choice(_, values) => ParamType::Choice(values),
                Filter::Vertegenwoordigde
                | Filter::Partij
                | Filter::Uuid
                | Filter::OtherPartij(_)
                | Filter::UuidIn(_)
                | Filter::InArray(_) => ParamType::Uuid,
                Filter::UrlUnder(..) | Filter::UrlIn(..) => ParamType::Url,
                Filter::OtherPartijUrl(_) => ParamType::Url,
                Filter::VertegenwoordigdeUrl | Filter::PartijUrl => ParamType::Url,
                Filter::Date(..) => ParamType::Date,
                _ => ParamType::Text,
            };
            param(name, ty)
        }))
        .chain(expand.iter().copied())
        .collect()
}

enum Value {
    Text(String),
    Bool(bool),
    /// The uuid is in the array column.
    InArray(Uuid),
    /// The column equals the uuid.
    Uuid(Uuid),
    /// `ILIKE` the text anywhere.
    Contains(String),
    /// Compared with the operator.
    Compare(&'static str, String),
    /// The column is (true) or is not (false) set.
    Set(bool),
    /// A column of the partij (in `partijen`) equals the text.
    OfPartij(String),
    /// Bound at the end of the condition (the column's place holds its SQL), then `)`.
    SubUuid(Uuid),
    SubText(String),
    /// The column's place holds a subquery that finds (true) or does not find a row.
    Exists(bool),
}

pub struct Query {
    conditions: Vec<(&'static str, Value)>,
    identificator: Vec<(&'static str, String)>,
    sub: Vec<(&'static str, String)>,
    never: bool,
    pub page: Paging,
}

/// `%text%` for `ILIKE`, its wildcards escaped.
fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// django-filter's BooleanFilter values.
fn boolean(v: &str) -> Option<bool> {
    match v {
        "true" | "True" | "1" => Some(true),
        "false" | "False" | "0" => Some(false),
        _ => None,
    }
}

impl Query {
    pub fn parse(
        filters: &[(&str, Filter)],
        urls: &Urls,
        pairs: &[(String, String)],
    ) -> Result<Self, ApiError> {
        let mut q = Self {
            conditions: Vec::new(),
            identificator: Vec::new(),
            sub: Vec::new(),
            never: false,
            page: Paging::default(),
        };
        let mut errors = Vec::new();
        for (name, value) in pairs {
            if q.page.read(name, value)? || name == "expand" {
                continue;
            }
            let Some((_, filter)) = filters.iter().find(|(p, _)| p == name) else {
                errors.push(InvalidParam::unknown_parameter(name));
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let mut invalid = |code: &str, reason: &str| {
                errors.push(InvalidParam::new(name, code, reason));
            };
            match filter {
                Filter::Text(c) => q.conditions.push((c, Value::Text(value.clone()))),
                Filter::Bool(c) => match boolean(value) {
                    Some(b) => q.conditions.push((c, Value::Bool(b))),
                    None => invalid("invalid", "Selecteer een geldige keuze."),
                },
                Filter::Choice(c, values) if values.contains(&value.as_str()) => {
                    q.conditions.push((c, Value::Text(value.clone())))
                }
                Filter::Choice(..) => invalid(
                    "invalid_choice",
                    "Selecteer een geldige keuze. Deze keuze is niet beschikbaar.",
                ),
                Filter::Identificator(c) => q.identificator.push((c, value.clone())),
                Filter::SubIdentificator(c) => q.sub.push((c, value.clone())),
                Filter::Vertegenwoordigde | Filter::Partij | Filter::Uuid => match value.parse() {
                    Ok(u) if matches!(filter, Filter::Partij) => {
                        q.conditions.push(("partij_uuid", Value::Uuid(u)))
                    }
                    Ok(u) if matches!(filter, Filter::Uuid) => {
                        q.conditions.push(("uuid", Value::Uuid(u)))
                    }
                    Ok(u) => q.conditions.push(("vertegenwoordigden", Value::InArray(u))),
                    Err(_) => invalid("invalid", "Voer een geldige UUID in."),
                },
                Filter::VertegenwoordigdeUrl | Filter::PartijUrl => {
                    match urls.uuid_under("/klantinteracties/api/v1/partijen/", value) {
                        Some(u) if matches!(filter, Filter::PartijUrl) => {
                            q.conditions.push(("partij_uuid", Value::Uuid(u)))
                        }
                        Some(u) => q.conditions.push(("vertegenwoordigden", Value::InArray(u))),
                        None => q.never = true,
                    }
                }
                Filter::OtherPartij(c) => match value.parse::<Uuid>() {
                    Ok(u) => q.conditions.push((c, Value::Text(u.to_string()))),
                    Err(_) => invalid("invalid", "Voer een geldige UUID in."),
                },
                Filter::OtherPartijUrl(c) => {
                    match urls.uuid_under("/klantinteracties/api/v1/partijen/", value) {
                        Some(u) => q.conditions.push((c, Value::Text(u.to_string()))),
                        None => q.never = true,
                    }
                }
                Filter::IContains(c) => q.conditions.push((c, Value::Contains(value.clone()))),
                Filter::Date(c, op) => match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                    Ok(d) => q.conditions.push((c, Value::Compare(op, d.to_string()))),
                    Err(_) => invalid("invalid", "Voer een geldige datum in."),
                },
                Filter::Set(c) => match boolean(value) {
                    Some(b) => q.conditions.push((c, Value::Set(b))),
                    None => invalid("invalid", "Selecteer een geldige keuze."),
                },
                Filter::OfPartij(c) => q.conditions.push((c, Value::OfPartij(value.clone()))),
                Filter::UrlUnder(c, path) => match urls.uuid_under(path, value) {
                    Some(u) => q.conditions.push((c, Value::Text(u.to_string()))),
                    None => q.never = true,
                },
                Filter::InArray(c) => match value.parse() {
                    Ok(u) => q.conditions.push((c, Value::InArray(u))),
                    Err(_) => invalid("invalid", "Voer een geldige UUID in."),
                },
                Filter::UuidIn(sql) => match value.parse() {
                    Ok(u) => q.conditions.push((sql, Value::SubUuid(u))),
                    Err(_) => invalid("invalid", "Voer een geldige UUID in."),
                },
                Filter::UrlIn(sql, path) => match urls.uuid_under(path, value) {
                    Some(u) => q.conditions.push((sql, Value::SubUuid(u))),
                    None => q.never = true,
                },
                Filter::TextIn(sql) => q.conditions.push((sql, Value::SubText(value.clone()))),
                Filter::ContainsIn(sql) => q
                    .conditions
                    .push((sql, Value::SubText(like_pattern(value)))),
                Filter::Exists(sql) => match boolean(value) {
                    Some(b) => q.conditions.push((sql, Value::Exists(b))),
                    None => invalid("invalid", "Selecteer een geldige keuze."),
                },
            }
        }
        if errors.is_empty() {
            Ok(q)
        } else {
            Err(ApiError::Validation(errors))
        }
    }

    /// Appends ` AND ...` for each filter (after a WHERE on a table whose partij uuid is
    /// `partij`).
    pub fn push_conditions(&self, sql: &mut QueryBuilder<'_, Postgres>, partij: &str) {
        if self.never {
            sql.push(" AND false");
        }
        for (column, value) in &self.conditions {
            match value {
                Value::Text(v) => {
                    sql.push(format!(" AND {column} = ")).push_bind(v.clone());
                }
                Value::Bool(v) => {
                    sql.push(format!(" AND {column} = ")).push_bind(*v);
                }
                Value::InArray(v) => {
                    sql.push(" AND ")
                        .push_bind(*v)
                        .push(format!(" = ANY({column})"));
                }
                Value::Uuid(v) => {
                    sql.push(format!(" AND {column} = ")).push_bind(*v);
                }
                Value::Contains(v) => {
                    sql.push(format!(" AND {column} ILIKE "))
                        .push_bind(like_pattern(v));
                }
                Value::Compare(op, v) => {
                    sql.push(format!(" AND {column} {op} "))
                        .push_bind(v.clone());
                }
                Value::Set(true) => {
                    sql.push(format!(" AND {column} IS NOT NULL"));
                }
                Value::Set(false) => {
                    sql.push(format!(" AND {column} IS NULL"));
                }
                Value::OfPartij(v) => {
                    sql.push(format!(
                        " AND EXISTS (SELECT 1 FROM partijen x WHERE x.uuid = {partij} \
                         AND x.{column} = "
                    ))
                    .push_bind(v.clone())
                    .push(")");
                }
                Value::SubUuid(v) => {
                    sql.push(" AND (");
                    let mut pieces = column.split("{}");
                    sql.push(pieces.next().unwrap_or_default());
                    for piece in pieces {
                        sql.push_bind(*v).push(piece);
                    }
                    sql.push(")");
                }
                Value::Exists(found) => {
                    let not = if *found { "" } else { "NOT " };
                    sql.push(format!(" AND {not}EXISTS ({column})"));
                }
                Value::SubText(v) => {
                    sql.push(" AND (");
                    let mut pieces = column.split("{}");
                    sql.push(pieces.next().unwrap_or_default());
                    for piece in pieces {
                        sql.push_bind(v.clone()).push(piece);
                    }
                    sql.push(")");
                }
            }
        }
        if !self.identificator.is_empty() {
            sql.push(format!(
                " AND EXISTS (SELECT 1 FROM partij_identificatoren i WHERE i.partij_uuid = {partij}"
            ));
            for (column, v) in &self.identificator {
                sql.push(format!(" AND i.{column} = ")).push_bind(v.clone());
            }
            sql.push(")");
        }
        if !self.sub.is_empty() {
            sql.push(format!(
                " AND EXISTS (SELECT 1 FROM partij_identificatoren i JOIN partij_identificatoren s
                   ON s.uuid = i.sub_identificator_van WHERE i.partij_uuid = {partij}"
            ));
            for (column, v) in &self.sub {
                sql.push(format!(" AND s.{column} = ")).push_bind(v.clone());
            }
            sql.push(")");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILTERS: &[(&str, Filter)] = &[
        ("soortPartij", Filter::Choice("soort_partij", &["persoon"])),
        (
            "partijIdentificator__objectId",
            Filter::Identificator("object_id"),
        ),
        (
            "partijIdentificator__codeSoortObjectId",
            Filter::Identificator("code_soort_object_id"),
        ),
        ("indicatieActief", Filter::Bool("indicatie_actief")),
    ];

    fn sql(v: &[(&str, &str)]) -> Result<String, ApiError> {
        let pairs: Vec<(String, String)> = v
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let q = Query::parse(FILTERS, &Urls::new("http://zs.nl"), &pairs)?;
        let mut sql = QueryBuilder::new("WHERE true");
        q.push_conditions(&mut sql, "p.uuid");
        Ok(sql.sql().to_owned())
    }

    #[test]
    fn the_identificator_filters_are_one_exists_on_the_same_identificator() {
        let s = sql(&[
            ("partijIdentificator__objectId", "111222333"),
            ("partijIdentificator__codeSoortObjectId", "bsn"),
        ])
        .unwrap();
        assert_eq!(s.matches("EXISTS").count(), 1, "{s}");
        assert!(
            s.contains("i.object_id = $1 AND i.code_soort_object_id = $2"),
            "{s}"
        );
    }

    #[test]
    fn unknown_parameters_bad_booleans_and_bad_choices_are_refused() {
        assert!(sql(&[("kleur", "rood")]).is_err());
        assert!(sql(&[("indicatieActief", "misschien")]).is_err());
        assert!(sql(&[("soortPartij", "robot")]).is_err());
        assert_eq!(sql(&[("soortPartij", "")]).unwrap(), "WHERE true");
    }
}
