//! The adapters of the zaken write side's port (`commands::zaken::ZaakPorts`): the
//! catalogue (our read model or another Catalogi API), the Referentielijsten and other ZGW
//! APIs over HTTP, and the zaken, besluiten and documenten read models.

use async_trait::async_trait;
use commands::zaken::{ZaakPorts, ZaakSummary};
use commands::WriteError;
use domain::catalogue_facts::{
    EigenschapFacts, ResultaattypeFacts, RoltypeFacts, StatustypeFacts, ZaaktypeFacts,
};
use domain::urls::Urls;
use domain::zaak::DocumentFacts;
use event_schemas::zaak::{PartAttributes, PartKind};
use serde_json::Value;
use uuid::Uuid;

use super::catalogus;
use crate::error::ApiError;
use crate::remote::Shape;
use crate::AppState;

/// [`ZaakPorts`] on the application's state.
pub struct Adapters<'a>(pub &'a AppState);

fn internal(e: sqlx::Error) -> WriteError {
    ApiError::internal(e).into()
}

#[async_trait]
impl ZaakPorts for Adapters<'_> {
    fn urls(&self) -> &Urls {
        &self.0.urls
    }

    async fn zaaktype(&self, field: &str, url: &str) -> Result<ZaaktypeFacts, WriteError> {
        Ok(catalogus::zaaktype(self.0, field, url).await?)
    }

    async fn statustype(&self, url: &str) -> Result<StatustypeFacts, WriteError> {
        Ok(catalogus::statustype(self.0, url).await?)
    }

    async fn resultaattype(&self, url: &str) -> Result<ResultaattypeFacts, WriteError> {
        Ok(catalogus::resultaattype(self.0, url).await?)
    }

    async fn roltype(&self, url: &str) -> Result<RoltypeFacts, WriteError> {
        Ok(catalogus::roltype(self.0, url).await?)
    }

    async fn eigenschap(&self, url: &str) -> Result<EigenschapFacts, WriteError> {
        Ok(catalogus::eigenschap(self.0, url).await?)
    }

    /// Of the configured Selectielijst API when there is one, otherwise of any (fetched,
    /// and of a resultaat's shape), as the reference's ResourceValidator checks it.
    async fn check_selectielijstklasse(&self, url: &str) -> Result<(), WriteError> {
        use crate::referentielijsten::{resolve, Soort};
        let s = self.0;
        if s.selectielijst.is_some() {
            resolve(s, "selectielijstklasse", url, Soort::Resultaat).await?;
        } else if !url.is_empty() {
            s.remote
                .resource("selectielijstklasse", url, Shape::Resultaat)
                .await?;
        }
        Ok(())
    }

    /// Fetched (any Referentielijsten API, not only a configured one) and of that shape.
    async fn check_communicatiekanaal(&self, url: &str) -> Result<(), WriteError> {
        if !url.is_empty() {
            self.0
                .remote
                .resource("communicatiekanaal", url, Shape::Communicatiekanaal)
                .await?;
        }
        Ok(())
    }

    /// As the reference's LooseFkResourceValidator: every URL checked, all problems at once.
    async fn check_zaak_urls(&self, list: &str, urls: &[&str]) -> Result<(), WriteError> {
        let mut problems = Vec::new();
        for (i, url) in urls.iter().enumerate() {
            let field = format!("{list}.{i}.url");
            if let Err(ApiError::Validation(p)) = check_zaak_url(self.0, &field, url).await {
                problems.extend(p);
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(WriteError::Invalid(problems))
        }
    }

    async fn check_part_reference(
        &self,
        zaak: Uuid,
        zaaktype: Option<&str>,
        kind: PartKind,
        attributes: &PartAttributes,
    ) -> Result<(), WriteError> {
        let s = self.0;
        let text = |name: &str| {
            attributes
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        match kind {
            PartKind::Zaakinformatieobject => {
                super::documenten::check_link(s, zaak, zaaktype, text("informatieobject")).await?
            }
            PartKind::Zaakcontactmoment => {
                let url = text("contactmoment");
                s.remote
                    .resource("contactmoment", url, Shape::Contactmoment)
                    .await?;
            }
            PartKind::Zaakverzoek => {
                s.remote
                    .resource("verzoek", text("verzoek"), Shape::Verzoek)
                    .await?;
            }
            // An object URL must answer (the reference's URLValidator: 200, any body).
            PartKind::Zaakobject if !text("object").is_empty() => {
                s.remote.answers("object", text("object")).await?;
            }
            _ => {}
        }
        Ok(())
    }

    async fn zaak(&self, uuid: Uuid) -> Result<Option<ZaakSummary>, WriteError> {
        let row: Option<(String, Option<Uuid>, Option<chrono::NaiveDate>)> =
            sqlx::query_as("SELECT zaaktype, hoofdzaak, einddatum FROM zaken WHERE uuid = $1")
                .bind(uuid)
                .fetch_optional(&self.0.pool)
                .await
                .map_err(internal)?;
        Ok(row.map(|(zaaktype, hoofdzaak, einddatum)| ZaakSummary {
            zaaktype,
            hoofdzaak,
            einddatum,
        }))
    }

    async fn has_open_deelzaken(&self, uuid: Uuid) -> Result<bool, WriteError> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM zaken WHERE hoofdzaak = $1 AND einddatum IS NULL)",
        )
        .bind(uuid)
        .fetch_one(&self.0.pool)
        .await
        .map_err(internal)
    }

    async fn has_besluiten(&self, uuid: Uuid) -> Result<bool, WriteError> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM besluiten WHERE zaak = $1)")
            .bind(self.0.urls.zaak(uuid))
            .fetch_one(&self.0.pool)
            .await
            .map_err(internal)
    }

    async fn documenten(&self, urls: &[&str]) -> Result<Vec<DocumentFacts>, WriteError> {
        Ok(super::documenten::facts(self.0, urls).await?)
    }

    async fn rol_zaak(&self, uuid: Uuid) -> Result<Option<Uuid>, WriteError> {
        sqlx::query_scalar("SELECT zaak_uuid FROM zaak_parts WHERE uuid = $1 AND kind = 'rol'")
            .bind(uuid)
            .fetch_optional(&self.0.pool)
            .await
            .map_err(internal)
    }

    async fn besluit_zaak(&self, besluit: Uuid) -> Result<Option<String>, WriteError> {
        sqlx::query_scalar("SELECT zaak FROM besluiten WHERE uuid = $1")
            .bind(besluit)
            .fetch_optional(&self.0.pool)
            .await
            .map_err(internal)
    }

    async fn next_zaaknummer(&self) -> Result<i64, WriteError> {
        sqlx::query_scalar("SELECT nextval('zaak_identificatie_seq')")
            .fetch_one(&self.0.pool)
            .await
            .map_err(internal)
    }
}

/// `url` names a zaak: ours (in the zaken read model) or another Zaken API's.
async fn check_zaak_url(s: &AppState, field: &str, url: &str) -> Result<(), ApiError> {
    if let Some(uuid) = s.urls.zaak_uuid(url) {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM zaken WHERE uuid = $1)")
                .bind(uuid)
                .fetch_one(&s.pool)
                .await
                .map_err(ApiError::internal)?;
        return if exists {
            Ok(())
        } else {
            Err(ApiError::invalid(
                field,
                "bad-url",
                format!("De URL {url} resolvet niet naar een zaak."),
            ))
        };
    }
    s.remote.resource(field, url, Shape::Zaak).await.map(drop)
}
