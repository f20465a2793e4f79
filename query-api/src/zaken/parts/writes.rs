//! Writes of parts over HTTP: parse, call the zaken use case (`commands::zaken`), wait
//! until the read models show it, render.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use commands::zaken::{NewPart, PartChange, PartZaak, ZaakOutcome};
use commands::WriteError;
use event_schemas::zaak::PartAttributes;
use projections::{render, zaken::NAME as ZAKEN};
use serde_json::Value;
use uuid::Uuid;

use super::routes::{parse_uuid, stored, Ids};
use super::{dto, Spec, BIJWERKEN};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::headers;
use crate::sync::Touched;
use crate::{resource, AppState, Caller};

/// The zaak the body of a flat kind points at: one of ours, by its `zaak` URL.
fn zaak_of_body(s: &AppState, attributes: &PartAttributes) -> Result<Uuid, ApiError> {
    let url = attributes
        .get("zaak")
        .and_then(Value::as_str)
        .unwrap_or_default();
    s.urls.zaak_uuid(url).ok_or_else(|| {
        ApiError::invalid("zaak", "no_match", "Ongeldige hyperlink - Geen URL match.")
    })
}

pub(super) async fn create(
    spec: &'static Spec,
    State(s): State<AppState>,
    caller: Caller,
    ids: Ids,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let body = resource::parse_json(&body)?;
    let attributes = dto::parse(spec, &body)?;
    let zaak = match &ids.zaak {
        Some(raw) => PartZaak::Path(parse_uuid(Some(raw))?),
        None => PartZaak::Body(zaak_of_body(&s, &attributes)?),
    };
    let ctx = s.context(&caller);
    let new = NewPart {
        kind: spec.kind,
        zaak,
        attributes,
        scope: spec.create_scope,
    };
    let (outcome, uuid) = super::super::service(&s)
        .add_part(&caller.authorisation, &ctx, new)
        .await?;
    let document = outcome
        .state
        .as_ref()
        .and_then(|z| z.parts.get(&uuid))
        .and_then(|p| document_of(spec, &p.attributes));
    let state = wait(&s, outcome, document.as_deref()).await?;
    respond(&s, state, uuid, StatusCode::CREATED)
}

/// Waits until the read models show the write: the zaken read model, and the documenten
/// read model the mirrored objectinformatieobject of `document` (a zaakinformatieobject's,
/// when one of ours) is in.
async fn wait(
    s: &AppState,
    outcome: ZaakOutcome,
    document: Option<&str>,
) -> Result<Option<domain::zaak::Zaak>, ApiError> {
    s.wait_for(ZAKEN, outcome.position).await;
    let touched = document.and_then(|d| Touched::document(s, d));
    crate::sync::wait(s, outcome.position, touched).await?;
    Ok(outcome.state)
}

/// The document of a zaakinformatieobject (`None` for the other kinds).
fn document_of(spec: &Spec, attributes: &PartAttributes) -> Option<String> {
    let url = attributes.get("informatieobject").and_then(Value::as_str);
    url.filter(|_| spec.kind == event_schemas::zaak::PartKind::Zaakinformatieobject)
        .map(str::to_owned)
}

/// The part as the write left it, rendered as a GET will return it.
fn respond(
    s: &AppState,
    state: Option<domain::zaak::Zaak>,
    uuid: Uuid,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let zaak = state.ok_or(ApiError::NotFound)?;
    let part = zaak.parts.get(&uuid).ok_or(ApiError::NotFound)?;
    let body = render::part(&zaak, uuid, part, &s.urls);
    let location = (status == StatusCode::CREATED).then(|| s.urls.part(part.kind, zaak.uuid, uuid));
    Ok(resource::respond(status, body, location))
}

pub(super) async fn update(
    spec: &'static Spec,
    State(s): State<AppState>,
    caller: Caller,
    ids: Ids,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let body = resource::parse_json(&body)?;
    let found = stored(spec, &s, &caller, &ids, BIJWERKEN).await?;
    let uuid = parse_uuid(ids.part.as_ref())?;
    let ctx = s.write_context(&caller, Target::ZaakPart, uuid).await?;
    let apply = |current: &PartAttributes| -> Result<PartAttributes, WriteError> {
        let input = if partial {
            dto::merge(spec, current, &body)?
        } else {
            body.clone()
        };
        Ok(super::replaced(
            spec.kind,
            current,
            dto::parse(spec, &input)?,
        )?)
    };
    let change = PartChange {
        zaak: found.zaak,
        uuid,
        kind: spec.kind,
        partial,
        named: body.as_object().cloned().unwrap_or_default(),
        apply: &apply,
        scope: BIJWERKEN,
    };
    let outcome = super::super::service(&s)
        .update_part(&caller.authorisation, &ctx, change)
        .await?;
    let state = wait(&s, outcome, None).await?;
    respond(&s, state, uuid, StatusCode::OK)
}

pub(super) async fn remove(
    spec: &'static Spec,
    State(s): State<AppState>,
    caller: Caller,
    ids: Ids,
) -> Result<Response, ApiError> {
    let found = stored(spec, &s, &caller, &ids, spec.delete_scope).await?;
    let uuid = parse_uuid(ids.part.as_ref())?;
    let ctx = s.write_context(&caller, Target::ZaakPart, uuid).await?;
    let (outcome, document) = super::super::service(&s)
        .remove_part(
            &caller.authorisation,
            &ctx,
            found.zaak,
            uuid,
            spec.delete_scope,
        )
        .await?;
    wait(&s, outcome, document.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
