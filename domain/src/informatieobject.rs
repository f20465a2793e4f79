//! The enkelvoudig informatieobject (document) aggregate, stream `document-{uuid}`: every
//! version, the lock, the bestandsdelen of an upload in parts, and the gebruiksrechten,
//! objectinformatieobjecten and verzendingen it owns. The content itself is not here: only
//! its hash and size, resolved (stored) by the handler before deciding.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use event_schemas::document::{
    ContentRef, DocumentAttributes, DocumentCreatedV1, DocumentDeletedV1, DocumentEvent,
    DocumentPartAddedV1, DocumentPartAttributes, DocumentPartKind, DocumentPartRemovedV1,
    DocumentPartUpdatedV1, DocumentUpdatedV1, LockedV1,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Aggregate;

/// A document as its events made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub uuid: Uuid,
    /// Every version, oldest first; `versie` is the index + 1.
    pub versions: Vec<Version>,
    pub lock: Option<String>,
    /// The parts of a pending upload (of the latest version), by volgnummer.
    pub bestandsdelen: Vec<Bestandsdeel>,
    pub parts: BTreeMap<Uuid, Part>,
    pub parts_added: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    pub versie: u32,
    pub begin_registratie: DateTime<Utc>,
    pub attributes: DocumentAttributes,
    pub bestandsomvang: Option<u64>,
    pub content: Option<ContentRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bestandsdeel {
    pub uuid: Uuid,
    pub volgnummer: u32,
    pub omvang: u64,
    pub content: Option<ContentRef>,
}

impl Bestandsdeel {
    pub fn voltooid(&self) -> bool {
        self.content.is_some()
    }
}

/// A gebruiksrecht, objectinformatieobject or verzending of the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub kind: DocumentPartKind,
    pub attributes: DocumentPartAttributes,
    pub seq: u64,
}

impl Document {
    pub fn latest(&self) -> &Version {
        self.versions
            .last()
            .expect("a created document has a version")
    }

    pub fn is_locked(&self) -> bool {
        self.lock.is_some()
    }

    pub fn parts_of(&self, kind: DocumentPartKind) -> impl Iterator<Item = (&Uuid, &Part)> {
        self.parts.iter().filter(move |(_, p)| p.kind == kind)
    }

    fn has(&self, kind: DocumentPartKind) -> bool {
        self.parts_of(kind).next().is_some()
    }
}

/// `None` until created and after deletion.
pub type DocumentState = Option<Document>;

/// What a write does to the content of the new version.
#[derive(Debug, Clone, PartialEq)]
pub enum Inhoud {
    /// Keep the previous version's content and size.
    Unchanged,
    /// New content, stored by the handler.
    Set(ContentRef),
    /// No content now: with a `bestandsomvang` above 0 it comes in bestandsdelen.
    Empty { bestandsomvang: Option<u64> },
    /// No content given, only a size: the size the latest version has keeps its content
    /// (a whole document sent back as it was); another size is content to come in
    /// bestandsdelen, as [`Inhoud::Empty`].
    Omvang(u64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum DocumentCommand {
    Create {
        uuid: Uuid,
        attributes: DocumentAttributes,
        inhoud: Inhoud,
        now: DateTime<Utc>,
        /// The server's bestandsdeel size.
        chunk_size: u64,
        /// The lock id to use when the document is created locked (bestandsdelen).
        new_lock: String,
    },
    Update {
        attributes: DocumentAttributes,
        inhoud: Inhoud,
        lock: Option<String>,
        now: DateTime<Utc>,
        chunk_size: u64,
        partial: bool,
        changed: Vec<String>,
        /// The caller holds documenten.geforceerd-bijwerken (changes a definitief one).
        may_force: bool,
    },
    Lock {
        new_lock: String,
    },
    Unlock {
        lock: String,
        /// The caller holds documenten.geforceerd-unlock.
        may_force: bool,
        /// The bestandsdelen merged by the handler (all of them, in order).
        merged: Option<ContentRef>,
    },
    UploadBestandsdeel {
        uuid: Uuid,
        lock: String,
        content: ContentRef,
    },
    AddPart {
        kind: DocumentPartKind,
        uuid: Uuid,
        attributes: DocumentPartAttributes,
    },
    UpdatePart {
        uuid: Uuid,
        attributes: DocumentPartAttributes,
        partial: bool,
    },
    RemovePart {
        uuid: Uuid,
    },
    /// An objectinformatieobject asked of the Documenten API (not the process manager's
    /// mirror): checked against the object it names.
    LinkObject {
        uuid: Uuid,
        attributes: DocumentPartAttributes,
        object: RelatedObject,
    },
    /// Removing objectinformatieobject `uuid` through the Documenten API.
    UnlinkObject {
        uuid: Uuid,
        object: RelatedObject,
    },
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("het informatieobject bestaat al")]
    AlreadyExists,
    #[error("het informatieobject bestaat niet")]
    NotFound,
    #[error("Unlocked document can't be modified")]
    Unlocked,
    #[error("Lock id is not presented")]
    MissingLockId,
    #[error("Lock id is not correct")]
    IncorrectLockId,
    #[error(
        "Een definitief informatieobject wijzigen vereist de scope documenten.geforceerd-bijwerken"
    )]
    StatusDefinitief,
    #[error("Lock id already exists")]
    ExistingLock,
    #[error("Upload of part of the file is not complete")]
    IncompleteUpload,
    #[error("The size of the uploaded file doesn't match the expected size")]
    FileSize,
    #[error(
        "All relations to the EnkelvoudigInformatieObject should be deleted before destroying"
    )]
    PendingRelations,
    #[error("Een gelockt informatieobject kan niet verwijderd worden")]
    LockedOnDelete,
    #[error("De indicatie moet op 'ja' gezet worden door `gebruiksrechten` aan te maken, dit kan niet direct op deze resource.")]
    MissingGebruiksrechten,
    #[error("De indicatie kan niet weggehaald worden of ongespecifieerd zijn als er Gebruiksrechten gedefinieerd zijn.")]
    ExistingGebruiksrechten,
    #[error("The fields object and informatieobject must make a unique set.")]
    NotUnique,
    #[error("dit onderdeel bestaat niet bij dit informatieobject")]
    PartNotFound,
    #[error("dit bestandsdeel bestaat niet bij dit informatieobject")]
    BestandsdeelNotFound,
    /// A rule with facts from outside the stream (its `field()` and `code()`).
    #[error("{0}")]
    Rule(rules::DocumentRule),
}

pub struct DocumentAggregate;

impl Aggregate for DocumentAggregate {
    type State = DocumentState;
    type Command = DocumentCommand;
    type Event = DocumentEvent;
    type Error = DocumentError;

    fn decide(
        state: &DocumentState,
        command: DocumentCommand,
    ) -> Result<Vec<DocumentEvent>, DocumentError> {
        use DocumentCommand as C;
        let Some(doc) = state else {
            return match command {
                C::Create { .. } => create(command),
                _ => Err(DocumentError::NotFound),
            };
        };
        match command {
            C::Create { .. } => Err(DocumentError::AlreadyExists),
            C::Update { .. } => update(doc, command),
            C::Lock { new_lock } => match doc.lock {
                Some(_) => Err(DocumentError::ExistingLock),
                None => Ok(vec![DocumentEvent::Locked(LockedV1 { lock: new_lock })]),
            },
            C::Unlock {
                lock,
                may_force,
                merged,
            } => unlock(doc, &lock, may_force, merged),
            C::UploadBestandsdeel {
                uuid,
                lock,
                content,
            } => upload(doc, uuid, &lock, content),
            C::AddPart {
                kind,
                uuid,
                attributes,
            } => {
                check_unique(doc, kind, None, &attributes)?;
                Ok(add_part(kind, uuid, attributes))
            }
            C::LinkObject {
                uuid,
                attributes,
                object,
            } => {
                let kind = DocumentPartKind::Objectinformatieobject;
                check_unique(doc, kind, None, &attributes)?;
                rules::check_link(object)?;
                Ok(add_part(kind, uuid, attributes))
            }
            C::UpdatePart {
                uuid,
                attributes,
                partial,
            } => {
                let part = doc.parts.get(&uuid).ok_or(DocumentError::PartNotFound)?;
                check_unique(doc, part.kind, Some(uuid), &attributes)?;
                Ok(vec![DocumentEvent::PartUpdated(DocumentPartUpdatedV1 {
                    kind: part.kind,
                    uuid,
                    attributes,
                    partial,
                })])
            }
            C::RemovePart { uuid } => remove_part(doc, uuid),
            C::UnlinkObject { uuid, object } => {
                doc.parts.get(&uuid).ok_or(DocumentError::PartNotFound)?;
                rules::check_unlink(object)?;
                remove_part(doc, uuid)
            }
            // Relations before the lock, in Open Zaak's order (its perform_destroy).
            C::Delete if doc.has(DocumentPartKind::Objectinformatieobject) => {
                Err(DocumentError::PendingRelations)
            }
            C::Delete if doc.is_locked() => Err(DocumentError::LockedOnDelete),
            C::Delete => Ok(vec![DocumentEvent::DocumentDeleted(DocumentDeletedV1 {})]),
        }
    }

    fn evolve(state: DocumentState, event: &DocumentEvent) -> DocumentState {
        evolve::apply(state, event)
    }
}

/// indicatieGebruiksrecht is true exactly while gebruiksrechten exist (set by them).
fn check_indicatie(
    doc: Option<&Document>,
    new: Option<bool>,
    current: Option<bool>,
) -> Result<(), DocumentError> {
    let has = doc.is_some_and(|d| d.has(DocumentPartKind::Gebruiksrecht));
    match new {
        _ if new == current => Ok(()),
        Some(true) if !has => Err(DocumentError::MissingGebruiksrechten),
        Some(true) => Ok(()),
        _ if has => Err(DocumentError::ExistingGebruiksrechten),
        _ => Ok(()),
    }
}

fn create(command: DocumentCommand) -> Result<Vec<DocumentEvent>, DocumentError> {
    let DocumentCommand::Create {
        uuid,
        attributes,
        inhoud,
        now,
        chunk_size,
        new_lock,
    } = command
    else {
        unreachable!("create is called with a Create command")
    };
    check_indicatie(None, attributes.indicatie_gebruiksrecht, None)?;
    let (content, bestandsomvang, bestandsdelen) = content_of(inhoud, None, (uuid, 1, chunk_size));
    let lock = (!bestandsdelen.is_empty()).then_some(new_lock);
    Ok(vec![DocumentEvent::DocumentCreated(DocumentCreatedV1 {
        uuid,
        attributes,
        begin_registratie: now,
        bestandsomvang,
        content,
        lock,
        bestandsdelen,
    })])
}

fn update(doc: &Document, command: DocumentCommand) -> Result<Vec<DocumentEvent>, DocumentError> {
    let DocumentCommand::Update {
        attributes,
        inhoud,
        lock,
        now,
        chunk_size,
        partial,
        changed,
        may_force,
    } = command
    else {
        unreachable!("update is called with an Update command")
    };
    check_lock(doc, lock.as_deref())?;
    let latest = doc.latest();
    if latest.attributes.status == "definitief" && !may_force {
        return Err(DocumentError::StatusDefinitief);
    }
    check_indicatie(
        Some(doc),
        attributes.indicatie_gebruiksrecht,
        latest.attributes.indicatie_gebruiksrecht,
    )?;
    let versie = latest.versie + 1;
    let (content, bestandsomvang, bestandsdelen) =
        content_of(inhoud, Some(latest), (doc.uuid, versie, chunk_size));
    Ok(vec![DocumentEvent::DocumentUpdated(DocumentUpdatedV1 {
        attributes,
        begin_registratie: now,
        bestandsomvang,
        content,
        bestandsdelen,
        partial,
        changed,
    })])
}

fn add_part(
    kind: DocumentPartKind,
    uuid: Uuid,
    attributes: DocumentPartAttributes,
) -> Vec<DocumentEvent> {
    vec![DocumentEvent::PartAdded(DocumentPartAddedV1 {
        kind,
        uuid,
        attributes,
    })]
}

fn remove_part(doc: &Document, uuid: Uuid) -> Result<Vec<DocumentEvent>, DocumentError> {
    let part = doc.parts.get(&uuid).ok_or(DocumentError::PartNotFound)?;
    Ok(vec![DocumentEvent::PartRemoved(DocumentPartRemovedV1 {
        kind: part.kind,
        uuid,
    })])
}

/// An objectinformatieobject is unique per (object, informatieobject): per document, per
/// object.
fn check_unique(
    doc: &Document,
    kind: DocumentPartKind,
    except: Option<Uuid>,
    attributes: &DocumentPartAttributes,
) -> Result<(), DocumentError> {
    if kind != DocumentPartKind::Objectinformatieobject {
        return Ok(());
    }
    let object = attributes.get("object");
    let taken = doc
        .parts_of(kind)
        .any(|(u, p)| Some(*u) != except && p.attributes.get("object") == object);
    if taken {
        Err(DocumentError::NotUnique)
    } else {
        Ok(())
    }
}

mod content;
mod evolve;
pub mod rules;

pub use content::plan;
use content::{check_lock, content_of, unlock, upload};
pub use rules::{DocumentRule, RelatedObject};
#[cfg(test)]
mod tests;
