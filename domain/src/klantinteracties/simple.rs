//! The shape shared by the aggregates without parts (internetaak, actor, categorie,
//! categorie-relatie, and Contactgegevens' persoon and organisatie): created, updated as a
//! whole under their rules, deleted.

use std::marker::PhantomData;

use event_schemas::klantinteracties::{CreatedV1, UpdatedV1};
use event_schemas::VersionedEvent;
use uuid::Uuid;

use super::changed_fields;
use crate::Aggregate;

/// What one kind of simple object is: its attributes, events, facts and rules.
pub trait SimpleObject {
    type Attributes: Clone + PartialEq + serde::Serialize + Send + Sync;
    /// What the handler resolved outside the stream for the rules (`()` if nothing).
    type Facts: Clone + Send + Sync;
    type Event: VersionedEvent + Send + Sync;
    type Error: std::error::Error + Send + Sync + 'static;
    /// The object exists already (a create for a uuid in use).
    const ALREADY_EXISTS: Self::Error;
    /// The object does not exist (or was deleted).
    const NOT_FOUND: Self::Error;

    /// The rules every version of the object keeps; `current` is `None` on a create.
    fn check(
        current: Option<&Self::Attributes>,
        attributes: &Self::Attributes,
        facts: &Self::Facts,
    ) -> Result<(), Self::Error>;

    fn created(e: CreatedV1<Self::Attributes>) -> Self::Event;
    fn updated(e: UpdatedV1<Self::Attributes>) -> Self::Event;
    fn deleted() -> Self::Event;
    /// What an event did to the object.
    fn applied(event: &Self::Event) -> Applied<'_, Self::Attributes>;
}

/// What one event of a simple object did.
pub enum Applied<'a, A> {
    Created(&'a CreatedV1<A>),
    Updated(&'a UpdatedV1<A>),
    Deleted,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SimpleCommand<A, F> {
    Create {
        uuid: Uuid,
        attributes: A,
        facts: F,
    },
    /// Replace the writable attributes (PUT, or PATCH merged onto the current ones).
    Update {
        attributes: A,
        partial: bool,
        facts: F,
    },
    Delete,
}

/// A simple object as its events made it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SimpleState<A> {
    pub uuid: Uuid,
    pub attributes: A,
}

/// The aggregate of a [`SimpleObject`].
pub struct SimpleAggregate<O>(PhantomData<O>);

impl<O: SimpleObject> Aggregate for SimpleAggregate<O>
where
    O::Event: event_schemas::VersionedEvent,
{
    type State = Option<SimpleState<O::Attributes>>;
    type Command = SimpleCommand<O::Attributes, O::Facts>;
    type Event = O::Event;
    type Error = O::Error;

    fn decide(state: &Self::State, command: Self::Command) -> Result<Vec<O::Event>, O::Error> {
        match (state, command) {
            (Some(_), SimpleCommand::Create { .. }) => Err(O::ALREADY_EXISTS),
            (
                None,
                SimpleCommand::Create {
                    uuid,
                    attributes,
                    facts,
                },
            ) => {
                O::check(None, &attributes, &facts)?;
                Ok(vec![O::created(CreatedV1 { uuid, attributes })])
            }
            (None, _) => Err(O::NOT_FOUND),
            (
                Some(s),
                SimpleCommand::Update {
                    attributes,
                    partial,
                    facts,
                },
            ) => {
                O::check(Some(&s.attributes), &attributes, &facts)?;
                let changed = changed_fields(&s.attributes, &attributes);
                Ok(vec![O::updated(UpdatedV1 {
                    attributes,
                    partial,
                    changed,
                })])
            }
            (Some(_), SimpleCommand::Delete) => Ok(vec![O::deleted()]),
        }
    }

    fn evolve(state: Self::State, event: &O::Event) -> Self::State {
        match (state, O::applied(event)) {
            (_, Applied::Created(e)) => Some(SimpleState {
                uuid: e.uuid,
                attributes: e.attributes.clone(),
            }),
            (Some(s), Applied::Updated(e)) => Some(SimpleState {
                attributes: e.attributes.clone(),
                ..s
            }),
            // Deleted, or an event before creation (decide never stores one).
            _ => None,
        }
    }
}

/// The event constructors and [`SimpleObject::applied`] of an event enum with one created,
/// one updated and one deleted variant.
macro_rules! simple_events {
    ($event:ident, $attrs:ty, $created:ident, $updated:ident, $deleted:ident) => {
        fn created(e: event_schemas::klantinteracties::CreatedV1<$attrs>) -> $event {
            $event::$created(e)
        }
        fn updated(e: event_schemas::klantinteracties::UpdatedV1<$attrs>) -> $event {
            $event::$updated(e)
        }
        fn deleted() -> $event {
            $event::$deleted(event_schemas::klantinteracties::DeletedV1 {})
        }
        fn applied(event: &$event) -> $crate::klantinteracties::Applied<'_, $attrs> {
            match event {
                $event::$created(e) => $crate::klantinteracties::Applied::Created(e),
                $event::$updated(e) => $crate::klantinteracties::Applied::Updated(e),
                $event::$deleted(_) => $crate::klantinteracties::Applied::Deleted,
            }
        }
    };
}
pub(crate) use simple_events;
