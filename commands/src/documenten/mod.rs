//! The Documenten API's write side: one use case per function of [`Documenten`] (a
//! document created, changed, deleted, locked and unlocked, its bestandsdelen uploaded,
//! its gebruiksrechten, objectinformatieobjecten and verzendingen written), each taking
//! typed input, the caller's context and authorisation, resolving outside facts through
//! [`DocumentPorts`] and deciding on the document aggregate.

mod document;
mod lock;
mod parts;
mod ports;
mod register;

pub use document::{Content, DocumentChange, Given, NewDocument};
pub use lock::Upload;
pub use parts::{NewPart, PartChange, Removal};
pub use ports::DocumentPorts;
pub use register::RegisteredDocument;

use domain::informatieobject::{Document, DocumentAggregate, DocumentCommand, DocumentError};
use event_schemas::applicatie::Component;
use uuid::Uuid;

use crate::authorisation::Authorisation;
use crate::{CommandError, CommandHandler, Context, Outcome, WriteError};

/// Creating a document or one of its parts.
pub const AANMAKEN: &str = "documenten.aanmaken";
/// Changing a document: either scope (`geforceerd` also when it is definitief).
pub const BIJWERKEN: &str = "documenten.bijwerken|documenten.geforceerd-bijwerken";
/// Changing a part, uploading a bestandsdeel.
pub const PART_BIJWERKEN: &str = "documenten.bijwerken";
pub const VERWIJDEREN: &str = "documenten.verwijderen";
pub const LOCK: &str = "documenten.lock";
/// Unlocking: the lock holder, or whoever may force it.
pub const UNLOCK: &str = "documenten.lock|documenten.geforceerd-unlock";

/// The documenten use cases, over a command handler and the ports' adapters.
pub struct Documenten<'a> {
    pub commands: &'a CommandHandler,
    pub ports: Box<dyn DocumentPorts + 'a>,
}

/// The outcome of a document write: the document after it (`None` once deleted) and where
/// its events are, for read-your-writes.
pub type DocumentOutcome = Outcome<Option<Document>>;

/// [`WriteError::PermissionDenied`] unless `scope` covers the document's type at its
/// vertrouwelijkheid.
fn authorise(auth: &Authorisation, doc: &Document, scope: &str) -> Result<(), WriteError> {
    let a = &doc.latest().attributes;
    auth.require(
        Component::Drc,
        scope,
        &a.informatieobjecttype,
        a.vertrouwelijkheidaanduiding,
    )
}

/// Whether `scope` covers the document (the forcing scopes).
fn allows(auth: &Authorisation, doc: &Document, scope: &str) -> bool {
    let a = &doc.latest().attributes;
    auth.grants(Component::Drc, scope)
        .allows(&a.informatieobjecttype, a.vertrouwelijkheidaanduiding)
}

/// A fresh lock id.
fn new_lock() -> String {
    Uuid::new_v4().simple().to_string()
}

fn refuse(code: &str, e: DocumentError) -> WriteError {
    WriteError::invalid("nonFieldErrors", code, e.to_string())
}

/// A refusal of the document aggregate in the standard's terms: the one place its errors
/// get their field and code.
pub fn refusal(e: DocumentError) -> WriteError {
    use DocumentError as E;
    match e {
        E::NotFound | E::PartNotFound | E::BestandsdeelNotFound => WriteError::NotFound,
        E::Unlocked => refuse("unlocked", e),
        E::MissingLockId => refuse("missing-lock-id", e),
        E::IncorrectLockId => refuse("incorrect-lock-id", e),
        E::ExistingLock => refuse("existing-lock", e),
        // Open Zaak's code since 1.x (#1429): a locked document is not destroyed.
        E::LockedOnDelete => refuse("destroy-locked", e),
        E::IncompleteUpload => refuse("incomplete-upload", e),
        E::FileSize => refuse("file-size", e),
        E::PendingRelations => refuse("pending-relations", e),
        E::StatusDefinitief => refuse("modify-status-definitief", e),
        E::NotUnique => refuse("unique", e),
        E::MissingGebruiksrechten => WriteError::invalid(
            "indicatieGebruiksrecht",
            "missing-gebruiksrechten",
            e.to_string(),
        ),
        E::ExistingGebruiksrechten => WriteError::invalid(
            "indicatieGebruiksrecht",
            "existing-gebruiksrechten",
            e.to_string(),
        ),
        E::Rule(rule) => WriteError::invalid(rule.field(), rule.code(), rule.to_string()),
        e @ E::AlreadyExists => WriteError::internal(e),
    }
}

/// A failed document command in the standard's terms.
fn failure(e: CommandError<DocumentError, WriteError>) -> WriteError {
    match e {
        CommandError::Domain(e) => refusal(e),
        other => other.into(),
    }
}

impl Documenten<'_> {
    /// Runs the command `build` makes from the document as it is (404 when there is none),
    /// retried on concurrent writes.
    async fn run(
        &self,
        uuid: Uuid,
        ctx: &Context,
        build: impl Fn(&Document) -> Result<DocumentCommand, WriteError>,
    ) -> Result<DocumentOutcome, WriteError> {
        self.commands
            .execute_with::<DocumentAggregate, WriteError>(uuid, ctx, |state| {
                build(state.as_ref().ok_or(WriteError::NotFound)?)
            })
            .await
            .map_err(failure)
    }

    /// The document as its stream has it now, after `scope` is checked on it.
    async fn load(
        &self,
        auth: &Authorisation,
        uuid: Uuid,
        scope: &str,
    ) -> Result<Document, WriteError> {
        let state = self.commands.current::<DocumentAggregate>(uuid).await?;
        let doc = state.ok_or(WriteError::NotFound)?;
        authorise(auth, &doc, scope)?;
        Ok(doc)
    }
}
