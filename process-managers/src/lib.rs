//! Process managers: subscribers that issue commands. One follows the whole log with its
//! own checkpoint (the projection runtime's: advisory lock, batches, checkpoint row) and
//! hands each event to the [`Reaction`]s of its aggregate category, which keep another
//! aggregate in step (a besluit's zaak gets its zaakbesluit, ...).
//!
//! A reaction must be idempotent: a crash between its command and the checkpoint replays
//! the event. Each command it issues carries an event-id seed derived from the causing
//! event, so the store returns the first append instead of storing again, and a reaction
//! checks the target's state first (adding what is there already is a no-op).

mod objectinformatieobject;
mod zaakbesluit;

use std::sync::Arc;

use async_trait::async_trait;
use commands::{CommandError, CommandHandler, Context};
use event_store::RecordedEvent;
use projections::{Projection, ProjectionError};
use sqlx::postgres::PgConnection;
use uuid::Uuid;

pub use objectinformatieobject::ObjectinformatieobjectReaction;
pub use zaakbesluit::ZaakbesluitReaction;

/// The checkpoint (and `Progress`) name of the process manager.
pub const NAME: &str = "process-manager";

/// One way an event of one aggregate leads to commands on another.
#[async_trait]
pub trait Reaction: Send + Sync + 'static {
    /// The category (aggregate) whose events this reaction follows.
    fn category(&self) -> &'static str;

    /// Whether `event` (of the reaction's category) may lead to a command; the process
    /// manager skips (and writes no checkpoint for) batches no reaction handles.
    fn handles(&self, event: &RecordedEvent) -> bool {
        self.category() == event.category()
    }

    /// Issues the commands `event` leads to, idempotently (see the module docs). An error
    /// stops the process manager, which retries the batch: only for what may pass (the
    /// store is down), never for a refusal that will be refused again.
    async fn react(
        &self,
        commands: &CommandHandler,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError>;
}

pub struct ProcessManager {
    commands: CommandHandler,
    reactions: Vec<Arc<dyn Reaction>>,
}

impl ProcessManager {
    pub fn new(commands: CommandHandler, reactions: Vec<Arc<dyn Reaction>>) -> Self {
        Self {
            commands,
            reactions,
        }
    }
}

#[async_trait]
impl Projection for ProcessManager {
    fn name(&self) -> &'static str {
        NAME
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        self.reactions
            .iter()
            .any(|r| r.category() == event.category() && r.handles(event))
    }

    /// Writes nothing in `tx` (the runtime stores the checkpoint there): the commands are
    /// appended through the event store before the checkpoint commits.
    async fn apply(
        &self,
        _tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        for event in batch {
            for reaction in &self.reactions {
                if reaction.category() == event.category() && reaction.handles(event) {
                    reaction.react(&self.commands, event).await?;
                }
            }
        }
        Ok(())
    }

    /// Nothing to forget: a replay from the start issues only commands already applied.
    async fn reset(&self, _tx: &mut PgConnection) -> Result<(), ProjectionError> {
        Ok(())
    }
}

/// The context of a command caused by `event`: its actor, tenant and correlation, and event
/// ids derived from the event and `step` (one per command the reaction issues).
pub fn caused_by(event: &RecordedEvent, step: &str) -> Context {
    Context {
        actor: event.metadata.actor.clone(),
        tenant: event.metadata.tenant.clone(),
        correlation_id: event.metadata.correlation_id,
        causation_id: Some(event.event_id),
        now: commands::now(),
        toelichting: event.metadata.toelichting.clone(),
        // The command belongs to the trace of the request that wrote `event`.
        traceparent: event.metadata.traceparent.clone(),
        event_id_seed: Some(Uuid::new_v5(&event.event_id, step.as_bytes())),
        precondition: None,
    }
}

/// Why a step issues no command.
#[derive(Debug)]
pub(crate) enum Skip {
    /// The target is not there (deleted), or already as the step wants it.
    Nothing,
}

/// A skipped step or a refusal that would be refused again is done; only what may pass
/// on a retry (the store, contention) stops the process manager.
pub(crate) fn settle<E: std::error::Error + 'static, S>(
    result: Result<S, CommandError<E, Skip>>,
) -> Result<(), ProjectionError> {
    match result {
        Ok(_) | Err(CommandError::Rejected(Skip::Nothing)) => Ok(()),
        Err(CommandError::Domain(e)) => {
            tracing::warn!(error = %e, "the target refused the reaction's change; skipped");
            Ok(())
        }
        Err(CommandError::Store(e)) => Err(e.into()),
        Err(CommandError::Decode(e)) => Err(e.into()),
        Err(e @ (CommandError::Contention { .. } | CommandError::PreconditionFailed { .. })) => {
            Err(ProjectionError::Command(e.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use event_schemas::{Actor, EventMetadata};
    use event_store::{Position, RecordedEvent};

    use super::*;

    fn event(id: Uuid) -> RecordedEvent {
        RecordedEvent {
            stream: "besluit-1".into(),
            revision: 0,
            position: Position {
                commit: 1,
                prepare: 1,
            },
            event_id: id,
            event_type: "BesluitCreated".into(),
            schema_version: 1,
            payload: serde_json::json!({}),
            metadata: EventMetadata {
                occurred_at: chrono::Utc::now(),
                actor: Actor::default(),
                tenant: "t".into(),
                correlation_id: Uuid::nil(),
                causation_id: None,
                toelichting: String::new(),
                traceparent: None,
            },
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn a_command_caused_by_the_same_event_and_step_gets_the_same_event_id_seed() {
        let cause = Uuid::now_v7();
        let seed = |e: &RecordedEvent, step| caused_by(e, step).event_id_seed;
        assert_eq!(seed(&event(cause), "add"), seed(&event(cause), "add"));
        assert_ne!(seed(&event(cause), "add"), seed(&event(cause), "remove"));
        assert_ne!(
            seed(&event(cause), "add"),
            seed(&event(Uuid::now_v7()), "add")
        );
        assert_eq!(caused_by(&event(cause), "add").causation_id, Some(cause));
    }
}
