//! The query of `GET /enkelvoudiginformatieobjecten` as Open Zaak 1.30 reads it
//! (`EnkelvoudigInformatieObjectListFilter`): one table of parameters, each a condition on
//! a column of `document_versies` (or its objectinformatieobjecten in `document_parts`),
//! and `ordering`. An empty value is no filter, as in django-filter.

use chrono::NaiveDate;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::catalogi::schema::VERTROUWELIJKHEID;
use crate::error::ApiError;
use crate::fields::is_http_url;
use crate::openapi::params::{param, ParamType, QueryParam, EXPAND, PAGING};
use crate::pagination::Paging;

#[derive(Clone, Copy)]
enum Filter {
    /// The column equals the value.
    Exact(&'static str),
    /// The column holds the value, case-insensitively (`icontains`).
    Contains(&'static str),
    /// An URL the column equals (`FkOrUrlFieldFilter`: a URL, else 400).
    Url(&'static str),
    /// `creatiedatum` at least (`>=`) or at most (`<=`) the date.
    Creatiedatum(&'static str),
    /// The trefwoorden hold all (`@>`) or any (`&&`) of the comma-separated values.
    Trefwoorden(&'static str),
    Locked,
    Vertrouwelijkheid,
    Object,
    ObjectType,
    Ordering,
    Expand,
}

const OBJECT_TYPES: &[&str] = &["besluit", "verzoek", "zaak"];

/// `ordering` values (each also with `-`, descending) and their columns: Open Zaak's
/// `OrderingFilter` fields. Without it, the creation order.
const ORDERING: &[(&str, &str)] = &[
    ("auteur", "auteur"),
    ("bestandsomvang", "bestandsomvang"),
    ("formaat", "formaat"),
    ("creatiedatum", "creatiedatum"),
    ("status", "status"),
    ("titel", "titel"),
    ("vertrouwelijkheidaanduiding", "vertrouwelijkheidaanduiding"),
];

const TABLE: &[(&str, Filter)] = &[
    ("auteur", Filter::Contains("auteur")),
    ("beschrijving", Filter::Contains("beschrijving")),
    ("bronorganisatie", Filter::Exact("bronorganisatie")),
    ("creatiedatum__gte", Filter::Creatiedatum(">=")),
    ("creatiedatum__lte", Filter::Creatiedatum("<=")),
    ("identificatie", Filter::Exact("identificatie")),
    ("informatieobjecttype", Filter::Url("informatieobjecttype")),
    ("locked", Filter::Locked),
    ("objectinformatieobjecten__object", Filter::Object),
    ("objectinformatieobjecten__objectType", Filter::ObjectType),
    ("ordering", Filter::Ordering),
    ("titel", Filter::Contains("titel")),
    ("trefwoorden", Filter::Trefwoorden("@>")),
    ("trefwoorden__overlap", Filter::Trefwoorden("&&")),
    ("vertrouwelijkheidaanduiding", Filter::Vertrouwelijkheid),
    ("expand", Filter::Expand),
];

/// The query parameters of `GET /enkelvoudiginformatieobjecten` for the OpenAPI document.
pub(super) fn parameters() -> Vec<QueryParam> {
    let typed = TABLE.iter().map(|(name, filter)| match filter {
        Filter::Expand => EXPAND,
        _ => param(name, param_type(*filter)),
    });
    PAGING.into_iter().chain(typed).collect()
}

fn param_type(filter: Filter) -> ParamType {
    match filter {
        Filter::Url(_) => ParamType::Url,
        Filter::Creatiedatum(_) => ParamType::Date,
        Filter::Locked => ParamType::Bool,
        Filter::Vertrouwelijkheid => ParamType::Choice(VERTROUWELIJKHEID),
        Filter::ObjectType => ParamType::Choice(OBJECT_TYPES),
        Filter::Trefwoorden(_) | Filter::Ordering => ParamType::List,
        _ => ParamType::Text,
    }
}

enum Condition {
    Equals(&'static str, String),
    Contains(&'static str, String),
    Date(&'static str, NaiveDate),
    Array(&'static str, Vec<String>),
    Locked(bool),
    /// An objectinformatieobject of this object (URL) and objectType.
    Object(String, &'static str),
    ObjectType(String),
    Uuids(Vec<Uuid>),
    Never,
}

#[derive(Default)]
pub(super) struct ListQuery {
    conditions: Vec<Condition>,
    /// (column, descending), in order.
    ordering: Vec<(&'static str, bool)>,
    pub page: Paging,
}

impl ListQuery {
    /// `POST /_zoek`: the documents with these uuids.
    pub fn uuids(uuids: Vec<Uuid>) -> Self {
        Self {
            conditions: vec![Condition::Uuids(uuids)],
            ..Self::default()
        }
    }

    /// The query of `pairs`; every invalid or unknown parameter is reported (400).
    pub fn parse(pairs: &[(String, String)]) -> Result<Self, ApiError> {
        let mut q = Self::default();
        let mut page = Paging::default();
        crate::list_filters::read_filters(pairs, TABLE, &mut page, |filter, value| {
            q.read(filter, value)
        })?;
        q.page = page;
        Ok(q)
    }

    fn read(&mut self, filter: Filter, value: &str) -> Result<(), (&'static str, String)> {
        let list = || value.split(',').map(str::to_owned).collect::<Vec<_>>();
        let condition = match filter {
            Filter::Exact(column) => Condition::Equals(column, value.to_owned()),
            Filter::Contains(column) => Condition::Contains(column, value.to_owned()),
            Filter::Url(column) => Condition::Equals(column, url(value)?),
            Filter::Creatiedatum(op) => Condition::Date(op, date(value)?),
            Filter::Trefwoorden(op) => Condition::Array(op, list()),
            // django-filter's BooleanWidget: true/1, false/0 (any case); else no filter.
            Filter::Locked => match value.to_lowercase().as_str() {
                "true" | "1" => Condition::Locked(true),
                "false" | "0" => Condition::Locked(false),
                _ => return Ok(()),
            },
            Filter::Vertrouwelijkheid => Condition::Equals(
                "vertrouwelijkheidaanduiding",
                choice(VERTROUWELIJKHEID, value)?.to_owned(),
            ),
            Filter::ObjectType => Condition::ObjectType(choice(OBJECT_TYPES, value)?.to_owned()),
            Filter::Object => object(url(value)?),
            Filter::Ordering => {
                self.ordering = crate::list_filters::ordering(value, ORDERING)?;
                return Ok(());
            }
            Filter::Expand => return Ok(()), // accepted, not applied yet (ARCHITECTURE.md)
        };
        self.conditions.push(condition);
        Ok(())
    }

    /// Appends ` WHERE ...`: the latest versions that meet every condition.
    pub fn push_where(&self, sql: &mut QueryBuilder<'_, Postgres>) {
        sql.push(" WHERE is_latest");
        for c in &self.conditions {
            sql.push(" AND ");
            match c {
                Condition::Equals(column, v) => {
                    sql.push(*column).push(" = ").push_bind(v.clone());
                }
                Condition::Contains(column, v) => {
                    crate::list_filters::push_contains(sql, column, v)
                }
                Condition::Date(op, d) => {
                    sql.push(format_args!("creatiedatum {op} ")).push_bind(*d);
                }
                Condition::Array(op, v) => {
                    sql.push(format_args!("trefwoorden {op} "))
                        .push_bind(v.clone());
                }
                Condition::Locked(locked) => {
                    sql.push("locked = ").push_bind(*locked);
                }
                Condition::Object(object, object_type) => {
                    push_part(sql, "object = ").push_bind(object.clone());
                    sql.push(" AND p.object_type = ")
                        .push_bind(*object_type)
                        .push(")");
                }
                Condition::ObjectType(object_type) => {
                    push_part(sql, "object_type = ")
                        .push_bind(object_type.clone())
                        .push(")");
                }
                Condition::Uuids(v) => {
                    sql.push("uuid = ANY(").push_bind(v.clone()).push(")");
                }
                Condition::Never => {
                    sql.push("false");
                }
            }
        }
    }

    /// Appends ` ORDER BY ...`: the `ordering` asked for, then the creation order.
    pub fn push_order(&self, sql: &mut QueryBuilder<'_, Postgres>) {
        sql.push(" ORDER BY ");
        for (column, descending) in &self.ordering {
            let direction = if *descending { "DESC" } else { "ASC" };
            sql.push(format_args!("{column} {direction}, "));
        }
        sql.push("created, uuid");
    }
}

/// ` EXISTS (... an objectinformatieobject of this document whose {condition}`, open.
fn push_part<'q, 'a>(
    sql: &'q mut QueryBuilder<'a, Postgres>,
    condition: &str,
) -> &'q mut QueryBuilder<'a, Postgres> {
    sql.push(format_args!(
        "EXISTS (SELECT 1 FROM document_parts p WHERE p.document_uuid = document_versies.uuid \
         AND p.{condition}"
    ))
}

/// Open Zaak's `ObjectFilter`: the object's URL path says its type (`.../besluiten/{uuid}`,
/// `.../zaken/{uuid}` or `.../verzoeken/{uuid}`); any other URL matches nothing.
fn object(url: String) -> Condition {
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("")
        .split(['?', '#'])
        .next()
        .unwrap_or("");
    let typed = [
        ("/besluiten/", "besluit"),
        ("/zaken/", "zaak"),
        ("/verzoeken/", "verzoek"),
    ]
    .into_iter()
    .find_map(|(segment, kind)| {
        let (_, id) = path.rsplit_once(segment)?;
        Uuid::parse_str(id).is_ok().then_some(kind)
    });
    typed.map_or(Condition::Never, |kind| Condition::Object(url, kind))
}

fn url(value: &str) -> Result<String, (&'static str, String)> {
    if is_http_url(value) {
        Ok(value.to_owned())
    } else {
        Err(("invalid", "Voer een geldige URL in.".to_owned()))
    }
}

fn date(value: &str) -> Result<NaiveDate, (&'static str, String)> {
    crate::iso8601::parse_date(value)
        .ok_or_else(|| ("invalid", "Voer een geldige datum in.".to_owned()))
}

fn choice<'a>(choices: &[&'a str], value: &str) -> Result<&'a str, (&'static str, String)> {
    choices
        .iter()
        .find(|c| **c == value)
        .copied()
        .ok_or_else(|| {
            (
                "invalid_choice",
                format!("Selecteer een geldige keuze. {value} is geen beschikbare keuze."),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list_filters::pairs;

    fn sql(v: &[(&str, &str)]) -> String {
        let q = ListQuery::parse(&pairs(v)).unwrap();
        let mut b = QueryBuilder::new("SELECT 1 FROM document_versies");
        q.push_where(&mut b);
        q.push_order(&mut b);
        b.into_sql()
    }

    fn refused(v: &[(&str, &str)]) -> Vec<(String, String)> {
        let Err(ApiError::Validation(p)) = ListQuery::parse(&pairs(v)) else {
            panic!("{v:?} was accepted")
        };
        p.into_iter().map(|p| (p.name, p.code)).collect()
    }

    #[test]
    fn an_object_url_is_matched_with_the_type_its_path_names_and_any_other_matches_nothing() {
        let zaak = "https://oz.example.nl/zaken/api/v1/zaken/0c6b0a7e-6a5c-4c57-9b1c-1b0c1c2a6f0e";
        assert!(matches!(object(zaak.into()), Condition::Object(_, "zaak")));
        let besluit = zaak.replace("/zaken/api/v1/zaken/", "/besluiten/api/v1/besluiten/");
        assert!(matches!(object(besluit), Condition::Object(_, "besluit")));
        let odd =
            "https://oz.example.nl/zaken/api/v1/statussen/0c6b0a7e-6a5c-4c57-9b1c-1b0c1c2a6f0e";
        assert!(matches!(object(odd.into()), Condition::Never));
    }

    #[test]
    fn ordering_comes_before_the_creation_order_and_empty_values_filter_nothing() {
        assert_eq!(
            sql(&[("ordering", "-titel,creatiedatum"), ("auteur", "")]),
            "SELECT 1 FROM document_versies WHERE is_latest \
             ORDER BY titel DESC, creatiedatum ASC, created, uuid"
        );
    }

    #[test]
    fn a_locked_value_other_than_true_or_false_is_no_filter_as_in_django_filter() {
        assert!(!sql(&[("locked", "ja")]).contains("locked"));
        assert!(sql(&[("locked", "True")]).contains("locked = $1"));
    }

    #[test]
    fn invalid_values_are_refused_with_the_references_codes() {
        assert_eq!(
            refused(&[
                ("ordering", "kleur"),
                ("vertrouwelijkheidaanduiding", "stil"),
                ("creatiedatum__gte", "gisteren"),
                ("informatieobjecttype", "geen-url"),
                ("objectinformatieobjecten__objectType", "rol"),
                ("kleur", "rood"),
            ]),
            [
                ("ordering", "invalid_choice"),
                ("vertrouwelijkheidaanduiding", "invalid_choice"),
                ("creatiedatum__gte", "invalid"),
                ("informatieobjecttype", "invalid"),
                ("objectinformatieobjecten__objectType", "invalid_choice"),
                ("nonFieldErrors", "unknown-parameters"),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
    }
}
