//! A catalogi read-model row: the filter columns derived from a state and its catalogus,
//! and the one upsert that writes a catalogus's rows.

use serde_json::Value;
use sqlx::postgres::PgConnection;
use uuid::Uuid;

use super::render;
use super::snapshot::{Snapshot, Stored};
use crate::render::{etag, Urls};

pub(super) struct Columns {
    uuid: Uuid,
    kind: &'static str,
    catalogus: Uuid,
    zaaktype: Option<String>,
    concept: bool,
    identificatie: Option<String>,
    omschrijving: Option<String>,
    begin: Option<chrono::NaiveDate>,
    einde: Option<chrono::NaiveDate>,
    version: i64,
    state: Value,
    resource: Value,
}

fn date(v: Option<&Value>) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(v?.as_str()?, "%Y-%m-%d").ok()
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

impl Columns {
    pub(super) fn of(
        stored: &Stored,
        version: i64,
        catalogus: Uuid,
        snap: &Snapshot,
        urls: &Urls,
    ) -> Self {
        let mut row = Self {
            uuid: stored.uuid(),
            kind: stored.kind(),
            catalogus,
            zaaktype: None,
            concept: false,
            identificatie: None,
            omschrijving: None,
            begin: None,
            einde: None,
            version,
            state: stored.to_json(),
            resource: Value::Null,
        };
        match stored {
            Stored::Catalogus(c) => row.resource = render::catalogus(c, snap, urls),
            Stored::Object(o) => {
                let a = &o.attributes;
                let zaaktype = snap.zaaktype_of(urls, o);
                // A type is its own zaaktype for the geldigheid and identificatie columns.
                let owner = if o.kind.is_publishable() {
                    Some(o)
                } else {
                    zaaktype
                };
                let own_begin = date(a.get("beginGeldigheid"));
                let geldig = if own_begin.is_some() { Some(o) } else { owner };
                row.zaaktype = (!o.kind.is_publishable()).then(|| o.text("zaaktype").to_owned());
                row.concept = owner.is_none_or(|z| z.concept) || ziot_iot_concept(o, snap, urls);
                row.identificatie = owner
                    .filter(|z| z.kind == event_schemas::catalogus::ObjectKind::Zaaktype)
                    .and_then(|z| text(z.attributes.get("identificatie")));
                row.omschrijving = text(a.get("omschrijving"));
                row.begin = geldig.and_then(|g| date(g.attributes.get("beginGeldigheid")));
                row.einde = geldig.and_then(|g| date(g.attributes.get("eindeGeldigheid")));
                row.resource = render::object(o, snap, urls);
            }
        }
        row
    }
}

/// A zaaktype-informatieobjecttype is a concept while either of its types is.
fn ziot_iot_concept(
    o: &domain::catalogus_object::CatalogusObject,
    snap: &Snapshot,
    urls: &Urls,
) -> bool {
    o.kind == event_schemas::catalogus::ObjectKind::ZaaktypeInformatieobjecttype
        && snap
            .by_url(
                urls,
                event_schemas::catalogus::ObjectKind::Informatieobjecttype,
                o.text("informatieobjecttype"),
            )
            .is_some_and(|iot| iot.concept)
}

/// Writes the rows whose columns or resource differ from the stored ones: a catalogus is
/// re-rendered whole on every batch that touches it, and rewriting every row each time left
/// a seeded catalogue of 1,001 objects at 315 MB of mostly dead rows, its zaaktype lookup
/// (every POST zaak) at 18 ms under load (BENCHMARKS.md). The state changes only with the
/// version.
pub(super) async fn upsert(tx: &mut PgConnection, rows: &[Columns]) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let col = |f: fn(&Columns) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
    let day = |f: fn(&Columns) -> Option<chrono::NaiveDate>| rows.iter().map(f).collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO catalogus_objecten (uuid, kind, catalogus, zaaktype, concept, identificatie,
            omschrijving, begin_geldigheid, einde_geldigheid, version, state, resource, etag)
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::bool[],
            $6::text[], $7::text[], $8::date[], $9::date[], $10::bigint[], $11::jsonb[],
            $12::jsonb[], $13::text[])
         ON CONFLICT (uuid) DO UPDATE SET kind = EXCLUDED.kind, catalogus = EXCLUDED.catalogus,
            zaaktype = EXCLUDED.zaaktype, concept = EXCLUDED.concept,
            identificatie = EXCLUDED.identificatie, omschrijving = EXCLUDED.omschrijving,
            begin_geldigheid = EXCLUDED.begin_geldigheid,
            einde_geldigheid = EXCLUDED.einde_geldigheid, version = EXCLUDED.version,
            state = EXCLUDED.state, resource = EXCLUDED.resource, etag = EXCLUDED.etag
         WHERE (catalogus_objecten.kind, catalogus_objecten.catalogus,
                catalogus_objecten.zaaktype, catalogus_objecten.concept,
                catalogus_objecten.identificatie, catalogus_objecten.omschrijving,
                catalogus_objecten.begin_geldigheid, catalogus_objecten.einde_geldigheid,
                catalogus_objecten.version, catalogus_objecten.etag)
            IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.catalogus, EXCLUDED.zaaktype,
                EXCLUDED.concept, EXCLUDED.identificatie, EXCLUDED.omschrijving,
                EXCLUDED.begin_geldigheid, EXCLUDED.einde_geldigheid, EXCLUDED.version,
                EXCLUDED.etag)",
    )
    .bind(rows.iter().map(|r| r.uuid).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.kind).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.catalogus).collect::<Vec<_>>())
    .bind(col(|r| r.zaaktype.clone()))
    .bind(rows.iter().map(|r| r.concept).collect::<Vec<_>>())
    .bind(col(|r| r.identificatie.clone()))
    .bind(col(|r| r.omschrijving.clone()))
    .bind(day(|r| r.begin))
    .bind(day(|r| r.einde))
    .bind(rows.iter().map(|r| r.version).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.state.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.resource.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| etag(&r.resource)).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}
