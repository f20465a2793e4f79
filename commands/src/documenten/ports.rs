//! What the documenten use cases need to know or do outside the document's own stream, as a
//! port: the catalogue's informatieobjecttypen, content storage (the bytes never enter
//! `commands`: the adapter stores them and answers their reference), other APIs' objects,
//! and what the documenten read model knows. The adapters (object storage, SQL, HTTP) live
//! in query-api; the rules that use these facts live in domain
//! (`domain::informatieobject::rules`).

use async_trait::async_trait;
use bytes::Bytes;
use domain::catalogue_facts::InformatieobjecttypeFacts;
use domain::urls::Urls;
use event_schemas::document::ContentRef;
use uuid::Uuid;

use crate::WriteError;

/// The outside world of a document write.
#[async_trait]
pub trait DocumentPorts: Send + Sync {
    /// Our resources' URLs.
    fn urls(&self) -> &Urls;
    /// The server's bestandsdeel size: every part of an upload but the last has it.
    fn chunk_size(&self) -> u64;

    /// The informatieobjecttype at `url` (ours or another Catalogi API's); refused under
    /// `informatieobjecttype` (`bad-url`, `invalid-resource`).
    async fn informatieobjecttype(
        &self,
        url: &str,
    ) -> Result<InformatieobjecttypeFacts, WriteError>;

    /// Stores `bytes`; answers the content's reference (its hash and size).
    async fn store_content(&self, bytes: Bytes) -> Result<ContentRef, WriteError>;
    /// Stores the contents `parts` in order as one (the bestandsdelen of an upload).
    async fn merge_content(&self, parts: &[ContentRef]) -> Result<ContentRef, WriteError>;

    /// Whether document `uuid` is in the documenten read model.
    async fn document_exists(&self, uuid: Uuid) -> Result<bool, WriteError>;
    /// The document bestandsdeel `uuid` is a part of, as the read model has it.
    async fn bestandsdeel_document(&self, uuid: Uuid) -> Result<Option<Uuid>, WriteError>;
    /// Another API's object an objectinformatieobject names: fetched, and of the shape of
    /// its `objectType` (zaak, besluit, verzoek); refused under `object`.
    async fn check_remote_object(&self, object_type: &str, url: &str) -> Result<(), WriteError>;

    /// The next number of the document identificatie sequence.
    async fn next_documentnummer(&self) -> Result<i64, WriteError>;
}
