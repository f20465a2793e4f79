//! The zaken read model: real columns for the ZGW filters, the aggregate state to apply the
//! next event to, and the rendered resource so a detail GET is one primary-key lookup.

use std::collections::HashMap;

use async_trait::async_trait;
use domain::zaak::{Zaak, ZaakAggregate};
use event_schemas::zaak::ZaakEvent;
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use sqlx::postgres::PgConnection;
use uuid::Uuid;

use crate::fold::{fold_with, load, Touched};
use crate::render::{self, Urls};
use crate::{audit, deelzaken, snapshots, zaak_parts};
use crate::{Projection, ProjectionError};

pub const NAME: &str = "zaken";

pub struct ZakenProjection {
    urls: Urls,
}

impl ZakenProjection {
    pub fn new(urls: Urls) -> Self {
        Self { urls }
    }

    /// The zaak's hoofdzaak, when it is one of ours.
    fn hoofdzaak(&self, zaak: Option<&Zaak>) -> Option<Uuid> {
        let url = zaak?.attributes.hoofdzaak.as_deref()?;
        self.urls.zaak_uuid(url)
    }
}

#[async_trait]
impl Projection for ZakenProjection {
    fn name(&self) -> &'static str {
        NAME
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        event.category() == ZaakEvent::CATEGORY
    }

    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let ours: Vec<&RecordedEvent> = batch
            .iter()
            .filter(|e| e.category() == ZaakEvent::CATEGORY)
            .collect();
        if ours.is_empty() {
            return Ok(());
        }
        let mut touched = load::<Zaak>(tx, "zaken", &ours).await?;
        // Zaken whose deelzaken may change: the hoofdzaak of every touched zaak, before and
        // after the batch (and touched hoofdzaken, found by `deelzaken::refresh`).
        let mut hoofdzaken: Vec<Uuid> = touched
            .values()
            .filter_map(|t| self.hoofdzaak(t.state.as_ref()))
            .collect();
        let mut audit = Vec::new();
        let mut snapshots = Vec::new();
        let mut removed = Vec::new();
        // laatstGemuteerd: the time of the last event that changed the zaak or its parts.
        fold_with::<ZaakAggregate, _>(&mut touched, &ours, stamp, |e, event, before, after| {
            audit.extend(audit::zaak_entry(e, event, before, after, &self.urls));
            snapshots.extend(snapshots::capture(e, after));
            removed.extend(zaak_parts::removed(e, event, before));
        })?;
        hoofdzaken.extend(
            touched
                .values()
                .filter_map(|t| self.hoofdzaak(t.state.as_ref())),
        );
        let zaken: Vec<Uuid> = touched.keys().copied().collect();
        // Everything is rendered before the first write: from that write on, the
        // transaction has an id and holds back every reader of the log (ADR 0001).
        let rendered = Rendered::of(&self.urls, touched);
        audit::save(tx, audit).await?;
        snapshots::save(tx, snapshots).await?;
        zaak_parts::save_removed(tx, removed).await?;
        save(tx, rendered).await?;
        deelzaken::refresh(tx, &zaken, &hoofdzaken).await
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        sqlx::query("TRUNCATE zaken, zaak_parts, removed_zaak_parts")
            .execute(&mut *tx)
            .await?;
        snapshots::reset(tx, ZaakEvent::CATEGORY).await?;
        audit::reset(tx, "zrc").await?;
        Ok(())
    }
}

/// What the envelope adds to a zaak the event changed: `laatstGemuteerd`.
pub fn stamp(e: &RecordedEvent, event: &ZaakEvent, zaak: &mut Zaak) {
    if domain::zaak::mutates(event) {
        zaak.laatst_gemuteerd = Some(e.metadata.occurred_at);
    }
}

/// The uuid of a stream `{category}-{uuid}`.
pub fn stream_uuid(stream: &str) -> Option<Uuid> {
    stream.split_once('-').and_then(|(_, id)| id.parse().ok())
}

/// A batch's zaken rows and part rows, rendered and serialised.
struct Rendered {
    /// Every touched zaak (their part rows are replaced) and the deleted ones.
    touched: Vec<Uuid>,
    deleted: Vec<Uuid>,
    parts: zaak_parts::Rows,
    rows: Vec<(Zaak, Touched<Zaak>)>,
    /// State and resource as the JSON text they are stored as (`json` columns).
    states: Vec<String>,
    resources: Vec<String>,
    etags: Vec<String>,
    hoofdzaken: Vec<Option<Uuid>>,
    geometrie: Vec<Option<String>>,
}

impl Rendered {
    fn of(urls: &Urls, touched: HashMap<Uuid, Touched<Zaak>>) -> Self {
        let all: Vec<Uuid> = touched.keys().copied().collect();
        let (rows, deleted): (Vec<_>, Vec<_>) =
            touched.into_iter().partition(|(_, t)| t.state.is_some());
        let deleted: Vec<Uuid> = deleted.into_iter().map(|(uuid, _)| uuid).collect();
        let rows: Vec<(Zaak, Touched<Zaak>)> = rows
            .into_iter()
            .filter_map(|(_, mut t)| t.state.take().map(|z| (z, t)))
            .collect();
        let states: Vec<&Zaak> = rows.iter().map(|(z, _)| z).collect();
        let parts = zaak_parts::render(urls, &states);
        let resources: Vec<String> = states
            .iter()
            .map(|z| render::zaak(z, urls).to_string())
            .collect();
        Self {
            touched: all,
            deleted,
            parts,
            etags: resources
                .iter()
                .map(|r| render::etag_of(r.as_bytes()))
                .collect(),
            resources,
            states: states
                .iter()
                .map(|z| serde_json::to_string(z).unwrap_or_default())
                .collect(),
            hoofdzaken: states
                .iter()
                .map(|z| {
                    z.attributes
                        .hoofdzaak
                        .as_deref()
                        .and_then(|u| urls.zaak_uuid(u))
                })
                .collect(),
            geometrie: states
                .iter()
                .map(|z| z.attributes.zaakgeometrie.as_ref().and_then(polygon))
                .collect(),
            rows,
        }
    }
}

/// One upsert for the whole batch.
async fn save(tx: &mut PgConnection, rendered: Rendered) -> Result<(), ProjectionError> {
    let Rendered {
        touched,
        deleted,
        parts,
        rows,
        states,
        resources,
        etags,
        hoofdzaken,
        geometrie,
    } = rendered;
    zaak_parts::save(tx, &touched, parts).await?;
    if !deleted.is_empty() {
        sqlx::query("DELETE FROM zaken WHERE uuid = ANY($1)")
            .bind(&deleted)
            .execute(&mut *tx)
            .await?;
    }
    if rows.is_empty() {
        return Ok(());
    }
    let attr = |f: fn(&Zaak) -> String| rows.iter().map(|(z, _)| f(z)).collect::<Vec<_>>();
    let date = |f: fn(&Zaak) -> Option<chrono::NaiveDate>| {
        rows.iter().map(|(z, _)| f(z)).collect::<Vec<_>>()
    };
    sqlx::query(
        "INSERT INTO zaken (uuid, tenant, identificatie, bronorganisatie, zaaktype,
            vertrouwelijkheidaanduiding, vertrouwelijkheid_rank, registratiedatum, startdatum,
            einddatum, einddatum_gepland, uiterlijke_einddatum_afdoening, archiefnominatie,
            archiefstatus, archiefactiedatum, version, state, resource, etag, hoofdzaak,
            geometrie)
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
            $6::text[], $7::smallint[], $8::date[], $9::date[], $10::date[], $11::date[],
            $12::date[], $13::text[], $14::text[], $15::date[], $16::bigint[], $17::text[]::json[],
            $18::text[]::json[], $19::text[], $20::uuid[], $21::text[]::polygon[])
         ON CONFLICT (uuid) DO UPDATE SET identificatie = EXCLUDED.identificatie,
            bronorganisatie = EXCLUDED.bronorganisatie, zaaktype = EXCLUDED.zaaktype,
            vertrouwelijkheidaanduiding = EXCLUDED.vertrouwelijkheidaanduiding,
            vertrouwelijkheid_rank = EXCLUDED.vertrouwelijkheid_rank,
            registratiedatum = EXCLUDED.registratiedatum, startdatum = EXCLUDED.startdatum,
            einddatum = EXCLUDED.einddatum, einddatum_gepland = EXCLUDED.einddatum_gepland,
            uiterlijke_einddatum_afdoening = EXCLUDED.uiterlijke_einddatum_afdoening,
            archiefnominatie = EXCLUDED.archiefnominatie, archiefstatus = EXCLUDED.archiefstatus,
            archiefactiedatum = EXCLUDED.archiefactiedatum, version = EXCLUDED.version,
            state = EXCLUDED.state, resource = EXCLUDED.resource, etag = EXCLUDED.etag,
            hoofdzaak = EXCLUDED.hoofdzaak, geometrie = EXCLUDED.geometrie",
    )
    .bind(rows.iter().map(|(z, _)| z.uuid).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, t)| t.tenant.clone())
            .collect::<Vec<_>>(),
    )
    .bind(attr(|z| z.attributes.identificatie.clone()))
    .bind(attr(|z| z.attributes.bronorganisatie.clone()))
    .bind(attr(|z| z.attributes.zaaktype.clone()))
    .bind(attr(|z| {
        z.attributes.vertrouwelijkheidaanduiding.as_str().to_owned()
    }))
    .bind(
        rows.iter()
            .map(|(z, _)| z.attributes.vertrouwelijkheidaanduiding as i16)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(z, _)| z.attributes.registratiedatum)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(z, _)| z.attributes.startdatum)
            .collect::<Vec<_>>(),
    )
    .bind(date(|z| z.einddatum))
    .bind(date(|z| z.attributes.einddatum_gepland))
    .bind(date(|z| z.attributes.uiterlijke_einddatum_afdoening))
    .bind(
        rows.iter()
            .map(|(z, _)| z.attributes.archiefnominatie.map(|a| a.as_str().to_owned()))
            .collect::<Vec<_>>(),
    )
    .bind(attr(|z| z.attributes.archiefstatus.as_str().to_owned()))
    .bind(date(|z| z.attributes.archiefactiedatum))
    .bind(rows.iter().map(|(_, t)| t.version).collect::<Vec<_>>())
    .bind(states)
    .bind(resources)
    .bind(etags)
    .bind(hoofdzaken)
    .bind(geometrie)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A GeoJSON geometry as the PostgreSQL polygon of all its positions, `((x,y),...)`.
pub fn polygon(geometry: &serde_json::Value) -> Option<String> {
    fn positions(v: &serde_json::Value, out: &mut Vec<(f64, f64)>) {
        match v.as_array() {
            Some(a) if a.len() >= 2 && a.iter().all(serde_json::Value::is_number) => {
                out.push((
                    a[0].as_f64().unwrap_or_default(),
                    a[1].as_f64().unwrap_or_default(),
                ));
            }
            Some(a) => a.iter().for_each(|x| positions(x, out)),
            None => {}
        }
    }
    let mut out = Vec::new();
    match geometry
        .get("geometries")
        .and_then(serde_json::Value::as_array)
    {
        Some(parts) => parts
            .iter()
            .filter_map(|g| g.get("coordinates"))
            .for_each(|c| positions(c, &mut out)),
        None => positions(geometry.get("coordinates")?, &mut out),
    }
    if out.is_empty() {
        return None;
    }
    let points: Vec<String> = out.iter().map(|(x, y)| format!("({x},{y})")).collect();
    Some(format!("({})", points.join(",")))
}
