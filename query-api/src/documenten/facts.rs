//! What other APIs need of our documents, from the read model: the latest version of a
//! document by its URL (`Ok(None)` unless it is an existing document of ours).

use serde_json::Value;
use sqlx::PgPool;

use projections::render::Urls;

pub async fn document(pool: &PgPool, urls: &Urls, url: &str) -> Result<Option<Value>, sqlx::Error> {
    let Some(uuid) = urls.document_uuid(url) else {
        return Ok(None);
    };
    sqlx::query_scalar("SELECT resource FROM document_versies WHERE uuid = $1 AND is_latest")
        .bind(uuid)
        .fetch_optional(pool)
        .await
}
