//! The query parameters of the besluiten and besluitinformatieobjecten lists as SQL
//! conditions on real columns. Unknown parameters are refused (400), an empty value filters
//! nothing (django-filter), a URL filter must be a URL.

use sqlx::{Postgres, QueryBuilder};

use crate::error::{ApiError, InvalidParam};
use crate::fields::is_http_url;
use crate::pagination;

/// How a parameter filters: equality on a column, of a text or of a URL.
pub enum Filter {
    Text(&'static str),
    Url(&'static str),
}

pub struct Query {
    conditions: Vec<(&'static str, String)>,
    pub page: i64,
}

impl Query {
    /// `page` where the list is paginated; `expand` is read by the handler.
    pub fn parse(
        filters: &[(&str, Filter)],
        paginated: bool,
        pairs: &[(String, String)],
    ) -> Result<Self, ApiError> {
        let mut q = Self {
            conditions: Vec::new(),
            page: 1,
        };
        let mut errors = Vec::new();
        for (name, value) in pairs {
            if name == "page" && paginated {
                q.page = pagination::page_number(Some(value))?;
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
            match filter {
                Filter::Url(_) if !is_http_url(value) => {
                    errors.push(InvalidParam::new(
                        name,
                        "invalid",
                        "Voer een geldige URL in.",
                    ));
                }
                Filter::Url(column) | Filter::Text(column) => {
                    q.conditions.push((column, value.clone()));
                }
            }
        }
        if errors.is_empty() {
            Ok(q)
        } else {
            Err(ApiError::Validation(errors))
        }
    }

    /// Appends ` AND column = value` for each filter (after a WHERE).
    pub fn push_conditions(&self, sql: &mut QueryBuilder<'_, Postgres>) {
        for (column, value) in &self.conditions {
            sql.push(format!(" AND {column} = "))
                .push_bind(value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILTERS: &[(&str, Filter)] = &[
        ("identificatie", Filter::Text("identificatie")),
        ("zaak", Filter::Url("zaak")),
    ];

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn an_unknown_parameter_is_refused_and_a_url_filter_needs_a_url() {
        let err = Query::parse(FILTERS, true, &pairs(&[("zaaktype", "x")])).err();
        assert!(matches!(err, Some(ApiError::Validation(v)) if v[0].code == "unknown-parameters"));
        let err = Query::parse(FILTERS, true, &pairs(&[("zaak", "zaak-1")])).err();
        assert!(matches!(err, Some(ApiError::Validation(v)) if v[0].name == "zaak"));
        let err = Query::parse(FILTERS, false, &pairs(&[("page", "1")])).err();
        assert!(err.is_some(), "page on a list without pages");
    }

    #[test]
    fn filters_become_conditions_on_their_columns_and_blank_filters_nothing() {
        let q = Query::parse(
            FILTERS,
            true,
            &pairs(&[("identificatie", "B-1"), ("zaak", ""), ("page", "2")]),
        )
        .unwrap();
        let mut sql = QueryBuilder::new("WHERE true");
        q.push_conditions(&mut sql);
        assert_eq!(sql.sql(), "WHERE true AND identificatie = $1");
        assert_eq!(q.page, 2);
    }
}
