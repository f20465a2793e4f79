//! `/besluiten` and `/besluiten/{uuid}`: writes go through the Besluit aggregate and wait
//! for the read models (the besluit, and the zaakbesluit of its zaak); reads are single
//! queries on the besluiten read model, filtered by the caller's brc grants.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use commands::{claim, ClaimError, CommandError};
use domain::besluit::{Besluit, BesluitAggregate, BesluitCommand, BesluitError, Facts};
use event_schemas::applicatie::Component;
use event_schemas::besluit::{BesluitAttributes, BesluitEvent};
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use event_schemas::{stream_name, VersionedEvent};
use projections::render;
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

use super::{dto, facts, sync, AANMAKEN, BIJWERKEN, LEZEN, VERWIJDEREN};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::zaken::expand;
use crate::zaken::lists::expand_of;
use crate::{headers, resource, AppState, Caller};

/// A besluit has no vertrouwelijkheidaanduiding: brc grants are per besluittype only (as
/// in Open Zaak), so every check is made at the lowest level.
pub(super) const LEVEL: Vertrouwelijkheidaanduiding = Vertrouwelijkheidaanduiding::Openbaar;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/besluiten", get(super::lists::list).post(create))
        .route(
            "/besluiten/{uuid}",
            get(detail)
                .put(update)
                .patch(partial_update)
                .delete(destroy),
        )
}

pub(super) fn command_error<R: Into<ApiError>>(e: CommandError<BesluitError, R>) -> ApiError {
    match e {
        CommandError::Domain(e) => domain_error(e),
        CommandError::Rejected(r) => r.into(),
        other => crate::concurrency::command_failure(other),
    }
}

/// A refusal of the Besluit aggregate as the reference reports it (several field-level
/// problems at once).
fn domain_error(e: BesluitError) -> ApiError {
    let mut params = Vec::new();
    let several = match e {
        BesluitError::Several(all) => all,
        one => vec![one],
    };
    for e in several {
        let (name, code) = match &e {
            BesluitError::NotFound | BesluitError::InformatieobjectNotFound => {
                return ApiError::NotFound
            }
            BesluitError::AlreadyExists | BesluitError::Several(_) => return ApiError::internal(e),
            BesluitError::BesluittypeNotPublished => ("besluittype", "not-published"),
            BesluitError::ZaaktypeMismatch => ("nonFieldErrors", "zaaktype-mismatch"),
            BesluitError::DatumInFuture => ("datum", "future_not_allowed"),
            BesluitError::Immutable { field } => (*field, "wijzigen-niet-toegelaten"),
            BesluitError::InformatieobjectNotUnique => ("nonFieldErrors", "unique"),
            BesluitError::InformatieobjecttypeMismatch => (
                "nonFieldErrors",
                "missing-besluittype-informatieobjecttype-relation",
            ),
        };
        params.push(crate::error::InvalidParam::new(name, code, e.to_string()));
    }
    ApiError::Validation(params)
}

/// The besluit at `raw` (a path uuid), if the caller may `scope` it: 404 / 403.
pub(super) async fn require_on_besluit(
    s: &AppState,
    caller: &Caller,
    raw: &str,
    scope: &str,
) -> Result<Uuid, ApiError> {
    let uuid: Uuid = raw.parse().map_err(|_| ApiError::NotFound)?;
    let besluittype: Option<String> =
        sqlx::query_scalar("SELECT besluittype FROM besluiten WHERE uuid = $1")
            .bind(uuid)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?;
    caller.require(
        Component::Brc,
        scope,
        &besluittype.ok_or(ApiError::NotFound)?,
        LEVEL,
    )?;
    Ok(uuid)
}

/// The facts of `attributes` (its besluittype and the zaaktype of its zaak); the zaak's
/// closed-ness checked for the caller.
async fn facts_of(
    s: &AppState,
    caller: &Caller,
    a: &BesluitAttributes,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Facts, ApiError> {
    let besluittype = facts::besluittype(s, &a.besluittype).await?;
    let zaaktype_of_zaak = match &a.zaak {
        Some(url) => {
            let zaak = facts::zaak(s, url).await?;
            zaak.check_open(caller)?;
            Some(zaak.zaaktype)
        }
        None => None,
    };
    Ok(Facts {
        today: now.date_naive(),
        besluittype: facts::for_domain(&besluittype),
        zaaktype_of_zaak,
    })
}

/// 403 when the besluit's current zaak is closed and the caller may not force changes.
async fn check_current_zaak(s: &AppState, caller: &Caller, b: &Besluit) -> Result<(), ApiError> {
    match &b.attributes.zaak {
        Some(url) => facts::zaak(s, url).await?.check_open(caller),
        None => Ok(()),
    }
}

fn identificatie_key(a: &BesluitAttributes) -> String {
    format!(
        "besluit-identificatie/{}/{}",
        a.verantwoordelijke_organisatie, a.identificatie
    )
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let ctx = s.context(&caller);
    let mut attributes = dto::parse(&resource::parse_json(&body)?)?;
    let facts = facts_of(&s, &caller, &attributes, ctx.now).await?;
    caller.require(Component::Brc, AANMAKEN, &attributes.besluittype, LEVEL)?;
    // Field-level problems come before the identificatie's uniqueness, as in Open Zaak
    // (its UniekeIdentificatieValidator is an object-level validator).
    domain::besluit::check_fields(None, &attributes, &facts).map_err(domain_error)?;
    if attributes.identificatie.is_empty() {
        // `BESLUIT-{year of the beslisdatum}-{n}`, the form Open Zaak generates.
        let n: i64 = sqlx::query_scalar("SELECT nextval('besluit_identificatie_seq')")
            .fetch_one(&s.pool)
            .await
            .map_err(ApiError::internal)?;
        attributes.identificatie = format!("BESLUIT-{}-{n:010}", attributes.datum.format("%Y"));
    }
    let uuid = Uuid::new_v4();
    let key = identificatie_key(&attributes);
    let owner = stream_name(BesluitEvent::CATEGORY, uuid);
    let store = s.commands.store().as_ref();
    claim(store, &ctx, &key, &owner)
        .await
        .map_err(|e| match e {
            ClaimError::Taken { .. } => ApiError::invalid(
                "identificatie",
                "identificatie-niet-uniek",
                "Deze identificatie bestaat al voor deze verantwoordelijke organisatie",
            ),
            ClaimError::Store(e) => ApiError::internal(e),
        })?;
    let command = BesluitCommand::Create {
        uuid,
        attributes,
        facts,
    };
    let outcome = match s
        .commands
        .create::<BesluitAggregate>(uuid, &ctx, command)
        .await
    {
        Ok(outcome) => outcome,
        Err(e) => {
            // The besluit was refused: its identificatie stays free.
            commands::release(store, &ctx, &key, &owner)
                .await
                .map_err(ApiError::internal)?;
            return Err(command_error(e));
        }
    };
    let besluit = outcome
        .state
        .ok_or_else(|| ApiError::internal("created besluit has no state"))?;
    sync::wait(
        &s,
        outcome.position,
        &[besluit.attributes.zaak.as_deref()],
        &[],
    )
    .await?;
    Ok(resource::respond(
        StatusCode::CREATED,
        render::besluit(&besluit, &s.urls),
        Some(s.urls.besluit(uuid)),
    ))
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let tree = expand_of(&resource::query_pairs(raw)?)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let row = sqlx::query("SELECT resource, etag, besluittype FROM besluiten WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    caller.require(Component::Brc, LEZEN, row.get("besluittype"), LEVEL)?;
    if !tree.is_empty() {
        let mut one = [row.get::<Value, _>("resource")];
        expand::apply(&s, &caller, &mut one, &tree).await?;
        let [besluit] = one;
        return Ok(resource::respond(StatusCode::OK, besluit, None));
    }
    let etag: String = row.get("etag");
    Ok(resource::detail(&headers, row.get("resource"), &etag))
}

/// The besluit as its stream has it now; 404 when there is none.
pub(super) async fn current(s: &AppState, uuid: Uuid) -> Result<Besluit, ApiError> {
    let (current, _) = s
        .commands
        .load_state::<BesluitAggregate>(uuid)
        .await
        .map_err(ApiError::internal)?;
    current.ok_or(ApiError::NotFound)
}

async fn update(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    write(state, caller, path, headers, body, false).await
}

async fn partial_update(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    write(state, caller, path, headers, body, true).await
}

/// The attributes a PUT (the whole besluit) or PATCH (merged onto `current`) asks for; an
/// absent identificatie keeps the current one.
fn requested(
    current: &Besluit,
    body: &Value,
    partial: bool,
) -> Result<BesluitAttributes, ApiError> {
    let merged;
    let input = if partial {
        merged = dto::merge_patch(&current.attributes, body)?;
        &merged
    } else {
        body
    };
    let mut attributes = dto::parse(input)?;
    if attributes.identificatie.is_empty() {
        attributes.identificatie = current.attributes.identificatie.clone();
    }
    Ok(attributes)
}

async fn write(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let body = resource::parse_json(&body)?;
    let ctx = s.write_context(&caller, Target::Besluit, uuid).await?;
    let current = current(&s, uuid).await?;
    caller.require(
        Component::Brc,
        BIJWERKEN,
        &current.attributes.besluittype,
        LEVEL,
    )?;
    check_current_zaak(&s, &caller, &current).await?;
    let facts = facts_of(&s, &caller, &requested(&current, &body, partial)?, ctx.now).await?;
    let build = |state: &Option<Besluit>| -> Result<BesluitCommand, ApiError> {
        let current = state.as_ref().ok_or(ApiError::NotFound)?;
        Ok(BesluitCommand::Update {
            attributes: requested(current, &body, partial)?,
            partial,
            facts: facts.clone(),
        })
    };
    let outcome = s
        .commands
        .execute_with::<BesluitAggregate, ApiError>(uuid, &ctx, build)
        .await
        .map_err(command_error)?;
    let besluit = outcome.state.ok_or(ApiError::NotFound)?;
    let zaken = [
        current.attributes.zaak.as_deref(),
        besluit.attributes.zaak.as_deref(),
    ];
    sync::wait(&s, outcome.position, &zaken, &[]).await?;
    Ok(resource::respond(
        StatusCode::OK,
        render::besluit(&besluit, &s.urls),
        None,
    ))
}

/// DELETE: the besluit and its besluitinformatieobjecten leave the API (the stream stays as
/// history), its zaakbesluit goes (process manager), its identificatie becomes free.
async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s.write_context(&caller, Target::Besluit, uuid).await?;
    let current = current(&s, uuid).await?;
    caller.require(
        Component::Brc,
        VERWIJDEREN,
        &current.attributes.besluittype,
        LEVEL,
    )?;
    check_current_zaak(&s, &caller, &current).await?;
    let outcome = s
        .commands
        .execute::<BesluitAggregate>(uuid, &ctx, BesluitCommand::Delete)
        .await
        .map_err(command_error)?;
    let owner = stream_name(BesluitEvent::CATEGORY, uuid);
    let key = identificatie_key(&current.attributes);
    commands::release(s.commands.store().as_ref(), &ctx, &key, &owner)
        .await
        .map_err(ApiError::internal)?;
    let documents: Vec<&str> = current
        .informatieobjecten
        .values()
        .map(|b| b.informatieobject.as_str())
        .collect();
    let zaken = [current.attributes.zaak.as_deref()];
    sync::wait(&s, outcome.position, &zaken, &documents).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
