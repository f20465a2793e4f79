//! An applicatie as it was: `GET /autorisaties/api/v1/applicaties/{uuid}?asOf=`, its
//! autorisaties as they were then. Applicaties are read under the scope alone
//! (`crate::scopes`), then as now. Their streams stay short (an applicatie changes when
//! its grants do), so their projection takes no snapshots.

use axum::response::Response;
use chrono::{DateTime, Utc};
use domain::applicatie::ApplicatieAggregate;
use projections::render;
use uuid::Uuid;

use super::{memento, past};
use crate::error::ApiError;
use crate::AppState;

/// Applicatie `uuid` at `instant`.
pub async fn applicatie(
    s: &AppState,
    uuid: Uuid,
    instant: DateTime<Utc>,
) -> Result<Response, ApiError> {
    let (applicatie, changed) =
        past::<ApplicatieAggregate, _>(s, uuid, instant, "De applicatie").await?;
    Ok(memento(render::applicatie(&applicatie, &s.urls), changed))
}
