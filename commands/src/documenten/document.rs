//! Creating, changing and deleting a document: each write a new version of its attributes
//! and content (stored through the port first, by hash).

use bytes::Bytes;
use domain::catalogue_facts::InformatieobjecttypeFacts;
use domain::informatieobject::{Document, DocumentAggregate, DocumentCommand, Inhoud};
use domain::Aggregate;
use event_schemas::applicatie::Component;
use event_schemas::document::{DocumentAttributes, DocumentEvent};
use event_schemas::{stream_name, VersionedEvent};
use uuid::Uuid;

use super::{
    allows, authorise, failure, new_lock, refusal, DocumentOutcome, Documenten, AANMAKEN,
    BIJWERKEN, VERWIJDEREN,
};
use crate::authorisation::Authorisation;
use crate::{Context, WriteError};

/// A field that may be absent, null, or have a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Given<T> {
    Absent,
    Null,
    Value(T),
}

/// What a write says of the content: `inhoud` (decoded), `bestandsomvang` and the `lock`.
#[derive(Debug, Clone)]
pub struct Content {
    pub inhoud: Given<Bytes>,
    pub bestandsomvang: Given<u64>,
    pub lock: Option<String>,
}

/// A new document, as the request gives it.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub attributes: DocumentAttributes,
    /// The request named a vertrouwelijkheidaanduiding (otherwise the informatieobjecttype's
    /// applies).
    pub vertrouwelijkheid_given: bool,
    pub content: Content,
}

/// A PUT or PATCH of a document: a new version.
pub struct DocumentChange<'a> {
    /// The attributes after the change, made from the latest version's on every attempt (a
    /// PUT ignores them, a PATCH merges onto them): the caller's protocol parses them.
    pub apply:
        &'a (dyn Fn(&DocumentAttributes) -> Result<DocumentAttributes, WriteError> + Send + Sync),
    /// A PATCH rather than a PUT.
    pub partial: bool,
    pub content: Content,
    /// The informatieobjecttype the request names, checked against the catalogue first.
    pub informatieobjecttype: Option<String>,
    /// The names of the fields the request changes, for the event.
    pub changed: Vec<String>,
}

/// A new document checked, its content stored, ready to be claimed and created: see
/// [`Documenten::prepare`] and [`Documenten::create_prepared`] (a one-call endpoint
/// prepares every resource it writes before it appends any).
pub struct Prepared {
    pub uuid: Uuid,
    pub command: DocumentCommand,
    key: String,
}

/// An informatieobjecttype a document may have: a published one (`not-published`).
fn published(iot: InformatieobjecttypeFacts) -> Result<InformatieobjecttypeFacts, WriteError> {
    if iot.concept {
        return Err(WriteError::invalid(
            "informatieobjecttype",
            "not-published",
            "Het informatieobjecttype is nog niet gepubliceerd.",
        ));
    }
    Ok(iot)
}

/// The claim that keeps an identificatie unique per bronorganisatie.
fn identificatie_key(a: &DocumentAttributes) -> String {
    claim_key(&a.bronorganisatie, &a.identificatie)
}

pub(super) fn claim_key(bronorganisatie: &str, identificatie: &str) -> String {
    format!("document-identificatie/{bronorganisatie}/{identificatie}")
}

impl Documenten<'_> {
    /// Creates a document (`POST /enkelvoudiginformatieobjecten`).
    pub async fn create(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        new: NewDocument,
    ) -> Result<DocumentOutcome, WriteError> {
        let prepared = self.prepare(auth, ctx, new).await?;
        self.create_prepared(ctx, prepared).await
    }

    /// Everything a new document needs before its events are appended: its
    /// informatieobjecttype (published; its vertrouwelijkheidaanduiding unless the request
    /// names one), the caller's right to create it, its content stored, an identificatie
    /// (`DOCUMENT-{year}-{n}` when none was given) and the aggregate's verdict.
    pub async fn prepare(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        new: NewDocument,
    ) -> Result<Prepared, WriteError> {
        self.prepare_as(auth, ctx, Uuid::new_v4(), new).await
    }

    /// [`Self::prepare`] for a document whose uuid the caller has just generated.
    pub async fn prepare_as(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        new: NewDocument,
    ) -> Result<Prepared, WriteError> {
        let NewDocument {
            mut attributes,
            vertrouwelijkheid_given,
            content,
        } = new;
        let iot = self
            .ports
            .informatieobjecttype(&attributes.informatieobjecttype)
            .await
            .and_then(published)?;
        if !vertrouwelijkheid_given {
            attributes.vertrouwelijkheidaanduiding = iot.vertrouwelijkheidaanduiding;
        }
        auth.require(
            Component::Drc,
            AANMAKEN,
            &attributes.informatieobjecttype,
            attributes.vertrouwelijkheidaanduiding,
        )?;
        let inhoud = self.inhoud(&content, true).await?;
        if attributes.identificatie.is_empty() {
            let n = self.ports.next_documentnummer().await?;
            attributes.identificatie = format!("DOCUMENT-{}-{n:010}", ctx.now.format("%Y"));
        }
        let key = identificatie_key(&attributes);
        let command = DocumentCommand::Create {
            uuid,
            attributes,
            inhoud,
            now: ctx.now,
            chunk_size: self.ports.chunk_size(),
            new_lock: new_lock(),
        };
        // Decided before the identificatie is claimed, so a refused document claims nothing.
        DocumentAggregate::decide(&None, command.clone()).map_err(refusal)?;
        Ok(Prepared { uuid, command, key })
    }

    /// Claims the prepared document's identificatie (`identificatie-niet-uniek`) and
    /// appends its events.
    pub async fn create_prepared(
        &self,
        ctx: &Context,
        prepared: Prepared,
    ) -> Result<DocumentOutcome, WriteError> {
        let owner = stream_name(DocumentEvent::CATEGORY, prepared.uuid);
        let store = self.commands.store().as_ref();
        crate::claim_identificatie(store, ctx, &prepared.key, &owner).await?;
        self.commands
            .create::<DocumentAggregate>(prepared.uuid, ctx, prepared.command)
            .await
            .map_err(|e| failure(crate::widen(e)))
    }

    /// What a write's content means: stored content, none (with a size: bestandsdelen), a
    /// size only, or the previous version's.
    async fn inhoud(&self, content: &Content, creating: bool) -> Result<Inhoud, WriteError> {
        let omvang = match content.bestandsomvang {
            Given::Value(n) => Some(n),
            _ => None,
        };
        Ok(match (&content.inhoud, omvang) {
            (Given::Value(bytes), _) => Inhoud::Set(self.ports.store_content(bytes.clone()).await?),
            (Given::Null, _) => Inhoud::Empty {
                bestandsomvang: omvang,
            },
            (Given::Absent, Some(n)) => Inhoud::Omvang(n),
            (Given::Absent, None) if creating => Inhoud::Empty {
                bestandsomvang: None,
            },
            (Given::Absent, None) => Inhoud::Unchanged,
        })
    }

    /// Changes document `uuid` (PUT or PATCH): a new version, with the lock.
    pub async fn update(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        change: DocumentChange<'_>,
    ) -> Result<DocumentOutcome, WriteError> {
        if let Some(url) = &change.informatieobjecttype {
            self.ports
                .informatieobjecttype(url)
                .await
                .and_then(published)?;
        }
        if matches!(change.content.inhoud, Given::Value(_)) {
            // Only a caller who may change the document gets content into the store.
            self.load(auth, uuid, BIJWERKEN).await?;
        }
        let inhoud = self.inhoud(&change.content, false).await?;
        let chunk_size = self.ports.chunk_size();
        let build = |current: &Document| -> Result<DocumentCommand, WriteError> {
            authorise(auth, current, BIJWERKEN)?;
            let latest = &current.latest().attributes;
            let mut attributes = (change.apply)(latest)?;
            if attributes.identificatie.is_empty() {
                attributes.identificatie = latest.identificatie.clone();
            }
            // The changed document must stay within what the caller may change.
            auth.require(
                Component::Drc,
                BIJWERKEN,
                &attributes.informatieobjecttype,
                attributes.vertrouwelijkheidaanduiding,
            )?;
            Ok(DocumentCommand::Update {
                may_force: allows(auth, current, "documenten.geforceerd-bijwerken"),
                attributes,
                inhoud: inhoud.clone(),
                lock: change.content.lock.clone(),
                now: ctx.now,
                chunk_size,
                partial: change.partial,
                changed: change.changed.clone(),
            })
        };
        self.run(uuid, ctx, build).await
    }

    /// Deletes document `uuid`: it, all its versions and parts leave the API (its stream
    /// stays as history); its identificatie becomes free again.
    pub async fn destroy(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<DocumentOutcome, WriteError> {
        // The identificatie to free, as the deciding attempt saw it.
        let key = std::sync::Mutex::new(None);
        let build = |current: &Document| -> Result<DocumentCommand, WriteError> {
            authorise(auth, current, VERWIJDEREN)?;
            let a = &current.latest().attributes;
            *key.lock().unwrap_or_else(|e| e.into_inner()) = Some(identificatie_key(a));
            Ok(DocumentCommand::Delete)
        };
        let outcome = self.run(uuid, ctx, build).await?;
        if let Some(key) = key.into_inner().unwrap_or_else(|e| e.into_inner()) {
            let owner = stream_name(DocumentEvent::CATEGORY, uuid);
            crate::release(self.commands.store().as_ref(), ctx, &key, &owner)
                .await
                .map_err(WriteError::internal)?;
        }
        Ok(outcome)
    }
}
