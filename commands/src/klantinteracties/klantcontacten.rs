//! Creating, changing and deleting a klantcontact (stream `klantcontact-{uuid}`), decided
//! on the Klantcontact aggregate: a create carries the betrokkene and onderwerpobject sent
//! along (POST maak-klantcontact) in the same decision and the same append.

use std::collections::BTreeSet;

use domain::klantinteracties::klantcontact::{
    Klantcontact, KlantcontactAggregate, KlantcontactCommand,
};
use domain::klantinteracties::partij::PartijAggregate;
use domain::klantinteracties::unruled::ActorAggregate;
use event_schemas::klantinteracties::klantcontact::KlantcontactEvent;
use event_schemas::klantinteracties::klantcontact::{
    ActorKlantcontactAttributes, BetrokkeneAttributes, BijlageAttributes, KlantcontactAttributes,
    OnderwerpobjectAttributes,
};
use event_schemas::klantinteracties::DigitaalAdresAttributes;
use event_schemas::{stream_name, VersionedEvent};
use uuid::Uuid;

use super::{
    authorise, does_not_exist, failure, unique_key, unique_taken, KlantcontactPorts, AANMAKEN,
    BIJWERKEN, VERWIJDEREN,
};
use crate::authorisation::Authorisation;
use crate::{CommandHandler, Context, Outcome, WriteError};

/// The klantcontact use cases, over a command handler.
pub struct Klantcontacten<'a> {
    pub commands: &'a CommandHandler,
    pub ports: Box<dyn KlantcontactPorts + 'a>,
}

/// The outcome of a klantcontact write: the klantcontact after it (`None` once deleted).
pub type KlantcontactOutcome = Outcome<Option<Klantcontact>>;

/// A PUT or PATCH of a klantcontact: its new attributes made from the klantcontact as it
/// is, on every attempt (a PUT ignores it, a PATCH merges onto it).
pub type KlantcontactChange<'a> =
    &'a (dyn Fn(&Klantcontact) -> Result<KlantcontactAttributes, WriteError> + Send + Sync);

/// `does_not_exist` under `field` when the object `uuid` it names is not there.
fn must_exist(field: &str, uuid: Uuid, exists: bool) -> Result<(), WriteError> {
    if exists {
        return Ok(());
    }
    Err(does_not_exist(field, uuid))
}

/// The unique values a klantcontact's attributes hold (claim keys).
fn keys(a: Option<&KlantcontactAttributes>) -> BTreeSet<String> {
    let kind = KlantcontactEvent::CATEGORY;
    a.into_iter()
        .flat_map(|a| {
            let nummer = a.nummer.as_ref().map(|n| unique_key(kind, "nummer", n));
            let referentie = a
                .referentienummer
                .as_ref()
                .map(|n| unique_key(kind, "referentienummer", n));
            nummer.into_iter().chain(referentie)
        })
        .collect()
}

fn held(state: &Option<Klantcontact>) -> BTreeSet<String> {
    keys(state.as_ref().map(|k| &k.attributes))
}

impl Klantcontacten<'_> {
    /// Runs `write` on klantcontact `uuid` with its unique values claimed (`before` as it
    /// holds them, `after` as the write will).
    async fn claimed(
        &self,
        ctx: &Context,
        uuid: Uuid,
        (before, after): (BTreeSet<String>, BTreeSet<String>),
        write: impl std::future::Future<Output = Result<KlantcontactOutcome, WriteError>>,
    ) -> Result<KlantcontactOutcome, WriteError> {
        let unique = crate::claim::UniqueKeys {
            store: self.commands.store().as_ref(),
            ctx,
            owner: stream_name(KlantcontactEvent::CATEGORY, uuid),
            taken: &unique_taken,
        };
        let write = async {
            let outcome = write.await?;
            let keys = held(&outcome.state);
            Ok((outcome, keys))
        };
        unique.around(&before, &after, write).await
    }

    /// The klantcontact as its stream has it now.
    pub async fn current(&self, uuid: Uuid) -> Result<Option<Klantcontact>, WriteError> {
        self.commands.current::<KlantcontactAggregate>(uuid).await
    }

    /// Creates a klantcontact (`POST /klantcontacten`), with a betrokkene and an
    /// onderwerpobject when given (`POST /maak-klantcontact`): the partij the betrokkene
    /// was and the klantcontact the onderwerpobject was must exist (`does_not_exist`); then
    /// one decision, one append, nothing stored when any of them is refused.
    pub async fn create(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        attributes: KlantcontactAttributes,
        betrokkene: Option<(Uuid, BetrokkeneAttributes)>,
        onderwerpobject: Option<(Uuid, OnderwerpobjectAttributes)>,
    ) -> Result<KlantcontactOutcome, WriteError> {
        authorise(auth, AANMAKEN)?;
        let partij = betrokkene.as_ref().and_then(|(_, b)| b.was_partij);
        if let Some(partij) = partij {
            let exists = self.commands.current::<PartijAggregate>(partij).await?;
            must_exist("betrokkene.wasPartij.uuid", partij, exists.is_some())?;
        }
        let other = onderwerpobject
            .as_ref()
            .and_then(|(_, o)| o.was_klantcontact);
        if let Some(other) = other {
            let exists = self.current(other).await?.is_some();
            must_exist("onderwerpobject.wasKlantcontact.uuid", other, exists)?;
        }
        let uuid = Uuid::new_v4();
        let after = keys(Some(&attributes));
        let command = KlantcontactCommand::Create {
            uuid,
            attributes: Box::new(attributes),
            betrokkene,
            onderwerpobject,
        };
        let write = async {
            self.commands
                .create::<KlantcontactAggregate>(uuid, ctx, command)
                .await
                .map_err(failure)
        };
        self.claimed(ctx, uuid, (BTreeSet::new(), after), write)
            .await
    }

    /// Changes klantcontact `uuid` (PUT or PATCH).
    pub async fn update(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        apply: KlantcontactChange<'_>,
        partial: bool,
    ) -> Result<KlantcontactOutcome, WriteError> {
        authorise(auth, BIJWERKEN)?;
        let current = self.current(uuid).await?.ok_or(WriteError::NotFound)?;
        let wanted = (
            keys(Some(&current.attributes)),
            keys(Some(&apply(&current)?)),
        );
        let build = |state: &Option<Klantcontact>| -> Result<_, WriteError> {
            let current = state.as_ref().ok_or(WriteError::NotFound)?;
            Ok(KlantcontactCommand::Update {
                attributes: apply(current)?,
                partial,
            })
        };
        let write = async {
            self.commands
                .execute_with::<KlantcontactAggregate, WriteError>(uuid, ctx, build)
                .await
                .map_err(failure)
        };
        self.claimed(ctx, uuid, wanted, write).await
    }

    /// Deletes klantcontact `uuid` with all its parts (the stream stays as history).
    pub async fn destroy(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<KlantcontactOutcome, WriteError> {
        authorise(auth, VERWIJDEREN)?;
        let before = held(&self.current(uuid).await?);
        let write = async {
            self.commands
                .execute::<KlantcontactAggregate>(uuid, ctx, KlantcontactCommand::Delete)
                .await
                .map_err(failure)
        };
        self.claimed(ctx, uuid, (before, BTreeSet::new()), write)
            .await
    }
}

/// A part of a klantcontact with a resource of its own, in the klantcontact's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KlantcontactPartKind {
    Betrokkene,
    Onderwerpobject,
    Bijlage,
    ActorKlantcontact,
    /// A digitaal adres one of its betrokkenen gave (without a partij).
    DigitaalAdres,
}

impl KlantcontactPartKind {
    /// The field of the part's resource that names its klantcontact.
    pub fn owner_field(self) -> &'static str {
        match self {
            Self::Betrokkene => "hadKlantcontact",
            Self::Onderwerpobject | Self::ActorKlantcontact => "klantcontact",
            Self::Bijlage => "wasBijlageVanKlantcontact",
            Self::DigitaalAdres => "verstrektDoorBetrokkene",
        }
    }

    pub fn holds(self, k: &Klantcontact, uuid: Uuid) -> bool {
        match self {
            Self::Betrokkene => k.betrokkenen.contains_key(&uuid),
            Self::Onderwerpobject => k.onderwerpobjecten.contains_key(&uuid),
            Self::Bijlage => k.bijlagen.contains_key(&uuid),
            Self::ActorKlantcontact => k.actorklantcontacten.contains_key(&uuid),
            Self::DigitaalAdres => k.digitale_adressen.contains_key(&uuid),
        }
    }

    fn remove(self, uuid: Uuid) -> KlantcontactCommand {
        match self {
            Self::Betrokkene => KlantcontactCommand::RemoveBetrokkene { uuid },
            Self::Onderwerpobject => KlantcontactCommand::RemoveOnderwerpobject { uuid },
            Self::Bijlage => KlantcontactCommand::RemoveBijlage { uuid },
            Self::ActorKlantcontact => KlantcontactCommand::RemoveActorKlantcontact { uuid },
            Self::DigitaalAdres => KlantcontactCommand::RemoveDigitaalAdres { uuid },
        }
    }
}

/// A part's attributes as a client writes them.
#[derive(Debug, Clone, PartialEq)]
pub enum KlantcontactPart {
    Betrokkene(Box<BetrokkeneAttributes>),
    Onderwerpobject(OnderwerpobjectAttributes),
    Bijlage(BijlageAttributes),
    ActorKlantcontact(ActorKlantcontactAttributes),
    DigitaalAdres(DigitaalAdresAttributes),
}

impl KlantcontactPart {
    pub fn kind(&self) -> KlantcontactPartKind {
        match self {
            Self::Betrokkene(_) => KlantcontactPartKind::Betrokkene,
            Self::Onderwerpobject(_) => KlantcontactPartKind::Onderwerpobject,
            Self::Bijlage(_) => KlantcontactPartKind::Bijlage,
            Self::ActorKlantcontact(_) => KlantcontactPartKind::ActorKlantcontact,
            Self::DigitaalAdres(_) => KlantcontactPartKind::DigitaalAdres,
        }
    }

    fn set(self, uuid: Uuid) -> KlantcontactCommand {
        match self {
            Self::Betrokkene(attributes) => KlantcontactCommand::SetBetrokkene {
                uuid,
                attributes: *attributes,
            },
            Self::Onderwerpobject(attributes) => {
                KlantcontactCommand::SetOnderwerpobject { uuid, attributes }
            }
            Self::Bijlage(attributes) => KlantcontactCommand::SetBijlage { uuid, attributes },
            Self::ActorKlantcontact(attributes) => {
                KlantcontactCommand::SetActorKlantcontact { uuid, attributes }
            }
            Self::DigitaalAdres(attributes) => {
                KlantcontactCommand::SetDigitaalAdres { uuid, attributes }
            }
        }
    }

    /// What the part names besides its klantcontact, which must exist: the partij a
    /// betrokkene was, the klantcontact an onderwerpobject was, an actor.
    fn referenced(&self) -> Option<(&'static str, Uuid, Other)> {
        match self {
            Self::Betrokkene(b) => b.was_partij.map(|p| ("wasPartij.uuid", p, Other::Partij)),
            Self::Onderwerpobject(o) => o
                .was_klantcontact
                .map(|k| ("wasKlantcontact.uuid", k, Other::Klantcontact)),
            Self::ActorKlantcontact(a) => Some(("actor.uuid", a.actor, Other::Actor)),
            // Its betrokkene must be the klantcontact's (the aggregate's rule).
            Self::Bijlage(_) | Self::DigitaalAdres(_) => None,
        }
    }
}

/// A PUT or PATCH of a part: its klantcontact (which cannot change) and new attributes,
/// made from the klantcontact as it is on every attempt.
pub type KlantcontactPartChange<'a> =
    &'a (dyn Fn(&Klantcontact) -> Result<(Uuid, KlantcontactPart), WriteError> + Send + Sync);

/// What a part names besides its klantcontact.
#[derive(Debug, Clone, Copy)]
enum Other {
    Partij,
    Klantcontact,
    Actor,
}

impl Klantcontacten<'_> {
    /// `does_not_exist` under `field` unless the partij, klantcontact or actor `uuid`
    /// exists.
    async fn referenced_exists(
        &self,
        (field, uuid, other): (&str, Uuid, Other),
    ) -> Result<(), WriteError> {
        let exists = match other {
            Other::Partij => self
                .commands
                .current::<PartijAggregate>(uuid)
                .await?
                .is_some(),
            Other::Klantcontact => self.current(uuid).await?.is_some(),
            Other::Actor => self
                .commands
                .current::<ActorAggregate>(uuid)
                .await?
                .is_some(),
        };
        must_exist(field, uuid, exists)
    }

    /// Adds a part to klantcontact `klantcontact` (`POST /betrokkenen`,
    /// `/onderwerpobjecten`); a klantcontact that does not exist is refused under the
    /// part's field naming it.
    pub async fn create_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        klantcontact: Uuid,
        uuid: Uuid,
        part: KlantcontactPart,
    ) -> Result<KlantcontactOutcome, WriteError> {
        authorise(auth, AANMAKEN)?;
        let kind = part.kind();
        let field = format!("{}.uuid", kind.owner_field());
        let exists = self.current(klantcontact).await?.is_some();
        must_exist(&field, klantcontact, exists)?;
        if let Some(referenced) = part.referenced() {
            self.referenced_exists(referenced).await?;
        }
        let build =
            |_: &Option<Klantcontact>| -> Result<_, WriteError> { Ok(part.clone().set(uuid)) };
        self.commands
            .execute_with::<KlantcontactAggregate, WriteError>(klantcontact, ctx, build)
            .await
            .map_err(failure)
    }

    /// The klantcontact holding the `kind` part `uuid`: 404 when none does.
    pub async fn klantcontact_of(
        &self,
        kind: KlantcontactPartKind,
        uuid: Uuid,
    ) -> Result<Uuid, WriteError> {
        self.ports
            .klantcontact_of(kind, uuid)
            .await?
            .ok_or(WriteError::NotFound)
    }

    /// Changes the `kind` part `uuid` (PUT or PATCH); its klantcontact cannot change.
    pub async fn update_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        kind: KlantcontactPartKind,
        uuid: Uuid,
        apply: KlantcontactPartChange<'_>,
    ) -> Result<KlantcontactOutcome, WriteError> {
        authorise(auth, BIJWERKEN)?;
        let klantcontact = self.klantcontact_of(kind, uuid).await?;
        let current = self
            .current(klantcontact)
            .await?
            .ok_or(WriteError::NotFound)?;
        if let Some(referenced) = apply(&current)?.1.referenced() {
            self.referenced_exists(referenced).await?;
        }
        let build = |state: &Option<Klantcontact>| -> Result<_, WriteError> {
            let current = state
                .as_ref()
                .filter(|k| kind.holds(k, uuid))
                .ok_or(WriteError::NotFound)?;
            let (to, part) = apply(current)?;
            // A digitaal adres names its klantcontact by its betrokkene.
            let moved = match kind {
                KlantcontactPartKind::DigitaalAdres => !current.betrokkenen.contains_key(&to),
                _ => to != klantcontact,
            };
            if moved || part.kind() != kind {
                return Err(WriteError::invalid(
                    kind.owner_field(),
                    "wijzigen-niet-toegelaten",
                    "Het klantcontact van dit object kan niet gewijzigd worden.",
                ));
            }
            Ok(part.set(uuid))
        };
        self.commands
            .execute_with::<KlantcontactAggregate, WriteError>(klantcontact, ctx, build)
            .await
            .map_err(failure)
    }

    /// Removes the `kind` part `uuid` from its klantcontact.
    pub async fn destroy_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        kind: KlantcontactPartKind,
        uuid: Uuid,
    ) -> Result<KlantcontactOutcome, WriteError> {
        authorise(auth, VERWIJDEREN)?;
        let klantcontact = self.klantcontact_of(kind, uuid).await?;
        self.commands
            .execute::<KlantcontactAggregate>(klantcontact, ctx, kind.remove(uuid))
            .await
            .map_err(failure)
    }

    /// Removes onderwerpobject `uuid`; with `cascade` (Open Klant's `?cascade=true`) also
    /// deletes its klantcontact and the klantcontact it was, each unless another
    /// onderwerpobject belongs to it or names it: those are kept and answered.
    pub async fn destroy_onderwerpobject(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        cascade: bool,
    ) -> Result<(KlantcontactOutcome, Vec<Uuid>), WriteError> {
        authorise(auth, VERWIJDEREN)?;
        let kind = KlantcontactPartKind::Onderwerpobject;
        let klantcontact = self.klantcontact_of(kind, uuid).await?;
        let current = self
            .current(klantcontact)
            .await?
            .ok_or(WriteError::NotFound)?;
        let was = current
            .onderwerpobjecten
            .get(&uuid)
            .and_then(|o| o.was_klantcontact);
        let (mut gone, mut kept) = (Vec::new(), Vec::new());
        if cascade {
            let mut linked = vec![klantcontact];
            linked.extend(was.filter(|w| *w != klantcontact));
            for k in linked {
                if self.ports.linked_elsewhere(k, uuid).await? {
                    kept.push(k);
                } else {
                    gone.push(k);
                }
            }
        }
        let mut outcome = self.destroy_part(auth, ctx, kind, uuid).await?;
        for k in gone {
            match self.destroy(auth, ctx, k).await {
                // The last write's position, for a read of what it did.
                Ok(deleted) => outcome = deleted,
                Err(WriteError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok((outcome, kept))
    }
}
