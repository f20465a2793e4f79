//! Objects as they were at an instant (issue 19, time travel): the events of one stream up
//! to the instant, folded by the aggregate's own `evolve` and stamped as the projection
//! stamps them, so the read side renders them with the same functions as the read models.

use chrono::{DateTime, Utc};
use domain::besluit::{Besluit, BesluitAggregate};
use domain::zaak::{Zaak, ZaakAggregate};
use domain::Aggregate;
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;

use crate::ProjectionError;

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

/// The zaak of `events` (its stream, in order) at `instant`, `laatstGemuteerd` included.
pub fn zaak(
    events: Vec<RecordedEvent>,
    instant: DateTime<Utc>,
) -> Result<AsOf<Zaak>, ProjectionError> {
    as_of::<ZaakAggregate, _>(events, instant, |e, event, zaak| {
        crate::zaken::stamp(e, event, zaak)
    })
}

/// The besluit of `events` at `instant`.
pub fn besluit(
    events: Vec<RecordedEvent>,
    instant: DateTime<Utc>,
) -> Result<AsOf<Besluit>, ProjectionError> {
    as_of::<BesluitAggregate, _>(events, instant, |_, _, _| {})
}

/// The events are taken by value: each payload is moved into its decoded event, not copied
/// (a zaak with a thousand events is folded on every read of its past).
fn as_of<A, S>(
    events: Vec<RecordedEvent>,
    instant: DateTime<Utc>,
    mut stamp: impl FnMut(&RecordedEvent, &A::Event, &mut S),
) -> Result<AsOf<S>, ProjectionError>
where
    A: Aggregate<State = Option<S>>,
{
    let mut state: Option<S> = None;
    let mut last = None;
    for mut e in events
        .into_iter()
        .take_while(|e| e.metadata.occurred_at <= instant)
    {
        let payload = std::mem::take(&mut e.payload);
        let event = A::Event::decode(&e.event_type, e.schema_version, payload)?;
        state = A::evolve(state, &event);
        if let Some(s) = state.as_mut() {
            stamp(&e, &event, s);
        }
        last = Some(e.metadata.occurred_at);
    }
    Ok(match (state, last) {
        (_, None) => AsOf::NotYet,
        (Some(state), Some(changed)) => AsOf::Was { state, changed },
        (None, Some(deleted)) => AsOf::Gone { deleted },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_the_first_event_nothing_was() {
        assert!(matches!(
            zaak(Vec::new(), Utc::now()).unwrap(),
            AsOf::NotYet
        ));
    }
}
