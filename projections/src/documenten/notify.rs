//! Notifications on kanaal `documenten`, with the standard's kenmerken
//! (bronorganisatie, informatieobjecttype, vertrouwelijkheidaanduiding).

use std::collections::HashMap;

use event_schemas::document::{DocumentAttributes, DocumentEvent};
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use uuid::Uuid;

use crate::notifier::{self, Kenmerken, Notification};
use crate::render::Urls;
use crate::zaken::stream_uuid;
use crate::ProjectionError;

/// Kanaal `documenten`: the document is the hoofdObject of its own notifications and of
/// its gebruiksrechten, objectinformatieobjecten and verzendingen; lock, unlock and
/// bestandsdeel uploads are not announced.
pub(crate) fn notification(
    known: &mut HashMap<Uuid, Kenmerken>,
    changed: &mut HashMap<Uuid, Kenmerken>,
    urls: &Urls,
    event: &RecordedEvent,
) -> Result<Option<Notification>, ProjectionError> {
    let Some(doc) = stream_uuid(&event.stream) else {
        return Ok(None);
    };
    let decoded = DocumentEvent::decode(
        &event.event_type,
        event.schema_version,
        event.payload.clone(),
    )?;
    let mut remember = |a: &DocumentAttributes| {
        let k = document_kenmerken(a);
        known.insert(doc, k.clone());
        changed.insert(doc, k);
    };
    let eio = "enkelvoudiginformatieobject";
    let (resource, resource_url, actie) = match &decoded {
        DocumentEvent::DocumentCreated(e) => {
            remember(&e.attributes);
            (eio, urls.document(doc), "create")
        }
        DocumentEvent::DocumentUpdated(e) => {
            remember(&e.attributes);
            let actie = if e.partial {
                "partial_update"
            } else {
                "update"
            };
            (eio, urls.document(doc), actie)
        }
        DocumentEvent::DocumentDeleted(_) => (eio, urls.document(doc), "destroy"),
        DocumentEvent::PartAdded(e) => (
            e.kind.as_str(),
            urls.document_part(e.kind, e.uuid),
            "create",
        ),
        DocumentEvent::PartUpdated(e) => (
            e.kind.as_str(),
            urls.document_part(e.kind, e.uuid),
            if e.partial {
                "partial_update"
            } else {
                "update"
            },
        ),
        DocumentEvent::PartRemoved(e) => (
            e.kind.as_str(),
            urls.document_part(e.kind, e.uuid),
            "destroy",
        ),
        DocumentEvent::Locked(_)
        | DocumentEvent::Unlocked(_)
        | DocumentEvent::BestandsdeelUploaded(_) => return Ok(None),
    };
    let kenmerken = known.get(&doc).cloned().unwrap_or_default();
    Ok(Some(notifier::notification(
        event,
        "documenten",
        urls.document(doc),
        (resource, resource_url, actie),
        kenmerken,
    )))
}

fn document_kenmerken(a: &DocumentAttributes) -> Kenmerken {
    let mut m = serde_json::Map::new();
    m.insert("bronorganisatie".into(), a.bronorganisatie.clone().into());
    m.insert(
        "informatieobjecttype".into(),
        a.informatieobjecttype.clone().into(),
    );
    m.insert(
        "vertrouwelijkheidaanduiding".into(),
        a.vertrouwelijkheidaanduiding.as_str().into(),
    );
    m
}
