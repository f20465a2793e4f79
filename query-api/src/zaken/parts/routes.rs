//! One set of handlers for every part kind of [`super::SPECS`]: the routes and the reads
//! here, the writes in `writes.rs`. Writes are commands on the
//! zaak's stream (read-your-writes on the zaken projection, which also keeps `zaak_parts`);
//! reads are single queries on `zaak_parts`, filtered by the caller's grants in SQL.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};
use event_schemas::applicatie::Component;
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use serde_json::Value;
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

use super::filters::PartQuery;
use super::writes;
use super::{Listing, Spec, SPECS};
use crate::authorisation::GrantsFilter;
use crate::error::ApiError;
use crate::{pagination, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    SPECS.iter().fold(Router::new(), |r, spec| {
        let list = spec.collection();
        let detail = format!("{list}/{{uuid}}");
        r.route(&list, collection_routes(spec))
            .route(&detail, detail_routes(spec))
    })
}

/// The path parameters of a request: the zaak (nested kinds) and the part (detail routes).
#[derive(Default)]
pub(super) struct Ids {
    pub zaak: Option<String>,
    pub part: Option<String>,
}

fn ids(spec: &Spec, mut params: Vec<String>, detail: bool) -> Ids {
    let part = detail.then(|| params.pop()).flatten();
    let zaak = spec.nested.then(|| params.pop()).flatten();
    Ids { zaak, part }
}

fn collection_routes(spec: &'static Spec) -> MethodRouter<AppState> {
    get(
        move |s: State<AppState>,
              c: Caller,
              p: Option<Path<Vec<String>>>,
              h: HeaderMap,
              q: RawQuery| async move {
            list(spec, s, c, h, ids(spec, params(p), false), q).await
        },
    )
    .post(
        move |s: State<AppState>,
              c: Caller,
              p: Option<Path<Vec<String>>>,
              h: HeaderMap,
              b: Bytes| async move {
            writes::create(spec, s, c, ids(spec, params(p), false), h, b).await
        },
    )
}

fn detail_routes(spec: &'static Spec) -> MethodRouter<AppState> {
    let mut routes = get(
        move |s: State<AppState>, c: Caller, p: Path<Vec<String>>, h: HeaderMap, q: RawQuery| async move {
            detail(spec, s, c, ids(spec, p.0, true), h, q).await
        },
    );
    if spec.updatable {
        routes = routes
            .put(
                move |s: State<AppState>,
                      c: Caller,
                      p: Path<Vec<String>>,
                      h: HeaderMap,
                      b: Bytes| async move {
                    writes::update(spec, s, c, ids(spec, p.0, true), h, b, false).await
                },
            )
            .patch(
                move |s: State<AppState>,
                      c: Caller,
                      p: Path<Vec<String>>,
                      h: HeaderMap,
                      b: Bytes| async move {
                    writes::update(spec, s, c, ids(spec, p.0, true), h, b, true).await
                },
            );
    }
    if spec.deletable {
        routes = routes.delete(
            move |s: State<AppState>, c: Caller, p: Path<Vec<String>>| async move {
                writes::remove(spec, s, c, ids(spec, p.0, true)).await
            },
        );
    }
    routes
}

fn params(p: Option<Path<Vec<String>>>) -> Vec<String> {
    p.map(|p| p.0).unwrap_or_default()
}

pub(super) fn parse_uuid(raw: Option<&String>) -> Result<Uuid, ApiError> {
    raw.and_then(|s| s.parse().ok()).ok_or(ApiError::NotFound)
}

/// The zaak a list or a nested write is about: 404 when it does not exist, 403 when the
/// caller may not `scope` it.
pub async fn require_on_zaak(
    s: &AppState,
    caller: &Caller,
    uuid: Uuid,
    scope: &str,
) -> Result<(), ApiError> {
    let row: Option<(String, i16)> =
        sqlx::query_as("SELECT zaaktype, vertrouwelijkheid_rank FROM zaken WHERE uuid = $1")
            .bind(uuid)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?;
    let (zaaktype, rank) = row.ok_or(ApiError::NotFound)?;
    caller.require(
        Component::Zrc,
        scope,
        &zaaktype,
        rank_to_vertrouwelijkheid(rank)?,
    )
}

fn rank_to_vertrouwelijkheid(rank: i16) -> Result<Vertrouwelijkheidaanduiding, ApiError> {
    usize::try_from(rank)
        .ok()
        .and_then(|r| Vertrouwelijkheidaanduiding::ALL.get(r).copied())
        .ok_or_else(|| ApiError::internal("stored vertrouwelijkheid rank is unknown"))
}

async fn list(
    spec: &'static Spec,
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ids: Ids,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let zaak = match &ids.zaak {
        Some(raw) => {
            let uuid = parse_uuid(Some(raw))?;
            require_on_zaak(&s, &caller, uuid, "zaken.lezen").await?;
            Some(uuid)
        }
        None => None,
    };
    list_rows(&s, (&caller, &headers), &spec.listing(), zaak, raw).await
}

/// A list of one kind of `zaak_parts` rows (of one zaak, when given): its filters applied
/// and the caller's grants, in SQL; a page or a plain array as the listing says, recorded in
/// the read log as reads of their zaken.
pub async fn list_rows(
    s: &AppState,
    (caller, headers): (&Caller, &HeaderMap),
    listing: &Listing,
    zaak: Option<Uuid>,
    raw_query: Option<String>,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw_query)?;
    let query = PartQuery::parse(listing, &s.urls, &pairs)?;
    let grants = caller.grants(Component::Zrc, "zaken.lezen");
    let filtered = |select: &str| {
        let mut sql = QueryBuilder::new(select);
        sql.push(" FROM zaak_parts WHERE kind = ")
            .push_bind(listing.kind);
        if let Some(uuid) = zaak {
            sql.push(" AND zaak_uuid = ").push_bind(uuid);
        }
        query.push_conditions(&mut sql);
        grants.push_filter(&mut sql, "zaaktype", "vertrouwelijkheid_rank");
        sql
    };
    let mut select = filtered("SELECT zaak_uuid, resource::text");
    select.push(" ORDER BY ordinal");
    let base = format!("{}/zaken/api/v1{}", s.urls.base(), listing.collection);
    let record = |zaken: Vec<Uuid>| {
        let url = pagination::asked(&base, &pairs);
        async move {
            let resource = ("zrc", listing.kind);
            s.reads
                .record_list(caller, headers, resource, &url, zaken)
                .await
        }
    };
    if !listing.paginated {
        let (zaken, results) = pagination::raw_rows(&mut select, &s.pool).await?;
        record(zaken).await;
        return Ok(Json(results).into_response());
    }
    select
        .push(" LIMIT ")
        .push_bind(query.page.limit())
        .push(" OFFSET ")
        .push_bind(query.page.offset());
    let total: i64 = filtered("SELECT count(*)")
        .build_query_scalar()
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let (zaken, results) = pagination::raw_rows(&mut select, &s.pool).await?;
    record(zaken).await;
    let body = pagination::page(&base, &pairs, query.page, total, results)?;
    Ok(Json(body).into_response())
}

/// A stored part: its zaak and what the grant check needs.
pub(super) struct Stored {
    pub zaak: Uuid,
    pub resource: Value,
    etag: String,
}

/// The part `ids` names, if the caller may `scope` its zaak; 404 when it does not exist
/// (or is not of this kind, or not under the zaak of the path).
pub(super) async fn stored(
    spec: &Spec,
    s: &AppState,
    caller: &Caller,
    ids: &Ids,
    scope: &str,
) -> Result<Stored, ApiError> {
    stored_row(s, caller, spec.kind.as_str(), ids, scope).await
}

/// A `zaak_parts` row of `kind`, if the caller may `scope` its zaak (see [`stored`]).
async fn stored_row(
    s: &AppState,
    caller: &Caller,
    kind: &str,
    ids: &Ids,
    scope: &str,
) -> Result<Stored, ApiError> {
    let uuid = parse_uuid(ids.part.as_ref())?;
    let row = sqlx::query(
        "SELECT zaak_uuid, zaaktype, vertrouwelijkheid_rank, resource, etag
         FROM zaak_parts WHERE uuid = $1 AND kind = $2",
    )
    .bind(uuid)
    .bind(kind)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    let zaak: Uuid = row.get("zaak_uuid");
    if ids.zaak.is_some() && Some(zaak) != ids.zaak.as_ref().and_then(|z| z.parse().ok()) {
        return Err(ApiError::NotFound);
    }
    let zaaktype: String = row.get("zaaktype");
    let rank = rank_to_vertrouwelijkheid(row.get("vertrouwelijkheid_rank"))?;
    caller.require(Component::Zrc, scope, &zaaktype, rank)?;
    Ok(Stored {
        zaak,
        resource: row.get("resource"),
        etag: row.get("etag"),
    })
}

async fn detail(
    spec: &'static Spec,
    State(s): State<AppState>,
    caller: Caller,
    ids: Ids,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    if let Some(instant) = crate::time_travel::requested(&headers, &resource::query_pairs(raw)?)? {
        let uuid = ids
            .part
            .as_deref()
            .and_then(|u| u.parse().ok())
            .ok_or(ApiError::NotFound)?;
        return crate::time_travel::part(&s, &caller, spec.kind.as_str(), uuid, instant).await;
    }
    let part = stored(spec, &s, &caller, &ids, "zaken.lezen").await?;
    crate::reads::zaak_part(&s, &caller, &headers, spec.kind.as_str(), &part.resource).await;
    Ok(resource::detail(&headers, part.resource, &part.etag))
}

/// `GET` of the `zaak_parts` row `uuid` of `kind`, under the caller's zaken.lezen grants.
pub async fn detail_row(
    s: &AppState,
    caller: &Caller,
    kind: &str,
    uuid: Option<&String>,
    headers: &HeaderMap,
    raw_query: Option<String>,
) -> Result<Response, ApiError> {
    if let Some(instant) =
        crate::time_travel::requested(headers, &resource::query_pairs(raw_query)?)?
    {
        let part = uuid
            .and_then(|u| u.parse().ok())
            .ok_or(ApiError::NotFound)?;
        return crate::time_travel::part(s, caller, kind, part, instant).await;
    }
    let ids = Ids {
        zaak: None,
        part: uuid.cloned(),
    };
    let part = stored_row(s, caller, kind, &ids, "zaken.lezen").await?;
    crate::reads::zaak_part(s, caller, headers, kind, &part.resource).await;
    Ok(resource::detail(headers, part.resource, &part.etag))
}
