//! What the partij use cases need to know from outside the partij's own stream, as a port:
//! which partij holds a partij-identificator (the read model; an identificator lives in
//! its partij's stream). The adapter (SQL) lives in query-api.

use async_trait::async_trait;
use uuid::Uuid;

use crate::WriteError;

#[async_trait]
pub trait PartijPorts: Send + Sync {
    /// The partij whose stream holds partij-identificator `uuid`, if any.
    async fn partij_of_identificator(&self, uuid: Uuid) -> Result<Option<Uuid>, WriteError>;
}
