//! One set of handlers for every part kind of [`super::SPECS`]: writes are commands on the
//! zaak's stream (read-your-writes on the zaken projection, which also keeps `zaak_parts`);
//! reads are single queries on `zaak_parts`, filtered by the caller's grants in SQL.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};
use commands::CommandError;
use domain::zaak::{Zaak, ZaakAggregate, ZaakCommand, ZaakError};
use event_schemas::applicatie::Component;
use event_schemas::zaak::{PartAttributes, PartKind, Vertrouwelijkheidaanduiding};
use projections::{render, zaken::NAME as ZAKEN};
use serde_json::{json, Value};
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

use super::filters::PartQuery;
use super::{dto, types, Listing, Spec, BIJWERKEN, SPECS};
use crate::error::ApiError;
use crate::headers;
use crate::{pagination, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    SPECS.iter().fold(Router::new(), |r, spec| {
        let list = spec.collection();
        let detail = format!("{list}/{{uuid}}");
        r.route(&list, collection_routes(spec))
            .route(&detail, detail_routes(spec))
    })
}

/// The path parameters of a request: the zaak (nested kinds) and the part (detail routes).
#[derive(Default)]
struct Ids {
    zaak: Option<String>,
    part: Option<String>,
}

fn ids(spec: &Spec, mut params: Vec<String>, detail: bool) -> Ids {
    let part = detail.then(|| params.pop()).flatten();
    let zaak = spec.nested.then(|| params.pop()).flatten();
    Ids { zaak, part }
}

fn collection_routes(spec: &'static Spec) -> MethodRouter<AppState> {
    get(
        move |s: State<AppState>, c: Caller, p: Option<Path<Vec<String>>>, q: RawQuery| async move {
            list(spec, s, c, ids(spec, params(p), false), q).await
        },
    )
    .post(
        move |s: State<AppState>,
              c: Caller,
              p: Option<Path<Vec<String>>>,
              h: HeaderMap,
              b: Bytes| async move {
            create(spec, s, c, ids(spec, params(p), false), h, b).await
        },
    )
}

fn detail_routes(spec: &'static Spec) -> MethodRouter<AppState> {
    let mut routes = get(
        move |s: State<AppState>, c: Caller, p: Path<Vec<String>>, h: HeaderMap| async move {
            detail(spec, s, c, ids(spec, p.0, true), h).await
        },
    );
    if spec.updatable {
        routes = routes
            .put(
                move |s: State<AppState>,
                      c: Caller,
                      p: Path<Vec<String>>,
                      h: HeaderMap,
                      b: Bytes| async move {
                    update(spec, s, c, ids(spec, p.0, true), h, b, false).await
                },
            )
            .patch(
                move |s: State<AppState>,
                      c: Caller,
                      p: Path<Vec<String>>,
                      h: HeaderMap,
                      b: Bytes| async move {
                    update(spec, s, c, ids(spec, p.0, true), h, b, true).await
                },
            );
    }
    if spec.deletable {
        routes = routes.delete(
            move |s: State<AppState>, c: Caller, p: Path<Vec<String>>| async move {
                remove(spec, s, c, ids(spec, p.0, true)).await
            },
        );
    }
    routes
}

fn params(p: Option<Path<Vec<String>>>) -> Vec<String> {
    p.map(|p| p.0).unwrap_or_default()
}

fn parse_uuid(raw: Option<&String>) -> Result<Uuid, ApiError> {
    raw.and_then(|s| s.parse().ok()).ok_or(ApiError::NotFound)
}

fn command_error(e: CommandError<ZaakError, ApiError>) -> ApiError {
    match e {
        CommandError::Rejected(r) => r,
        CommandError::Domain(ZaakError::NotFound | ZaakError::PartNotFound) => ApiError::NotFound,
        CommandError::Domain(e @ ZaakError::Closed) => ApiError::PermissionDenied(e.to_string()),
        CommandError::Domain(ZaakError::NotUnique { kind, field }) => unique_error(kind, field),
        other => ApiError::internal(other),
    }
}

/// The standard's answer to a second resultaat, or a second link to the same object.
fn unique_error(kind: &str, field: &str) -> ApiError {
    if field == "zaak" {
        ApiError::invalid("zaak", "unique", format!("Deze zaak heeft al een {kind}."))
    } else {
        ApiError::invalid(
            "nonFieldErrors",
            "unique",
            format!("De velden zaak, {field} moeten een unieke set zijn."),
        )
    }
}

/// The zaak a list or a nested write is about: 404 when it does not exist, 403 when the
/// caller may not `scope` it.
pub async fn require_on_zaak(
    s: &AppState,
    caller: &Caller,
    uuid: Uuid,
    scope: &str,
) -> Result<(), ApiError> {
    let row: Option<(String, i16)> =
        sqlx::query_as("SELECT zaaktype, vertrouwelijkheid_rank FROM zaken WHERE uuid = $1")
            .bind(uuid)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?;
    let (zaaktype, rank) = row.ok_or(ApiError::NotFound)?;
    caller.require(
        Component::Zrc,
        scope,
        &zaaktype,
        rank_to_vertrouwelijkheid(rank)?,
    )
}

fn rank_to_vertrouwelijkheid(rank: i16) -> Result<Vertrouwelijkheidaanduiding, ApiError> {
    usize::try_from(rank)
        .ok()
        .and_then(|r| Vertrouwelijkheidaanduiding::ALL.get(r).copied())
        .ok_or_else(|| ApiError::internal("stored vertrouwelijkheid rank is unknown"))
}

async fn list(
    spec: &'static Spec,
    State(s): State<AppState>,
    caller: Caller,
    ids: Ids,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let zaak = match &ids.zaak {
        Some(raw) => {
            let uuid = parse_uuid(Some(raw))?;
            require_on_zaak(&s, &caller, uuid, "zaken.lezen").await?;
            Some(uuid)
        }
        None => None,
    };
    list_rows(&s, &caller, &spec.listing(), zaak, raw).await
}

/// A list of one kind of `zaak_parts` rows (of one zaak, when given): its filters applied
/// and the caller's grants, in SQL; a page or a plain array as the listing says.
pub async fn list_rows(
    s: &AppState,
    caller: &Caller,
    listing: &Listing,
    zaak: Option<Uuid>,
    raw_query: Option<String>,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw_query)?;
    let query = PartQuery::parse(listing, &s.urls, &pairs)?;
    let grants = caller.grants(Component::Zrc, "zaken.lezen");
    let filtered = |select: &str| {
        let mut sql = QueryBuilder::new(select);
        sql.push(" FROM zaak_parts WHERE kind = ")
            .push_bind(listing.kind);
        if let Some(uuid) = zaak {
            sql.push(" AND zaak_uuid = ").push_bind(uuid);
        }
        query.push_conditions(&mut sql);
        grants.push_filter(&mut sql, "zaaktype", "vertrouwelijkheid_rank");
        sql
    };
    let mut select = filtered("SELECT resource");
    select.push(" ORDER BY ordinal");
    if !listing.paginated {
        let results: Vec<Value> = select
            .build_query_scalar()
            .fetch_all(&s.pool)
            .await
            .map_err(ApiError::internal)?;
        return Ok(Json(results).into_response());
    }
    select
        .push(" LIMIT ")
        .push_bind(pagination::PAGE_SIZE)
        .push(" OFFSET ")
        .push_bind((query.page - 1) * pagination::PAGE_SIZE);
    let total: i64 = filtered("SELECT count(*)")
        .build_query_scalar()
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let results: Vec<Value> = select
        .build_query_scalar()
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let base = format!("{}/zaken/api/v1{}", s.urls.base(), listing.collection);
    let body = pagination::page(&base, &pairs, query.page, total, results)?;
    Ok(Json(body).into_response())
}

/// A stored part: its zaak and what the grant check needs.
struct Stored {
    zaak: Uuid,
    resource: Value,
    etag: String,
}

/// The part `ids` names, if the caller may `scope` its zaak; 404 when it does not exist
/// (or is not of this kind, or not under the zaak of the path).
async fn stored(
    spec: &Spec,
    s: &AppState,
    caller: &Caller,
    ids: &Ids,
    scope: &str,
) -> Result<Stored, ApiError> {
    stored_row(s, caller, spec.kind.as_str(), ids, scope).await
}

/// A `zaak_parts` row of `kind`, if the caller may `scope` its zaak (see [`stored`]).
async fn stored_row(
    s: &AppState,
    caller: &Caller,
    kind: &str,
    ids: &Ids,
    scope: &str,
) -> Result<Stored, ApiError> {
    let uuid = parse_uuid(ids.part.as_ref())?;
    let row = sqlx::query(
        "SELECT zaak_uuid, zaaktype, vertrouwelijkheid_rank, resource, etag
         FROM zaak_parts WHERE uuid = $1 AND kind = $2",
    )
    .bind(uuid)
    .bind(kind)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    let zaak: Uuid = row.get("zaak_uuid");
    if ids.zaak.is_some() && Some(zaak) != ids.zaak.as_ref().and_then(|z| z.parse().ok()) {
        return Err(ApiError::NotFound);
    }
    let zaaktype: String = row.get("zaaktype");
    let rank = rank_to_vertrouwelijkheid(row.get("vertrouwelijkheid_rank"))?;
    caller.require(Component::Zrc, scope, &zaaktype, rank)?;
    Ok(Stored {
        zaak,
        resource: row.get("resource"),
        etag: row.get("etag"),
    })
}

async fn detail(
    spec: &'static Spec,
    State(s): State<AppState>,
    caller: Caller,
    ids: Ids,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let part = stored(spec, &s, &caller, &ids, "zaken.lezen").await?;
    Ok(resource::detail(&headers, part.resource, &part.etag))
}

/// `GET` of the `zaak_parts` row `uuid` of `kind`, under the caller's zaken.lezen grants.
pub async fn detail_row(
    s: &AppState,
    caller: &Caller,
    kind: &str,
    uuid: Option<&String>,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let ids = Ids {
        zaak: None,
        part: uuid.cloned(),
    };
    let part = stored_row(s, caller, kind, &ids, "zaken.lezen").await?;
    Ok(resource::detail(headers, part.resource, &part.etag))
}

/// The zaak the body of a flat kind points at: one of ours, by its `zaak` URL.
fn zaak_of_body(s: &AppState, attributes: &PartAttributes) -> Result<Uuid, ApiError> {
    let url = attributes
        .get("zaak")
        .and_then(Value::as_str)
        .unwrap_or_default();
    s.urls.zaak_uuid(url).ok_or_else(|| {
        ApiError::invalid("zaak", "no_match", "Ongeldige hyperlink - Geen URL match.")
    })
}

/// What the system sets on a new part: registration moments and fixed descriptions.
fn derive_on_create(
    kind: PartKind,
    attributes: &mut PartAttributes,
    now: chrono::DateTime<chrono::Utc>,
) {
    let now = json!(now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
    match kind {
        PartKind::Rol => {
            attributes.insert("registratiedatum".into(), now);
            attributes.entry("omschrijving").or_insert(json!(""));
            attributes
                .entry("omschrijvingGeneriek")
                .or_insert(json!(""));
        }
        PartKind::Zaakinformatieobject => {
            attributes.insert("registratiedatum".into(), now);
            attributes.insert(
                "aardRelatieWeergave".into(),
                json!("Hoort bij, omgekeerd: kent"),
            );
        }
        PartKind::Zaakeigenschap => {
            attributes.entry("naam").or_insert(json!(""));
        }
        _ => {}
    }
}

/// What a part requires of its zaak: a type of the zaak's zaaktype, and documents only
/// linked while the zaak is not (being) archived.
fn check_zaak(kind: PartKind, zaak: &Zaak, type_zaaktype: Option<&str>) -> Result<(), ApiError> {
    if let Some(zaaktype) = type_zaaktype {
        crate::zaken::catalogus::same_zaaktype(zaaktype, &zaak.attributes.zaaktype)?;
    }
    if kind == PartKind::Zaakinformatieobject
        && zaak.attributes.archiefstatus != event_schemas::zaak::Archiefstatus::NogTeArchiveren
    {
        return Err(ApiError::invalid(
            "nonFieldErrors",
            "zaak-archiefstatus-invalid",
            "De huidige zaak archiefstatus staat dit request niet toe. Archiefstatus moet gelijk zijn aan 'nog_te_archiveren'",
        ));
    }
    Ok(())
}

/// May the caller do `scope` on this zaak, and may it force changes to a closed one.
fn authorise(caller: &Caller, zaak: &Zaak, scope: &str) -> Result<bool, ApiError> {
    let (zaaktype, vertrouwelijkheid) = (
        zaak.attributes.zaaktype.as_str(),
        zaak.attributes.vertrouwelijkheidaanduiding,
    );
    caller.require(Component::Zrc, scope, zaaktype, vertrouwelijkheid)?;
    Ok(caller
        .grants(Component::Zrc, "zaken.geforceerd-bijwerken")
        .allows(zaaktype, vertrouwelijkheid))
}

async fn create(
    spec: &'static Spec,
    State(s): State<AppState>,
    caller: Caller,
    ids: Ids,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let body = resource::parse_json(&body)?;
    let mut attributes = dto::parse(spec, &body)?;
    let zaak_uuid = match &ids.zaak {
        Some(raw) => parse_uuid(Some(raw))?,
        None => zaak_of_body(&s, &attributes)?,
    };
    let ctx = s.context(&caller);
    derive_on_create(spec.kind, &mut attributes, ctx.now);
    let type_zaaktype = types::resolve(&s, spec.kind, &mut attributes).await?;
    let uuid = Uuid::new_v4();
    let build = |state: &Option<Zaak>| -> Result<ZaakCommand, ApiError> {
        let zaak = state.as_ref().ok_or_else(|| match ids.zaak {
            Some(_) => ApiError::NotFound,
            None => ApiError::invalid(
                "zaak",
                "does_not_exist",
                "Ongeldige hyperlink - Object bestaat niet.",
            ),
        })?;
        let may_force = authorise(&caller, zaak, spec.create_scope)?;
        check_zaak(spec.kind, zaak, type_zaaktype.as_deref())?;
        Ok(ZaakCommand::AddPart {
            kind: spec.kind,
            uuid,
            attributes: attributes.clone(),
            may_force,
        })
    };
    let state = run(&s, zaak_uuid, &ctx, build).await?;
    respond(&s, state, uuid, StatusCode::CREATED)
}

/// Runs the command `build` makes on zaak `zaak`, and waits until the read models show it.
async fn run(
    s: &AppState,
    zaak: Uuid,
    ctx: &commands::Context,
    build: impl Fn(&Option<Zaak>) -> Result<ZaakCommand, ApiError>,
) -> Result<Option<Zaak>, ApiError> {
    let outcome = s
        .commands
        .execute_with::<ZaakAggregate, ApiError>(zaak, ctx, build)
        .await
        .map_err(command_error)?;
    s.wait_for(ZAKEN, outcome.position).await;
    Ok(outcome.state)
}

/// The part as the write left it, rendered as a GET will return it.
fn respond(
    s: &AppState,
    state: Option<Zaak>,
    uuid: Uuid,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let zaak = state.ok_or(ApiError::NotFound)?;
    let part = zaak.parts.get(&uuid).ok_or(ApiError::NotFound)?;
    let body = render::part(&zaak, uuid, part, &s.urls);
    let location = (status == StatusCode::CREATED).then(|| s.urls.part(part.kind, zaak.uuid, uuid));
    Ok(resource::respond(status, body, location))
}

async fn update(
    spec: &'static Spec,
    State(s): State<AppState>,
    caller: Caller,
    ids: Ids,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let body = resource::parse_json(&body)?;
    let found = stored(spec, &s, &caller, &ids, BIJWERKEN).await?;
    let uuid = parse_uuid(ids.part.as_ref())?;
    let ctx = s.context(&caller);
    // A type named in the body is checked like on creation (one not named stays as it was).
    let mut named = body.as_object().cloned().unwrap_or_default();
    let type_zaaktype = match types::type_field(spec.kind) {
        Some(field) if named.contains_key(field) => {
            types::resolve(&s, spec.kind, &mut named).await?
        }
        _ => None,
    };
    let build = |state: &Option<Zaak>| -> Result<ZaakCommand, ApiError> {
        let zaak = state.as_ref().ok_or(ApiError::NotFound)?;
        let current = &zaak.parts.get(&uuid).ok_or(ApiError::NotFound)?.attributes;
        let may_force = authorise(&caller, zaak, BIJWERKEN)?;
        check_zaak(spec.kind, zaak, type_zaaktype.as_deref())?;
        let input = if partial {
            dto::merge(spec, current, &body)?
        } else {
            body.clone()
        };
        let mut attributes = dto::parse(spec, &input)?;
        dto::check_immutable(spec, current, &attributes)?;
        // What the system derived at creation stays.
        for (k, v) in current {
            if !spec.fields.iter().any(|f| f.name == k) {
                attributes.insert(k.clone(), v.clone());
            }
        }
        Ok(ZaakCommand::UpdatePart {
            uuid,
            attributes,
            partial,
            may_force,
        })
    };
    let state = run(&s, found.zaak, &ctx, build).await?;
    respond(&s, state, uuid, StatusCode::OK)
}

async fn remove(
    spec: &'static Spec,
    State(s): State<AppState>,
    caller: Caller,
    ids: Ids,
) -> Result<Response, ApiError> {
    let found = stored(spec, &s, &caller, &ids, spec.delete_scope).await?;
    let uuid = parse_uuid(ids.part.as_ref())?;
    let ctx = s.context(&caller);
    let build = |state: &Option<Zaak>| -> Result<ZaakCommand, ApiError> {
        let zaak = state.as_ref().ok_or(ApiError::NotFound)?;
        let may_force = authorise(&caller, zaak, spec.delete_scope)?;
        Ok(ZaakCommand::RemovePart { uuid, may_force })
    };
    run(&s, found.zaak, &ctx, build).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
