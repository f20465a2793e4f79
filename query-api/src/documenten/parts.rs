//! Gebruiksrechten, objectinformatieobjecten and verzendingen: parts in their document's
//! stream, served by one set of handlers (`SPECS` says per kind what it has). Reads come
//! from `document_parts`, filtered by the caller's grants on the document.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use commands::documenten::{DocumentOutcome, NewPart, PartChange, PART_BIJWERKEN, VERWIJDEREN};
use event_schemas::applicatie::Component;
use event_schemas::document::DocumentPartKind as Kind;
use projections::documenten::{render, NAME as DOCUMENTEN};
use sqlx::{Postgres, QueryBuilder, Row};
use uuid::Uuid;

use super::part_dto;
use crate::authorisation::GrantsFilter;
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::openapi::params::{param, ParamType, QueryParam, EXPAND, PAGING};
use crate::{headers, pagination, resource, AppState, Caller};

/// How a kind's list is filtered: `(parameter, SQL expression on the row, operator)`.
type Filter = (&'static str, &'static str, &'static str);

const GEBRUIKSRECHT_FILTERS: &[Filter] = &[
    ("informatieobject", "resource->>'informatieobject'", "="),
    (
        "startdatum__lt",
        "(resource->>'startdatum')::timestamptz",
        "<",
    ),
    (
        "startdatum__lte",
        "(resource->>'startdatum')::timestamptz",
        "<=",
    ),
    (
        "startdatum__gt",
        "(resource->>'startdatum')::timestamptz",
        ">",
    ),
    (
        "startdatum__gte",
        "(resource->>'startdatum')::timestamptz",
        ">=",
    ),
    (
        "einddatum__lt",
        "(resource->>'einddatum')::timestamptz",
        "<",
    ),
    (
        "einddatum__lte",
        "(resource->>'einddatum')::timestamptz",
        "<=",
    ),
    (
        "einddatum__gt",
        "(resource->>'einddatum')::timestamptz",
        ">",
    ),
    (
        "einddatum__gte",
        "(resource->>'einddatum')::timestamptz",
        ">=",
    ),
];
const OIO_FILTERS: &[Filter] = &[
    ("informatieobject", "resource->>'informatieobject'", "="),
    ("object", "resource->>'object'", "="),
];
const VERZENDING_FILTERS: &[Filter] = &[
    ("informatieobject", "resource->>'informatieobject'", "="),
    ("aardRelatie", "resource->>'aardRelatie'", "="),
    ("betrokkene", "resource->>'betrokkene'", "="),
];

fn filters(kind: Kind) -> &'static [Filter] {
    match kind {
        Kind::Gebruiksrecht => GEBRUIKSRECHT_FILTERS,
        Kind::Objectinformatieobject => OIO_FILTERS,
        Kind::Verzending => VERZENDING_FILTERS,
    }
}

/// The query parameters of the list of `kind`, for the OpenAPI document.
pub(super) fn parameters(kind: Kind) -> Vec<QueryParam> {
    let paging = if paginated(kind) { &PAGING[..] } else { &[] };
    paging
        .iter()
        .copied()
        .chain(filters(kind).iter().map(|(name, _, op)| {
            let ty = match *op {
                "=" if name.ends_with("informatieobject") || *name == "object" => ParamType::Url,
                "=" => ParamType::Text,
                _ => ParamType::DateTime,
            };
            param(name, ty)
        }))
        .chain([EXPAND])
        .collect()
}

/// Verzendingen are listed in pages, the others as plain arrays (as the spec has them).
fn paginated(kind: Kind) -> bool {
    kind == Kind::Verzending
}

pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for kind in [
        Kind::Gebruiksrecht,
        Kind::Objectinformatieobject,
        Kind::Verzending,
    ] {
        let collection = format!("/{}", kind.collection());
        let list_route = get(move |s, c, h, q| list(s, c, h, q, kind))
            .post(move |s, c, h, b| create(s, c, h, b, kind));
        let mut detail_route = get(move |s, c, h, p, q| detail(s, c, h, p, q, kind))
            .delete(move |s, c, p| destroy(s, c, p, kind));
        if kind != Kind::Objectinformatieobject {
            detail_route = detail_route
                .put(move |s, c, h, p, b| write(s, c, h, p, b, kind, false))
                .patch(move |s, c, h, p, b| write(s, c, h, p, b, kind, true));
        }
        router = router
            .route(&collection, list_route)
            .route(&format!("{collection}/{{uuid}}"), detail_route);
    }
    router
}

async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    kind: Kind,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let mut page = pagination::Paging::default();
    for (k, v) in &pairs {
        if paginated(kind) && page.read(k, v)? {
            continue;
        }
        if let Some((_, _, op)) = filters(kind).iter().find(|(name, ..)| name == k) {
            if *op != "=" && crate::iso8601::parse_datetime(v).is_none() {
                return Err(ApiError::invalid(
                    k,
                    "invalid",
                    "Voer een geldige datum/tijd in.",
                ));
            }
        } else if k != "expand" {
            return Err(ApiError::unknown_parameter(k));
        }
    }
    let grants = caller.grants(Component::Drc, "documenten.lezen");
    // The rows of this kind the filters select and the caller may read.
    let selected = |columns: &str| {
        let mut sql = QueryBuilder::new(format!(
            "SELECT {columns} FROM document_parts WHERE kind = "
        ));
        sql.push_bind(kind.as_str());
        push_filters(&mut sql, &pairs, kind);
        grants.push_filter(&mut sql, "informatieobjecttype", "vertrouwelijkheid_rank");
        sql
    };
    let mut select = selected("document_uuid, resource::text");
    select.push(" ORDER BY document_uuid, seq");
    let base = format!("{}/{}", s.urls.documenten(), kind.collection());
    // Recorded as reads of the documents the rows belong to.
    let record = |documents: Vec<Uuid>| {
        let url = pagination::asked(&base, &pairs);
        let reads = s.reads.clone();
        let (caller, headers) = (&caller, &headers);
        async move {
            let resource = ("drc", kind.as_str());
            reads
                .record_list(caller, headers, resource, &url, documents)
                .await
        }
    };
    if !paginated(kind) {
        let (documents, rows) = pagination::raw_rows(&mut select, &s.pool).await?;
        record(documents).await;
        return Ok(Json(rows).into_response());
    }
    let total: i64 = selected("count(*)")
        .build_query_scalar()
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    select
        .push(" LIMIT ")
        .push_bind(page.limit())
        .push(" OFFSET ")
        .push_bind(page.offset());
    let (documents, results) = pagination::raw_rows(&mut select, &s.pool).await?;
    record(documents).await;
    Ok(Json(pagination::page(&base, &pairs, page, total, results)?).into_response())
}

/// The list's filter conditions with their values bound (checked by `list` already).
fn push_filters(sql: &mut QueryBuilder<'_, Postgres>, pairs: &[(String, String)], kind: Kind) {
    for (k, v) in pairs {
        let Some((_, expr, op)) = filters(kind).iter().find(|(name, ..)| name == k) else {
            continue;
        };
        sql.push(format!(" AND {expr} {op} "));
        if *op == "=" {
            sql.push_bind(v.clone());
        } else if let Some(at) = crate::iso8601::parse_datetime(v) {
            sql.push_bind(at);
        }
    }
}

/// A part's row after the caller's `scope` check on its document.
async fn part_row(
    s: &AppState,
    caller: &Caller,
    uuid: &str,
    kind: Kind,
    scope: &str,
) -> Result<(Uuid, Uuid, sqlx::postgres::PgRow), ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let row = sqlx::query(
        "SELECT document_uuid, informatieobjecttype, vertrouwelijkheid_rank, resource, etag
         FROM document_parts WHERE uuid = $1 AND kind = $2",
    )
    .bind(uuid)
    .bind(kind.as_str())
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    let rank: i16 = row.get("vertrouwelijkheid_rank");
    let vertrouwelijkheid = event_schemas::zaak::Vertrouwelijkheidaanduiding::ALL
        .get(rank as usize)
        .copied()
        .ok_or_else(|| ApiError::internal("stored rank is unknown"))?;
    let iot: String = row.get("informatieobjecttype");
    caller.require(Component::Drc, scope, &iot, vertrouwelijkheid)?;
    Ok((uuid, row.get("document_uuid"), row))
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(uuid): Path<String>,
    RawQuery(raw): RawQuery,
    kind: Kind,
) -> Result<Response, ApiError> {
    if let Some((k, _)) = resource::query_pairs(raw)?
        .iter()
        .find(|(k, _)| k != "expand")
    {
        return Err(ApiError::unknown_parameter(k));
    }
    let (uuid, document, row) = part_row(&s, &caller, &uuid, kind, "documenten.lezen").await?;
    let read = (kind.as_str(), s.urls.document_part(kind, uuid));
    crate::reads::document_part(&s, (&caller, &headers), document, read).await;
    let etag: String = row.get("etag");
    Ok(resource::detail(&headers, row.get("resource"), &etag))
}

/// The part as the write left it, rendered as a GET will return it (after the read model
/// shows the write).
async fn respond_part(
    s: &AppState,
    outcome: DocumentOutcome,
    uuid: Uuid,
    status: StatusCode,
) -> Result<Response, ApiError> {
    s.wait_for(DOCUMENTEN, outcome.position).await;
    let doc = outcome.state.ok_or(ApiError::NotFound)?;
    let part = doc.parts.get(&uuid).ok_or(ApiError::NotFound)?;
    let body = render::part(&doc, uuid, part, &s.urls);
    let location = (status == StatusCode::CREATED).then(|| s.urls.document_part(part.kind, uuid));
    Ok(resource::respond(status, body, location))
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
    kind: Kind,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let body = resource::parse_json(&body)?;
    let (informatieobject, attributes) = part_dto::parse(kind, &body)?;
    let new = NewPart {
        kind,
        informatieobject,
        attributes,
    };
    let ctx = s.context(&caller);
    let (outcome, uuid) = super::service(&s)
        .add_part(&caller.authorisation, &ctx, new)
        .await?;
    respond_part(&s, outcome, uuid, StatusCode::CREATED).await
}

async fn write(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(uuid): Path<String>,
    body: Bytes,
    kind: Kind,
    partial: bool,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let (uuid, document, row) = part_row(&s, &caller, &uuid, kind, PART_BIJWERKEN).await?;
    let body = resource::parse_json(&body)?;
    let input = if partial {
        resource::merge_patch(row.get("resource"), &body)?
    } else {
        body
    };
    let (informatieobject, attributes) = part_dto::parse(kind, &input)?;
    let ids = (document, uuid);
    let change = PartChange::new(&s.urls, ids, &informatieobject, attributes, partial)?;
    let ctx = s.write_context(&caller, Target::DocumentPart, uuid).await?;
    let outcome = super::service(&s)
        .update_part(&caller.authorisation, &ctx, change)
        .await?;
    respond_part(&s, outcome, uuid, StatusCode::OK).await
}

async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    kind: Kind,
) -> Result<Response, ApiError> {
    let (uuid, document, _) = part_row(&s, &caller, &uuid, kind, VERWIJDEREN).await?;
    let documenten = super::service(&s);
    let auth = &caller.authorisation;
    let removal = documenten.removal(auth, document, uuid).await?;
    let ctx = s.write_context(&caller, Target::DocumentPart, uuid).await?;
    let outcome = documenten.remove_part(auth, &ctx, removal).await?;
    s.wait_for(DOCUMENTEN, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}
