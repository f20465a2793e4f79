//! The lock of a document, and an upload in bestandsdelen: each part uploaded with the
//! lock, the complete parts merged into the content on unlock.

use domain::informatieobject::{Document, DocumentCommand};
use event_schemas::document::ContentRef;
use uuid::Uuid;

use super::{
    allows, authorise, new_lock, DocumentOutcome, Documenten, LOCK, PART_BIJWERKEN, UNLOCK,
};
use crate::authorisation::Authorisation;
use crate::{Context, WriteError};

/// A bestandsdeel's content, stored by the caller's adapter, with the lock it came with.
#[derive(Debug, Clone)]
pub struct Upload {
    pub document: Uuid,
    pub deel: Uuid,
    pub lock: String,
    pub content: ContentRef,
}

impl Documenten<'_> {
    /// Locks document `uuid`; answers the new lock id.
    pub async fn lock(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<(DocumentOutcome, String), WriteError> {
        let new = new_lock();
        let build = |doc: &Document| -> Result<DocumentCommand, WriteError> {
            authorise(auth, doc, LOCK)?;
            Ok(DocumentCommand::Lock {
                new_lock: new.clone(),
            })
        };
        let outcome = self.run(uuid, ctx, build).await?;
        Ok((outcome, new))
    }

    /// Unlocks document `uuid` with `lock` (or forced, by who may): the bestandsdelen of a
    /// complete upload become the content, merged (streamed through the store) first.
    pub async fn unlock(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        lock: String,
    ) -> Result<DocumentOutcome, WriteError> {
        let doc = self.load(auth, uuid, UNLOCK).await?;
        let may_force = allows(auth, &doc, "documenten.geforceerd-unlock");
        let parts: Option<Vec<ContentRef>> = doc
            .bestandsdelen
            .iter()
            .map(|d| d.content.clone())
            .collect();
        let merged = match parts {
            Some(parts) if !parts.is_empty() && doc.lock.as_deref() == Some(lock.as_str()) => {
                Some(self.ports.merge_content(&parts).await?)
            }
            _ => None,
        };
        let build = |doc: &Document| -> Result<DocumentCommand, WriteError> {
            authorise(auth, doc, UNLOCK)?;
            Ok(DocumentCommand::Unlock {
                lock: lock.clone(),
                may_force,
                merged: merged.clone(),
            })
        };
        self.run(uuid, ctx, build).await
    }

    /// The document of bestandsdeel `deel`, once the caller may upload to it: checked
    /// before any of the part's content goes into the store.
    pub async fn bestandsdeel_document(
        &self,
        auth: &Authorisation,
        deel: Uuid,
    ) -> Result<Uuid, WriteError> {
        let document = self
            .ports
            .bestandsdeel_document(deel)
            .await?
            .ok_or(WriteError::NotFound)?;
        self.load(auth, document, PART_BIJWERKEN).await?;
        Ok(document)
    }

    /// Records an uploaded bestandsdeel: the aggregate checks the lock and its size.
    pub async fn upload(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        upload: Upload,
    ) -> Result<DocumentOutcome, WriteError> {
        let build = |doc: &Document| -> Result<DocumentCommand, WriteError> {
            authorise(auth, doc, PART_BIJWERKEN)?;
            Ok(DocumentCommand::UploadBestandsdeel {
                uuid: upload.deel,
                lock: upload.lock.clone(),
                content: upload.content.clone(),
            })
        };
        self.run(upload.document, ctx, build).await
    }
}
