//! The resources that are parts of a klantcontact (`/betrokkenen`, `/onderwerpobjecten`,
//! `/bijlagen`, `/actorklantcontacten`),
//! declared as data and served by the part handlers (`super::parts`) over the
//! klantcontact: a part lives in its klantcontact's stream, so writes are klantcontact use
//! cases and reads single queries on the part's read model table.

use async_trait::async_trait;
use commands::klantinteracties::does_not_exist;
use commands::klantinteracties::{KlantcontactPart, KlantcontactPartKind};
use commands::Context;
use domain::klantinteracties::klantcontact::Klantcontact;
use projections::klantcontacten::render;
use projections::render::Urls;
use serde_json::Value;
use uuid::Uuid;

use super::dto;
use super::filters::Filter;
use super::parts::{Apply, Owner, Part, Written};
use crate::concurrency::Target;
use crate::error::ApiError;
use crate::{AppState, Caller};

const KLANTCONTACTEN: &str = "/klantinteracties/api/v1/klantcontacten/";
const ACTOREN: &str = "/klantinteracties/api/v1/actoren/";
const DIGITALE_ADRESSEN: &str = "/klantinteracties/api/v1/digitaleadressen/";

/// A condition on the digitale adressen the betrokkene gave: those in its klantcontact's
/// stream (`kc`: on `d`, a `jsonb_each` entry) and those of a partij (`p`: on `d`, a
/// `digitale_adressen` row).
macro_rules! verstrekt_adres {
    ($kc:literal, $p:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM klantcontacten k,
                     jsonb_each(k.state -> 'digitale_adressen') d
                     WHERE k.uuid = t.klantcontact_uuid
                       AND d.value ->> 'verstrektDoorBetrokkene' = t.uuid::text AND ",
            $kc,
            ")
             OR EXISTS (SELECT 1 FROM digitale_adressen d
                        WHERE d.resource -> 'verstrektDoorBetrokkene' ->> 'uuid' = t.uuid::text
                          AND ",
            $p,
            ")"
        )
    };
}

/// A condition on the identificatoren of the partij the betrokkene was.
macro_rules! was_partij_identificator {
    ($column:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM partij_identificatoren i
                     WHERE i.partij_uuid::text = t.was_partij AND i.",
            $column,
            " = {})"
        )
    };
}

/// The klantcontact owns its betrokkenen, onderwerpobjecten, bijlagen and
/// actorklantcontacten.
pub(super) struct KlantcontactOwner;

#[async_trait]
impl Owner for KlantcontactOwner {
    type State = Klantcontact;
    type Kind = KlantcontactPartKind;
    type Attributes = KlantcontactPart;
    const COLUMN: &'static str = "klantcontact_uuid";
    const PROJECTION: &'static str = projections::klantcontacten::NAME;

    fn target(table: &'static str) -> Target {
        Target::KlantcontactPart(table)
    }

    fn url(urls: &Urls, uuid: Uuid) -> String {
        urls.klantcontact(uuid)
    }

    /// A digitaal adres names its betrokkene, whose klantcontact it joins.
    async fn create(
        s: &AppState,
        caller: &Caller,
        ctx: &Context,
        owner: Uuid,
        (uuid, attributes): (Uuid, KlantcontactPart),
    ) -> Written<Self> {
        let auth = &caller.authorisation;
        let service = super::klantcontacten::service(s);
        let klantcontact = match attributes {
            KlantcontactPart::DigitaalAdres(_) => service
                .klantcontact_of(KlantcontactPartKind::Betrokkene, owner)
                .await
                .map_err(|_| does_not_exist("verstrektDoorBetrokkene.uuid", owner))?,
            _ => owner,
        };
        service
            .create_part(auth, ctx, klantcontact, uuid, attributes)
            .await
    }

    async fn update(
        s: &AppState,
        caller: &Caller,
        ctx: &Context,
        (kind, uuid): (KlantcontactPartKind, Uuid),
        apply: Apply<'_, Self>,
    ) -> Written<Self> {
        let auth = &caller.authorisation;
        super::klantcontacten::service(s)
            .update_part(auth, ctx, kind, uuid, apply)
            .await
    }

    async fn destroy(
        s: &AppState,
        caller: &Caller,
        ctx: &Context,
        (kind, uuid): (KlantcontactPartKind, Uuid),
    ) -> Written<Self> {
        let auth = &caller.authorisation;
        super::klantcontacten::service(s)
            .destroy_part(auth, ctx, kind, uuid)
            .await
    }

    /// A betrokkene's digitale adressen, from its klantcontact's state.
    async fn expand(
        s: &AppState,
        part: &Part<Self>,
        resource: &mut Value,
        fields: &[String],
    ) -> Result<(), ApiError> {
        if fields.is_empty() {
            return Ok(());
        }
        let uuid: Option<Uuid> = resource["uuid"].as_str().and_then(|u| u.parse().ok());
        let sql = format!(
            "SELECT k.state FROM {} t JOIN klantcontacten k ON k.uuid = t.klantcontact_uuid
             WHERE t.uuid = $1",
            part.table
        );
        let state: Value = sqlx::query_scalar(&sql)
            .bind(uuid)
            .fetch_one(&s.pool)
            .await
            .map_err(ApiError::internal)?;
        let k: Klantcontact = serde_json::from_value(state).map_err(ApiError::internal)?;
        let adressen: Vec<Value> = k
            .digitale_adressen
            .iter()
            .filter(|(_, a)| a.verstrekt_door_betrokkene == uuid)
            .filter_map(|(a, _)| render::part(&k, "digitaaladres", *a, &s.urls))
            .collect();
        resource["_expand"] = serde_json::json!({"digitaleAdressen": adressen});
        Ok(())
    }
}

pub(super) const BETROKKENEN: Part<KlantcontactOwner> = Part {
    collection: render::BETROKKENEN,
    resource: "betrokkene",
    kind: KlantcontactPartKind::Betrokkene,
    table: "betrokkenen",
    filters: &[
        (
            "contactnaamAchternaam",
            Filter::Text("contactnaam_achternaam"),
        ),
        (
            "contactnaamVoorletters",
            Filter::Text("contactnaam_voorletters"),
        ),
        ("contactnaamVoornaam", Filter::Text("contactnaam_voornaam")),
        (
            "contactnaamVoorvoegselAchternaam",
            Filter::Text("contactnaam_voorvoegsel_achternaam"),
        ),
        (
            "hadKlantcontact__nummer",
            Filter::TextIn(
                "EXISTS (SELECT 1 FROM klantcontacten k
                         WHERE k.uuid = t.klantcontact_uuid AND k.nummer = {})",
            ),
        ),
        (
            "hadKlantcontact__referentienummer",
            Filter::TextIn(
                "EXISTS (SELECT 1 FROM klantcontacten k
                         WHERE k.uuid = t.klantcontact_uuid AND k.referentienummer = {})",
            ),
        ),
        (
            "hadKlantcontact__url",
            Filter::UrlUnder("klantcontact", KLANTCONTACTEN),
        ),
        ("hadKlantcontact__uuid", Filter::OtherPartij("klantcontact")),
        ("organisatienaam", Filter::Text("organisatienaam")),
        (
            "verstrektedigitaalAdres__adres",
            Filter::TextIn(verstrekt_adres!("d.value ->> 'adres' = {}", "d.adres = {}")),
        ),
        (
            "verstrektedigitaalAdres__url",
            Filter::UrlIn(
                verstrekt_adres!("d.key = {}::text", "d.uuid = {}"),
                DIGITALE_ADRESSEN,
            ),
        ),
        (
            "verstrektedigitaalAdres__uuid",
            Filter::UuidIn(verstrekt_adres!("d.key = {}::text", "d.uuid = {}")),
        ),
        (
            "wasPartij__nummer",
            Filter::TextIn(
                "EXISTS (SELECT 1 FROM partijen p
                         WHERE p.uuid::text = t.was_partij AND p.nummer = {})",
            ),
        ),
        (
            "wasPartij__partijIdentificator__codeObjecttype",
            Filter::TextIn(was_partij_identificator!("code_objecttype")),
        ),
        (
            "wasPartij__partijIdentificator__codeRegister",
            Filter::TextIn(was_partij_identificator!("code_register")),
        ),
        (
            "wasPartij__partijIdentificator__codeSoortObjectId",
            Filter::TextIn(was_partij_identificator!("code_soort_object_id")),
        ),
        (
            "wasPartij__partijIdentificator__objectId",
            Filter::TextIn(was_partij_identificator!("object_id")),
        ),
        ("wasPartij__url", Filter::OtherPartijUrl("was_partij")),
        ("wasPartij__uuid", Filter::OtherPartij("was_partij")),
    ],
    expand: &["digitaleAdressen"],
    parse: dto::parse_betrokkene,
    render: render::betrokkene,
};

pub(super) const ONDERWERPOBJECTEN: Part<KlantcontactOwner> = Part {
    collection: render::ONDERWERPOBJECTEN,
    resource: "onderwerpobject",
    kind: KlantcontactPartKind::Onderwerpobject,
    table: "onderwerpobjecten",
    filters: &[
        (
            "klantcontact__url",
            Filter::UrlUnder("klantcontact", KLANTCONTACTEN),
        ),
        ("klantcontact__uuid", Filter::OtherPartij("klantcontact")),
        (
            "onderwerpobjectidentificatorCodeObjecttype",
            Filter::Text("code_objecttype"),
        ),
        (
            "onderwerpobjectidentificatorCodeRegister",
            Filter::Text("code_register"),
        ),
        (
            "onderwerpobjectidentificatorCodeSoortObjectId",
            Filter::Text("code_soort_object_id"),
        ),
        (
            "onderwerpobjectidentificatorObjectId",
            Filter::Text("object_id"),
        ),
        (
            "wasKlantcontact__url",
            Filter::UrlUnder("was_klantcontact", KLANTCONTACTEN),
        ),
        (
            "wasKlantcontact__uuid",
            Filter::OtherPartij("was_klantcontact"),
        ),
    ],
    expand: &[],
    parse: dto::parse_onderwerpobject,
    render: render::onderwerpobject,
};

pub(super) const BIJLAGEN: Part<KlantcontactOwner> = Part {
    collection: render::BIJLAGEN,
    resource: "bijlage",
    kind: KlantcontactPartKind::Bijlage,
    table: "bijlagen",
    filters: &[
        (
            "bijlageidentificatorCodeObjecttype",
            Filter::Text("code_objecttype"),
        ),
        (
            "bijlageidentificatorCodeRegister",
            Filter::Text("code_register"),
        ),
        (
            "bijlageidentificatorCodeSoortObjectId",
            Filter::Text("code_soort_object_id"),
        ),
        ("bijlageidentificatorObjectId", Filter::Text("object_id")),
        ("klantcontact__uuid", Filter::OtherPartij("klantcontact")),
    ],
    expand: &[],
    parse: dto::parse_bijlage,
    render: render::bijlage,
};

pub(super) const ACTORKLANTCONTACTEN: Part<KlantcontactOwner> = Part {
    collection: render::ACTORKLANTCONTACTEN,
    resource: "actorklantcontact",
    kind: KlantcontactPartKind::ActorKlantcontact,
    table: "actorklantcontacten",
    filters: &[
        ("actor__url", Filter::UrlUnder("actor", ACTOREN)),
        ("actor__uuid", Filter::OtherPartij("actor")),
        (
            "klantcontact__url",
            Filter::UrlUnder("klantcontact", KLANTCONTACTEN),
        ),
        ("klantcontact__uuid", Filter::OtherPartij("klantcontact")),
    ],
    expand: &[],
    parse: dto::parse_actorklantcontact,
    render: render::actorklantcontact,
};

/// The digitale adressen a betrokkene gave without a partij, in its klantcontact's stream
/// (read and listed with a partij's: `super::digitale_adressen`).
pub(super) const BETROKKENE_ADRESSEN: Part<KlantcontactOwner> = Part {
    collection: projections::partijen::render::DIGITALE_ADRESSEN,
    resource: "digitaaladres",
    kind: KlantcontactPartKind::DigitaalAdres,
    table: "digitale_adressen",
    filters: &[],
    expand: &[],
    parse: dto::parse_betrokkene_adres,
    render: render::digitaal_adres,
};

/// `/onderwerpobjecten`, whose DELETE takes Open Klant's `?cascade=true`: the klantcontacten
/// it links go too unless another onderwerpobject links them; 200 with the URLs of those
/// kept (`behouden`) instead of 204.
pub(super) fn onderwerpobjecten_router() -> axum::Router<AppState> {
    super::parts::router_with_delete(
        &ONDERWERPOBJECTEN,
        axum::routing::delete(destroy_onderwerpobject),
    )
}

/// The DELETE's query parameter.
pub(super) const CASCADE: crate::openapi::params::QueryParam =
    crate::openapi::params::param("cascade", crate::openapi::params::ParamType::Bool);

async fn destroy_onderwerpobject(
    axum::extract::State(s): axum::extract::State<AppState>,
    caller: Caller,
    axum::extract::Path(uuid): axum::extract::Path<String>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let pairs = crate::resource::query_pairs(raw)?;
    crate::openapi::params::refuse_unknown(&pairs, &[CASCADE], ApiError::unknown_parameter)?;
    let cascade = pairs
        .iter()
        .any(|(k, v)| k == "cascade" && v.eq_ignore_ascii_case("true"));
    let target = Target::KlantcontactPart(ONDERWERPOBJECTEN.table);
    let (uuid, _, ctx) = super::write_request(&s, &caller, &uuid, target, None).await?;
    let (outcome, kept) = super::klantcontacten::service(&s)
        .destroy_onderwerpobject(&caller.authorisation, &ctx, uuid, cascade)
        .await?;
    s.wait_for(projections::klantcontacten::NAME, outcome.position)
        .await;
    if !cascade {
        return Ok(axum::http::StatusCode::NO_CONTENT.into_response());
    }
    let behouden: Vec<String> = kept.into_iter().map(|k| s.urls.klantcontact(k)).collect();
    Ok(axum::Json(serde_json::json!({ "behouden": behouden })).into_response())
}
