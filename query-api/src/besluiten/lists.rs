//! `GET /besluiten`: a page of besluiten, the spec's filters and the caller's brc grants
//! applied in SQL, `expand` embedded.

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use event_schemas::applicatie::Component;
use serde_json::Value;
use sqlx::QueryBuilder;

use super::filters::{Filter, Query};
use super::LEZEN;
use crate::authorisation::GrantsFilter;
use crate::error::ApiError;
use crate::zaken::expand;
use crate::zaken::lists::expand_of;
use crate::{pagination, resource, AppState, Caller};

pub(super) const FILTERS: &[(&str, Filter)] = &[
    ("identificatie", Filter::Text("identificatie")),
    (
        "verantwoordelijkeOrganisatie",
        Filter::Text("verantwoordelijke_organisatie"),
    ),
    ("besluittype", Filter::Url("besluittype")),
    ("zaak", Filter::Url("zaak")),
];

/// A page of besluiten: the filters and the caller's grants applied in SQL.
pub(super) async fn list(
    State(s): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let query = Query::parse(FILTERS, true, &s.urls, &pairs)?;
    let grants = caller.grants(Component::Brc, LEZEN);
    let filtered = |select: &str| {
        let mut sql = QueryBuilder::new(select);
        sql.push(" FROM besluiten WHERE true");
        query.push_conditions(&mut sql);
        grants.push_filter(&mut sql, "besluittype", "0");
        sql
    };
    let total: i64 = filtered("SELECT count(*)")
        .build_query_scalar()
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let mut select = filtered("SELECT resource");
    select
        .push(" ORDER BY ordinal LIMIT ")
        .push_bind(query.page.limit())
        .push(" OFFSET ")
        .push_bind(query.page.offset());
    let mut results: Vec<Value> = select
        .build_query_scalar()
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    expand::apply(&s, &caller, &mut results, &expand_of(&pairs)?).await?;
    let base = format!("{}/besluiten/api/v1/besluiten", s.urls.base());
    let body = pagination::page(&base, &pairs, query.page, total, results)?;
    Ok(Json(body).into_response())
}
