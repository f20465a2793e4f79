//! The content rules: bestandsdelen planned for a size, uploaded with the lock, complete and
//! of the right total size before the unlock that merges them.

use event_schemas::document::{
    BestandsdeelPlanned, BestandsdeelUploadedV1, ContentRef, DocumentEvent, UnlockedV1,
};
use uuid::Uuid;

use super::{Bestandsdeel, Document, DocumentError, Inhoud, Version};

/// The bestandsdelen of `omvang` bytes in parts of `chunk_size`: uuids derived from the
/// document, version and volgnummer, so deciding stays pure and repeatable.
pub fn plan(document: Uuid, versie: u32, omvang: u64, chunk_size: u64) -> Vec<BestandsdeelPlanned> {
    let chunk = chunk_size.max(1);
    let count = omvang.div_ceil(chunk);
    (0..count)
        .map(|i| {
            let volgnummer = i as u32 + 1;
            let name = format!("{versie}/{volgnummer}");
            BestandsdeelPlanned {
                uuid: Uuid::new_v5(&document, name.as_bytes()),
                volgnummer,
                omvang: (omvang - i * chunk).min(chunk),
            }
        })
        .collect()
}

/// Content, size and bestandsdelen of a new version.
pub(super) fn content_of(
    inhoud: Inhoud,
    previous: Option<&Version>,
    (document, versie, chunk_size): (Uuid, u32, u64),
) -> (Option<ContentRef>, Option<u64>, Vec<BestandsdeelPlanned>) {
    match inhoud {
        Inhoud::Set(c) => {
            let size = c.size;
            (Some(c), Some(size), vec![])
        }
        Inhoud::Unchanged => (
            previous.and_then(|v| v.content.clone()),
            previous.and_then(|v| v.bestandsomvang),
            vec![],
        ),
        Inhoud::Omvang(n) if previous.is_some_and(|v| v.bestandsomvang == Some(n)) => {
            content_of(Inhoud::Unchanged, previous, (document, versie, chunk_size))
        }
        Inhoud::Omvang(n) => content_of(
            Inhoud::Empty {
                bestandsomvang: Some(n),
            },
            previous,
            (document, versie, chunk_size),
        ),
        Inhoud::Empty { bestandsomvang } => {
            let delen = match bestandsomvang {
                Some(n) if n > 0 => plan(document, versie, n, chunk_size),
                _ => vec![],
            };
            (None, bestandsomvang, delen)
        }
    }
}

pub(super) fn check_lock(doc: &Document, given: Option<&str>) -> Result<(), DocumentError> {
    let held = doc.lock.as_deref().ok_or(DocumentError::Unlocked)?;
    match given {
        None | Some("") => Err(DocumentError::MissingLockId),
        Some(l) if l != held => Err(DocumentError::IncorrectLockId),
        Some(_) => Ok(()),
    }
}

pub(super) fn unlock(
    doc: &Document,
    lock: &str,
    may_force: bool,
    merged: Option<ContentRef>,
) -> Result<Vec<DocumentEvent>, DocumentError> {
    let Some(held) = doc.lock.as_deref() else {
        // Nothing to lift: as with a matching (empty) lock, nothing changes.
        return if lock.is_empty() || may_force {
            Ok(vec![])
        } else {
            Err(DocumentError::IncorrectLockId)
        };
    };
    let forced = held != lock;
    if forced && !may_force {
        return Err(DocumentError::IncorrectLockId);
    }
    let complete = doc.bestandsdelen.iter().all(Bestandsdeel::voltooid);
    let content = if doc.bestandsdelen.is_empty() {
        None
    } else if forced {
        // A forced unlock abandons an unfinished upload.
        merged.filter(|_| complete)
    } else {
        if !complete {
            return Err(DocumentError::IncompleteUpload);
        }
        let merged = merged.ok_or(DocumentError::IncompleteUpload)?;
        if Some(merged.size) != doc.latest().bestandsomvang {
            return Err(DocumentError::FileSize);
        }
        Some(merged)
    };
    Ok(vec![DocumentEvent::Unlocked(UnlockedV1 {
        forced,
        content,
    })])
}

pub(super) fn upload(
    doc: &Document,
    uuid: Uuid,
    lock: &str,
    content: ContentRef,
) -> Result<Vec<DocumentEvent>, DocumentError> {
    let deel = doc
        .bestandsdelen
        .iter()
        .find(|d| d.uuid == uuid)
        .ok_or(DocumentError::BestandsdeelNotFound)?;
    check_lock(doc, Some(lock))?;
    if content.size != deel.omvang {
        return Err(DocumentError::FileSize);
    }
    Ok(vec![DocumentEvent::BestandsdeelUploaded(
        BestandsdeelUploadedV1 { uuid, content },
    )])
}
