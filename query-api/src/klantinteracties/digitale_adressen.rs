//! `/digitaleadressen`: a digitaal adres lives in the stream of the partij that gave it
//! (`super::parts::DIGITALE_ADRESSEN`), or, given by a betrokkene without a partij, in its
//! klantcontact's (`super::klantcontact_parts::BETROKKENE_ADRESSEN`). Both are in one read
//! model table, listed and read as one resource; a write goes to whichever owns it.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::Value;
use uuid::Uuid;

use super::klantcontact_parts::BETROKKENE_ADRESSEN as BY_BETROKKENE;
use super::parts::{self, DIGITALE_ADRESSEN as BY_PARTIJ};
use crate::error::ApiError;
use crate::{AppState, Caller};

pub(super) fn router() -> Router<AppState> {
    let collection = format!("/{}", BY_PARTIJ.collection);
    Router::new()
        .route(
            &collection,
            get(|s, c, h, q| parts::list(&BY_PARTIJ, s, c, h, q)).post(create),
        )
        .route(
            &format!("{collection}/{{uuid}}"),
            get(|s, c, p, h, q| parts::detail(&BY_PARTIJ, s, c, p, h, q))
                .put(|s, c, p, h, b| write(s, c, p, h, b, false))
                .patch(|s, c, p, h, b| write(s, c, p, h, b, true))
                .delete(destroy),
        )
}

/// A POST naming a partij is the partij's; one naming only a betrokkene its klantcontact's.
async fn create(
    s: State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let sent = serde_json::from_slice::<Value>(&body).unwrap_or_default();
    if sent["verstrektDoorPartij"].is_null() {
        parts::create(&BY_BETROKKENE, s, caller, headers, body).await
    } else {
        parts::create(&BY_PARTIJ, s, caller, headers, body).await
    }
}

/// Whether digitaal adres `uuid` lives in a klantcontact's stream.
async fn betrokkenes(s: &AppState, uuid: &str) -> Result<bool, ApiError> {
    let Ok(uuid) = uuid.parse::<Uuid>() else {
        return Ok(false);
    };
    let held: Option<bool> = sqlx::query_scalar(
        "SELECT klantcontact_uuid IS NOT NULL FROM digitale_adressen WHERE uuid = $1",
    )
    .bind(uuid)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(held.unwrap_or(false))
}

async fn write(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    let by_betrokkene = betrokkenes(&s, &uuid).await?;
    let (s, uuid) = (State(s), Path(uuid));
    if by_betrokkene {
        parts::write(&BY_BETROKKENE, s, caller, uuid, headers, body, partial).await
    } else {
        parts::write(&BY_PARTIJ, s, caller, uuid, headers, body, partial).await
    }
}

async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let by_betrokkene = betrokkenes(&s, &uuid).await?;
    let (s, uuid) = (State(s), Path(uuid));
    if by_betrokkene {
        parts::destroy(&BY_BETROKKENE, s, caller, uuid).await
    } else {
        parts::destroy(&BY_PARTIJ, s, caller, uuid).await
    }
}
