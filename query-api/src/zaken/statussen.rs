//! `/statussen`: setting a status is a command on the zaak (its stream); the eindstatus
//! (the statustype with the highest volgnummer) closes the zaak and derives its archive
//! fields, a non-eindstatus on a closed zaak reopens it. Reads come from `zaak_parts`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use commands::CommandError;
use domain::zaak::archief::{self, ArchiefRegels, BuitenFeiten};
use domain::zaak::{Zaak, ZaakAggregate, ZaakCommand, ZaakError};
use event_schemas::applicatie::Component;
use event_schemas::zaak::{Archiefstatus, PartKind};
use projections::{render, zaken::NAME as ZAKEN};
use serde_json::Value;
use uuid::Uuid;

use super::catalogus::{self, ResultaattypeFacts};
use super::parts::{detail_row, list_rows, Filter, Listing};
use crate::error::ApiError;
use crate::fields::{Fields, Presence::*};
use crate::{headers, resource, AppState, Caller};

/// Setting a status: either scope; reopening also with zaken.heropenen alone.
pub const SCOPE: &str =
    "zaken.aanmaken|zaken.statussen.toevoegen|zaken.heropenen|zaken.geforceerd-bijwerken";
const ZETTEN: &str = "zaken.aanmaken|zaken.statussen.toevoegen|zaken.geforceerd-bijwerken";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/statussen", get(list).post(create))
        .route("/statussen/{uuid}", get(detail))
}

fn listing() -> Listing {
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
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    list_rows(&s, &caller, &listing(), None, raw).await
}

async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    detail_row(
        &s,
        &caller,
        projections::zaak_parts::STATUS,
        Some(&uuid),
        &headers,
    )
    .await
}

/// A status body, field by field.
struct NewStatus {
    zaak: Uuid,
    statustype: String,
    datum_status_gezet: DateTime<Utc>,
    statustoelichting: String,
    gezetdoor: String,
}

fn parse(s: &AppState, body: &Value, now: DateTime<Utc>) -> Result<NewStatus, ApiError> {
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
    let zaak_uuid = s.urls.zaak_uuid(&zaak);
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
    let new = parse(&s, &resource::parse_json(&body)?, ctx.now)?;
    let statustype = catalogus::statustype(&s, &new.statustype).await?;
    // Closing needs facts from outside the zaak (its documents, its resultaattype's
    // archive rules), resolved from the zaak as it is now; the command checks the rest.
    let closing = if statustype.is_eindstatus {
        let (current, _) = s
            .commands
            .load_state::<ZaakAggregate>(new.zaak)
            .await
            .map_err(ApiError::internal)?;
        let zaak = current.ok_or_else(does_not_exist)?;
        Some(Closing::resolve(&s, &zaak).await?)
    } else {
        check_hoofdzaak_open(&s, new.zaak).await?;
        None
    };
    let uuid = Uuid::new_v4();
    let build = |state: &Option<Zaak>| -> Result<ZaakCommand, ApiError> {
        let zaak = state.as_ref().ok_or_else(does_not_exist)?;
        let (zaaktype, vertrouwelijkheid) = (
            zaak.attributes.zaaktype.as_str(),
            zaak.attributes.vertrouwelijkheidaanduiding,
        );
        let allows = |scope| {
            caller
                .grants(Component::Zrc, scope)
                .allows(zaaktype, vertrouwelijkheid)
        };
        let may_reopen = allows("zaken.heropenen");
        if !(allows(ZETTEN) || (may_reopen && zaak.is_closed() && !statustype.is_eindstatus)) {
            return Err(ApiError::permission_denied());
        }
        catalogus::same_zaaktype(&statustype.zaaktype, zaaktype)?;
        check_zaak(zaak, &new.gezetdoor, &s)?;
        let archief = match &closing {
            Some(c) => Some(c.archief(zaak, new.datum_status_gezet)?),
            None => None,
        };
        Ok(ZaakCommand::AddStatus {
            uuid,
            statustype: new.statustype.clone(),
            datum_status_gezet: new.datum_status_gezet,
            statustoelichting: new.statustoelichting.clone(),
            gezetdoor: new.gezetdoor.clone(),
            is_eindstatus: statustype.is_eindstatus,
            archief,
            may_force: allows("zaken.geforceerd-bijwerken"),
            may_reopen,
        })
    };
    let outcome = s
        .commands
        .execute_with::<ZaakAggregate, ApiError>(new.zaak, &ctx, build)
        .await
        .map_err(command_error)?;
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

fn does_not_exist() -> ApiError {
    ApiError::invalid(
        "zaak",
        "does_not_exist",
        "Ongeldige hyperlink - Object bestaat niet.",
    )
}

/// A zaak takes statussen while it is not archived; `gezetdoor` is one of its rollen.
fn check_zaak(zaak: &Zaak, gezetdoor: &str, s: &AppState) -> Result<(), ApiError> {
    if zaak.attributes.archiefstatus != Archiefstatus::NogTeArchiveren {
        return Err(ApiError::invalid(
            "nonFieldErrors",
            "zaak-archiefstatus-invalid",
            "De huidige zaak archiefstatus staat dit request niet toe. Archiefstatus moet gelijk zijn aan 'nog_te_archiveren'",
        ));
    }
    let is_rol = zaak
        .parts_of(PartKind::Rol)
        .any(|(u, _)| s.urls.part(PartKind::Rol, zaak.uuid, *u) == gezetdoor);
    if !gezetdoor.is_empty() && !is_rol {
        return Err(ApiError::invalid(
            "nonFieldErrors",
            "zaak-mismatch",
            "De 'gezetdoor' rol hoort niet bij de zaak.",
        ));
    }
    Ok(())
}

fn command_error(e: CommandError<ZaakError, ApiError>) -> ApiError {
    match e {
        CommandError::Rejected(r) => r,
        CommandError::Domain(ZaakError::NotFound) => does_not_exist(),
        CommandError::Domain(e @ (ZaakError::Closed | ZaakError::ReopenNotAllowed)) => {
            ApiError::PermissionDenied(e.to_string())
        }
        CommandError::Domain(e @ ZaakError::ResultaatMissing) => {
            ApiError::invalid("nonFieldErrors", "resultaat-does-not-exist", e.to_string())
        }
        CommandError::Domain(ZaakError::NotUnique { .. }) => ApiError::invalid(
            "nonFieldErrors",
            "unique",
            "De velden zaak, datumStatusGezet moeten een unieke set zijn.",
        ),
        other => crate::concurrency::command_failure(other),
    }
}

/// What closing the zaak needs from outside its stream, resolved before deciding.
struct Closing {
    /// The resultaattype of the zaak's resultaat when it was resolved (`None`: no
    /// resultaat; decide refuses the eindstatus).
    resultaattype: Option<ResultaattypeFacts>,
    buiten: BuitenFeiten,
}

impl Closing {
    async fn resolve(s: &AppState, zaak: &Zaak) -> Result<Self, ApiError> {
        let resultaattype = match zaak.resultaat() {
            Some((_, r)) => {
                let url = r.attributes.get("resultaattype").and_then(Value::as_str);
                Some(catalogus::resultaattype(s, url.unwrap_or_default()).await?)
            }
            None => None,
        };
        check_deelzaken(s, zaak.uuid).await?;
        super::documenten::check_closing(s, zaak).await?;
        let buiten = BuitenFeiten {
            hoofdzaak_einddatum: einddata(s, zaak.attributes.hoofdzaak.iter()).await?.pop(),
            gerelateerde_einddata: einddata(
                s,
                zaak.attributes
                    .relevante_andere_zaken
                    .iter()
                    .map(|r| &r.url),
            )
            .await?,
        };
        Ok(Self {
            resultaattype,
            buiten,
        })
    }

    fn archief(
        &self,
        zaak: &Zaak,
        datum: DateTime<Utc>,
    ) -> Result<domain::zaak::Archief, ApiError> {
        let Some(rt) = &self.resultaattype else {
            // No resultaat: decide answers resultaat-does-not-exist.
            return Ok(domain::zaak::Archief {
                archiefnominatie: None,
                archiefactiedatum: None,
            });
        };
        let procedure = rt.brondatum_archiefprocedure.clone().unwrap_or_default();
        let text = |name: &str| {
            procedure
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let regels = ArchiefRegels {
            archiefnominatie: rt.archiefnominatie,
            archiefactietermijn: rt.archiefactietermijn.clone().filter(|t| !t.is_empty()),
            afleidingswijze: text("afleidingswijze").unwrap_or_default(),
            procestermijn: text("procestermijn").filter(|t| !t.is_empty()),
            datumkenmerk: text("datumkenmerk").unwrap_or_default(),
        };
        archief::bij_afsluiten(zaak, datum.date_naive(), &regels, &self.buiten).map_err(|e| {
            ApiError::invalid("nonFieldErrors", "archiefactiedatum-error", e.to_string())
        })
    }
}

/// A hoofdzaak closes only when its deelzaken are closed (the Open Zaak spec's rule,
/// `deelzaken-not-closed`).
async fn check_deelzaken(s: &AppState, zaak: Uuid) -> Result<(), ApiError> {
    let open: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM zaken d WHERE d.hoofdzaak = $1 AND d.einddatum IS NULL)",
    )
    .bind(zaak)
    .fetch_one(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    if open {
        return Err(ApiError::invalid(
            "nonFieldErrors",
            "deelzaken-not-closed",
            "Er zijn gerelateerde deelzaken die nog niet afgesloten zijn. Deze deelzaken moeten eerst afgesloten worden voordat de zaak afgesloten kan worden.",
        ));
    }
    Ok(())
}

/// A deelzaak gets a status other than an eindstatus (is reopened, or goes on) only while
/// its hoofdzaak is open (`hoofdzaak-closed`).
async fn check_hoofdzaak_open(s: &AppState, zaak: Uuid) -> Result<(), ApiError> {
    let closed: Option<bool> = sqlx::query_scalar(
        "SELECT h.einddatum IS NOT NULL FROM zaken z JOIN zaken h ON h.uuid = z.hoofdzaak
         WHERE z.uuid = $1",
    )
    .bind(zaak)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    if closed == Some(true) {
        return Err(ApiError::invalid(
            "nonFieldErrors",
            "hoofdzaak-closed",
            "Een deelzaak kan alleen worden heropend als de hoofzaak niet afgesloten is.",
        ));
    }
    Ok(())
}

/// The einddata of those of `urls` that are our zaken and closed.
async fn einddata<'a>(
    s: &AppState,
    urls: impl Iterator<Item = &'a String>,
) -> Result<Vec<chrono::NaiveDate>, ApiError> {
    let ids: Vec<Uuid> = urls.filter_map(|u| s.urls.zaak_uuid(u)).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_scalar("SELECT einddatum FROM zaken WHERE uuid = ANY($1) AND einddatum IS NOT NULL")
        .bind(ids)
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)
}
