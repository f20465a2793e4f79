//! `/applicaties`: writes through the Applicatie aggregate, with a claim per client id so a
//! client id belongs to one applicatie; reads from the applicaties read model.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use commands::{claim, claim_holder, release, ClaimError, CommandError, Context};
use domain::applicatie::{Applicatie, ApplicatieAggregate, ApplicatieCommand, ApplicatieError};
use event_schemas::applicatie::{ApplicatieAttributes, ApplicatieEvent};
use event_schemas::{stream_name, VersionedEvent};
use projections::applicaties::NAME as APPLICATIES;
use projections::render;
use serde_json::Value;
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

use super::dto;
use crate::concurrency::Target;
use crate::error::{ApiError, InvalidParam};
use crate::headers;
use crate::{pagination, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/applicaties", get(list).post(create))
        .route("/applicaties/consumer", get(consumer))
        .route(
            "/applicaties/{uuid}",
            get(detail)
                .put(update)
                .patch(partial_update)
                .delete(destroy),
        )
        .layer(headers::api_version(super::API_VERSION))
}

fn claim_key(client_id: &str) -> String {
    format!("applicatie-client/{client_id}")
}

/// The applicatie that holds `client_id`, from its claim stream (the source of truth).
pub async fn applicatie_of_client(s: &AppState, client_id: &str) -> Result<Option<Uuid>, ApiError> {
    let holder = claim_holder(s.commands.store().as_ref(), &claim_key(client_id))
        .await
        .map_err(ApiError::internal)?;
    Ok(holder.and_then(|owner| {
        owner
            .strip_prefix(ApplicatieEvent::CATEGORY)
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|id| id.parse().ok())
    }))
}

fn command_error<R: Into<ApiError>>(e: CommandError<ApplicatieError, R>) -> ApiError {
    match e {
        CommandError::Domain(ApplicatieError::NotFound) => ApiError::NotFound,
        CommandError::Domain(e @ ApplicatieError::Ambiguous) => ApiError::invalid(
            "nonFieldErrors",
            "ambiguous-authorizations-specified",
            e.to_string(),
        ),
        CommandError::Domain(e @ ApplicatieError::Missing) => {
            ApiError::invalid("nonFieldErrors", "missing-authorizations", e.to_string())
        }
        CommandError::Domain(ApplicatieError::AutorisatieIncomplete(missing)) => {
            ApiError::Validation(
                missing
                    .into_iter()
                    .map(|(index, field)| {
                        InvalidParam::new(
                            format!("autorisaties.{index}.{field}"),
                            "required",
                            "Dit veld is vereist.",
                        )
                    })
                    .collect(),
            )
        }
        CommandError::Rejected(r) => r.into(),
        other => crate::concurrency::command_failure(other),
    }
}

/// Claims every client id for the applicatie; `clientId-exists` when one is another's.
async fn claim_client_ids(
    s: &AppState,
    ctx: &Context,
    owner: &str,
    client_ids: &[String],
) -> Result<(), ApiError> {
    let mut taken = Vec::new();
    for client_id in client_ids {
        match claim(
            s.commands.store().as_ref(),
            ctx,
            &claim_key(client_id),
            owner,
        )
        .await
        {
            Ok(()) => {}
            Err(ClaimError::Taken { .. }) => taken.push(client_id.as_str()),
            Err(ClaimError::Store(e)) => return Err(ApiError::internal(e)),
        }
    }
    if taken.is_empty() {
        return Ok(());
    }
    // Give back what this request took, so a refused request leaves nothing behind.
    for client_id in client_ids.iter().filter(|c| !taken.contains(&c.as_str())) {
        release_client_id(s, ctx, owner, client_id).await?;
    }
    Err(ApiError::invalid(
        "clientIds",
        "clientId-exists",
        format!(
            "De clientID(s) {} zijn al in gebruik bij een andere applicatie.",
            taken.join(", ")
        ),
    ))
}

async fn release_client_id(
    s: &AppState,
    ctx: &Context,
    owner: &str,
    client_id: &str,
) -> Result<(), ApiError> {
    release(
        s.commands.store().as_ref(),
        ctx,
        &claim_key(client_id),
        owner,
    )
    .await
    .map_err(ApiError::internal)
}

fn respond_with(s: &AppState, status: StatusCode, a: &Applicatie, location: bool) -> Response {
    let url = s.urls.applicatie(a.uuid);
    resource::respond(
        status,
        render::applicatie(a, &s.urls),
        location.then_some(url),
    )
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let attributes = dto::parse(&resource::parse_json(&body)?)?;
    let a = register(&s, &s.context(&caller), attributes).await?;
    Ok(respond_with(&s, StatusCode::CREATED, &a, true))
}

/// Registers a new applicatie: claims its client ids, appends, waits for the read model.
pub async fn register(
    s: &AppState,
    ctx: &Context,
    attributes: ApplicatieAttributes,
) -> Result<Applicatie, ApiError> {
    domain::applicatie::validate(&attributes)
        .map_err(|e| command_error(CommandError::<_, ApiError>::Domain(e)))?;
    let uuid = Uuid::new_v4();
    let owner = stream_name(ApplicatieEvent::CATEGORY, uuid);
    claim_client_ids(s, ctx, &owner, &attributes.client_ids).await?;
    let command = ApplicatieCommand::Register { uuid, attributes };
    let outcome = s
        .commands
        .execute::<ApplicatieAggregate>(uuid, ctx, command)
        .await
        .map_err(command_error)?;
    s.wait_for(APPLICATIES, outcome.position).await;
    outcome
        .state
        .ok_or_else(|| ApiError::internal("registered applicatie has no state"))
}

/// Replaces the attributes of applicatie `uuid` with `change(current)`, claiming client
/// ids it gains and releasing those it loses; waits for the read model.
pub async fn replace(
    s: &AppState,
    ctx: &Context,
    uuid: Uuid,
    change: impl Fn(&Applicatie) -> Result<ApplicatieAttributes, ApiError> + Send + Sync,
) -> Result<Applicatie, ApiError> {
    let owner = stream_name(ApplicatieEvent::CATEGORY, uuid);
    let current = s
        .commands
        .load_state::<ApplicatieAggregate>(uuid)
        .await
        .map_err(ApiError::internal)?
        .0
        .ok_or(ApiError::NotFound)?;
    let attributes = change(&current)?;
    domain::applicatie::validate(&attributes)
        .map_err(|e| command_error(CommandError::<_, ApiError>::Domain(e)))?;
    let added: Vec<String> = attributes
        .client_ids
        .iter()
        .filter(|c| !current.attributes.client_ids.contains(c))
        .cloned()
        .collect();
    claim_client_ids(s, ctx, &owner, &added).await?;
    let build = |state: &Option<Applicatie>| -> Result<ApplicatieCommand, ApiError> {
        let now = state.as_ref().ok_or(ApiError::NotFound)?;
        Ok(ApplicatieCommand::Update {
            attributes: change(now)?,
        })
    };
    let outcome = s
        .commands
        .execute_with::<ApplicatieAggregate, ApiError>(uuid, ctx, build)
        .await
        .map_err(command_error)?;
    let a = outcome.state.ok_or(ApiError::NotFound)?;
    for removed in current
        .attributes
        .client_ids
        .iter()
        .filter(|c| !a.attributes.client_ids.contains(c))
    {
        release_client_id(s, ctx, &owner, removed).await?;
    }
    s.wait_for(APPLICATIES, outcome.position).await;
    Ok(a)
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

/// PUT or PATCH (merged onto the applicatie as it is; `autorisaties` given replace all).
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
    let ctx = s.write_context(&caller, Target::Applicatie, uuid).await?;
    let a = replace(&s, &ctx, uuid, |current| {
        attributes_for(&s, current, &body, partial)
    })
    .await?;
    Ok(respond_with(&s, StatusCode::OK, &a, false))
}

fn attributes_for(
    s: &AppState,
    current: &Applicatie,
    body: &Value,
    partial: bool,
) -> Result<ApplicatieAttributes, ApiError> {
    if partial {
        let merged = resource::merge_patch(render::applicatie(current, &s.urls), body)?;
        dto::parse(&merged)
    } else {
        dto::parse(body)
    }
}

async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = s.write_context(&caller, Target::Applicatie, uuid).await?;
    let outcome = s
        .commands
        .execute::<ApplicatieAggregate>(uuid, &ctx, ApplicatieCommand::Delete)
        .await
        .map_err(command_error)?;
    let owner = stream_name(ApplicatieEvent::CATEGORY, uuid);
    let events = s
        .commands
        .store()
        .read_stream(&owner, 0)
        .await
        .map_err(ApiError::internal)?;
    if let Some(Ok(ApplicatieEvent::Deleted(d))) = events
        .last()
        .map(|e| ApplicatieEvent::decode(&e.event_type, e.schema_version, e.payload.clone()))
    {
        for client_id in &d.client_ids {
            release_client_id(&s, &ctx, &owner, client_id).await?;
        }
    }
    s.wait_for(APPLICATIES, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn detail(
    State(s): State<AppState>,
    _caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let row = sqlx::query("SELECT resource, etag FROM applicaties WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    let etag: String = row.get("etag");
    Ok(resource::detail(&headers, row.get("resource"), &etag))
}

/// The applicatie of one client id, as Open Zaak answers it: the object itself.
async fn consumer(
    State(s): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    if let Some((k, _)) = pairs.iter().find(|(k, _)| k != "clientId") {
        return Err(unknown_parameter(k));
    }
    let Some((_, client_id)) = pairs.iter().find(|(k, _)| k == "clientId") else {
        return Err(ApiError::invalid(
            "clientId",
            "required",
            "Dit veld is vereist.",
        ));
    };
    let row = sqlx::query(
        "SELECT a.resource, a.etag FROM applicatie_clients c
         JOIN applicaties a ON a.uuid = c.applicatie WHERE c.client_id = $1",
    )
    .bind(client_id)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    let etag: String = row.get("etag");
    Ok(resource::detail(&headers, row.get("resource"), &etag))
}

fn unknown_parameter(name: &str) -> ApiError {
    ApiError::invalid(
        "nonFieldErrors",
        "unknown-parameters",
        format!("Onbekende query parameters: {name}"),
    )
}

async fn list(
    State(s): State<AppState>,
    _caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    if let Some((k, _)) = pairs.iter().find(|(k, _)| k != "clientIds" && k != "page") {
        return Err(unknown_parameter(k));
    }
    let page = pagination::page_number(
        pairs
            .iter()
            .find(|(k, _)| k == "page")
            .map(|(_, v)| v.as_str()),
    )?;
    let client_ids: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "clientIds")
        .flat_map(|(_, v)| v.split(','))
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    let filter = |sql: &mut QueryBuilder<'_, sqlx::Postgres>| {
        if !client_ids.is_empty() {
            sql.push(" WHERE client_ids && ")
                .push_bind(client_ids.clone());
        }
    };
    let mut count = QueryBuilder::new("SELECT count(*) FROM applicaties");
    filter(&mut count);
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let mut select = QueryBuilder::new("SELECT resource FROM applicaties");
    filter(&mut select);
    select
        .push(" ORDER BY ordinal DESC LIMIT ")
        .push_bind(pagination::PAGE_SIZE)
        .push(" OFFSET ")
        .push_bind((page - 1) * pagination::PAGE_SIZE);
    let results: Vec<Value> = select
        .build_query_scalar()
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let base = format!("{}/autorisaties/api/v1/applicaties", s.urls.base());
    let body = pagination::page(&base, &pairs, page, total, results)?;
    Ok(Json(body).into_response())
}
