//! The query parameters of each Catalogi API list as SQL conditions on the catalogi read
//! model. Unknown parameters are refused (400); lists with a `status` parameter show only
//! published objects unless it says otherwise, as the standard prescribes.

use chrono::NaiveDate;
use event_schemas::catalogus::ObjectKind;
use projections::render::Urls;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::error::ApiError;
use crate::openapi::params::{param, ParamType, QueryParam, PAGING};
use crate::pagination::Paging;

#[derive(Clone, Copy)]
enum Filter {
    /// The URL of one of our catalogussen.
    Catalogus,
    Zaaktype,
    Identificatie,
    Omschrijving,
    Status,
    DatumGeldigheid,
    Begin,
    Einde,
    /// The resource's attribute equals the value.
    Field(&'static str),
    /// The resource's attribute is one of the comma-separated values.
    FieldIn(&'static str),
    /// The resource's list attribute holds the value (every comma-separated value).
    Holds(&'static str),
    /// The column holds the value, case-insensitively (django's `icontains`).
    Contains(&'static str),
    /// The resource's list attribute of URLs holds this URL (an informatieobjecttype's
    /// `zaaktypen`: those of its zaaktype-informatieobjecttypen).
    HoldsUrl(&'static str),
}

use Filter as F;

const CHILD: &[(&str, Filter)] = &[
    ("zaaktype", F::Zaaktype),
    ("zaaktypeIdentificatie", F::Identificatie),
    ("status", F::Status),
    ("datumGeldigheid", F::DatumGeldigheid),
];

fn params(kind: Option<ObjectKind>) -> &'static [(&'static str, Filter)] {
    match kind {
        None => &[
            ("domein", F::Field("domein")),
            ("domein__in", F::FieldIn("domein")),
            ("rsin", F::Field("rsin")),
            ("rsin__in", F::FieldIn("rsin")),
        ],
        Some(ObjectKind::Zaaktype) => &[
            ("catalogus", F::Catalogus),
            ("identificatie", F::Identificatie),
            ("identificatie__icontains", F::Contains("identificatie")),
            ("omschrijving__icontains", F::Contains("omschrijving")),
            ("trefwoorden", F::Holds("trefwoorden")),
            ("status", F::Status),
            ("datumGeldigheid", F::DatumGeldigheid),
        ],
        Some(ObjectKind::Informatieobjecttype) => &[
            ("catalogus", F::Catalogus),
            ("status", F::Status),
            ("datumGeldigheid", F::DatumGeldigheid),
            ("omschrijving", F::Omschrijving),
            ("omschrijving__icontains", F::Contains("omschrijving")),
            ("zaaktype", F::HoldsUrl("zaaktypen")),
        ],
        Some(ObjectKind::Besluittype) => &[
            ("catalogus", F::Catalogus),
            ("zaaktypen", F::Holds("zaaktypen")),
            ("informatieobjecttypen", F::Holds("informatieobjecttypen")),
            ("status", F::Status),
            ("omschrijving", F::Omschrijving),
            ("datumGeldigheid", F::DatumGeldigheid),
        ],
        Some(ObjectKind::Statustype | ObjectKind::Eigenschap) => CHILD,
        Some(ObjectKind::Roltype) => &[
            ("zaaktype", F::Zaaktype),
            ("zaaktypeIdentificatie", F::Identificatie),
            ("omschrijvingGeneriek", F::Field("omschrijvingGeneriek")),
            ("status", F::Status),
            ("datumGeldigheid", F::DatumGeldigheid),
            // Open Zaak: a part of it, case-insensitively (unlike other omschrijvingen).
            ("omschrijving", F::Contains("omschrijving")),
        ],
        // Open Zaak 1.30 takes the camelCase names (and refuses the snake_case ones, which
        // the VNG 1.3.1 file names; kept for clients written against that file).
        Some(ObjectKind::Resultaattype) => &[
            ("zaaktype", F::Zaaktype),
            ("zaaktypeIdentificatie", F::Identificatie),
            ("zaaktype_identificatie", F::Identificatie),
            ("status", F::Status),
            ("datumGeldigheid", F::DatumGeldigheid),
            ("datum_geldigheid", F::DatumGeldigheid),
        ],
        Some(ObjectKind::Zaakobjecttype) => &[
            ("anderObjecttype", F::Field("anderObjecttype")),
            ("catalogus", F::Catalogus),
            ("datumBeginGeldigheid", F::Begin),
            ("datumEindeGeldigheid", F::Einde),
            ("datumGeldigheid", F::DatumGeldigheid),
            ("objecttype", F::Field("objecttype")),
            ("relatieOmschrijving", F::Field("relatieOmschrijving")),
            ("zaaktype", F::Zaaktype),
            ("zaaktypeIdentificatie", F::Identificatie),
            // Its zaaktype's concept flag, published only by default as for the others.
            ("status", F::Status),
        ],
        Some(ObjectKind::ZaaktypeInformatieobjecttype) => &[
            ("zaaktype", F::Zaaktype),
            ("informatieobjecttype", F::Field("informatieobjecttype")),
            ("richting", F::Field("richting")),
            ("status", F::Status),
        ],
    }
}

/// The query parameters of the list of `kind` (`None`: catalogussen) for the OpenAPI
/// document: `page` and this module's table.
pub fn parameters(kind: Option<ObjectKind>) -> Vec<QueryParam> {
    let status = &["alles", "concept", "definitief"];
    PAGING
        .into_iter()
        .chain(params(kind).iter().map(|(name, filter)| {
            param(
                name,
                match filter {
                    F::Catalogus | F::Zaaktype | F::HoldsUrl(_) => ParamType::Url,
                    F::Status => ParamType::Choice(status),
                    F::DatumGeldigheid | F::Begin | F::Einde => ParamType::Date,
                    F::FieldIn(_) | F::Holds(_) => ParamType::List,
                    F::Identificatie | F::Omschrijving | F::Field(_) | F::Contains(_) => {
                        ParamType::Text
                    }
                },
            )
        }))
        .collect()
}

enum Condition {
    Column(&'static str, String),
    Catalogus(Option<Uuid>),
    Concept(bool),
    Geldig(NaiveDate),
    Date(&'static str, NaiveDate),
    Field(&'static str, String),
    FieldIn(&'static str, Vec<String>),
    Holds(&'static str, Vec<String>),
    Contains(&'static str, String),
    HoldsUrl(&'static str, String),
}

pub struct CatalogiQuery {
    kind: &'static str,
    conditions: Vec<Condition>,
    pub page: Paging,
}

fn date(value: &str) -> Result<NaiveDate, String> {
    crate::iso8601::parse_date(value)
        .ok_or_else(|| "Voer een geldige datum in (YYYY-MM-DD).".to_owned())
}

fn condition(filter: Filter, value: &str, urls: &Urls) -> Result<Option<Condition>, String> {
    let list = || value.split(',').map(str::to_owned).collect::<Vec<_>>();
    Ok(Some(match filter {
        F::Catalogus => Condition::Catalogus(urls.catalogi_uuid("catalogussen", value)),
        F::Zaaktype => Condition::Column("zaaktype", value.to_owned()),
        F::Identificatie => Condition::Column("identificatie", value.to_owned()),
        F::Omschrijving => Condition::Column("omschrijving", value.to_owned()),
        F::Status => match value {
            "alles" => return Ok(None),
            "concept" => Condition::Concept(true),
            "definitief" => Condition::Concept(false),
            _ => return Err(format!("'{value}' is een ongeldige keuze.")),
        },
        F::DatumGeldigheid => Condition::Geldig(date(value)?),
        F::Begin => Condition::Date("begin_geldigheid", date(value)?),
        F::Einde => Condition::Date("einde_geldigheid", date(value)?),
        F::Field(field) => Condition::Field(field, value.to_owned()),
        F::FieldIn(field) => Condition::FieldIn(field, list()),
        F::Holds(field) => Condition::Holds(field, list()),
        F::Contains(column) => Condition::Contains(column, value.to_owned()),
        F::HoldsUrl(field) if crate::fields::is_http_url(value) => {
            Condition::HoldsUrl(field, value.to_owned())
        }
        F::HoldsUrl(_) => return Err("Voer een geldige URL in.".to_owned()),
    }))
}

impl CatalogiQuery {
    /// The query of the list of `kind` (`None`: catalogussen).
    pub fn parse(
        kind: Option<ObjectKind>,
        pairs: &[(String, String)],
        urls: &Urls,
    ) -> Result<Self, ApiError> {
        let table = params(kind);
        let mut q = Self {
            kind: kind.map_or("catalogus", ObjectKind::as_str),
            conditions: Vec::new(),
            page: Paging::default(),
        };
        if table.iter().any(|(p, _)| *p == "status") && !pairs.iter().any(|(n, _)| n == "status") {
            q.conditions.push(Condition::Concept(false));
        }
        let conditions = &mut q.conditions;
        crate::list_filters::read_filters(pairs, table, &mut q.page, |filter, value| {
            conditions.extend(condition(filter, value, urls).map_err(|r| ("invalid", r))?);
            Ok(())
        })?;
        Ok(q)
    }

    /// Appends ` WHERE ...` for the kind and the filters.
    pub fn push_where(&self, sql: &mut QueryBuilder<'_, Postgres>) {
        sql.push(" WHERE kind = ").push_bind(self.kind);
        for c in &self.conditions {
            sql.push(" AND ");
            match c {
                Condition::Column(col, v) => {
                    sql.push(*col).push(" = ").push_bind(v.clone());
                }
                Condition::Catalogus(Some(uuid)) => {
                    sql.push("catalogus = ").push_bind(*uuid);
                }
                Condition::Catalogus(None) => {
                    sql.push("false");
                }
                Condition::Concept(concept) => {
                    sql.push("concept = ").push_bind(*concept);
                }
                Condition::Geldig(d) => {
                    sql.push("begin_geldigheid <= ")
                        .push_bind(*d)
                        .push(" AND (einde_geldigheid IS NULL OR einde_geldigheid >= ")
                        .push_bind(*d)
                        .push(")");
                }
                Condition::Date(col, d) => {
                    sql.push(*col).push(" = ").push_bind(*d);
                }
                Condition::Field(field, v) => {
                    sql.push(format!("resource->>'{field}' = "))
                        .push_bind(v.clone());
                }
                Condition::FieldIn(field, v) => {
                    sql.push(format!("resource->>'{field}' = ANY("))
                        .push_bind(v.clone())
                        .push(")");
                }
                Condition::Holds(field, v) => {
                    sql.push(format!("resource->'{field}' ?& "))
                        .push_bind(v.clone());
                }
                Condition::Contains(column, v) => {
                    crate::list_filters::push_contains(sql, column, v)
                }
                Condition::HoldsUrl(field, v) => {
                    sql.push(format!("resource->'{field}' ? "))
                        .push_bind(v.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list_filters::pairs;

    fn sql(kind: Option<ObjectKind>, v: &[(&str, &str)]) -> String {
        let urls = Urls::new("http://x");
        let q = CatalogiQuery::parse(kind, &pairs(v), &urls).unwrap();
        let mut b = QueryBuilder::new("SELECT 1 FROM catalogus_objecten");
        q.push_where(&mut b);
        b.into_sql()
    }

    #[test]
    fn a_list_without_status_shows_only_published_objects() {
        assert_eq!(
            sql(Some(ObjectKind::Statustype), &[]),
            "SELECT 1 FROM catalogus_objecten WHERE kind = $1 AND concept = $2"
        );
        assert_eq!(
            sql(Some(ObjectKind::Zaaktype), &[("status", "alles")]),
            "SELECT 1 FROM catalogus_objecten WHERE kind = $1"
        );
    }

    #[test]
    fn filters_become_conditions_on_their_columns() {
        let got = sql(
            Some(ObjectKind::Zaaktype),
            &[
                ("status", "concept"),
                ("identificatie", "ZT-1"),
                ("datumGeldigheid", "2026-01-01"),
            ],
        );
        assert_eq!(got, "SELECT 1 FROM catalogus_objecten WHERE kind = $1 AND concept = $2 AND identificatie = $3 \
            AND begin_geldigheid <= $4 AND (einde_geldigheid IS NULL OR einde_geldigheid >= $5)");
    }

    #[test]
    fn an_unknown_query_parameter_is_refused() {
        let urls = Urls::new("http://x");
        let Err(ApiError::Validation(p)) = CatalogiQuery::parse(
            Some(ObjectKind::Roltype),
            &pairs(&[("kleur", "rood")]),
            &urls,
        ) else {
            panic!()
        };
        assert_eq!(p[0].code, "unknown-parameters");
    }

    #[test]
    fn an_unknown_status_is_refused() {
        let urls = Urls::new("http://x");
        let result = CatalogiQuery::parse(
            Some(ObjectKind::Zaaktype),
            &pairs(&[("status", "oud")]),
            &urls,
        );
        assert!(matches!(result, Err(ApiError::Validation(_))));
    }
}
