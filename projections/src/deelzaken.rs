//! A hoofdzaak's `deelzaken`: not part of its own stream (a deelzaak names its hoofdzaak),
//! so the zaken projection lays the list over the rendered resources of every zaak a
//! batch may have changed it for, in the batch's transaction.

use serde_json::Value;
use sqlx::postgres::PgConnection;
use uuid::Uuid;

use crate::render;
use crate::ProjectionError;

/// Sets `deelzaken` (URLs, in creation order) and the ETag of each zaak whose list the
/// batch may have changed: the `hoofdzaken` (before and after) of the zaken it touched, and
/// those of the `touched` zaken that are a hoofdzaak (their rows were just rendered with an
/// empty list).
pub async fn refresh(
    tx: &mut PgConnection,
    touched: &[Uuid],
    hoofdzaken: &[Uuid],
) -> Result<(), ProjectionError> {
    // An index probe; most batches name no hoofdzaak at all, and then no UPDATE runs (an
    // UPDATE of no rows still fires the statement triggers of `zaken_counts`).
    let mut zaken: Vec<Uuid> =
        sqlx::query_scalar("SELECT DISTINCT hoofdzaak FROM zaken WHERE hoofdzaak = ANY($1)")
            .bind(touched)
            .fetch_all(&mut *tx)
            .await?;
    zaken.extend_from_slice(hoofdzaken);
    zaken.sort_unstable();
    zaken.dedup();
    if zaken.is_empty() {
        return Ok(());
    }
    // Only rows whose list differs are rewritten: most zaken have no deelzaken, and their
    // freshly rendered resource already says so.
    let rows: Vec<(Uuid, Value)> = sqlx::query_as(
        "UPDATE zaken h SET resource = jsonb_set(h.resource::jsonb, '{deelzaken}', l.urls)::json
         FROM (SELECT u.uuid, COALESCE((SELECT jsonb_agg(d.resource ->> 'url' ORDER BY d.ordinal)
                FROM zaken d WHERE d.hoofdzaak = u.uuid), '[]'::jsonb) AS urls
               FROM UNNEST($1::uuid[]) AS u(uuid)) l
         WHERE h.uuid = l.uuid AND (h.resource -> 'deelzaken')::jsonb IS DISTINCT FROM l.urls
         RETURNING h.uuid, h.resource",
    )
    .bind(&zaken)
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        return Ok(());
    }
    // Stored as the compact text its ETag is the hash of, as the projection writes it.
    let (ids, texts): (Vec<Uuid>, Vec<String>) = rows
        .iter()
        .map(|(id, resource)| (*id, resource.to_string()))
        .unzip();
    let etags: Vec<String> = texts
        .iter()
        .map(|t| render::etag_of(t.as_bytes()))
        .collect();
    sqlx::query(
        "UPDATE zaken SET resource = e.resource::json, etag = e.etag
         FROM UNNEST($1::uuid[], $2::text[], $3::text[]) AS e(uuid, resource, etag)
         WHERE zaken.uuid = e.uuid",
    )
    .bind(ids)
    .bind(texts)
    .bind(etags)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
