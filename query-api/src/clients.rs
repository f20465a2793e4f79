//! What a request's `client_id` resolves to: its opened secret and its applicatie's
//! autorisaties. Both are read on every request, so a change (a new secret, an applicatie
//! update) counts on the very next one; but only the row identities are read each time —
//! the sealed secret and the applicatie's (uuid, version) — and the opened secret and the
//! parsed autorisaties are reused while those are unchanged (measured: parsing a grant list
//! of 100 zaaktypen on every request was a tenth of a detail GET's CPU).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use event_schemas::applicatie::Autorisatie;
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};
use uuid::Uuid;

use crate::authorisation::Authorisation;
use crate::error::ApiError;
use crate::secrets::{Sealed, SecretKey};

/// A client as last resolved.
pub struct Client {
    pub secret: String,
    pub authorisation: Arc<Authorisation>,
}

/// The identity of what a client resolved from: its sealed secret and its applicatie's
/// stream version (a rebuild replays the same versions to the same state).
#[derive(PartialEq, Eq)]
struct Source {
    nonce: Vec<u8>,
    ciphertext: Vec<u8>,
    applicatie: Option<(Uuid, i64)>,
}

#[derive(Default)]
pub struct ClientCache {
    clients: RwLock<HashMap<String, (Source, Arc<Client>)>>,
}

impl std::fmt::Debug for ClientCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientCache(***)")
    }
}

const IDENTITY: &str = "SELECT s.nonce, s.ciphertext, a.uuid, a.version
     FROM client_secrets s
     LEFT JOIN applicatie_clients c ON c.client_id = s.client_id
     LEFT JOIN applicaties a ON a.uuid = c.applicatie
     WHERE s.client_id = $1";

const FULL: &str = "SELECT s.nonce, s.ciphertext, a.uuid, a.version, a.heeft_alle_autorisaties,
            a.state -> 'attributes' ->> 'label' AS label,
            a.state -> 'attributes' -> 'autorisaties' AS autorisaties
     FROM client_secrets s
     LEFT JOIN applicatie_clients c ON c.client_id = s.client_id
     LEFT JOIN applicaties a ON a.uuid = c.applicatie
     WHERE s.client_id = $1";

impl ClientCache {
    /// The client `client_id` as it is now; `None` when it has no secret.
    pub async fn resolve(
        &self,
        pool: &PgPool,
        key: &SecretKey,
        client_id: &str,
    ) -> Result<Option<Arc<Client>>, ApiError> {
        let Some(row) = fetch(pool, IDENTITY, client_id).await? else {
            return Ok(None);
        };
        let source = identity(&row)?;
        if let Some(client) = self.cached(client_id, &source) {
            return Ok(Some(client));
        }
        // Changed or not seen yet: read it whole (it may have changed again meanwhile; what
        // this read returns is what gets cached, under its own identity).
        let Some(row) = fetch(pool, FULL, client_id).await? else {
            return Ok(None);
        };
        let source = identity(&row)?;
        let sealed = Sealed {
            nonce: source.nonce.clone(),
            ciphertext: source.ciphertext.clone(),
        };
        let secret = key.open(client_id, &sealed).map_err(ApiError::internal)?;
        let client = Arc::new(Client {
            secret,
            authorisation: Arc::new(authorisation(&row)?),
        });
        self.clients
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(client_id.to_owned(), (source, client.clone()));
        Ok(Some(client))
    }

    fn cached(&self, client_id: &str, source: &Source) -> Option<Arc<Client>> {
        let clients = self.clients.read().unwrap_or_else(|e| e.into_inner());
        match clients.get(client_id) {
            Some((cached, client)) if cached == source => Some(client.clone()),
            _ => None,
        }
    }
}

async fn fetch(pool: &PgPool, sql: &str, client_id: &str) -> Result<Option<PgRow>, ApiError> {
    sqlx::query(sql)
        .bind(client_id)
        .fetch_optional(pool)
        .await
        .map_err(ApiError::internal)
}

fn identity(row: &PgRow) -> Result<Source, ApiError> {
    let uuid: Option<Uuid> = row.try_get("uuid").map_err(ApiError::internal)?;
    let version: Option<i64> = row.try_get("version").map_err(ApiError::internal)?;
    Ok(Source {
        nonce: row.try_get("nonce").map_err(ApiError::internal)?,
        ciphertext: row.try_get("ciphertext").map_err(ApiError::internal)?,
        applicatie: uuid.zip(version),
    })
}

/// The autorisaties of the applicatie in `row` (columns heeft_alle_autorisaties, label,
/// autorisaties; none when the client has no applicatie).
pub(crate) fn authorisation(row: &PgRow) -> Result<Authorisation, ApiError> {
    let all: Option<bool> = row
        .try_get("heeft_alle_autorisaties")
        .map_err(ApiError::internal)?;
    let label: Option<String> = row.try_get("label").map_err(ApiError::internal)?;
    let autorisaties: Option<sqlx::types::Json<Vec<Autorisatie>>> =
        row.try_get("autorisaties").map_err(ApiError::internal)?;
    Ok(Authorisation {
        all: all.unwrap_or(false),
        autorisaties: autorisaties.map(|a| a.0).unwrap_or_default(),
        label: label.unwrap_or_default(),
    })
}
