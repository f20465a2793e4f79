//! The query parameters of `GET /zaken` (spec operationId `zaak_list`) as SQL conditions on
//! the zaken read model's columns. Unknown parameters are refused (400).

use chrono::NaiveDate;
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use serde_json::Value;
use sqlx::{Postgres, QueryBuilder};

use crate::error::{ApiError, InvalidParam};
use crate::openapi::params::{param, ParamType, QueryParam, PAGING};
use crate::pagination::Paging;

#[derive(Clone, Copy)]
enum Kind {
    Text,
    TextIn,
    Date(&'static str),
    IsNull,
    MaxVertrouwelijkheid,
    /// A zaak with a rol (in `zaak_parts`) whose expression (the column) equals the value.
    Rol,
    /// The same, among the rollen of one betrokkeneType (whose identifications share key
    /// names: a vestiging's and a niet-natuurlijk persoon's kvkNummer).
    RolOf(&'static str),
    /// A rol's indicatieMachtiging: `eigen` (none), `gemachtigde` or `machtiginggever`.
    RolMachtiging,
    /// A zaak with a rol whose authenticatieContext.levelOfAssurance is at most the value,
    /// within the value's scheme (Open Zaak's MaxLoAFilter).
    RolMaxLevelOfAssurance,
    /// A zaak whose resultaat's resultaattype is the URL.
    Resultaattype,
    /// A zaak whose current status has the statustype of the URL.
    CurrentStatustype,
    /// The column contains the value, ignoring case (django's `icontains`).
    IContains,
    /// The zaaktype's omschrijving (of one of our zaaktypen) contains the value.
    ZaaktypeOmschrijving,
    /// A kenmerk `<bron>:<kenmerk>`, or (`KenmerkBron`) any kenmerk of that bron.
    Kenmerk,
    KenmerkBron,
    /// Accepted and not applied yet (issue 3 expands).
    Ignored,
}

impl Kind {
    /// The code of a value it refuses: `invalid_choice` for the rol's choice filters (as
    /// django-filter's ChoiceFilter), `invalid` otherwise.
    fn code(self) -> &'static str {
        match self {
            Self::RolMachtiging | Self::RolMaxLevelOfAssurance => "invalid_choice",
            _ => "invalid",
        }
    }
}

/// `(parameter, column, kind)` for every filter of the spec.
const PARAMS: &[(&str, &str, Kind)] = &[
    ("identificatie", "identificatie", Kind::Text),
    ("identificatie__icontains", "identificatie", Kind::IContains),
    (
        "omschrijving",
        "(state -> 'attributes' ->> 'omschrijving')",
        Kind::IContains,
    ),
    ("zaaktype__omschrijving", "", Kind::ZaaktypeOmschrijving),
    ("status__statustype", "", Kind::CurrentStatustype),
    (
        "resultaat__resultaattype",
        "resource ->> 'resultaattype'",
        Kind::Resultaattype,
    ),
    ("kenmerk", "", Kind::Kenmerk),
    ("kenmerk__bron", "", Kind::KenmerkBron),
    ("bronorganisatie", "bronorganisatie", Kind::Text),
    ("bronorganisatie__in", "bronorganisatie", Kind::TextIn),
    ("zaaktype", "zaaktype", Kind::Text),
    ("archiefnominatie", "archiefnominatie", Kind::Text),
    ("archiefnominatie__in", "archiefnominatie", Kind::TextIn),
    ("archiefactiedatum", "archiefactiedatum", Kind::Date("=")),
    (
        "archiefactiedatum__lt",
        "archiefactiedatum",
        Kind::Date("<"),
    ),
    (
        "archiefactiedatum__gt",
        "archiefactiedatum",
        Kind::Date(">"),
    ),
    (
        "archiefactiedatum__isnull",
        "archiefactiedatum",
        Kind::IsNull,
    ),
    ("archiefstatus", "archiefstatus", Kind::Text),
    ("archiefstatus__in", "archiefstatus", Kind::TextIn),
    ("startdatum", "startdatum", Kind::Date("=")),
    ("startdatum__gt", "startdatum", Kind::Date(">")),
    ("startdatum__gte", "startdatum", Kind::Date(">=")),
    ("startdatum__lt", "startdatum", Kind::Date("<")),
    ("startdatum__lte", "startdatum", Kind::Date("<=")),
    ("registratiedatum", "registratiedatum", Kind::Date("=")),
    ("registratiedatum__gt", "registratiedatum", Kind::Date(">")),
    ("registratiedatum__lt", "registratiedatum", Kind::Date("<")),
    ("einddatum", "einddatum", Kind::Date("=")),
    ("einddatum__gt", "einddatum", Kind::Date(">")),
    ("einddatum__lt", "einddatum", Kind::Date("<")),
    ("einddatum__isnull", "einddatum", Kind::IsNull),
    ("einddatumGepland", "einddatum_gepland", Kind::Date("=")),
    ("einddatumGepland__gt", "einddatum_gepland", Kind::Date(">")),
    ("einddatumGepland__lt", "einddatum_gepland", Kind::Date("<")),
    (
        "uiterlijkeEinddatumAfdoening",
        "uiterlijke_einddatum_afdoening",
        Kind::Date("="),
    ),
    (
        "uiterlijkeEinddatumAfdoening__gt",
        "uiterlijke_einddatum_afdoening",
        Kind::Date(">"),
    ),
    (
        "uiterlijkeEinddatumAfdoening__lt",
        "uiterlijke_einddatum_afdoening",
        Kind::Date("<"),
    ),
    (
        "maximaleVertrouwelijkheidaanduiding",
        "vertrouwelijkheid_rank",
        Kind::MaxVertrouwelijkheid,
    ),
    (
        "rol__betrokkeneType",
        "resource ->> 'betrokkeneType'",
        Kind::Rol,
    ),
    ("rol__betrokkene", "resource ->> 'betrokkene'", Kind::Rol),
    (
        "rol__omschrijvingGeneriek",
        "resource ->> 'omschrijvingGeneriek'",
        Kind::Rol,
    ),
    (
        "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn",
        "resource #>> '{betrokkeneIdentificatie,inpBsn}'",
        Kind::Rol,
    ),
    (
        "rol__betrokkeneIdentificatie__natuurlijkPersoon__anpIdentificatie",
        "resource #>> '{betrokkeneIdentificatie,anpIdentificatie}'",
        Kind::Rol,
    ),
    (
        "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpA_nummer",
        "resource #>> '{betrokkeneIdentificatie,inpA_nummer}'",
        Kind::Rol,
    ),
    (
        "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId",
        "resource #>> '{betrokkeneIdentificatie,innNnpId}'",
        Kind::Rol,
    ),
    (
        "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__annIdentificatie",
        "resource #>> '{betrokkeneIdentificatie,annIdentificatie}'",
        Kind::Rol,
    ),
    (
        "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer",
        "resource #>> '{betrokkeneIdentificatie,kvkNummer}'",
        Kind::RolOf("niet_natuurlijk_persoon"),
    ),
    (
        "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__vestigingsNummer",
        "resource #>> '{betrokkeneIdentificatie,vestigingsNummer}'",
        Kind::RolOf("niet_natuurlijk_persoon"),
    ),
    (
        "rol__betrokkeneIdentificatie__vestiging__vestigingsNummer",
        "resource #>> '{betrokkeneIdentificatie,vestigingsNummer}'",
        Kind::RolOf("vestiging"),
    ),
    (
        "rol__betrokkeneIdentificatie__vestiging__kvkNummer",
        "resource #>> '{betrokkeneIdentificatie,kvkNummer}'",
        Kind::RolOf("vestiging"),
    ),
    (
        "rol__betrokkeneIdentificatie__medewerker__identificatie",
        "resource #>> '{betrokkeneIdentificatie,identificatie}'",
        Kind::RolOf("medewerker"),
    ),
    (
        "rol__betrokkeneIdentificatie__organisatorischeEenheid__identificatie",
        "resource #>> '{betrokkeneIdentificatie,identificatie}'",
        Kind::RolOf("organisatorische_eenheid"),
    ),
    (
        "rol__machtiging",
        "coalesce(resource ->> 'indicatieMachtiging', '')",
        Kind::RolMachtiging,
    ),
    (
        "rol__machtiging__loa",
        "resource #>> '{authenticatieContext,levelOfAssurance}'",
        Kind::RolMaxLevelOfAssurance,
    ),
    ("expand", "", Kind::Ignored),
];

/// `ordering` values of the spec and their columns.
const ORDERING: &[(&str, &str)] = &[
    ("startdatum", "startdatum"),
    ("registratiedatum", "registratiedatum"),
    ("identificatie", "identificatie"),
    ("einddatum", "einddatum"),
    (
        "publicatiedatum",
        "(state->'attributes'->>'publicatiedatum')",
    ),
    ("archiefactiedatum", "archiefactiedatum"),
];

enum Condition {
    Text(&'static str, String),
    TextIn(&'static str, Vec<String>),
    Date(&'static str, &'static str, NaiveDate),
    IsNull(&'static str, bool),
    RankAtMost(i16),
    UuidIn(Vec<uuid::Uuid>),
    /// zaakgeometrie lies within this polygon (PostgreSQL notation).
    Within(String),
    /// The column contains the value, ignoring case.
    Contains(&'static str, String),
    /// The zaak has a part of this kind (of this betrokkeneType) whose expression equals
    /// the value (or, with `Any`, one of the values).
    Part {
        kind: &'static str,
        expression: &'static str,
        betrokkene_type: Option<&'static str>,
        value: PartValue,
    },
    CurrentStatustype(String),
    /// One of our zaaktypen whose omschrijving contains the value, ignoring case.
    ZaaktypeOmschrijving(String),
    /// The zaak's kenmerken contain this (a JSON array of one object).
    Kenmerken(Value),
}

enum PartValue {
    Is(String),
    Any(Vec<String>),
}

pub struct ZaakQuery {
    conditions: Vec<Condition>,
    order: Vec<(&'static str, bool)>,
    pub page: Paging,
}

impl ZaakQuery {
    pub fn parse(pairs: &[(String, String)]) -> Result<Self, ApiError> {
        let mut q = Self::empty();
        let mut errors = Vec::new();
        for (name, value) in pairs {
            q.apply(name, value, &mut errors)?;
        }
        q.finish(errors)
    }

    /// The body of `POST /zaken/_zoek`: the list's filters as JSON (lists for `__in`), and
    /// `uuid__in`, `zaaktype__in` and `zaakgeometrie.within` besides.
    pub fn search(body: &Value) -> Result<Self, ApiError> {
        let Value::Object(fields) = body else {
            return Err(ApiError::invalid(
                "nonFieldErrors",
                "invalid",
                "Ongeldige data. Verwacht een dictionary.",
            ));
        };
        let mut q = Self::empty();
        let mut errors = Vec::new();
        for (name, value) in fields {
            match (name.as_str(), value) {
                (_, Value::Null) => {}
                ("uuid__in", Value::Array(items)) => {
                    let uuids: Option<Vec<uuid::Uuid>> =
                        items.iter().map(|u| u.as_str()?.parse().ok()).collect();
                    match uuids {
                        Some(u) => q.conditions.push(Condition::UuidIn(u)),
                        None => {
                            errors.push(InvalidParam::new(name, "invalid", "Geen geldige UUID."))
                        }
                    }
                }
                ("zaaktype__in", Value::Array(items)) => q.conditions.push(Condition::TextIn(
                    "zaaktype",
                    items
                        .iter()
                        .filter_map(|u| u.as_str().map(str::to_owned))
                        .collect(),
                )),
                ("zaakgeometrie", geo) => {
                    match geo.get("within").and_then(projections::zaken::polygon) {
                        Some(p) => q.conditions.push(Condition::Within(p)),
                        None => errors.push(InvalidParam::new(
                            "zaakgeometrie",
                            "invalid",
                            "Verwacht {\"within\": een GeoJSON-geometrie}.",
                        )),
                    }
                }
                (_, value) => q.apply(name, &as_parameter(value), &mut errors)?,
            }
        }
        q.finish(errors)
    }

    fn empty() -> Self {
        Self {
            conditions: Vec::new(),
            order: Vec::new(),
            page: Paging::default(),
        }
    }

    fn finish(self, errors: Vec<InvalidParam>) -> Result<Self, ApiError> {
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(ApiError::Validation(errors))
        }
    }

    /// One filter parameter; a bad value is collected in `errors`.
    fn apply(
        &mut self,
        name: &str,
        value: &str,
        errors: &mut Vec<InvalidParam>,
    ) -> Result<(), ApiError> {
        if value.is_empty() && PARAMS.iter().any(|(p, ..)| *p == name) {
            return Ok(()); // an empty filter value means no filter, as in django-filter
        }
        if self.page.read(name, value)? {
            return Ok(());
        }
        match name {
            "ordering" => match ordering(value) {
                Ok(order) => self.order = order,
                Err(e) => errors.push(e),
            },
            _ => match PARAMS.iter().find(|(p, ..)| *p == name) {
                Some((_, column, kind)) => match condition(*kind, column, value) {
                    Ok(Some(c)) => self.conditions.push(c),
                    Ok(None) => {}
                    Err(reason) => errors.push(InvalidParam::new(name, kind.code(), reason)),
                },
                None => errors.push(InvalidParam::unknown_parameter(name)),
            },
        }
        Ok(())
    }

    /// True when only zaaktype and vertrouwelijkheid conditions filter: the exact count can
    /// then be summed from the `zaken_counts` totals (columns zaaktype and
    /// vertrouwelijkheid_rank, like `zaken`) instead of counting rows.
    pub fn counts_from_totals(&self) -> bool {
        self.conditions.iter().all(|c| {
            matches!(
                c,
                Condition::Text("zaaktype", _)
                    | Condition::TextIn("zaaktype", _)
                    | Condition::RankAtMost(_)
            )
        })
    }

    /// Appends ` WHERE ...` for the filters.
    pub fn push_where(&self, sql: &mut QueryBuilder<'_, Postgres>) {
        sql.push(" WHERE true");
        for c in &self.conditions {
            sql.push(" AND ");
            match c {
                Condition::Text(col, v) => {
                    sql.push(*col).push(" = ").push_bind(v.clone());
                }
                Condition::TextIn(col, v) => {
                    sql.push(*col)
                        .push(" = ANY(")
                        .push_bind(v.clone())
                        .push(")");
                }
                Condition::Date(col, op, d) => {
                    sql.push(*col).push(" ").push(*op).push(" ").push_bind(*d);
                }
                Condition::IsNull(col, true) => {
                    sql.push(*col).push(" IS NULL");
                }
                Condition::IsNull(col, false) => {
                    sql.push(*col).push(" IS NOT NULL");
                }
                Condition::RankAtMost(r) => {
                    sql.push("vertrouwelijkheid_rank <= ").push_bind(*r);
                }
                Condition::UuidIn(uuids) => {
                    sql.push("uuid = ANY(").push_bind(uuids.clone()).push(")");
                }
                Condition::Within(polygon) => {
                    sql.push("geometrie <@ ")
                        .push_bind(polygon.clone())
                        .push("::text::polygon");
                }
                Condition::Part {
                    kind,
                    expression,
                    betrokkene_type,
                    value,
                } => {
                    // The matching zaken first, as an array: with EXISTS the generic plan of
                    // the prepared statement walked every zaak in ordinal order and probed
                    // its rollen (867 ms at 100k zaken, BENCHMARKS.md); this is 0.3 ms. The
                    // expression's `resource` is the part's (the inner scope is searched first).
                    sql.push("uuid = ANY(ARRAY(SELECT p.zaak_uuid FROM zaak_parts p")
                        .push(format!(" WHERE p.kind = '{kind}' AND "))
                        .push(*expression);
                    match value {
                        PartValue::Is(v) => sql.push(" = ").push_bind(v.clone()),
                        PartValue::Any(v) => sql.push(" = ANY(").push_bind(v.clone()).push(")"),
                    };
                    if let Some(t) = betrokkene_type {
                        sql.push(format!(" AND p.resource ->> 'betrokkeneType' = '{t}'"));
                    }
                    sql.push("))");
                }
                Condition::Contains(col, v) => crate::list_filters::push_contains(sql, col, v),
                Condition::CurrentStatustype(url) => {
                    // The status the zaak shows as current (its `status`) has the type.
                    sql.push("(resource ->> 'status') = ANY(ARRAY(SELECT p.resource ->> 'url'")
                        .push(" FROM zaak_parts p WHERE p.kind = 'status'")
                        .push(" AND p.resource ->> 'statustype' = ")
                        .push_bind(url.clone())
                        .push("))");
                }
                Condition::ZaaktypeOmschrijving(v) => {
                    sql.push("zaaktype = ANY(ARRAY(SELECT t.resource ->> 'url'")
                        .push(" FROM catalogus_objecten t WHERE t.kind = 'zaaktype' AND ");
                    crate::list_filters::push_contains(sql, "t.omschrijving", v);
                    sql.push("))");
                }
                Condition::Kenmerken(contained) => {
                    sql.push("(state -> 'attributes' -> 'kenmerken')::jsonb @> ")
                        .push_bind(contained.clone());
                }
            }
        }
    }

    /// Appends ` ORDER BY ...`, ending on the insertion order so pages are stable.
    pub fn push_order(&self, sql: &mut QueryBuilder<'_, Postgres>) {
        sql.push(" ORDER BY ");
        for (col, desc) in &self.order {
            sql.push(*col).push(if *desc {
                " DESC NULLS LAST, "
            } else {
                " ASC NULLS FIRST, "
            });
        }
        sql.push("ordinal");
    }
}

fn condition(kind: Kind, column: &'static str, value: &str) -> Result<Option<Condition>, String> {
    Ok(Some(match kind {
        Kind::Text => Condition::Text(column, value.to_owned()),
        Kind::TextIn => Condition::TextIn(column, value.split(',').map(str::to_owned).collect()),
        Kind::Date(op) => Condition::Date(
            column,
            op,
            crate::iso8601::parse_date(value)
                .ok_or_else(|| "Voer een geldige datum in (YYYY-MM-DD).".to_owned())?,
        ),
        Kind::IsNull => Condition::IsNull(
            column,
            match value {
                "true" | "True" | "1" => true,
                "false" | "False" | "0" => false,
                _ => return Err("Voer true of false in.".into()),
            },
        ),
        Kind::MaxVertrouwelijkheid => Condition::RankAtMost(
            Vertrouwelijkheidaanduiding::parse(value)
                .ok_or_else(|| format!("'{value}' is een ongeldige keuze."))? as i16,
        ),
        Kind::Rol | Kind::RolOf(_) => Condition::Part {
            kind: "rol",
            expression: column,
            betrokkene_type: match kind {
                Kind::RolOf(t) => Some(t),
                _ => None,
            },
            value: PartValue::Is(value.to_owned()),
        },
        Kind::RolMachtiging => Condition::Part {
            kind: "rol",
            expression: column,
            betrokkene_type: None,
            value: PartValue::Is(match value {
                "eigen" => String::new(),
                v if super::parts::MACHTIGING.contains(&v) => value.to_owned(),
                _ => return Err(not_a_choice(value)),
            }),
        },
        Kind::RolMaxLevelOfAssurance => Condition::Part {
            kind: "rol",
            expression: column,
            betrokkene_type: None,
            value: PartValue::Any(
                domain::zaak::rol::levels_at_most(value)
                    .ok_or_else(|| not_a_choice(value))?
                    .iter()
                    .map(|l| (*l).to_owned())
                    .collect(),
            ),
        },
        Kind::Resultaattype => Condition::Part {
            kind: "resultaat",
            expression: column,
            betrokkene_type: None,
            value: PartValue::Is(url(value)?),
        },
        Kind::CurrentStatustype => Condition::CurrentStatustype(url(value)?),
        Kind::IContains => Condition::Contains(column, value.to_owned()),
        Kind::ZaaktypeOmschrijving => Condition::ZaaktypeOmschrijving(value.to_owned()),
        Kind::Kenmerk => {
            let (bron, kenmerk) = value
                .split_once(':')
                .filter(|(b, k)| !b.is_empty() && !k.is_empty() && !k.contains(':'))
                .ok_or_else(|| "Voer een waarde in van de vorm <bron>:<kenmerk>.".to_owned())?;
            Condition::Kenmerken(serde_json::json!([{"bron": bron, "kenmerk": kenmerk}]))
        }
        Kind::KenmerkBron => Condition::Kenmerken(serde_json::json!([{"bron": value}])),
        Kind::Ignored => return Ok(None),
    }))
}

fn not_a_choice(value: &str) -> String {
    format!("Selecteer een geldige keuze. {value} is geen beschikbare keuze.")
}

/// An absolute URL (Open Zaak's URLValidator on these filters).
fn url(value: &str) -> Result<String, String> {
    if crate::fields::is_http_url(value) {
        Ok(value.to_owned())
    } else {
        Err("Voer een geldige URL in.".to_owned())
    }
}

/// A JSON filter value as the query parameter it stands for.
fn as_parameter(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(as_parameter).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

fn ordering(value: &str) -> Result<Vec<(&'static str, bool)>, InvalidParam> {
    crate::list_filters::ordering(value, ORDERING)
        .map_err(|(code, reason)| InvalidParam::new("ordering", code, reason))
}

/// The query parameters of `GET /zaken` as the OpenAPI document describes them: this
/// module's table, `page` and `ordering`.
pub fn parameters() -> Vec<QueryParam> {
    let mut out = PAGING.to_vec();
    out.extend(PARAMS.iter().map(|(name, _, kind)| {
        param(
            name,
            match kind {
                Kind::Text
                | Kind::Rol
                | Kind::RolOf(_)
                | Kind::IContains
                | Kind::ZaaktypeOmschrijving
                | Kind::Kenmerk
                | Kind::KenmerkBron => ParamType::Text,
                Kind::RolMachtiging => ParamType::Choice(super::parts::MACHTIGING),
                Kind::RolMaxLevelOfAssurance => {
                    ParamType::Choice(domain::zaak::rol::LEVELS_OF_ASSURANCE)
                }
                Kind::Resultaattype | Kind::CurrentStatustype => ParamType::Url,
                Kind::TextIn => ParamType::List,
                Kind::Date(_) => ParamType::Date,
                Kind::IsNull => ParamType::Bool,
                Kind::MaxVertrouwelijkheid => {
                    ParamType::Choice(crate::catalogi::schema::VERTROUWELIJKHEID)
                }
                Kind::Ignored if *name == "expand" => ParamType::Expand,
                Kind::Ignored => ParamType::Text,
            },
        )
    }));
    out.push(param("ordering", ParamType::List));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn sql(q: &ZaakQuery) -> String {
        let mut b = QueryBuilder::new("SELECT 1 FROM zaken");
        q.push_where(&mut b);
        q.push_order(&mut b);
        b.into_sql()
    }

    #[test]
    fn an_unknown_query_parameter_is_refused() {
        let Err(ApiError::Validation(p)) = ZaakQuery::parse(&pairs(&[("foo", "bar")])) else {
            panic!()
        };
        assert_eq!(
            (p[0].name.as_str(), p[0].code.as_str()),
            ("nonFieldErrors", "unknown-parameters")
        );
    }

    #[test]
    fn filters_become_conditions_on_their_columns() {
        let q = ZaakQuery::parse(&pairs(&[
            ("zaaktype", "http://z"),
            ("startdatum__gte", "2026-01-01"),
            ("einddatum__isnull", "true"),
            ("maximaleVertrouwelijkheidaanduiding", "intern"),
            ("ordering", "-startdatum"),
        ]))
        .unwrap();
        assert_eq!(sql(&q), "SELECT 1 FROM zaken WHERE true AND zaaktype = $1 AND startdatum >= $2 AND einddatum IS NULL \
            AND vertrouwelijkheid_rank <= $3 ORDER BY startdatum DESC NULLS LAST, ordinal");
    }

    #[test]
    fn an_empty_filter_value_filters_nothing() {
        let q = ZaakQuery::parse(&pairs(&[("startdatum", ""), ("zaaktype", "")])).unwrap();
        assert_eq!(sql(&q), "SELECT 1 FROM zaken WHERE true ORDER BY ordinal");
    }

    #[test]
    fn a_malformed_filter_value_names_the_parameter() {
        let Err(ApiError::Validation(p)) =
            ZaakQuery::parse(&pairs(&[("startdatum", "gisteren"), ("ordering", "kleur")]))
        else {
            panic!()
        };
        let names: Vec<_> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["startdatum", "ordering"]);
    }
}
