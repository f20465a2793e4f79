//! A zaakinformatieobject (or besluitinformatieobject) of one of our documents is mirrored
//! as that document's objectinformatieobject (Documenten API), as the standard asks of the
//! Zaken and Besluiten APIs: adding the link adds it, removing the link — or deleting the
//! zaak or besluit — removes it. Each relevant event is compared with the state just
//! before it (folded from its stream), so a replay finds the same differences. Documents
//! in another Documenten API are left alone (this installation has no credentials there).

use std::collections::BTreeSet;

use async_trait::async_trait;
use commands::CommandHandler;
use domain::besluit::BesluitAggregate;
use domain::informatieobject::{Document, DocumentAggregate, DocumentCommand};
use domain::zaak::ZaakAggregate;
use domain::Aggregate;
use event_schemas::besluit::BesluitEvent;
use event_schemas::document::{DocumentPartAttributes, DocumentPartKind};
use event_schemas::zaak::{PartKind, ZaakEvent};
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use projections::render::Urls;
use projections::ProjectionError;
use serde_json::Value;
use uuid::Uuid;

use crate::{caused_by, settle, Reaction, Skip};

/// Which side's links are mirrored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Zaak,
    Besluit,
}

pub struct ObjectinformatieobjectReaction {
    urls: Urls,
    side: Side,
}

impl ObjectinformatieobjectReaction {
    /// Mirrors zaakinformatieobjecten (objectType `zaak`).
    pub fn zaken(urls: Urls) -> Self {
        Self {
            urls,
            side: Side::Zaak,
        }
    }

    /// Mirrors besluitinformatieobjecten (objectType `besluit`).
    pub fn besluiten(urls: Urls) -> Self {
        Self {
            urls,
            side: Side::Besluit,
        }
    }

    fn object_type(&self) -> &'static str {
        match self.side {
            Side::Zaak => "zaak",
            Side::Besluit => "besluit",
        }
    }

    fn object_url(&self, uuid: Uuid) -> String {
        match self.side {
            Side::Zaak => self.urls.zaak(uuid),
            Side::Besluit => self.urls.besluit(uuid),
        }
    }

    /// The documents linked by the zaak/besluit after the events of `history`.
    fn links(&self, history: &[RecordedEvent]) -> Result<BTreeSet<String>, ProjectionError> {
        Ok(match self.side {
            Side::Zaak => fold::<ZaakAggregate>(history)?
                .iter()
                .flat_map(|z| z.parts_of(PartKind::Zaakinformatieobject))
                .filter_map(|(_, p)| p.attributes.get("informatieobject"))
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Side::Besluit => fold::<BesluitAggregate>(history)?
                .iter()
                .flat_map(|b| b.informatieobjecten.values())
                .map(|b| b.informatieobject.clone())
                .collect(),
        })
    }

    /// Adds (`add`) or removes the objectinformatieobject of `object` on `document`.
    async fn mirror(
        &self,
        commands: &CommandHandler,
        event: &RecordedEvent,
        object: &str,
        document_url: &str,
        add: bool,
    ) -> Result<(), ProjectionError> {
        let Some(document) = self.urls.document_uuid(document_url) else {
            return Ok(()); // another Documenten API's: not ours to change
        };
        let step = format!("oio/{}/{document}", if add { "add" } else { "remove" });
        let ctx = caused_by(event, &step);
        let part = Uuid::new_v5(&event.event_id, step.as_bytes());
        let object_type = self.object_type();
        let build = |state: &Option<Document>| {
            let doc = state.as_ref().ok_or(Skip::Nothing)?;
            let existing = doc
                .parts_of(DocumentPartKind::Objectinformatieobject)
                .find(|(_, p)| p.attributes.get("object").and_then(Value::as_str) == Some(object));
            match (add, existing) {
                (true, None) => Ok(DocumentCommand::AddPart {
                    kind: DocumentPartKind::Objectinformatieobject,
                    uuid: part,
                    attributes: DocumentPartAttributes::from_iter([
                        ("object".to_owned(), Value::from(object)),
                        ("objectType".to_owned(), Value::from(object_type)),
                    ]),
                }),
                (false, Some((uuid, _))) => Ok(DocumentCommand::RemovePart { uuid: *uuid }),
                _ => Err(Skip::Nothing),
            }
        };
        settle(
            commands
                .execute_with::<DocumentAggregate, Skip>(document, &ctx, build)
                .await,
        )
    }
}

#[async_trait]
impl Reaction for ObjectinformatieobjectReaction {
    fn category(&self) -> &'static str {
        match self.side {
            Side::Zaak => ZaakEvent::CATEGORY,
            Side::Besluit => BesluitEvent::CATEGORY,
        }
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        if event.category() != self.category() {
            return false;
        }
        let kind = event.payload.get("kind").and_then(Value::as_str);
        match (self.side, event.event_type.as_str()) {
            (Side::Zaak, "PartAdded" | "PartUpdated" | "PartRemoved") => {
                kind == Some(PartKind::Zaakinformatieobject.as_str())
            }
            (Side::Zaak, "ZaakDeleted") => true,
            (
                Side::Besluit,
                "BesluitinformatieobjectAdded"
                | "BesluitinformatieobjectRemoved"
                | "BesluitDeleted",
            ) => true,
            _ => false,
        }
    }

    async fn react(
        &self,
        commands: &CommandHandler,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        let Some(uuid) = projections::zaken::stream_uuid(&event.stream) else {
            return Ok(());
        };
        let history = commands.store().read_stream(&event.stream, 0).await?;
        let upto = |last: u64| {
            history
                .iter()
                .take_while(|e| e.revision <= last)
                .cloned()
                .collect::<Vec<_>>()
        };
        let before = match event.revision {
            0 => BTreeSet::new(),
            r => self.links(&upto(r - 1))?,
        };
        let after = self.links(&upto(event.revision))?;
        let object = self.object_url(uuid);
        for added in after.difference(&before) {
            self.mirror(commands, event, &object, added, true).await?;
        }
        for removed in before.difference(&after) {
            self.mirror(commands, event, &object, removed, false)
                .await?;
        }
        Ok(())
    }
}

/// The state of an aggregate after the stored events `history`.
fn fold<A: Aggregate>(history: &[RecordedEvent]) -> Result<A::State, ProjectionError> {
    let mut state = A::State::default();
    for e in history {
        let decoded = A::Event::decode(&e.event_type, e.schema_version, e.payload.clone())?;
        state = A::evolve(state, &decoded);
    }
    Ok(state)
}
