//! The change feed (issue 19): `GET /events?after=<position>&limit=<n>` gives the
//! envelopes of the events the caller may read, in the log's global order, with the
//! position to resume from: the "poll as backup" the Notificaties standard tells consumers
//! to keep, and how a downstream system catches up after any outage. With
//! `Accept: text/event-stream` the same events come as server-sent events on a connection
//! that stays open (resumable with `Last-Event-ID`).
//!
//! Events are read through the event store port (PostgreSQL or KurrentDB alike) in
//! batches; which of a batch the caller may read is decided in SQL per kind of object, by
//! the same grants and the same read-model columns as every list (a zaak's zaaktype and
//! vertrouwelijkheid, a besluit's besluittype, a document's informatieobjecttype and
//! vertrouwelijkheid, as they are now). Scopes without object types (catalogi, autorisaties,
//! notificaties) show all of their kind; the uniqueness claims and anything unknown only
//! to a client with heeftAlleAutorisaties. A page holds at most `limit` visible events and
//! looks at no more than [`MAX_SCANNED`] events: with few visible, it is shorter, and
//! `next` still moves past what it looked at.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use event_schemas::applicatie::Component;
use event_schemas::besluit::BesluitEvent;
use event_schemas::document::DocumentEvent;
use event_schemas::zaak::ZaakEvent;
use event_schemas::VersionedEvent;
use event_store::{Position, RecordedEvent};
use serde_json::{json, Value};
use sqlx::QueryBuilder;
use uuid::Uuid;

use crate::authorisation::{Grants, GrantsFilter};
use crate::error::ApiError;
use crate::openapi::params::{self, param, ParamType, QueryParam};
use crate::{resource, AppState, Caller};

/// Events a page has when the caller does not say.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;
/// The most events one page reads from the log to find its visible ones.
const MAX_SCANNED: usize = 5000;
/// How often an open event stream looks for new events once it has caught up.
const POLL: Duration = Duration::from_millis(500);
/// How long an event stream stays open: then the client reconnects with `Last-Event-ID`
/// (and a fresh token, so changed grants apply).
const STREAM_LIFETIME: Duration = Duration::from_secs(300);

/// The query parameters of `GET /events`.
pub const PARAMETERS: &[QueryParam] = &[
    param("after", ParamType::Text),
    param("limit", ParamType::Integer),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(events))
        .route("/events/chain", get(chain))
}

/// `GET /events/chain?stream=<name>`: whether one stream's hash chain is intact (each
/// event's hash recomputed, each link to its predecessor), for a caller who may read its
/// events: the auditor's page shows it beside an object's history. The whole log is
/// `zaakstroom verify`'s.
async fn chain(
    State(s): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    params::refuse_unknown(
        &pairs,
        &[param("stream", ParamType::Text)],
        ApiError::unknown_parameter,
    )?;
    let stream = pairs
        .iter()
        .find(|(k, _)| k == "stream")
        .map(|(_, v)| v.clone())
        .ok_or_else(|| ApiError::invalid("stream", "required", "Dit veld is vereist."))?;
    let events = s
        .commands
        .store()
        .read_stream(&stream, 0)
        .await
        .map_err(ApiError::internal)?;
    let visible = visible(&s, &caller, &events).await?;
    if events.is_empty() || !events.iter().all(|e| visible.contains(&e.event_id)) {
        return Err(ApiError::NotFound);
    }
    let mut previous: Option<event_store::verify::chain::Link> = None;
    let mut fault = None;
    for e in &events {
        if let Some(kind) = event_store::verify::chain::check_link(previous.as_ref(), e) {
            fault = Some(
                json!({"revision": e.revision, "position": e.position.to_string(),
                "fault": kind.to_string()}),
            );
            break;
        }
        previous = Some(event_store::verify::chain::Link {
            revision: e.revision,
            hash: e.hash.clone(),
            position: e.position,
        });
    }
    Ok(Json(json!({
        "stream": stream,
        "events": events.len(),
        "intact": fault.is_none(),
        "head": events.last().map(|e| e.hash.clone()),
        "fault": fault,
    }))
    .into_response())
}

/// One page of the feed.
struct Page {
    events: Vec<RecordedEvent>,
    /// Where the next page starts (the last event looked at, visible or not).
    next: Option<Position>,
    /// The end of the log was reached.
    caught_up: bool,
}

async fn events(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    params::refuse_unknown(&pairs, PARAMETERS, ApiError::unknown_parameter)?;
    let value = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v);
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let after = match last_event_id.as_ref().or(value("after")) {
        Some(p) if !p.is_empty() => Some(parse_position(p)?),
        _ => None,
    };
    let limit = match value("limit") {
        None => DEFAULT_LIMIT,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(
                    "limit",
                    "invalid",
                    format!("Geef een geheel getal van 1 tot en met {MAX_LIMIT}."),
                )
            })?,
    };
    let wants_stream = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"));
    if wants_stream {
        return Ok(stream(s, (caller, headers), after, limit).into_response());
    }
    let page = page(&s, &caller, after, limit).await?;
    record(&s, (&caller, &headers), &page.events).await;
    let next = page.next.or(after).map(|p| p.to_string());
    Ok(Json(json!({
        "results": page.events.iter().map(render).collect::<Vec<_>>(),
        "next": next,
        "caughtUp": page.caught_up,
    }))
    .into_response())
}

/// `commit/prepare`, as positions are shown.
fn parse_position(text: &str) -> Result<Position, ApiError> {
    text.split_once('/')
        .and_then(|(c, p)| {
            Some(Position {
                commit: c.parse().ok()?,
                prepare: p.parse().ok()?,
            })
        })
        .ok_or_else(|| {
            ApiError::invalid(
                "after",
                "invalid",
                "Geef een positie zoals de feed ze noemt (commit/prepare).",
            )
        })
}

/// An event as the feed shows it: its envelope and its position.
fn render(event: &RecordedEvent) -> Value {
    let mut envelope = serde_json::to_value(event.envelope()).unwrap_or_default();
    envelope["position"] = json!(event.position.to_string());
    envelope
}

/// Up to `limit` events after `after` the caller may read.
async fn page(
    s: &AppState,
    caller: &Caller,
    after: Option<Position>,
    limit: usize,
) -> Result<Page, ApiError> {
    let store = s.commands.store();
    let batch = limit.clamp(100, 1000);
    let (mut events, mut cursor, mut scanned) = (Vec::new(), after, 0);
    loop {
        let read = store
            .read_all(cursor, batch)
            .await
            .map_err(ApiError::internal)?;
        let caught_up = read.len() < batch;
        scanned += read.len();
        let visible = visible(s, caller, &read).await?;
        for event in read {
            cursor = Some(event.position);
            if visible.contains(&event.event_id) {
                events.push(event);
                if events.len() == limit {
                    // More may follow; the next page starts after this one.
                    return Ok(Page {
                        events,
                        next: cursor,
                        caught_up: false,
                    });
                }
            }
        }
        if caught_up || scanned >= MAX_SCANNED {
            return Ok(Page {
                events,
                next: cursor,
                caught_up,
            });
        }
    }
}

/// Kinds whose events the grants on their object decide, as the lists filter their rows:
/// the read model with the object's type and vertrouwelijkheid rank (`0`: none), and which
/// of its rows stand for the object now (a document: its latest version).
struct Typed {
    category: &'static str,
    component: Component,
    scope: &'static str,
    table: &'static str,
    current: &'static str,
    type_column: &'static str,
    rank_column: &'static str,
}

const TYPED: &[Typed] = &[
    Typed {
        category: "zaak",
        component: Component::Zrc,
        scope: "zaken.lezen",
        table: "zaken",
        current: "true",
        type_column: "zaaktype",
        rank_column: "vertrouwelijkheid_rank",
    },
    Typed {
        category: "besluit",
        component: Component::Brc,
        scope: "besluiten.lezen",
        table: "besluiten",
        current: "true",
        type_column: "besluittype",
        rank_column: "0",
    },
    Typed {
        category: "document",
        component: Component::Drc,
        scope: "documenten.lezen",
        table: "document_versies",
        current: "is_latest",
        type_column: "informatieobjecttype",
        rank_column: "vertrouwelijkheid_rank",
    },
];

/// Kinds without object types: holding the scope shows all of their events (abonnementen
/// only to beheerders: their callbacks are an administrator's business).
const SCOPED: &[(&str, Component, &str)] = &[
    ("catalogus", Component::Ztc, "catalogi.lezen"),
    ("catalogusobject", Component::Ztc, "catalogi.lezen"),
    ("applicatie", Component::Ac, "autorisaties.lezen"),
    ("kanaal", Component::Nrc, crate::notificaties::READ),
    ("notificatie", Component::Nrc, crate::notificaties::READ),
    ("abonnement", Component::Nrc, crate::notificaties::BEHEREN),
    kic("partij"),
    kic("klantcontact"),
    kic("internetaak"),
    kic("actor"),
    kic("categorie"),
    kic("categorierelatie"),
    kic("contactpersoon"),
    kic("contactorganisatie"),
];

/// A kind of the Klantinteracties and Contactgegevens APIs, read under their scope.
const fn kic(category: &'static str) -> (&'static str, Component, &'static str) {
    (
        category,
        commands::klantinteracties::COMPONENT,
        commands::klantinteracties::LEZEN,
    )
}

/// The ids of the events of `batch` the caller may read: everything with
/// heeftAlleAutorisaties; otherwise per kind, the typed ones in one query each.
async fn visible(
    s: &AppState,
    caller: &Caller,
    batch: &[RecordedEvent],
) -> Result<HashSet<Uuid>, ApiError> {
    if caller.authorisation.all {
        return Ok(batch.iter().map(|e| e.event_id).collect());
    }
    // The objects of each kind the batch is about.
    let mut objects: HashMap<&str, Vec<Uuid>> = HashMap::new();
    for event in batch {
        if let Some(uuid) = object_of(event) {
            objects.entry(event.category()).or_default().push(uuid);
        }
    }
    let mut readable: HashSet<(&str, Uuid)> = HashSet::new();
    for (category, uuids) in &objects {
        let allowed = if let Some(kind) = TYPED.iter().find(|t| t.category == *category) {
            let grants = caller.grants(kind.component, kind.scope);
            select(s, kind, uuids, &grants).await?
        } else if SCOPED.iter().any(|(c, component, scope)| {
            c == category && caller.authorisation.has_scope(*component, scope)
        }) {
            uuids.clone()
        } else {
            Vec::new()
        };
        readable.extend(allowed.into_iter().map(|u| (*category, u)));
    }
    Ok(batch
        .iter()
        .filter(|e| object_of(e).is_some_and(|u| readable.contains(&(e.category(), u))))
        .map(|e| e.event_id)
        .collect())
}

/// The object an event is about: the uuid after its stream's category.
/// The kinds of object whose reads are recorded: a page of the feed reads the zaken,
/// documents and besluiten its events are of (category, audit trail, resource).
const RECORDED: [(&str, &str, &str); 3] = [
    (ZaakEvent::CATEGORY, "zrc", "zaak"),
    (
        DocumentEvent::CATEGORY,
        "drc",
        "enkelvoudiginformatieobject",
    ),
    (BesluitEvent::CATEGORY, "brc", "besluit"),
];

/// Records the objects of `events` as read, one list read per kind.
async fn record(s: &AppState, (caller, headers): (&Caller, &HeaderMap), events: &[RecordedEvent]) {
    let url = format!("{}/events", s.urls.base());
    for (category, bron, resource) in RECORDED {
        let objects = events
            .iter()
            .filter(|e| e.category() == category)
            .filter_map(object_of)
            .collect();
        s.reads
            .record_list(caller, headers, (bron, resource), &url, objects)
            .await;
    }
}

fn object_of(event: &RecordedEvent) -> Option<Uuid> {
    let (_, rest) = event.stream.split_once('-')?;
    rest.parse().ok()
}

/// Which of `uuids` the grants cover in `kind`'s read model, in one query.
async fn select(
    s: &AppState,
    kind: &Typed,
    uuids: &[Uuid],
    grants: &Grants,
) -> Result<Vec<Uuid>, ApiError> {
    let (table, current) = (kind.table, kind.current);
    let mut sql = QueryBuilder::new(format!(
        "SELECT DISTINCT uuid FROM {table} WHERE {current} AND uuid = ANY("
    ));
    sql.push_bind(uuids.to_vec()).push(")");
    grants.push_filter(&mut sql, kind.type_column, kind.rank_column);
    sql.build_query_scalar()
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)
}

/// The feed as server-sent events: each event `id:` its position (what `Last-Event-ID`
/// resumes from), `event:` its type, `data:` the envelope; when caught up it waits for
/// more; after [`STREAM_LIFETIME`] it ends, for the client to reconnect.
fn stream(
    s: AppState,
    who: (Caller, HeaderMap),
    after: Option<Position>,
    limit: usize,
) -> Sse<impl futures::Stream<Item = Result<Event, Infallible>>> {
    let deadline = tokio::time::Instant::now() + STREAM_LIFETIME;
    let pending: Vec<Event> = Vec::new();
    let state = (s, who, after, pending, false);
    let events = futures::stream::unfold(
        state,
        move |(s, who, mut after, mut pending, mut idle)| async move {
            let (caller, headers) = &who;
            loop {
                if let Some(event) = pending.pop() {
                    return Some((Ok(event), (s, who, after, pending, idle)));
                }
                if tokio::time::Instant::now() >= deadline {
                    return None;
                }
                if idle {
                    tokio::time::sleep(POLL).await;
                }
                match page(&s, caller, after, limit).await {
                    Ok(page) => {
                        record(&s, (caller, headers), &page.events).await;
                        after = page.next.or(after);
                        idle = page.caught_up && page.events.is_empty();
                        // Popped from the end: reversed, so they go out in the log's order.
                        pending = page
                            .events
                            .iter()
                            .rev()
                            .map(|e| {
                                Event::default()
                                    .id(e.position.to_string())
                                    .event(e.event_type.clone())
                                    .data(render(e).to_string())
                            })
                            .collect();
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "change feed stream: reading the log failed");
                        return None;
                    }
                }
            }
        },
    );
    Sse::new(events).keep_alive(KeepAlive::default())
}
