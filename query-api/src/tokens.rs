//! `Authorization: Token <key>` (Open Klant's scheme), for drop-in compatibility with its
//! clients: an administrator gives a client one token (setup file `tokens`); a request with
//! it acts as that client, with its applicatie's autorisaties (never all rights unless the
//! applicatie has them). Only a SHA-256 digest of the token is stored (a token is a random
//! key, so the digest is what a lookup needs and reveals nothing); the token itself is
//! neither stored nor logged.

use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::authorisation::Authorisation;
use crate::error::ApiError;

fn digest(token: &str) -> Vec<u8> {
    Sha256::new()
        .chain_update(b"zaakstroom-client-token\0")
        .chain_update(token.as_bytes())
        .finalize()
        .to_vec()
}

/// Gives `client_id` exactly this token (replacing the one it had). False when it had it.
pub async fn set(pool: &PgPool, client_id: &str, token: &str) -> Result<bool, sqlx::Error> {
    let digest = digest(token);
    let held: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT digest FROM client_tokens WHERE client_id = $1")
            .bind(client_id)
            .fetch_optional(pool)
            .await?;
    if held.as_ref() == Some(&digest) {
        return Ok(false);
    }
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM client_tokens WHERE client_id = $1")
        .bind(client_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO client_tokens (digest, client_id) VALUES ($1, $2)")
        .bind(&digest)
        .bind(client_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// The client a token was given to, with its applicatie's autorisaties; `None` for a token
/// nobody was given.
pub async fn resolve(
    pool: &PgPool,
    token: &str,
) -> Result<Option<(String, Authorisation)>, ApiError> {
    let row = sqlx::query(
        "SELECT t.client_id, a.heeft_alle_autorisaties,
                a.state -> 'attributes' ->> 'label' AS label,
                a.state -> 'attributes' -> 'autorisaties' AS autorisaties
         FROM client_tokens t
         LEFT JOIN applicatie_clients c ON c.client_id = t.client_id
         LEFT JOIN applicaties a ON a.uuid = c.applicatie
         WHERE t.digest = $1",
    )
    .bind(digest(token))
    .fetch_optional(pool)
    .await
    .map_err(ApiError::internal)?;
    let Some(row) = row else { return Ok(None) };
    let client_id: String = sqlx::Row::try_get(&row, "client_id").map_err(ApiError::internal)?;
    Ok(Some((client_id, crate::clients::authorisation(&row)?)))
}
