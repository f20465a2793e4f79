//! What the catalogi use cases need to know from outside the object's own stream, as a
//! port: the catalogus around it as the catalogi read model has it, and the
//! Referentielijsten/Selectielijst API its references point into. The adapters (SQL on the
//! read model, HTTP) live in query-api; the rules that use these facts live in domain
//! (`domain::catalogus_object`).

use async_trait::async_trait;
use domain::catalogus_object::{CatalogusObject, Facts, Selectielijstklasse};
use domain::urls::Urls;
use event_schemas::catalogus::{ObjectAttributes, ObjectKind};
use serde_json::Value;
use uuid::Uuid;

use crate::WriteError;

/// Whether references that do not resolve are refused (a create, PUT or PATCH) or left out
/// (a publish or delete decides on what the object already holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strict {
    Yes,
    No,
}

/// The outside world of a catalogi write. A reference that is not the URL of one of our
/// objects of the expected kind is refused under its field (`no_match`), one that names
/// nothing in the read model too (`does_not_exist`); one the Selectielijst API does not
/// know or that is of another kind there is `bad-url` / `invalid-resource`.
#[async_trait]
pub trait CatalogiPorts: Send + Sync {
    /// Our resources' URLs.
    fn urls(&self) -> &Urls;

    /// The catalogus an object of `kind` with `attributes` belongs to: the one its
    /// `catalogus` names (a zaaktype, informatieobjecttype or besluittype) or its
    /// zaaktype's (the others).
    async fn catalogus_of(
        &self,
        kind: ObjectKind,
        attributes: &ObjectAttributes,
    ) -> Result<Uuid, WriteError>;

    /// What the rules need of catalogus `catalogus` around an object of `kind` with
    /// `attributes` (`current`: the object as it is, when it exists): every reference
    /// resolved (with `Strict::Yes` all that do not resolve refused at once), its
    /// siblings, its zaaktype's concept flag, a zaaktype's children, the types that name a
    /// type, and the installation's publishing policy.
    async fn facts(
        &self,
        kind: ObjectKind,
        current: Option<&CatalogusObject>,
        attributes: &ObjectAttributes,
        catalogus: Uuid,
        strict: Strict,
    ) -> Result<Facts, WriteError>;

    /// Whether the read model serves object `uuid` of `kind` (a child of a deleted zaaktype
    /// no longer is, although its stream remains).
    async fn served(&self, kind: ObjectKind, uuid: Uuid) -> Result<bool, WriteError>;

    /// A zaaktype's selectielijstProcestype: a procestype of the Selectielijst API (when
    /// one is configured).
    async fn check_procestype(&self, url: &str) -> Result<(), WriteError>;

    /// The `omschrijving` of a resultaattypeomschrijving of the Selectielijst API (`None`
    /// when none is configured or `url` is empty).
    async fn resultaattypeomschrijving(&self, url: &str) -> Result<Option<Value>, WriteError>;

    /// A selectielijstklasse (a resultaat of the Selectielijst API) as the rules need it,
    /// without the zaaktype's procestype (`None` when none is configured or `url` is empty).
    async fn selectielijstklasse(
        &self,
        url: &str,
    ) -> Result<Option<Selectielijstklasse>, WriteError>;

    /// The selectielijstProcestype of the zaaktype at `url`, when it is one of ours.
    async fn zaaktype_procestype(&self, url: &str) -> Result<Option<String>, WriteError>;
}
