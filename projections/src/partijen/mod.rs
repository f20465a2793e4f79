//! The partijen read model (Klantinteracties API 0.9): one row per partij (real columns for
//! the API's filters, the aggregate state, the rendered resource) and one per
//! partij-identificator, with the audit trail entries (bron `kic`) and snapshots, in one
//! transaction.

pub mod notify;
pub mod render;

use async_trait::async_trait;
use domain::klantinteracties::partij::{Partij, PartijAggregate};
use event_schemas::klantinteracties::partij::PartijEvent;
use event_schemas::klantinteracties::Adres;
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use sqlx::postgres::PgConnection;
use uuid::Uuid;

use crate::fold::{fold_audited, Touched};
use crate::render::{etag, Urls};
use crate::{audit, snapshots};
use crate::{Projection, ProjectionError};

pub const NAME: &str = "partijen";
/// The audit trail's `bron` of the Klantinteracties API.
pub const BRON: &str = "kic";

pub struct PartijenProjection {
    urls: Urls,
}

impl PartijenProjection {
    pub fn new(urls: Urls) -> Self {
        Self { urls }
    }
}

#[async_trait]
impl Projection for PartijenProjection {
    fn name(&self) -> &'static str {
        NAME
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        event.category() == PartijEvent::CATEGORY
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
            audit::partij_entry(e, event, before, after, &self.urls)
        };
        let touched = fold_audited::<PartijAggregate, _>(tx, "partijen", &ours, &entry).await?;
        for (uuid, t) in touched {
            save(tx, &self.urls, uuid, t).await?;
        }
        Ok(())
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        sqlx::query(
            "TRUNCATE partijen, partij_identificatoren, rekeningnummers, vertegenwoordigingen",
        )
        .execute(&mut *tx)
        .await?;
        // The klantcontacten keep the digitale adressen their betrokkenen gave alone.
        sqlx::query("DELETE FROM digitale_adressen WHERE partij_uuid IS NOT NULL")
            .execute(&mut *tx)
            .await?;
        snapshots::reset(tx, PartijEvent::CATEGORY).await?;
        // Bron `kic` is shared with the klantcontacten: only the partijen's entries go.
        audit::reset_collection(tx, BRON, render::PARTIJEN).await
    }
}

/// The filter columns of an address: nummeraanduidingId, adresregel1-3, land.
fn adres_columns(a: &Option<Adres>) -> [String; 5] {
    let a = a.clone().unwrap_or_default();
    [
        a.nummeraanduiding_id,
        a.adresregel1,
        a.adresregel2,
        a.adresregel3,
        a.land,
    ]
}

/// The partij's row and its identificatoren's as the state says (none once deleted).
async fn save(
    tx: &mut PgConnection,
    urls: &Urls,
    uuid: Uuid,
    t: Touched<Partij>,
) -> Result<(), ProjectionError> {
    let Some(p) = t.state else {
        for table in [
            "partij_identificatoren",
            "digitale_adressen",
            "rekeningnummers",
            "vertegenwoordigingen",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE partij_uuid = $1"))
                .bind(uuid)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM partijen WHERE uuid = $1")
            .bind(uuid)
            .execute(&mut *tx)
            .await?;
        return Ok(());
    };
    let a = &p.attributes;
    let resource = render::partij(&p, urls);
    let soort = resource["soortPartij"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let [b_id, b_1, b_2, b_3, b_land] = adres_columns(&a.bezoekadres);
    let [c_id, c_1, c_2, c_3, c_land] = adres_columns(&a.correspondentieadres);
    let vertegenwoordigden: Vec<Uuid> = p.vertegenwoordigingen.values().copied().collect();
    sqlx::query(
        "INSERT INTO partijen (uuid, tenant, soort_partij, nummer, indicatie_actief,
            indicatie_geheimhouding, bezoekadres_nummeraanduiding_id, bezoekadres_adresregel1,
            bezoekadres_adresregel2, bezoekadres_adresregel3, bezoekadres_land,
            correspondentieadres_nummeraanduiding_id, correspondentieadres_adresregel1,
            correspondentieadres_adresregel2, correspondentieadres_adresregel3,
            correspondentieadres_land, vertegenwoordigden, version, state, resource, etag)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18, $19, $20, $21)
         ON CONFLICT (uuid) DO UPDATE SET soort_partij = EXCLUDED.soort_partij,
            nummer = EXCLUDED.nummer, indicatie_actief = EXCLUDED.indicatie_actief,
            indicatie_geheimhouding = EXCLUDED.indicatie_geheimhouding,
            bezoekadres_nummeraanduiding_id = EXCLUDED.bezoekadres_nummeraanduiding_id,
            bezoekadres_adresregel1 = EXCLUDED.bezoekadres_adresregel1,
            bezoekadres_adresregel2 = EXCLUDED.bezoekadres_adresregel2,
            bezoekadres_adresregel3 = EXCLUDED.bezoekadres_adresregel3,
            bezoekadres_land = EXCLUDED.bezoekadres_land,
            correspondentieadres_nummeraanduiding_id =
                EXCLUDED.correspondentieadres_nummeraanduiding_id,
            correspondentieadres_adresregel1 = EXCLUDED.correspondentieadres_adresregel1,
            correspondentieadres_adresregel2 = EXCLUDED.correspondentieadres_adresregel2,
            correspondentieadres_adresregel3 = EXCLUDED.correspondentieadres_adresregel3,
            correspondentieadres_land = EXCLUDED.correspondentieadres_land,
            vertegenwoordigden = EXCLUDED.vertegenwoordigden, version = EXCLUDED.version,
            state = EXCLUDED.state, resource = EXCLUDED.resource, etag = EXCLUDED.etag",
    )
    .bind(uuid)
    .bind(&t.tenant)
    .bind(soort)
    .bind(&a.nummer)
    .bind(a.indicatie_actief)
    .bind(a.indicatie_geheimhouding)
    .bind(b_id)
    .bind(b_1)
    .bind(b_2)
    .bind(b_3)
    .bind(b_land)
    .bind(c_id)
    .bind(c_1)
    .bind(c_2)
    .bind(c_3)
    .bind(c_land)
    .bind(&vertegenwoordigden)
    .bind(t.version)
    .bind(sqlx::types::Json(&p))
    .bind(&resource)
    .bind(etag(&resource))
    .execute(&mut *tx)
    .await?;
    let keep: Vec<Uuid> = p.identificatoren.keys().copied().collect();
    sqlx::query("DELETE FROM partij_identificatoren WHERE partij_uuid = $1 AND NOT uuid = ANY($2)")
        .bind(uuid)
        .bind(&keep)
        .execute(&mut *tx)
        .await?;
    for (id, i) in &p.identificatoren {
        let Some(resource) = render::identificator(&p, *id, urls) else {
            continue;
        };
        let g = &i.partij_identificator;
        sqlx::query(
            "INSERT INTO partij_identificatoren (uuid, partij_uuid, andere_partij_identificator,
                code_objecttype, code_soort_object_id, object_id, code_register,
                sub_identificator_van, resource, etag)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (uuid) DO UPDATE SET partij_uuid = EXCLUDED.partij_uuid,
                andere_partij_identificator = EXCLUDED.andere_partij_identificator,
                code_objecttype = EXCLUDED.code_objecttype,
                code_soort_object_id = EXCLUDED.code_soort_object_id,
                object_id = EXCLUDED.object_id, code_register = EXCLUDED.code_register,
                sub_identificator_van = EXCLUDED.sub_identificator_van,
                resource = EXCLUDED.resource, etag = EXCLUDED.etag",
        )
        .bind(id)
        .bind(uuid)
        .bind(&i.andere_partij_identificator)
        .bind(g.code_objecttype.as_str())
        .bind(g.code_soort_object_id.as_str())
        .bind(&g.object_id)
        .bind(g.code_register.as_str())
        .bind(i.sub_identificator_van)
        .bind(&resource)
        .bind(etag(&resource))
        .execute(&mut *tx)
        .await?;
    }
    let adressen = p
        .digitale_adressen
        .keys()
        .filter_map(|u| render::digitaal_adres(&p, *u, urls));
    save_parts(tx, "digitale_adressen", uuid, adressen.collect()).await?;
    let nummers = p
        .rekeningnummers
        .keys()
        .filter_map(|u| render::rekeningnummer(&p, *u, urls));
    save_parts(tx, "rekeningnummers", uuid, nummers.collect()).await?;
    let vertegenwoordigingen = p
        .vertegenwoordigingen
        .keys()
        .filter_map(|u| render::vertegenwoordiging(&p, *u, urls));
    save_parts(
        tx,
        "vertegenwoordigingen",
        uuid,
        vertegenwoordigingen.collect(),
    )
    .await?;
    Ok(())
}

/// The rows of `table` (uuid, owner, resource, etag; its filter columns are generated from
/// the resource) made exactly the partij's `resources`.
async fn save_parts(
    tx: &mut PgConnection,
    table: &str,
    partij: Uuid,
    resources: Vec<serde_json::Value>,
) -> Result<(), ProjectionError> {
    save_parts_of(tx, (table, "partij_uuid"), partij, resources).await
}

/// The rows of `table` whose `owner_column` is `owner` (uuid, owner, resource, etag)
/// made exactly `resources`.
pub(crate) async fn save_parts_of(
    tx: &mut PgConnection,
    (table, owner_column): (&str, &str),
    owner: Uuid,
    resources: Vec<serde_json::Value>,
) -> Result<(), ProjectionError> {
    let uuids: Vec<Uuid> = resources
        .iter()
        .filter_map(|r| r["uuid"].as_str()?.parse().ok())
        .collect();
    sqlx::query(&format!(
        "DELETE FROM {table} WHERE {owner_column} = $1 AND NOT uuid = ANY($2)"
    ))
    .bind(owner)
    .bind(&uuids)
    .execute(&mut *tx)
    .await?;
    for (uuid, resource) in uuids.iter().zip(&resources) {
        sqlx::query(&format!(
            "INSERT INTO {table} (uuid, {owner_column}, resource, etag) VALUES ($1, $2, $3, $4)
             ON CONFLICT (uuid) DO UPDATE SET {owner_column} = EXCLUDED.{owner_column},
                resource = EXCLUDED.resource, etag = EXCLUDED.etag"
        ))
        .bind(uuid)
        .bind(owner)
        .bind(resource)
        .bind(etag(resource))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
