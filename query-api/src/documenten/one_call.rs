//! Open Zaak's one-call endpoints of the Documenten API (EXPERIMENTEEL in
//! documenten-1.4.2-openzaak.yaml): a document registered with its zaakinformatieobject, and
//! documentnummers reserved. The use cases are `commands::documenten`'s.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use commands::documenten::NewDocument;
use commands::zaken::{NewPart, PartZaak};
use event_schemas::zaak::PartKind;
use projections::{documenten::NAME as DOCUMENTEN, render, zaken::NAME as ZAKEN};
use serde_json::{json, Value};
use uuid::Uuid;

use super::dto;
use crate::error::ApiError;
use crate::one_call::{require_keys, reservation, reserved, under, with};
use crate::sync::Touched;
use crate::{headers, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/document_registreren", post(registreren))
        .route("/documentnummer_reserveren", post(reserveren))
}

const DOCUMENT: &str = "enkelvoudiginformatieobject";
const LINK: &str = "zaakinformatieobject";

/// The zaakinformatieobject of `document_registreren`: of document `uuid`, on its zaak.
fn link(s: &AppState, body: &Value, document: Uuid) -> Result<NewPart, ApiError> {
    let body = with(body, "informatieobject", &s.urls.document(document));
    let attributes =
        crate::zaken::parts::parse(PartKind::Zaakinformatieobject, &body).map_err(under(LINK))?;
    let zaak = attributes.get("zaak").and_then(Value::as_str);
    let zaak = zaak.and_then(|z| s.urls.zaak_uuid(z)).ok_or_else(|| {
        ApiError::invalid(
            &format!("{LINK}.zaak"),
            "no_match",
            "Ongeldige hyperlink - Geen URL match.",
        )
    })?;
    Ok(NewPart {
        kind: PartKind::Zaakinformatieobject,
        zaak: PartZaak::Body(zaak),
        attributes,
        scope: crate::zaken::parts::spec(PartKind::Zaakinformatieobject).create_scope,
    })
}

async fn registreren(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let body = resource::parse_json(&body)?;
    let object = require_keys(&body, &[DOCUMENT, LINK])?;
    let ctx = s.context(&caller);
    let parsed = dto::parse(&object[DOCUMENT]).map_err(under(DOCUMENT))?;
    let new = NewDocument {
        attributes: parsed.attributes,
        vertrouwelijkheid_given: parsed.vertrouwelijkheid.is_some(),
        content: dto::content_fields(&object[DOCUMENT], false).map_err(under(DOCUMENT))?,
    };
    let uuid = Uuid::new_v4();
    let link = link(&s, &object[LINK], uuid)?;
    let zaken = crate::zaken::service(&s);
    let done = super::service(&s)
        .register(&caller.authorisation, &ctx, &zaken, uuid, new, link)
        .await?;
    s.wait_for(DOCUMENTEN, done.document.position).await;
    s.wait_for(ZAKEN, done.zaak.position).await;
    let document = done.document.state.ok_or(ApiError::NotFound)?;
    let touched = Touched::document(&s, &s.urls.document(uuid));
    crate::sync::wait(&s, done.zaak.position, touched).await?;
    let zaak = done.zaak.state.ok_or(ApiError::NotFound)?;
    let part = zaak
        .parts
        .get(&done.zaakinformatieobject)
        .ok_or(ApiError::NotFound)?;
    let body = json!({
        DOCUMENT: super::routes::created(&s, &document),
        LINK: render::part(&zaak, done.zaakinformatieobject, part, &s.urls),
    });
    Ok(resource::respond(StatusCode::CREATED, body, None))
}

/// `documentnummer_reserveren`: one documentnummer as an object, several as a list.
async fn reserveren(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let (bronorganisatie, aantal) = reservation(&resource::parse_json(&body)?)?;
    let nummers = super::service(&s)
        .reserve_documentnummers(
            &caller.authorisation,
            &s.context(&caller),
            &bronorganisatie,
            aantal,
        )
        .await?;
    let body = reserved("identificatie", aantal, &nummers);
    Ok(resource::respond(StatusCode::CREATED, body, None))
}
