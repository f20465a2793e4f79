//! Creating, changing and deleting a partij and its partij-identificatoren. Every write
//! goes through [`Partijen::write`]: it decides once to learn which identificatoren the
//! partij will hold, claims the new ones' keys (register-wide uniqueness), appends (deciding
//! again on the fresh state after a concurrent write), and frees the keys of identificatoren
//! the partij no longer holds (and of a nummer it no longer has), or of a write that was
//! refused.

use std::collections::BTreeSet;

use domain::klantinteracties::partij::{
    claim_key, Partij, PartijAggregate, PartijCommand, PartijError, PartijFacts,
};
use event_schemas::klantinteracties::partij::{
    PartijAttributes, PartijEvent, PartijIdentificatie, PartijIdentificatorAttributes,
    RekeningnummerAttributes,
};
use event_schemas::klantinteracties::DigitaalAdresAttributes;
use event_schemas::{stream_name, VersionedEvent};
use uuid::Uuid;

use super::{
    authorise, does_not_exist, failure, refusal, PartijPorts, AANMAKEN, BIJWERKEN, VERWIJDEREN,
};
use crate::authorisation::Authorisation;
use crate::{decide_all, CommandHandler, Context, Outcome, WriteError};

/// The partij use cases, over a command handler and the ports' adapters.
pub struct Partijen<'a> {
    pub commands: &'a CommandHandler,
    pub ports: Box<dyn PartijPorts + 'a>,
}

/// The outcome of a partij write: the partij after it (`None` once deleted) and where its
/// events are, for read-your-writes.
pub type PartijOutcome = Outcome<Option<Partij>>;

/// What a PUT or PATCH of a partij asks for: its attributes, and when the request names
/// `partijIdentificatoren`, exactly those identificatoren (by uuid; the others go).
pub type PartijRequest = (
    PartijAttributes,
    Option<Vec<(Uuid, PartijIdentificatorAttributes)>>,
);

/// The commands of one partij write, built from the partij as it is on every attempt.
type Build<'a> =
    &'a (dyn Fn(&Option<Partij>) -> Result<Vec<PartijCommand>, WriteError> + Send + Sync);

/// A PUT or PATCH of a part: its partij (which cannot change) and new attributes, made
/// from the partij as it is on every attempt.
pub type PartChange<'a> =
    &'a (dyn Fn(&Partij) -> Result<(Uuid, PartAttributes), WriteError> + Send + Sync);

/// A PUT or PATCH of a partij.
pub struct PartijChange<'a> {
    /// The request made from the partij as it is, on every attempt (a PUT ignores it, a
    /// PATCH merges onto it): the caller's protocol parses it.
    pub apply: &'a (dyn Fn(&Partij) -> Result<PartijRequest, WriteError> + Send + Sync),
    /// A PATCH rather than a PUT.
    pub partial: bool,
}

/// The claim keys of what a partij holds that is unique in the register: its
/// identificatoren, and its (deprecated) nummer when it has one.
fn keys(p: &Option<Partij>) -> BTreeSet<String> {
    p.iter()
        .flat_map(|p| {
            let nummer = p.attributes.nummer.as_ref().map(|n| nummer_key(n));
            p.identificatoren.values().map(claim_key).chain(nummer)
        })
        .collect()
}

const NUMMER: &str = "partij-nummer/";

fn nummer_key(nummer: &str) -> String {
    format!("{NUMMER}{nummer}")
}

/// The refusal of a taken key: a nummer's (Open Klant's unique field) or an identificator's.
fn taken(key: &str) -> WriteError {
    if key.starts_with(NUMMER) {
        WriteError::invalid(
            "nummer",
            "unique",
            "Er bestaat al een partij met eenzelfde nummer.",
        )
    } else {
        refusal(PartijError::IdentificatorNotUnique)
    }
}

fn owner(uuid: Uuid) -> String {
    stream_name(PartijEvent::CATEGORY, uuid)
}

/// The commands that make the partij's identificatoren exactly `wanted`: removals first
/// (sub-identificatoren before the ones they are under), then each new or changed one set.
fn identificator_commands(
    p: &Partij,
    wanted: &[(Uuid, PartijIdentificatorAttributes)],
) -> Vec<PartijCommand> {
    let mut gone: Vec<(&Uuid, &PartijIdentificatorAttributes)> = p
        .identificatoren
        .iter()
        .filter(|(u, _)| !wanted.iter().any(|(w, _)| w == *u))
        .collect();
    gone.sort_by_key(|(_, a)| a.sub_identificator_van.is_none());
    let removals = gone
        .into_iter()
        .map(|(uuid, _)| PartijCommand::RemoveIdentificator { uuid: *uuid });
    // One the partij has as it is stays untouched (no event).
    let sets = wanted
        .iter()
        .filter(|(uuid, a)| p.identificatoren.get(uuid) != Some(a))
        .cloned()
        .map(|(uuid, attributes)| PartijCommand::SetIdentificator { uuid, attributes });
    removals.chain(sets).collect()
}

impl Partijen<'_> {
    /// The partij as its stream has it now.
    pub async fn current(&self, uuid: Uuid) -> Result<Option<Partij>, WriteError> {
        self.commands.current::<PartijAggregate>(uuid).await
    }

    /// The facts a partij's attributes are decided on: whether the organisatie a
    /// contactpersoon works for is one (it must exist: `does_not_exist`).
    async fn facts(&self, attributes: &PartijAttributes) -> Result<PartijFacts, WriteError> {
        let PartijIdentificatie::Contactpersoon {
            werkte_voor_partij: Some(organisatie),
            ..
        } = attributes.partij_identificatie
        else {
            return Ok(PartijFacts::default());
        };
        let Some(organisatie) = self.current(organisatie).await? else {
            let field = "partijIdentificatie.werkteVoorPartij.uuid";
            return Err(does_not_exist(field, organisatie));
        };
        Ok(PartijFacts {
            werkte_voor_partij_is_geen_organisatie: !matches!(
                organisatie.attributes.partij_identificatie,
                PartijIdentificatie::Organisatie { .. }
            ),
        })
    }

    /// Decides `build`'s commands on partij `uuid` with the identificatoren's claims kept in
    /// step (see the module); answers the outcome and the partij as it was before.
    async fn write(
        &self,
        ctx: &Context,
        uuid: Uuid,
        build: Build<'_>,
    ) -> Result<(PartijOutcome, Option<Partij>), WriteError> {
        let before = self.current(uuid).await?;
        let (after, _) =
            decide_all::<PartijAggregate>(before.clone(), build(&before)?).map_err(refusal)?;
        let unique = crate::claim::UniqueKeys {
            store: self.commands.store().as_ref(),
            ctx,
            owner: owner(uuid),
            taken: &taken,
        };
        let write = async {
            let outcome = self
                .commands
                .execute_all_with::<PartijAggregate, WriteError>(uuid, ctx, build)
                .await
                .map_err(failure)?;
            let held = keys(&outcome.state);
            Ok((outcome, held))
        };
        let outcome = unique.around(&keys(&before), &keys(&after), write).await?;
        Ok((outcome, before))
    }

    /// Creates a partij with the identificatoren sent along (`POST /partijen`), all or
    /// nothing.
    pub async fn create(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        attributes: PartijAttributes,
        identificatoren: Vec<(Uuid, PartijIdentificatorAttributes)>,
    ) -> Result<PartijOutcome, WriteError> {
        authorise(auth, AANMAKEN)?;
        let facts = self.facts(&attributes).await?;
        let uuid = Uuid::new_v4();
        let build = |_: &Option<Partij>| {
            Ok(vec![PartijCommand::Create {
                uuid,
                attributes: attributes.clone(),
                identificatoren: identificatoren.clone(),
                facts,
            }])
        };
        Ok(self.write(ctx, uuid, &build).await?.0)
    }

    /// Changes partij `uuid` (PUT or PATCH), and its identificatoren when the request names
    /// them; answers it as it was before, too.
    pub async fn update(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        change: PartijChange<'_>,
    ) -> Result<(PartijOutcome, Partij), WriteError> {
        authorise(auth, BIJWERKEN)?;
        let current = self.current(uuid).await?.ok_or(WriteError::NotFound)?;
        let (requested, _) = (change.apply)(&current)?;
        let facts = self.facts(&requested).await?;
        let build = |state: &Option<Partij>| -> Result<Vec<PartijCommand>, WriteError> {
            let current = state.as_ref().ok_or(WriteError::NotFound)?;
            let (attributes, identificatoren) = (change.apply)(current)?;
            let mut commands = identificatoren
                .map(|wanted| identificator_commands(current, &wanted))
                .unwrap_or_default();
            commands.push(PartijCommand::Update {
                attributes,
                partial: change.partial,
                facts,
            });
            Ok(commands)
        };
        let (outcome, before) = self.write(ctx, uuid, &build).await?;
        Ok((outcome, before.unwrap_or(current)))
    }

    /// Deletes partij `uuid` with all its parts (the stream stays as history), and the
    /// vertegenwoordigingen of it other partijen hold; its identificatoren become free.
    /// Answers it as it was.
    pub async fn destroy(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<(PartijOutcome, Partij), WriteError> {
        authorise(auth, VERWIJDEREN)?;
        let build = |_: &Option<Partij>| Ok(vec![PartijCommand::Delete]);
        let (mut outcome, before) = self.write(ctx, uuid, &build).await?;
        let before = before.ok_or(WriteError::NotFound)?;
        // Open Klant cascades: the vertegenwoordigingen of it in other partijen go too
        // (its own went with its stream), each an append to the representing partij.
        for vertegenwoordiging in self.ports.vertegenwoordigingen_van(uuid).await? {
            let kind = PartKind::Vertegenwoordiging;
            match self.destroy_part(auth, ctx, kind, vertegenwoordiging).await {
                Ok(removed) => outcome.position = removed.position.or(outcome.position),
                Err(WriteError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok((outcome, before))
    }

    /// Adds a part to partij `partij` (`POST /partij-identificatoren`, `/digitaleadressen`,
    /// `/rekeningnummers`); a partij that does not exist is refused under the part's field
    /// naming it, a uuid already used with `unique`.
    pub async fn create_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        partij: Uuid,
        uuid: Uuid,
        attributes: PartAttributes,
    ) -> Result<PartijOutcome, WriteError> {
        authorise(auth, AANMAKEN)?;
        let kind = attributes.kind();
        self.must_exist(kind.owner_field(), partij).await?;
        if let Some(referred) = attributes.referenced() {
            self.referred_exists(referred).await?;
        }
        let taken =
            || WriteError::invalid("uuid", "unique", "Een object met deze Uuid bestaat al.");
        if self.ports.partij_of(kind, uuid).await?.is_some() {
            return Err(taken());
        }
        let build = |state: &Option<Partij>| -> Result<Vec<PartijCommand>, WriteError> {
            match state {
                Some(p) if kind.holds(p, uuid) => Err(taken()),
                _ => Ok(vec![attributes.clone().set(uuid)]),
            }
        };
        Ok(self.write(ctx, partij, &build).await?.0)
    }

    /// The partij holding the `kind` part `uuid`: 404 when none does.
    pub async fn partij_of(&self, kind: PartKind, uuid: Uuid) -> Result<Uuid, WriteError> {
        self.ports
            .partij_of(kind, uuid)
            .await?
            .ok_or(WriteError::NotFound)
    }

    /// Changes the `kind` part `uuid` (PUT or PATCH): `apply` makes the new attributes from
    /// the partij as it is and names the partij, which cannot change (the part lives in its
    /// stream).
    pub async fn update_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        kind: PartKind,
        uuid: Uuid,
        apply: PartChange<'_>,
    ) -> Result<PartijOutcome, WriteError> {
        authorise(auth, BIJWERKEN)?;
        let partij = self.partij_of(kind, uuid).await?;
        let current = self.current(partij).await?.ok_or(WriteError::NotFound)?;
        if let Some(referred) = apply(&current)?.1.referenced() {
            self.referred_exists(referred).await?;
        }
        let build = |state: &Option<Partij>| -> Result<Vec<PartijCommand>, WriteError> {
            let current = state
                .as_ref()
                .filter(|p| kind.holds(p, uuid))
                .ok_or(WriteError::NotFound)?;
            let (to, attributes) = apply(current)?;
            if to != partij || attributes.kind() != kind {
                return Err(WriteError::invalid(
                    kind.owner_field(),
                    "wijzigen-niet-toegelaten",
                    "De partij van dit object kan niet gewijzigd worden.",
                ));
            }
            Ok(attributes.replace(uuid))
        };
        Ok(self.write(ctx, partij, &build).await?.0)
    }

    /// `does_not_exist` under `field` when partij `uuid` is not there.
    async fn must_exist(&self, field: &str, uuid: Uuid) -> Result<(), WriteError> {
        self.referred_exists((field, uuid, Referred::Partij)).await
    }

    /// `does_not_exist` under `field` unless the partij or betrokkene `uuid` exists.
    async fn referred_exists(
        &self,
        (field, uuid, referred): (&str, Uuid, Referred),
    ) -> Result<(), WriteError> {
        let exists = match referred {
            Referred::Partij => self.current(uuid).await?.is_some(),
            Referred::Betrokkene => self.ports.betrokkene_exists(uuid).await?,
        };
        if exists {
            return Ok(());
        }
        Err(does_not_exist(field, uuid))
    }

    /// Removes the `kind` part `uuid` from its partij (an identificator's key becomes free).
    pub async fn destroy_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        kind: PartKind,
        uuid: Uuid,
    ) -> Result<PartijOutcome, WriteError> {
        authorise(auth, VERWIJDEREN)?;
        let partij = self.partij_of(kind, uuid).await?;
        let build = |_: &Option<Partij>| Ok(vec![kind.remove(uuid)]);
        Ok(self.write(ctx, partij, &build).await?.0)
    }
}

/// What a part of a partij may refer to besides its partij.
#[derive(Debug, Clone, Copy)]
enum Referred {
    Partij,
    /// A betrokkene of a klantcontact (the read model knows it; it lives in the
    /// klantcontact's stream).
    Betrokkene,
}

/// A part of a partij with a resource of its own, in the partij's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Identificator,
    DigitaalAdres,
    Rekeningnummer,
    /// A vertegenwoordiging, in the stream of the partij that represents.
    Vertegenwoordiging,
}

impl PartKind {
    /// The field of the part's resource that names its partij.
    pub fn owner_field(self) -> &'static str {
        match self {
            Self::Identificator => "identificeerdePartij",
            Self::DigitaalAdres => "verstrektDoorPartij",
            Self::Rekeningnummer => "partij",
            Self::Vertegenwoordiging => "vertegenwoordigendePartij",
        }
    }

    pub fn holds(self, p: &Partij, uuid: Uuid) -> bool {
        match self {
            Self::Identificator => p.identificatoren.contains_key(&uuid),
            Self::DigitaalAdres => p.digitale_adressen.contains_key(&uuid),
            Self::Rekeningnummer => p.rekeningnummers.contains_key(&uuid),
            Self::Vertegenwoordiging => p.vertegenwoordigingen.contains_key(&uuid),
        }
    }

    fn remove(self, uuid: Uuid) -> PartijCommand {
        match self {
            Self::Identificator => PartijCommand::RemoveIdentificator { uuid },
            Self::DigitaalAdres => PartijCommand::RemoveDigitaalAdres { uuid },
            Self::Rekeningnummer => PartijCommand::RemoveRekeningnummer { uuid },
            Self::Vertegenwoordiging => PartijCommand::RemoveVertegenwoordiging { uuid },
        }
    }
}

/// A part's attributes as a client writes them.
#[derive(Debug, Clone, PartialEq)]
pub enum PartAttributes {
    Identificator(PartijIdentificatorAttributes),
    DigitaalAdres(DigitaalAdresAttributes),
    Rekeningnummer(RekeningnummerAttributes),
    /// The partij represented.
    Vertegenwoordiging(Uuid),
}

impl PartAttributes {
    pub fn kind(&self) -> PartKind {
        match self {
            Self::Identificator(_) => PartKind::Identificator,
            Self::DigitaalAdres(_) => PartKind::DigitaalAdres,
            Self::Rekeningnummer(_) => PartKind::Rekeningnummer,
            Self::Vertegenwoordiging(_) => PartKind::Vertegenwoordiging,
        }
    }

    fn set(self, uuid: Uuid) -> PartijCommand {
        match self {
            Self::Identificator(attributes) => PartijCommand::SetIdentificator { uuid, attributes },
            Self::DigitaalAdres(attributes) => PartijCommand::SetDigitaalAdres { uuid, attributes },
            Self::Rekeningnummer(attributes) => {
                PartijCommand::SetRekeningnummer { uuid, attributes }
            }
            Self::Vertegenwoordiging(vertegenwoordigde_partij) => {
                PartijCommand::AddVertegenwoordiging {
                    uuid,
                    vertegenwoordigde_partij,
                }
            }
        }
    }

    /// The commands that make part `uuid` (existing) these attributes: a vertegenwoordiging
    /// is only added or removed, so it is replaced under the same uuid.
    fn replace(self, uuid: Uuid) -> Vec<PartijCommand> {
        match self.kind() {
            PartKind::Vertegenwoordiging => {
                vec![PartKind::Vertegenwoordiging.remove(uuid), self.set(uuid)]
            }
            _ => vec![self.set(uuid)],
        }
    }

    /// What this part refers to besides its own partij, which must exist: the partij a
    /// vertegenwoordiging represents, the betrokkene a digitaal adres was given as.
    fn referenced(&self) -> Option<(&'static str, Uuid, Referred)> {
        match self {
            Self::Vertegenwoordiging(u) => Some(("vertegenwoordigdePartij", *u, Referred::Partij)),
            Self::DigitaalAdres(a) => a
                .verstrekt_door_betrokkene
                .map(|b| ("verstrektDoorBetrokkene.uuid", b, Referred::Betrokkene)),
            _ => None,
        }
    }
}
