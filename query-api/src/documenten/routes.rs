//! `/enkelvoudiginformatieobjecten` and `/{uuid}`: writes go through the document aggregate
//! (content stored first, by hash) and wait for the read model; reads are single queries on
//! `document_versies`, any version by `versie` or `registratieOp`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use commands::CommandError;
use domain::informatieobject::{Document, DocumentAggregate, DocumentCommand, Inhoud};
use domain::Aggregate;
use event_schemas::applicatie::Component;
use event_schemas::document::{DocumentAttributes, DocumentEvent};
use event_schemas::{stream_name, VersionedEvent};
use projections::documenten::{render, NAME as DOCUMENTEN};
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

use super::dto::{self, Given};
use super::filters;
use super::writes::{command_error, load, new_lock, require_on, run};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::zaken::catalogus;
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

/// What a write's `inhoud` means: stored content, none (with a size: bestandsdelen), or
/// the previous version's.
async fn inhoud(
    s: &AppState,
    content: &dto::ContentFields,
    creating: bool,
) -> Result<Inhoud, ApiError> {
    let omvang = match content.bestandsomvang {
        Given::Value(n) => Some(n),
        _ => None,
    };
    Ok(match &content.inhoud {
        Given::Value(bytes) => Inhoud::Set(
            s.documenten
                .content
                .put_bytes(bytes.clone())
                .await
                .map_err(ApiError::internal)?,
        ),
        Given::Null => Inhoud::Empty {
            bestandsomvang: omvang,
        },
        Given::Absent if creating || omvang.is_some() => Inhoud::Empty {
            bestandsomvang: omvang,
        },
        Given::Absent => Inhoud::Unchanged,
    })
}

/// The claim that keeps an identificatie unique per bronorganisatie.
fn identificatie_key(a: &DocumentAttributes) -> String {
    format!(
        "document-identificatie/{}/{}",
        a.bronorganisatie, a.identificatie
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
    let content = dto::content_fields(&body, false)?;
    let mut attributes = parsed.attributes;
    let iot = catalogus::informatieobjecttype(&s, &attributes.informatieobjecttype).await?;
    attributes.vertrouwelijkheidaanduiding = parsed
        .vertrouwelijkheid
        .unwrap_or(iot.vertrouwelijkheidaanduiding);
    caller.require(
        Component::Drc,
        "documenten.aanmaken",
        &attributes.informatieobjecttype,
        attributes.vertrouwelijkheidaanduiding,
    )?;
    let inhoud = inhoud(&s, &content, true).await?;
    let uuid = Uuid::new_v4();
    if attributes.identificatie.is_empty() {
        let n: i64 = sqlx::query_scalar("SELECT nextval('document_identificatie_seq')")
            .fetch_one(&s.pool)
            .await
            .map_err(ApiError::internal)?;
        attributes.identificatie = format!("DOCUMENT-{}-{n:010}", ctx.now.format("%Y"));
    }
    let key = identificatie_key(&attributes);
    let command = DocumentCommand::Create {
        uuid,
        attributes,
        inhoud,
        now: ctx.now,
        chunk_size: s.documenten.chunk_size,
        new_lock: new_lock(),
    };
    // The rules first (decide is pure), so a refused document never takes the claim.
    DocumentAggregate::decide(&None, command.clone())
        .map_err(|e| command_error(CommandError::<_, ApiError>::Domain(e)))?;
    let owner = stream_name(DocumentEvent::CATEGORY, uuid);
    s.claim_identificatie(&ctx, &key, &owner).await?;
    let outcome = s
        .commands
        .create::<DocumentAggregate>(uuid, &ctx, command)
        .await
        .map_err(command_error)?;
    s.wait_for(DOCUMENTEN, outcome.position).await;
    let doc = outcome
        .state
        .ok_or_else(|| ApiError::internal("created document has no state"))?;
    let mut body = render::document(&doc, doc.latest(), &s.urls);
    // The lock of a document created for an upload in bestandsdelen (Open Zaak's
    // EnkelvoudigInformatieObjectCreateLock).
    let lock = Value::from(doc.lock.clone().unwrap_or_default());
    if let Some(delen) = body["bestandsdelen"].as_array_mut() {
        delen.iter_mut().for_each(|d| d["lock"] = lock.clone());
    }
    body["lock"] = lock;
    Ok(resource::respond(
        StatusCode::CREATED,
        body,
        Some(s.urls.document(uuid)),
    ))
}

/// The version `?versie=` or `?registratieOp=` asks for (the latest without either).
fn version_condition(pairs: &[(String, String)]) -> Result<(String, Option<String>), ApiError> {
    let mut condition = ("is_latest AND $2::text IS NULL".to_owned(), None);
    for (k, v) in pairs {
        match k.as_str() {
            "versie" => {
                let n: i32 = v.parse().map_err(|_| {
                    ApiError::invalid("versie", "invalid", "Voer een geheel getal in.")
                })?;
                condition = ("versie = $2::text::int".into(), Some(n.to_string()));
            }
            "registratieOp" => {
                let at = crate::iso8601::parse_datetime(v)
                    .map(|d| d.to_rfc3339())
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "registratieOp",
                            "invalid",
                            "Voer een geldige datum/tijd in.",
                        )
                    })?;
                condition = (
                    "versie = (SELECT max(versie) FROM document_versies
                        WHERE uuid = $1 AND begin_registratie <= $2::text::timestamptz)"
                        .into(),
                    Some(at),
                );
            }
            "expand" => {}
            _ => return Err(ApiError::unknown_parameter(k)),
        }
    }
    Ok(condition)
}

/// A stored version's row, after the caller's documenten.lezen check.
pub(super) async fn readable_version(
    s: &AppState,
    caller: &Caller,
    uuid: &str,
    pairs: &[(String, String)],
) -> Result<sqlx::postgres::PgRow, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let (condition, value) = version_condition(pairs)?;
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
    let row = readable_version(&s, &caller, &uuid, &pairs).await?;
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

/// The names of the fields a body changes, for the event.
fn changed(body: &Value) -> Vec<String> {
    body.as_object()
        .map(|o| o.keys().filter(|k| *k != "lock").cloned().collect())
        .unwrap_or_default()
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
    let content = dto::content_fields(&body, !partial);
    // A PUT is a whole document: its field problems and a missing lock are reported at once.
    let content = match (partial, content) {
        (false, Err(ApiError::Validation(lock))) => match dto::parse(&body) {
            Err(ApiError::Validation(mut fields)) => {
                fields.extend(lock);
                return Err(ApiError::Validation(fields));
            }
            _ => return Err(ApiError::Validation(lock)),
        },
        (_, content) => content?,
    };
    // Before any content goes into the store: a stale ETag stores nothing.
    let ctx = s.write_context(&caller, Target::Document, uuid).await?;
    if let Some(url) = body.get("informatieobjecttype").and_then(Value::as_str) {
        catalogus::informatieobjecttype(&s, url).await?;
    }
    if matches!(content.inhoud, Given::Value(_)) {
        // Only a caller who may change the document gets content into the store.
        load(&s, &caller, uuid, super::BIJWERKEN).await?;
    }
    let inhoud = inhoud(&s, &content, false).await?;
    let build = |current: &Document| -> Result<DocumentCommand, ApiError> {
        require_on(&caller, current, super::BIJWERKEN)?;
        let a = &current.latest().attributes;
        let merged;
        let input = if partial {
            merged = dto::merge_patch(a, &body)?;
            &merged
        } else {
            &body
        };
        let parsed = dto::parse(input)?;
        let mut attributes = parsed.attributes;
        if parsed.vertrouwelijkheid.is_none() {
            attributes.vertrouwelijkheidaanduiding = a.vertrouwelijkheidaanduiding;
        }
        if attributes.identificatie.is_empty() {
            attributes.identificatie = a.identificatie.clone();
        }
        if body.get("indicatieGebruiksrecht").is_none() {
            attributes.indicatie_gebruiksrecht = a.indicatie_gebruiksrecht;
        }
        caller.require(
            Component::Drc,
            super::BIJWERKEN,
            &attributes.informatieobjecttype,
            attributes.vertrouwelijkheidaanduiding,
        )?;
        // A whole resource sent back with its own bestandsomvang keeps its content; a new
        // size without content starts an upload in bestandsdelen.
        let inhoud = match &inhoud {
            Inhoud::Empty { bestandsomvang }
                if content.inhoud == Given::Absent
                    && *bestandsomvang == current.latest().bestandsomvang =>
            {
                Inhoud::Unchanged
            }
            other => other.clone(),
        };
        let may_force = caller
            .grants(Component::Drc, "documenten.geforceerd-bijwerken")
            .allows(&a.informatieobjecttype, a.vertrouwelijkheidaanduiding);
        Ok(DocumentCommand::Update {
            may_force,
            attributes,
            inhoud,
            lock: content.lock.clone(),
            now: ctx.now,
            chunk_size: s.documenten.chunk_size,
            partial,
            changed: changed(&body),
        })
    };
    let doc = run(&s, &ctx, uuid, build)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(resource::respond(
        StatusCode::OK,
        render::document(&doc, doc.latest(), &s.urls),
        None,
    ))
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
    let key = std::sync::Mutex::new(None);
    let build = |current: &Document| -> Result<DocumentCommand, ApiError> {
        require_on(&caller, current, "documenten.verwijderen")?;
        let a = &current.latest().attributes;
        *key.lock().unwrap_or_else(|e| e.into_inner()) = Some(identificatie_key(a));
        Ok(DocumentCommand::Delete)
    };
    run(&s, &ctx, uuid, build).await?;
    if let Some(key) = key.into_inner().unwrap_or_else(|e| e.into_inner()) {
        let owner = stream_name(DocumentEvent::CATEGORY, uuid);
        commands::release(s.commands.store().as_ref(), &ctx, &key, &owner)
            .await
            .map_err(ApiError::internal)?;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
