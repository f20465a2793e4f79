//! The catalogi read model: one row per catalogus and per catalogus object, with real
//! columns for the Catalogi API's filters and the rendered resource.
//!
//! A resource shows what derives from the rest of its catalogus (a zaaktype its
//! statustypen, a statustype whether it is the eindstatus, ...), so every batch re-renders
//! each catalogus it touches as a whole and writes the rows that came out different.
//! Catalogi are small and change rarely; this keeps every derived field right without
//! tracking which object depends on which.

mod columns;
pub mod past;
pub mod render;
pub mod snapshot;

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use domain::catalogus::CatalogusAggregate;
use domain::catalogus_object::CatalogusObjectAggregate;
use domain::Aggregate;
use event_schemas::catalogus::{CatalogusEvent, CatalogusObjectEvent, ObjectKind};
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use sqlx::postgres::PgConnection;
use sqlx::Row;
use uuid::Uuid;

use self::snapshot::{load_rows, Snapshot, Stored};
use crate::render::Urls;
use crate::zaken::stream_uuid;
use crate::{Projection, ProjectionError};

pub const NAME: &str = "catalogi";

pub struct CatalogiProjection {
    urls: Urls,
}

impl CatalogiProjection {
    pub fn new(urls: Urls) -> Self {
        Self { urls }
    }
}

/// A row touched by the batch: its state after the batch (None: gone), the revision of the
/// last event applied, and the catalogus it belonged to before.
struct Touched {
    state: Option<Stored>,
    version: i64,
    catalogus_before: Option<Uuid>,
    /// Where its first event stands in the batch: new rows are inserted in log order, so
    /// a rebuild gives every row the same place (and every derived list the same order).
    first: usize,
}

fn is_ours(e: &RecordedEvent) -> bool {
    e.category() == CatalogusEvent::CATEGORY || e.category() == CatalogusObjectEvent::CATEGORY
}

/// The catalogus a row belongs to.
pub fn catalogus_of(stored: &Stored, urls: &Urls) -> Option<Uuid> {
    match stored {
        Stored::Catalogus(c) => Some(c.uuid),
        Stored::Object(o) => urls.catalogi_uuid("catalogussen", o.text("catalogus")),
    }
}

/// The resource of `stored` rendered against its catalogus as the read model has it, with
/// `stored` itself written over it: the write path's answer, equal to what a GET returns
/// once the projection has caught up.
pub async fn render_current(
    pool: &sqlx::PgPool,
    urls: &Urls,
    stored: Stored,
) -> Result<serde_json::Value, sqlx::Error> {
    let Some(catalogus) = catalogus_of(&stored, urls) else {
        return Err(sqlx::Error::Protocol(
            "a catalogus object without catalogus".into(),
        ));
    };
    let snapshot = Snapshot::load(pool, catalogus).await?.with(stored.clone());
    Ok(match &stored {
        Stored::Catalogus(c) => render::catalogus(c, &snapshot, urls),
        Stored::Object(o) => render::object(o, &snapshot, urls),
    })
}

#[async_trait]
impl Projection for CatalogiProjection {
    fn name(&self) -> &'static str {
        NAME
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        is_ours(event)
    }

    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let ours: Vec<&RecordedEvent> = batch.iter().filter(|e| is_ours(e)).collect();
        if ours.is_empty() {
            return Ok(());
        }
        let mut touched = load_touched(tx, &ours).await?;
        for (i, e) in ours.into_iter().enumerate() {
            let Some(uuid) = stream_uuid(&e.stream) else {
                continue;
            };
            let entry = touched.entry(uuid).or_insert(Touched {
                state: None,
                version: -1,
                catalogus_before: None,
                first: i,
            });
            if e.revision as i64 <= entry.version {
                continue; // applied before: handlers are idempotent
            }
            entry.state = evolve(entry.state.take(), e)?;
            entry.version = e.revision as i64;
        }
        let mut catalogi = BTreeSet::new();
        for t in touched.values() {
            catalogi.extend(t.catalogus_before);
            catalogi.extend(t.state.as_ref().and_then(|s| catalogus_of(s, &self.urls)));
        }
        for catalogus in catalogi {
            self.rewrite(tx, catalogus, &touched).await?;
        }
        Ok(())
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        sqlx::query("TRUNCATE catalogus_objecten")
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}

fn evolve(state: Option<Stored>, e: &RecordedEvent) -> Result<Option<Stored>, ProjectionError> {
    let payload = e.payload.clone();
    Ok(if e.category() == CatalogusEvent::CATEGORY {
        let event = CatalogusEvent::decode(&e.event_type, e.schema_version, payload)?;
        let before = match state {
            Some(Stored::Catalogus(c)) => Some(c),
            _ => None,
        };
        CatalogusAggregate::evolve(before, &event).map(Stored::Catalogus)
    } else {
        let event = CatalogusObjectEvent::decode(&e.event_type, e.schema_version, payload)?;
        let before = match state {
            Some(Stored::Object(o)) => Some(o),
            _ => None,
        };
        CatalogusObjectAggregate::evolve(before, &event).map(Stored::Object)
    })
}

async fn load_touched(
    tx: &mut PgConnection,
    events: &[&RecordedEvent],
) -> Result<HashMap<Uuid, Touched>, ProjectionError> {
    let ids: Vec<Uuid> = events
        .iter()
        .filter_map(|e| stream_uuid(&e.stream))
        .collect();
    let rows = sqlx::query(
        "SELECT uuid, kind, catalogus, version, state FROM catalogus_objecten WHERE uuid = ANY($1)",
    )
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;
    let mut out = HashMap::with_capacity(ids.len());
    for r in rows {
        let state = Stored::from_json(r.try_get("kind")?, r.try_get("state")?)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        out.insert(
            r.try_get("uuid")?,
            Touched {
                state: Some(state),
                version: r.try_get("version")?,
                catalogus_before: Some(r.try_get("catalogus")?),
                first: 0,
            },
        );
    }
    Ok(out)
}

/// A zaaktype's child whose zaaktype is gone, or a zaaktype-informatieobjecttype whose
/// informatieobjecttype is.
pub(crate) fn is_orphan(stored: &Stored, snapshot: &Snapshot, urls: &Urls) -> bool {
    let Stored::Object(o) = stored else {
        return false;
    };
    let owner_gone =
        |kind: ObjectKind, field: &str| snapshot.by_url(urls, kind, o.text(field)).is_none();
    match o.kind {
        kind if kind.is_publishable() => false,
        ObjectKind::ZaaktypeInformatieobjecttype => {
            owner_gone(ObjectKind::Zaaktype, "zaaktype")
                || owner_gone(ObjectKind::Informatieobjecttype, "informatieobjecttype")
        }
        _ => owner_gone(ObjectKind::Zaaktype, "zaaktype"),
    }
}

/// The rows of `catalogus` after the batch (the stored ones in their order, a touched one in
/// its place, new ones last, what a deleted zaaktype owned dropped) and the uuids to delete.
fn merge_rows(
    stored: Vec<(Stored, i64)>,
    touched: &HashMap<Uuid, Touched>,
    catalogus: Uuid,
    urls: &Urls,
) -> (Vec<(Stored, i64)>, Vec<Uuid>) {
    let here = |t: &Touched| {
        t.state
            .as_ref()
            .filter(|s| catalogus_of(s, urls) == Some(catalogus))
            .map(|s| (s.clone(), t.version))
    };
    let mut rows: Vec<(Stored, i64)> = Vec::with_capacity(stored.len());
    for (s, version) in stored {
        match touched.get(&s.uuid()) {
            None => rows.push((s, version)),
            Some(t) => rows.extend(here(t)),
        }
    }
    let known: Vec<Uuid> = rows.iter().map(|(s, _)| s.uuid()).collect();
    let mut new = Vec::new();
    let mut gone = Vec::new();
    for (uuid, t) in touched {
        match here(t) {
            Some(row) if !known.contains(uuid) => new.push((t.first, row)),
            Some(_) => {}
            None if t.catalogus_before == Some(catalogus) => gone.push(*uuid),
            None => {}
        }
    }
    new.sort_by_key(|(first, _)| *first);
    rows.extend(new.into_iter().map(|(_, row)| row));
    // What a zaaktype owns goes with it (and a zaaktype-informatieobjecttype with its
    // informatieobjecttype), as the standard's cascade: hidden from the read model.
    let all = Snapshot::new(rows.iter().map(|(s, _)| s.clone()));
    let (rows, orphans): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|(s, _)| !is_orphan(s, &all, urls));
    gone.extend(orphans.iter().map(|(s, _)| s.uuid()));
    (rows, gone)
}

impl CatalogiProjection {
    /// Writes catalogus `catalogus` as it is after the batch, every row re-rendered.
    async fn rewrite(
        &self,
        tx: &mut PgConnection,
        catalogus: Uuid,
        touched: &HashMap<Uuid, Touched>,
    ) -> Result<(), ProjectionError> {
        let stored = load_rows(&mut *tx, catalogus).await?;
        let (rows, gone) = merge_rows(stored, touched, catalogus, &self.urls);
        if !gone.is_empty() {
            sqlx::query("DELETE FROM catalogus_objecten WHERE uuid = ANY($1)")
                .bind(&gone)
                .execute(&mut *tx)
                .await?;
        }
        let snapshot = Snapshot::new(rows.iter().map(|(s, _)| s.clone()));
        let rows: Vec<columns::Columns> = rows
            .iter()
            .map(|(s, version)| columns::Columns::of(s, *version, catalogus, &snapshot, &self.urls))
            .collect();
        columns::upsert(tx, &rows).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
