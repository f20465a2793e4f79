//! The outside facts a besluit write is decided on: its besluittype (published, its
//! zaaktypen and informatieobjecttypen), the zaaktype of its zaak, the informatieobjecttype
//! of a document. Ours come from the read models; another API's resources are fetched.

use domain::besluit::Besluittype;
use event_schemas::applicatie::Component;
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use serde_json::Value;

use crate::error::ApiError;
use crate::zaken::catalogus::{self, BesluittypeFacts};
use crate::{AppState, Caller};

fn bad_url(field: &str, url: &str) -> ApiError {
    ApiError::invalid(
        field,
        "bad-url",
        format!("De URL {url} resolvet niet naar een bruikbare resource."),
    )
}

fn invalid_resource(field: &str, url: &str) -> ApiError {
    ApiError::invalid(
        field,
        "invalid-resource",
        format!("De URL {url} wijst niet naar een resource van de verwachte soort."),
    )
}

pub async fn besluittype(s: &AppState, url: &str) -> Result<BesluittypeFacts, ApiError> {
    catalogus::besluittype(s, url).await
}

/// The domain's view of a besluittype.
pub fn for_domain(b: &BesluittypeFacts) -> Besluittype {
    Besluittype {
        concept: b.concept,
        zaaktypen: b.zaaktypen.clone(),
    }
}

/// What a besluit write needs to know of its zaak.
#[derive(Debug, Clone)]
pub struct ZaakFacts {
    pub zaaktype: String,
    pub vertrouwelijkheid: Vertrouwelijkheidaanduiding,
    pub closed: bool,
}

impl ZaakFacts {
    /// A closed zaak's besluiten change only with zaken.geforceerd-bijwerken on the zaak
    /// (Open Zaak's ClosedZaakMixin): 403 otherwise.
    pub fn check_open(&self, caller: &Caller) -> Result<(), ApiError> {
        let forced = caller
            .grants(Component::Zrc, "zaken.geforceerd-bijwerken")
            .allows(&self.zaaktype, self.vertrouwelijkheid);
        if self.closed && !forced {
            return Err(ApiError::PermissionDenied(
                "Je mag geen gegevens aanpassen van een gesloten zaak.".into(),
            ));
        }
        Ok(())
    }
}

/// The zaak at `url`: from the zaken read model when it is ours, fetched otherwise;
/// `bad-url` when it cannot be found.
pub async fn zaak(s: &AppState, url: &str) -> Result<ZaakFacts, ApiError> {
    if url.starts_with(&format!("{}/", s.urls.base())) {
        let uuid = s.urls.zaak_uuid(url).ok_or_else(|| bad_url("zaak", url))?;
        let row: Option<(String, String, bool)> = sqlx::query_as(
            "SELECT zaaktype, vertrouwelijkheidaanduiding, einddatum IS NOT NULL
             FROM zaken WHERE uuid = $1",
        )
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?;
        let (zaaktype, vertrouwelijkheid, closed) = row.ok_or_else(|| bad_url("zaak", url))?;
        return Ok(ZaakFacts {
            zaaktype,
            vertrouwelijkheid: Vertrouwelijkheidaanduiding::parse(&vertrouwelijkheid).ok_or_else(
                || ApiError::internal("stored vertrouwelijkheidaanduiding is unknown"),
            )?,
            closed,
        });
    }
    let zaak = s
        .remote
        .get_now(url)
        .await
        .map_err(|e| e.for_field("zaak"))?;
    let zaaktype = field(&zaak, "zaaktype").ok_or_else(|| invalid_resource("zaak", url))?;
    let vertrouwelijkheid = field(&zaak, "vertrouwelijkheidaanduiding")
        .and_then(|v| Vertrouwelijkheidaanduiding::parse(&v))
        .unwrap_or(Vertrouwelijkheidaanduiding::Openbaar);
    Ok(ZaakFacts {
        zaaktype,
        vertrouwelijkheid,
        closed: field(&zaak, "einddatum").is_some(),
    })
}

/// The informatieobjecttype of the informatieobject at `url`: one of our documents from
/// the documenten read model (`does_not_exist` when it is not there), another Documenten
/// API's enkelvoudiginformatieobject fetched as it is now.
pub async fn informatieobjecttype(s: &AppState, url: &str) -> Result<String, ApiError> {
    if let Some(ours) = crate::documenten::facts::linked(s, url).await? {
        return field(&ours, "informatieobjecttype")
            .ok_or_else(|| ApiError::internal("stored document has no informatieobjecttype"));
    }
    let document = s
        .remote
        .get_now(url)
        .await
        .map_err(|e| e.for_field("informatieobject"))?;
    field(&document, "informatieobjecttype")
        .ok_or_else(|| invalid_resource("informatieobject", url))
}

fn field(resource: &Value, name: &str) -> Option<String> {
    resource
        .get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}
