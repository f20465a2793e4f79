//! `/statussen`: setting a status is a zaken use case (`commands::zaken`, on the zaak's
//! stream); the eindstatus closes the zaak, a non-eindstatus on a closed zaak reopens it.
//! Reads come from `zaak_parts`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use commands::zaken::NewStatus;
use projections::render::{self, Urls};
use projections::zaken::NAME as ZAKEN;
use serde_json::Value;

use super::parts::{detail_row, list_rows, Filter, Listing};
use crate::error::ApiError;
use crate::fields::{Fields, Presence::*};
use crate::{headers, resource, AppState, Caller};

pub use commands::zaken::STATUS_SCOPE as SCOPE;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/statussen", get(list).post(create))
        .route("/statussen/{uuid}", get(detail))
}

pub(super) fn listing() -> Listing {
    Listing {
        kind: projections::zaak_parts::STATUS,
        collection: "/statussen".into(),
        filters: &[
            ("zaak", Filter::Zaak),
            ("statustype", Filter::Attr("statustype")),
            (
                "indicatieLaatstGezetteStatus",
                Filter::Bool("indicatieLaatstGezetteStatus"),
            ),
        ],
        paginated: true,
    }
}

async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    list_rows(&s, (&caller, &headers), &listing(), None, raw).await
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    detail_row(
        &s,
        &caller,
        projections::zaak_parts::STATUS,
        Some(&uuid),
        &headers,
        raw,
    )
    .await
}

/// A status body, as POST /statussen parses it.
pub(super) fn parse(urls: &Urls, body: &Value, now: DateTime<Utc>) -> Result<NewStatus, ApiError> {
    let mut f = Fields::new(body)?;
    let zaak = f.url("zaak", 1000, Required).unwrap_or_default();
    let statustype = f.url("statustype", 1000, Required).unwrap_or_default();
    let datum = f.datetime("datumStatusGezet", Required);
    let statustoelichting = f
        .string("statustoelichting", 1000, Optional)
        .unwrap_or_default();
    let gezetdoor = f.url("gezetdoor", 200, Nullable).unwrap_or_default();
    if datum.is_some_and(|d| d > now) {
        f.error(
            "datumStatusGezet",
            "date-in-future",
            "Deze datum mag niet in de toekomst zijn",
        );
    }
    let zaak_uuid = urls.zaak_uuid(&zaak);
    if !zaak.is_empty() && zaak_uuid.is_none() {
        f.error("zaak", "no_match", "Ongeldige hyperlink - Geen URL match.");
    }
    f.finish(|| NewStatus {
        zaak: zaak_uuid.unwrap_or_default(),
        statustype,
        datum_status_gezet: datum.unwrap_or(now),
        statustoelichting,
        gezetdoor,
    })
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let ctx = s.context(&caller);
    let new = parse(&s.urls, &resource::parse_json(&body)?, ctx.now)?;
    let (outcome, uuid) = super::service(&s)
        .add_status(&caller.authorisation, &ctx, new)
        .await?;
    s.wait_for(ZAKEN, outcome.position).await;
    let zaak = outcome.state.ok_or(ApiError::NotFound)?;
    let status = zaak
        .statussen
        .iter()
        .find(|st| st.uuid == uuid)
        .ok_or(ApiError::NotFound)?;
    Ok(resource::respond(
        StatusCode::CREATED,
        render::status(&zaak, status, &s.urls),
        Some(s.urls.status(uuid)),
    ))
}
