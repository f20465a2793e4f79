//! The Notificaties API from the event log: the kanalen and abonnementen read models, and
//! the delivery queue. For every event that is a notification (ours, or one an outside
//! publisher posted) this projection writes one delivery per abonnement that wants it, in
//! the same transaction as its checkpoint: nothing is enqueued twice or lost, and which
//! abonnementen get a notification is decided by the abonnementen as they were at that
//! point of the log. Delivery itself (`deliver`) reads the queue, never the request path.
//!
//! The queue and its attempts (`nrc_deliveries`, `nrc_attempts`) are a log, not a read
//! model: a rebuild keeps them, and a replay adds nothing (a delivery's id is derived from
//! the event and the abonnement).

pub mod deliver;
pub mod log;

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::notificaties::{
    wants, wants_cloudevent, Abonnement, AbonnementAggregate, Kanaal, KanaalAggregate,
};
use domain::Aggregate;
use event_schemas::notificaties::{AbonnementEvent, KanaalEvent, NotificatieEvent};
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use serde_json::{json, Value};
use sqlx::postgres::PgConnection;
use sqlx::Row;
use uuid::Uuid;

use crate::notifier::{load_kenmerken, save_kenmerken, zgw_notification, Kenmerken};
use crate::render::{self, Urls};
use crate::zaken::stream_uuid;
use crate::{Projection, ProjectionError};

pub const NAME: &str = "notificaties";
/// The PostgreSQL channel a commit with new deliveries notifies (`deliver` listens).
pub const CHANNEL: &str = "nrc_deliveries";
const KENMERKEN: &str = "nrc_kenmerken";

pub struct NotificatiesProjection {
    urls: Urls,
}

impl NotificatiesProjection {
    pub fn new(urls: Urls) -> Self {
        Self { urls }
    }
}

/// One notification to one abonnement.
struct Delivery {
    id: Uuid,
    abonnement: Uuid,
    notification: Uuid,
    kanaal: String,
    hoofd_object: String,
    cloudevent: bool,
    body: Value,
    occurred_at: DateTime<Utc>,
    /// The event's `traceparent`: its delivery joins the request's trace.
    traceparent: Option<String>,
}

fn is_own(event: &RecordedEvent) -> bool {
    [KanaalEvent::CATEGORY, AbonnementEvent::CATEGORY].contains(&event.category())
}

#[async_trait]
impl Projection for NotificatiesProjection {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Every event may be a notification; claims never are.
    fn handles(&self, event: &RecordedEvent) -> bool {
        event.category() != event_schemas::claim::ClaimEvent::CATEGORY
    }

    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let mut known = load_kenmerken(tx, KENMERKEN, batch).await?;
        let mut changed = HashMap::new();
        let mut abonnementen = load_abonnementen(tx).await?;
        let mut kanalen: HashMap<Uuid, (Option<Kanaal>, i64)> = HashMap::new();
        let mut touched: HashMap<Uuid, i64> = HashMap::new();
        let mut deliveries = Vec::new();
        for event in batch {
            if is_own(event) {
                let Some(uuid) = stream_uuid(&event.stream) else {
                    continue;
                };
                let revision = event.revision as i64;
                if event.category() == KanaalEvent::CATEGORY {
                    let entry = match kanalen.entry(uuid) {
                        std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                        std::collections::hash_map::Entry::Vacant(v) => {
                            v.insert(load_kanaal(tx, uuid).await?)
                        }
                    };
                    if revision > entry.1 {
                        let e = KanaalEvent::decode(
                            &event.event_type,
                            event.schema_version,
                            event.payload.clone(),
                        )?;
                        entry.0 = KanaalAggregate::evolve(entry.0.take(), &e);
                        entry.1 = revision;
                    }
                } else {
                    let current = abonnementen.get(&uuid).map(|(_, v)| *v).unwrap_or(-1);
                    if revision > current {
                        let e = AbonnementEvent::decode(
                            &event.event_type,
                            event.schema_version,
                            event.payload.clone(),
                        )?;
                        let before = abonnementen.remove(&uuid).map(|(a, _)| a);
                        if let Some(a) = AbonnementAggregate::evolve(before, &e) {
                            abonnementen.insert(uuid, (a, revision));
                        }
                        touched.insert(uuid, revision);
                    }
                }
                continue;
            }
            deliveries.extend(self.deliveries(&mut known, &mut changed, &abonnementen, event)?);
        }
        save_kenmerken(tx, KENMERKEN, changed).await?;
        for (kanaal, version) in kanalen.into_values() {
            if let Some(k) = kanaal {
                save_kanaal(tx, &self.urls, &k, version).await?;
            }
        }
        for (uuid, version) in touched {
            match abonnementen.get(&uuid) {
                Some((a, _)) => save_abonnement(tx, &self.urls, a, version).await?,
                None => end_abonnement(tx, uuid).await?,
            }
        }
        insert_deliveries(tx, deliveries).await
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        sqlx::query("TRUNCATE nrc_kanalen, nrc_abonnementen, nrc_kenmerken")
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}

impl NotificatiesProjection {
    /// The deliveries of one event: its ZGW notification to each abonnement on its kanaal
    /// whose filters match (as a CloudEvent to those that asked for them), or a posted
    /// CloudEvent to each abonnement whose CloudEvent filters match.
    fn deliveries(
        &self,
        known: &mut HashMap<Uuid, Kenmerken>,
        changed: &mut HashMap<Uuid, Kenmerken>,
        abonnementen: &HashMap<Uuid, (Abonnement, i64)>,
        event: &RecordedEvent,
    ) -> Result<Vec<Delivery>, ProjectionError> {
        let occurred_at = event.metadata.occurred_at;
        if event.category() == NotificatieEvent::CATEGORY {
            let decoded = NotificatieEvent::decode(
                &event.event_type,
                event.schema_version,
                event.payload.clone(),
            )?;
            if let NotificatieEvent::CloudEventReceived(ce) = decoded {
                let text = |k: &str| {
                    ce.event
                        .get(k)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                let event_type = text("type");
                let data = string_map(ce.event.get("data"));
                let hoofd_object = data
                    .get("hoofdObject")
                    .cloned()
                    .unwrap_or_else(|| text("subject"));
                return Ok(abonnementen
                    .values()
                    .filter(|(a, _)| wants_cloudevent(&a.attributes, &event_type, &data))
                    .map(|(a, _)| Delivery {
                        id: delivery_id(event.event_id, a.uuid),
                        abonnement: a.uuid,
                        notification: event.event_id,
                        kanaal: String::new(),
                        hoofd_object: hoofd_object.clone(),
                        cloudevent: true,
                        body: ce.event.clone(),
                        occurred_at,
                        traceparent: event.metadata.traceparent.clone(),
                    })
                    .collect());
            }
        }
        let Some(n) = zgw_notification(known, changed, &self.urls, event)? else {
            return Ok(Vec::new());
        };
        let text = |k: &str| {
            n.body
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let kanaal = text("kanaal");
        let kenmerken = string_map(n.body.get("kenmerken"));
        Ok(abonnementen
            .values()
            .filter(|(a, _)| wants(&a.attributes, &kanaal, &kenmerken))
            .map(|(a, _)| {
                let cloudevent = a.attributes.send_cloudevents;
                let body = if cloudevent {
                    as_cloudevent(&n.body, event.event_id, self.urls.base())
                } else {
                    n.body.clone()
                };
                Delivery {
                    id: delivery_id(event.event_id, a.uuid),
                    abonnement: a.uuid,
                    notification: event.event_id,
                    kanaal: kanaal.clone(),
                    hoofd_object: text("hoofdObject"),
                    cloudevent,
                    body,
                    occurred_at,
                    traceparent: event.metadata.traceparent.clone(),
                }
            })
            .collect())
    }
}

/// The same notification to the same abonnement always has this id (replays add nothing).
pub fn delivery_id(notification: Uuid, abonnement: Uuid) -> Uuid {
    Uuid::new_v5(&notification, abonnement.as_bytes())
}

/// A JSON object's string values (others as their JSON text).
fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A ZGW notification as a CloudEvent (Open Notificaties' shape): type
/// `nl.overheid.{kanaal}.{resource}.{actie}`, the event id as its id, the kenmerken and
/// hoofdObject as its data.
pub fn as_cloudevent(body: &Value, id: Uuid, our_source: &str) -> Value {
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default();
    let mut data = body.get("kenmerken").cloned().unwrap_or_else(|| json!({}));
    if let Value::Object(d) = &mut data {
        d.insert("hoofdObject".into(), json!(text("hoofdObject")));
        d.insert("resourceUrl".into(), json!(text("resourceUrl")));
    }
    let source = body
        .get("source")
        .and_then(Value::as_str)
        .unwrap_or(our_source);
    let subject = text("resourceUrl")
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    json!({
        "id": id,
        "source": source,
        "specversion": "1.0",
        "type": format!("nl.overheid.{}.{}.{}", text("kanaal"), text("resource"), text("actie")),
        "datacontenttype": "application/json",
        "subject": subject,
        "time": text("aanmaakdatum"),
        "data": data,
    })
}

async fn load_abonnementen(
    tx: &mut PgConnection,
) -> Result<HashMap<Uuid, (Abonnement, i64)>, ProjectionError> {
    let rows = sqlx::query("SELECT uuid, state, version FROM nrc_abonnementen")
        .fetch_all(&mut *tx)
        .await?;
    rows.into_iter()
        .map(|r| {
            let state: sqlx::types::Json<Abonnement> = r.try_get("state")?;
            Ok((r.try_get("uuid")?, (state.0, r.try_get("version")?)))
        })
        .collect()
}

async fn load_kanaal(
    tx: &mut PgConnection,
    uuid: Uuid,
) -> Result<(Option<Kanaal>, i64), ProjectionError> {
    let row = sqlx::query("SELECT state, version FROM nrc_kanalen WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(match row {
        Some(r) => {
            let state: sqlx::types::Json<Kanaal> = r.try_get("state")?;
            (Some(state.0), r.try_get("version")?)
        }
        None => (None, -1),
    })
}

async fn save_kanaal(
    tx: &mut PgConnection,
    urls: &Urls,
    k: &Kanaal,
    version: i64,
) -> Result<(), ProjectionError> {
    let resource = render::kanaal(k, urls);
    sqlx::query(
        "INSERT INTO nrc_kanalen (uuid, naam, filters, version, state, resource, etag)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (uuid) DO UPDATE SET naam = EXCLUDED.naam, filters = EXCLUDED.filters,
            version = EXCLUDED.version, state = EXCLUDED.state, resource = EXCLUDED.resource,
            etag = EXCLUDED.etag",
    )
    .bind(k.uuid)
    .bind(&k.attributes.naam)
    .bind(&k.attributes.filters)
    .bind(version)
    .bind(sqlx::types::Json(k))
    .bind(&resource)
    .bind(render::etag(&resource))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn save_abonnement(
    tx: &mut PgConnection,
    urls: &Urls,
    a: &Abonnement,
    version: i64,
) -> Result<(), ProjectionError> {
    let resource = render::abonnement(a, urls);
    sqlx::query(
        "INSERT INTO nrc_abonnementen (uuid, client_id, callback_url, send_cloudevents, version,
            state, resource, etag)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (uuid) DO UPDATE SET callback_url = EXCLUDED.callback_url,
            send_cloudevents = EXCLUDED.send_cloudevents, version = EXCLUDED.version,
            state = EXCLUDED.state, resource = EXCLUDED.resource, etag = EXCLUDED.etag",
    )
    .bind(a.uuid)
    .bind(&a.client_id)
    .bind(&a.attributes.callback_url)
    .bind(a.attributes.send_cloudevents)
    .bind(version)
    .bind(sqlx::types::Json(a))
    .bind(&resource)
    .bind(render::etag(&resource))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// An abonnement ended: its row goes, and what was still to be delivered to it becomes a
/// dead letter (kept, with the reason; Open Notificaties drops it).
async fn end_abonnement(tx: &mut PgConnection, uuid: Uuid) -> Result<(), ProjectionError> {
    sqlx::query("DELETE FROM nrc_abonnementen WHERE uuid = $1")
        .bind(uuid)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE nrc_deliveries SET state = 'dead', lease_until = NULL,
            last_error = 'het abonnement is beëindigd'
         WHERE abonnement = $1 AND state = 'pending'",
    )
    .bind(uuid)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn insert_deliveries(
    tx: &mut PgConnection,
    deliveries: Vec<Delivery>,
) -> Result<(), ProjectionError> {
    if deliveries.is_empty() {
        return Ok(());
    }
    let mut columns = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for d in deliveries {
        columns.0.push(d.id);
        columns.1.push(d.abonnement);
        columns.2.push(d.notification);
        columns.3.push(d.kanaal);
        columns.4.push(d.hoofd_object);
        columns.5.push(d.cloudevent);
        columns.6.push(d.body);
        columns.7.push(d.occurred_at);
        columns.8.push(d.traceparent);
    }
    sqlx::query(
        "INSERT INTO nrc_deliveries (id, abonnement, notification, kanaal, hoofd_object,
            cloudevent, body, occurred_at, traceparent)
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
            $6::bool[], $7::jsonb[], $8::timestamptz[], $9::text[])
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(columns.0)
    .bind(columns.1)
    .bind(columns.2)
    .bind(columns.3)
    .bind(columns.4)
    .bind(columns.5)
    .bind(columns.6)
    .bind(columns.7)
    .bind(columns.8)
    .execute(&mut *tx)
    .await?;
    sqlx::query("SELECT pg_notify($1, '')")
        .bind(CHANNEL)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
