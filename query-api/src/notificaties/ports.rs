//! The adapters of `commands::notificaties::NotificatiePorts`: kanalen from the read model,
//! the callback probe over HTTP, abonnement auth sealed with the server key.

use std::sync::LazyLock;
use std::time::Duration;

use async_trait::async_trait;
use commands::notificaties::NotificatiePorts;
use commands::WriteError;
use domain::notificaties::KanaalFacts;
use projections::webhooks::deliver::AuthSource;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::secrets::{Sealed, SecretKey};

/// How long a callback may take to answer the test notification.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

static PROBE: LazyLock<reqwest::Client> = LazyLock::new(|| {
    reqwest::Client::builder()
        .timeout(PROBE_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("zaakstroom/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
});

pub struct Adapters {
    pub pool: PgPool,
    pub key: SecretKey,
}

/// The key an abonnement's auth is sealed under (its uuid as associated data: a sealed
/// auth cannot be moved to another abonnement).
fn aad(abonnement: Uuid) -> String {
    format!("abonnement:{abonnement}")
}

/// The sealed auth as stored: nonce, then ciphertext.
pub fn seal(key: &SecretKey, abonnement: Uuid, auth: &str) -> Vec<u8> {
    let sealed = key.seal(&aad(abonnement), auth);
    [sealed.nonce, sealed.ciphertext].concat()
}

pub fn open(key: &SecretKey, abonnement: Uuid, stored: &[u8]) -> Option<String> {
    if stored.len() < 12 {
        return None;
    }
    let (nonce, ciphertext) = stored.split_at(12);
    let sealed = Sealed {
        nonce: nonce.to_vec(),
        ciphertext: ciphertext.to_vec(),
    };
    key.open(&aad(abonnement), &sealed).ok()
}

/// The delivery role's way to open what the API sealed.
pub struct SealedAuth(pub SecretKey);

impl AuthSource for SealedAuth {
    fn open(&self, abonnement: Uuid, sealed: &[u8]) -> Option<String> {
        open(&self.0, abonnement, sealed)
    }
}

/// The test notification Open Notificaties sends to a new callback.
pub fn test_notification() -> serde_json::Value {
    json!({
        "kanaal": "test",
        "hoofdObject": "http://some.hoofdobject.nl/",
        "resource": "some_resource",
        "resourceUrl": "http://some.resource.nl/",
        "actie": "create",
        "aanmaakdatum": "2019-01-01T12:00:00Z",
        "kenmerken": {}
    })
}

#[async_trait]
impl NotificatiePorts for Adapters {
    async fn kanalen(&self, names: &[String]) -> Result<KanaalFacts, WriteError> {
        let rows: Vec<(String, Vec<String>)> =
            sqlx::query_as("SELECT naam, filters FROM nrc_kanalen WHERE naam = ANY($1)")
                .bind(names)
                .fetch_all(&self.pool)
                .await
                .map_err(WriteError::internal)?;
        let mut facts: KanaalFacts = names.iter().map(|n| (n.clone(), None)).collect();
        for (naam, filters) in rows {
            facts.insert(naam, Some(filters));
        }
        Ok(facts)
    }

    async fn probe(&self, callback_url: &str, auth: Option<&str>) -> Result<(), String> {
        let mut request = PROBE.post(callback_url).json(&test_notification());
        if let Some(auth) = auth.filter(|a| !a.is_empty()) {
            request = request.header("Authorization", auth);
        }
        match request.send().await {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!(
                "de callback antwoordde HTTP {}",
                r.status().as_u16()
            )),
            Err(e) if e.is_timeout() => Err("de callback antwoordde niet binnen 10 s".into()),
            Err(e) if e.is_connect() => Err("de callback is niet bereikbaar".into()),
            Err(e) => Err(format!("de callback faalde: {e}")),
        }
    }

    async fn auth(&self, abonnement: Uuid) -> Result<Option<String>, WriteError> {
        let stored: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT sealed FROM nrc_secrets WHERE abonnement = $1")
                .bind(abonnement)
                .fetch_optional(&self.pool)
                .await
                .map_err(WriteError::internal)?;
        Ok(stored.and_then(|s| open(&self.key, abonnement, &s)))
    }

    async fn set_auth(&self, abonnement: Uuid, auth: Option<&str>) -> Result<(), WriteError> {
        let query = match auth {
            Some(auth) => sqlx::query(
                "INSERT INTO nrc_secrets (abonnement, sealed) VALUES ($1, $2)
                 ON CONFLICT (abonnement) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now()",
            )
            .bind(abonnement)
            .bind(seal(&self.key, abonnement, auth)),
            None => sqlx::query("DELETE FROM nrc_secrets WHERE abonnement = $1").bind(abonnement),
        };
        query
            .execute(&self.pool)
            .await
            .map_err(WriteError::internal)?;
        Ok(())
    }
}
