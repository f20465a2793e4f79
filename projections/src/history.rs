//! Objects as they were at an instant (issue 19, time travel): the events of one stream up
//! to the instant, folded by the aggregate's own `evolve` and stamped as the projection
//! stamps them, so the read side renders them with the same functions as the read models.
//! The fold starts from the latest snapshot at or before the instant ([`snapshots`]) and
//! reads the stream from there in pages, stopping at the first event after the instant: a
//! read costs at most [`snapshots::EVERY`] events (one page), however long the history.

use chrono::{DateTime, Utc};
use domain::zaak::{Zaak, ZaakAggregate};
use domain::Aggregate;
use event_schemas::VersionedEvent;
use event_store::{EventStore, RecordedEvent};
use serde::de::DeserializeOwned;
use sqlx::PgPool;

use crate::snapshots::{self, Stored};
use crate::ProjectionError;

/// Events read from the store at a time: a snapshot's distance, so a read from a snapshot
/// the projection has taken is one page (the page's last event is the next snapshot's,
/// after the instant, or there would have been a later snapshot to start from).
const PAGE: usize = snapshots::EVERY as usize;

/// What a stream says of its object at an instant.
#[derive(Debug)]
pub enum AsOf<S> {
    /// It did not exist yet.
    NotYet,
    /// It was so, as its event at `changed` left it.
    Was { state: S, changed: DateTime<Utc> },
    /// It had been deleted, by its event at `deleted`.
    Gone { deleted: DateTime<Utc> },
}

/// Where the log and its snapshots are.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    pub store: &'a dyn EventStore,
    pub pool: &'a PgPool,
}

/// The zaak of `stream` at `instant`, `laatstGemuteerd` included.
pub async fn zaak(
    sources: Sources<'_>,
    stream: &str,
    instant: DateTime<Utc>,
) -> Result<AsOf<Zaak>, ProjectionError> {
    read::<ZaakAggregate, _>(sources, stream, instant, crate::zaken::stamp).await
}

/// The state of `stream` at `instant`, for an aggregate whose projection stamps nothing on
/// it: a besluit, a document (every version it had by then), a catalogus, a catalogus
/// object, an applicatie.
pub async fn state<A, S>(
    sources: Sources<'_>,
    stream: &str,
    instant: DateTime<Utc>,
) -> Result<AsOf<S>, ProjectionError>
where
    A: Aggregate<State = Option<S>>,
    S: DeserializeOwned,
{
    read::<A, S>(sources, stream, instant, |_, _, _| {}).await
}

async fn read<A, S>(
    sources: Sources<'_>,
    stream: &str,
    instant: DateTime<Utc>,
    stamp: impl Fn(&RecordedEvent, &A::Event, &mut S),
) -> Result<AsOf<S>, ProjectionError>
where
    A: Aggregate<State = Option<S>>,
    S: DeserializeOwned,
{
    let mut fold = Fold::<S>::from(snapshots::latest(sources.pool, stream, instant).await?);
    loop {
        let page = sources
            .store
            .read_stream_page(stream, fold.next, PAGE)
            .await?;
        let full = page.len() == PAGE;
        if !fold.apply::<A>(page, instant, &stamp)? || !full {
            return Ok(fold.finish());
        }
    }
}

/// A fold in progress: the state so far and the revision to read on from.
struct Fold<S> {
    state: Option<S>,
    last: Option<DateTime<Utc>>,
    next: u64,
}

impl<S> From<Option<Stored<S>>> for Fold<S> {
    fn from(snapshot: Option<Stored<S>>) -> Self {
        match snapshot {
            None => Self {
                state: None,
                last: None,
                next: 0,
            },
            Some(s) => Self {
                state: Some(s.state),
                last: Some(s.occurred_at),
                next: s.revision + 1,
            },
        }
    }
}

impl<S> Fold<S> {
    /// Folds the events of `page` up to `instant`; false once an event after it was seen.
    /// The events are taken by value: each payload is moved into its decoded event.
    fn apply<A>(
        &mut self,
        page: Vec<RecordedEvent>,
        instant: DateTime<Utc>,
        stamp: &impl Fn(&RecordedEvent, &A::Event, &mut S),
    ) -> Result<bool, ProjectionError>
    where
        A: Aggregate<State = Option<S>>,
    {
        for mut e in page {
            if e.metadata.occurred_at > instant {
                return Ok(false);
            }
            let payload = std::mem::take(&mut e.payload);
            let event = A::Event::decode(&e.event_type, e.schema_version, payload)?;
            self.state = A::evolve(self.state.take(), &event);
            if let Some(s) = self.state.as_mut() {
                stamp(&e, &event, s);
            }
            self.last = Some(e.metadata.occurred_at);
            self.next = e.revision + 1;
        }
        Ok(true)
    }

    fn finish(self) -> AsOf<S> {
        match (self.state, self.last) {
            (_, None) => AsOf::NotYet,
            (Some(state), Some(changed)) => AsOf::Was { state, changed },
            (None, Some(deleted)) => AsOf::Gone { deleted },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_the_first_event_nothing_was() {
        assert!(matches!(Fold::<Zaak>::from(None).finish(), AsOf::NotYet));
    }
}
