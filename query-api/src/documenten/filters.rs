//! `GET /enkelvoudiginformatieobjecten` and `POST .../_zoek`: one page of the latest
//! versions the caller may read, filtered (`list_query`), ordered and counted in SQL.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use event_schemas::applicatie::Component;
use serde_json::Value;
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::list_query::ListQuery;
use crate::authorisation::GrantsFilter;
use crate::error::ApiError;
use crate::{headers, pagination, resource, AppState, Caller};

pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let query = ListQuery::parse(&pairs)?;
    let base = format!("{}/enkelvoudiginformatieobjecten", s.urls.documenten());
    page(&s, (&caller, &headers), &query, &base, &pairs).await
}

/// `POST /_zoek`: `uuid__in` (required) in a JSON body; `page` stays a query parameter.
pub async fn search(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let pairs = resource::query_pairs(raw)?;
    let body = resource::parse_search(&body)?;
    let uuids = body.get("uuid__in").or_else(|| body.get("uuid_In"));
    let Some(Value::Array(items)) = uuids else {
        return Err(ApiError::invalid(
            "uuid__in",
            "required",
            "Dit veld is vereist.",
        ));
    };
    let parsed: Option<Vec<Uuid>> = items
        .iter()
        .map(|v| v.as_str().and_then(|s| s.parse().ok()))
        .collect();
    let mut query =
        ListQuery::uuids(parsed.ok_or_else(|| {
            ApiError::invalid("uuid__in", "invalid", "Voer een geldige UUID in.")
        })?);
    for (name, value) in &pairs {
        match name.as_str() {
            _ if query.page.read(name, value)? => {}
            "expand" => {} // accepted, not applied yet (ARCHITECTURE.md, Documenten API)
            _ => return Err(ApiError::unknown_parameter(name)),
        }
    }
    let base = format!(
        "{}/enkelvoudiginformatieobjecten/_zoek",
        s.urls.documenten()
    );
    page(&s, (&caller, &headers), &query, &base, &pairs).await
}

/// One page of the latest versions `query` selects among those the caller may read,
/// recorded in the read log.
async fn page(
    s: &AppState,
    (caller, headers): (&Caller, &HeaderMap),
    query: &ListQuery,
    base: &str,
    pairs: &[(String, String)],
) -> Result<Response, ApiError> {
    let grants = caller.grants(Component::Drc, "documenten.lezen");
    let mut count = QueryBuilder::new("SELECT count(*) FROM document_versies");
    query.push_where(&mut count);
    grants.push_filter(&mut count, "informatieobjecttype", "vertrouwelijkheid_rank");
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let mut select = QueryBuilder::new("SELECT uuid, resource::text FROM document_versies");
    query.push_where(&mut select);
    grants.push_filter(
        &mut select,
        "informatieobjecttype",
        "vertrouwelijkheid_rank",
    );
    query.push_order(&mut select);
    select
        .push(" LIMIT ")
        .push_bind(query.page.limit())
        .push(" OFFSET ")
        .push_bind(query.page.offset());
    let (documents, results) = pagination::raw_rows(&mut select, &s.pool).await?;
    let url = pagination::asked(base, pairs);
    let resource = ("drc", "enkelvoudiginformatieobject");
    s.reads
        .record_list(caller, headers, resource, &url, documents)
        .await;
    let body = pagination::page(base, pairs, query.page, total, results)?;
    Ok(Json(body).into_response())
}
