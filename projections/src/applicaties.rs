//! The applicaties read model: the rendered resource for the Autorisaties API and, per
//! client id, the applicatie whose autorisaties every request is checked against.

use std::collections::HashMap;

use async_trait::async_trait;
use domain::applicatie::{Applicatie, ApplicatieAggregate};
use domain::Aggregate;
use event_schemas::applicatie::ApplicatieEvent;
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use sqlx::postgres::PgConnection;
use sqlx::Row;
use uuid::Uuid;

use crate::render::{self, Urls};
use crate::zaken::stream_uuid;
use crate::{Projection, ProjectionError};

pub const NAME: &str = "applicaties";

pub struct ApplicatiesProjection {
    urls: Urls,
}

impl ApplicatiesProjection {
    pub fn new(urls: Urls) -> Self {
        Self { urls }
    }
}

#[async_trait]
impl Projection for ApplicatiesProjection {
    fn name(&self) -> &'static str {
        NAME
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        event.category() == ApplicatieEvent::CATEGORY
    }

    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let ours: Vec<&RecordedEvent> = batch
            .iter()
            .filter(|e| e.category() == ApplicatieEvent::CATEGORY)
            .collect();
        if ours.is_empty() {
            return Ok(());
        }
        // Applicaties change rarely: load, evolve and save each touched one.
        let mut touched: HashMap<Uuid, (Option<Applicatie>, i64)> = HashMap::new();
        for e in ours {
            let Some(uuid) = stream_uuid(&e.stream) else {
                continue;
            };
            let entry = match touched.entry(uuid) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(load(tx, uuid).await?),
            };
            if e.revision as i64 <= entry.1 {
                continue;
            }
            let event =
                ApplicatieEvent::decode(&e.event_type, e.schema_version, e.payload.clone())?;
            entry.0 = ApplicatieAggregate::evolve(entry.0.take(), &event);
            entry.1 = e.revision as i64;
        }
        for (uuid, (state, version)) in touched {
            save(tx, &self.urls, uuid, state, version).await?;
        }
        Ok(())
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        sqlx::query("TRUNCATE applicaties, applicatie_clients")
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}

async fn load(
    tx: &mut PgConnection,
    uuid: Uuid,
) -> Result<(Option<Applicatie>, i64), ProjectionError> {
    let row = sqlx::query("SELECT state, version FROM applicaties WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(match row {
        Some(r) => {
            let state: sqlx::types::Json<Applicatie> = r.try_get("state")?;
            (Some(state.0), r.try_get("version")?)
        }
        // A deleted applicatie has no row: its stream's revisions start over being new,
        // which is harmless because a deleted applicatie's stream gets no further events.
        None => (None, -1),
    })
}

async fn save(
    tx: &mut PgConnection,
    urls: &Urls,
    uuid: Uuid,
    state: Option<Applicatie>,
    version: i64,
) -> Result<(), ProjectionError> {
    sqlx::query("DELETE FROM applicatie_clients WHERE applicatie = $1")
        .bind(uuid)
        .execute(&mut *tx)
        .await?;
    let Some(a) = state else {
        sqlx::query("DELETE FROM applicaties WHERE uuid = $1")
            .bind(uuid)
            .execute(&mut *tx)
            .await?;
        return Ok(());
    };
    let resource = render::applicatie(&a, urls);
    sqlx::query(
        "INSERT INTO applicaties (uuid, client_ids, heeft_alle_autorisaties, version, state,
            resource, etag)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (uuid) DO UPDATE SET client_ids = EXCLUDED.client_ids,
            heeft_alle_autorisaties = EXCLUDED.heeft_alle_autorisaties,
            version = EXCLUDED.version, state = EXCLUDED.state,
            resource = EXCLUDED.resource, etag = EXCLUDED.etag",
    )
    .bind(uuid)
    .bind(&a.attributes.client_ids)
    .bind(a.attributes.heeft_alle_autorisaties)
    .bind(version)
    .bind(sqlx::types::Json(&a))
    .bind(&resource)
    .bind(render::etag(&resource))
    .execute(&mut *tx)
    .await?;
    // A client id claimed elsewhere moves here: the claim streams make that the newest truth.
    sqlx::query(
        "INSERT INTO applicatie_clients (client_id, applicatie)
         SELECT DISTINCT unnest($1::text[]), $2
         ON CONFLICT (client_id) DO UPDATE SET applicatie = EXCLUDED.applicatie",
    )
    .bind(&a.attributes.client_ids)
    .bind(uuid)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
