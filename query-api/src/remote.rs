//! Resources of other ZGW APIs, fetched by URL when a request refers to them (a zaaktype
//! in another catalogue, a document in another Documenten API): with a timeout, a size
//! bound, and a short-lived cache so a burst of writes does not fetch the same type again.
//! What cannot be fetched or does not answer 200 is the standard's `bad-url`; what answers
//! 200 with something that is not JSON, or not JSON of the expected kind ([`Shape`]), is
//! `invalid-resource` (vng-api-common's URLValidator / ResourceValidator).

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::error::ApiError;

const TIMEOUT: Duration = Duration::from_secs(5);
const TTL: Duration = Duration::from_secs(300);
const MAX_BYTES: usize = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// Not fetched, or not answered with 200 (`bad-url`).
    #[error("{url} kon niet opgehaald worden: {reason}")]
    Unreachable { url: String, reason: String },
    /// Answered 200 with something that is not a JSON resource (`invalid-resource`).
    #[error("{url} is geen JSON-resource: {reason}")]
    NotJson { url: String, reason: String },
}

impl RemoteError {
    /// The standard's code for this failure.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreachable { .. } => "bad-url",
            Self::NotJson { .. } => "invalid-resource",
        }
    }

    /// The failure as the problem of request field `field`.
    pub fn for_field(&self, field: &str) -> ApiError {
        ApiError::invalid(field, self.code(), self.to_string())
    }
}

/// The kinds of resource of other APIs a request may point at, each told apart by the
/// fields its schema requires (as the reference's `obj_has_shape`).
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    Zaak,
    Besluit,
    Informatieobject,
    Contactmoment,
    Verzoek,
    Communicatiekanaal,
    /// A Selectielijst resultaat (a selectielijstklasse).
    Resultaat,
}

impl Shape {
    fn fields(self) -> &'static [&'static str] {
        match self {
            Self::Zaak => &["url", "bronorganisatie", "zaaktype", "startdatum"],
            Self::Besluit => &["verantwoordelijkeOrganisatie", "besluittype", "datum"],
            Self::Informatieobject => &["url", "bronorganisatie", "informatieobjecttype", "titel"],
            Self::Contactmoment | Self::Verzoek => &["url", "bronorganisatie"],
            Self::Communicatiekanaal => &["url", "naam", "omschrijving"],
            Self::Resultaat => &["url", "procesType", "volledigNummer", "waardering"],
        }
    }

    pub fn fits(self, value: &Value) -> bool {
        self.fields().iter().all(|k| value.get(k).is_some())
    }
}

/// Another ZGW API we call with credentials of our own (Open Zaak's "services"): requests
/// to URLs under `api_root` carry a JWT-ZGW signed with `secret` for `client_id`.
#[derive(Clone)]
pub struct Service {
    pub api_root: String,
    pub client_id: String,
    pub secret: String,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Service({}, {}, ***)", self.api_root, self.client_id)
    }
}

pub struct Remote {
    client: reqwest::Client,
    cache: Mutex<HashMap<String, (Instant, Value)>>,
    services: RwLock<Vec<Service>>,
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
            services: RwLock::new(Vec::new()),
        }
    }

    /// Replaces the services whose credentials our requests carry.
    pub fn set_services(&self, services: Vec<Service>) {
        *self.services.write().unwrap_or_else(|e| e.into_inner()) = services;
    }

    /// The `Authorization` value for `url`: a fresh token of the service with the longest
    /// API root `url` starts with; none when no service covers it.
    fn authorization(&self, url: &str) -> Option<String> {
        let services = self.services.read().unwrap_or_else(|e| e.into_inner());
        let service = services
            .iter()
            .filter(|s| url.starts_with(&s.api_root))
            .max_by_key(|s| s.api_root.len())?;
        let claims = crate::token::Claims {
            client_id: &service.client_id,
            user_id: "",
            user_representation: "Zaakstroom",
            iat: chrono::Utc::now().timestamp(),
        };
        Some(format!(
            "Bearer {}",
            crate::token::sign(&claims, &service.secret)
        ))
    }

    /// The JSON at `url` (a 200 answer of at most 1 MiB), from the cache when fresh: for
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
        let mut request = self.client.get(url).header("Accept", "application/json");
        if let Some(authorization) = self.authorization(url) {
            request = request.header("Authorization", authorization);
        }
        let response = request.send().await.map_err(|e| fail(e.to_string()))?;
        if response.status() != reqwest::StatusCode::OK {
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
        serde_json::from_slice(&bytes).map_err(|e| RemoteError::NotJson {
            url: url.to_owned(),
            reason: e.to_string(),
        })
    }

    /// The resource at `url`, named by request field `field`, that must be of `shape`:
    /// `bad-url` when it cannot be fetched, `invalid-resource` when it is something else.
    pub async fn resource(&self, field: &str, url: &str, shape: Shape) -> Result<Value, ApiError> {
        let value = self.get(url).await.map_err(|e| e.for_field(field))?;
        if shape.fits(&value) {
            Ok(value)
        } else {
            Err(ApiError::invalid(
                field,
                "invalid-resource",
                format!("De URL {url} wijst niet naar een resource van de soort {shape:?}."),
            ))
        }
    }

    /// `url` answers 200 (whatever its body), as the reference's URLValidator asks of a URL
    /// it does not know the kind of; `bad-url` otherwise.
    pub async fn answers(&self, field: &str, url: &str) -> Result<(), ApiError> {
        match self.get(url).await {
            Ok(_) | Err(RemoteError::NotJson { .. }) => Ok(()),
            Err(e) => Err(e.for_field(field)),
        }
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
