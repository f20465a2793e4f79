//! The Notificaties API's write side: kanalen (our own exist from the start), abonnementen
//! (checked with a test notification to their callback before they are stored) and the
//! notifications outside publishers post, appended to the log before they are
//! acknowledged. Delivery is not here: it reads the log (projections::webhooks).

use async_trait::async_trait;
use domain::notificaties::{
    consistent, Abonnement, AbonnementAggregate, AbonnementCommand, AbonnementError, Kanaal,
    KanaalAggregate, KanaalCommand, KanaalError, KanaalFacts,
};
use domain::Aggregate;
use event_schemas::applicatie::Component;
use event_schemas::notificaties::{
    AbonnementAttributes, CloudEventReceivedV1, KanaalAttributes, KanaalEvent, NotificatieEvent,
    NotificatieReceivedV1,
};
use event_schemas::{stream_name, VersionedEvent};
use event_store::{ExpectedVersion, Position};
use uuid::Uuid;

use crate::authorisation::Authorisation;
use crate::{
    claim, claim_unique, CommandError, CommandHandler, Context, InvalidParam, Outcome, WriteError,
};

/// Publishing notifications and managing kanalen.
pub const PUBLICEREN: &str = "notificaties.publiceren";
/// Managing one's abonnementen.
pub const CONSUMEREN: &str = "notificaties.consumeren";

/// What the use cases need from outside the aggregates.
#[async_trait]
pub trait NotificatiePorts: Send + Sync {
    /// The filters of each named kanaal, `None` for one that does not exist.
    async fn kanalen(&self, names: &[String]) -> Result<KanaalFacts, WriteError>;
    /// POSTs the test notification to `callback_url` with `auth` as its Authorization;
    /// `Err(reason)` unless it answers 2xx.
    async fn probe(&self, callback_url: &str, auth: Option<&str>) -> Result<(), String>;
    /// The stored Authorization of an abonnement's callback.
    async fn auth(&self, abonnement: Uuid) -> Result<Option<String>, WriteError>;
    /// Stores (sealed) the Authorization of an abonnement's callback; `None` removes it.
    async fn set_auth(&self, abonnement: Uuid, auth: Option<&str>) -> Result<(), WriteError>;
}

/// The Notificaties use cases.
pub struct Notificaties<'a> {
    pub commands: &'a CommandHandler,
    pub ports: Box<dyn NotificatiePorts + 'a>,
}

pub type KanaalOutcome = Outcome<Option<Kanaal>>;
pub type AbonnementOutcome = Outcome<Option<Abonnement>>;

/// A change made from the current attributes on every attempt (PUT ignores them, PATCH
/// merges onto them).
pub type KanaalChange<'a> =
    &'a (dyn Fn(&Kanaal) -> Result<KanaalAttributes, WriteError> + Send + Sync);
pub type AbonnementChange<'a> =
    &'a (dyn Fn(&Abonnement) -> Result<AbonnementAttributes, WriteError> + Send + Sync);

/// The kanalen Zaakstroom publishes on, with the kenmerken its notifications carry (Open
/// Zaak's, camelCase as they are sent), created at start-up where missing.
pub const OUR_KANALEN: &[(&str, &[&str])] = &[
    (
        "zaken",
        &[
            "bronorganisatie",
            "zaaktype",
            "zaaktype.catalogus",
            "vertrouwelijkheidaanduiding",
        ],
    ),
    (
        "documenten",
        &[
            "bronorganisatie",
            "informatieobjecttype",
            "vertrouwelijkheidaanduiding",
            "informatieobjecttype.catalogus",
        ],
    ),
    (
        "besluiten",
        &[
            "verantwoordelijkeOrganisatie",
            "besluittype",
            "besluittype.catalogus",
        ],
    ),
    ("zaaktypen", &["catalogus"]),
    ("klantcontacten", &["kanaal"]),
    ("informatieobjecttypen", &["catalogus"]),
    ("besluittypen", &["catalogus"]),
    ("autorisaties", &[]),
    // Klantinteracties: Open Klant sends no notifications; ours carry the soort.
    ("partijen", &["soortPartij"]),
    ("internetaken", &["status", "toegewezenAanActor"]),
];

/// The uuid of our own kanaal `naam`: the same in every process, so two starting at once
/// create it once.
pub fn kanaal_uuid(naam: &str) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("zaakstroom:kanaal/{naam}").as_bytes(),
    )
}

fn naam_key(naam: &str) -> String {
    format!("kanaal-naam/{naam}")
}

pub fn kanaal_refusal(e: KanaalError) -> WriteError {
    match e {
        KanaalError::NotFound => WriteError::NotFound,
        e @ KanaalError::AlreadyExists => WriteError::internal(e),
        e @ KanaalError::NaamImmutable => {
            WriteError::invalid("naam", "wijzigen-niet-toegelaten", e.to_string())
        }
    }
}

/// A refusal of the Abonnement aggregate in Open Notificaties' terms.
pub fn abonnement_refusal(e: AbonnementError) -> WriteError {
    match e {
        AbonnementError::NotFound => WriteError::NotFound,
        e @ AbonnementError::AlreadyExists => WriteError::internal(e),
        e @ AbonnementError::CallbackNotHttp => {
            WriteError::invalid("callbackUrl", "invalid", e.to_string())
        }
        e @ AbonnementError::UnknownKanaal(_) => {
            WriteError::invalid("naam", "kanaal_naam", e.to_string())
        }
        e @ AbonnementError::InconsistentFilters(_) => {
            WriteError::invalid("filters", "inconsistent-abonnement-filters", e.to_string())
        }
    }
}

fn failure<E: std::error::Error + 'static, R: Into<WriteError>>(
    refusal: fn(E) -> WriteError,
) -> impl Fn(CommandError<E, R>) -> WriteError {
    move |e| match e {
        CommandError::Domain(e) => refusal(e),
        other => other.into(),
    }
}

impl Notificaties<'_> {
    /// `POST /kanaal`: a new kanaal, its naam unique.
    pub async fn create_kanaal(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        attributes: KanaalAttributes,
    ) -> Result<KanaalOutcome, WriteError> {
        auth.require_scope(Component::Nrc, PUBLICEREN)?;
        let uuid = Uuid::new_v4();
        let owner = stream_name(KanaalEvent::CATEGORY, uuid);
        claim_unique(
            self.commands.store().as_ref(),
            ctx,
            &naam_key(&attributes.naam),
            &owner,
            || WriteError::invalid("naam", "unique", "kanaal met deze naam bestaat al."),
        )
        .await?;
        self.commands
            .create::<KanaalAggregate>(uuid, ctx, KanaalCommand::Create { uuid, attributes })
            .await
            .map_err(failure(kanaal_refusal))
    }

    /// Creates our own kanaal where it is missing (start-up; no caller). A kanaal of that
    /// naam made by a client, or ours changed since, is left as it is.
    pub async fn ensure_kanaal(
        &self,
        ctx: &Context,
        attributes: KanaalAttributes,
    ) -> Result<Option<event_store::Position>, WriteError> {
        let uuid = kanaal_uuid(&attributes.naam);
        // Every start after the first: one read, nothing appended.
        let (existing, _) = self
            .commands
            .load_state::<KanaalAggregate>(uuid)
            .await
            .map_err(WriteError::internal)?;
        if existing.is_some() {
            return Ok(None);
        }
        let owner = stream_name(KanaalEvent::CATEGORY, uuid);
        match claim(
            self.commands.store().as_ref(),
            ctx,
            &naam_key(&attributes.naam),
            &owner,
        )
        .await
        {
            Ok(()) => {}
            Err(crate::ClaimError::Taken { .. }) => return Ok(None),
            Err(crate::ClaimError::Store(e)) => return Err(WriteError::internal(e)),
        }
        match self
            .commands
            .create::<KanaalAggregate>(uuid, ctx, KanaalCommand::Create { uuid, attributes })
            .await
        {
            Ok(outcome) => Ok(outcome.position),
            Err(CommandError::Domain(KanaalError::AlreadyExists)) => Ok(None),
            Err(e) => Err(failure(kanaal_refusal)(e)),
        }
    }

    /// `PUT`/`PATCH /kanaal/{uuid}` (Open Notificaties' extension): filters and
    /// documentatieLink change, the naam does not.
    pub async fn update_kanaal(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        change: KanaalChange<'_>,
    ) -> Result<KanaalOutcome, WriteError> {
        auth.require_scope(Component::Nrc, PUBLICEREN)?;
        let build = |state: &Option<Kanaal>| -> Result<KanaalCommand, WriteError> {
            let current = state.as_ref().ok_or(WriteError::NotFound)?;
            Ok(KanaalCommand::Update {
                attributes: change(current)?,
            })
        };
        self.commands
            .execute_with::<KanaalAggregate, WriteError>(uuid, ctx, build)
            .await
            .map_err(failure(kanaal_refusal))
    }

    /// `POST /abonnement`: checked against its kanalen, then its callback answers a test
    /// notification sent with `callback_auth`, then its auth is stored and it is created.
    pub async fn create_abonnement(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        attributes: AbonnementAttributes,
        callback_auth: String,
    ) -> Result<AbonnementOutcome, WriteError> {
        auth.require_scope(Component::Nrc, CONSUMEREN)?;
        let uuid = Uuid::new_v4();
        let kanalen = self.facts(&attributes).await?;
        let client_id = Some(ctx.actor.client_id.clone()).filter(|c| !c.is_empty());
        let command = AbonnementCommand::Create {
            uuid,
            client_id,
            attributes: attributes.clone(),
            kanalen,
        };
        AbonnementAggregate::decide(&None, command.clone()).map_err(abonnement_refusal)?;
        self.probe(&attributes.callback_url, Some(&callback_auth))
            .await?;
        self.ports.set_auth(uuid, Some(&callback_auth)).await?;
        self.commands
            .create::<AbonnementAggregate>(uuid, ctx, command)
            .await
            .map_err(failure(abonnement_refusal))
    }

    /// `PUT`/`PATCH /abonnement/{uuid}` by the client that made it (or an administrator):
    /// the fields given replace, the callback is checked again (with the new auth, else the
    /// stored one).
    pub async fn update_abonnement(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        change: AbonnementChange<'_>,
        callback_auth: Option<String>,
    ) -> Result<AbonnementOutcome, WriteError> {
        auth.require_scope(Component::Nrc, CONSUMEREN)?;
        let current = self.owned(auth, ctx, uuid).await?;
        let attributes = change(&current)?;
        let kanalen = self.facts(&attributes).await?;
        domain::notificaties::validate(&attributes, &kanalen).map_err(abonnement_refusal)?;
        let probe_auth = match &callback_auth {
            Some(a) => Some(a.clone()),
            None => self.ports.auth(uuid).await?,
        };
        self.probe(&attributes.callback_url, probe_auth.as_deref())
            .await?;
        if let Some(a) = &callback_auth {
            self.ports.set_auth(uuid, Some(a)).await?;
        }
        let build = |state: &Option<Abonnement>| -> Result<AbonnementCommand, WriteError> {
            let now = state.as_ref().ok_or(WriteError::NotFound)?;
            Ok(AbonnementCommand::Update {
                attributes: change(now)?,
                kanalen: kanalen.clone(),
            })
        };
        self.commands
            .execute_with::<AbonnementAggregate, WriteError>(uuid, ctx, build)
            .await
            .map_err(failure(abonnement_refusal))
    }

    /// `DELETE /abonnement/{uuid}`: nothing more is delivered to it (what was underway is
    /// kept in the delivery log); its auth is erased.
    pub async fn destroy_abonnement(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<AbonnementOutcome, WriteError> {
        auth.require_scope(Component::Nrc, CONSUMEREN)?;
        self.owned(auth, ctx, uuid).await?;
        let outcome = self
            .commands
            .execute::<AbonnementAggregate>(uuid, ctx, AbonnementCommand::Delete)
            .await
            .map_err(failure(abonnement_refusal))?;
        self.ports.set_auth(uuid, None).await?;
        Ok(outcome)
    }

    /// `POST /notificaties`: a notification from an outside publisher, on a kanaal that
    /// exists, with kenmerken the kanaal knows, not from the future; appended to the log
    /// (and so delivered) before the caller hears it was accepted.
    pub async fn publish(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        message: NotificatieReceivedV1,
    ) -> Result<Position, WriteError> {
        auth.require_scope(Component::Nrc, PUBLICEREN)?;
        let facts = self
            .ports
            .kanalen(std::slice::from_ref(&message.kanaal))
            .await?;
        let mut invalid = Vec::new();
        match facts.get(&message.kanaal).cloned().flatten() {
            None => invalid.push(InvalidParam::new(
                "kanaal",
                "message_kanaal",
                "Kanaal bestaat niet.",
            )),
            Some(filters) => {
                if !consistent(message.kenmerken.keys().map(String::as_str), &filters) {
                    invalid.push(InvalidParam::new(
                        "kenmerken",
                        "kenmerken_inconsistent",
                        "Kenmerken aren't consistent with kanaal filters",
                    ));
                }
            }
        }
        if message.aanmaakdatum > ctx.now + chrono::Duration::seconds(1) {
            invalid.push(InvalidParam::new(
                "aanmaakdatum",
                "future_not_allowed",
                "Deze datum mag niet in de toekomst zijn.",
            ));
        }
        if !invalid.is_empty() {
            return Err(WriteError::Invalid(invalid));
        }
        let received = NotificatieEvent::Received(message);
        self.append_to(ctx, Uuid::new_v4(), received).await
    }

    /// `POST /cloudevents` (Open Notificaties' extension): stored as it came; its (source,
    /// id) is unique.
    pub async fn publish_cloudevent(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        event: serde_json::Value,
    ) -> Result<Position, WriteError> {
        auth.require_scope(Component::Nrc, PUBLICEREN)?;
        let text = |k: &str| {
            event
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let key = format!("cloudevent/{}/{}", text("source"), text("id"));
        let uuid = Uuid::new_v4();
        let owner = stream_name(NotificatieEvent::CATEGORY, uuid);
        claim_unique(self.commands.store().as_ref(), ctx, &key, &owner, || {
            WriteError::invalid(
                "nonFieldErrors",
                "unique",
                "De velden source, id moeten een unieke set zijn.",
            )
        })
        .await?;
        let received = NotificatieEvent::CloudEventReceived(CloudEventReceivedV1 { event });
        self.append_to(ctx, uuid, received).await
    }

    async fn append_to(
        &self,
        ctx: &Context,
        uuid: Uuid,
        event: NotificatieEvent,
    ) -> Result<Position, WriteError> {
        let stream = stream_name(NotificatieEvent::CATEGORY, uuid);
        let appended = self
            .commands
            .store()
            .append(
                &stream,
                ExpectedVersion::NoStream,
                vec![crate::new_event(&event, ctx)],
            )
            .await
            .map_err(WriteError::internal)?;
        Ok(appended.position)
    }

    /// The facts of the kanalen an abonnement names.
    async fn facts(&self, attributes: &AbonnementAttributes) -> Result<KanaalFacts, WriteError> {
        let mut names: Vec<String> = attributes.kanalen.iter().map(|k| k.naam.clone()).collect();
        names.sort();
        names.dedup();
        self.ports.kanalen(&names).await
    }

    async fn probe(&self, callback_url: &str, auth: Option<&str>) -> Result<(), WriteError> {
        self.ports
            .probe(callback_url, auth)
            .await
            .map_err(|reason| {
                WriteError::invalid(
                    "nonFieldErrors",
                    "invalid-callback-url",
                    format!("Aanmelden van de callback URL is mislukt: {reason}"),
                )
            })
    }

    /// Abonnement `uuid`, when the caller may change it: the client that made it, or one
    /// with every autorisatie (Open Notificaties' rule: 403 for another client).
    async fn owned(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<Abonnement, WriteError> {
        let (state, _) = self
            .commands
            .load_state::<AbonnementAggregate>(uuid)
            .await
            .map_err(WriteError::internal)?;
        let abonnement = state.ok_or(WriteError::NotFound)?;
        let mine = abonnement.client_id.as_deref() == Some(ctx.actor.client_id.as_str());
        if !mine && !auth.all {
            return Err(WriteError::PermissionDenied(
                "Dit abonnement is van een andere client.".into(),
            ));
        }
        Ok(abonnement)
    }
}
