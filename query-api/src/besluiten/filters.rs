//! The query parameters of the besluiten and besluitinformatieobjecten lists as SQL
//! conditions on real columns. Unknown parameters are refused (400), an empty value filters
//! nothing (django-filter), a URL filter must be a URL.

use projections::render::Urls;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::error::{ApiError, InvalidParam};
use crate::fields::is_http_url;
use crate::openapi::params::{param, ParamType, QueryParam, EXPAND, PAGING};
use crate::pagination::Paging;

/// How a parameter filters: equality on a column, of a text or of a URL; or, for a URL of
/// one of our resources under `path`, equality of its uuid on a uuid column (a URL that is
/// not ours matches nothing).
pub enum Filter {
    Text(&'static str),
    Url(&'static str),
    OwnUuid(&'static str, &'static str),
}

/// The query parameters a list with `filters` accepts (`page` where `paginated`; `expand`
/// always, as [`Query::parse`] reads them), for the OpenAPI document.
pub fn parameters(filters: &[(&'static str, Filter)], paginated: bool) -> Vec<QueryParam> {
    let paging = if paginated { &PAGING[..] } else { &[] };
    paging
        .iter()
        .copied()
        .chain(filters.iter().map(|(name, filter)| {
            param(
                name,
                match filter {
                    Filter::Text(_) => ParamType::Text,
                    Filter::Url(_) | Filter::OwnUuid(..) => ParamType::Url,
                },
            )
        }))
        .chain([EXPAND])
        .collect()
}

enum Condition {
    Equals(&'static str, String),
    Uuid(&'static str, Uuid),
    Never,
}

pub struct Query {
    conditions: Vec<Condition>,
    pub page: Paging,
}

impl Query {
    /// `page` where the list is paginated; `expand` is read by the handler.
    pub fn parse(
        filters: &[(&str, Filter)],
        paginated: bool,
        urls: &Urls,
        pairs: &[(String, String)],
    ) -> Result<Self, ApiError> {
        let mut q = Self {
            conditions: Vec::new(),
            page: Paging::default(),
        };
        let mut errors = Vec::new();
        for (name, value) in pairs {
            if paginated && q.page.read(name, value)? {
                continue;
            }
            if name == "expand" {
                continue;
            }
            let Some((_, filter)) = filters.iter().find(|(p, _)| p == name) else {
                errors.push(InvalidParam::unknown_parameter(name));
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let condition = match filter {
                Filter::Url(_) | Filter::OwnUuid(..) if !is_http_url(value) => {
                    errors.push(InvalidParam::new(
                        name,
                        "invalid",
                        "Voer een geldige URL in.",
                    ));
                    continue;
                }
                Filter::Url(column) | Filter::Text(column) => {
                    Condition::Equals(column, value.clone())
                }
                Filter::OwnUuid(column, path) => urls
                    .uuid_under(path, value)
                    .map_or(Condition::Never, |uuid| Condition::Uuid(column, uuid)),
            };
            q.conditions.push(condition);
        }
        if errors.is_empty() {
            Ok(q)
        } else {
            Err(ApiError::Validation(errors))
        }
    }

    /// Appends ` AND column = value` for each filter (after a WHERE).
    pub fn push_conditions(&self, sql: &mut QueryBuilder<'_, Postgres>) {
        for c in &self.conditions {
            match c {
                Condition::Equals(column, value) => {
                    sql.push(format!(" AND {column} = "))
                        .push_bind(value.clone());
                }
                Condition::Uuid(column, uuid) => {
                    sql.push(format!(" AND {column} = ")).push_bind(*uuid);
                }
                Condition::Never => {
                    sql.push(" AND false");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILTERS: &[(&str, Filter)] = &[
        ("identificatie", Filter::Text("identificatie")),
        ("zaak", Filter::Url("zaak")),
        (
            "besluit",
            Filter::OwnUuid("besluit_uuid", "/besluiten/api/v1/besluiten/"),
        ),
    ];

    fn parse(paginated: bool, v: &[(&str, &str)]) -> Result<Query, ApiError> {
        let pairs: Vec<(String, String)> = v
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        Query::parse(FILTERS, paginated, &Urls::new("http://zs.nl"), &pairs)
    }

    fn sql(q: &Query) -> String {
        let mut sql = QueryBuilder::new("WHERE true");
        q.push_conditions(&mut sql);
        sql.sql().to_owned()
    }

    #[test]
    fn an_unknown_parameter_is_refused_and_a_url_filter_needs_a_url() {
        let err = parse(true, &[("zaaktype", "x")]).err();
        assert!(matches!(err, Some(ApiError::Validation(v)) if v[0].code == "unknown-parameters"));
        let err = parse(true, &[("zaak", "zaak-1")]).err();
        assert!(matches!(err, Some(ApiError::Validation(v)) if v[0].name == "zaak"));
        assert!(
            parse(false, &[("page", "1")]).is_err(),
            "page on a list without pages"
        );
    }

    #[test]
    fn filters_become_conditions_on_their_columns_and_blank_filters_nothing() {
        let q = parse(
            true,
            &[("identificatie", "B-1"), ("zaak", ""), ("page", "2")],
        )
        .unwrap();
        assert_eq!(sql(&q), "WHERE true AND identificatie = $1");
        assert_eq!(q.page.number, 2);
    }

    #[test]
    fn a_besluit_filter_uses_the_uuid_of_ours_and_matches_nothing_elsewhere() {
        let ours = format!("http://zs.nl/besluiten/api/v1/besluiten/{}", Uuid::nil());
        let q = parse(false, &[("besluit", &ours)]).unwrap();
        assert_eq!(sql(&q), "WHERE true AND besluit_uuid = $1");
        let q = parse(false, &[("besluit", "https://elders.nl/besluiten/1")]).unwrap();
        assert_eq!(sql(&q), "WHERE true AND false");
    }
}
