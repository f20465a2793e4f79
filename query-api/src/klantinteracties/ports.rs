//! The adapter of the partij write side's port (`commands::klantinteracties::PartijPorts`):
//! the partijen read model.

use async_trait::async_trait;
use commands::klantinteracties::PartijPorts;
use commands::WriteError;
use uuid::Uuid;

use crate::AppState;

/// [`PartijPorts`] on the application's state.
pub struct Adapters<'a>(pub &'a AppState);

#[async_trait]
impl PartijPorts for Adapters<'_> {
    async fn partij_of_identificator(&self, uuid: Uuid) -> Result<Option<Uuid>, WriteError> {
        sqlx::query_scalar("SELECT partij_uuid FROM partij_identificatoren WHERE uuid = $1")
            .bind(uuid)
            .fetch_optional(&self.0.pool)
            .await
            .map_err(WriteError::internal)
    }
}
