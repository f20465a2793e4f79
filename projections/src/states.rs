//! The folded aggregate states a read model keeps beside its rows (`uuid, tenant, version,
//! state`), loaded for the aggregates a batch touches.

use std::collections::HashMap;

use event_store::RecordedEvent;
use serde::de::DeserializeOwned;
use sqlx::postgres::PgConnection;
use sqlx::Row;
use uuid::Uuid;

use crate::zaken::stream_uuid;
use crate::ProjectionError;

/// An aggregate touched by a batch: its state (`None` before creation and after deletion)
/// and the revision of the last event applied to it (-1: none).
pub struct Touched<T> {
    pub tenant: String,
    pub state: Option<T>,
    pub version: i64,
}

/// The stored states in `table` of the aggregates of `events`' streams.
pub async fn load<T: DeserializeOwned>(
    tx: &mut PgConnection,
    table: &str,
    events: &[&RecordedEvent],
) -> Result<HashMap<Uuid, Touched<T>>, ProjectionError> {
    let ids: Vec<Uuid> = events
        .iter()
        .filter_map(|e| stream_uuid(&e.stream))
        .collect();
    let rows = sqlx::query(&format!(
        "SELECT uuid, tenant, version, state FROM {table} WHERE uuid = ANY($1)"
    ))
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        let state: sqlx::types::Json<T> = r.try_get("state")?;
        out.insert(
            r.try_get("uuid")?,
            Touched {
                tenant: r.try_get("tenant")?,
                state: Some(state.0),
                version: r.try_get("version")?,
            },
        );
    }
    Ok(out)
}
