//! The Documenten API's read model: per document its folded state (`documenten`), one row
//! per version (`document_versies`, real columns for the filters and the grant check, the
//! rendered resource) and one row per gebruiksrecht, objectinformatieobject, verzending and
//! pending bestandsdeel (`document_parts`). Every touched document's rows are rewritten in
//! the batch's transaction, with its audit trail entries (bron `drc`).

pub(crate) mod notify;
pub mod render;

use async_trait::async_trait;
use domain::informatieobject::{Document, DocumentAggregate};
use event_schemas::document::{DocumentEvent, DocumentPartKind};
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use sqlx::postgres::PgConnection;
use uuid::Uuid;

use crate::fold::{fold, load, Touched};
use crate::render::Urls;
use crate::{audit, snapshots, Projection, ProjectionError};

pub const NAME: &str = "documenten";

/// The kind column of a pending bestandsdeel's row.
pub const BESTANDSDEEL: &str = "bestandsdeel";

pub struct DocumentenProjection {
    urls: Urls,
}

impl DocumentenProjection {
    pub fn new(urls: Urls) -> Self {
        Self { urls }
    }
}

#[async_trait]
impl Projection for DocumentenProjection {
    fn name(&self) -> &'static str {
        NAME
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        event.category() == DocumentEvent::CATEGORY
    }

    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let ours: Vec<&RecordedEvent> = batch
            .iter()
            .filter(|e| e.category() == DocumentEvent::CATEGORY)
            .collect();
        if ours.is_empty() {
            return Ok(());
        }
        let mut touched = load::<Document>(tx, "documenten", &ours).await?;
        let mut entries = Vec::new();
        let mut snapshots = Vec::new();
        fold::<DocumentAggregate, _>(&mut touched, &ours, |e, event, before, after| {
            entries.extend(audit::document_entry(e, event, before, after, &self.urls));
            snapshots.extend(snapshots::capture(e, after));
        })?;
        snapshots::save(tx, snapshots).await?;
        audit::save(tx, entries).await?;
        for (uuid, t) in touched {
            save(tx, &self.urls, uuid, t).await?;
        }
        Ok(())
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        sqlx::query("TRUNCATE documenten, document_versies, document_parts")
            .execute(&mut *tx)
            .await?;
        snapshots::reset(tx, DocumentEvent::CATEGORY).await?;
        audit::reset(tx, "drc").await
    }
}

/// Rewrites one document's rows: its state, every version, every part.
async fn save(
    tx: &mut PgConnection,
    urls: &Urls,
    uuid: Uuid,
    t: Touched<Document>,
) -> Result<(), ProjectionError> {
    for table in ["document_versies", "document_parts"] {
        let column = if table == "document_parts" {
            "document_uuid"
        } else {
            "uuid"
        };
        sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1"))
            .bind(uuid)
            .execute(&mut *tx)
            .await?;
    }
    let Some(doc) = t.state else {
        sqlx::query("DELETE FROM documenten WHERE uuid = $1")
            .bind(uuid)
            .execute(&mut *tx)
            .await?;
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO documenten (uuid, tenant, version, state) VALUES ($1, $2, $3, $4)
         ON CONFLICT (uuid) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state",
    )
    .bind(uuid)
    .bind(&t.tenant)
    .bind(t.version)
    .bind(sqlx::types::Json(&doc))
    .execute(&mut *tx)
    .await?;
    save_versions(tx, urls, &doc).await?;
    save_parts(tx, urls, &doc).await
}

async fn save_versions(
    tx: &mut PgConnection,
    urls: &Urls,
    doc: &Document,
) -> Result<(), ProjectionError> {
    let created = doc.versions[0].begin_registratie;
    let latest = doc.latest().versie;
    for v in &doc.versions {
        let a = &v.attributes;
        let resource = render::document(doc, v, urls);
        sqlx::query(
            "INSERT INTO document_versies (uuid, versie, is_latest, identificatie, bronorganisatie,
                informatieobjecttype, vertrouwelijkheidaanduiding, vertrouwelijkheid_rank,
                trefwoorden, begin_registratie, created, content_sha256, content_size,
                bestandsnaam, formaat, resource, etag, titel, auteur, beschrijving, creatiedatum,
                status, bestandsomvang, locked)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                $18, $19, $20, $21, $22, $23, $24)",
        )
        .bind(doc.uuid)
        .bind(v.versie as i32)
        .bind(v.versie == latest)
        .bind(&a.identificatie)
        .bind(&a.bronorganisatie)
        .bind(&a.informatieobjecttype)
        .bind(a.vertrouwelijkheidaanduiding.as_str())
        .bind(a.vertrouwelijkheidaanduiding as i16)
        .bind(&a.trefwoorden)
        .bind(v.begin_registratie)
        .bind(created)
        .bind(v.content.as_ref().map(|c| c.sha256.clone()))
        .bind(v.content.as_ref().map(|c| c.size as i64))
        .bind(&a.bestandsnaam)
        .bind(&a.formaat)
        .bind(&resource)
        .bind(crate::render::etag(&resource))
        .bind(&a.titel)
        .bind(&a.auteur)
        .bind(&a.beschrijving)
        .bind(a.creatiedatum)
        .bind(&a.status)
        .bind(v.bestandsomvang.map(|n| n as i64))
        .bind(doc.is_locked())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

async fn save_parts(
    tx: &mut PgConnection,
    urls: &Urls,
    doc: &Document,
) -> Result<(), ProjectionError> {
    let a = &doc.latest().attributes;
    let mut rows: Vec<(Uuid, &str, i64, serde_json::Value)> = doc
        .parts
        .iter()
        .map(|(u, p)| {
            (
                *u,
                p.kind.as_str(),
                p.seq as i64,
                render::part(doc, *u, p, urls),
            )
        })
        .collect();
    rows.extend(doc.bestandsdelen.iter().map(|b| {
        let mut resource = render::bestandsdeel(b, urls);
        resource["informatieobject"] = urls.document(doc.uuid).into();
        (b.uuid, BESTANDSDEEL, i64::from(b.volgnummer), resource)
    }));
    for (uuid, kind, seq, resource) in rows {
        sqlx::query(
            "INSERT INTO document_parts (uuid, document_uuid, kind, informatieobjecttype,
                vertrouwelijkheid_rank, seq, resource, etag, object, object_type)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(uuid)
        .bind(doc.uuid)
        .bind(kind)
        .bind(&a.informatieobjecttype)
        .bind(a.vertrouwelijkheidaanduiding as i16)
        .bind(seq)
        .bind(&resource)
        .bind(crate::render::etag(&resource))
        .bind(oio_text(kind, &resource, "object"))
        .bind(oio_text(kind, &resource, "objectType"))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// An objectinformatieobject's `object` or `objectType` (its filter columns); null for the
/// other parts.
fn oio_text<'a>(kind: &str, resource: &'a serde_json::Value, field: &str) -> Option<&'a str> {
    (kind == DocumentPartKind::Objectinformatieobject.as_str())
        .then(|| resource[field].as_str())
        .flatten()
}
