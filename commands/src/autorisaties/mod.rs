//! The Autorisaties API's write side: registering, changing and deleting an applicatie.
//! The rules on one applicatie are the Applicatie aggregate's; that a client id belongs to
//! one applicatie is a claim per client id, taken here (`clientId-exists`), released when
//! the applicatie lets it go. A change counts on the very next request.

use domain::applicatie::{Applicatie, ApplicatieAggregate, ApplicatieCommand, ApplicatieError};
use domain::Aggregate;
use event_schemas::applicatie::{ApplicatieAttributes, ApplicatieEvent, Component};
use event_schemas::{stream_name, VersionedEvent};
use uuid::Uuid;

use crate::authorisation::Authorisation;
use crate::{
    claim, claim_holder, release, ClaimError, CommandError, CommandHandler, Context, InvalidParam,
    Outcome, WriteError,
};

/// Every write of the Autorisaties API.
pub const BIJWERKEN: &str = "autorisaties.bijwerken";

/// The autorisaties use cases, over a command handler (client ids are claimed in its store).
pub struct Autorisaties<'a> {
    pub commands: &'a CommandHandler,
}

/// The outcome of an applicatie write: the applicatie after it (`None` once deleted) and
/// where its events are, for read-your-writes.
pub type ApplicatieOutcome = Outcome<Option<Applicatie>>;

/// A change of an applicatie: its attributes after the change, made from the current ones
/// on every attempt (a PUT ignores them, a PATCH merges onto them).
pub type ApplicatieChange<'a> =
    &'a (dyn Fn(&Applicatie) -> Result<ApplicatieAttributes, WriteError> + Send + Sync);

/// A refusal of the Applicatie aggregate in the standard's terms: the one place its errors
/// get their field and code.
pub fn refusal(e: ApplicatieError) -> WriteError {
    match e {
        ApplicatieError::NotFound => WriteError::NotFound,
        e @ ApplicatieError::AlreadyExists => WriteError::internal(e),
        e @ ApplicatieError::Ambiguous => WriteError::invalid(
            "nonFieldErrors",
            "ambiguous-authorizations-specified",
            e.to_string(),
        ),
        e @ ApplicatieError::Missing => {
            WriteError::invalid("nonFieldErrors", "missing-authorizations", e.to_string())
        }
        ApplicatieError::AutorisatieIncomplete(missing) => WriteError::Invalid(
            missing
                .into_iter()
                .map(|(index, field)| {
                    InvalidParam::new(
                        format!("autorisaties.{index}.{field}"),
                        "required",
                        "Dit veld is vereist.",
                    )
                })
                .collect(),
        ),
    }
}

/// A failed applicatie command in the standard's terms.
fn failure<R: Into<WriteError>>(e: CommandError<ApplicatieError, R>) -> WriteError {
    match e {
        CommandError::Domain(e) => refusal(e),
        other => other.into(),
    }
}

fn claim_key(client_id: &str) -> String {
    format!("applicatie-client/{client_id}")
}

fn owner(uuid: Uuid) -> String {
    stream_name(ApplicatieEvent::CATEGORY, uuid)
}

impl Autorisaties<'_> {
    /// Registers a new applicatie (`POST /applicaties`): its rules, then its client ids
    /// claimed, then its events.
    pub async fn register(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        attributes: ApplicatieAttributes,
    ) -> Result<ApplicatieOutcome, WriteError> {
        auth.require_scope(Component::Ac, BIJWERKEN)?;
        let uuid = Uuid::new_v4();
        let client_ids = attributes.client_ids.clone();
        let command = ApplicatieCommand::Register { uuid, attributes };
        // Decided before the client ids are claimed, so a refused applicatie claims nothing.
        ApplicatieAggregate::decide(&None, command.clone()).map_err(refusal)?;
        self.claim_client_ids(ctx, uuid, &client_ids).await?;
        self.commands
            .execute::<ApplicatieAggregate>(uuid, ctx, command)
            .await
            .map_err(failure)
    }

    /// Replaces the attributes of applicatie `uuid` with `change(current)` (PUT or PATCH),
    /// claiming the client ids it gains and releasing those it loses.
    pub async fn replace(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        change: ApplicatieChange<'_>,
    ) -> Result<ApplicatieOutcome, WriteError> {
        auth.require_scope(Component::Ac, BIJWERKEN)?;
        let (current, _) = self
            .commands
            .load_state::<ApplicatieAggregate>(uuid)
            .await
            .map_err(WriteError::internal)?;
        let current = current.ok_or(WriteError::NotFound)?;
        let attributes = change(&current)?;
        domain::applicatie::validate(&attributes).map_err(refusal)?;
        let added: Vec<String> = attributes
            .client_ids
            .iter()
            .filter(|c| !current.attributes.client_ids.contains(c))
            .cloned()
            .collect();
        self.claim_client_ids(ctx, uuid, &added).await?;
        let build = |state: &Option<Applicatie>| -> Result<ApplicatieCommand, WriteError> {
            let now = state.as_ref().ok_or(WriteError::NotFound)?;
            Ok(ApplicatieCommand::Update {
                attributes: change(now)?,
            })
        };
        let outcome = self
            .commands
            .execute_with::<ApplicatieAggregate, WriteError>(uuid, ctx, build)
            .await
            .map_err(failure)?;
        let kept = &outcome
            .state
            .as_ref()
            .ok_or(WriteError::NotFound)?
            .attributes
            .client_ids;
        for removed in current
            .attributes
            .client_ids
            .iter()
            .filter(|c| !kept.contains(c))
        {
            self.release_client_id(ctx, uuid, removed).await?;
        }
        Ok(outcome)
    }

    /// Deletes applicatie `uuid` (its stream stays as history); its client ids become free.
    pub async fn destroy(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<ApplicatieOutcome, WriteError> {
        auth.require_scope(Component::Ac, BIJWERKEN)?;
        let outcome = self
            .commands
            .execute::<ApplicatieAggregate>(uuid, ctx, ApplicatieCommand::Delete)
            .await
            .map_err(failure)?;
        let events = self
            .commands
            .store()
            .read_stream(&owner(uuid), 0)
            .await
            .map_err(WriteError::internal)?;
        if let Some(Ok(ApplicatieEvent::Deleted(d))) = events
            .last()
            .map(|e| ApplicatieEvent::decode(&e.event_type, e.schema_version, e.payload.clone()))
        {
            for client_id in &d.client_ids {
                self.release_client_id(ctx, uuid, client_id).await?;
            }
        }
        Ok(outcome)
    }

    /// The applicatie that holds `client_id`, from its claim stream (the source of truth).
    pub async fn applicatie_of_client(&self, client_id: &str) -> Result<Option<Uuid>, WriteError> {
        let holder = claim_holder(self.commands.store().as_ref(), &claim_key(client_id))
            .await
            .map_err(WriteError::internal)?;
        Ok(holder.and_then(|owner| {
            owner
                .strip_prefix(ApplicatieEvent::CATEGORY)
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|id| id.parse().ok())
        }))
    }

    /// Claims every client id for applicatie `uuid`; `clientId-exists` when one is
    /// another's (and what this request took is given back, so a refusal leaves nothing).
    async fn claim_client_ids(
        &self,
        ctx: &Context,
        uuid: Uuid,
        client_ids: &[String],
    ) -> Result<(), WriteError> {
        let store = self.commands.store().as_ref();
        let mut taken = Vec::new();
        for client_id in client_ids {
            match claim(store, ctx, &claim_key(client_id), &owner(uuid)).await {
                Ok(()) => {}
                Err(ClaimError::Taken { .. }) => taken.push(client_id.as_str()),
                Err(ClaimError::Store(e)) => return Err(WriteError::internal(e)),
            }
        }
        if taken.is_empty() {
            return Ok(());
        }
        for client_id in client_ids.iter().filter(|c| !taken.contains(&c.as_str())) {
            self.release_client_id(ctx, uuid, client_id).await?;
        }
        Err(WriteError::invalid(
            "clientIds",
            "clientId-exists",
            format!(
                "De clientID(s) {} zijn al in gebruik bij een andere applicatie.",
                taken.join(", ")
            ),
        ))
    }

    async fn release_client_id(
        &self,
        ctx: &Context,
        uuid: Uuid,
        client_id: &str,
    ) -> Result<(), WriteError> {
        let store = self.commands.store().as_ref();
        release(store, ctx, &claim_key(client_id), &owner(uuid))
            .await
            .map_err(WriteError::internal)
    }
}
