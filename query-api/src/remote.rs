//! Resources of other ZGW APIs, fetched by URL when a request refers to them (a zaaktype
//! in another catalogue, a document in another Documenten API): with a timeout, a size
//! bound, and a short-lived cache so a burst of writes does not fetch the same type again.
//! What cannot be fetched is the standard's `bad-url`; what is not the expected kind of
//! resource is `invalid-resource` (decided by the caller).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

const TIMEOUT: Duration = Duration::from_secs(5);
const TTL: Duration = Duration::from_secs(300);
const MAX_BYTES: usize = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("{url} kon niet opgehaald worden: {reason}")]
    Unreachable { url: String, reason: String },
}

pub struct Remote {
    client: reqwest::Client,
    cache: Mutex<HashMap<String, (Instant, Value)>>,
}

impl Default for Remote {
    fn default() -> Self {
        Self::new()
    }
}

impl Remote {
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .expect("a client without custom TLS roots always builds");
        Self {
            client,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The JSON at `url` (a 2xx answer of at most 1 MiB), from the cache when fresh: for
    /// what rarely changes (types of a catalogue).
    pub async fn get(&self, url: &str) -> Result<Value, RemoteError> {
        if let Some(v) = self.cached(url) {
            return Ok(v);
        }
        let value = self.get_now(url).await?;
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(url.to_owned(), (Instant::now(), value.clone()));
        Ok(value)
    }

    /// The JSON at `url` as it is now (documents, whose state a rule depends on).
    pub async fn get_now(&self, url: &str) -> Result<Value, RemoteError> {
        let fail = |reason: String| RemoteError::Unreachable {
            url: url.to_owned(),
            reason,
        };
        let response = self
            .client
            .get(url)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| fail(e.to_string()))?;
        if !response.status().is_success() {
            return Err(fail(format!("HTTP {}", response.status())));
        }
        if response
            .content_length()
            .is_some_and(|n| n as usize > MAX_BYTES)
        {
            return Err(fail("te groot".into()));
        }
        let bytes = response.bytes().await.map_err(|e| fail(e.to_string()))?;
        if bytes.len() > MAX_BYTES {
            return Err(fail("te groot".into()));
        }
        serde_json::from_slice(&bytes).map_err(|e| fail(e.to_string()))
    }

    fn cached(&self, url: &str) -> Option<Value> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        match cache.get(url) {
            Some((at, v)) if at.elapsed() < TTL => Some(v.clone()),
            Some(_) => {
                cache.remove(url);
                None
            }
            None => None,
        }
    }
}
