//! `GET /zaken` and `POST /zaken/_zoek`: one page of the zaken the caller may read, filtered
//! and counted in SQL, expanded on request.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use event_schemas::applicatie::Component;
use serde_json::Value;
use sqlx::QueryBuilder;

use super::expand;
use super::filters::ZaakQuery;
use super::routes::{check_write_headers, with_crs};
use crate::authorisation::GrantsFilter;
use crate::error::{ApiError, InvalidParam};
use crate::headers;
use crate::{pagination, resource, AppState, Caller};

/// The `expand` parameter of a query string.
pub fn expand_of(pairs: &[(String, String)]) -> Result<expand::Tree, ApiError> {
    match pairs.iter().rev().find(|(k, _)| k == "expand") {
        Some((_, v)) => expand::Tree::parse(v),
        None => Ok(expand::Tree::default()),
    }
}

pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    headers::require_accept_crs(&headers)?;
    let pairs = resource::query_pairs(raw)?;
    let query = ZaakQuery::parse(&pairs)?;
    let base = format!("{}/zaken/api/v1/zaken", s.urls.base());
    let tree = expand_of(&pairs)?;
    page_of_zaken(&s, (&caller, &headers), (&query, &tree), &base, &pairs).await
}

/// `POST /zaken/_zoek`: the list's filters in a JSON body, with geometry, uuid and zaaktype
/// sets besides; `page` stays a query parameter.
pub async fn search(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    check_write_headers(&headers)?;
    let pairs = resource::query_pairs(raw)?;
    let body = resource::parse_search(&body)?;
    let mut query = ZaakQuery::search(&body)?;
    // `expand` in the body, or as a query parameter (the reference lists it there too).
    let tree = match body.get("expand").and_then(Value::as_str) {
        Some(e) => expand::Tree::parse(e)?,
        None => expand_of(&pairs)?,
    };
    for (name, value) in &pairs {
        match name.as_str() {
            _ if query.page.read(name, value)? => {}
            "expand" => {} // read above
            _ => {
                return Err(ApiError::Validation(vec![InvalidParam::unknown_parameter(
                    name,
                )]))
            }
        }
    }
    let base = format!("{}/zaken/api/v1/zaken/_zoek", s.urls.base());
    page_of_zaken(&s, (&caller, &headers), (&query, &tree), &base, &pairs).await
}

/// One page of the zaken `query` selects among those the caller may read (filtered in SQL),
/// recorded in the read log.
async fn page_of_zaken(
    s: &AppState,
    (caller, headers): (&Caller, &HeaderMap),
    (query, tree): (&ZaakQuery, &expand::Tree),
    base: &str,
    pairs: &[(String, String)],
) -> Result<Response, ApiError> {
    let grants = caller.grants(Component::Zrc, "zaken.lezen");
    let mut count = if query.counts_from_totals() {
        let mut totals = QueryBuilder::new("SELECT coalesce(sum(n), 0)::bigint FROM zaken_counts");
        grants.push_join(&mut totals, "zaaktype", "vertrouwelijkheid_rank");
        query.push_where(&mut totals);
        totals
    } else {
        let mut rows = QueryBuilder::new("SELECT count(*) FROM zaken");
        query.push_where(&mut rows);
        grants.push_filter(&mut rows, "zaaktype", "vertrouwelijkheid_rank");
        rows
    };
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let mut select = QueryBuilder::new("SELECT uuid, resource::text FROM zaken");
    query.push_where(&mut select);
    grants.push_filter(&mut select, "zaaktype", "vertrouwelijkheid_rank");
    query.push_order(&mut select);
    select
        .push(" LIMIT ")
        .push_bind(query.page.limit())
        .push(" OFFSET ")
        .push_bind(query.page.offset());
    let (zaken, results) = pagination::raw_rows(&mut select, &s.pool).await?;
    let url = pagination::asked(base, pairs);
    s.reads
        .record_list(caller, headers, ("zrc", "zaak"), &url, zaken)
        .await;
    if !tree.is_empty() {
        let mut results: Vec<Value> = results
            .iter()
            .map(|r| serde_json::from_str(r.get()))
            .collect::<Result<_, _>>()
            .map_err(ApiError::internal)?;
        expand::apply(s, caller, &mut results, tree).await?;
        let body = pagination::page(base, pairs, query.page, total, results)?;
        return Ok(with_crs(Json(body).into_response()));
    }
    let body = pagination::page(base, pairs, query.page, total, results)?;
    Ok(with_crs(Json(body).into_response()))
}

/// A zaak as the read model has it after a write (it also shows what other zaken say of
/// it: deelzaken), rendered from `zaak` when the row is not there.
pub(crate) async fn stored(s: &AppState, zaak: &domain::zaak::Zaak) -> Result<Value, ApiError> {
    let stored: Option<Value> = sqlx::query_scalar("SELECT resource FROM zaken WHERE uuid = $1")
        .bind(zaak.uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    Ok(stored.unwrap_or_else(|| projections::render::zaak(zaak, &s.urls)))
}
