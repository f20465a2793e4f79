//! What the aggregate read models share: the stored states of the aggregates a batch
//! touches, folded forward by the batch's events (each applied once, by revision).

use std::collections::HashMap;

use domain::Aggregate;
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use serde::de::DeserializeOwned;
use sqlx::postgres::PgConnection;
use sqlx::Row;
use uuid::Uuid;

use crate::zaken::stream_uuid;
use crate::ProjectionError;

/// An aggregate touched by the batch, with the revision of the last event applied to it.
pub(crate) struct Touched<S> {
    pub tenant: String,
    pub state: Option<S>,
    pub version: i64,
}

/// The stored states (columns uuid, tenant, version, state of `table`) of the aggregates
/// `events` belong to.
pub(crate) async fn load<S: DeserializeOwned + Send + Unpin + 'static>(
    tx: &mut PgConnection,
    table: &'static str,
    events: &[&RecordedEvent],
) -> Result<HashMap<Uuid, Touched<S>>, ProjectionError> {
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
    let mut out = HashMap::with_capacity(ids.len());
    for r in rows {
        let state: sqlx::types::Json<S> = r.try_get("state")?;
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

/// Applies `events` to `touched` (skipping what a state already has: handlers are
/// idempotent); `changed` sees each event with the state before and after it.
pub(crate) fn fold<A, S>(
    touched: &mut HashMap<Uuid, Touched<S>>,
    events: &[&RecordedEvent],
    changed: impl FnMut(&RecordedEvent, &A::Event, Option<&S>, Option<&S>),
) -> Result<(), ProjectionError>
where
    A: Aggregate<State = Option<S>>,
    S: Clone,
{
    fold_with::<A, S>(touched, events, |_, _, _| {}, changed)
}

/// [`fold`], with `stamp` adding to each new state what the envelope tells (times).
pub(crate) fn fold_with<A, S>(
    touched: &mut HashMap<Uuid, Touched<S>>,
    events: &[&RecordedEvent],
    mut stamp: impl FnMut(&RecordedEvent, &A::Event, &mut S),
    mut changed: impl FnMut(&RecordedEvent, &A::Event, Option<&S>, Option<&S>),
) -> Result<(), ProjectionError>
where
    A: Aggregate<State = Option<S>>,
    S: Clone,
{
    for e in events {
        let Some(uuid) = stream_uuid(&e.stream) else {
            continue;
        };
        let entry = touched.entry(uuid).or_insert_with(|| Touched {
            tenant: e.metadata.tenant.clone(),
            state: None,
            version: -1,
        });
        if e.revision as i64 <= entry.version {
            continue;
        }
        let event = A::Event::decode(&e.event_type, e.schema_version, e.payload.clone())?;
        let before = entry.state.clone();
        entry.state = A::evolve(entry.state.take(), &event);
        if let Some(state) = entry.state.as_mut() {
            stamp(e, &event, state);
        }
        entry.version = e.revision as i64;
        changed(e, &event, before.as_ref(), entry.state.as_ref());
    }
    Ok(())
}

/// The audit entry of one event, from the states before and after it.
pub(crate) type AuditEntry<'a, E, S> =
    &'a (dyn Fn(&RecordedEvent, &E, Option<&S>, Option<&S>) -> Option<crate::audit::Entry> + Sync);

/// What every aggregate read model does first with its events (stored in `table`): load
/// the states they touch, fold the events over them, and save the audit entry of each
/// event and the snapshots due; answers the touched states for the read model's rows.
pub(crate) async fn fold_audited<A, S>(
    tx: &mut PgConnection,
    table: &'static str,
    events: &[&RecordedEvent],
    audit_entry: AuditEntry<'_, A::Event, S>,
) -> Result<HashMap<Uuid, Touched<S>>, ProjectionError>
where
    A: Aggregate<State = Option<S>>,
    S: Clone + serde::Serialize + DeserializeOwned + Send + Unpin + 'static,
{
    let mut touched = load::<S>(tx, table, events).await?;
    let mut entries = Vec::new();
    let mut snapshots = Vec::new();
    fold::<A, S>(&mut touched, events, |e, event, before, after| {
        entries.extend(audit_entry(e, event, before, after));
        snapshots.extend(crate::snapshots::capture(e, after));
    })?;
    crate::audit::save(tx, entries).await?;
    crate::snapshots::save(tx, snapshots).await?;
    Ok(touched)
}
