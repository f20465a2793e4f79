//! What other APIs need of our documents, from the read model: the latest version of a
//! document by its URL (`Ok(None)` unless it is an existing document of ours).

use serde_json::Value;
use sqlx::PgPool;

use projections::render::Urls;

use crate::error::ApiError;
use crate::AppState;

/// For a link to a document: one of ours must exist (`does_not_exist` on field
/// `informatieobject`), then its latest version; `Ok(None)` for another API's URL.
pub async fn linked(s: &AppState, url: &str) -> Result<Option<Value>, ApiError> {
    if s.urls.document_uuid(url).is_none() {
        return Ok(None);
    }
    document(&s.pool, &s.urls, url)
        .await
        .map_err(ApiError::internal)?
        .map(Some)
        .ok_or_else(|| {
            ApiError::invalid(
                "informatieobject",
                "does_not_exist",
                "Ongeldige hyperlink - Object bestaat niet.",
            )
        })
}

pub async fn document(pool: &PgPool, urls: &Urls, url: &str) -> Result<Option<Value>, sqlx::Error> {
    let Some(uuid) = urls.document_uuid(url) else {
        return Ok(None);
    };
    sqlx::query_scalar("SELECT resource FROM document_versies WHERE uuid = $1 AND is_latest")
        .bind(uuid)
        .fetch_optional(pool)
        .await
}
