//! The adapters of the documenten write side's port (`commands::documenten::DocumentPorts`):
//! the catalogue (our read model or another Catalogi API), content in object storage,
//! other APIs' objects over HTTP, and the documenten read model.

use async_trait::async_trait;
use bytes::Bytes;
use commands::documenten::DocumentPorts;
use commands::WriteError;
use domain::catalogue_facts::InformatieobjecttypeFacts;
use domain::urls::Urls;
use event_schemas::document::ContentRef;
use projections::documenten::BESTANDSDEEL;
use uuid::Uuid;

use crate::error::ApiError;
use crate::remote::Shape;
use crate::zaken::catalogus;
use crate::AppState;

/// [`DocumentPorts`] on the application's state.
pub struct Adapters<'a>(pub &'a AppState);

fn internal(e: impl std::fmt::Display) -> WriteError {
    ApiError::internal(e).into()
}

#[async_trait]
impl DocumentPorts for Adapters<'_> {
    fn urls(&self) -> &Urls {
        &self.0.urls
    }

    fn chunk_size(&self) -> u64 {
        self.0.documenten.chunk_size
    }

    async fn informatieobjecttype(
        &self,
        url: &str,
    ) -> Result<InformatieobjecttypeFacts, WriteError> {
        Ok(catalogus::informatieobjecttype(self.0, url).await?)
    }

    async fn store_content(&self, bytes: Bytes) -> Result<ContentRef, WriteError> {
        self.0
            .documenten
            .content
            .put_bytes(bytes)
            .await
            .map_err(internal)
    }

    async fn merge_content(&self, parts: &[ContentRef]) -> Result<ContentRef, WriteError> {
        self.0
            .documenten
            .content
            .concat(parts)
            .await
            .map_err(internal)
    }

    async fn document_exists(&self, uuid: Uuid) -> Result<bool, WriteError> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM documenten WHERE uuid = $1)")
            .bind(uuid)
            .fetch_one(&self.0.pool)
            .await
            .map_err(internal)
    }

    async fn bestandsdeel_document(&self, uuid: Uuid) -> Result<Option<Uuid>, WriteError> {
        sqlx::query_scalar("SELECT document_uuid FROM document_parts WHERE uuid = $1 AND kind = $2")
            .bind(uuid)
            .bind(BESTANDSDEEL)
            .fetch_optional(&self.0.pool)
            .await
            .map_err(internal)
    }

    async fn check_remote_object(&self, object_type: &str, url: &str) -> Result<(), WriteError> {
        let shape = match object_type {
            "zaak" => Shape::Zaak,
            "besluit" => Shape::Besluit,
            _ => Shape::Verzoek,
        };
        self.0.remote.resource("object", url, shape).await?;
        Ok(())
    }

    async fn next_documentnummer(&self) -> Result<i64, WriteError> {
        sqlx::query_scalar("SELECT nextval('document_identificatie_seq')")
            .fetch_one(&self.0.pool)
            .await
            .map_err(internal)
    }
}
