//! The query parameters of a part list as SQL conditions on `zaak_parts`. Unknown
//! parameters are refused (400), an empty value filters nothing (django-filter).

use domain::zaak::rol::levels_at_most;
use projections::render::Urls;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use super::{Filter, Listing, MACHTIGING};
use crate::error::{ApiError, InvalidParam};
use crate::fields::is_http_url;
use crate::pagination::Paging;

enum Condition {
    Zaak(Uuid),
    Attr(&'static str, String),
    Nested(&'static str, &'static str, String),
    /// The string inside a nested object is one of these.
    NestedAny(&'static str, &'static str, Vec<String>),
    /// The attribute, absent counting as blank, equals the value.
    AttrOrBlank(&'static str, String),
    /// A zaak URL that is not one of ours: nothing matches.
    Never,
}

pub struct PartQuery {
    conditions: Vec<Condition>,
    pub page: Paging,
}

impl PartQuery {
    pub fn parse(
        listing: &Listing,
        urls: &Urls,
        pairs: &[(String, String)],
    ) -> Result<Self, ApiError> {
        let mut q = Self {
            conditions: Vec::new(),
            page: Paging::default(),
        };
        let mut errors = Vec::new();
        for (name, value) in pairs {
            if listing.paginated && q.page.read(name, value)? {
                continue;
            }
            let Some((_, filter)) = listing.filters.iter().find(|(p, _)| p == name) else {
                errors.push(InvalidParam::unknown_parameter(name));
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let condition = match *filter {
                Filter::Zaak if !is_http_url(value) => {
                    errors.push(InvalidParam::new(
                        name,
                        "invalid",
                        "Voer een geldige URL in.",
                    ));
                    continue;
                }
                Filter::Zaak => urls
                    .zaak_uuid(value)
                    .map_or(Condition::Never, Condition::Zaak),
                Filter::Attr(attr) => Condition::Attr(attr, value.clone()),
                Filter::Bool(attr) => match value.as_str() {
                    "true" | "True" | "1" => Condition::Attr(attr, "true".into()),
                    "false" | "False" | "0" => Condition::Attr(attr, "false".into()),
                    _ => {
                        errors.push(InvalidParam::new(name, "invalid", "Voer true of false in."));
                        continue;
                    }
                },
                Filter::Nested(object, key) => Condition::Nested(object, key, value.clone()),
                Filter::Identification(betrokkene_type, key) => {
                    let of_type = Condition::Attr("betrokkeneType", betrokkene_type.into());
                    q.conditions.push(of_type);
                    Condition::Nested("betrokkeneIdentificatie", key, value.clone())
                }
                Filter::Machtiging if MACHTIGING.contains(&value.as_str()) => {
                    let blank_or_value = if value == "eigen" { "" } else { value };
                    Condition::AttrOrBlank("indicatieMachtiging", blank_or_value.to_owned())
                }
                Filter::MaxLevelOfAssurance => match levels_at_most(value) {
                    Some(levels) => Condition::NestedAny(
                        "authenticatieContext",
                        "levelOfAssurance",
                        levels.iter().map(|l| (*l).to_owned()).collect(),
                    ),
                    None => {
                        errors.push(invalid_choice(name, value));
                        continue;
                    }
                },
                Filter::Machtiging => {
                    errors.push(invalid_choice(name, value));
                    continue;
                }
            };
            q.conditions.push(condition);
        }
        if errors.is_empty() {
            Ok(q)
        } else {
            Err(ApiError::Validation(errors))
        }
    }

    /// Appends ` AND ...` for each filter (after a WHERE).
    pub fn push_conditions(&self, sql: &mut QueryBuilder<'_, Postgres>) {
        for c in &self.conditions {
            sql.push(" AND ");
            match c {
                Condition::Zaak(uuid) => {
                    sql.push("zaak_uuid = ").push_bind(*uuid);
                }
                Condition::Attr(attr, v) => {
                    sql.push("resource ->> ")
                        .push_bind(*attr)
                        .push(" = ")
                        .push_bind(v.clone());
                }
                Condition::Nested(object, key, v) => {
                    // Literal keys (from the spec table, never from input) so the
                    // expression matches the partial indexes of the migration.
                    sql.push(format!("resource #>> '{{{object},{key}}}' = "))
                        .push_bind(v.clone());
                }
                Condition::NestedAny(object, key, v) => {
                    sql.push(format!("resource #>> '{{{object},{key}}}' = ANY("))
                        .push_bind(v.clone())
                        .push(")");
                }
                Condition::AttrOrBlank(attr, v) => {
                    sql.push("coalesce(resource ->> ")
                        .push_bind(*attr)
                        .push(", '') = ")
                        .push_bind(v.clone());
                }
                Condition::Never => {
                    sql.push("false");
                }
            }
        }
    }
}

/// A value not among a choice filter's (django-filter's ChoiceFilter).
pub(crate) fn invalid_choice(name: &str, value: &str) -> InvalidParam {
    InvalidParam::new(
        name,
        "invalid_choice",
        format!("Selecteer een geldige keuze. {value} is geen beschikbare keuze."),
    )
}

#[cfg(test)]
mod tests {
    use event_schemas::zaak::PartKind;

    use super::*;
    use crate::zaken::parts::Spec;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn sql(spec: &Spec, v: &[(&str, &str)]) -> Result<String, ApiError> {
        let urls = Urls::new("http://zs.nl");
        let q = PartQuery::parse(&spec.listing(), &urls, &pairs(v))?;
        let mut b = QueryBuilder::new("WHERE true");
        q.push_conditions(&mut b);
        Ok(b.sql().to_owned())
    }

    #[test]
    fn a_parameter_the_list_does_not_have_is_refused() {
        let spec = Spec::of(PartKind::Zaakverzoek);
        assert!(
            matches!(sql(spec, &[("page", "2")]), Err(ApiError::Validation(v)) if v[0].code == "unknown-parameters")
        );
        assert!(sql(Spec::of(PartKind::Rol), &[("page", "2")]).is_ok());
    }

    #[test]
    fn a_zaak_filter_on_a_foreign_url_matches_nothing_and_a_non_url_is_invalid() {
        let spec = Spec::of(PartKind::Rol);
        assert_eq!(
            sql(spec, &[("zaak", "https://elders.nl/zaken/api/v1/zaken/x")]).unwrap(),
            "WHERE true AND false"
        );
        let ours = format!("http://zs.nl/zaken/api/v1/zaken/{}", Uuid::nil());
        assert_eq!(
            sql(spec, &[("zaak", &ours)]).unwrap(),
            "WHERE true AND zaak_uuid = $1"
        );
        assert!(
            matches!(sql(spec, &[("zaak", "zaak-1")]), Err(ApiError::Validation(v)) if v[0].name == "zaak")
        );
    }

    #[test]
    fn a_bsn_filter_uses_the_indexed_expression() {
        let spec = Spec::of(PartKind::Rol);
        let got = sql(
            spec,
            &[(
                "betrokkeneIdentificatie__natuurlijkPersoon__inpBsn",
                "123456782",
            )],
        )
        .unwrap();
        assert_eq!(
            got,
            "WHERE true AND resource #>> '{betrokkeneIdentificatie,inpBsn}' = $1"
        );
    }
}
