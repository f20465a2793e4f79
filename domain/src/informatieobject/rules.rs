//! The rules a document is decided on with facts from outside its own stream: the object
//! an objectinformatieobject of the Documenten API names. For a zaak or besluit of ours the
//! relation is that side's (its zaak- or besluitinformatieobject, mirrored into the
//! document by the process manager), so the Documenten API only checks it; another API's
//! object is the document's own relation. The write side resolves the facts
//! (`commands::documenten`) and hands them to `decide` with the command.

use super::DocumentError;

/// A refusal by one of these rules; [`DocumentRule::field`] and [`DocumentRule::code`] are
/// the standard's invalidParam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DocumentRule {
    #[error("Ongeldige hyperlink - Object bestaat niet.")]
    ObjectMissing,
    #[error("The relation between object and informatieobject doesn't exist")]
    InconsistentRelation,
    #[error("The canonical remote relation still exists, this relation cannot be deleted.")]
    RemoteRelationExists,
}

impl DocumentRule {
    /// The field the standard names the refusal under.
    pub fn field(self) -> &'static str {
        match self {
            Self::ObjectMissing => "object",
            Self::InconsistentRelation | Self::RemoteRelationExists => "nonFieldErrors",
        }
    }

    /// Open Zaak's code.
    pub fn code(self) -> &'static str {
        match self {
            Self::ObjectMissing => "does_not_exist",
            Self::InconsistentRelation => "inconsistent-relation",
            Self::RemoteRelationExists => "remote-relation-exists",
        }
    }
}

impl From<DocumentRule> for DocumentError {
    fn from(rule: DocumentRule) -> Self {
        DocumentError::Rule(rule)
    }
}

/// The object an objectinformatieobject names, as the write side found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelatedObject {
    /// Another API's zaak, besluit or verzoek (fetched, and of its objectType).
    Elsewhere,
    /// One of our zaken or besluiten, which is not there.
    Missing,
    /// One of our zaken or besluiten; `links`: its zaak- or besluitinformatieobject names
    /// this document.
    Ours { links: bool },
}

/// A new relation through the Documenten API: its own with another API's object; with one
/// of ours `unique` when that side links the document (the mirror is there, or being
/// made), `inconsistent-relation` when it does not.
pub(super) fn check_link(object: RelatedObject) -> Result<(), DocumentError> {
    match object {
        RelatedObject::Elsewhere => Ok(()),
        RelatedObject::Missing => Err(DocumentRule::ObjectMissing.into()),
        RelatedObject::Ours { links: true } => Err(DocumentError::NotUnique),
        RelatedObject::Ours { links: false } => Err(DocumentRule::InconsistentRelation.into()),
    }
}

/// Removing a relation through the Documenten API: not while one of our zaken or besluiten
/// still links the document (one gone since took its links along: a stale mirror may go).
pub(super) fn check_unlink(object: RelatedObject) -> Result<(), DocumentRule> {
    match object {
        RelatedObject::Ours { links: true } => Err(DocumentRule::RemoteRelationExists),
        _ => Ok(()),
    }
}
