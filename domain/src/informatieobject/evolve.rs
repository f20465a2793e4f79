//! How each event changes a document.

use event_schemas::document::{BestandsdeelPlanned, DocumentEvent, DocumentPartKind};

use super::{Bestandsdeel, Document, DocumentState, Part, Version};

fn delen(planned: &[BestandsdeelPlanned]) -> Vec<Bestandsdeel> {
    planned
        .iter()
        .map(|p| Bestandsdeel {
            uuid: p.uuid,
            volgnummer: p.volgnummer,
            omvang: p.omvang,
            content: None,
        })
        .collect()
}

/// indicatieGebruiksrecht of the latest version follows the gebruiksrechten: true with
/// one, null when the last one is gone.
fn follow_gebruiksrechten(doc: &mut Document, kind: DocumentPartKind) {
    if kind != DocumentPartKind::Gebruiksrecht {
        return;
    }
    let any = doc.parts_of(kind).next().is_some();
    if let Some(v) = doc.versions.last_mut() {
        v.attributes.indicatie_gebruiksrecht = any.then_some(true);
    }
}

pub fn apply(state: DocumentState, event: &DocumentEvent) -> DocumentState {
    if let DocumentEvent::DocumentCreated(e) = event {
        return Some(Document {
            uuid: e.uuid,
            versions: vec![Version {
                versie: 1,
                begin_registratie: e.begin_registratie,
                attributes: e.attributes.clone(),
                bestandsomvang: e.bestandsomvang,
                content: e.content.clone(),
            }],
            lock: e.lock.clone(),
            bestandsdelen: delen(&e.bestandsdelen),
            parts: Default::default(),
            parts_added: 0,
        });
    }
    let mut doc = state?;
    match event {
        DocumentEvent::DocumentCreated(_) => {}
        DocumentEvent::DocumentUpdated(e) => {
            let versie = doc.latest().versie + 1;
            doc.versions.push(Version {
                versie,
                begin_registratie: e.begin_registratie,
                attributes: e.attributes.clone(),
                bestandsomvang: e.bestandsomvang,
                content: e.content.clone(),
            });
            doc.bestandsdelen = delen(&e.bestandsdelen);
        }
        DocumentEvent::Locked(e) => doc.lock = Some(e.lock.clone()),
        DocumentEvent::Unlocked(e) => {
            doc.lock = None;
            doc.bestandsdelen.clear();
            if let (Some(c), Some(v)) = (&e.content, doc.versions.last_mut()) {
                v.content = Some(c.clone());
            }
        }
        DocumentEvent::BestandsdeelUploaded(e) => {
            if let Some(d) = doc.bestandsdelen.iter_mut().find(|d| d.uuid == e.uuid) {
                d.content = Some(e.content.clone());
            }
        }
        DocumentEvent::PartAdded(e) => {
            doc.parts_added += 1;
            doc.parts.insert(
                e.uuid,
                Part {
                    kind: e.kind,
                    attributes: e.attributes.clone(),
                    seq: doc.parts_added,
                },
            );
            follow_gebruiksrechten(&mut doc, e.kind);
        }
        DocumentEvent::PartUpdated(e) => {
            if let Some(p) = doc.parts.get_mut(&e.uuid) {
                p.attributes = e.attributes.clone();
            }
        }
        DocumentEvent::PartRemoved(e) => {
            doc.parts.remove(&e.uuid);
            follow_gebruiksrechten(&mut doc, e.kind);
        }
        DocumentEvent::DocumentDeleted(_) => return None,
    }
    Some(doc)
}
