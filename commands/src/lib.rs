//! The write side. Per API a module with one application service per use case ([`zaken`]:
//! create a zaak, set a status, register a zaak with its parts in one call ...; [`catalogi`]:
//! create, change, publish a zaaktype ...; [`autorisaties`]: register an applicatie ...;
//! [`documenten`]; [`besluiten`]): it takes a typed input, the caller's [`Context`] and
//! [`authorisation::Authorisation`], resolves the facts it needs from outside the aggregate
//! through the ports the module defines (adapters live outside this crate: SQL, HTTP and
//! content storage in query-api), checks the authorisation, claims what must be unique,
//! and lets the aggregate decide. Refusals are [`WriteError`]s in the standard's terms.
//!
//! Underneath, [`CommandHandler`]: load the aggregate's stream, decide, append with the
//! expected version, and on a concurrent write do it again from the fresh state (with
//! jittered exponential backoff, within a time bound: [`RetryPolicy`]).

pub mod authorisation;
pub mod autorisaties;
pub mod besluiten;
pub mod catalogi;
mod claim;
pub mod documenten;
mod error;
pub mod klantinteracties;
pub mod notificaties;
mod retry;
pub mod zaken;

pub use claim::{
    claim, claim_holder, claim_identificatie, claim_identificatie_as, claim_unique, release,
    reserve, reserve_numbers, ClaimError, MAX_RESERVED,
};
pub use error::{InvalidParam, WriteError};
pub use retry::RetryPolicy;

use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use domain::Aggregate;
use event_schemas::{stream_name, Actor, DecodeError, EventMetadata, VersionedEvent};
use event_store::{EventStore, ExpectedVersion, NewEvent, Position, StoreError};
use uuid::Uuid;

/// Commands that gave up after concurrent writes kept changing their stream for longer than
/// the [`RetryPolicy`] allows (a 409 to the client), by aggregate category. Each conflict
/// on the way is counted by the store (`event_store::metered::CONFLICTS`).
pub const CONTENTION: &str = "zaakstroom_command_contention_total";

/// The current moment as events store it: to the microsecond (PostgreSQL's precision), so a
/// write's answer shows the same time a later read does.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Who is acting, for whom, and in which request: becomes every event's envelope.
#[derive(Debug, Clone)]
pub struct Context {
    pub actor: Actor,
    pub tenant: String,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    /// The moment of the write (stored to the microsecond: see [`now`]).
    pub now: DateTime<Utc>,
    /// The client's explanation of the change (`X-Audit-Toelichting`); empty when none.
    pub toelichting: String,
    /// The W3C trace context of the request (`traceparent`), when it is traced: every
    /// event of the write carries it, so what the log's subscribers do joins that trace.
    pub traceparent: Option<String>,
    /// When set, the ids of the appended events derive from it (UUID v5 of this seed, the
    /// stream and the event's index) instead of being new: a process manager that handles
    /// the same event again appends nothing twice (the store returns the first append).
    pub event_id_seed: Option<Uuid>,
    /// The stream revision the request was conditioned on (HTTP `If-Match`, mapped onto the
    /// stream by the read model row the client's ETag names): a command on that stream fails
    /// with [`CommandError::PreconditionFailed`] unless the stream is exactly there.
    pub precondition: Option<Precondition>,
}

/// A write allowed only while `stream` is at `version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Precondition {
    pub stream: String,
    pub version: u64,
}

impl Context {
    /// The id of the `index`th event of one append to `stream`.
    fn event_id(&self, stream: &str, index: usize) -> Uuid {
        match self.event_id_seed {
            Some(seed) => Uuid::new_v5(&seed, format!("{stream}/{index}").as_bytes()),
            None => Uuid::now_v7(),
        }
    }

    /// This context with the write conditioned on `precondition`.
    pub fn with_precondition(mut self, precondition: Option<Precondition>) -> Self {
        self.precondition = precondition;
        self
    }

    /// The revision `stream` must be at, when the request was conditioned on it.
    fn required_version(&self, stream: &str) -> Option<u64> {
        self.precondition
            .as_ref()
            .filter(|p| p.stream == stream)
            .map(|p| p.version)
    }

    fn metadata(&self) -> EventMetadata {
        EventMetadata {
            occurred_at: self.now.trunc_subsecs(6),
            actor: self.actor.clone(),
            tenant: self.tenant.clone(),
            correlation_id: self.correlation_id,
            causation_id: self.causation_id,
            toelichting: self.toelichting.clone(),
            traceparent: self.traceparent.clone(),
        }
    }
}

/// What a handled command did.
#[derive(Debug)]
pub struct Outcome<S> {
    /// The aggregate's state after the command.
    pub state: S,
    /// Global position of the last appended event; `None` when nothing changed.
    pub position: Option<Position>,
    /// Revision of the stream's last event after the command.
    pub version: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum CommandError<E: std::error::Error + 'static, R = std::convert::Infallible> {
    #[error(transparent)]
    Domain(E),
    /// The caller's command builder refused the current state.
    #[error("the command could not be built")]
    Rejected(R),
    /// Other writers kept changing the stream for longer than the [`RetryPolicy`] allows.
    #[error("gave up after {attempts} concurrent modifications of {stream}")]
    Contention { stream: String, attempts: u32 },
    /// The stream is not at the revision of the context's [`Precondition`].
    #[error("{stream} is not at the revision the request was conditioned on")]
    PreconditionFailed { stream: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

#[derive(Clone)]
pub struct CommandHandler {
    store: Arc<dyn EventStore>,
    retry: RetryPolicy,
}

/// An aggregate loaded from its stream.
struct Loaded<S> {
    state: S,
    version: Option<u64>,
}

impl CommandHandler {
    pub fn new(store: Arc<dyn EventStore>) -> Self {
        Self {
            store,
            retry: RetryPolicy::default(),
        }
    }

    /// This handler with another bound on deciding again after concurrent writes.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn store(&self) -> &Arc<dyn EventStore> {
        &self.store
    }

    /// Runs `command` against aggregate `id` of type `A`.
    pub async fn execute<A: Aggregate>(
        &self,
        id: Uuid,
        ctx: &Context,
        command: A::Command,
    ) -> Result<Outcome<A::State>, CommandError<A::Error>> {
        self.execute_with::<A, std::convert::Infallible>(id, ctx, |_| Ok(command.clone()))
            .await
    }

    /// Runs a command that starts aggregate `id`, a uuid the caller has just generated: its
    /// events are decided on the empty state and appended with "no stream" expected,
    /// without reading the stream first (a fresh uuid has none; that read was one of a POST's
    /// round trips). Should the stream exist after all, it runs as [`Self::execute`] does,
    /// deciding on the real state.
    pub async fn create<A: Aggregate>(
        &self,
        id: Uuid,
        ctx: &Context,
        command: A::Command,
    ) -> Result<Outcome<A::State>, CommandError<A::Error>> {
        let stream = stream_name(<A::Event as VersionedEvent>::CATEGORY, id);
        let empty = A::State::default();
        let events = A::decide(&empty, command.clone()).map_err(CommandError::Domain)?;
        if events.is_empty() {
            return self.execute::<A>(id, ctx, command).await;
        }
        match self
            .append::<A>(&stream, ExpectedVersion::NoStream, empty, events, ctx)
            .await
        {
            Err(StoreError::WrongExpectedVersion { .. }) => {
                self.execute::<A>(id, ctx, command).await
            }
            done => done.map_err(Into::into),
        }
    }

    /// Appends `events` decided on `state` and returns the state after them.
    async fn append<A: Aggregate>(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        state: A::State,
        events: Vec<A::Event>,
        ctx: &Context,
    ) -> Result<Outcome<A::State>, StoreError> {
        let after = events.iter().fold(state, A::evolve);
        self.append_decided::<A>(stream, expected, after, events, ctx)
            .await
    }

    /// Appends `events` that lead to `after`.
    async fn append_decided<A: Aggregate>(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        after: A::State,
        events: Vec<A::Event>,
        ctx: &Context,
    ) -> Result<Outcome<A::State>, StoreError> {
        let new_events = events
            .iter()
            .enumerate()
            .map(|(i, e)| NewEvent {
                event_id: ctx.event_id(stream, i),
                ..new_event(e, ctx)
            })
            .collect();
        let appended = self.store.append(stream, expected, new_events).await?;
        Ok(Outcome {
            state: after,
            position: Some(appended.position),
            version: Some(appended.next_expected_version),
        })
    }

    /// Runs several commands that start aggregate `id` (a uuid the caller has just generated)
    /// as one: each decided on the state the ones before it made, all their events appended
    /// at once with "no stream" expected, so either all of them are stored or none. Should
    /// the stream exist after all, nothing is appended and the store's refusal is returned.
    pub async fn create_all<A: Aggregate>(
        &self,
        id: Uuid,
        ctx: &Context,
        commands: Vec<A::Command>,
    ) -> Result<Outcome<A::State>, CommandError<A::Error>> {
        let stream = stream_name(<A::Event as VersionedEvent>::CATEGORY, id);
        let (after, events) =
            decide_all::<A>(A::State::default(), commands).map_err(CommandError::Domain)?;
        Ok(self
            .append_decided::<A>(&stream, ExpectedVersion::NoStream, after, events, ctx)
            .await?)
    }

    /// Like [`Self::execute_with`] for several commands built from the current state: each
    /// decided on the state the ones before it made, all their events appended at once (all
    /// or nothing), deciding again from the fresh state after a concurrent write.
    pub async fn execute_all_with<A: Aggregate, R>(
        &self,
        id: Uuid,
        ctx: &Context,
        build: impl Fn(&A::State) -> Result<Vec<A::Command>, R>,
    ) -> Result<Outcome<A::State>, CommandError<A::Error, R>>
    where
        R: std::fmt::Debug,
    {
        let stream = stream_name(<A::Event as VersionedEvent>::CATEGORY, id);
        let required = ctx.required_version(&stream);
        let mut backoff = self.retry.start();
        loop {
            let loaded = self.load::<A>(&stream).await.map_err(widen)?;
            if required.is_some_and(|v| loaded.version != Some(v)) {
                return Err(CommandError::PreconditionFailed { stream });
            }
            let commands = build(&loaded.state).map_err(CommandError::Rejected)?;
            let (after, events) =
                decide_all::<A>(loaded.state, commands).map_err(CommandError::Domain)?;
            if events.is_empty() {
                return Ok(Outcome {
                    state: after,
                    position: None,
                    version: loaded.version,
                });
            }
            let expected = loaded
                .version
                .map_or(ExpectedVersion::NoStream, ExpectedVersion::Exact);
            match self
                .append_decided::<A>(&stream, expected, after, events, ctx)
                .await
            {
                Ok(outcome) => return Ok(outcome),
                Err(StoreError::WrongExpectedVersion { .. }) if required.is_some() => {
                    return Err(CommandError::PreconditionFailed { stream });
                }
                Err(StoreError::WrongExpectedVersion { .. }) => {
                    let Some(pause) = backoff.next() else {
                        metrics::counter!(CONTENTION, "category" => <A::Event as VersionedEvent>::CATEGORY)
                            .increment(1);
                        return Err(CommandError::Contention {
                            stream,
                            attempts: backoff.attempts(),
                        });
                    };
                    tracing::debug!(%stream, ?pause, "concurrent write; deciding again");
                    tokio::time::sleep(pause).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Like [`Self::execute`], but the command is built from the current state on every
    /// attempt (e.g. a PATCH merged onto the attributes as they are now), so a concurrent
    /// write is never overwritten with stale values.
    pub async fn execute_with<A: Aggregate, R>(
        &self,
        id: Uuid,
        ctx: &Context,
        build: impl Fn(&A::State) -> Result<A::Command, R>,
    ) -> Result<Outcome<A::State>, CommandError<A::Error, R>>
    where
        R: std::fmt::Debug,
    {
        self.execute_all_with::<A, R>(id, ctx, |state| build(state).map(|c| vec![c]))
            .await
    }

    /// The current state of aggregate `id`, without deciding anything.
    pub async fn load_state<A: Aggregate>(
        &self,
        id: Uuid,
    ) -> Result<(A::State, Option<u64>), CommandError<A::Error>> {
        let stream = stream_name(<A::Event as VersionedEvent>::CATEGORY, id);
        let loaded = self.load::<A>(&stream).await?;
        Ok((loaded.state, loaded.version))
    }

    /// [`Self::load_state`] for a use case: only the state, a failure to read it internal.
    pub(crate) async fn current<A: Aggregate>(&self, id: Uuid) -> Result<A::State, WriteError> {
        let (state, _) = self
            .load_state::<A>(id)
            .await
            .map_err(WriteError::internal)?;
        Ok(state)
    }

    async fn load<A: Aggregate>(
        &self,
        stream: &str,
    ) -> Result<Loaded<A::State>, CommandError<A::Error>> {
        let recorded = self.store.read_stream(stream, 0).await?;
        let version = recorded.last().map(|e| e.revision);
        let mut state = A::State::default();
        for r in recorded {
            let event = A::Event::decode(&r.event_type, r.schema_version, r.payload)?;
            state = A::evolve(state, &event);
        }
        Ok(Loaded { state, version })
    }
}

/// The state after decided commands, and their events.
pub type Decided<A> = (<A as Aggregate>::State, Vec<<A as Aggregate>::Event>);

/// Decides `commands` one after the other, each on the state the ones before it made:
/// the state after all of them and their events.
pub fn decide_all<A: Aggregate>(
    state: A::State,
    commands: Vec<A::Command>,
) -> Result<Decided<A>, A::Error> {
    let mut state = state;
    let mut events = Vec::new();
    for command in commands {
        let new = A::decide(&state, command)?;
        state = new.iter().fold(state, A::evolve);
        events.extend(new);
    }
    Ok((state, events))
}

pub(crate) fn widen<E: std::error::Error, R>(e: CommandError<E>) -> CommandError<E, R> {
    match e {
        CommandError::Domain(d) => CommandError::Domain(d),
        CommandError::Rejected(never) => match never {},
        CommandError::Contention { stream, attempts } => {
            CommandError::Contention { stream, attempts }
        }
        CommandError::PreconditionFailed { stream } => CommandError::PreconditionFailed { stream },
        CommandError::Store(s) => CommandError::Store(s),
        CommandError::Decode(d) => CommandError::Decode(d),
    }
}

pub(crate) fn new_event<E: VersionedEvent>(event: &E, ctx: &Context) -> NewEvent {
    NewEvent {
        event_id: Uuid::now_v7(),
        event_type: event.event_type().to_owned(),
        schema_version: event.schema_version(),
        payload: event.to_payload(),
        metadata: ctx.metadata(),
    }
}
