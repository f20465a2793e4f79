//! Client secrets at rest: encrypted with the server's key, looked up by client id. The
//! plain secret exists only in memory while a token is verified, and is never logged.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sqlx::PgPool;

/// The server's key for client secrets (32 bytes, given as 64 hex characters).
#[derive(Clone)]
pub struct SecretKey(ChaCha20Poly1305);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the secret key must be 64 hexadecimal characters (32 bytes)")]
    BadKey,
    #[error(
        "a stored client secret does not decrypt with this key (wrong ZAAKSTROOM_SECRET_KEY?)"
    )]
    Undecryptable,
    #[error(transparent)]
    Postgres(#[from] sqlx::Error),
}

impl std::str::FromStr for SecretKey {
    type Err = SecretError;

    fn from_str(hex_key: &str) -> Result<Self, SecretError> {
        let bytes = hex::decode(hex_key.trim()).map_err(|_| SecretError::BadKey)?;
        if bytes.len() != 32 {
            return Err(SecretError::BadKey);
        }
        Ok(Self(ChaCha20Poly1305::new(Key::from_slice(&bytes))))
    }
}

/// An encrypted secret as stored.
pub struct Sealed {
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

impl SecretKey {
    pub fn seal(&self, client_id: &str, secret: &str) -> Sealed {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = self
            .0
            .encrypt(
                &nonce,
                Payload {
                    msg: secret.as_bytes(),
                    aad: client_id.as_bytes(),
                },
            )
            .expect("encrypting in memory does not fail");
        Sealed {
            nonce: nonce.to_vec(),
            ciphertext,
        }
    }

    pub fn open(&self, client_id: &str, sealed: &Sealed) -> Result<String, SecretError> {
        if sealed.nonce.len() != 12 {
            return Err(SecretError::Undecryptable);
        }
        let plain = self
            .0
            .decrypt(
                Nonce::from_slice(&sealed.nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad: client_id.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Undecryptable)?;
        String::from_utf8(plain).map_err(|_| SecretError::Undecryptable)
    }
}

/// The versions of the client-secret migrations this binary embeds.
pub fn migration_versions() -> Vec<i64> {
    sqlx::migrate!("./migrations")
        .iter()
        .map(|m| m.version)
        .collect()
}

/// Creates the table of client secrets.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    let mut migrator = sqlx::migrate!("./migrations");
    migrator.set_ignore_missing(true);
    migrator.run(pool).await
}

/// Registers or replaces the secret of `client_id`.
pub async fn set(
    pool: &PgPool,
    key: &SecretKey,
    client_id: &str,
    secret: &str,
) -> Result<(), SecretError> {
    let sealed = key.seal(client_id, secret);
    sqlx::query(
        "INSERT INTO client_secrets (client_id, nonce, ciphertext) VALUES ($1, $2, $3)
         ON CONFLICT (client_id) DO UPDATE SET nonce = EXCLUDED.nonce,
            ciphertext = EXCLUDED.ciphertext, updated_at = now()",
    )
    .bind(client_id)
    .bind(&sealed.nonce)
    .bind(&sealed.ciphertext)
    .execute(pool)
    .await?;
    Ok(())
}

/// True when `client_id` has `secret` already (so applying a setup file twice writes nothing).
pub async fn matches(
    pool: &PgPool,
    key: &SecretKey,
    client_id: &str,
    secret: &str,
) -> Result<bool, SecretError> {
    let row: Option<(Vec<u8>, Vec<u8>)> =
        sqlx::query_as("SELECT nonce, ciphertext FROM client_secrets WHERE client_id = $1")
            .bind(client_id)
            .fetch_optional(pool)
            .await?;
    Ok(match row {
        Some((nonce, ciphertext)) => {
            key.open(client_id, &Sealed { nonce, ciphertext })
                .ok()
                .as_deref()
                == Some(secret)
        }
        None => false,
    })
}

/// Removes the secret of `client_id`: its tokens stop verifying on the next request.
pub async fn remove(pool: &PgPool, client_id: &str) -> Result<bool, SecretError> {
    let done = sqlx::query("DELETE FROM client_secrets WHERE client_id = $1")
        .bind(client_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Client ids with a registered secret, and when each was last set.
pub async fn list(
    pool: &PgPool,
) -> Result<Vec<(String, chrono::DateTime<chrono::Utc>)>, SecretError> {
    Ok(
        sqlx::query_as("SELECT client_id, updated_at FROM client_secrets ORDER BY client_id")
            .fetch_all(pool)
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn a_sealed_secret_opens_only_for_its_client_and_key() {
        let key: SecretKey = KEY.parse().unwrap();
        let sealed = key.seal("client-a", "s3cret");
        assert!(!sealed.ciphertext.windows(6).any(|w| w == b"s3cret"));
        assert_eq!(key.open("client-a", &sealed).unwrap(), "s3cret");
        assert!(key.open("client-b", &sealed).is_err());
        let other: SecretKey = KEY.replace("00", "ff").parse().unwrap();
        assert!(other.open("client-a", &sealed).is_err());
    }

    #[test]
    fn a_key_must_be_32_bytes_of_hex() {
        assert!("abcd".parse::<SecretKey>().is_err());
        assert!("zz".repeat(32).parse::<SecretKey>().is_err());
    }
}
