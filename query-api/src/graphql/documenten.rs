//! A zaak's documents as GraphQL fields of `Zaak`: the documents of ours its
//! zaakinformatieobjecten point at, from the documenten read model (`document_versies`).
//! Two DataLoaders gather the documents of one query level, and their versions, into one
//! SQL statement each (no N+1); both filter by the caller's drc grants (documenten.lezen on
//! the informatieobjecttype up to its vertrouwelijkheidaanduiding) in SQL, as the REST list
//! and the `?versie=` detail do: a document or version the caller may not read is left out.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, Object};
use projections::render::Urls;
use serde_json::Value;
use sqlx::{PgPool, QueryBuilder};
use uuid::Uuid;

use super::parts::{grouped, text};
use crate::authorisation::Grants;
use crate::authorisation::GrantsFilter;

/// The current version of each document (by URL) the caller may read.
pub struct DocumentenLoader {
    pub pool: PgPool,
    pub urls: Arc<Urls>,
    /// The caller's documenten.lezen grants.
    pub grants: Grants,
    /// Records what was loaded in the read log.
    pub reader: crate::reads::Reader,
}

impl Loader<String> for DocumentenLoader {
    type Value = Document;
    type Error = Arc<sqlx::Error>;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Document>, Self::Error> {
        let ids: HashMap<Uuid, &String> = keys
            .iter()
            .filter_map(|url| Some((self.urls.document_uuid(url)?, url)))
            .collect();
        let mut sql =
            QueryBuilder::new("SELECT uuid, resource FROM document_versies WHERE is_latest");
        sql.push(" AND uuid = ANY(")
            .push_bind(ids.keys().copied().collect::<Vec<_>>())
            .push(")");
        self.grants
            .push_filter(&mut sql, "informatieobjecttype", "vertrouwelijkheid_rank");
        let rows: Vec<(Uuid, Value)> = sql
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(Arc::new)?;
        let read = rows.iter().map(|(uuid, _)| *uuid).collect();
        let resource = ("drc", "enkelvoudiginformatieobject");
        self.reader.read(resource, read).await;
        Ok(rows
            .into_iter()
            .filter_map(|(uuid, resource)| {
                let url = (*ids.get(&uuid)?).clone();
                let versies_then = None;
                Some((
                    url,
                    Document {
                        uuid,
                        resource,
                        versies_then,
                    },
                ))
            })
            .collect())
    }
}

/// Every version of each document (by uuid) the caller may read, oldest first.
pub struct VersiesLoader {
    pub pool: PgPool,
    /// The caller's documenten.lezen grants.
    pub grants: Grants,
}

impl Loader<Uuid> for VersiesLoader {
    type Value = Vec<Value>;
    type Error = Arc<sqlx::Error>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<Value>>, Self::Error> {
        let mut sql =
            QueryBuilder::new("SELECT uuid, resource FROM document_versies WHERE uuid = ANY(");
        sql.push_bind(keys.to_vec()).push(")");
        self.grants
            .push_filter(&mut sql, "informatieobjecttype", "vertrouwelijkheid_rank");
        sql.push(" ORDER BY uuid, versie");
        grouped(sql, &self.pool).await
    }
}

/// An enkelvoudiginformatieobject (Documenten API) in its current version, or as it was at
/// an instant (with its versions as they were then).
#[derive(Clone)]
pub struct Document {
    uuid: Uuid,
    resource: Value,
    versies_then: Option<Vec<Value>>,
}

impl Document {
    /// Document `uuid` as it was at `instant`, if the caller may read it as it was then and
    /// as it is now (null otherwise, as where REST answers 403, 404 or 410).
    pub async fn as_of(
        ctx: &Context<'_>,
        uuid: Uuid,
        instant: chrono::DateTime<chrono::Utc>,
    ) -> async_graphql::Result<Option<Self>> {
        let s = ctx.data::<crate::AppState>()?;
        let caller = ctx.data::<crate::Caller>()?;
        let latest = crate::documenten::Versie::Latest;
        match crate::time_travel::document_then(s, caller, uuid, latest, instant).await {
            Ok(then) => {
                let reader = ctx.data::<crate::reads::Reader>()?;
                reader
                    .read(("drc", "enkelvoudiginformatieobject"), vec![uuid])
                    .await;
                Ok(Some(Self {
                    uuid,
                    resource: then.resource,
                    versies_then: Some(then.versies),
                }))
            }
            Err(e) if e.hides_the_object() => Ok(None),
            Err(e) => Err(async_graphql::Error::new(e.to_string())),
        }
    }

    fn text(&self, name: &str) -> Option<String> {
        text(&self.resource, name)
    }
}

#[Object]
impl Document {
    async fn url(&self) -> Option<String> {
        self.text("url")
    }
    async fn uuid(&self) -> Uuid {
        self.uuid
    }
    async fn identificatie(&self) -> Option<String> {
        self.text("identificatie")
    }
    async fn bronorganisatie(&self) -> Option<String> {
        self.text("bronorganisatie")
    }
    async fn creatiedatum(&self) -> Option<String> {
        self.text("creatiedatum")
    }
    async fn titel(&self) -> Option<String> {
        self.text("titel")
    }
    async fn auteur(&self) -> Option<String> {
        self.text("auteur")
    }
    async fn beschrijving(&self) -> Option<String> {
        self.text("beschrijving")
    }
    async fn informatieobjecttype(&self) -> Option<String> {
        self.text("informatieobjecttype")
    }
    async fn vertrouwelijkheidaanduiding(&self) -> Option<String> {
        self.text("vertrouwelijkheidaanduiding")
    }
    async fn status(&self) -> Option<String> {
        self.text("status")
    }
    async fn taal(&self) -> Option<String> {
        self.text("taal")
    }
    async fn formaat(&self) -> Option<String> {
        self.text("formaat")
    }
    async fn bestandsnaam(&self) -> Option<String> {
        self.text("bestandsnaam")
    }
    /// The current version's number.
    async fn versie(&self) -> Option<i64> {
        self.resource.get("versie").and_then(Value::as_i64)
    }
    async fn begin_registratie(&self) -> Option<String> {
        self.text("beginRegistratie")
    }
    /// Size of the current version's content in bytes.
    async fn bestandsomvang(&self) -> Option<i64> {
        self.resource.get("bestandsomvang").and_then(Value::as_i64)
    }
    /// Where the current version's content is downloaded; null without content.
    async fn inhoud(&self) -> Option<String> {
        self.text("inhoud")
    }
    async fn locked(&self) -> Option<bool> {
        self.resource.get("locked").and_then(Value::as_bool)
    }
    async fn indicatie_gebruiksrecht(&self) -> Option<bool> {
        self.resource
            .get("indicatieGebruiksrecht")
            .and_then(Value::as_bool)
    }
    /// The whole ZGW resource as JSON (as `GET /enkelvoudiginformatieobjecten/{uuid}`).
    async fn resource(&self) -> async_graphql::Json<Value> {
        async_graphql::Json(self.resource.clone())
    }
    /// Every version of the document the caller may read, oldest first (as of an instant:
    /// those it had then).
    async fn versies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DocumentVersie>> {
        if let Some(then) = &self.versies_then {
            return Ok(then.iter().cloned().map(DocumentVersie).collect());
        }
        let loader = ctx.data::<DataLoader<VersiesLoader>>()?;
        let versies = loader
            .load_one(self.uuid)
            .await
            .map_err(|e| async_graphql::Error::new(e.to_string()))?;
        Ok(versies
            .unwrap_or_default()
            .into_iter()
            .map(DocumentVersie)
            .collect())
    }
}

/// One version of a document, as `GET /enkelvoudiginformatieobjecten/{uuid}?versie=` shows it.
pub struct DocumentVersie(Value);

#[Object]
impl DocumentVersie {
    async fn versie(&self) -> Option<i64> {
        self.0.get("versie").and_then(Value::as_i64)
    }
    async fn begin_registratie(&self) -> Option<String> {
        text(&self.0, "beginRegistratie")
    }
    async fn titel(&self) -> Option<String> {
        text(&self.0, "titel")
    }
    async fn bestandsnaam(&self) -> Option<String> {
        text(&self.0, "bestandsnaam")
    }
    async fn bestandsomvang(&self) -> Option<i64> {
        self.0.get("bestandsomvang").and_then(Value::as_i64)
    }
    /// Where this version's content is downloaded; null without content.
    async fn inhoud(&self) -> Option<String> {
        text(&self.0, "inhoud")
    }
    /// The whole ZGW resource of this version as JSON.
    async fn resource(&self) -> async_graphql::Json<Value> {
        async_graphql::Json(self.0.clone())
    }
}

/// The documents of ours that `links` (a zaak's zaakinformatieobjecten) point at, each
/// once, in link order; those the caller may not read are left out.
pub async fn linked(
    ctx: &Context<'_>,
    links: &[Value],
    as_of: Option<chrono::DateTime<chrono::Utc>>,
) -> async_graphql::Result<Vec<Document>> {
    let mut urls: Vec<String> = Vec::new();
    for url in links.iter().filter_map(|l| text(l, "informatieobject")) {
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    let loader = ctx.data::<DataLoader<DocumentenLoader>>()?;
    if let Some(instant) = as_of {
        let mut then = Vec::with_capacity(urls.len());
        for uuid in urls
            .iter()
            .filter_map(|u| loader.loader().urls.document_uuid(u))
        {
            then.extend(Document::as_of(ctx, uuid, instant).await?);
        }
        return Ok(then);
    }
    let mut found = loader
        .load_many(urls.iter().cloned())
        .await
        .map_err(|e| async_graphql::Error::new(e.to_string()))?;
    Ok(urls.iter().filter_map(|u| found.remove(u)).collect())
}
