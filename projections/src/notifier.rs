//! Publishes every event to NATS JetStream, at least once, with `Nats-Msg-Id` = event id so
//! JetStream drops the duplicates a replay sends:
//! - the ZGW notification on `zgw.{tenant}.{kanaal}.{resource}.{actie}` (kenmerken also as
//!   headers), for events that are ZGW notifications;
//! - the full envelope on `events.{tenant}.{aggregate}.{type}`, for every event.
//!
//! It is a projection like the others: its checkpoint only moves once JetStream acked the
//! batch, so a NATS outage delays notifications but never blocks writes or loses any. After
//! any NATS failure the streams are looked up (and created) again before the next attempt,
//! so a NATS that comes back without them (a new node, a lost volume) gets them back.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_nats::jetstream::{self, message::PublishMessage as Publish, stream};
use async_trait::async_trait;
use event_schemas::applicatie::ApplicatieEvent;
use event_schemas::besluit::BesluitEvent;
use event_schemas::catalogus::CatalogusObjectEvent;
use event_schemas::document::DocumentEvent;
use event_schemas::klantinteracties::klantcontact::KlantcontactEvent;
use event_schemas::klantinteracties::overig::InternetaakEvent;
use event_schemas::klantinteracties::partij::PartijEvent;
use event_schemas::notificaties::NotificatieEvent;
use event_schemas::zaak::ZaakEvent;
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use serde_json::{json, Value};
use sqlx::postgres::PgConnection;
use tracing::Instrument;
use uuid::Uuid;

mod kanalen;

use kanalen::{besluit_notification, zaak_notification};

use crate::render::Urls;
use crate::trace;
use crate::zaken::stream_uuid;
use crate::{Projection, ProjectionError};

pub const NAME: &str = "notifier";
/// The kenmerken of zaken, besluiten, documents and partijen as the notifier last saw them.
const KENMERKEN: &str = "notifier_zaken";
const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);
/// Messages JetStream acked, by kind: `notification` (ZGW, on `zgw.>`) or `event` (the
/// envelope, on `events.>`).
pub const PUBLISHED: &str = "zaakstroom_notifier_published_total";
/// Batches that failed on NATS (each is tried again, from the checkpoint).
pub const FAILURES: &str = "zaakstroom_notifier_failures_total";

pub struct Notifier {
    js: jetstream::Context,
    urls: Urls,
    /// The streams were there after the last NATS failure (or at start): checked again
    /// after every failure.
    streams_ready: AtomicBool,
}

/// A ZGW notification and where it goes.
pub struct Notification {
    pub subject: String,
    pub body: Value,
    pub kenmerken: serde_json::Map<String, Value>,
}

impl Notifier {
    pub fn new(client: async_nats::Client, urls: Urls) -> Self {
        let mut js = jetstream::new(client);
        js.set_timeout(Duration::from_secs(5));
        Self {
            js,
            urls,
            streams_ready: AtomicBool::new(false),
        }
    }

    /// Creates the JetStream streams where they are missing: on first use (NATS may be down
    /// at start-up) and after any failure (NATS may have come back without them).
    async fn ensure_streams(&self) -> Result<(), ProjectionError> {
        if self.streams_ready.load(Ordering::Acquire) {
            return Ok(());
        }
        for (name, subject) in [("ZGW", "zgw.>"), ("EVENTS", "events.>")] {
            let config = stream::Config {
                name: name.into(),
                subjects: vec![subject.into()],
                duplicate_window: DUPLICATE_WINDOW,
                ..Default::default()
            };
            self.js.get_or_create_stream(config).await.map_err(nats)?;
        }
        self.streams_ready.store(true, Ordering::Release);
        Ok(())
    }

    /// Publishes the batch and waits for every ack; returns how many ZGW notifications were
    /// among the messages (one envelope per event besides).
    async fn publish_batch(
        &self,
        known: &mut HashMap<Uuid, Kenmerken>,
        changed: &mut HashMap<Uuid, Kenmerken>,
        batch: &[RecordedEvent],
    ) -> Result<u64, ProjectionError> {
        let mut acks = Vec::with_capacity(batch.len() * 2);
        let mut notifications = 0;
        for event in batch {
            let (span, traceparent) = publish_span(event);
            let traced = |msg: Publish| match &traceparent {
                Some(tp) => msg.header(trace::TRACEPARENT, tp.as_str()),
                None => msg,
            };
            let id = event.event_id.to_string();
            if let Some(n) = zgw_notification(known, changed, &self.urls, event)? {
                let mut msg = Publish::build()
                    .payload(serde_json::to_vec(&n.body).unwrap_or_default().into())
                    .message_id(&id);
                for (k, v) in &n.kenmerken {
                    msg = msg.header(k.as_str(), v.as_str().unwrap_or_default());
                }
                let publish = self.publish(n.subject, traced(msg));
                acks.push(publish.instrument(span.clone()).await?);
                notifications += 1;
            }
            let envelope = serde_json::to_vec(&event.envelope()).unwrap_or_default();
            let msg = Publish::build().payload(envelope.into()).message_id(&id);
            let publish = self.publish(envelope_subject(event), traced(msg));
            acks.push(publish.instrument(span).await?);
        }
        for ack in acks {
            ack.await.map_err(nats)?;
        }
        Ok(notifications)
    }

    async fn publish(
        &self,
        subject: String,
        msg: Publish,
    ) -> Result<jetstream::context::PublishAckFuture, ProjectionError> {
        self.js.send_publish(subject, msg).await.map_err(nats)
    }
}

/// The span of one event's messages, in the trace of the request that wrote the event, and
/// the `traceparent` its messages carry (the span's, or the envelope's passed on when
/// OpenTelemetry records nothing).
fn publish_span(event: &RecordedEvent) -> (tracing::Span, Option<String>) {
    let span = tracing::debug_span!(
        "publish",
        otel.name = %format_args!("publish {}", event.event_type),
        otel.kind = "producer",
        messaging.system = "nats",
        event_id = %event.event_id,
        stream = %event.stream,
    );
    let received = event.metadata.traceparent.as_deref();
    trace::set_parent(&span, received, None);
    let traceparent = trace::outgoing(&span, received);
    (span, traceparent)
}

fn nats(e: impl std::fmt::Display) -> ProjectionError {
    ProjectionError::Nats(e.to_string())
}

#[async_trait]
impl Projection for Notifier {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Reads first, publishes and awaits the acks, and writes only then: a write would give
    /// the transaction an id, and an open transaction id holds back every subscriber of the
    /// PostgreSQL log (ADR 0001) for as long as NATS takes to answer.
    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        if let Err(e) = self.ensure_streams().await {
            metrics::counter!(FAILURES).increment(1);
            return Err(e);
        }
        let mut known = load_kenmerken(tx, KENMERKEN, batch).await?;
        let mut changed = HashMap::new();
        let published = self.publish_batch(&mut known, &mut changed, batch).await;
        if let Err(e @ ProjectionError::Nats(_)) = &published {
            // "no stream found for given subject" after NATS lost its streams, or NATS
            // away: the runner tries again, and that attempt checks the streams first.
            tracing::debug!(error = %e, "NATS failed; the streams are checked before the retry");
            self.streams_ready.store(false, Ordering::Release);
            metrics::counter!(FAILURES).increment(1);
        }
        let notifications = published?;
        // Acked (a batch applied again after a failed commit is counted again: JetStream
        // drops those duplicates by id).
        metrics::counter!(PUBLISHED, "kind" => "notification").increment(notifications);
        metrics::counter!(PUBLISHED, "kind" => "event").increment(batch.len() as u64);
        save_kenmerken(tx, KENMERKEN, changed).await
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        sqlx::query("TRUNCATE notifier_zaken")
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}

/// NATS subject tokens cannot hold `.`, `*`, `>` or white space.
fn token(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '.' || c == '*' || c == '>' || c.is_whitespace() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

pub fn envelope_subject(e: &RecordedEvent) -> String {
    format!(
        "events.{}.{}.{}",
        token(&e.metadata.tenant),
        token(e.category()),
        token(&e.event_type)
    )
}

pub(crate) type Kenmerken = serde_json::Map<String, Value>;

/// The ZGW notification for an event, if it is one (`known`/`changed`: the kenmerken of
/// zaken, besluiten and documents, for their parts' notifications).
pub(crate) fn zgw_notification(
    known: &mut HashMap<Uuid, Kenmerken>,
    changed: &mut HashMap<Uuid, Kenmerken>,
    urls: &Urls,
    event: &RecordedEvent,
) -> Result<Option<Notification>, ProjectionError> {
    match event.category() {
        ZaakEvent::CATEGORY => zaak_notification(known, changed, urls, event),
        BesluitEvent::CATEGORY => besluit_notification(known, changed, urls, event),
        DocumentEvent::CATEGORY => {
            crate::documenten::notify::notification(known, changed, urls, event)
        }
        ApplicatieEvent::CATEGORY => applicatie_notification(urls, event),
        CatalogusObjectEvent::CATEGORY => catalogus_object_notification(urls, event),
        NotificatieEvent::CATEGORY => received_notification(event),
        PartijEvent::CATEGORY => crate::partijen::notify::notification(known, changed, urls, event),
        KlantcontactEvent::CATEGORY => {
            crate::klantcontacten::notify::notification(known, changed, urls, event)
        }
        InternetaakEvent::CATEGORY => {
            crate::objecten::notify::notification(known, changed, urls, event)
        }
        _ => Ok(None),
    }
}

/// Kanaal `autorisaties`: the applicatie is its own hoofdObject; no kenmerken.
fn applicatie_notification(
    urls: &Urls,
    event: &RecordedEvent,
) -> Result<Option<Notification>, ProjectionError> {
    let Some(uuid) = stream_uuid(&event.stream) else {
        return Ok(None);
    };
    let decoded = ApplicatieEvent::decode(
        &event.event_type,
        event.schema_version,
        event.payload.clone(),
    )?;
    let actie = match decoded {
        ApplicatieEvent::Registered(_) => "create",
        ApplicatieEvent::Updated(_) => "update",
        ApplicatieEvent::Deleted(_) => "destroy",
    };
    Ok(Some(notification(
        event,
        "autorisaties",
        urls.applicatie(uuid),
        ("applicatie", urls.applicatie(uuid), actie),
        Kenmerken::new(),
    )))
}

/// Kanalen `zaaktypen`, `informatieobjecttypen` and `besluittypen`: the type is its own
/// hoofdObject, kenmerk its catalogus. The other catalogus objects have no kanaal; publishing
/// is announced as an update of the type.
fn catalogus_object_notification(
    urls: &Urls,
    event: &RecordedEvent,
) -> Result<Option<Notification>, ProjectionError> {
    let Some(uuid) = stream_uuid(&event.stream) else {
        return Ok(None);
    };
    let decoded = CatalogusObjectEvent::decode(
        &event.event_type,
        event.schema_version,
        event.payload.clone(),
    )?;
    let catalogus_of = |a: &event_schemas::catalogus::ObjectAttributes| {
        a.get("catalogus").cloned().unwrap_or_default()
    };
    let (kind, catalogus, actie) = match decoded {
        CatalogusObjectEvent::ObjectCreated(e) => (e.kind, catalogus_of(&e.attributes), "create"),
        CatalogusObjectEvent::ObjectUpdated(e) => (
            e.kind,
            catalogus_of(&e.attributes),
            if e.partial {
                "partial_update"
            } else {
                "update"
            },
        ),
        CatalogusObjectEvent::ObjectPublished(e) => (e.kind, e.catalogus.into(), "update"),
        CatalogusObjectEvent::ObjectDeleted(e) => (e.kind, e.catalogus.into(), "destroy"),
    };
    if !kind.is_publishable() {
        return Ok(None);
    }
    let url = urls.catalogus_object(kind, uuid);
    let kenmerken = Kenmerken::from_iter([("catalogus".to_owned(), catalogus)]);
    Ok(Some(notification(
        event,
        kind.collection(),
        url.clone(),
        (kind.as_str(), url, actie),
        kenmerken,
    )))
}

/// A notification an outside publisher posted (`POST /notificaties`): on NATS like ours,
/// and to the abonnementen of its kanaal.
fn received_notification(event: &RecordedEvent) -> Result<Option<Notification>, ProjectionError> {
    let decoded = NotificatieEvent::decode(
        &event.event_type,
        event.schema_version,
        event.payload.clone(),
    )?;
    let NotificatieEvent::Received(n) = decoded else {
        return Ok(None);
    };
    let kenmerken: Kenmerken = n
        .kenmerken
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let mut body = json!({
        "kanaal": n.kanaal,
        "hoofdObject": n.hoofd_object,
        "resource": n.resource,
        "resourceUrl": n.resource_url,
        "actie": n.actie,
        "aanmaakdatum": n.aanmaakdatum,
        "kenmerken": kenmerken,
    });
    if let Some(source) = &n.source {
        body["source"] = json!(source);
    }
    Ok(Some(Notification {
        subject: format!(
            "zgw.{}.{}.{}.{}",
            token(&event.metadata.tenant),
            token(&n.kanaal),
            token(&n.resource),
            token(&n.actie)
        ),
        body,
        kenmerken,
    }))
}

pub(crate) fn notification(
    event: &RecordedEvent,
    kanaal: &str,
    hoofd_object: String,
    (resource, resource_url, actie): (&str, String, &str),
    kenmerken: Kenmerken,
) -> Notification {
    let body = json!({
        "kanaal": kanaal,
        "hoofdObject": hoofd_object,
        "resource": resource,
        "resourceUrl": resource_url,
        "actie": actie,
        "aanmaakdatum": event.occurred_at(),
        "kenmerken": kenmerken,
    });
    Notification {
        subject: format!(
            "zgw.{}.{kanaal}.{resource}.{actie}",
            token(&event.metadata.tenant)
        ),
        body,
        kenmerken,
    }
}

/// The stored kenmerken of the zaken, besluiten and documents the batch touches (all in
/// `table`, by uuid) (a read: no transaction id yet).
pub(crate) async fn load_kenmerken(
    tx: &mut PgConnection,
    table: &str,
    batch: &[RecordedEvent],
) -> Result<HashMap<Uuid, Kenmerken>, ProjectionError> {
    let ids: Vec<Uuid> = batch
        .iter()
        .filter(|e| {
            [
                ZaakEvent::CATEGORY,
                BesluitEvent::CATEGORY,
                DocumentEvent::CATEGORY,
                PartijEvent::CATEGORY,
                KlantcontactEvent::CATEGORY,
            ]
            .contains(&e.category())
        })
        .filter_map(|e| stream_uuid(&e.stream))
        .collect();
    let rows: Vec<(Uuid, Value)> = sqlx::query_as(&format!(
        "SELECT uuid, kenmerken FROM {table} WHERE uuid = ANY($1)"
    ))
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, v)| match v {
            Value::Object(m) => Some((id, m)),
            _ => None,
        })
        .collect())
}

pub(crate) async fn save_kenmerken(
    tx: &mut PgConnection,
    table: &str,
    changed: HashMap<Uuid, Kenmerken>,
) -> Result<(), ProjectionError> {
    if changed.is_empty() {
        return Ok(());
    }
    let (ids, values): (Vec<Uuid>, Vec<Value>) = changed
        .into_iter()
        .map(|(id, k)| (id, Value::Object(k)))
        .unzip();
    sqlx::query(&format!(
        "INSERT INTO {table} (uuid, kenmerken) SELECT * FROM UNNEST($1::uuid[], $2::jsonb[])
         ON CONFLICT (uuid) DO UPDATE SET kenmerken = EXCLUDED.kenmerken"
    ))
    .bind(ids)
    .bind(values)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
