//! Creating, changing and deleting a klantcontact (stream `klantcontact-{uuid}`), decided
//! on the Klantcontact aggregate: a create carries the betrokkene and onderwerpobject sent
//! along (POST maak-klantcontact) in the same decision and the same append.

use domain::klantinteracties::klantcontact::{
    Klantcontact, KlantcontactAggregate, KlantcontactCommand,
};
use domain::klantinteracties::partij::PartijAggregate;
use event_schemas::klantinteracties::klantcontact::{
    BetrokkeneAttributes, KlantcontactAttributes, OnderwerpobjectAttributes,
};
use uuid::Uuid;

use super::{authorise, failure, AANMAKEN, BIJWERKEN, VERWIJDEREN};
use crate::authorisation::Authorisation;
use crate::{CommandHandler, Context, Outcome, WriteError};

/// The klantcontact use cases, over a command handler.
pub struct Klantcontacten<'a> {
    pub commands: &'a CommandHandler,
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
    Err(WriteError::invalid(
        field,
        "does_not_exist",
        format!("Ongeldige uuid \"{uuid}\" - object bestaat niet."),
    ))
}

impl Klantcontacten<'_> {
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
        let command = KlantcontactCommand::Create {
            uuid,
            attributes: Box::new(attributes),
            betrokkene,
            onderwerpobject,
        };
        self.commands
            .create::<KlantcontactAggregate>(uuid, ctx, command)
            .await
            .map_err(failure)
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
        let build = |state: &Option<Klantcontact>| -> Result<_, WriteError> {
            let current = state.as_ref().ok_or(WriteError::NotFound)?;
            Ok(KlantcontactCommand::Update {
                attributes: apply(current)?,
                partial,
            })
        };
        self.commands
            .execute_with::<KlantcontactAggregate, WriteError>(uuid, ctx, build)
            .await
            .map_err(failure)
    }

    /// Deletes klantcontact `uuid` with all its parts (the stream stays as history).
    pub async fn destroy(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<KlantcontactOutcome, WriteError> {
        authorise(auth, VERWIJDEREN)?;
        self.commands
            .execute::<KlantcontactAggregate>(uuid, ctx, KlantcontactCommand::Delete)
            .await
            .map_err(failure)
    }
}
