//! Creating, changing and deleting a partij and its partij-identificatoren. Every write
//! goes through [`Partijen::write`]: it decides once to learn which identificatoren the
//! partij will hold, claims the new ones' keys (register-wide uniqueness), appends (deciding
//! again on the fresh state after a concurrent write), and frees the keys of identificatoren
//! the partij no longer holds, or of a write that was refused.

use std::collections::BTreeSet;

use domain::klantinteracties::partij::{
    claim_key, Partij, PartijAggregate, PartijCommand, PartijError, PartijFacts,
};
use event_schemas::klantinteracties::partij::{
    PartijAttributes, PartijEvent, PartijIdentificatie, PartijIdentificatorAttributes,
};
use event_schemas::{stream_name, VersionedEvent};
use uuid::Uuid;

use super::{authorise, failure, refusal, PartijPorts, AANMAKEN, BIJWERKEN, VERWIJDEREN};
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

/// A PUT or PATCH of a partij-identificator: its partij (which cannot change) and new
/// attributes, made from the current ones on every attempt.
pub type IdentificatorChange<'a> = &'a (dyn Fn(
    &PartijIdentificatorAttributes,
) -> Result<(Uuid, PartijIdentificatorAttributes), WriteError>
         + Send
         + Sync);

/// A PUT or PATCH of a partij.
pub struct PartijChange<'a> {
    /// The request made from the partij as it is, on every attempt (a PUT ignores it, a
    /// PATCH merges onto it): the caller's protocol parses it.
    pub apply: &'a (dyn Fn(&Partij) -> Result<PartijRequest, WriteError> + Send + Sync),
    /// A PATCH rather than a PUT.
    pub partial: bool,
}

/// The claim keys of the identificatoren a partij holds.
fn keys(p: &Option<Partij>) -> BTreeSet<String> {
    p.iter()
        .flat_map(|p| p.identificatoren.values().map(claim_key))
        .collect()
}

fn owner(uuid: Uuid) -> String {
    stream_name(PartijEvent::CATEGORY, uuid)
}

/// The commands that make the partij's identificatoren exactly `wanted`: removals first
/// (sub-identificatoren before the ones they are under), then each wanted one set.
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
    let sets = wanted
        .iter()
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
            return Err(WriteError::invalid(
                "partijIdentificatie.werkteVoorPartij.uuid",
                "does_not_exist",
                format!("Ongeldige uuid \"{organisatie}\" - object bestaat niet."),
            ));
        };
        Ok(PartijFacts {
            werkte_voor_partij_is_geen_organisatie: !matches!(
                organisatie.attributes.partij_identificatie,
                PartijIdentificatie::Organisatie { .. }
            ),
        })
    }

    /// Claims `keys` for partij `uuid`; when one is taken, frees the ones claimed here and
    /// refuses with Open Klant's uniqueness error.
    async fn claim(&self, ctx: &Context, uuid: Uuid, keys: &[String]) -> Result<(), WriteError> {
        let store = self.commands.store().as_ref();
        for (i, key) in keys.iter().enumerate() {
            let taken = || refusal(PartijError::IdentificatorNotUnique);
            if let Err(e) = crate::claim_unique(store, ctx, key, &owner(uuid), taken).await {
                self.release(ctx, uuid, &keys[..i]).await?;
                return Err(e);
            }
        }
        Ok(())
    }

    async fn release(&self, ctx: &Context, uuid: Uuid, keys: &[String]) -> Result<(), WriteError> {
        let store = self.commands.store().as_ref();
        for key in keys {
            crate::release(store, ctx, key, &owner(uuid))
                .await
                .map_err(WriteError::internal)?;
        }
        Ok(())
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
        let new: Vec<String> = keys(&after).difference(&keys(&before)).cloned().collect();
        self.claim(ctx, uuid, &new).await?;
        let written = self
            .commands
            .execute_all_with::<PartijAggregate, WriteError>(uuid, ctx, build)
            .await;
        match written {
            Ok(outcome) => {
                let held = keys(&outcome.state);
                let freed: Vec<String> = keys(&before)
                    .into_iter()
                    .chain(new)
                    .filter(|k| !held.contains(k))
                    .collect();
                self.release(ctx, uuid, &freed).await?;
                Ok((outcome, before))
            }
            Err(e) => {
                self.release(ctx, uuid, &new).await?;
                Err(failure(e))
            }
        }
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

    /// Deletes partij `uuid` with all its parts (the stream stays as history); its
    /// identificatoren become free. Answers it as it was.
    pub async fn destroy(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<(PartijOutcome, Partij), WriteError> {
        authorise(auth, VERWIJDEREN)?;
        let build = |_: &Option<Partij>| Ok(vec![PartijCommand::Delete]);
        let (outcome, before) = self.write(ctx, uuid, &build).await?;
        Ok((outcome, before.ok_or(WriteError::NotFound)?))
    }

    /// Adds a partij-identificator to partij `partij` (`POST /partij-identificatoren`);
    /// a partij that does not exist is refused under `identificeerdePartij`.
    pub async fn create_identificator(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        partij: Uuid,
        uuid: Uuid,
        attributes: PartijIdentificatorAttributes,
    ) -> Result<PartijOutcome, WriteError> {
        authorise(auth, AANMAKEN)?;
        if self.current(partij).await?.is_none() {
            return Err(WriteError::invalid(
                "identificeerdePartij",
                "does_not_exist",
                format!("Ongeldige uuid \"{partij}\" - object bestaat niet."),
            ));
        }
        if self.ports.partij_of_identificator(uuid).await?.is_some() {
            return Err(WriteError::invalid(
                "uuid",
                "unique",
                "Partij-identificator met deze Uuid bestaat al.",
            ));
        }
        let build = |state: &Option<Partij>| -> Result<Vec<PartijCommand>, WriteError> {
            match state {
                Some(p) if p.identificatoren.contains_key(&uuid) => Err(WriteError::invalid(
                    "uuid",
                    "unique",
                    "Partij-identificator met deze Uuid bestaat al.",
                )),
                _ => Ok(vec![PartijCommand::SetIdentificator {
                    uuid,
                    attributes: attributes.clone(),
                }]),
            }
        };
        Ok(self.write(ctx, partij, &build).await?.0)
    }

    /// The partij holding identificator `uuid`: 404 when none does.
    pub async fn partij_of_identificator(&self, uuid: Uuid) -> Result<Uuid, WriteError> {
        self.ports
            .partij_of_identificator(uuid)
            .await?
            .ok_or(WriteError::NotFound)
    }

    /// Changes partij-identificator `uuid` (PUT or PATCH): `apply` makes the new attributes
    /// and names the partij, which cannot change (the identificator lives in its stream).
    pub async fn update_identificator(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        apply: IdentificatorChange<'_>,
    ) -> Result<PartijOutcome, WriteError> {
        authorise(auth, BIJWERKEN)?;
        let partij = self.partij_of_identificator(uuid).await?;
        let build = |state: &Option<Partij>| -> Result<Vec<PartijCommand>, WriteError> {
            let current = state
                .as_ref()
                .and_then(|p| p.identificatoren.get(&uuid))
                .ok_or(WriteError::NotFound)?;
            let (to, attributes) = apply(current)?;
            if to != partij {
                return Err(WriteError::invalid(
                    "identificeerdePartij",
                    "wijzigen-niet-toegelaten",
                    "De partij van een partij-identificator kan niet gewijzigd worden.",
                ));
            }
            Ok(vec![PartijCommand::SetIdentificator { uuid, attributes }])
        };
        Ok(self.write(ctx, partij, &build).await?.0)
    }

    /// Removes partij-identificator `uuid` from its partij; its key becomes free.
    pub async fn destroy_identificator(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<PartijOutcome, WriteError> {
        authorise(auth, VERWIJDEREN)?;
        let partij = self.partij_of_identificator(uuid).await?;
        let build = |_: &Option<Partij>| Ok(vec![PartijCommand::RemoveIdentificator { uuid }]);
        Ok(self.write(ctx, partij, &build).await?.0)
    }
}
