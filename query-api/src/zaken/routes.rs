//! `/zaken` and `/zaken/{uuid}`: writes go through the Zaak aggregate and wait for the read
//! model (read-your-writes); reads are single queries on the zaken read model.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use commands::CommandError;
use domain::zaak::{ZaakAggregate, ZaakCommand, ZaakError};
use event_schemas::applicatie::Component;
use event_schemas::zaak::ZaakEvent;
use event_schemas::{stream_name, VersionedEvent};
use projections::{render, zaken::NAME as ZAKEN};
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

use super::lists::{self, expand_of};
use super::rules::{
    check_communicatiekanaal, check_hoofdzaak, check_producten, check_selectielijstklasse,
    check_zaak_urls,
};
use super::{dto, expand};
use crate::concurrency::{command_failure, Target};
use crate::error::ApiError;
use crate::headers::{self, content_crs};
use crate::{resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/zaken", get(lists::list).post(create))
        .route("/zaken/_zoek", axum::routing::post(lists::search))
        .route(
            "/zaken/{uuid}",
            get(detail)
                .put(update)
                .patch(partial_update)
                .delete(destroy),
        )
        .merge(super::parts::router())
        .merge(super::audittrail::router())
        .merge(super::statussen::router())
        .layer(headers::api_version(super::API_VERSION))
}

pub(super) fn check_write_headers(headers: &HeaderMap) -> Result<(), ApiError> {
    headers::require_json(headers)?;
    headers::require_accept_crs(headers)?;
    headers::require_content_crs(headers)
}

/// A zaak resource: with Content-Crs, as every response carrying zaakgeometrie.
fn resource_response(status: StatusCode, body: Value, location: Option<String>) -> Response {
    with_crs(resource::respond(status, body, location))
}

pub(super) fn with_crs(mut response: Response) -> Response {
    let (name, value) = content_crs();
    response.headers_mut().insert(name, value);
    response
}

fn command_error<R: Into<ApiError>>(e: CommandError<ZaakError, R>) -> ApiError {
    match e {
        CommandError::Domain(ZaakError::NotFound) => ApiError::NotFound,
        CommandError::Domain(e @ ZaakError::Closed) => ApiError::PermissionDenied(e.to_string()),
        CommandError::Domain(e @ ZaakError::IdentityChanged) => {
            ApiError::invalid("identificatie", "wijzigen-niet-toegelaten", e.to_string())
        }
        CommandError::Domain(e @ ZaakError::AlreadyExists) => ApiError::internal(e),
        CommandError::Rejected(r) => r.into(),
        other => command_failure(other),
    }
}

async fn create(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    check_write_headers(&headers)?;
    let ctx = s.context(&caller);
    let body = resource::parse_json(&body)?;
    let mut attributes = dto::parse(&body, ctx.now)?;
    let zaaktype = super::catalogus::zaaktype(&s, &attributes.zaaktype).await?;
    if body
        .get("vertrouwelijkheidaanduiding")
        .is_none_or(|v| v.is_null() || v == "")
    {
        attributes.vertrouwelijkheidaanduiding = zaaktype.vertrouwelijkheidaanduiding;
    }
    check_producten(&attributes.producten_of_diensten, &zaaktype)?;
    check_selectielijstklasse(&s, &attributes.selectielijstklasse).await?;
    check_communicatiekanaal(&s, &attributes.communicatiekanaal).await?;
    let relevante: Vec<&str> = attributes
        .relevante_andere_zaken
        .iter()
        .map(|r| r.url.as_str())
        .collect();
    check_zaak_urls(&s, "relevanteAndereZaken", &relevante).await?;
    let gerelateerd: Vec<&str> = attributes
        .gerelateerde_zaken
        .iter()
        .map(|r| r.url.as_str())
        .collect();
    check_zaak_urls(&s, "gerelateerdeZaken", &gerelateerd).await?;
    caller.require(
        Component::Zrc,
        "zaken.aanmaken",
        &attributes.zaaktype,
        attributes.vertrouwelijkheidaanduiding,
    )?;
    let uuid = Uuid::new_v4();
    check_hoofdzaak(
        &s,
        uuid,
        attributes.hoofdzaak.as_deref(),
        Some(&attributes.zaaktype),
    )
    .await?;
    if attributes.identificatie.is_empty() {
        attributes.identificatie = generate_identificatie(&s, ctx.now).await?;
    }
    let key = identificatie_key(&attributes);
    let owner = stream_name(ZaakEvent::CATEGORY, uuid);
    s.claim_identificatie(&ctx, &key, &owner).await?;
    let command = ZaakCommand::Create { uuid, attributes };
    let outcome = s
        .commands
        .create::<ZaakAggregate>(uuid, &ctx, command)
        .await
        .map_err(command_error)?;
    s.wait_for(ZAKEN, outcome.position).await;
    let mut zaak = outcome
        .state
        .ok_or_else(|| ApiError::internal("created zaak has no state"))?;
    // As the projection stamps it from the envelope: the moment of this write.
    zaak.laatst_gemuteerd = Some(ctx.now);
    let url = s.urls.zaak(uuid);
    Ok(resource_response(
        StatusCode::CREATED,
        render::zaak(&zaak, &s.urls),
        Some(url),
    ))
}

/// `ZAAK-{year}-{number}`, the form Open Zaak generates.
async fn generate_identificatie(
    s: &AppState,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, ApiError> {
    let n: i64 = sqlx::query_scalar("SELECT nextval('zaak_identificatie_seq')")
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    Ok(format!("ZAAK-{}-{n:010}", now.format("%Y")))
}

fn identificatie_key(a: &event_schemas::zaak::ZaakAttributes) -> String {
    format!(
        "zaak-identificatie/{}/{}",
        a.bronorganisatie, a.identificatie
    )
}

/// DELETE: the zaak and everything it owns leave the API (its stream stays as history);
/// its identificatie becomes free again.
async fn destroy(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    check_no_besluiten(&s, uuid).await?;
    let ctx = s.write_context(&caller, Target::Zaak, uuid).await?;
    // The identificatie to free and the documents linked, as the deciding attempt saw them.
    let key = std::sync::Mutex::new(None);
    let documents = std::sync::Mutex::new(Vec::new());
    let build = |state: &Option<domain::zaak::Zaak>| -> Result<ZaakCommand, ApiError> {
        let current = state.as_ref().ok_or(ApiError::NotFound)?;
        caller.require(
            Component::Zrc,
            "zaken.verwijderen",
            &current.attributes.zaaktype,
            current.attributes.vertrouwelijkheidaanduiding,
        )?;
        *key.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(identificatie_key(&current.attributes));
        *documents.lock().unwrap_or_else(|e| e.into_inner()) = linked_documents(current);
        Ok(ZaakCommand::Delete)
    };
    let outcome = s
        .commands
        .execute_with::<ZaakAggregate, ApiError>(uuid, &ctx, build)
        .await
        .map_err(command_error)?;
    s.wait_for(ZAKEN, outcome.position).await;
    let documents = documents.into_inner().unwrap_or_else(|e| e.into_inner());
    let touched = documents
        .iter()
        .filter_map(|d| crate::sync::Touched::document(&s, d));
    crate::sync::wait(&s, outcome.position, touched).await?;
    if let Some(key) = key.into_inner().unwrap_or_else(|e| e.into_inner()) {
        let owner = stream_name(ZaakEvent::CATEGORY, uuid);
        commands::release(s.commands.store().as_ref(), &ctx, &key, &owner)
            .await
            .map_err(ApiError::internal)?;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The documents of a zaak's zaakinformatieobjecten (their mirrors go with the zaak).
fn linked_documents(zaak: &domain::zaak::Zaak) -> Vec<String> {
    zaak.parts_of(event_schemas::zaak::PartKind::Zaakinformatieobject)
        .filter_map(|(_, p)| p.attributes.get("informatieobject")?.as_str())
        .map(str::to_owned)
        .collect()
}

/// A zaak with besluiten (in the besluiten read model) is not deleted before them, as in
/// Open Zaak (`pending-besluit-relation`).
async fn check_no_besluiten(s: &AppState, uuid: Uuid) -> Result<(), ApiError> {
    let pending: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM besluiten WHERE zaak = $1)")
            .bind(s.urls.zaak(uuid))
            .fetch_one(&s.pool)
            .await
            .map_err(ApiError::internal)?;
    if pending {
        return Err(ApiError::invalid(
            "nonFieldErrors",
            "pending-besluit-relation",
            "All related Besluit objects should be destroyed before destroying the zaak",
        ));
    }
    Ok(())
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    headers::require_accept_crs(&headers)?;
    let tree = expand_of(&resource::query_pairs(raw)?)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let row = sqlx::query(
        "SELECT resource::text AS resource, etag, zaaktype, vertrouwelijkheidaanduiding
         FROM zaken WHERE uuid = $1",
    )
    .bind(uuid)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    let zaaktype: String = row.get("zaaktype");
    let stored: String = row.get("vertrouwelijkheidaanduiding");
    caller.require_stored(Component::Zrc, "zaken.lezen", &zaaktype, &stored)?;
    let json: String = row.get("resource");
    if !tree.is_empty() {
        let zaak: Value = serde_json::from_str(&json).map_err(ApiError::internal)?;
        let mut one = [zaak];
        expand::apply(&s, &caller, &mut one, &tree).await?;
        let [zaak] = one;
        return Ok(resource_response(StatusCode::OK, zaak, None));
    }
    let etag: String = row.get("etag");
    Ok(with_crs(resource::detail_text(&headers, json, &etag)))
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

/// productenOfDiensten named by a PUT or PATCH are the zaaktype's, as on create
/// (`invalid-products-services`; the zaaktype never changes, so it is the current one's).
async fn check_producten_on_write(s: &AppState, uuid: Uuid, body: &Value) -> Result<(), ApiError> {
    let Some(producten) = body.get("productenOfDiensten").and_then(Value::as_array) else {
        return Ok(());
    };
    let producten: Vec<String> = producten
        .iter()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect();
    if producten.is_empty() {
        return Ok(());
    }
    let zaaktype: Option<String> = sqlx::query_scalar("SELECT zaaktype FROM zaken WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let Some(zaaktype) = zaaktype else {
        return Ok(());
    };
    let zaaktype = super::catalogus::zaaktype(s, &zaaktype).await?;
    check_producten(&producten, &zaaktype)
}

/// PUT (`partial` false: the body is the whole zaak) or PATCH (merged onto the zaak as it
/// is at the moment of deciding, on every retry).
async fn write(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    check_write_headers(&headers)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let body = resource::parse_json(&body)?;
    let hoofdzaak = body.get("hoofdzaak").and_then(Value::as_str);
    check_hoofdzaak(&s, uuid, hoofdzaak, None).await?;
    if let Some(klasse) = body.get("selectielijstklasse").and_then(Value::as_str) {
        check_selectielijstklasse(&s, klasse).await?;
    }
    if let Some(kanaal) = body.get("communicatiekanaal").and_then(Value::as_str) {
        check_communicatiekanaal(&s, kanaal).await?;
    }
    for list in ["relevanteAndereZaken", "gerelateerdeZaken"] {
        if let Some(items) = body.get(list).and_then(Value::as_array) {
            let urls: Vec<&str> = items
                .iter()
                .map(|r| r.get("url").and_then(Value::as_str).unwrap_or_default())
                .collect();
            check_zaak_urls(&s, list, &urls).await?;
        }
    }
    check_producten_on_write(&s, uuid, &body).await?;
    let archiving = body
        .get("archiefstatus")
        .and_then(Value::as_str)
        .is_some_and(|a| a != "nog_te_archiveren");
    if archiving {
        let (current, _) = s
            .commands
            .load_state::<ZaakAggregate>(uuid)
            .await
            .map_err(ApiError::internal)?;
        if let Some(zaak) = &current {
            super::documenten::check_archiving(&s, zaak).await?;
        }
    }
    let ctx = s.write_context(&caller, Target::Zaak, uuid).await?;
    let build = |state: &Option<domain::zaak::Zaak>| -> Result<ZaakCommand, ApiError> {
        let current = state.as_ref().ok_or(ApiError::NotFound)?;
        let (zaaktype, vertrouwelijkheid) = (
            current.attributes.zaaktype.as_str(),
            current.attributes.vertrouwelijkheidaanduiding,
        );
        caller.require(
            Component::Zrc,
            super::BIJWERKEN,
            zaaktype,
            vertrouwelijkheid,
        )?;
        let may_force = caller
            .grants(Component::Zrc, "zaken.geforceerd-bijwerken")
            .allows(zaaktype, vertrouwelijkheid);
        let merged;
        let input = if partial {
            merged = dto::merge_patch(&current.attributes, &body)?;
            &merged
        } else {
            &body
        };
        let mut attributes = dto::parse(input, ctx.now)?;
        if attributes.identificatie.is_empty() {
            attributes.identificatie = current.attributes.identificatie.clone();
        }
        if attributes.zaaktype != current.attributes.zaaktype {
            return Err(ApiError::invalid(
                "zaaktype",
                "wijzigen-niet-toegelaten",
                "Dit veld mag niet gewijzigd worden.",
            ));
        }
        // The changed zaak must stay within what the caller may create or change.
        caller.require(
            Component::Zrc,
            super::BIJWERKEN,
            &attributes.zaaktype,
            attributes.vertrouwelijkheidaanduiding,
        )?;
        Ok(ZaakCommand::Update {
            attributes,
            partial,
            may_force,
        })
    };
    let outcome = s
        .commands
        .execute_with::<ZaakAggregate, ApiError>(uuid, &ctx, build)
        .await
        .map_err(command_error)?;
    s.wait_for(ZAKEN, outcome.position).await;
    let zaak = outcome.state.ok_or(ApiError::NotFound)?;
    // The read model's resource: it also has what other zaken say of this one (deelzaken).
    let stored: Option<Value> = sqlx::query_scalar("SELECT resource FROM zaken WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let body = stored.unwrap_or_else(|| render::zaak(&zaak, &s.urls));
    Ok(resource_response(StatusCode::OK, body, None))
}
