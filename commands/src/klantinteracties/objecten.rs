//! Creating, changing and deleting the objects without parts, each in its own stream:
//! internetaken, actoren, categorieen, categorie-relaties, and Contactgegevens' personen and
//! organisaties. One set of use cases, generic over the object's kind ([`Referencing`]
//! names what its attributes point at, which must exist).

use std::collections::BTreeSet;
use std::marker::PhantomData;

use domain::klantinteracties::klantcontact::KlantcontactAggregate;
use domain::klantinteracties::partij::PartijAggregate;
use domain::klantinteracties::unruled::{
    Actor, ActorAggregate, Categorie, CategorieAggregate, CategorieRelatie,
    ContactgegevensOrganisatie, ContactgegevensPersoon,
};
use domain::klantinteracties::{
    InvalidParam as Refusal, SimpleAggregate, SimpleCommand, SimpleObject, SimpleState,
};
use uuid::Uuid;

use super::{authorise, failure, unique_key, AANMAKEN, BIJWERKEN, VERWIJDEREN};
use crate::authorisation::Authorisation;
use crate::{CommandHandler, Context, Outcome, WriteError};

/// The kind of object an attribute points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Referenced {
    Partij,
    Klantcontact,
    Actor,
    Categorie,
}

/// An object an attribute names: under `field` (as the API names it), `uuid` of `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub field: String,
    pub kind: Referenced,
    pub uuid: Uuid,
}

/// A simple object whose attributes may name other objects, which must exist when it is
/// written.
pub trait Referencing: SimpleObject<Facts = ()> {
    fn references(_attributes: &Self::Attributes) -> Vec<Reference> {
        Vec::new()
    }

    /// The values it holds that are unique in the register (claim keys, `unique_key`).
    fn unique_keys(_attributes: &Self::Attributes) -> BTreeSet<String> {
        BTreeSet::new()
    }
}

/// The state of a simple object (`None` once deleted).
pub type ObjectState<O> = Option<SimpleState<<O as SimpleObject>::Attributes>>;

/// The outcome of a write of a simple object: the object after it.
pub type ObjectOutcome<O> = Outcome<ObjectState<O>>;

/// A PUT or PATCH: the new attributes made from the object as it is, on every attempt.
pub type ObjectChange<'a, A> = &'a (dyn Fn(&SimpleState<A>) -> Result<A, WriteError> + Send + Sync);

/// The use cases of one kind of simple object, over a command handler.
pub struct Objecten<'a, O> {
    pub commands: &'a CommandHandler,
    kind: PhantomData<O>,
}

impl<'a, O> Objecten<'a, O>
where
    O: Referencing + Send + Sync + 'static,
    O::Error: Refusal,
{
    pub fn new(commands: &'a CommandHandler) -> Self {
        Self {
            commands,
            kind: PhantomData,
        }
    }

    /// The object as its stream has it now.
    pub async fn current(&self, uuid: Uuid) -> Result<ObjectState<O>, WriteError> {
        self.commands.current::<SimpleAggregate<O>>(uuid).await
    }

    /// `does_not_exist` under the reference's field unless what it names exists.
    async fn references_exist(&self, attributes: &O::Attributes) -> Result<(), WriteError> {
        for r in O::references(attributes) {
            let exists = match r.kind {
                Referenced::Partij => self.exists::<PartijAggregate>(r.uuid).await?,
                Referenced::Klantcontact => self.exists::<KlantcontactAggregate>(r.uuid).await?,
                Referenced::Actor => self.exists::<ActorAggregate>(r.uuid).await?,
                Referenced::Categorie => self.exists::<CategorieAggregate>(r.uuid).await?,
            };
            if !exists {
                return Err(super::does_not_exist(&r.field, r.uuid));
            }
        }
        Ok(())
    }

    async fn exists<A>(&self, uuid: Uuid) -> Result<bool, WriteError>
    where
        A: domain::Aggregate,
        A::State: IsSome,
    {
        Ok(self.commands.current::<A>(uuid).await?.is_some())
    }

    /// Runs `write` on object `uuid` with its unique values claimed (`before` as it holds
    /// them, `after` as the write will).
    async fn claimed(
        &self,
        ctx: &Context,
        uuid: Uuid,
        (before, after): (BTreeSet<String>, BTreeSet<String>),
        write: impl std::future::Future<Output = Result<ObjectOutcome<O>, WriteError>>,
    ) -> Result<ObjectOutcome<O>, WriteError> {
        let category = <O::Event as event_schemas::VersionedEvent>::CATEGORY;
        let unique = crate::claim::UniqueKeys {
            store: self.commands.store().as_ref(),
            ctx,
            owner: event_schemas::stream_name(category, uuid),
            taken: &super::unique_taken,
        };
        let write = async {
            let outcome = write.await?;
            let held = keys::<O>(&outcome.state);
            Ok((outcome, held))
        };
        unique.around(&before, &after, write).await
    }

    /// Creates the object (a new uuid).
    pub async fn create(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        attributes: O::Attributes,
    ) -> Result<ObjectOutcome<O>, WriteError> {
        authorise(auth, AANMAKEN)?;
        self.references_exist(&attributes).await?;
        let uuid = Uuid::new_v4();
        let after = O::unique_keys(&attributes);
        let command = SimpleCommand::Create {
            uuid,
            attributes,
            facts: (),
        };
        let write = async {
            self.commands
                .create::<SimpleAggregate<O>>(uuid, ctx, command)
                .await
                .map_err(failure)
        };
        self.claimed(ctx, uuid, (BTreeSet::new(), after), write)
            .await
    }

    /// Changes object `uuid` (PUT, or PATCH when `partial`).
    pub async fn update(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        apply: ObjectChange<'_, O::Attributes>,
        partial: bool,
    ) -> Result<ObjectOutcome<O>, WriteError> {
        authorise(auth, BIJWERKEN)?;
        let current = self.current(uuid).await?.ok_or(WriteError::NotFound)?;
        let requested = apply(&current)?;
        self.references_exist(&requested).await?;
        let wanted = (
            O::unique_keys(&current.attributes),
            O::unique_keys(&requested),
        );
        let build = |state: &ObjectState<O>| -> Result<_, WriteError> {
            let current = state.as_ref().ok_or(WriteError::NotFound)?;
            Ok(SimpleCommand::Update {
                attributes: apply(current)?,
                partial,
                facts: (),
            })
        };
        let write = async {
            self.commands
                .execute_with::<SimpleAggregate<O>, WriteError>(uuid, ctx, build)
                .await
                .map_err(failure)
        };
        self.claimed(ctx, uuid, wanted, write).await
    }

    /// Deletes object `uuid` (the stream stays as history).
    pub async fn destroy(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<ObjectOutcome<O>, WriteError> {
        authorise(auth, VERWIJDEREN)?;
        let before = keys::<O>(&self.current(uuid).await?);
        let write = async {
            self.commands
                .execute::<SimpleAggregate<O>>(uuid, ctx, SimpleCommand::Delete)
                .await
                .map_err(failure)
        };
        self.claimed(ctx, uuid, (before, BTreeSet::new()), write)
            .await
    }
}

/// The unique values an object holds (none once deleted).
fn keys<O: Referencing>(state: &ObjectState<O>) -> BTreeSet<String> {
    state
        .as_ref()
        .map(|o| O::unique_keys(&o.attributes))
        .unwrap_or_default()
}

/// An aggregate state that is an object or none.
pub trait IsSome {
    fn is_some(&self) -> bool;
}

impl<T> IsSome for Option<T> {
    fn is_some(&self) -> bool {
        Option::is_some(self)
    }
}

fn reference(field: &str, kind: Referenced, uuid: Uuid) -> Reference {
    Reference {
        field: field.to_owned(),
        kind,
        uuid,
    }
}

impl Referencing for domain::klantinteracties::internetaak::Internetaak {
    /// The klantcontact it arose from and the actoren it is assigned to.
    fn references(a: &Self::Attributes) -> Vec<Reference> {
        let mut out = vec![reference(
            "aanleidinggevendKlantcontact.uuid",
            Referenced::Klantcontact,
            a.aanleidinggevend_klantcontact,
        )];
        out.extend(
            a.toegewezen_aan_actoren
                .iter()
                .map(|u| reference("toegewezenAanActoren.uuid", Referenced::Actor, *u)),
        );
        out
    }

    /// Its nummer and referentienummer (Open Klant's unique fields).
    fn unique_keys(a: &Self::Attributes) -> BTreeSet<String> {
        let kind = "internetaak";
        let nummer = a.nummer.as_ref().map(|n| unique_key(kind, "nummer", n));
        let referentie = a
            .referentienummer
            .as_ref()
            .map(|n| unique_key(kind, "referentienummer", n));
        nummer.into_iter().chain(referentie).collect()
    }
}

impl Referencing for CategorieRelatie {
    fn references(a: &Self::Attributes) -> Vec<Reference> {
        let partij = a
            .partij
            .map(|u| reference("partij.uuid", Referenced::Partij, u));
        let categorie = a
            .categorie
            .map(|u| reference("categorie.uuid", Referenced::Categorie, u));
        partij.into_iter().chain(categorie).collect()
    }
}

impl Referencing for Actor {}
impl Referencing for Categorie {}
impl Referencing for ContactgegevensPersoon {}
impl Referencing for ContactgegevensOrganisatie {}
