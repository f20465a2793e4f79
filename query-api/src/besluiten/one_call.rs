//! Open Zaak's one-call endpoint of the Besluiten API (EXPERIMENTEEL in
//! besluiten-1.1.0-openzaak.yaml): `besluit_verwerken`, a besluit with its
//! besluitinformatieobjecten in one append (`commands::besluiten`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use projections::render;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{dto, sync};
use crate::error::ApiError;
use crate::one_call::{require_keys, under, with};
use crate::{headers, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new().route("/besluit_verwerken", post(verwerken))
}

const LIST: &str = "besluitinformatieobjecten";

/// The documents of the besluitinformatieobjecten, each parsed as its own POST parses it
/// (its `besluit` is the new one, whatever the client sent).
fn informatieobjecten(s: &AppState, body: &Value) -> Result<Vec<String>, ApiError> {
    let items = body
        .as_array()
        .ok_or_else(|| ApiError::invalid(LIST, "not_a_list", "Verwachtte een lijst met items."))?;
    let besluit = s.urls.besluit(Uuid::nil());
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (informatieobject, _) =
                dto::parse_informatieobject(&with(item, "besluit", &besluit))
                    .map_err(under(&format!("{LIST}.{i}")))?;
            Ok(informatieobject)
        })
        .collect()
}

async fn verwerken(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let body = resource::parse_json(&body)?;
    let object = require_keys(&body, &["besluit", LIST])?;
    let attributes = dto::parse(&object["besluit"]).map_err(under("besluit"))?;
    let documents = informatieobjecten(&s, &object[LIST])?;
    let ctx = s.context(&caller);
    let (outcome, uuids) = super::service(&s)
        .verwerk(&caller.authorisation, &ctx, attributes, documents.clone())
        .await?;
    let besluit = outcome.state.ok_or(ApiError::NotFound)?;
    let documents: Vec<&str> = documents.iter().map(String::as_str).collect();
    sync::wait(
        &s,
        outcome.position,
        &[besluit.attributes.zaak.as_deref()],
        &documents,
    )
    .await?;
    let bios: Vec<Value> = uuids
        .iter()
        .filter_map(|u| render::besluitinformatieobject(&besluit, *u, &s.urls))
        .collect();
    let body = json!({"besluit": render::besluit(&besluit, &s.urls), LIST: bios});
    Ok(resource::respond(StatusCode::CREATED, body, None))
}
