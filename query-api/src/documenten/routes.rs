//! `/enkelvoudiginformatieobjecten` and `/{uuid}`: writes are documenten use cases
//! (`commands::documenten`: content stored first, by hash) and wait for the read model;
//! reads are single queries on `document_versies`, any version by `versie` or
//! `registratieOp`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use commands::documenten::{DocumentChange, NewDocument};
use commands::WriteError;
use domain::informatieobject::{Document, Version};
use event_schemas::applicatie::Component;
use event_schemas::document::DocumentAttributes;
use projections::documenten::{render, NAME as DOCUMENTEN};
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

use super::dto;
use super::filters;
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::openapi::params::{self, param, ParamType, QueryParam, EXPAND};
use crate::{headers, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/enkelvoudiginformatieobjecten",
            get(filters::list).post(create),
        )
        .route(
            "/enkelvoudiginformatieobjecten/_zoek",
            post(filters::search),
        )
        .route(
            "/enkelvoudiginformatieobjecten/{uuid}",
            get(detail)
                .put(update)
                .patch(partial_update)
                .delete(destroy),
        )
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let ctx = s.context(&caller);
    let body = resource::parse_json(&body)?;
    let parsed = dto::parse(&body)?;
    let new = NewDocument {
        attributes: parsed.attributes,
        vertrouwelijkheid_given: parsed.vertrouwelijkheid.is_some(),
        content: dto::content_fields(&body, false)?,
    };
    let outcome = super::service(&s)
        .create(&caller.authorisation, &ctx, new)
        .await?;
    s.wait_for(DOCUMENTEN, outcome.position).await;
    let doc = outcome
        .state
        .ok_or_else(|| ApiError::internal("created document has no state"))?;
    Ok(resource::respond(
        StatusCode::CREATED,
        created(&s, &doc),
        Some(s.urls.document(doc.uuid)),
    ))
}

/// A new document as the API answers it: with the lock of a document created for an
/// upload in bestandsdelen (Open Zaak's EnkelvoudigInformatieObjectCreateLock).
pub(super) fn created(s: &AppState, doc: &domain::informatieobject::Document) -> Value {
    let mut body = render::document(doc, doc.latest(), &s.urls);
    let lock = Value::from(doc.lock.clone().unwrap_or_default());
    if let Some(delen) = body["bestandsdelen"].as_array_mut() {
        delen.iter_mut().for_each(|d| d["lock"] = lock.clone());
    }
    body["lock"] = lock;
    body
}

/// The query parameters of a document's download.
pub(super) const VERSION_PARAMETERS: &[QueryParam] = &[
    param("versie", ParamType::Integer),
    param("registratieOp", ParamType::DateTime),
    EXPAND,
];

/// The query parameters of a document's detail: also `asOf` (`crate::time_travel`).
pub(super) const DETAIL_PARAMETERS: &[QueryParam] = &[
    param("versie", ParamType::Integer),
    param("registratieOp", ParamType::DateTime),
    EXPAND,
    crate::time_travel::AS_OF,
];

/// The version a request asks for.
#[derive(Clone, Copy)]
pub(crate) enum Versie {
    /// The latest.
    Latest,
    /// `?versie=`.
    Number(u32),
    /// `?registratieOp=`: the latest registered at or before it.
    RegisteredAt(DateTime<Utc>),
}

impl Versie {
    /// The version `pairs` ask for (the last of `versie` and `registratieOp` given wins);
    /// any parameter not in `allowed` is refused.
    pub(crate) fn of(pairs: &[(String, String)], allowed: &[QueryParam]) -> Result<Self, ApiError> {
        params::refuse_unknown(pairs, allowed, ApiError::unknown_parameter)?;
        let mut out = Self::Latest;
        for (k, v) in pairs {
            match k.as_str() {
                "versie" => {
                    let n = v.parse().map_err(|_| {
                        ApiError::invalid("versie", "invalid", "Voer een geheel getal in.")
                    })?;
                    out = Self::Number(n);
                }
                "registratieOp" => {
                    let at = crate::iso8601::parse_datetime(v).ok_or_else(|| {
                        ApiError::invalid(
                            "registratieOp",
                            "invalid",
                            "Voer een geldige datum/tijd in.",
                        )
                    })?;
                    out = Self::RegisteredAt(at);
                }
                _ => {} // expand: accepted, not applied yet (ARCHITECTURE.md, Documenten API)
            }
        }
        Ok(out)
    }

    /// The SQL condition on `document_versies` (with the document's uuid as `$1`) and its
    /// `$2`.
    fn condition(self) -> (&'static str, Option<String>) {
        match self {
            Self::Latest => ("is_latest AND $2::text IS NULL", None),
            Self::Number(n) => ("versie = $2::text::int", Some(n.to_string())),
            Self::RegisteredAt(at) => (
                "versie = (SELECT max(versie) FROM document_versies
                    WHERE uuid = $1 AND begin_registratie <= $2::text::timestamptz)",
                Some(at.to_rfc3339()),
            ),
        }
    }

    /// The version of `doc` it names (the document's versions as they were at some instant).
    pub(crate) fn pick(self, doc: &Document) -> Option<&Version> {
        match self {
            Self::Latest => doc.versions.last(),
            Self::Number(n) => doc.versions.iter().find(|v| v.versie == n),
            Self::RegisteredAt(at) => doc
                .versions
                .iter()
                .rev()
                .find(|v| v.begin_registratie <= at),
        }
    }
}

/// A stored version's row, after the caller's documenten.lezen check.
pub(super) async fn readable_version(
    s: &AppState,
    caller: &Caller,
    uuid: &str,
    pairs: &[(String, String)],
) -> Result<sqlx::postgres::PgRow, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let (condition, value) = Versie::of(pairs, VERSION_PARAMETERS)?.condition();
    let row = sqlx::query(&format!(
        "SELECT resource, etag, informatieobjecttype, vertrouwelijkheidaanduiding,
            content_sha256, content_size, bestandsnaam, formaat
         FROM document_versies WHERE uuid = $1 AND {condition}"
    ))
    .bind(uuid)
    .bind(value)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    let (iot, stored): (String, String) = (
        row.get("informatieobjecttype"),
        row.get("vertrouwelijkheidaanduiding"),
    );
    caller.require_stored(Component::Drc, "documenten.lezen", &iot, &stored)?;
    Ok(row)
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    if let Some(instant) = crate::time_travel::requested(&headers, &pairs)? {
        let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
        let versie = Versie::of(&pairs, DETAIL_PARAMETERS)?;
        let past = crate::time_travel::document(&s, &caller, uuid, versie, instant).await?;
        crate::reads::document(&s, &caller, &headers, uuid).await;
        return Ok(past);
    }
    let row = readable_version(&s, &caller, &uuid, &pairs).await?;
    if let Ok(document) = uuid.parse() {
        crate::reads::document(&s, &caller, &headers, document).await;
    }
    let etag: String = row.get("etag");
    Ok(resource::detail(&headers, row.get("resource"), &etag))
}

async fn update(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    write(state, caller, path, headers, body, false).await
}

async fn partial_update(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    write(state, caller, path, headers, body, true).await
}

/// A body's content fields; a PUT is a whole document, so its field problems and a missing
/// lock are reported at once.
fn content_of(body: &Value, partial: bool) -> Result<dto::ContentFields, ApiError> {
    match (partial, dto::content_fields(body, !partial)) {
        (false, Err(ApiError::Validation(lock))) => match dto::parse(body) {
            Err(ApiError::Validation(mut fields)) => {
                fields.extend(lock);
                Err(ApiError::Validation(fields))
            }
            _ => Err(ApiError::Validation(lock)),
        },
        (_, content) => content,
    }
}

/// PUT or PATCH: a new version, with the lock.
async fn write(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let body = resource::parse_json(&body)?;
    let content = content_of(&body, partial)?;
    // Before any content goes into the store: a stale ETag stores nothing.
    let ctx = s.write_context(&caller, Target::Document, uuid).await?;
    let apply = |current: &DocumentAttributes| -> Result<DocumentAttributes, WriteError> {
        Ok(dto::apply(current, &body, partial)?)
    };
    let change = DocumentChange {
        apply: &apply,
        partial,
        content,
        informatieobjecttype: body["informatieobjecttype"].as_str().map(str::to_owned),
        changed: dto::changed(&body),
    };
    let outcome = super::service(&s)
        .update(&caller.authorisation, &ctx, uuid, change)
        .await?;
    s.wait_for(DOCUMENTEN, outcome.position).await;
    let doc = outcome.state.ok_or(ApiError::NotFound)?;
    let body = render::document(&doc, doc.latest(), &s.urls);
    Ok(resource::respond(StatusCode::OK, body, None))
}

/// DELETE: the document, all its versions and parts leave the API; its identificatie is
/// free again.
async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s.write_context(&caller, Target::Document, uuid).await?;
    let outcome = super::service(&s)
        .destroy(&caller.authorisation, &ctx, uuid)
        .await?;
    s.wait_for(DOCUMENTEN, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}
