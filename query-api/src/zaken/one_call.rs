//! Open Zaak's one-call endpoints (EXPERIMENTEEL in zaken-1.5.1-openzaak.yaml): a zaak
//! registered with its status, rollen, zaakinformatieobjecten and zaakobjecten in one
//! request, a zaak changed together with a status (bijwerken with rollen, afsluiten with a
//! resultaat, opschorten, verlengen), zaaknummers reserved. Each part of the body is parsed
//! as its own endpoint parses it, refusals named under the part (`rollen.0.roltype`); the
//! use cases are those of `commands::zaken`, one append to the zaak's stream each.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use commands::zaken::{Action, Done, Registration, RolEntry, ZaakAction, ZaakChange};
use commands::WriteError;
use event_schemas::zaak::{PartAttributes, PartKind, ZaakAttributes};
use projections::{render, zaken::NAME as ZAKEN};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::{dto, parts, statussen};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::one_call::{merge, require_keys, reservation, reserved, under};
use crate::{headers, resource, AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/zaak_registreren", post(registreren))
        .route(
            "/zaak_bijwerken/{uuid}",
            post(|s, c, p, h, b| act(s, c, p, h, b, Kind::Bijwerken)),
        )
        .route(
            "/zaak_afsluiten/{uuid}",
            post(|s, c, p, h, b| act(s, c, p, h, b, Kind::Afsluiten)),
        )
        .route(
            "/zaak_opschorten/{uuid}",
            post(|s, c, p, h, b| act(s, c, p, h, b, Kind::Opschorten)),
        )
        .route(
            "/zaak_verlengen/{uuid}",
            post(|s, c, p, h, b| act(s, c, p, h, b, Kind::Verlengen)),
        )
        .route("/zaaknummer_reserveren", post(reserveren))
        .route("/reserveer_zaaknummer", post(reserveren))
}

/// The operations' scopes as the request filter checks them (the first of each
/// conjunction; the use case checks all of it on the zaak's zaaktype).
pub const SCOPES: &[(&str, &str, &str)] = &[
    ("POST", "/zaak_registreren", "zaken.aanmaken"),
    ("POST", "/zaak_bijwerken/{uuid}", super::BIJWERKEN),
    ("POST", "/zaak_afsluiten/{uuid}", super::BIJWERKEN),
    ("POST", "/zaak_opschorten/{uuid}", super::BIJWERKEN),
    ("POST", "/zaak_verlengen/{uuid}", super::BIJWERKEN),
    ("POST", "/zaaknummer_reserveren", "zaken.aanmaken"),
    ("POST", "/reserveer_zaaknummer", "zaken.aanmaken"),
];

/// The parts of kind `kind` in `body[list]` (absent: none), each parsed as its own POST.
fn parts_of(
    body: &Map<String, Value>,
    list: &str,
    kind: PartKind,
    zaak: &str,
) -> Result<Vec<PartAttributes>, ApiError> {
    let items = match body.get(list) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(ApiError::invalid(
                list,
                "not_a_list",
                "Verwachtte een lijst met items maar kreeg type object.",
            ))
        }
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            parts::parse(kind, &with_part(item, zaak)).map_err(under(&format!("{list}.{i}")))
        })
        .collect()
}

async fn registreren(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let body = register(&s, &caller, &resource::parse_json(&body)?).await?;
    Ok(resource::respond(StatusCode::CREATED, body, None))
}

/// Registers the zaak of a `zaak_registreren` body (REST and GraphQL): the answer's body.
pub async fn register(s: &AppState, caller: &Caller, body: &Value) -> Result<Value, ApiError> {
    let object = require_keys(body, &["zaak", "rollen", "status"])?;
    let ctx = s.context(caller);
    let uuid = Uuid::new_v4();
    let url = s.urls.zaak(uuid);
    let zaak = dto::new_zaak(&object["zaak"], ctx.now).map_err(under("zaak"))?;
    let status = statussen::parse(&s.urls, &with_part(&object["status"], &url), ctx.now)
        .map_err(under("status"))?;
    let registration = Registration {
        uuid,
        zaak,
        status,
        rollen: parts_of(object, "rollen", PartKind::Rol, &url)?,
        zaakinformatieobjecten: parts_of(
            object,
            "zaakinformatieobjecten",
            PartKind::Zaakinformatieobject,
            &url,
        )?,
        zaakobjecten: parts_of(object, "zaakobjecten", PartKind::Zaakobject, &url)?,
    };
    let done = super::service(s)
        .register(&caller.authorisation, &ctx, registration)
        .await?;
    answer(
        s,
        done,
        &["rollen", "zaakinformatieobjecten", "zaakobjecten"],
    )
    .await
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Bijwerken,
    Afsluiten,
    Opschorten,
    Verlengen,
}

impl Kind {
    fn required(self) -> &'static [&'static str] {
        match self {
            Self::Bijwerken => &["status"],
            Self::Afsluiten => &["zaak", "resultaat", "status"],
            Self::Opschorten | Self::Verlengen => &["zaak", "status"],
        }
    }

    /// The lists of parts the answer has.
    fn lists(self) -> &'static [&'static str] {
        match self {
            Self::Bijwerken => &["rollen"],
            _ => &[],
        }
    }

    /// The one zaak field opschorten and verlengen write (the others are read-only there).
    fn only_field(self) -> Option<&'static str> {
        match self {
            Self::Opschorten => Some("opschorting"),
            Self::Verlengen => Some("verlenging"),
            _ => None,
        }
    }
}

/// The zaak's change a zaak action's body asks for (`None`: none).
fn zaak_patch(kind: Kind, body: &Map<String, Value>) -> Result<Option<Value>, ApiError> {
    let zaak = body.get("zaak").filter(|z| !z.is_null());
    let Some(field) = kind.only_field() else {
        return Ok(zaak.cloned());
    };
    let value = zaak.and_then(|z| z.get(field)).filter(|v| !v.is_null());
    match value {
        Some(v) => Ok(Some(json!({ field: v }))),
        None => Err(ApiError::invalid(
            &format!("zaak.{field}"),
            "required",
            "Dit veld is vereist.",
        )),
    }
}

/// The rollen of `zaak_bijwerken` (`None`: the key is absent and the rollen stay).
fn rol_entries(body: &Map<String, Value>, zaak: &str) -> Result<Option<Vec<RolEntry>>, ApiError> {
    let Some(items) = body.get("rollen").filter(|r| !r.is_null()) else {
        return Ok(None);
    };
    let items = items.as_array().ok_or_else(|| {
        ApiError::invalid("rollen", "not_a_list", "Verwachtte een lijst met items.")
    })?;
    let mut entries = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let prefix = format!("rollen.{i}");
        let uuid = match item.get("uuid").filter(|u| !u.is_null()) {
            None => None,
            Some(u) => Some(u.as_str().and_then(|u| u.parse().ok()).ok_or_else(|| {
                ApiError::invalid(
                    &format!("{prefix}.uuid"),
                    "invalid",
                    "Voer een geldige UUID in.",
                )
            })?),
        };
        let mut item = with_part(item, zaak);
        if let Value::Object(o) = &mut item {
            o.remove("uuid");
        }
        let attributes = parts::parse(PartKind::Rol, &item).map_err(under(&prefix))?;
        entries.push(RolEntry { uuid, attributes });
    }
    Ok(Some(entries))
}

async fn act(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    kind: Kind,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let body = resource::parse_json(&body)?;
    let object = require_keys(&body, kind.required())?;
    let ctx = s.write_context(&caller, Target::Zaak, uuid).await?;
    let url = s.urls.zaak(uuid);
    let (patch, status) = zaak_and_status(&s, kind, object, &url, ctx.now)?;
    let apply = |current: &ZaakAttributes| -> Result<ZaakAttributes, WriteError> {
        let patch = patch.as_ref().map_or(Value::Null, Clone::clone);
        let merged = dto::merge_patch(current, &patch)?;
        Ok(dto::parse(&merged, ctx.now).map_err(under("zaak"))?)
    };
    let request = ZaakAction {
        zaak: uuid,
        change: patch.as_ref().map(|p| ZaakChange {
            apply: &apply,
            partial: true,
            named: dto::named(p),
        }),
        status,
        action: action(kind, object, &url)?,
    };
    let done = super::service(&s)
        .act(&caller.authorisation, &ctx, request)
        .await?;
    let body = answer(&s, done, kind.lists()).await?;
    Ok(resource::respond(StatusCode::OK, body, None))
}

/// The zaak's change and the status of a zaak action, their refusals together as Open Zaak
/// validates them.
fn zaak_and_status(
    s: &AppState,
    kind: Kind,
    object: &Map<String, Value>,
    zaak: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Option<Value>, commands::zaken::NewStatus), ApiError> {
    let patch = zaak_patch(kind, object);
    let status = statussen::parse(&s.urls, &with_part(&object["status"], zaak), now)
        .map_err(under("status"));
    match (patch, status) {
        (Ok(p), Ok(s)) => Ok((p, s)),
        (Err(a), Err(b)) => Err(merge(a, b)),
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// What a zaak action does besides the zaak's change and the status.
fn action(
    kind: Kind,
    object: &Map<String, Value>,
    zaak: &str,
) -> Result<Action<'static>, ApiError> {
    Ok(match kind {
        Kind::Bijwerken => Action::Bijwerken {
            rollen: rol_entries(object, zaak)?,
            apply_rol: &replaced_rol,
        },
        Kind::Afsluiten => Action::Afsluiten {
            resultaat: parts::parse(PartKind::Resultaat, &with_part(&object["resultaat"], zaak))
                .map_err(under("resultaat"))?,
        },
        Kind::Opschorten => Action::Opschorten,
        Kind::Verlengen => Action::Verlengen,
    })
}

/// A kept rol of `zaak_bijwerken`: fully replaced by the request's, as a PUT of it.
fn replaced_rol(
    current: &PartAttributes,
    given: &PartAttributes,
) -> Result<PartAttributes, WriteError> {
    Ok(parts::replaced(PartKind::Rol, current, given.clone())?)
}

/// The answer of a one-call endpoint once the read models show it: the zaak as a GET
/// returns it, its new status (and resultaat), and the parts of `lists`.
async fn answer(s: &AppState, done: Done, lists: &[&str]) -> Result<Value, ApiError> {
    let Done {
        outcome,
        status,
        resultaat,
        rollen,
        zaakinformatieobjecten,
        zaakobjecten,
    } = done;
    s.wait_for(ZAKEN, outcome.position).await;
    let zaak = outcome.state.ok_or(ApiError::NotFound)?;
    let documents = zaak
        .parts_of(PartKind::Zaakinformatieobject)
        .filter(|(uuid, _)| zaakinformatieobjecten.contains(uuid))
        .filter_map(|(_, p)| p.attributes.get("informatieobject")?.as_str())
        .filter_map(|d| crate::sync::Touched::document(s, d));
    crate::sync::wait(s, outcome.position, documents).await?;
    let mut body = Map::new();
    body.insert("zaak".into(), super::lists::stored(s, &zaak).await?);
    let rendered = |uuids: &[Uuid]| -> Value {
        uuids
            .iter()
            .filter_map(|u| Some(render::part(&zaak, *u, zaak.parts.get(u)?, &s.urls)))
            .collect()
    };
    for list in lists {
        let uuids = match *list {
            "rollen" => &rollen,
            "zaakinformatieobjecten" => &zaakinformatieobjecten,
            _ => &zaakobjecten,
        };
        body.insert((*list).into(), rendered(uuids));
    }
    if let Some(r) = resultaat {
        let part = zaak.parts.get(&r).ok_or(ApiError::NotFound)?;
        body.insert("resultaat".into(), render::part(&zaak, r, part, &s.urls));
    }
    let status = zaak
        .statussen
        .iter()
        .find(|st| st.uuid == status)
        .ok_or(ApiError::NotFound)?;
    body.insert("status".into(), render::status(&zaak, status, &s.urls));
    Ok(Value::Object(body))
}

/// A sub-object with the zaak it belongs to.
fn with_part(part: &Value, zaak: &str) -> Value {
    crate::one_call::with(part, "zaak", zaak)
}

/// `zaaknummer_reserveren` (and its deprecated alias `reserveer_zaaknummer`): one
/// zaaknummer as an object, several as a list.
async fn reserveren(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let (bronorganisatie, aantal) = reservation(&resource::parse_json(&body)?)?;
    let nummers = super::service(&s)
        .reserve_zaaknummers(
            &caller.authorisation,
            &s.context(&caller),
            &bronorganisatie,
            aantal,
        )
        .await?;
    let body = reserved("zaaknummer", aantal, &nummers);
    Ok(resource::respond(StatusCode::CREATED, body, None))
}
