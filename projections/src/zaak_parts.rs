//! The `zaak_parts` read model: every status, resultaat, rol, zaakobject, ... of a zaak as
//! its own resource row, re-rendered whenever its zaak changes (a part's representation
//! depends on the rest of the zaak: `indicatieLaatstGezetteStatus`, a rol's `statussen`,
//! the grant columns), in the zaken projection's transaction.

use chrono::{DateTime, Utc};
use domain::zaak::Zaak;
use event_schemas::zaak::ZaakEvent;
use event_store::RecordedEvent;
use serde_json::Value;
use sqlx::postgres::PgConnection;
use uuid::Uuid;

use crate::render::{self, Urls};
use crate::ProjectionError;

/// The kind column of a status row (parts use `PartKind::as_str`).
pub const STATUS: &str = "status";

struct Row {
    uuid: Uuid,
    zaak: Uuid,
    kind: &'static str,
    zaaktype: String,
    rank: i16,
    /// The resource as the JSON text sent to PostgreSQL (serialised once, for its ETag too).
    resource: String,
}

/// A zaak's part rows in list order: statussen as set, then the other parts as added.
fn rows(z: &Zaak, urls: &Urls) -> Vec<Row> {
    let row = |uuid, kind, resource: Value| Row {
        uuid,
        zaak: z.uuid,
        kind,
        zaaktype: z.attributes.zaaktype.clone(),
        rank: z.attributes.vertrouwelijkheidaanduiding as i16,
        resource: resource.to_string(),
    };
    let mut out: Vec<Row> = z
        .statussen
        .iter()
        .map(|s| row(s.uuid, STATUS, render::status(z, s, urls)))
        .collect();
    let mut parts: Vec<_> = z.parts.iter().collect();
    parts.sort_by_key(|(_, p)| p.seq);
    out.extend(
        parts
            .into_iter()
            .map(|(u, p)| row(*u, p.kind.as_str(), render::part(z, *u, p, urls))),
    );
    out
}

/// The part rows of some zaken, rendered before the batch's transaction starts writing.
pub struct Rows {
    rows: Vec<Row>,
    etags: Vec<String>,
}

/// The part rows of the current states in `zaken`.
pub fn render(urls: &Urls, zaken: &[&Zaak]) -> Rows {
    let rows: Vec<Row> = zaken.iter().flat_map(|z| rows(z, urls)).collect();
    let etags = rows
        .iter()
        .map(|r| render::etag_of(r.resource.as_bytes()))
        .collect();
    Rows { rows, etags }
}

/// Replaces the part rows of `touched` zaken (deleted ones lose all their rows) with
/// `rendered`, the rows of their current states.
pub async fn save(
    tx: &mut PgConnection,
    touched: &[Uuid],
    rendered: Rows,
) -> Result<(), ProjectionError> {
    let Rows { rows, etags } = rendered;
    let current: Vec<Uuid> = rows.iter().map(|r| r.uuid).collect();
    sqlx::query("DELETE FROM zaak_parts WHERE zaak_uuid = ANY($1) AND uuid <> ALL($2)")
        .bind(touched)
        .bind(&current)
        .execute(&mut *tx)
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO zaak_parts (uuid, zaak_uuid, kind, zaaktype, vertrouwelijkheid_rank,
            resource, etag)
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::smallint[],
            $6::text[]::jsonb[], $7::text[])
         ON CONFLICT (uuid) DO UPDATE SET zaaktype = EXCLUDED.zaaktype,
            vertrouwelijkheid_rank = EXCLUDED.vertrouwelijkheid_rank,
            resource = EXCLUDED.resource, etag = EXCLUDED.etag
         WHERE zaak_parts.etag <> EXCLUDED.etag
            OR zaak_parts.zaaktype <> EXCLUDED.zaaktype
            OR zaak_parts.vertrouwelijkheid_rank <> EXCLUDED.vertrouwelijkheid_rank",
    )
    .bind(current)
    .bind(rows.iter().map(|r| r.zaak).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.kind).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.zaaktype.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.rank).collect::<Vec<_>>())
    .bind(rows.into_iter().map(|r| r.resource).collect::<Vec<_>>())
    .bind(etags)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A part that an event removed (alone, or with its deleted zaak).
pub(crate) struct Removed {
    uuid: Uuid,
    kind: &'static str,
    zaak: Uuid,
    at: DateTime<Utc>,
}

/// The parts `event` (of `e`) removes from the zaak as it was `before` it.
pub(crate) fn removed(e: &RecordedEvent, event: &ZaakEvent, before: Option<&Zaak>) -> Vec<Removed> {
    let Some(zaak) = before else {
        return Vec::new();
    };
    let at = e.metadata.occurred_at;
    let removed = |uuid, kind| Removed {
        uuid,
        kind,
        zaak: zaak.uuid,
        at,
    };
    match event {
        ZaakEvent::PartRemoved(r) => vec![removed(r.uuid, r.kind.as_str())],
        ZaakEvent::ZaakDeleted(_) => zaak
            .statussen
            .iter()
            .map(|s| removed(s.uuid, STATUS))
            .chain(
                zaak.parts
                    .iter()
                    .map(|(uuid, p)| removed(*uuid, p.kind.as_str())),
            )
            .collect(),
        _ => Vec::new(),
    }
}

/// Remembers `removed` (once: a batch projected again changes nothing).
pub(crate) async fn save_removed(
    tx: &mut PgConnection,
    removed: Vec<Removed>,
) -> Result<(), ProjectionError> {
    if removed.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO removed_zaak_parts (uuid, kind, zaak_uuid, removed_at)
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[])
         ON CONFLICT (uuid) DO NOTHING",
    )
    .bind(removed.iter().map(|r| r.uuid).collect::<Vec<_>>())
    .bind(removed.iter().map(|r| r.kind).collect::<Vec<_>>())
    .bind(removed.iter().map(|r| r.zaak).collect::<Vec<_>>())
    .bind(removed.iter().map(|r| r.at).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}
