//! Writes of zaaktypen, informatieobjecttypen, besluittypen and a zaaktype's children:
//! the body read by the kind's field table, the facts read from the catalogi read model,
//! the rules decided by the CatalogusObject aggregate, the answer after the read model
//! has the change (read-your-writes).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use commands::CommandError;
use domain::catalogus_object::{
    CatalogusObject, CatalogusObjectAggregate, ObjectCommand, ObjectError,
};
use event_schemas::catalogus::ObjectKind;
use projections::catalogi::{render_current, snapshot::Stored, NAME as CATALOGI};
use serde_json::Value;
use uuid::Uuid;

use super::references::{self, Strict};
use super::{dto, schema, FORCED_DELETE, FORCED_WRITE};
use crate::concurrency::Target;
use crate::error::{ApiError, InvalidParam};
use crate::{headers, resource, AppState, Caller};

/// What a request asks of an existing object.
enum Op {
    Update { body: Value, partial: bool },
    Publish,
    Delete,
}

/// The object changed while its facts were read: read them again.
#[derive(Debug)]
struct Stale;

fn holds(caller: &Caller, scope: &str) -> bool {
    caller
        .authorisation
        .has_scope(event_schemas::applicatie::Component::Ztc, scope)
}

pub(super) fn command_error<R: std::fmt::Debug>(e: CommandError<ObjectError, R>) -> ApiError {
    match e {
        CommandError::Domain(e) => domain_error(&e),
        other => crate::concurrency::command_failure(other),
    }
}

/// A rule's refusal as the standard's code; `nonFieldErrors` unless a field is at fault.
fn domain_error(e: &ObjectError) -> ApiError {
    let non_field = |code: &str| ApiError::invalid("nonFieldErrors", code, e.to_string());
    let each = |params: Vec<InvalidParam>| ApiError::Validation(params);
    match e {
        ObjectError::NotFound => ApiError::NotFound,
        ObjectError::NonConceptObject => non_field("non-concept-object"),
        ObjectError::NonConceptZaaktype => non_field("non-concept-zaaktype"),
        ObjectError::NonConceptRelation => non_field("non-concept-relation"),
        // Open Zaak's DeelzaaktypeCatalogusValidator names its field; the others do not.
        ObjectError::RelationsIncorrectCatalogus { field } if field == "deelzaaktypen" => {
            ApiError::invalid(field, "relations-incorrect-catalogus", e.to_string())
        }
        ObjectError::RelationsIncorrectCatalogus { .. } => {
            non_field("relations-incorrect-catalogus")
        }
        ObjectError::RelationsIncorrectZaaktype { .. } => non_field("relations-incorrect-zaaktype"),
        ObjectError::VerlengingMismatch => non_field("verlenging-mismatch"),
        ObjectError::BronMismatch => non_field("invalid-bronzaaktype-for-broncatalogus"),
        ObjectError::NotUnique { .. } => non_field("unique"),
        ObjectError::DateMismatch => non_field("date-mismatch"),
        ObjectError::CatalogusChanged => {
            ApiError::invalid("catalogus", "wijzigen-niet-toegelaten", e.to_string())
        }
        ObjectError::Overlap { field, .. } => ApiError::invalid(field, "overlap", e.to_string()),
        ObjectError::PublishRefused(reasons) => each(
            reasons
                .iter()
                .map(|(field, reason)| InvalidParam::new(*field, "concept-relation", *reason))
                .collect(),
        ),
        ObjectError::Afleidingswijze(errors) => each(
            errors
                .iter()
                .map(|(field, code)| InvalidParam::new(field.clone(), code, e.to_string()))
                .collect(),
        ),
        ObjectError::ProcestypeMismatch => non_field("procestype-mismatch"),
        ObjectError::ProcestermijnMismatch { .. } => {
            non_field("invalid-afleidingswijze-for-procestermijn")
        }
        ObjectError::Several(errors) => each(
            errors
                .iter()
                .flat_map(|e| match domain_error(e) {
                    ApiError::Validation(params) => params,
                    _ => Vec::new(),
                })
                .collect(),
        ),
        ObjectError::AlreadyExists | ObjectError::NotPublishable => ApiError::internal(e),
    }
}

/// The object rendered as the read model shows it after the write.
async fn answer(
    s: &AppState,
    object: &CatalogusObject,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let url = s.urls.catalogus_object(object.kind, object.uuid);
    let body = render_current(&s.pool, &s.urls, Stored::Object(object.clone()))
        .await
        .map_err(ApiError::internal)?;
    let location = (status == StatusCode::CREATED).then_some(url);
    Ok(resource::respond(status, body, location))
}

pub(super) async fn create(
    kind: ObjectKind,
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let mut attributes = dto::parse(schema::fields(kind), &resource::parse_json(&body)?)?;
    let mut facts = references::facts(&s, kind, None, &mut attributes, Strict::Yes).await?;
    facts.may_force = holds(&caller, FORCED_WRITE);
    let uuid = Uuid::new_v4();
    let command = ObjectCommand::Create {
        kind,
        uuid,
        attributes,
        facts,
    };
    let ctx = s.context(&caller);
    let object =
        super::create_and_wait::<CatalogusObjectAggregate>(&s, &ctx, uuid, command, command_error)
            .await?
            .ok_or_else(|| ApiError::internal("created object has no state"))?;
    answer(&s, &object, StatusCode::CREATED).await
}

/// The command for `op` on `current`, with its facts read now.
async fn command(
    s: &AppState,
    caller: &Caller,
    current: &CatalogusObject,
    op: &Op,
) -> Result<ObjectCommand, ApiError> {
    let kind = current.kind;
    let (mut attributes, strict) = match op {
        Op::Update { body, partial } => {
            let merged;
            let input = if *partial {
                merged = dto::merge_patch(schema::fields(kind), &current.attributes, body)?;
                &merged
            } else {
                body
            };
            (dto::parse(schema::fields(kind), input)?, Strict::Yes)
        }
        Op::Publish | Op::Delete => (current.attributes.clone(), Strict::No),
    };
    let mut facts = references::facts(s, kind, Some(current), &mut attributes, strict).await?;
    Ok(match op {
        Op::Update { partial, .. } => {
            facts.may_force = holds(caller, FORCED_WRITE);
            ObjectCommand::Update {
                attributes,
                partial: *partial,
                facts,
            }
        }
        Op::Publish => ObjectCommand::Publish { facts },
        Op::Delete => {
            facts.may_force = holds(caller, FORCED_DELETE);
            ObjectCommand::Delete { facts }
        }
    })
}

/// Runs `op` on object `uuid` of `kind`: reads it and its facts, decides, and does it again
/// when the object changed in between (so no fact is stale).
async fn run(
    s: &AppState,
    caller: &Caller,
    kind: ObjectKind,
    uuid: &str,
    op: Op,
) -> Result<Option<CatalogusObject>, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let ctx = match op {
        Op::Publish => s.context(caller),
        Op::Update { .. } | Op::Delete => {
            s.write_context(caller, Target::CatalogusObject, uuid)
                .await?
        }
    };
    for _ in 0..3 {
        let (state, _) = s
            .commands
            .load_state::<CatalogusObjectAggregate>(uuid)
            .await
            .map_err(command_error)?;
        let current = state.filter(|o| o.kind == kind).ok_or(ApiError::NotFound)?;
        if !super::reads::served(s, uuid, kind).await? {
            return Err(ApiError::NotFound);
        }
        let cmd = command(s, caller, &current, &op).await?;
        let result = s
            .commands
            .execute_with::<CatalogusObjectAggregate, Stale>(uuid, &ctx, |now| {
                if now.as_ref() == Some(&current) {
                    Ok(cmd.clone())
                } else {
                    Err(Stale)
                }
            })
            .await;
        match result {
            Err(CommandError::Rejected(Stale)) => continue,
            Err(e) => return Err(command_error(e)),
            Ok(outcome) => {
                s.wait_for(CATALOGI, outcome.position).await;
                return Ok(outcome.state);
            }
        }
    }
    Err(ApiError::Conflict(
        "Het object werd tegelijk door anderen gewijzigd; probeer het opnieuw.".into(),
    ))
}

pub(super) async fn update(
    kind: ObjectKind,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let body = resource::parse_json(&body)?;
    let op = Op::Update { body, partial };
    let object = run(&s, &caller, kind, &uuid, op)
        .await?
        .ok_or(ApiError::NotFound)?;
    answer(&s, &object, StatusCode::OK).await
}

pub(super) async fn publish(
    kind: ObjectKind,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let object = run(&s, &caller, kind, &uuid, Op::Publish)
        .await?
        .ok_or(ApiError::NotFound)?;
    answer(&s, &object, StatusCode::OK).await
}

pub(super) async fn destroy(
    kind: ObjectKind,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    run(&s, &caller, kind, &uuid, Op::Delete).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
