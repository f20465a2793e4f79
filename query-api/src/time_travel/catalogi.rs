//! Catalogi resources as they were: `GET /catalogussen/{uuid}?asOf=`, `/zaaktypen/{uuid}?asOf=`
//! and every other catalogus object's detail (`projections::catalogi::past`). Catalogi are
//! read under the scope alone (`crate::scopes`, before the handler), so then and now grant
//! alike. A zaaktype's `datumGeldigheid` filters the zaaktype as it was then.

use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use event_schemas::catalogus::ObjectKind;
use projections::catalogi::past;
use serde_json::Value;
use uuid::Uuid;

use super::{memento, sources, was};
use crate::error::ApiError;
use crate::AppState;

/// Catalogus `uuid` (`kind` None) or the object `uuid` of `kind` at `instant`; 404 when
/// `geldig_op` falls outside its geldigheid then.
pub async fn resource(
    s: &AppState,
    kind: Option<ObjectKind>,
    uuid: Uuid,
    geldig_op: Option<NaiveDate>,
    instant: DateTime<Utc>,
) -> Result<Response, ApiError> {
    let what = kind.map_or("De catalogus", |_| "Het catalogusobject");
    let past = past::resource(sources(s), &s.urls, kind, uuid, instant).await;
    let (body, changed) = was(past, what)?;
    if let Some(date) = geldig_op {
        if !geldig(&body, &date.to_string()) {
            return Err(ApiError::NotFound);
        }
    }
    Ok(memento(body, changed))
}

/// Whether `date` (YYYY-MM-DD) falls in the resource's beginGeldigheid..=eindeGeldigheid.
fn geldig(body: &Value, date: &str) -> bool {
    let begin = body["beginGeldigheid"].as_str();
    let einde = body["eindeGeldigheid"].as_str();
    begin.is_some_and(|b| b <= date) && einde.is_none_or(|e| e >= date)
}
