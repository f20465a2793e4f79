//! What the partij use cases need to know from outside the partij's own stream, as a port:
//! which partij holds a partij-identificator, digitaal adres or rekeningnummer (the read
//! model; a part lives in its partij's stream). The adapter (SQL) lives in query-api.

use async_trait::async_trait;
use uuid::Uuid;

use super::{KlantcontactPartKind, PartKind};
use crate::WriteError;

#[async_trait]
pub trait PartijPorts: Send + Sync {
    /// The partij whose stream holds the `kind` part `uuid`, if any.
    async fn partij_of(&self, kind: PartKind, uuid: Uuid) -> Result<Option<Uuid>, WriteError>;

    /// The vertegenwoordigingen (uuids) in which other partijen represent `partij`.
    async fn vertegenwoordigingen_van(&self, partij: Uuid) -> Result<Vec<Uuid>, WriteError>;

    /// Whether betrokkene `uuid` exists (in some klantcontact).
    async fn betrokkene_exists(&self, uuid: Uuid) -> Result<bool, WriteError>;
}

/// What the klantcontact part use cases need from outside: which klantcontact holds a
/// betrokkene or onderwerpobject (the read model; a part lives in its klantcontact's
/// stream).
#[async_trait]
pub trait KlantcontactPorts: Send + Sync {
    async fn klantcontact_of(
        &self,
        kind: KlantcontactPartKind,
        uuid: Uuid,
    ) -> Result<Option<Uuid>, WriteError>;

    /// Whether an onderwerpobject other than `except` belongs to klantcontact
    /// `klantcontact` or names it as the one it was.
    async fn linked_elsewhere(&self, klantcontact: Uuid, except: Uuid) -> Result<bool, WriteError>;
}
