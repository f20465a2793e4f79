//! Notifications on kanaal `klantcontacten`: the klantcontact is the hoofdObject of its own
//! notifications and of its parts', each with the klantcontact's kenmerk `kanaal`
//! (remembered by the notifier for the parts).

use std::collections::HashMap;

use event_schemas::klantinteracties::klantcontact::{KlantcontactAttributes, KlantcontactEvent};
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use uuid::Uuid;

use super::render::{ACTORKLANTCONTACTEN, BETROKKENEN, BIJLAGEN, ONDERWERPOBJECTEN};
use crate::notifier::{self, Kenmerken, Notification};
use crate::partijen::render::DIGITALE_ADRESSEN;
use crate::render::Urls;
use crate::zaken::stream_uuid;
use crate::ProjectionError;

pub const KANAAL: &str = "klantcontacten";

/// The kenmerken every notification of a klantcontact carries (the kanaal's filters).
fn kenmerken(a: &KlantcontactAttributes) -> Kenmerken {
    Kenmerken::from_iter([("kanaal".to_owned(), a.kanaal.clone().into())])
}

pub(crate) fn notification(
    known: &mut HashMap<Uuid, Kenmerken>,
    changed: &mut HashMap<Uuid, Kenmerken>,
    urls: &Urls,
    event: &RecordedEvent,
) -> Result<Option<Notification>, ProjectionError> {
    let Some(klantcontact) = stream_uuid(&event.stream) else {
        return Ok(None);
    };
    let decoded = KlantcontactEvent::decode(
        &event.event_type,
        event.schema_version,
        event.payload.clone(),
    )?;
    use KlantcontactEvent as E;
    let attributes = match &decoded {
        E::KlantcontactCreated(e) => Some(&e.attributes),
        E::KlantcontactUpdated(e) => Some(&e.attributes),
        _ => None,
    };
    if let Some(a) = attributes {
        known.insert(klantcontact, kenmerken(a));
        changed.insert(klantcontact, kenmerken(a));
    }
    let own = ("klantcontact", urls.klantcontact(klantcontact));
    let part =
        |resource, collection, uuid| (resource, urls.klantinteracties_object(collection, uuid));
    let (b, o, bl, a, d) = (
        ("betrokkene", BETROKKENEN),
        ("onderwerpobject", ONDERWERPOBJECTEN),
        ("bijlage", BIJLAGEN),
        ("actorklantcontact", ACTORKLANTCONTACTEN),
        ("digitaaladres", DIGITALE_ADRESSEN),
    );
    let ((resource, url), actie) = match &decoded {
        E::KlantcontactCreated(_) => (own, "create"),
        E::KlantcontactUpdated(e) if e.partial => (own, "partial_update"),
        E::KlantcontactUpdated(_) => (own, "update"),
        E::KlantcontactDeleted(_) => (own, "destroy"),
        E::BetrokkeneAdded(e) => (part(b.0, b.1, e.uuid), "create"),
        E::BetrokkeneUpdated(e) => (part(b.0, b.1, e.uuid), "update"),
        E::BetrokkeneRemoved(e) => (part(b.0, b.1, e.uuid), "destroy"),
        E::OnderwerpobjectAdded(e) => (part(o.0, o.1, e.uuid), "create"),
        E::OnderwerpobjectUpdated(e) => (part(o.0, o.1, e.uuid), "update"),
        E::OnderwerpobjectRemoved(e) => (part(o.0, o.1, e.uuid), "destroy"),
        E::BijlageAdded(e) => (part(bl.0, bl.1, e.uuid), "create"),
        E::BijlageUpdated(e) => (part(bl.0, bl.1, e.uuid), "update"),
        E::BijlageRemoved(e) => (part(bl.0, bl.1, e.uuid), "destroy"),
        E::ActorKlantcontactAdded(e) => (part(a.0, a.1, e.uuid), "create"),
        E::ActorKlantcontactUpdated(e) => (part(a.0, a.1, e.uuid), "update"),
        E::ActorKlantcontactRemoved(e) => (part(a.0, a.1, e.uuid), "destroy"),
        E::DigitaalAdresAdded(e) => (part(d.0, d.1, e.uuid), "create"),
        E::DigitaalAdresUpdated(e) => (part(d.0, d.1, e.uuid), "update"),
        E::DigitaalAdresRemoved(e) => (part(d.0, d.1, e.uuid), "destroy"),
    };
    Ok(Some(notifier::notification(
        event,
        KANAAL,
        urls.klantcontact(klantcontact),
        (resource, url, actie),
        known.get(&klantcontact).cloned().unwrap_or_default(),
    )))
}
