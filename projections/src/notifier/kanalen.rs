//! The notifications of the kanalen `zaken` and `besluiten`, whose kenmerken are kept per
//! aggregate (`known`, `changed`) because their parts' events do not carry them.

use std::collections::HashMap;

use event_schemas::besluit::BesluitEvent;
use event_schemas::zaak::ZaakEvent;
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use uuid::Uuid;

use super::{notification, Kenmerken, Notification};
use crate::render::Urls;
use crate::zaken::stream_uuid;
use crate::ProjectionError;

/// Kanaal `zaken`; keeps `known` (the kenmerken of each zaak, for notifications about its
/// parts) and `changed` up to date.
pub(super) fn zaak_notification(
    known: &mut HashMap<Uuid, Kenmerken>,
    changed: &mut HashMap<Uuid, Kenmerken>,
    urls: &Urls,
    event: &RecordedEvent,
) -> Result<Option<Notification>, ProjectionError> {
    let Some(zaak) = stream_uuid(&event.stream) else {
        return Ok(None);
    };
    let decoded = ZaakEvent::decode(
        &event.event_type,
        event.schema_version,
        event.payload.clone(),
    )?;
    let mut remember = |k: Kenmerken| {
        known.insert(zaak, k.clone());
        changed.insert(zaak, k);
    };
    let (resource, resource_url, actie) = match &decoded {
        ZaakEvent::ZaakCreated(e) => {
            remember(zaak_kenmerken(&e.attributes));
            ("zaak", urls.zaak(zaak), "create")
        }
        ZaakEvent::ZaakUpdated(e) => {
            remember(zaak_kenmerken(&e.attributes));
            let actie = if e.partial {
                "partial_update"
            } else {
                "update"
            };
            ("zaak", urls.zaak(zaak), actie)
        }
        ZaakEvent::StatusAdded(e) => ("status", urls.status(e.uuid), "create"),
        ZaakEvent::PartAdded(e) => (e.kind.as_str(), urls.part(e.kind, zaak, e.uuid), "create"),
        ZaakEvent::PartUpdated(e) => (
            e.kind.as_str(),
            urls.part(e.kind, zaak, e.uuid),
            if e.partial {
                "partial_update"
            } else {
                "update"
            },
        ),
        ZaakEvent::PartRemoved(e) => (e.kind.as_str(), urls.part(e.kind, zaak, e.uuid), "destroy"),
        ZaakEvent::ZaakDeleted(_) => ("zaak", urls.zaak(zaak), "destroy"),
        // Consequences of a status, announced by the status itself.
        ZaakEvent::ZaakClosed(_) | ZaakEvent::ZaakReopened(_) => return Ok(None),
    };
    let kenmerken = known.get(&zaak).cloned().unwrap_or_default();
    Ok(Some(notification(
        event,
        "zaken",
        urls.zaak(zaak),
        (resource, resource_url, actie),
        kenmerken,
    )))
}

/// Kanaal `besluiten`: the besluit is the hoofdObject of itself and of its
/// besluitinformatieobjecten; kenmerken verantwoordelijkeOrganisatie and besluittype (kept
/// in `known`/`changed` like a zaak's).
pub(super) fn besluit_notification(
    known: &mut HashMap<Uuid, Kenmerken>,
    changed: &mut HashMap<Uuid, Kenmerken>,
    urls: &Urls,
    event: &RecordedEvent,
) -> Result<Option<Notification>, ProjectionError> {
    let Some(besluit) = stream_uuid(&event.stream) else {
        return Ok(None);
    };
    let decoded = BesluitEvent::decode(
        &event.event_type,
        event.schema_version,
        event.payload.clone(),
    )?;
    let attributes = match &decoded {
        BesluitEvent::BesluitCreated(e) => Some(&e.attributes),
        BesluitEvent::BesluitUpdated(e) => Some(&e.attributes),
        _ => None,
    };
    if let Some(a) = attributes {
        let k = Kenmerken::from_iter([
            (
                "verantwoordelijkeOrganisatie".to_owned(),
                a.verantwoordelijke_organisatie.clone().into(),
            ),
            ("besluittype".to_owned(), a.besluittype.clone().into()),
        ]);
        known.insert(besluit, k.clone());
        changed.insert(besluit, k);
    }
    let url = urls.besluit(besluit);
    let (resource, resource_url, actie) = match &decoded {
        BesluitEvent::BesluitCreated(_) => ("besluit", url.clone(), "create"),
        BesluitEvent::BesluitUpdated(e) => (
            "besluit",
            url.clone(),
            if e.partial {
                "partial_update"
            } else {
                "update"
            },
        ),
        BesluitEvent::BesluitDeleted(_) => ("besluit", url.clone(), "destroy"),
        BesluitEvent::BesluitinformatieobjectAdded(e) => (
            "besluitinformatieobject",
            urls.besluitinformatieobject(e.uuid),
            "create",
        ),
        BesluitEvent::BesluitinformatieobjectRemoved(e) => (
            "besluitinformatieobject",
            urls.besluitinformatieobject(e.uuid),
            "destroy",
        ),
    };
    let kenmerken = known.get(&besluit).cloned().unwrap_or_default();
    Ok(Some(notification(
        event,
        "besluiten",
        url,
        (resource, resource_url, actie),
        kenmerken,
    )))
}

fn zaak_kenmerken(a: &event_schemas::zaak::ZaakAttributes) -> Kenmerken {
    let mut m = serde_json::Map::new();
    m.insert("bronorganisatie".into(), a.bronorganisatie.clone().into());
    m.insert("zaaktype".into(), a.zaaktype.clone().into());
    m.insert(
        "vertrouwelijkheidaanduiding".into(),
        a.vertrouwelijkheidaanduiding.as_str().into(),
    );
    m
}
