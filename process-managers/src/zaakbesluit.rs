//! A besluit with a zaak appears as a zaakbesluit of that zaak (Zaken API): creating the
//! besluit adds it, changing its zaak moves it, deleting the besluit removes it. Only zaken
//! of this installation are kept in step; a zaak in another Zaken API is not called.

use async_trait::async_trait;
use commands::CommandHandler;
use domain::besluit::BesluitAggregate;
use domain::zaak::{Zaak, ZaakAggregate, ZaakCommand};
use domain::Aggregate;
use event_schemas::besluit::BesluitEvent;
use event_schemas::zaak::{PartAttributes, PartKind};
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use projections::render::Urls;
use projections::ProjectionError;
use serde_json::Value;
use uuid::Uuid;

use crate::{caused_by, settle, Reaction, Skip};

pub struct ZaakbesluitReaction {
    urls: Urls,
}

impl ZaakbesluitReaction {
    pub fn new(urls: Urls) -> Self {
        Self { urls }
    }

    /// The besluit's zaak before `event`, from its stream (for an update or delete).
    async fn zaak_before(
        &self,
        commands: &CommandHandler,
        event: &RecordedEvent,
    ) -> Result<Option<String>, ProjectionError> {
        let history = commands.store().read_stream(&event.stream, 0).await?;
        let mut state = None;
        for e in history
            .into_iter()
            .take_while(|e| e.revision < event.revision)
        {
            let decoded = BesluitEvent::decode(&e.event_type, e.schema_version, e.payload)?;
            state = BesluitAggregate::evolve(state, &decoded);
        }
        Ok(state.and_then(|b| b.attributes.zaak))
    }
}

fn is_link(part: &domain::zaak::Part, besluit: &Value) -> bool {
    part.kind == PartKind::Zaakbesluit && part.attributes.get("besluit") == Some(besluit)
}

#[async_trait]
impl Reaction for ZaakbesluitReaction {
    fn category(&self) -> &'static str {
        BesluitEvent::CATEGORY
    }

    async fn react(
        &self,
        commands: &CommandHandler,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        let decoded = BesluitEvent::decode(
            &event.event_type,
            event.schema_version,
            event.payload.clone(),
        )?;
        let after = match &decoded {
            BesluitEvent::BesluitCreated(e) => e.attributes.zaak.clone(),
            // An update that left the zaak alone changes no zaakbesluit.
            BesluitEvent::BesluitUpdated(e) if !e.changed.iter().any(|c| c == "zaak") => {
                return Ok(())
            }
            BesluitEvent::BesluitUpdated(e) => e.attributes.zaak.clone(),
            BesluitEvent::BesluitDeleted(_) => None,
            _ => return Ok(()),
        };
        let before = match &decoded {
            BesluitEvent::BesluitCreated(_) => None,
            _ => self.zaak_before(commands, event).await?,
        };
        if before == after {
            return Ok(());
        }
        let Some(besluit) = projections::zaken::stream_uuid(&event.stream) else {
            return Ok(());
        };
        let url = Value::String(self.urls.besluit(besluit));
        if let Some(zaak) = before.as_deref().and_then(|z| self.urls.zaak_uuid(z)) {
            let ctx = caused_by(event, "zaakbesluit/remove");
            let build = |state: &Option<Zaak>| {
                let zaak = state.as_ref().ok_or(Skip::Nothing)?;
                let (uuid, _) = zaak
                    .parts
                    .iter()
                    .find(|(_, p)| is_link(p, &url))
                    .ok_or(Skip::Nothing)?;
                Ok(ZaakCommand::RemovePart {
                    uuid: *uuid,
                    may_force: true,
                })
            };
            settle(
                commands
                    .execute_with::<ZaakAggregate, Skip>(zaak, &ctx, build)
                    .await,
            )?;
        }
        if let Some(zaak) = after.as_deref().and_then(|z| self.urls.zaak_uuid(z)) {
            let ctx = caused_by(event, "zaakbesluit/add");
            let part = Uuid::new_v5(&event.event_id, b"zaakbesluit");
            let build = |state: &Option<Zaak>| {
                let zaak = state.as_ref().ok_or(Skip::Nothing)?;
                if zaak.parts.values().any(|p| is_link(p, &url)) {
                    return Err(Skip::Nothing);
                }
                Ok(ZaakCommand::AddPart {
                    kind: PartKind::Zaakbesluit,
                    uuid: part,
                    attributes: PartAttributes::from_iter([("besluit".to_owned(), url.clone())]),
                    may_force: true,
                    type_zaaktype: None,
                })
            };
            settle(
                commands
                    .execute_with::<ZaakAggregate, Skip>(zaak, &ctx, build)
                    .await,
            )?;
        }
        Ok(())
    }
}
