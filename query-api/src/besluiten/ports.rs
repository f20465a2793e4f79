//! The adapters of the besluiten write side's port (`commands::besluiten::BesluitPorts`):
//! the catalogue (our read model or another Catalogi API), the zaken and documenten read
//! models for our resources, and other APIs' zaken and documents fetched as they are now.

use async_trait::async_trait;
use commands::besluiten::{BesluitPorts, ZaakFacts};
use commands::WriteError;
use domain::catalogue_facts::BesluittypeFacts;
use domain::urls::Urls;
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use serde_json::Value;

use crate::error::ApiError;
use crate::zaken::catalogus;
use crate::AppState;

/// [`BesluitPorts`] on the application's state.
pub struct Adapters<'a>(pub &'a AppState);

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

fn field(resource: &Value, name: &str) -> Option<String> {
    resource
        .get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

#[async_trait]
impl BesluitPorts for Adapters<'_> {
    fn urls(&self) -> &Urls {
        &self.0.urls
    }

    async fn besluittype(&self, url: &str) -> Result<BesluittypeFacts, WriteError> {
        Ok(catalogus::besluittype(self.0, url).await?)
    }

    async fn zaak(&self, url: &str) -> Result<ZaakFacts, WriteError> {
        Ok(zaak(self.0, url).await?)
    }

    /// One of our documents from the documenten read model (`does_not_exist` when it is
    /// not there), another Documenten API's enkelvoudiginformatieobject fetched as it is.
    async fn informatieobjecttype_of(&self, url: &str) -> Result<String, WriteError> {
        let s = self.0;
        if let Some(ours) = crate::documenten::facts::linked(s, url).await? {
            return Ok(field(&ours, "informatieobjecttype").ok_or_else(|| {
                ApiError::internal("stored document has no informatieobjecttype")
            })?);
        }
        let document = s
            .remote
            .get_now(url)
            .await
            .map_err(|e| e.for_field("informatieobject"))?;
        Ok(field(&document, "informatieobjecttype")
            .ok_or_else(|| invalid_resource("informatieobject", url))?)
    }

    async fn next_besluitnummer(&self) -> Result<i64, WriteError> {
        sqlx::query_scalar("SELECT nextval('besluit_identificatie_seq')")
            .fetch_one(&self.0.pool)
            .await
            .map_err(|e| ApiError::internal(e).into())
    }
}

/// The zaak at `url`: from the zaken read model when it is ours, fetched otherwise;
/// `bad-url` when it cannot be found.
async fn zaak(s: &AppState, url: &str) -> Result<ZaakFacts, ApiError> {
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
