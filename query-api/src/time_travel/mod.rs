//! Time travel on detail GETs (issue 19): `?asOf=<RFC 3339 instant>`, or the Memento header
//! `Accept-Datetime: <HTTP-date>` (RFC 7089), answers with the object as it was at that
//! instant, rendered by the read models' own functions from the events of its stream up to
//! the instant (`projections::history`), with `Memento-Datetime` naming the change it shows.
//! 404 before the object existed, 410 once it had been deleted. The grants apply as they
//! do now and as they did then: the object's type and vertrouwelijkheid at the instant and
//! as it is now must both be readable (the stricter wins).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use event_schemas::applicatie::Component;
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use event_schemas::zaak::ZaakEvent;
use event_schemas::{stream_name, VersionedEvent};
use projections::history::{self, AsOf};
use projections::render;
use serde_json::Value;
use uuid::Uuid;

mod applicaties;
mod catalogi;
mod documenten;
mod klantinteracties;

pub use applicaties::applicatie;
pub use catalogi::resource as catalogi_resource;
pub use documenten::document;
pub(crate) use documenten::document_then;
pub(crate) use klantinteracties::{klantcontact, object, partij};

use crate::error::ApiError;
use crate::openapi::params::{param, ParamType, QueryParam};
use crate::{resource, AppState, Caller};

/// The query parameter, for the detail GETs that take it.
pub const AS_OF: QueryParam = param("asOf", ParamType::DateTime);

/// The instant a request asks for, if any: `asOf` first, else `Accept-Datetime`.
pub fn requested(
    headers: &HeaderMap,
    pairs: &[(String, String)],
) -> Result<Option<DateTime<Utc>>, ApiError> {
    if let Some((_, v)) = pairs.iter().rev().find(|(k, _)| k == "asOf") {
        return DateTime::parse_from_rfc3339(v)
            .map(|d| Some(d.with_timezone(&Utc)))
            .map_err(|_| {
                ApiError::invalid(
                    "asOf",
                    "invalid",
                    "Geef een tijdstip volgens RFC 3339, bijvoorbeeld 2026-12-01T12:00:00Z.",
                )
            });
    }
    match headers.get("accept-datetime") {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| DateTime::parse_from_rfc2822(s).ok())
            .map(|d| Some(d.with_timezone(&Utc)))
            .ok_or_else(|| {
                ApiError::invalid(
                    "Accept-Datetime",
                    "invalid",
                    "Geef een HTTP-datum (RFC 7089), bijvoorbeeld Tue, 01 Dec 2026 12:00:00 GMT.",
                )
            }),
    }
}

fn sources(s: &AppState) -> history::Sources<'_> {
    history::Sources {
        store: s.commands.store().as_ref(),
        pool: &s.pool,
    }
}

fn gone(what: &str, deleted: DateTime<Utc>) -> ApiError {
    ApiError::http(
        StatusCode::GONE,
        "gone",
        format!("{what} is op {} verwijderd.", deleted.to_rfc3339()),
    )
}

/// Aggregate `A`'s object `uuid` as its stream had it at `instant` (from the latest snapshot
/// on), or the answer for one that did not exist then (`what`: the object, as a sentence
/// begins).
async fn past<A, S>(
    s: &AppState,
    uuid: Uuid,
    instant: DateTime<Utc>,
    what: &str,
) -> Result<(S, DateTime<Utc>), ApiError>
where
    A: domain::Aggregate<State = Option<S>>,
    S: serde::de::DeserializeOwned,
{
    let stream = stream_name(<A::Event as VersionedEvent>::CATEGORY, uuid);
    was(
        history::state::<A, S>(sources(s), &stream, instant).await,
        what,
    )
}

/// The state a fold found, or the answer for an object that did not exist then (`what`:
/// the object, as a sentence begins).
fn was<S>(
    past: Result<AsOf<S>, projections::ProjectionError>,
    what: &str,
) -> Result<(S, DateTime<Utc>), ApiError> {
    match past.map_err(ApiError::internal)? {
        AsOf::NotYet => Err(ApiError::NotFound),
        AsOf::Gone { deleted } => Err(gone(what, deleted)),
        AsOf::Was { state, changed } => Ok((state, changed)),
    }
}

/// The representation with the Memento headers.
pub(crate) fn memento(body: Value, changed: DateTime<Utc>) -> Response {
    let mut response = resource::respond(StatusCode::OK, body, None);
    let date = changed.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&date) {
        headers.insert("memento-datetime", v);
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-datetime"));
    response
}

/// The zaak `uuid` at `instant`.
pub async fn zaak(
    s: &AppState,
    caller: &Caller,
    uuid: Uuid,
    instant: DateTime<Utc>,
) -> Result<Response, ApiError> {
    let (zaak, changed) = zaak_state(s, caller, uuid, instant).await?;
    Ok(memento(render::zaak(&zaak, &s.urls), changed))
}

/// A status or another part of a zaak (`kind`: `status` or a PartKind) at `instant`.
pub async fn part(
    s: &AppState,
    caller: &Caller,
    kind: &str,
    uuid: Uuid,
    instant: DateTime<Utc>,
) -> Result<Response, ApiError> {
    // Its zaak, from the read model, or for a part removed since from what the projection
    // remembered of it.
    let owner = sqlx::query_as::<_, (Uuid, Option<DateTime<Utc>>)>(
        "SELECT zaak_uuid, NULL::timestamptz FROM zaak_parts WHERE uuid = $1 AND kind = $2
         UNION ALL
         SELECT zaak_uuid, removed_at FROM removed_zaak_parts WHERE uuid = $1 AND kind = $2
         LIMIT 1",
    )
    .bind(uuid)
    .bind(kind)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    let (zaak, removed) = owner.ok_or(ApiError::NotFound)?;
    let (state, changed) = zaak_state(s, caller, zaak, instant).await?;
    let body = if kind == "status" {
        let status = state.statussen.iter().find(|st| st.uuid == uuid);
        status.map(|st| render::status(&state, st, &s.urls))
    } else {
        let part = state.parts.get(&uuid).filter(|p| p.kind.as_str() == kind);
        part.map(|p| render::part(&state, uuid, p, &s.urls))
    };
    match (body, removed) {
        (Some(body), _) => Ok(memento(body, changed)),
        (None, Some(at)) if at <= instant => Err(gone("Het object", at)),
        (None, _) => Err(ApiError::NotFound),
    }
}

/// The zaak at `instant` if the caller may read it as it was then and as it is now.
pub(crate) async fn zaak_state(
    s: &AppState,
    caller: &Caller,
    uuid: Uuid,
    instant: DateTime<Utc>,
) -> Result<(domain::zaak::Zaak, DateTime<Utc>), ApiError> {
    let stream = stream_name(ZaakEvent::CATEGORY, uuid);
    let past = history::zaak(sources(s), &stream, instant).await;
    let (zaak, changed) = was(past, "De zaak")?;
    let then = &zaak.attributes;
    let grant = Grant {
        component: Component::Zrc,
        scope: "zaken.lezen",
        now: "SELECT zaaktype, vertrouwelijkheidaanduiding FROM zaken WHERE uuid = $1",
    };
    grant
        .require(
            s,
            caller,
            uuid,
            &then.zaaktype,
            then.vertrouwelijkheidaanduiding,
        )
        .await?;
    Ok((zaak, changed))
}

/// A read grant, checked on an object as it was then and as it is now.
struct Grant {
    component: Component,
    scope: &'static str,
    /// The object's type and vertrouwelijkheidaanduiding now, by its uuid (`$1`); no row
    /// once it is deleted.
    now: &'static str,
}

impl Grant {
    /// 403 unless the caller may read object `uuid` as it was (of `type_url` at
    /// `vertrouwelijkheid`) and as it is now.
    async fn require(
        &self,
        s: &AppState,
        caller: &Caller,
        uuid: Uuid,
        type_url: &str,
        vertrouwelijkheid: Vertrouwelijkheidaanduiding,
    ) -> Result<(), ApiError> {
        caller.require(self.component, self.scope, type_url, vertrouwelijkheid)?;
        let now: Option<(String, String)> = sqlx::query_as(self.now)
            .bind(uuid)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?;
        match now {
            Some((type_url, stored)) => {
                caller.require_stored(self.component, self.scope, &type_url, &stored)
            }
            None => Ok(()),
        }
    }
}

/// The besluit `uuid` at `instant`.
pub async fn besluit(
    s: &AppState,
    caller: &Caller,
    uuid: Uuid,
    instant: DateTime<Utc>,
) -> Result<Response, ApiError> {
    let (besluit, changed) = besluit_then(s, caller, uuid, instant).await?;
    Ok(memento(besluit, changed))
}

/// The besluit `uuid` at `instant`, rendered, if the caller may read its besluittype as it
/// was then and as it is now; with the time of the change shown.
pub(crate) async fn besluit_then(
    s: &AppState,
    caller: &Caller,
    uuid: Uuid,
    instant: DateTime<Utc>,
) -> Result<(Value, DateTime<Utc>), ApiError> {
    let (besluit, changed) =
        past::<domain::besluit::BesluitAggregate, _>(s, uuid, instant, "Het besluit").await?;
    let level = commands::besluiten::LEVEL;
    let scope = "besluiten.lezen";
    caller.require(
        Component::Brc,
        scope,
        &besluit.attributes.besluittype,
        level,
    )?;
    let now: Option<String> =
        sqlx::query_scalar("SELECT besluittype FROM besluiten WHERE uuid = $1")
            .bind(uuid)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?;
    if let Some(besluittype) = now {
        caller.require(Component::Brc, scope, &besluittype, level)?;
    }
    Ok((render::besluit(&besluit, &s.urls), changed))
}
