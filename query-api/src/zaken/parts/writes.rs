//! Writes of parts: each a command on the zaak's stream (AddPart, UpdatePart, RemovePart)
//! that answers once the read models show it.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use commands::CommandError;
use domain::zaak::{Zaak, ZaakAggregate, ZaakCommand, ZaakError};
use event_schemas::applicatie::Component;
use event_schemas::zaak::{PartAttributes, PartKind};
use projections::{render, zaken::NAME as ZAKEN};
use serde_json::{json, Value};
use uuid::Uuid;

use super::routes::{parse_uuid, stored, Ids};
use super::{dto, types, zaakbesluit, Spec, BIJWERKEN};
use crate::concurrency::{command_failure, Target};
use crate::error::ApiError;
use crate::headers;
use crate::sync::Touched;
use crate::{resource, AppState, Caller};

fn command_error(e: CommandError<ZaakError, ApiError>) -> ApiError {
    match e {
        CommandError::Rejected(r) => r,
        CommandError::Domain(ZaakError::NotFound | ZaakError::PartNotFound) => ApiError::NotFound,
        CommandError::Domain(e @ ZaakError::Closed) => ApiError::PermissionDenied(e.to_string()),
        CommandError::Domain(ZaakError::NotUnique { kind, field }) => unique_error(kind, field),
        CommandError::Domain(e @ ZaakError::MaxOccurrences { .. }) => {
            ApiError::invalid("roltype", "max-occurences", e.to_string())
        }
        CommandError::Domain(ZaakError::Zaakobject(rule)) => {
            ApiError::invalid("nonFieldErrors", rule.code(), rule.to_string())
        }
        other => command_failure(other),
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

pub(super) async fn create(
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
    if spec.kind == PartKind::Zaakbesluit {
        let authorised = |zaak: &Zaak| authorise(&caller, zaak, spec.create_scope);
        if let Some((zaak, uuid)) =
            zaakbesluit::existing(&s, zaak_uuid, &attributes, authorised).await?
        {
            return respond(&s, Some(zaak), uuid, StatusCode::CREATED);
        }
    }
    let text = |name: &str| {
        attributes
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    match spec.kind {
        PartKind::Zaakinformatieobject => {
            crate::zaken::documenten::check_link(&s, zaak_uuid, text("informatieobject")).await?
        }
        PartKind::Zaakcontactmoment => {
            let shape = crate::remote::Shape::Contactmoment;
            s.remote
                .resource("contactmoment", text("contactmoment"), shape)
                .await?;
        }
        PartKind::Zaakverzoek => {
            let shape = crate::remote::Shape::Verzoek;
            s.remote.resource("verzoek", text("verzoek"), shape).await?;
        }
        // An object URL must answer (the reference's URLValidator: 200, any body).
        PartKind::Zaakobject if !text("object").is_empty() => {
            s.remote.answers("object", text("object")).await?;
        }
        _ => {}
    }
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
    let document = document_of(spec.kind, &attributes);
    let state = run(&s, zaak_uuid, &ctx, document.as_deref(), build).await?;
    respond(&s, state, uuid, StatusCode::CREATED)
}

/// Runs the command `build` makes on zaak `zaak`, and waits until the read models show it:
/// the zaken read model, and the documenten read model the mirrored objectinformatieobject
/// of `document` (a zaakinformatieobject's, when one of ours) is in.
async fn run(
    s: &AppState,
    zaak: Uuid,
    ctx: &commands::Context,
    document: Option<&str>,
    build: impl Fn(&Option<Zaak>) -> Result<ZaakCommand, ApiError>,
) -> Result<Option<Zaak>, ApiError> {
    let outcome = s
        .commands
        .execute_with::<ZaakAggregate, ApiError>(zaak, ctx, build)
        .await
        .map_err(command_error)?;
    s.wait_for(ZAKEN, outcome.position).await;
    let touched = document.and_then(|d| Touched::document(s, d));
    crate::sync::wait(s, outcome.position, touched).await?;
    Ok(outcome.state)
}

/// The document of a zaakinformatieobject (`None` for the other kinds).
fn document_of(kind: PartKind, attributes: &PartAttributes) -> Option<String> {
    let url = attributes.get("informatieobject").and_then(Value::as_str);
    url.filter(|_| kind == PartKind::Zaakinformatieobject)
        .map(str::to_owned)
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

pub(super) async fn update(
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
    let ctx = s.write_context(&caller, Target::ZaakPart, uuid).await?;
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
    let state = run(&s, found.zaak, &ctx, None, build).await?;
    respond(&s, state, uuid, StatusCode::OK)
}

pub(super) async fn remove(
    spec: &'static Spec,
    State(s): State<AppState>,
    caller: Caller,
    ids: Ids,
) -> Result<Response, ApiError> {
    let found = stored(spec, &s, &caller, &ids, spec.delete_scope).await?;
    if spec.kind == PartKind::Zaakbesluit {
        zaakbesluit::check_removable(&s, found.zaak, &found.resource).await?;
    }
    let uuid = parse_uuid(ids.part.as_ref())?;
    let ctx = s.write_context(&caller, Target::ZaakPart, uuid).await?;
    let build = |state: &Option<Zaak>| -> Result<ZaakCommand, ApiError> {
        let zaak = state.as_ref().ok_or(ApiError::NotFound)?;
        let may_force = authorise(&caller, zaak, spec.delete_scope)?;
        Ok(ZaakCommand::RemovePart { uuid, may_force })
    };
    let stored = found.resource.as_object().cloned().unwrap_or_default();
    let document = document_of(spec.kind, &stored);
    run(&s, found.zaak, &ctx, document.as_deref(), build).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
