//! `Authorization: Token <key>` (Open Klant's scheme), for drop-in compatibility with its
//! clients, on the Klantinteracties and Contactgegevens APIs only ([`APIS`]): an
//! administrator gives a client one token (setup file `tokens`, or `zaakstroom applicatie
//! set-token`, which can also generate one); a request with it acts as that client, with
//! its applicatie's autorisaties (never all rights unless the applicatie has them). Only a SHA-256 digest of the token is stored (a token is a random
//! key, so the digest is what a lookup needs and reveals nothing); the token itself is
//! neither stored nor logged.

use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::authorisation::Authorisation;
use crate::error::ApiError;

/// The APIs that take a token (their base paths): the others speak JWT-ZGW only.
pub const APIS: [&str; 2] = ["/klantinteracties/", "/contactgegevens/"];

/// A new random token (32 bytes, hex, with a prefix that makes a leaked one recognisable).
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("zs_{}", hex::encode(bytes))
}

/// Takes `client_id`'s token away; whether it had one.
pub async fn remove(pool: &PgPool, client_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM client_tokens WHERE client_id = $1")
        .bind(client_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The clients that have a token, and when it was set.
pub async fn list(pool: &PgPool) -> Result<Vec<(String, DateTime<Utc>)>, sqlx::Error> {
    sqlx::query_as("SELECT client_id, updated_at FROM client_tokens ORDER BY client_id")
        .fetch_all(pool)
        .await
}

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
