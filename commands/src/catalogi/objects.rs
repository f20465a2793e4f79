//! Creating, changing, publishing and deleting the objects of a catalogus: the facts read
//! from around the object, the rules decided by the CatalogusObject aggregate; a change is
//! decided again when the object changed while its facts were read, so no fact is stale.

use domain::catalogus_object::{
    CatalogusObject, CatalogusObjectAggregate, Facts, ObjectCommand, Selectielijstklasse,
};
use event_schemas::applicatie::Component;
use event_schemas::catalogus::{ObjectAttributes, ObjectKind};
use serde_json::Value;
use uuid::Uuid;

use super::{
    failure, Catalogi, ObjectOutcome, Strict, BIJWERKEN, FORCED_DELETE, FORCED_WRITE, SCHRIJVEN,
    VERWIJDEREN,
};
use crate::authorisation::Authorisation;
use crate::{CommandError, Context, WriteError};

/// A new object, as the request gives it.
#[derive(Debug, Clone)]
pub struct NewObject {
    pub kind: ObjectKind,
    pub attributes: ObjectAttributes,
}

/// A PUT or PATCH of an object.
pub struct ObjectChange<'a> {
    /// The attributes after the change, made from the object's current ones on every
    /// attempt (a PUT ignores them, a PATCH merges onto them): the caller's protocol parses
    /// them.
    pub apply:
        &'a (dyn Fn(&ObjectAttributes) -> Result<ObjectAttributes, WriteError> + Send + Sync),
    /// A PATCH rather than a PUT.
    pub partial: bool,
}

/// What a request asks of an existing object.
enum Op<'a> {
    Update(ObjectChange<'a>),
    Publish,
    Delete,
}

impl Op<'_> {
    /// The scope the operation takes.
    fn scope(&self) -> &'static str {
        match self {
            Self::Update(_) => BIJWERKEN,
            Self::Publish => SCHRIJVEN,
            Self::Delete => VERWIJDEREN,
        }
    }
}

/// The object changed while its facts were read: read them again.
#[derive(Debug)]
struct Stale;

impl From<Stale> for WriteError {
    fn from(_: Stale) -> Self {
        Self::Conflict
    }
}

/// How often a change is decided again on an object that changed under it.
const ATTEMPTS: usize = 3;

impl Catalogi<'_> {
    /// Creates an object (`POST /zaaktypen`, `/statustypen`, ...).
    pub async fn create(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        new: NewObject,
    ) -> Result<ObjectOutcome, WriteError> {
        let NewObject {
            kind,
            mut attributes,
        } = new;
        let scope = if kind.is_publishable() {
            SCHRIJVEN
        } else {
            BIJWERKEN
        };
        auth.require_scope(Component::Ztc, scope)?;
        let mut facts = self.facts(kind, None, &mut attributes, Strict::Yes).await?;
        facts.may_force = auth.has_scope(Component::Ztc, FORCED_WRITE);
        let uuid = Uuid::new_v4();
        let command = ObjectCommand::Create {
            kind,
            uuid,
            attributes,
            facts,
        };
        self.commands
            .execute::<CatalogusObjectAggregate>(uuid, ctx, command)
            .await
            .map_err(failure)
    }

    /// Changes object `uuid` of `kind` (PUT or PATCH).
    pub async fn update(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        kind: ObjectKind,
        uuid: Uuid,
        change: ObjectChange<'_>,
    ) -> Result<ObjectOutcome, WriteError> {
        self.run(auth, ctx, kind, uuid, Op::Update(change)).await
    }

    /// Publishes object `uuid` of `kind` (a zaaktype, informatieobjecttype or besluittype).
    pub async fn publish(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        kind: ObjectKind,
        uuid: Uuid,
    ) -> Result<ObjectOutcome, WriteError> {
        self.run(auth, ctx, kind, uuid, Op::Publish).await
    }

    /// Deletes object `uuid` of `kind` (its stream stays as history).
    pub async fn destroy(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        kind: ObjectKind,
        uuid: Uuid,
    ) -> Result<ObjectOutcome, WriteError> {
        self.run(auth, ctx, kind, uuid, Op::Delete).await
    }

    /// Runs `op` on object `uuid` of `kind`: reads it and its facts, decides, and does it
    /// again when the object changed in between (so no fact is stale).
    async fn run(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        kind: ObjectKind,
        uuid: Uuid,
        op: Op<'_>,
    ) -> Result<ObjectOutcome, WriteError> {
        auth.require_scope(Component::Ztc, op.scope())?;
        for _ in 0..ATTEMPTS {
            let (state, _) = self
                .commands
                .load_state::<CatalogusObjectAggregate>(uuid)
                .await
                .map_err(failure)?;
            let current = state
                .filter(|o| o.kind == kind)
                .ok_or(WriteError::NotFound)?;
            if !self.ports.served(kind, uuid).await? {
                return Err(WriteError::NotFound);
            }
            let command = self.command(auth, &current, &op).await?;
            let result = self
                .commands
                .execute_with::<CatalogusObjectAggregate, Stale>(uuid, ctx, |now| {
                    if now.as_ref() == Some(&current) {
                        Ok(command.clone())
                    } else {
                        Err(Stale)
                    }
                })
                .await;
            match result {
                Err(CommandError::Rejected(Stale)) => continue,
                other => return other.map_err(failure),
            }
        }
        Err(WriteError::Conflict)
    }

    /// The command for `op` on `current`, with its facts read now.
    async fn command(
        &self,
        auth: &Authorisation,
        current: &CatalogusObject,
        op: &Op<'_>,
    ) -> Result<ObjectCommand, WriteError> {
        let kind = current.kind;
        let (mut attributes, strict) = match op {
            Op::Update(change) => ((change.apply)(&current.attributes)?, Strict::Yes),
            Op::Publish | Op::Delete => (current.attributes.clone(), Strict::No),
        };
        let mut facts = self
            .facts(kind, Some(current), &mut attributes, strict)
            .await?;
        Ok(match op {
            Op::Update(change) => {
                facts.may_force = auth.has_scope(Component::Ztc, FORCED_WRITE);
                ObjectCommand::Update {
                    attributes,
                    partial: change.partial,
                    facts,
                }
            }
            Op::Publish => ObjectCommand::Publish { facts },
            Op::Delete => {
                facts.may_force = auth.has_scope(Component::Ztc, FORCED_DELETE);
                ObjectCommand::Delete { facts }
            }
        })
    }

    /// The facts for writing `attributes` of an object of `kind` (`current` when it
    /// exists): with `Strict::Yes` its Selectielijst references first, then the catalogus
    /// it belongs to (a zaaktype's child gets its catalogus's URL) and what is around it.
    async fn facts(
        &self,
        kind: ObjectKind,
        current: Option<&CatalogusObject>,
        attributes: &mut ObjectAttributes,
        strict: Strict,
    ) -> Result<Facts, WriteError> {
        let selectielijst = match strict {
            Strict::Yes => self.selectielijst(kind, attributes).await?,
            Strict::No => Selectielijst::default(),
        };
        let catalogus = self.ports.catalogus_of(kind, attributes).await?;
        if !kind.is_publishable() {
            let url = self.ports.urls().catalogus(catalogus);
            attributes.insert("catalogus".into(), url.into());
        }
        let facts = self
            .ports
            .facts(kind, current, attributes, catalogus, strict)
            .await?;
        Ok(Facts {
            selectielijstklasse: selectielijst.klasse,
            resultaattypeomschrijving: selectielijst.omschrijving,
            ..facts
        })
    }

    /// Checks the references into the Selectielijst API (`bad-url`, `invalid-resource`):
    /// a zaaktype's selectielijstProcestype; a resultaattype's resultaattypeomschrijving and
    /// selectielijstklasse, as the rules need them.
    async fn selectielijst(
        &self,
        kind: ObjectKind,
        attributes: &ObjectAttributes,
    ) -> Result<Selectielijst, WriteError> {
        let text = |name: &str| {
            attributes
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        let mut out = Selectielijst::default();
        match kind {
            ObjectKind::Zaaktype => {
                self.ports
                    .check_procestype(text("selectielijstProcestype"))
                    .await?
            }
            ObjectKind::Resultaattype => {
                out.omschrijving = self
                    .ports
                    .resultaattypeomschrijving(text("resultaattypeomschrijving"))
                    .await?;
                out.klasse = self
                    .ports
                    .selectielijstklasse(text("selectielijstklasse"))
                    .await?;
                if let Some(klasse) = out.klasse.as_mut() {
                    klasse.zaaktype_procestype =
                        self.ports.zaaktype_procestype(text("zaaktype")).await?;
                }
            }
            _ => {}
        }
        Ok(out)
    }
}

/// What the Selectielijst API says of a resultaattype's references.
#[derive(Default)]
struct Selectielijst {
    omschrijving: Option<Value>,
    klasse: Option<Selectielijstklasse>,
}
