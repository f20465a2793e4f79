//! The ZGW audit trail: one AuditTrail entry per event, with the resource as it was before
//! (`oud`) and after (`nieuw`), who did it (from the envelope's actor) and when. Entries are
//! written by the projection that folds the aggregate, since it holds both states, in the
//! same transaction as its read model; the event id makes writing them idempotent.

use domain::besluit::Besluit;
use domain::informatieobject::Document;
use domain::klantinteracties::klantcontact::Klantcontact;
use domain::klantinteracties::partij::Partij;
use domain::zaak::Zaak;
use event_schemas::besluit::BesluitEvent;
use event_schemas::document::{DocumentEvent, DocumentPartKind};
use event_schemas::klantinteracties::klantcontact::KlantcontactEvent;
use event_schemas::klantinteracties::partij::PartijEvent;
use event_schemas::zaak::{PartKind, ZaakEvent};
use event_store::RecordedEvent;
use serde_json::{json, Map, Value};
use sqlx::postgres::PgConnection;
use uuid::Uuid;

use crate::documenten;
use crate::render::{self, Urls};
use crate::ProjectionError;

pub struct Entry {
    uuid: Uuid,
    bron: &'static str,
    hoofd_object: Uuid,
    resource: Value,
}

/// What an event did to which resource, and the resource before and after.
pub(crate) struct Change {
    pub actie: &'static str,
    pub resource: &'static str,
    pub url: String,
    pub weergave: String,
    pub oud: Option<Value>,
    pub nieuw: Option<Value>,
}

fn actie(partial: bool) -> &'static str {
    if partial {
        "partial_update"
    } else {
        "update"
    }
}

/// The audit entry of a zaak event; `None` for events that only follow another (a zaak
/// closed or reopened by its status).
pub fn zaak_entry(
    e: &RecordedEvent,
    event: &ZaakEvent,
    before: Option<&Zaak>,
    after: Option<&Zaak>,
    urls: &Urls,
) -> Option<Entry> {
    let zaak = after.or(before)?;
    let zaak_resource = |z: Option<&Zaak>| z.map(|z| render::zaak(z, urls));
    let part = |z: Option<&Zaak>, uuid: Uuid| {
        z.and_then(|z| z.parts.get(&uuid).map(|p| render::part(z, uuid, p, urls)))
    };
    let weergave = zaak.attributes.identificatie.clone();
    let change = match event {
        ZaakEvent::ZaakCreated(_) | ZaakEvent::ZaakUpdated(_) | ZaakEvent::ZaakDeleted(_) => {
            Change {
                actie: match event {
                    ZaakEvent::ZaakCreated(_) => "create",
                    ZaakEvent::ZaakUpdated(u) => actie(u.partial),
                    _ => "destroy",
                },
                resource: "zaak",
                url: urls.zaak(zaak.uuid),
                weergave,
                oud: zaak_resource(before),
                nieuw: zaak_resource(after),
            }
        }
        ZaakEvent::StatusAdded(s) => Change {
            actie: "create",
            resource: "status",
            url: urls.status(s.uuid),
            weergave: s.statustype.clone(),
            oud: None,
            nieuw: after.and_then(|z| {
                let status = z.statussen.iter().find(|x| x.uuid == s.uuid)?;
                Some(render::status(z, status, urls))
            }),
        },
        ZaakEvent::PartAdded(p) => part_change(
            "create",
            p.kind,
            p.uuid,
            zaak,
            urls,
            None,
            part(after, p.uuid),
        ),
        ZaakEvent::PartUpdated(p) => part_change(
            actie(p.partial),
            p.kind,
            p.uuid,
            zaak,
            urls,
            part(before, p.uuid),
            part(after, p.uuid),
        ),
        ZaakEvent::PartRemoved(p) => part_change(
            "destroy",
            p.kind,
            p.uuid,
            zaak,
            urls,
            part(before, p.uuid),
            None,
        ),
        ZaakEvent::ZaakClosed(_) | ZaakEvent::ZaakReopened(_) => return None,
    };
    Some(entry(e, "zrc", zaak.uuid, urls.zaak(zaak.uuid), change))
}

/// The audit entry of a document event (bron `drc`); lock, unlock and bestandsdeel
/// uploads are not resource writes of the standard and have none.
pub fn document_entry(
    e: &RecordedEvent,
    event: &DocumentEvent,
    before: Option<&Document>,
    after: Option<&Document>,
    urls: &Urls,
) -> Option<Entry> {
    let doc = after.or(before)?;
    let latest =
        |d: Option<&Document>| d.map(|d| documenten::render::document(d, d.latest(), urls));
    let part = |d: Option<&Document>, uuid: Uuid| {
        d.and_then(|d| {
            let p = d.parts.get(&uuid)?;
            Some(documenten::render::part(d, uuid, p, urls))
        })
    };
    let part_change = |actie, kind: DocumentPartKind, uuid, oud, nieuw| Change {
        actie,
        resource: kind.as_str(),
        url: urls.document_part(kind, uuid),
        weergave: format!("{} {uuid}", kind.as_str()),
        oud,
        nieuw,
    };
    let change = match event {
        DocumentEvent::DocumentCreated(_)
        | DocumentEvent::DocumentUpdated(_)
        | DocumentEvent::DocumentDeleted(_) => Change {
            actie: match event {
                DocumentEvent::DocumentCreated(_) => "create",
                DocumentEvent::DocumentUpdated(u) => actie(u.partial),
                _ => "destroy",
            },
            resource: "enkelvoudiginformatieobject",
            url: urls.document(doc.uuid),
            weergave: doc.latest().attributes.identificatie.clone(),
            oud: latest(before),
            nieuw: latest(after),
        },
        DocumentEvent::PartAdded(p) => {
            part_change("create", p.kind, p.uuid, None, part(after, p.uuid))
        }
        DocumentEvent::PartUpdated(p) => part_change(
            actie(p.partial),
            p.kind,
            p.uuid,
            part(before, p.uuid),
            part(after, p.uuid),
        ),
        DocumentEvent::PartRemoved(p) => {
            part_change("destroy", p.kind, p.uuid, part(before, p.uuid), None)
        }
        DocumentEvent::Locked(_)
        | DocumentEvent::Unlocked(_)
        | DocumentEvent::BestandsdeelUploaded(_) => return None,
    };
    Some(entry(e, "drc", doc.uuid, urls.document(doc.uuid), change))
}

/// The audit entry (bron `brc`) of a besluit event: the besluit or one of its
/// besluitinformatieobjecten, the besluit its hoofdObject.
pub fn besluit_entry(
    e: &RecordedEvent,
    event: &BesluitEvent,
    before: Option<&Besluit>,
    after: Option<&Besluit>,
    urls: &Urls,
) -> Option<Entry> {
    let besluit = after.or(before)?;
    let resource = |b: Option<&Besluit>| b.map(|b| render::besluit(b, urls));
    let bio =
        |b: Option<&Besluit>, uuid| b.and_then(|b| render::besluitinformatieobject(b, uuid, urls));
    let bio_change = |actie, uuid, oud, nieuw| Change {
        actie,
        resource: "besluitinformatieobject",
        url: urls.besluitinformatieobject(uuid),
        weergave: format!("besluitinformatieobject {uuid}"),
        oud,
        nieuw,
    };
    let change = match event {
        BesluitEvent::BesluitCreated(_)
        | BesluitEvent::BesluitUpdated(_)
        | BesluitEvent::BesluitDeleted(_) => Change {
            actie: match event {
                BesluitEvent::BesluitCreated(_) => "create",
                BesluitEvent::BesluitUpdated(u) => actie(u.partial),
                _ => "destroy",
            },
            resource: "besluit",
            url: urls.besluit(besluit.uuid),
            weergave: besluit.attributes.identificatie.clone(),
            oud: resource(before),
            nieuw: resource(after),
        },
        BesluitEvent::BesluitinformatieobjectAdded(a) => {
            bio_change("create", a.uuid, None, bio(after, a.uuid))
        }
        BesluitEvent::BesluitinformatieobjectRemoved(r) => {
            bio_change("destroy", r.uuid, bio(before, r.uuid), None)
        }
    };
    let hoofd = urls.besluit(besluit.uuid);
    Some(entry(e, "brc", besluit.uuid, hoofd, change))
}

/// The audit entry of a partij event (bron `kic`): the partij or the part it concerns,
/// with the partij as hoofdObject.
pub fn partij_entry(
    e: &RecordedEvent,
    event: &PartijEvent,
    before: Option<&Partij>,
    after: Option<&Partij>,
    urls: &Urls,
) -> Option<Entry> {
    use crate::partijen::render as r;
    use PartijEvent as E;
    type Render = fn(&Partij, Uuid, &Urls) -> Option<Value>;
    let partij = after.or(before)?;
    // A part's change: its resource (name, collection, renderer) before and after.
    let part = |actie: &'static str,
                (resource, collection, render): (&'static str, &str, Render),
                uuid: Uuid| {
        let at = |p: Option<&Partij>| p.and_then(|p| render(p, uuid, urls));
        let oud = if actie == "create" { None } else { at(before) };
        let nieuw = if actie == "destroy" { None } else { at(after) };
        Change {
            actie,
            resource,
            url: urls.klantinteracties_object(collection, uuid),
            weergave: format!("{resource} {uuid}"),
            oud,
            nieuw,
        }
    };
    let identificator: (_, _, Render) =
        ("partijidentificator", r::IDENTIFICATOREN, r::identificator);
    let adres: (_, _, Render) = ("digitaaladres", r::DIGITALE_ADRESSEN, r::digitaal_adres);
    let nummer: (_, _, Render) = ("rekeningnummer", r::REKENINGNUMMERS, r::rekeningnummer);
    let vertegenwoordiging: (_, _, Render) = (
        "vertegenwoordiging",
        r::VERTEGENWOORDIGINGEN,
        r::vertegenwoordiging,
    );
    let change = match event {
        E::PartijIdentificatorAdded(a) => part("create", identificator, a.uuid),
        E::PartijIdentificatorUpdated(a) => part("update", identificator, a.uuid),
        E::PartijIdentificatorRemoved(a) => part("destroy", identificator, a.uuid),
        E::DigitaalAdresAdded(a) => part("create", adres, a.uuid),
        E::DigitaalAdresUpdated(a) => part("update", adres, a.uuid),
        E::DigitaalAdresRemoved(a) => part("destroy", adres, a.uuid),
        E::RekeningnummerAdded(a) => part("create", nummer, a.uuid),
        E::RekeningnummerUpdated(a) => part("update", nummer, a.uuid),
        E::RekeningnummerRemoved(a) => part("destroy", nummer, a.uuid),
        E::VertegenwoordigingAdded(a) => part("create", vertegenwoordiging, a.uuid),
        E::VertegenwoordigingRemoved(a) => part("destroy", vertegenwoordiging, a.uuid),
        E::PartijCreated(_) | E::PartijUpdated(_) | E::PartijDeleted(_) => Change {
            actie: match event {
                E::PartijCreated(_) => "create",
                E::PartijUpdated(u) => actie(u.partial),
                _ => "destroy",
            },
            resource: "partij",
            url: urls.partij(partij.uuid),
            weergave: format!("partij {}", partij.uuid),
            oud: before.map(|p| r::partij(p, urls)),
            nieuw: after.map(|p| r::partij(p, urls)),
        },
    };
    let hoofd = urls.partij(partij.uuid);
    Some(entry(e, crate::partijen::BRON, partij.uuid, hoofd, change))
}

/// The audit entry of a klantcontact event (bron `kic`): the klantcontact or the part it
/// concerns, with the klantcontact as hoofdObject.
pub fn klantcontact_entry(
    e: &RecordedEvent,
    event: &KlantcontactEvent,
    before: Option<&Klantcontact>,
    after: Option<&Klantcontact>,
    urls: &Urls,
) -> Option<Entry> {
    use crate::klantcontacten::render as r;
    use KlantcontactEvent as E;
    let k = after.or(before)?;
    let part = |actie: &'static str, resource: &'static str, collection: &str, uuid: Uuid| {
        let at = |k: Option<&Klantcontact>| k.and_then(|k| r::part(k, resource, uuid, urls));
        Change {
            actie,
            resource,
            url: urls.klantinteracties_object(collection, uuid),
            weergave: format!("{resource} {uuid}"),
            oud: if actie == "create" { None } else { at(before) },
            nieuw: if actie == "destroy" { None } else { at(after) },
        }
    };
    let (b, o, bl, a, d) = (
        ("betrokkene", r::BETROKKENEN),
        ("onderwerpobject", r::ONDERWERPOBJECTEN),
        ("bijlage", r::BIJLAGEN),
        ("actorklantcontact", r::ACTORKLANTCONTACTEN),
        ("digitaaladres", crate::partijen::render::DIGITALE_ADRESSEN),
    );
    let change = match event {
        E::BetrokkeneAdded(x) => part("create", b.0, b.1, x.uuid),
        E::BetrokkeneUpdated(x) => part("update", b.0, b.1, x.uuid),
        E::BetrokkeneRemoved(x) => part("destroy", b.0, b.1, x.uuid),
        E::OnderwerpobjectAdded(x) => part("create", o.0, o.1, x.uuid),
        E::OnderwerpobjectUpdated(x) => part("update", o.0, o.1, x.uuid),
        E::OnderwerpobjectRemoved(x) => part("destroy", o.0, o.1, x.uuid),
        E::BijlageAdded(x) => part("create", bl.0, bl.1, x.uuid),
        E::BijlageUpdated(x) => part("update", bl.0, bl.1, x.uuid),
        E::BijlageRemoved(x) => part("destroy", bl.0, bl.1, x.uuid),
        E::ActorKlantcontactAdded(x) => part("create", a.0, a.1, x.uuid),
        E::ActorKlantcontactUpdated(x) => part("update", a.0, a.1, x.uuid),
        E::ActorKlantcontactRemoved(x) => part("destroy", a.0, a.1, x.uuid),
        E::DigitaalAdresAdded(x) => part("create", d.0, d.1, x.uuid),
        E::DigitaalAdresUpdated(x) => part("update", d.0, d.1, x.uuid),
        E::DigitaalAdresRemoved(x) => part("destroy", d.0, d.1, x.uuid),
        E::KlantcontactCreated(_) | E::KlantcontactUpdated(_) | E::KlantcontactDeleted(_) => {
            Change {
                actie: match event {
                    E::KlantcontactCreated(_) => "create",
                    E::KlantcontactUpdated(u) => actie(u.partial),
                    _ => "destroy",
                },
                resource: "klantcontact",
                url: urls.klantcontact(k.uuid),
                weergave: format!("klantcontact {}", k.uuid),
                oud: before.map(|k| r::klantcontact(k, urls)),
                nieuw: after.map(|k| r::klantcontact(k, urls)),
            }
        }
    };
    let hoofd = urls.klantcontact(k.uuid);
    Some(entry(e, crate::partijen::BRON, k.uuid, hoofd, change))
}

fn part_change(
    actie: &'static str,
    kind: PartKind,
    uuid: Uuid,
    zaak: &Zaak,
    urls: &Urls,
    oud: Option<Value>,
    nieuw: Option<Value>,
) -> Change {
    Change {
        actie,
        resource: kind.as_str(),
        url: urls.part(kind, zaak.uuid, uuid),
        weergave: format!("{} {uuid}", kind.as_str()),
        oud,
        nieuw,
    }
}

pub(crate) fn entry(
    e: &RecordedEvent,
    bron: &'static str,
    hoofd_object: Uuid,
    hoofd_url: String,
    c: Change,
) -> Entry {
    let (resultaat, weergave) = match c.actie {
        "create" => (201, "Object aangemaakt"),
        "update" => (200, "Object bijgewerkt"),
        "partial_update" => (200, "Object deels bijgewerkt"),
        _ => (204, "Object verwijderd"),
    };
    let mut wijzigingen = Map::new();
    if let Some(oud) = c.oud {
        wijzigingen.insert("oud".into(), oud);
    }
    if let Some(nieuw) = c.nieuw {
        wijzigingen.insert("nieuw".into(), nieuw);
    }
    let actor = &e.metadata.actor;
    let resource = json!({
        "uuid": e.event_id,
        "bron": bron,
        "applicatieId": actor.client_id,
        "applicatieWeergave": actor.applicatie_weergave,
        "gebruikersId": actor.user_id,
        "gebruikersWeergave": actor.user_representation,
        "actie": c.actie,
        "actieWeergave": weergave,
        "resultaat": resultaat,
        "hoofdObject": hoofd_url,
        "resource": c.resource,
        "resourceUrl": c.url,
        "toelichting": e.metadata.toelichting,
        "resourceWeergave": c.weergave.chars().take(200).collect::<String>(),
        "aanmaakdatum": e.occurred_at(),
        "wijzigingen": wijzigingen,
    });
    Entry {
        uuid: e.event_id,
        bron,
        hoofd_object,
        resource,
    }
}

pub async fn save(tx: &mut PgConnection, entries: Vec<Entry>) -> Result<(), ProjectionError> {
    if entries.is_empty() {
        return Ok(());
    }
    let (mut ids, mut bronnen, mut objects, mut resources) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for e in entries {
        ids.push(e.uuid);
        bronnen.push(e.bron);
        objects.push(e.hoofd_object);
        resources.push(e.resource.to_string());
    }
    sqlx::query(
        "INSERT INTO audit_trail (uuid, bron, hoofd_object, resource)
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::uuid[], $4::text[]::json[])
         ON CONFLICT (uuid) DO NOTHING",
    )
    .bind(ids)
    .bind(bronnen)
    .bind(objects)
    .bind(resources)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Forgets the entries of one component whose hoofdObject is in `collection` (a segment
/// of its URL), for a rebuild of one of the component's projections.
pub async fn reset_collection(
    tx: &mut PgConnection,
    bron: &str,
    collection: &str,
) -> Result<(), ProjectionError> {
    sqlx::query("DELETE FROM audit_trail WHERE bron = $1 AND resource->>'hoofdObject' LIKE $2")
        .bind(bron)
        .bind(format!("%/{collection}/%"))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Forgets the entries of one component, for a rebuild of its projection.
pub async fn reset(tx: &mut PgConnection, bron: &str) -> Result<(), ProjectionError> {
    sqlx::query("DELETE FROM audit_trail WHERE bron = $1")
        .bind(bron)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
