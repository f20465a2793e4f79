//! The resources that are parts of an aggregate of this API: a partij's
//! (`/partij-identificatoren`, `/digitaleadressen`, `/rekeningnummers`,
//! `/vertegenwoordigingen`) and a klantcontact's (`super::klantcontact_parts`), each
//! declared once as data ([`Part`]) and served by one set of handlers over its [`Owner`]: a
//! part lives in its owner's stream, so writes are the owner's use cases and reads single
//! queries on the part's read model table.

use async_trait::async_trait;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, MethodRouter};
use axum::{Json, Router};
use commands::klantinteracties::{PartAttributes, PartKind};
use commands::{Context, Outcome, WriteError};
use domain::klantinteracties::partij::Partij;
use projections::partijen::render;
use projections::render::Urls;
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use super::dto;
use super::filters::{Filter, Query};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::{resource, AppState, Caller};

/// The new attributes of a part made from its owner as it is: the owner it names and the
/// attributes.
pub(super) type Apply<'a, O> = &'a (dyn Fn(&<O as Owner>::State) -> Result<(Uuid, <O as Owner>::Attributes), WriteError>
         + Send
         + Sync);

/// A part's body as a client writes it: its owner, its uuid and its attributes.
pub(super) type Parsed<O> = Result<(Uuid, Uuid, <O as Owner>::Attributes), ApiError>;

/// The outcome of a write of an owner's part: the owner after it.
pub(super) type Written<O> = Result<Outcome<Option<<O as Owner>::State>>, WriteError>;

/// The aggregate whose stream holds parts with resources of their own: its state, where
/// its parts' rows name it, and the use cases that write its parts.
#[async_trait]
pub(super) trait Owner: Sized + Send + Sync + 'static {
    type State: DeserializeOwned + Send + Sync;
    type Kind: Copy + Send + Sync;
    type Attributes: Send + Sync;
    /// The column of a part's row naming its owner.
    const COLUMN: &'static str;
    /// The column naming the owner of a row of `table` for its reads (a table may hold
    /// the parts of more than one kind of owner).
    fn read_column(_table: &str) -> &'static str {
        Self::COLUMN
    }
    /// The projection that keeps the owner and its parts.
    const PROJECTION: &'static str;
    fn target(table: &'static str) -> Target;
    fn url(urls: &Urls, uuid: Uuid) -> String;
    async fn create(
        s: &AppState,
        caller: &Caller,
        ctx: &Context,
        owner: Uuid,
        (uuid, attributes): (Uuid, Self::Attributes),
    ) -> Written<Self>;
    async fn update(
        s: &AppState,
        caller: &Caller,
        ctx: &Context,
        (kind, uuid): (Self::Kind, Uuid),
        apply: Apply<'_, Self>,
    ) -> Written<Self>;
    async fn destroy(
        s: &AppState,
        caller: &Caller,
        ctx: &Context,
        (kind, uuid): (Self::Kind, Uuid),
    ) -> Written<Self>;
    /// Adds `_expand` with the requested `fields` (known ones) to part `resource`.
    async fn expand(
        s: &AppState,
        part: &Part<Self>,
        resource: &mut Value,
        fields: &[String],
    ) -> Result<(), ApiError>;
}

/// A part resource: where it is, how it is read, written and rendered.
pub(super) struct Part<O: Owner> {
    pub collection: &'static str,
    /// The resource's name (notifications, audit trail, read log).
    pub resource: &'static str,
    pub kind: O::Kind,
    pub table: &'static str,
    pub filters: &'static [(&'static str, Filter)],
    /// The `expand` values the spec names.
    pub expand: &'static [&'static str],
    /// The body as a client writes it: the owner, the part's uuid (sent or new) and its
    /// attributes.
    pub parse: fn(&Value) -> Parsed<O>,
    pub render: fn(&O::State, Uuid, &Urls) -> Option<Value>,
}

/// The partij owns its identificatoren, digitale adressen, rekeningnummers and
/// vertegenwoordigingen.
pub(super) struct PartijOwner;

#[async_trait]
impl Owner for PartijOwner {
    type State = Partij;
    type Kind = PartKind;
    type Attributes = PartAttributes;
    const COLUMN: &'static str = "partij_uuid";
    const PROJECTION: &'static str = projections::partijen::NAME;

    /// A digitaal adres is a partij's or a klantcontact's (`super::digitale_adressen`).
    fn read_column(table: &str) -> &'static str {
        if table == "digitale_adressen" {
            "owner_uuid"
        } else {
            Self::COLUMN
        }
    }

    fn target(table: &'static str) -> Target {
        Target::PartijPart(table)
    }

    fn url(urls: &Urls, uuid: Uuid) -> String {
        urls.partij(uuid)
    }

    async fn create(
        s: &AppState,
        caller: &Caller,
        ctx: &Context,
        owner: Uuid,
        (uuid, attributes): (Uuid, PartAttributes),
    ) -> Written<Self> {
        let auth = &caller.authorisation;
        super::service(s)
            .create_part(auth, ctx, owner, uuid, attributes)
            .await
    }

    async fn update(
        s: &AppState,
        caller: &Caller,
        ctx: &Context,
        (kind, uuid): (PartKind, Uuid),
        apply: Apply<'_, Self>,
    ) -> Written<Self> {
        let auth = &caller.authorisation;
        super::service(s)
            .update_part(auth, ctx, kind, uuid, apply)
            .await
    }

    async fn destroy(
        s: &AppState,
        caller: &Caller,
        ctx: &Context,
        (kind, uuid): (PartKind, Uuid),
    ) -> Written<Self> {
        let auth = &caller.authorisation;
        super::service(s).destroy_part(auth, ctx, kind, uuid).await
    }

    /// A digitaal adres's betrokkene (the only part of a partij the spec expands), with
    /// its klantcontact and the internetaken that led to when asked.
    async fn expand(
        s: &AppState,
        _part: &Part<Self>,
        resource: &mut Value,
        fields: &[String],
    ) -> Result<(), ApiError> {
        if fields.is_empty() {
            return Ok(());
        }
        let asked = |f: &str| fields.iter().any(|x| x == f);
        let uuid = |v: &Value| v["uuid"].as_str().and_then(|u| u.parse::<Uuid>().ok());
        let betrokkene = match uuid(&resource["verstrektDoorBetrokkene"]) {
            Some(b) => one(s, "SELECT resource FROM betrokkenen WHERE uuid = $1", b).await?,
            None => None,
        };
        let betrokkene = match betrokkene {
            Some(mut b) if asked("verstrektDoorBetrokkene.hadKlantcontact") => {
                let sql = "SELECT resource FROM klantcontacten WHERE uuid = $1";
                let mut k = match uuid(&b["hadKlantcontact"]) {
                    Some(k) => one(s, sql, k).await?,
                    None => None,
                };
                if let Some(k) = k.as_mut() {
                    super::relations::klantcontacten(s, std::slice::from_mut(k)).await?;
                    let taken = "verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken";
                    if asked(taken) {
                        let of = uuid(k).into_iter().collect::<Vec<_>>();
                        let all = super::relations::internetaken(s, &of).await?;
                        let own = all.into_values().next().unwrap_or_default();
                        k["_expand"] = serde_json::json!({"leiddeTotInterneTaken": own});
                    }
                }
                b["_expand"] = serde_json::json!({"hadKlantcontact": k});
                Some(b)
            }
            other => other,
        };
        resource["_expand"] = serde_json::json!({"verstrektDoorBetrokkene": betrokkene});
        Ok(())
    }
}

/// The one resource `sql` finds for `uuid`, if any.
async fn one(s: &AppState, sql: &str, uuid: Uuid) -> Result<Option<Value>, ApiError> {
    sqlx::query_scalar(sql)
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)
}

pub(super) const IDENTIFICATOREN: Part<PartijOwner> = Part {
    collection: render::IDENTIFICATOREN,
    resource: "partijidentificator",
    kind: PartKind::Identificator,
    table: "partij_identificatoren",
    filters: &[
        (
            "anderePartijIdentificator",
            Filter::Text("andere_partij_identificator"),
        ),
        (
            "partijIdentificatorCodeObjecttype",
            Filter::Choice(
                "code_objecttype",
                &["natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging"],
            ),
        ),
        (
            "partijIdentificatorCodeRegister",
            Filter::Choice("code_register", &["brp", "hr"]),
        ),
        (
            "partijIdentificatorCodeSoortObjectId",
            Filter::Choice(
                "code_soort_object_id",
                &["bsn", "kvk_nummer", "rsin", "vestigingsnummer"],
            ),
        ),
        ("partijIdentificatorObjectId", Filter::Text("object_id")),
    ],
    expand: &[],
    parse: dto::parse_identificator,
    render: render::identificator,
};

pub(super) const DIGITALE_ADRESSEN: Part<PartijOwner> = Part {
    collection: render::DIGITALE_ADRESSEN,
    resource: "digitaaladres",
    kind: PartKind::DigitaalAdres,
    table: "digitale_adressen",
    filters: &[
        ("adres", Filter::Text("adres")),
        ("adres__icontains", Filter::IContains("adres")),
        ("isGeverifieerd", Filter::Set("verificatie_datum")),
        ("isStandaardAdres", Filter::Bool("is_standaard_adres")),
        ("omschrijving", Filter::Text("omschrijving")),
        ("referentie", Filter::Text("referentie")),
        (
            "soortDigitaalAdres",
            Filter::Choice(
                "soort_digitaal_adres",
                &["email", "overig", "telefoonnummer"],
            ),
        ),
        ("verificatieDatum", Filter::Date("verificatie_datum", "=")),
        (
            "verificatieDatum__gt",
            Filter::Date("verificatie_datum", ">"),
        ),
        (
            "verificatieDatum__gte",
            Filter::Date("verificatie_datum", ">="),
        ),
        (
            "verificatieDatum__lt",
            Filter::Date("verificatie_datum", "<"),
        ),
        (
            "verificatieDatum__lte",
            Filter::Date("verificatie_datum", "<="),
        ),
        (
            "verstrektDoorBetrokkene__rol",
            Filter::TextIn(
                "EXISTS (SELECT 1 FROM betrokkenen b
                         WHERE b.uuid::text = t.resource -> 'verstrektDoorBetrokkene' ->> 'uuid'
                           AND b.resource ->> 'rol' = {})",
            ),
        ),
        (
            "verstrektDoorBetrokkene__url",
            Filter::UrlIn(
                "t.resource -> 'verstrektDoorBetrokkene' ->> 'uuid' = {}::text",
                "/klantinteracties/api/v1/betrokkenen/",
            ),
        ),
        (
            "verstrektDoorBetrokkene__uuid",
            Filter::UuidIn("t.resource -> 'verstrektDoorBetrokkene' ->> 'uuid' = {}::text"),
        ),
        (
            "verstrektDoorPartij__partijIdentificator__codeObjecttype",
            Filter::Identificator("code_objecttype"),
        ),
        (
            "verstrektDoorPartij__partijIdentificator__codeRegister",
            Filter::Identificator("code_register"),
        ),
        (
            "verstrektDoorPartij__partijIdentificator__codeSoortObjectId",
            Filter::Identificator("code_soort_object_id"),
        ),
        (
            "verstrektDoorPartij__partijIdentificator__objectId",
            Filter::Identificator("object_id"),
        ),
        (
            "verstrektDoorPartij__soortPartij",
            Filter::OfPartij("soort_partij"),
        ),
        ("verstrektDoorPartij__url", Filter::PartijUrl),
        ("verstrektDoorPartij__uuid", Filter::Partij),
    ],
    expand: &[
        "verstrektDoorBetrokkene",
        "verstrektDoorBetrokkene.hadKlantcontact",
        "verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken",
    ],
    parse: dto::parse_digitaal_adres,
    render: render::digitaal_adres,
};

pub(super) const REKENINGNUMMERS: Part<PartijOwner> = Part {
    collection: render::REKENINGNUMMERS,
    resource: "rekeningnummer",
    kind: PartKind::Rekeningnummer,
    table: "rekeningnummers",
    filters: &[
        ("bic", Filter::Text("bic")),
        ("iban", Filter::Text("iban")),
        ("uuid", Filter::Uuid),
    ],
    expand: &[],
    parse: dto::parse_rekeningnummer,
    render: render::rekeningnummer,
};

pub(super) const VERTEGENWOORDIGINGEN: Part<PartijOwner> = Part {
    collection: render::VERTEGENWOORDIGINGEN,
    resource: "vertegenwoordiging",
    kind: PartKind::Vertegenwoordiging,
    table: "vertegenwoordigingen",
    filters: &[
        (
            "vertegenwoordigdePartij__url",
            Filter::OtherPartijUrl("vertegenwoordigde_partij"),
        ),
        (
            "vertegenwoordigdePartij__uuid",
            Filter::OtherPartij("vertegenwoordigde_partij"),
        ),
        ("vertegenwoordigendePartij__url", Filter::PartijUrl),
        ("vertegenwoordigendePartij__uuid", Filter::Partij),
    ],
    expand: &[],
    parse: dto::parse_vertegenwoordiging,
    render: render::vertegenwoordiging,
};

pub(super) fn router<O: Owner>(part: &'static Part<O>) -> Router<AppState> {
    router_with_delete(part, delete(move |s, c, p| destroy(part, s, c, p)))
}

/// The part's routes, with a DELETE of its own.
pub(super) fn router_with_delete<O: Owner>(
    part: &'static Part<O>,
    delete: MethodRouter<AppState>,
) -> Router<AppState> {
    let collection = format!("/{}", part.collection);
    let member = format!("/{}/{{uuid}}", part.collection);
    Router::new()
        .route(
            &collection,
            get(move |s, c, h, q| list(part, s, c, h, q))
                .post(move |s, c, h, b| create(part, s, c, h, b)),
        )
        .route(
            &member,
            get(move |s, c, p, h, q| detail(part, s, c, p, h, q))
                .put(move |s, c, p, h, b| write(part, s, c, p, h, b, false))
                .patch(move |s, c, p, h, b| write(part, s, c, p, h, b, true))
                .merge(delete),
        )
}

pub(super) async fn list<O: Owner>(
    part: &'static Part<O>,
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let query = Query::parse(part.filters, &s.urls, &pairs)?;
    let expand = super::expand_of(&pairs, part.expand)?;
    let from = format!("{} t", part.table);
    let owner = format!("t.{}", O::read_column(part.table));
    let mut page = super::page(
        &s,
        (&caller, &headers),
        (&pairs, &query),
        (&from, &owner),
        ("resource", "t.ordinal DESC"),
        part.collection,
    )
    .await?;
    for result in &mut page.results {
        O::expand(&s, part, result, &expand).await?;
    }
    Ok(Json(page).into_response())
}

pub(super) async fn detail<O: Owner>(
    part: &'static Part<O>,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let declared = [crate::openapi::params::EXPAND];
    let declared = if part.expand.is_empty() {
        &[][..]
    } else {
        &declared[..]
    };
    crate::openapi::params::refuse_unknown(&pairs, declared, ApiError::unknown_parameter)?;
    let expand = super::expand_of(&pairs, part.expand)?;
    let uuid: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let sql = format!(
        "SELECT resource, etag, {} FROM {} WHERE uuid = $1",
        O::read_column(part.table),
        part.table
    );
    let (mut resource, etag, owner): (Value, String, Uuid) = sqlx::query_as(&sql)
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    let url = s.urls.klantinteracties_object(part.collection, uuid);
    let hoofd = O::url(&s.urls, owner);
    let object = (part.resource, url.as_str());
    super::record_read_of(&s, &caller, &headers, (owner, &hoofd), object).await;
    if !expand.is_empty() {
        O::expand(&s, part, &mut resource, &expand).await?;
        return Ok(resource::respond(StatusCode::OK, resource, None));
    }
    Ok(resource::detail(&headers, resource, &etag))
}

/// Part `uuid` as its owner after the write has it.
fn rendered<O: Owner>(
    part: &Part<O>,
    owner: Option<O::State>,
    uuid: Uuid,
    s: &AppState,
) -> Result<Value, ApiError> {
    owner
        .and_then(|o| (part.render)(&o, uuid, &s.urls))
        .ok_or_else(|| ApiError::internal("the written part is not in its owner"))
}

pub(super) async fn create<O: Owner>(
    part: &'static Part<O>,
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    crate::headers::require_json(&headers)?;
    let ctx = s.context(&caller);
    let (owner, uuid, attributes) = (part.parse)(&resource::parse_json(&body)?)?;
    let outcome = O::create(&s, &caller, &ctx, owner, (uuid, attributes)).await?;
    s.wait_for(O::PROJECTION, outcome.position).await;
    let body = rendered(part, outcome.state, uuid, &s)?;
    let url = s.urls.klantinteracties_object(part.collection, uuid);
    Ok(resource::respond(StatusCode::CREATED, body, Some(url)))
}

/// PUT (the whole part) or PATCH (merged onto the part as it renders now).
pub(super) async fn write<O: Owner>(
    part: &'static Part<O>,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    partial: bool,
) -> Result<Response, ApiError> {
    let target = O::target(part.table);
    let (uuid, body, ctx) =
        super::write_request(&s, &caller, &uuid, target, Some((&headers, &body))).await?;
    let urls = s.urls.clone();
    let apply = |current: &O::State| -> Result<_, WriteError> {
        let body = match (partial, (part.render)(current, uuid, &urls)) {
            (true, Some(now)) => resource::merge_patch(now, &body)?,
            _ => body.clone(),
        };
        let (to, _, attributes) = (part.parse)(&body)?;
        Ok((to, attributes))
    };
    let outcome = O::update(&s, &caller, &ctx, (part.kind, uuid), &apply).await?;
    s.wait_for(O::PROJECTION, outcome.position).await;
    let body = rendered(part, outcome.state, uuid, &s)?;
    Ok(resource::respond(StatusCode::OK, body, None))
}

pub(super) async fn destroy<O: Owner>(
    part: &'static Part<O>,
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let target = O::target(part.table);
    let (uuid, _, ctx) = super::write_request(&s, &caller, &uuid, target, None).await?;
    let outcome = O::destroy(&s, &caller, &ctx, (part.kind, uuid)).await?;
    s.wait_for(O::PROJECTION, outcome.position).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}
