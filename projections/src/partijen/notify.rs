//! Notifications on kanaal `partijen`: the partij is the hoofdObject of its own
//! notifications and of its identificatoren's, digitale adressen's and rekeningnummers',
//! each with the partij's kenmerk `soortPartij` (remembered by the notifier for the parts).

use std::collections::HashMap;

use event_schemas::klantinteracties::partij::{PartijAttributes, PartijEvent, PartijIdentificatie};
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use uuid::Uuid;

use super::render::{DIGITALE_ADRESSEN, IDENTIFICATOREN, REKENINGNUMMERS, VERTEGENWOORDIGINGEN};
use crate::notifier::{self, Kenmerken, Notification};
use crate::render::Urls;
use crate::zaken::stream_uuid;
use crate::ProjectionError;

pub const KANAAL: &str = "partijen";
/// The resource name of a vertegenwoordiging.
const V: &str = "vertegenwoordiging";

/// The kenmerken every notification of a partij carries (the kanaal's filters).
fn kenmerken(a: &PartijAttributes) -> Kenmerken {
    let soort = match a.partij_identificatie {
        PartijIdentificatie::Persoon { .. } => "persoon",
        PartijIdentificatie::Organisatie { .. } => "organisatie",
        PartijIdentificatie::Contactpersoon { .. } => "contactpersoon",
    };
    Kenmerken::from_iter([("soortPartij".to_owned(), soort.into())])
}

pub(crate) fn notification(
    known: &mut HashMap<Uuid, Kenmerken>,
    changed: &mut HashMap<Uuid, Kenmerken>,
    urls: &Urls,
    event: &RecordedEvent,
) -> Result<Option<Notification>, ProjectionError> {
    let Some(partij) = stream_uuid(&event.stream) else {
        return Ok(None);
    };
    let decoded = PartijEvent::decode(
        &event.event_type,
        event.schema_version,
        event.payload.clone(),
    )?;
    use PartijEvent as E;
    let attributes = match &decoded {
        E::PartijCreated(e) => Some(&e.attributes),
        E::PartijUpdated(e) => Some(&e.attributes),
        _ => None,
    };
    if let Some(a) = attributes {
        known.insert(partij, kenmerken(a));
        changed.insert(partij, kenmerken(a));
    }
    let part =
        |resource, collection, uuid| (resource, urls.klantinteracties_object(collection, uuid));
    let ((resource, url), actie) = match &decoded {
        E::PartijCreated(_) => (("partij", urls.partij(partij)), "create"),
        E::PartijUpdated(e) if e.partial => (("partij", urls.partij(partij)), "partial_update"),
        E::PartijUpdated(_) => (("partij", urls.partij(partij)), "update"),
        E::PartijDeleted(_) => (("partij", urls.partij(partij)), "destroy"),
        E::PartijIdentificatorAdded(e) => (
            part("partijidentificator", IDENTIFICATOREN, e.uuid),
            "create",
        ),
        E::PartijIdentificatorUpdated(e) => (
            part("partijidentificator", IDENTIFICATOREN, e.uuid),
            "update",
        ),
        E::PartijIdentificatorRemoved(e) => (
            part("partijidentificator", IDENTIFICATOREN, e.uuid),
            "destroy",
        ),
        E::DigitaalAdresAdded(e) => (part("digitaaladres", DIGITALE_ADRESSEN, e.uuid), "create"),
        E::DigitaalAdresUpdated(e) => (part("digitaaladres", DIGITALE_ADRESSEN, e.uuid), "update"),
        E::DigitaalAdresRemoved(e) => (part("digitaaladres", DIGITALE_ADRESSEN, e.uuid), "destroy"),
        E::RekeningnummerAdded(e) => (part("rekeningnummer", REKENINGNUMMERS, e.uuid), "create"),
        E::RekeningnummerUpdated(e) => (part("rekeningnummer", REKENINGNUMMERS, e.uuid), "update"),
        E::RekeningnummerRemoved(e) => (part("rekeningnummer", REKENINGNUMMERS, e.uuid), "destroy"),
        E::VertegenwoordigingAdded(e) => (part(V, VERTEGENWOORDIGINGEN, e.uuid), "create"),
        E::VertegenwoordigingRemoved(e) => (part(V, VERTEGENWOORDIGINGEN, e.uuid), "destroy"),
    };
    Ok(Some(notifier::notification(
        event,
        KANAAL,
        urls.partij(partij),
        (resource, url, actie),
        known.get(&partij).cloned().unwrap_or_default(),
    )))
}
