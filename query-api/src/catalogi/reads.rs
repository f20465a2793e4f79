//! Lists and detail GETs (and HEADs) of every Catalogi API resource: single queries on the
//! catalogi read model. The scope is checked before (`crate::scopes`); catalogi objects are
//! not limited by zaaktype grants.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use event_schemas::catalogus::ObjectKind;
use serde_json::Value;
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

use super::filters::CatalogiQuery;
use crate::error::{ApiError, InvalidParam};
use crate::{pagination, resource, AppState, Caller};

/// `GET /{collection}` of `kind` (`None`: catalogussen).
pub(super) async fn list(
    kind: Option<ObjectKind>,
    State(s): State<AppState>,
    _caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let query = CatalogiQuery::parse(kind, &pairs, &s.urls)?;
    let mut count = QueryBuilder::new("SELECT count(*) FROM catalogus_objecten");
    query.push_where(&mut count);
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let mut select = QueryBuilder::new("SELECT resource FROM catalogus_objecten");
    query.push_where(&mut select);
    select
        .push(" ORDER BY ordinal LIMIT ")
        .push_bind(query.page.limit())
        .push(" OFFSET ")
        .push_bind(query.page.offset());
    let results: Vec<Value> = select
        .build_query_scalar()
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let collection = kind.map_or("catalogussen", ObjectKind::collection);
    let base = format!("{}/{collection}", s.urls.catalogi());
    let body = pagination::page(&base, &pairs, query.page, total, results)?;
    Ok(Json(body).into_response())
}

/// A zaaktype's detail takes `datumGeldigheid` (one version per uuid: it only filters),
/// every detail `asOf`; any other parameter is refused.
fn geldig_op(
    kind: Option<ObjectKind>,
    pairs: &[(String, String)],
) -> Result<Option<chrono::NaiveDate>, ApiError> {
    let mut out = None;
    for (name, value) in pairs {
        if name == "asOf" {
            continue; // crate::time_travel
        }
        if kind != Some(ObjectKind::Zaaktype) || name != "datumGeldigheid" {
            return Err(ApiError::Validation(vec![InvalidParam::unknown_parameter(
                name,
            )]));
        }
        if !value.is_empty() {
            let date = crate::iso8601::parse_date(value).ok_or_else(|| {
                ApiError::invalid("datumGeldigheid", "invalid", "Voer een geldige datum in.")
            })?;
            out = Some(date);
        }
    }
    Ok(out)
}

/// `GET /{collection}/{uuid}` of `kind` (`None`: a catalogus), with ETag / If-None-Match.
pub(super) async fn detail(
    kind: Option<ObjectKind>,
    State(s): State<AppState>,
    _caller: Caller,
    Path(uuid): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let geldig_op = geldig_op(kind, &pairs)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    if let Some(instant) = crate::time_travel::requested(&headers, &pairs)? {
        return crate::time_travel::catalogi_resource(&s, kind, uuid, geldig_op, instant).await;
    }
    let row = sqlx::query(
        "SELECT resource, etag FROM catalogus_objecten WHERE uuid = $1 AND kind = $2
            AND ($3::date IS NULL OR (begin_geldigheid <= $3
                AND (einde_geldigheid IS NULL OR einde_geldigheid >= $3)))",
    )
    .bind(uuid)
    .bind(kind.map_or("catalogus", ObjectKind::as_str))
    .bind(geldig_op)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    let etag: String = row.get("etag");
    Ok(resource::detail(&headers, row.get("resource"), &etag))
}

/// Whether object `uuid` of `kind` is served (a child of a deleted zaaktype no longer is,
/// although its stream remains).
pub(super) async fn served(s: &AppState, uuid: Uuid, kind: ObjectKind) -> Result<bool, ApiError> {
    sqlx::query("SELECT 1 FROM catalogus_objecten WHERE uuid = $1 AND kind = $2")
        .bind(uuid)
        .bind(kind.as_str())
        .fetch_optional(&s.pool)
        .await
        .map(|row| row.is_some())
        .map_err(ApiError::internal)
}
