//! `Authorization: Token <key>`, as Open Klant's clients send it, for the Klantinteracties
//! and Contactgegevens APIs only (issue 18). An administrator makes a key for a client id
//! (`zaakstroom applicatie create-token`); a request with it acts as that client: the
//! applicatie the client id belongs to decides what it may do, scope by scope, as for a
//! JWT-ZGW. Only the key's SHA-256 is stored; the key is shown once, when it is made, and
//! never logged.

use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::authorisation::Authorisation;
use crate::error::ApiError;

/// What every key starts with, so a leaked one is recognisable (secret scanners).
const PREFIX: &str = "zs_";

/// The APIs that take a key (their base paths): the others speak JWT-ZGW only.
pub const APIS: [&str; 2] = ["/klantinteracties/", "/contactgegevens/"];

fn digest(key: &str) -> Vec<u8> {
    Sha256::digest(key.as_bytes()).to_vec()
}

/// Makes a key for `client_id`; the key, to hand over once.
pub async fn create(pool: &PgPool, client_id: &str, label: &str) -> Result<String, sqlx::Error> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let key = format!("{PREFIX}{}", hex::encode(bytes));
    sqlx::query("INSERT INTO api_tokens (digest, client_id, label) VALUES ($1, $2, $3)")
        .bind(digest(&key))
        .bind(client_id)
        .bind(label)
        .execute(pool)
        .await?;
    Ok(key)
}

/// Revokes every key of `client_id`; how many there were.
pub async fn revoke(pool: &PgPool, client_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM api_tokens WHERE client_id = $1")
        .bind(client_id)
        .execute(pool)
        .await?
        .rows_affected())
}

/// The keys there are: client id, label, when made, and the digest's first characters
/// (to tell them apart; the key itself is not kept).
pub async fn list(
    pool: &PgPool,
) -> Result<Vec<(String, String, DateTime<Utc>, String)>, sqlx::Error> {
    let rows: Vec<(String, String, DateTime<Utc>, Vec<u8>)> = sqlx::query_as(
        "SELECT client_id, label, created_at, digest FROM api_tokens ORDER BY client_id, created_at",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(c, l, t, d)| (c, l, t, hex::encode(&d[..4])))
        .collect())
}

/// The client a key acts as and its applicatie's autorisaties; `None` for an unknown key.
pub async fn resolve(
    pool: &PgPool,
    key: &str,
) -> Result<Option<(String, Authorisation)>, ApiError> {
    let row = sqlx::query(
        "SELECT t.client_id, a.heeft_alle_autorisaties,
                a.state -> 'attributes' ->> 'label' AS label,
                a.state -> 'attributes' -> 'autorisaties' AS autorisaties
         FROM api_tokens t
         LEFT JOIN applicatie_clients c ON c.client_id = t.client_id
         LEFT JOIN applicaties a ON a.uuid = c.applicatie
         WHERE t.digest = $1",
    )
    .bind(digest(key))
    .fetch_optional(pool)
    .await
    .map_err(ApiError::internal)?;
    let Some(row) = row else { return Ok(None) };
    let client_id: String = sqlx::Row::try_get(&row, "client_id").map_err(ApiError::internal)?;
    Ok(Some((client_id, crate::clients::authorisation(&row)?)))
}
