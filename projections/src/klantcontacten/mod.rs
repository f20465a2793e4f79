//! The klantcontacten read model (Klantinteracties API 0.9): one row per klantcontact (real
//! columns for the API's filters, the aggregate state, the rendered resource), with the
//! audit trail entries (bron `kic`) and snapshots, in one transaction.

pub mod notify;
pub mod render;

use async_trait::async_trait;
use domain::klantinteracties::klantcontact::{Klantcontact, KlantcontactAggregate};
use event_schemas::klantinteracties::klantcontact::KlantcontactEvent;
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use serde_json::Value;
use sqlx::postgres::PgConnection;
use uuid::Uuid;

use crate::fold::{fold_audited, Touched};
use crate::partijen::{save_parts_of, BRON};
use crate::render::{etag, Urls};
use crate::{audit, snapshots};
use crate::{Projection, ProjectionError};

pub const NAME: &str = "klantcontacten";

pub struct KlantcontactenProjection {
    urls: Urls,
}

impl KlantcontactenProjection {
    pub fn new(urls: Urls) -> Self {
        Self { urls }
    }
}

#[async_trait]
impl Projection for KlantcontactenProjection {
    fn name(&self) -> &'static str {
        NAME
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        event.category() == KlantcontactEvent::CATEGORY
    }

    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let ours: Vec<&RecordedEvent> = batch.iter().filter(|e| self.handles(e)).collect();
        if ours.is_empty() {
            return Ok(());
        }
        let entry = |e: &RecordedEvent, event: &_, before: Option<&_>, after: Option<&_>| {
            audit::klantcontact_entry(e, event, before, after, &self.urls)
        };
        let touched =
            fold_audited::<KlantcontactAggregate, _>(tx, "klantcontacten", &ours, &entry).await?;
        for (uuid, t) in touched {
            save(tx, &self.urls, uuid, t).await?;
        }
        Ok(())
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        sqlx::query(
            "TRUNCATE klantcontacten, betrokkenen, onderwerpobjecten, bijlagen, \
             actorklantcontacten",
        )
        .execute(&mut *tx)
        .await?;
        // The partijen keep theirs.
        sqlx::query("DELETE FROM digitale_adressen WHERE klantcontact_uuid IS NOT NULL")
            .execute(&mut *tx)
            .await?;
        snapshots::reset(tx, KlantcontactEvent::CATEGORY).await?;
        audit::reset_collection(tx, BRON, render::KLANTCONTACTEN).await
    }
}

/// The klantcontact's row as the state says (none once deleted).
async fn save(
    tx: &mut PgConnection,
    urls: &Urls,
    uuid: Uuid,
    t: Touched<Klantcontact>,
) -> Result<(), ProjectionError> {
    let Some(k) = t.state else {
        for (table, _) in PART_TABLES {
            sqlx::query(&format!("DELETE FROM {table} WHERE klantcontact_uuid = $1"))
                .bind(uuid)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM klantcontacten WHERE uuid = $1")
            .bind(uuid)
            .execute(&mut *tx)
            .await?;
        return Ok(());
    };
    let a = &k.attributes;
    let resource = render::klantcontact(&k, urls);
    let betrokkenen: Vec<Uuid> = k.betrokkenen.keys().copied().collect();
    let was_partijen: Vec<Uuid> = k
        .betrokkenen
        .values()
        .filter_map(|b| b.was_partij)
        .collect();
    let onderwerpobjecten: Vec<Uuid> = k.onderwerpobjecten.keys().copied().collect();
    sqlx::query(
        "INSERT INTO klantcontacten (uuid, tenant, nummer, referentienummer, kanaal, onderwerp,
            inhoud, reactie, indicatie_contact_gelukt, vertrouwelijk, plaatsgevonden_op,
            betrokkenen, was_partijen, onderwerpobjecten, version, state, resource, etag,
            plaatsgevonden)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18, $19)
         ON CONFLICT (uuid) DO UPDATE SET nummer = EXCLUDED.nummer,
            referentienummer = EXCLUDED.referentienummer, kanaal = EXCLUDED.kanaal,
            onderwerp = EXCLUDED.onderwerp, inhoud = EXCLUDED.inhoud,
            reactie = EXCLUDED.reactie,
            indicatie_contact_gelukt = EXCLUDED.indicatie_contact_gelukt,
            vertrouwelijk = EXCLUDED.vertrouwelijk,
            plaatsgevonden_op = EXCLUDED.plaatsgevonden_op,
            betrokkenen = EXCLUDED.betrokkenen, was_partijen = EXCLUDED.was_partijen,
            onderwerpobjecten = EXCLUDED.onderwerpobjecten, version = EXCLUDED.version,
            state = EXCLUDED.state, resource = EXCLUDED.resource, etag = EXCLUDED.etag,
            plaatsgevonden = EXCLUDED.plaatsgevonden",
    )
    .bind(uuid)
    .bind(&t.tenant)
    .bind(&a.nummer)
    .bind(&a.referentienummer)
    .bind(&a.kanaal)
    .bind(&a.onderwerp)
    .bind(&a.inhoud)
    .bind(&a.reactie)
    .bind(a.indicatie_contact_gelukt)
    .bind(a.vertrouwelijk)
    .bind(render::plaatsgevonden_op(&k))
    .bind(&betrokkenen)
    .bind(&was_partijen)
    .bind(&onderwerpobjecten)
    .bind(t.version)
    .bind(sqlx::types::Json(&k))
    .bind(&resource)
    .bind(etag(&resource))
    .bind(a.plaatsgevonden_op)
    .execute(&mut *tx)
    .await?;
    for (table, part) in PART_TABLES {
        let resources = part(&k, urls);
        save_parts_of(tx, (table, "klantcontact_uuid"), uuid, resources).await?;
    }
    Ok(())
}

type Render = fn(&Klantcontact, Uuid, &Urls) -> Option<Value>;
/// The resources of one kind of part of a klantcontact.
type Parts = fn(&Klantcontact, &Urls) -> Vec<Value>;

/// The part tables of a klantcontact, each with its parts' resources.
const PART_TABLES: [(&str, Parts); 5] = [
    ("betrokkenen", |k, urls| {
        rendered(k.betrokkenen.keys(), k, urls, render::betrokkene)
    }),
    ("onderwerpobjecten", |k, urls| {
        rendered(k.onderwerpobjecten.keys(), k, urls, render::onderwerpobject)
    }),
    ("bijlagen", |k, urls| {
        rendered(k.bijlagen.keys(), k, urls, render::bijlage)
    }),
    ("actorklantcontacten", |k, urls| {
        rendered(
            k.actorklantcontacten.keys(),
            k,
            urls,
            render::actorklantcontact,
        )
    }),
    // The digitale adressen its betrokkenen gave without a partij.
    ("digitale_adressen", |k, urls| {
        rendered(k.digitale_adressen.keys(), k, urls, render::digitaal_adres)
    }),
];

fn rendered<'a>(
    uuids: impl Iterator<Item = &'a Uuid>,
    k: &Klantcontact,
    urls: &Urls,
    render: Render,
) -> Vec<Value> {
    uuids.filter_map(|u| render(k, *u, urls)).collect()
}
