//! An applicatie as it was: `GET /autorisaties/api/v1/applicaties/{uuid}?asOf=`, its
//! autorisaties as they were then. Applicaties are read under the scope alone
//! (`crate::scopes`), then as now. Their streams stay short (an applicatie changes when
//! its grants do), so their projection takes no snapshots.

use axum::response::Response;
use chrono::{DateTime, Utc};
use domain::applicatie::ApplicatieAggregate;
use event_schemas::applicatie::ApplicatieEvent;
use event_schemas::{stream_name, VersionedEvent};
use projections::{history, render};
use uuid::Uuid;

use super::{memento, sources, was};
use crate::error::ApiError;
use crate::AppState;

/// Applicatie `uuid` at `instant`.
pub async fn applicatie(
    s: &AppState,
    uuid: Uuid,
    instant: DateTime<Utc>,
) -> Result<Response, ApiError> {
    let stream = stream_name(ApplicatieEvent::CATEGORY, uuid);
    let past = history::state::<ApplicatieAggregate, _>(sources(s), &stream, instant).await;
    let (applicatie, changed) = was(past, "De applicatie")?;
    Ok(memento(render::applicatie(&applicatie, &s.urls), changed))
}
