//! Events of the `document` aggregate (stream `document-{uuid}`): an enkelvoudig
//! informatieobject of the Documenten API with every version, its lock, its bestandsdelen
//! and what it owns (gebruiksrechten, objectinformatieobjecten, verzendingen). Content never
//! travels in an event: only its SHA-256 and size ([`ContentRef`]); the bytes live in object
//! storage at `sha256/{hex}`.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::zaak::Vertrouwelijkheidaanduiding;

/// Stored content: its SHA-256 (hex) names the object `sha256/{hex}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContentRef {
    pub sha256: String,
    pub size: u64,
}

/// Every attribute of a version a client writes (the content and its size apart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentAttributes {
    pub identificatie: String,
    pub bronorganisatie: String,
    pub creatiedatum: NaiveDate,
    pub titel: String,
    pub vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding,
    pub auteur: String,
    /// The StatusEnum value, or blank.
    pub status: String,
    pub formaat: String,
    pub taal: String,
    pub bestandsnaam: String,
    pub link: String,
    pub beschrijving: String,
    pub ontvangstdatum: Option<NaiveDate>,
    pub verzenddatum: Option<NaiveDate>,
    /// Set to true by a gebruiksrecht, back to null when the last one goes.
    pub indicatie_gebruiksrecht: Option<bool>,
    pub verschijningsvorm: String,
    pub ondertekening: Option<serde_json::Value>,
    pub integriteit: Option<serde_json::Value>,
    pub informatieobjecttype: String,
    pub trefwoorden: Vec<String>,
}

/// A part of the content to upload: the document is locked until all are there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BestandsdeelPlanned {
    pub uuid: Uuid,
    pub volgnummer: u32,
    pub omvang: u64,
}

/// Version 1 of the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentCreatedV1 {
    pub uuid: Uuid,
    pub attributes: DocumentAttributes,
    pub begin_registratie: DateTime<Utc>,
    pub bestandsomvang: Option<u64>,
    pub content: Option<ContentRef>,
    /// Set when the content comes in bestandsdelen: the document is created locked.
    pub lock: Option<String>,
    pub bestandsdelen: Vec<BestandsdeelPlanned>,
}

/// A new version (full post-image): versie + 1, beginRegistratie its moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentUpdatedV1 {
    pub attributes: DocumentAttributes,
    pub begin_registratie: DateTime<Utc>,
    pub bestandsomvang: Option<u64>,
    pub content: Option<ContentRef>,
    /// New bestandsdelen to upload (replacing any earlier plan); empty when none.
    pub bestandsdelen: Vec<BestandsdeelPlanned>,
    pub partial: bool,
    pub changed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LockedV1 {
    pub lock: String,
}

/// The lock is lifted; when bestandsdelen were pending, `content` is their merge and
/// becomes the latest version's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnlockedV1 {
    /// Lifted with documenten.geforceerd-unlock rather than the lock id.
    pub forced: bool,
    pub content: Option<ContentRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BestandsdeelUploadedV1 {
    pub uuid: Uuid,
    pub content: ContentRef,
}

/// The document, all its versions and what it owns are gone from the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentDeletedV1 {}

/// What a document owns, each a resource of the Documenten API with its own uuid.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DocumentPartKind {
    Gebruiksrecht,
    Objectinformatieobject,
    Verzending,
}

impl DocumentPartKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gebruiksrecht => "gebruiksrechten",
            Self::Objectinformatieobject => "objectinformatieobject",
            Self::Verzending => "verzending",
        }
    }

    /// The collection of the Documenten API the part lives in.
    pub fn collection(self) -> &'static str {
        match self {
            Self::Gebruiksrecht => "gebruiksrechten",
            Self::Objectinformatieobject => "objectinformatieobjecten",
            Self::Verzending => "verzendingen",
        }
    }
}

/// A part's ZGW attributes (JSON names) as validated by the API.
pub type DocumentPartAttributes = serde_json::Map<String, serde_json::Value>;

/// A gebruiksrecht added also sets the document's indicatieGebruiksrecht to true.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentPartAddedV1 {
    pub kind: DocumentPartKind,
    pub uuid: Uuid,
    pub attributes: DocumentPartAttributes,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentPartUpdatedV1 {
    pub kind: DocumentPartKind,
    pub uuid: Uuid,
    pub attributes: DocumentPartAttributes,
    pub partial: bool,
}

/// Removing the last gebruiksrecht sets indicatieGebruiksrecht back to null.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentPartRemovedV1 {
    pub kind: DocumentPartKind,
    pub uuid: Uuid,
}

crate::versioned_events! {
    /// Events of the `document` aggregate (stream `document-{uuid}`).
    pub enum DocumentEvent in "document" {
        DocumentCreated(DocumentCreatedV1) = "DocumentCreated" v 1,
        DocumentUpdated(DocumentUpdatedV1) = "DocumentUpdated" v 1,
        Locked(LockedV1) = "Locked" v 1,
        Unlocked(UnlockedV1) = "Unlocked" v 1,
        BestandsdeelUploaded(BestandsdeelUploadedV1) = "BestandsdeelUploaded" v 1,
        PartAdded(DocumentPartAddedV1) = "PartAdded" v 1,
        PartUpdated(DocumentPartUpdatedV1) = "PartUpdated" v 1,
        PartRemoved(DocumentPartRemovedV1) = "PartRemoved" v 1,
        DocumentDeleted(DocumentDeletedV1) = "DocumentDeleted" v 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VersionedEvent;

    #[test]
    fn an_unlock_round_trips_through_its_stored_form() {
        let e = DocumentEvent::Unlocked(UnlockedV1 {
            forced: true,
            content: Some(ContentRef {
                sha256: "ab".into(),
                size: 2,
            }),
        });
        let back =
            DocumentEvent::decode(e.event_type(), e.schema_version(), e.to_payload()).unwrap();
        assert_eq!(back, e);
    }
}
