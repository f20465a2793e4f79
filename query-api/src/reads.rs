//! Who read what (issue 19): every read of a zaak, one of its parts (rollen carry a BSN) or
//! a document is recorded — client, user, object, instant, and the request's
//! `X-Doelbinding` (why the data was read) — without slowing the read: the handler hands
//! the record to a channel and a background writer inserts them in batches (one statement
//! per batch). A detail GET is one record of its object (`actie` retrieve); a page of a
//! list, `_zoek` or a GraphQL query is one record naming every object on it (`actie` list),
//! with the list's URL as asked. Reads are kept `--read-log-retention-days` (pruned hourly) in `read_log`,
//! which a rebuild keeps. A client holding audittrails.lezen sees them in the object's
//! audit trail with `?reads=true`, as entries with `actie` `retrieve` (the standard's
//! action for a read).

use std::time::Duration;

use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::error::ApiError;
use crate::Caller;

/// Records waiting to be written; a full channel makes readers wait (reads are never
/// dropped), which only an overloaded database would cause.
const CHANNEL: usize = 10_000;
/// The most records one insert writes.
const BATCH: usize = 500;
/// How long a batch collects after its first record.
const LINGER: Duration = Duration::from_millis(100);

/// One read.
#[derive(Debug, Clone)]
pub struct Read {
    pub at: DateTime<Utc>,
    pub bron: &'static str,
    /// The object of a detail read; `None` for a list, whose objects are in `objects`.
    pub hoofd_object: Option<Uuid>,
    pub objects: Vec<Uuid>,
    pub hoofd_object_url: String,
    pub resource: String,
    pub resource_url: String,
    pub client_id: String,
    pub applicatie_weergave: String,
    pub user_id: String,
    pub user_representation: String,
    pub purpose: String,
}

/// What a read is about: the audit trail it belongs to and what was read.
pub struct Object<'a> {
    pub bron: &'static str,
    pub hoofd_object: Uuid,
    pub hoofd_object_url: &'a str,
    pub resource: &'a str,
    pub resource_url: &'a str,
}

/// The handle request handlers record reads with.
#[derive(Clone)]
pub struct ReadLog {
    tx: Option<mpsc::Sender<Read>>,
}

impl ReadLog {
    /// A log writing to `pool`, pruning what is older than `retention` (none: kept).
    pub fn start(pool: PgPool, retention: Option<Duration>) -> Self {
        let (tx, rx) = mpsc::channel(CHANNEL);
        tokio::spawn(write(pool.clone(), rx));
        if let Some(retention) = retention {
            tokio::spawn(prune(pool, retention));
        }
        Self { tx: Some(tx) }
    }

    /// A log that records nothing (a process without the API role).
    pub fn disabled() -> Self {
        Self { tx: None }
    }

    /// Records that `caller` read `object` now.
    pub async fn record(&self, caller: &Caller, headers: &HeaderMap, object: Object<'_>) {
        let mut read = read_by(caller, headers, object.bron);
        read.hoofd_object = Some(object.hoofd_object);
        read.hoofd_object_url = object.hoofd_object_url.to_owned();
        read.resource = object.resource.to_owned();
        read.resource_url = object.resource_url.to_owned();
        self.send(read).await;
    }

    /// Records that `caller` read a page of `resource` (at `url`, as asked) holding
    /// `objects` (the hoofd objects of the audit trail `bron`); nothing when it was empty.
    pub async fn record_list(
        &self,
        caller: &Caller,
        headers: &HeaderMap,
        (bron, resource): (&'static str, &str),
        url: &str,
        mut objects: Vec<Uuid>,
    ) {
        objects.sort_unstable();
        objects.dedup();
        if objects.is_empty() || self.tx.is_none() {
            return;
        }
        let mut read = read_by(caller, headers, bron);
        read.objects = objects;
        read.resource = resource.to_owned();
        read.resource_url = url.to_owned();
        self.send(read).await;
    }

    async fn send(&self, read: Read) {
        let Some(tx) = &self.tx else { return };
        if tx.send(read).await.is_err() {
            tracing::error!("the read log writer has stopped: a read was not recorded");
        }
    }
}

/// A read by `caller` now, of nothing yet.
fn read_by(caller: &Caller, headers: &HeaderMap, bron: &'static str) -> Read {
    let purpose = headers
        .get("x-doelbinding")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(1000)
        .collect();
    Read {
        at: Utc::now(),
        bron,
        hoofd_object: None,
        objects: Vec::new(),
        hoofd_object_url: String::new(),
        resource: String::new(),
        resource_url: String::new(),
        client_id: caller.actor.client_id.clone(),
        applicatie_weergave: caller.actor.applicatie_weergave.clone(),
        user_id: caller.actor.user_id.clone(),
        user_representation: caller.actor.user_representation.clone(),
        purpose,
    }
}

/// The background writer: batches of up to [`BATCH`], each in one insert; a failed insert
/// is retried (with growing pauses) until it succeeds, so no read is lost while the
/// process lives.
async fn write(pool: PgPool, mut rx: mpsc::Receiver<Read>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        let deadline = tokio::time::Instant::now() + LINGER;
        while batch.len() < BATCH {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(read)) => batch.push(read),
                _ => break,
            }
        }
        let mut pause = Duration::from_millis(100);
        while let Err(e) = insert(&pool, &batch).await {
            tracing::warn!(error = %e, reads = batch.len(), "recording reads failed; retrying");
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(10));
        }
    }
}

async fn insert(pool: &PgPool, batch: &[Read]) -> Result<(), sqlx::Error> {
    let col = |f: fn(&Read) -> String| batch.iter().map(f).collect::<Vec<_>>();
    // A list's objects travel as one comma-separated text per read (UNNEST flattens arrays
    // of arrays).
    let objects = |r: &Read| {
        let ids: Vec<String> = r.objects.iter().map(Uuid::to_string).collect();
        ids.join(",")
    };
    sqlx::query(
        "INSERT INTO read_log (at, bron, hoofd_object, hoofd_object_url, resource, resource_url,
             client_id, applicatie_weergave, user_id, user_representation, purpose, actie,
             objects)
         SELECT at, bron, hoofd_object, hoofd_object_url, resource, resource_url, client_id,
             applicatie_weergave, user_id, user_representation, purpose,
             CASE WHEN objects = '' THEN 'retrieve' ELSE 'list' END,
             CASE WHEN objects = '' THEN NULL ELSE string_to_array(objects, ',')::uuid[] END
         FROM UNNEST($1::timestamptz[], $2::text[], $3::uuid[], $4::text[], $5::text[],
             $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
             $12::text[])
             AS r(at, bron, hoofd_object, hoofd_object_url, resource, resource_url, client_id,
                  applicatie_weergave, user_id, user_representation, purpose, objects)",
    )
    .bind(batch.iter().map(|r| r.at).collect::<Vec<_>>())
    .bind(col(|r| r.bron.to_owned()))
    .bind(batch.iter().map(|r| r.hoofd_object).collect::<Vec<_>>())
    .bind(col(|r| r.hoofd_object_url.clone()))
    .bind(col(|r| r.resource.clone()))
    .bind(col(|r| r.resource_url.clone()))
    .bind(col(|r| r.client_id.clone()))
    .bind(col(|r| r.applicatie_weergave.clone()))
    .bind(col(|r| r.user_id.clone()))
    .bind(col(|r| r.user_representation.clone()))
    .bind(col(|r| r.purpose.clone()))
    .bind(batch.iter().map(objects).collect::<Vec<_>>())
    .execute(pool)
    .await?;
    Ok(())
}

/// Hourly: removes reads older than `retention`.
async fn prune(pool: PgPool, retention: Duration) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let cutoff = Utc::now() - chrono::Duration::from_std(retention).unwrap_or_default();
        if let Err(e) = prune_before(&pool, cutoff).await {
            tracing::warn!(error = %e, "pruning the read log failed");
        }
    }
}

/// Removes the reads before `cutoff`, a few thousand rows a statement (no long lock);
/// how many.
pub async fn prune_before(pool: &PgPool, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let mut total = 0;
    loop {
        let done = sqlx::query(
            "DELETE FROM read_log WHERE id IN
                 (SELECT id FROM read_log WHERE at < $1 ORDER BY at LIMIT 5000)",
        )
        .bind(cutoff)
        .execute(pool)
        .await?
        .rows_affected();
        total += done;
        if done < 5000 {
            return Ok(total);
        }
    }
}

/// A stored read.
#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    at: DateTime<Utc>,
    hoofd_object_url: String,
    resource: String,
    resource_url: String,
    client_id: String,
    applicatie_weergave: String,
    user_id: String,
    user_representation: String,
    purpose: String,
    actie: String,
}

/// The recorded reads of `hoofd_object` (at `url`, in the audit trail of `bron`), as audit
/// trail entries with `actie` `retrieve` (its own reads) or `list` (pages it was on).
pub async fn entries(
    pool: &PgPool,
    bron: &str,
    (hoofd_object, url): (Uuid, &str),
) -> Result<Vec<Value>, ApiError> {
    let rows: Vec<Stored> = sqlx::query_as(
        "SELECT id, at, hoofd_object_url, resource, resource_url, client_id,
                applicatie_weergave, user_id, user_representation, purpose, actie
         FROM read_log WHERE (hoofd_object = $1 OR objects @> ARRAY[$1]) AND bron = $2
         ORDER BY at, id",
    )
    .bind(hoofd_object)
    .bind(bron)
    .fetch_all(pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            json!({
                // A stable id of the read: v5 of its row within this installation.
                "uuid": Uuid::new_v5(&hoofd_object, &r.id.to_be_bytes()),
                "bron": bron,
                "applicatieId": r.client_id,
                "applicatieWeergave": r.applicatie_weergave,
                "gebruikersId": r.user_id,
                "gebruikersWeergave": r.user_representation,
                "actieWeergave": if r.actie == "list" { "Lijst opgevraagd" } else { "Object opgevraagd" },
                "actie": r.actie,
                "resultaat": 200,
                "hoofdObject": if r.hoofd_object_url.is_empty() { url } else { &r.hoofd_object_url },
                "resource": r.resource,
                "resourceUrl": r.resource_url,
                "toelichting": r.purpose,
                "resourceWeergave": "",
                "aanmaakdatum": r.at,
                "wijzigingen": {"oud": null, "nieuw": null},
            })
        })
        .collect())
}

/// Records a read of the zaak `uuid`.
pub async fn zaak(s: &crate::AppState, caller: &Caller, headers: &HeaderMap, uuid: Uuid) {
    let url = s.urls.zaak(uuid);
    let object = Object {
        bron: "zrc",
        hoofd_object: uuid,
        hoofd_object_url: &url,
        resource: "zaak",
        resource_url: &url,
    };
    s.reads.record(caller, headers, object).await;
}

/// Records a read of a zaak's part (`resource` as returned, naming its zaak and url).
pub async fn zaak_part(
    s: &crate::AppState,
    caller: &Caller,
    headers: &HeaderMap,
    kind: &str,
    resource: &Value,
) {
    let zaak_url = resource["zaak"].as_str().unwrap_or_default();
    let Some(zaak) = s.urls.zaak_uuid(zaak_url) else {
        return;
    };
    let object = Object {
        bron: "zrc",
        hoofd_object: zaak,
        hoofd_object_url: zaak_url,
        resource: kind,
        resource_url: resource["url"].as_str().unwrap_or_default(),
    };
    s.reads.record(caller, headers, object).await;
}

/// Records a read of the document `uuid` (its metadata or its content).
pub async fn document(s: &crate::AppState, caller: &Caller, headers: &HeaderMap, uuid: Uuid) {
    let url = s.urls.document(uuid);
    let object = Object {
        bron: "drc",
        hoofd_object: uuid,
        hoofd_object_url: &url,
        resource: "enkelvoudiginformatieobject",
        resource_url: &url,
    };
    s.reads.record(caller, headers, object).await;
}

/// Records a read of one of a document's parts (`resource`: its kind and URL).
pub async fn document_part(
    s: &crate::AppState,
    (caller, headers): (&Caller, &HeaderMap),
    document: Uuid,
    (kind, url): (&str, String),
) {
    let document_url = s.urls.document(document);
    let object = Object {
        bron: "drc",
        hoofd_object: document,
        hoofd_object_url: &document_url,
        resource: kind,
        resource_url: &url,
    };
    s.reads.record(caller, headers, object).await;
}

/// Who is reading in one GraphQL request: what its resolvers record their reads with, each
/// batch of objects as one list read at the GraphQL endpoint.
#[derive(Clone)]
pub struct Reader {
    log: ReadLog,
    caller: Caller,
    headers: HeaderMap,
    url: String,
}

impl Reader {
    pub fn new(s: &crate::AppState, caller: &Caller, headers: &HeaderMap) -> Self {
        Self {
            log: s.reads.clone(),
            caller: caller.clone(),
            headers: headers.clone(),
            url: format!("{}/graphql", s.urls.base()),
        }
    }

    /// Records that `objects` (of the audit trail `bron`, read as `resource`) were read.
    pub async fn read(&self, resource: (&'static str, &str), objects: Vec<Uuid>) {
        self.log
            .record_list(&self.caller, &self.headers, resource, &self.url, objects)
            .await;
    }
}
