//! Notifications on kanaal `internetaken`: the internetaak is its own hoofdObject, with
//! kenmerken `status` and `toegewezenAanActor` (the URL of the first actor it is assigned
//! to), remembered by the notifier for its deletion.

use std::collections::HashMap;

use domain::klantinteracties::internetaak::Internetaak;
use domain::klantinteracties::{Applied, SimpleObject};
use event_schemas::klantinteracties::overig::{InternetaakAttributes, InternetaakEvent};
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use uuid::Uuid;

use super::render::{ACTOREN, INTERNETAKEN};
use crate::notifier::{self, Kenmerken, Notification};
use crate::render::Urls;
use crate::zaken::stream_uuid;
use crate::ProjectionError;

pub const KANAAL: &str = "internetaken";

fn kenmerken(a: &InternetaakAttributes, urls: &Urls) -> Kenmerken {
    let actor = a
        .toegewezen_aan_actoren
        .first()
        .map(|u| urls.klantinteracties_object(ACTOREN, *u))
        .unwrap_or_default();
    Kenmerken::from_iter([
        ("status".to_owned(), a.status.as_str().into()),
        ("toegewezenAanActor".to_owned(), actor.into()),
    ])
}

pub(crate) fn notification(
    known: &mut HashMap<Uuid, Kenmerken>,
    changed: &mut HashMap<Uuid, Kenmerken>,
    urls: &Urls,
    event: &RecordedEvent,
) -> Result<Option<Notification>, ProjectionError> {
    let Some(uuid) = stream_uuid(&event.stream) else {
        return Ok(None);
    };
    let decoded = InternetaakEvent::decode(
        &event.event_type,
        event.schema_version,
        event.payload.clone(),
    )?;
    let mut remember = |a: &InternetaakAttributes| {
        known.insert(uuid, kenmerken(a, urls));
        changed.insert(uuid, kenmerken(a, urls));
    };
    let actie = match Internetaak::applied(&decoded) {
        Applied::Created(e) => {
            remember(&e.attributes);
            "create"
        }
        Applied::Updated(e) => {
            remember(&e.attributes);
            if e.partial {
                "partial_update"
            } else {
                "update"
            }
        }
        Applied::Deleted => "destroy",
    };
    let url = urls.klantinteracties_object(INTERNETAKEN, uuid);
    Ok(Some(notifier::notification(
        event,
        KANAAL,
        url.clone(),
        ("internetaak", url, actie),
        known.get(&uuid).cloned().unwrap_or_default(),
    )))
}
