//! The adapter of the partij write side's port (`commands::klantinteracties::PartijPorts`):
//! the part tables of the partijen read model.

use async_trait::async_trait;
use commands::klantinteracties::{KlantcontactPartKind, KlantcontactPorts, PartKind, PartijPorts};
use commands::WriteError;
use uuid::Uuid;

use crate::AppState;

/// [`PartijPorts`] on the application's state.
pub struct Adapters<'a>(pub &'a AppState);

#[async_trait]
impl PartijPorts for Adapters<'_> {
    async fn partij_of(&self, kind: PartKind, uuid: Uuid) -> Result<Option<Uuid>, WriteError> {
        let table = match kind {
            PartKind::Identificator => "partij_identificatoren",
            PartKind::DigitaalAdres => "digitale_adressen",
            PartKind::Rekeningnummer => "rekeningnummers",
            PartKind::Vertegenwoordiging => "vertegenwoordigingen",
        };
        let sql =
            format!("SELECT partij_uuid FROM {table} WHERE uuid = $1 AND partij_uuid IS NOT NULL");
        sqlx::query_scalar(&sql)
            .bind(uuid)
            .fetch_optional(&self.0.pool)
            .await
            .map_err(WriteError::internal)
    }

    async fn vertegenwoordigingen_van(&self, partij: Uuid) -> Result<Vec<Uuid>, WriteError> {
        sqlx::query_scalar(
            "SELECT uuid FROM vertegenwoordigingen
             WHERE vertegenwoordigde_partij = $1::text AND partij_uuid <> $1",
        )
        .bind(partij)
        .fetch_all(&self.0.pool)
        .await
        .map_err(WriteError::internal)
    }

    async fn betrokkene_exists(&self, uuid: Uuid) -> Result<bool, WriteError> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM betrokkenen WHERE uuid = $1)")
            .bind(uuid)
            .fetch_one(&self.0.pool)
            .await
            .map_err(WriteError::internal)
    }
}

#[async_trait]
impl KlantcontactPorts for Adapters<'_> {
    async fn klantcontact_of(
        &self,
        kind: KlantcontactPartKind,
        uuid: Uuid,
    ) -> Result<Option<Uuid>, WriteError> {
        let table = match kind {
            KlantcontactPartKind::Betrokkene => "betrokkenen",
            KlantcontactPartKind::Onderwerpobject => "onderwerpobjecten",
            KlantcontactPartKind::Bijlage => "bijlagen",
            KlantcontactPartKind::ActorKlantcontact => "actorklantcontacten",
            KlantcontactPartKind::DigitaalAdres => "digitale_adressen",
        };
        let sql = format!(
            "SELECT klantcontact_uuid FROM {table}
             WHERE uuid = $1 AND klantcontact_uuid IS NOT NULL"
        );
        sqlx::query_scalar(&sql)
            .bind(uuid)
            .fetch_optional(&self.0.pool)
            .await
            .map_err(WriteError::internal)
    }

    async fn linked_elsewhere(&self, klantcontact: Uuid, except: Uuid) -> Result<bool, WriteError> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM onderwerpobjecten
                            WHERE (klantcontact_uuid = $1 OR was_klantcontact = $1::text)
                              AND uuid <> $2)",
        )
        .bind(klantcontact)
        .bind(except)
        .fetch_one(&self.0.pool)
        .await
        .map_err(WriteError::internal)
    }
}
