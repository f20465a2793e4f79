//! What the partij use cases need to know from outside the partij's own stream, as a port:
//! which partij holds a partij-identificator, digitaal adres or rekeningnummer (the read
//! model; a part lives in its partij's stream). The adapter (SQL) lives in query-api.

use async_trait::async_trait;
use uuid::Uuid;

use super::PartKind;
use crate::WriteError;

#[async_trait]
pub trait PartijPorts: Send + Sync {
    /// The partij whose stream holds the `kind` part `uuid`, if any.
    async fn partij_of(&self, kind: PartKind, uuid: Uuid) -> Result<Option<Uuid>, WriteError>;
}
