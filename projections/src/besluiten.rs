//! The besluiten read model: one row per besluit (real columns for the Besluiten API's
//! filters and the grant, the aggregate state, the rendered resource) and one per
//! besluitinformatieobject, with the audit trail entries (bron `brc`), in one transaction.

use async_trait::async_trait;
use domain::besluit::{Besluit, BesluitAggregate};
use event_schemas::besluit::BesluitEvent;
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use sqlx::postgres::PgConnection;
use uuid::Uuid;

use crate::fold::{fold_audited, Touched};
use crate::render::{self, Urls};
use crate::{audit, snapshots};
use crate::{Projection, ProjectionError};

pub const NAME: &str = "besluiten";

pub struct BesluitenProjection {
    urls: Urls,
}

impl BesluitenProjection {
    pub fn new(urls: Urls) -> Self {
        Self { urls }
    }
}

#[async_trait]
impl Projection for BesluitenProjection {
    fn name(&self) -> &'static str {
        NAME
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        event.category() == BesluitEvent::CATEGORY
    }

    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let ours: Vec<&RecordedEvent> = batch
            .iter()
            .filter(|e| e.category() == BesluitEvent::CATEGORY)
            .collect();
        if ours.is_empty() {
            return Ok(());
        }
        let entry = |e: &RecordedEvent, event: &_, before: Option<&_>, after: Option<&_>| {
            audit::besluit_entry(e, event, before, after, &self.urls)
        };
        let touched = fold_audited::<BesluitAggregate, _>(tx, "besluiten", &ours, &entry).await?;
        for (uuid, t) in touched {
            save(tx, &self.urls, uuid, t).await?;
        }
        Ok(())
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        sqlx::query("TRUNCATE besluiten, besluitinformatieobjecten")
            .execute(&mut *tx)
            .await?;
        snapshots::reset(tx, BesluitEvent::CATEGORY).await?;
        audit::reset(tx, "brc").await
    }
}

/// The besluit's row and its besluitinformatieobjecten as the state says (none when it
/// was deleted).
async fn save(
    tx: &mut PgConnection,
    urls: &Urls,
    uuid: Uuid,
    t: Touched<Besluit>,
) -> Result<(), ProjectionError> {
    let Some(b) = t.state else {
        sqlx::query("DELETE FROM besluitinformatieobjecten WHERE besluit_uuid = $1")
            .bind(uuid)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM besluiten WHERE uuid = $1")
            .bind(uuid)
            .execute(&mut *tx)
            .await?;
        return Ok(());
    };
    let a = &b.attributes;
    let resource = render::besluit(&b, urls);
    sqlx::query(
        "INSERT INTO besluiten (uuid, tenant, identificatie, verantwoordelijke_organisatie,
            besluittype, zaak, version, state, resource, etag)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (uuid) DO UPDATE SET identificatie = EXCLUDED.identificatie,
            verantwoordelijke_organisatie = EXCLUDED.verantwoordelijke_organisatie,
            besluittype = EXCLUDED.besluittype, zaak = EXCLUDED.zaak,
            version = EXCLUDED.version, state = EXCLUDED.state,
            resource = EXCLUDED.resource, etag = EXCLUDED.etag",
    )
    .bind(uuid)
    .bind(&t.tenant)
    .bind(&a.identificatie)
    .bind(&a.verantwoordelijke_organisatie)
    .bind(&a.besluittype)
    .bind(a.zaak.as_deref().unwrap_or_default())
    .bind(t.version)
    .bind(sqlx::types::Json(&b))
    .bind(&resource)
    .bind(render::etag(&resource))
    .execute(&mut *tx)
    .await?;
    let mut bios: Vec<_> = b.informatieobjecten.iter().collect();
    bios.sort_by_key(|(_, bio)| bio.seq);
    let keep: Vec<Uuid> = bios.iter().map(|(u, _)| **u).collect();
    sqlx::query(
        "DELETE FROM besluitinformatieobjecten WHERE besluit_uuid = $1 AND NOT uuid = ANY($2)",
    )
    .bind(uuid)
    .bind(&keep)
    .execute(&mut *tx)
    .await?;
    for (bio_uuid, bio) in bios {
        let Some(resource) = render::besluitinformatieobject(&b, *bio_uuid, urls) else {
            continue;
        };
        sqlx::query(
            "INSERT INTO besluitinformatieobjecten (uuid, besluit_uuid, besluittype,
                informatieobject, resource, etag)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (uuid) DO UPDATE SET besluittype = EXCLUDED.besluittype,
                resource = EXCLUDED.resource, etag = EXCLUDED.etag",
        )
        .bind(bio_uuid)
        .bind(uuid)
        .bind(&a.besluittype)
        .bind(&bio.informatieobject)
        .bind(&resource)
        .bind(render::etag(&resource))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
