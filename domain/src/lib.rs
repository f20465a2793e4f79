//! The pure core: aggregates as `decide` / `evolve`, no IO, no async.
//!
//! Facts from outside (now, new ids, the catalogue, the caller's rights) are resolved by the
//! command handler and passed in with the command.

pub mod applicatie;
pub mod besluit;
pub mod bsn;
pub mod catalogue_facts;
pub mod catalogus;
pub mod catalogus_object;
pub mod informatieobject;
pub mod klantinteracties;
pub mod notificaties;
pub mod rsin;
pub mod termijn;
pub mod urls;
pub mod zaak;

use event_schemas::VersionedEvent;

/// An event-sourced aggregate: one stream per instance, `{CATEGORY}-{uuid}`.
pub trait Aggregate {
    type State: Default + Send + Sync;
    type Command: Clone + Send + Sync;
    type Event: VersionedEvent + Send + Sync;
    type Error: std::error::Error + Send + Sync + 'static;

    /// What the command means given the state: the events to append, or why not.
    fn decide(state: &Self::State, command: Self::Command)
        -> Result<Vec<Self::Event>, Self::Error>;

    /// The state after an event.
    fn evolve(state: Self::State, event: &Self::Event) -> Self::State;

    /// The state after a sequence of events.
    fn fold<'a>(events: impl IntoIterator<Item = &'a Self::Event>) -> Self::State
    where
        Self::Event: 'a,
    {
        events
            .into_iter()
            .fold(Self::State::default(), |s, e| Self::evolve(s, e))
    }
}

pub use bsn::Bsn;
pub use rsin::Rsin;
