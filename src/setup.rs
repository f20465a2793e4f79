//! The declarative setup file (like Open Zaak's setup_configuration): client secrets and
//! applicaties, applied at start-up (`ZAAKSTROOM_SETUP`) and by `zaakstroom applicatie
//! apply FILE`, so an installation can be reproduced. Applying is idempotent: secrets that
//! already match are left alone, and an applicatie is found by its client ids and updated
//! through the same command path as the Autorisaties API (an unchanged one appends nothing).
//!
//! ```yaml
//! clients:
//!   - clientId: zaaksysteem
//!     secretEnv: ZAAKSYSTEEM_SECRET     # or `secret: ...` (not recommended in files)
//! applicaties:
//!   - label: Zaaksysteem
//!     clientIds: [zaaksysteem]
//!     autorisaties:
//!       - component: zrc
//!         scopes: [zaken.lezen, zaken.aanmaken]
//!         zaaktype: https://zaken.gemeente.nl/catalogi/api/v1/zaaktypen/...
//!         maxVertrouwelijkheidaanduiding: vertrouwelijk
//! tokens:                                # Open Klant's `Authorization: Token <key>`
//!   - clientId: kcc
//!     tokenEnv: KCC_TOKEN
//! ```

use std::path::Path;

use anyhow::{bail, Context as _};
use query_api::AppState;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    #[serde(default)]
    pub clients: Vec<ClientEntry>,
    /// Applicaties in the shape of the Autorisaties API's request body.
    #[serde(default)]
    pub applicaties: Vec<serde_json::Value>,
    /// Other ZGW APIs and the credentials our calls to them carry (read at start-up).
    #[serde(default)]
    pub services: Vec<ServiceEntry>,
    /// Open Klant style tokens (`Authorization: Token <key>`), one per client: it acts as
    /// that client, with its applicatie's autorisaties.
    /// (`token`/`tokenEnv`, or `secret`/`secretEnv`).
    #[serde(default)]
    pub tokens: Vec<ClientEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceEntry {
    /// The API root, e.g. `https://catalogi.example.nl/catalogi/api/v1/`: every URL under it.
    pub api_root: String,
    pub client_id: String,
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub secret_env: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientEntry {
    pub client_id: String,
    #[serde(default, alias = "token")]
    pub secret: Option<String>,
    #[serde(default, alias = "tokenEnv")]
    pub secret_env: Option<String>,
}

impl std::fmt::Debug for ClientEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ClientEntry({}, ***)", self.client_id)
    }
}

impl std::fmt::Debug for ServiceEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ServiceEntry({}, {}, ***)",
            self.api_root, self.client_id
        )
    }
}

/// A secret given inline or by the name of an environment variable, exactly one of them.
fn secret(what: &str, inline: &Option<String>, env: &Option<String>) -> anyhow::Result<String> {
    match (inline, env) {
        (Some(s), None) if !s.is_empty() => Ok(s.clone()),
        (None, Some(var)) => std::env::var(var)
            .ok()
            .filter(|s| !s.is_empty())
            .with_context(|| format!("{what}: {var} is not set")),
        _ => bail!("{what}: give exactly one of secret and secretEnv"),
    }
}

impl ClientEntry {
    fn secret(&self) -> anyhow::Result<String> {
        let what = format!("client {}", self.client_id);
        secret(&what, &self.secret, &self.secret_env)
    }
}

impl ServiceEntry {
    fn service(&self) -> anyhow::Result<query_api::remote::Service> {
        let what = format!("service {}", self.api_root);
        if !query_api::is_http_url(&self.api_root) {
            bail!("{what}: apiRoot is not an http(s) URL");
        }
        Ok(query_api::remote::Service {
            api_root: self.api_root.clone(),
            client_id: self.client_id.clone(),
            secret: secret(&what, &self.secret, &self.secret_env)?,
        })
    }
}

pub fn load(path: &Path) -> anyhow::Result<Setup> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_yaml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// What applying changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Client secrets and tokens stored.
    pub secrets_set: usize,
    pub applicaties_registered: usize,
    pub applicaties_updated: usize,
}

pub async fn apply(state: &AppState, setup: &Setup) -> anyhow::Result<Applied> {
    let mut applied = Applied::default();
    let services = setup.services.iter().map(ServiceEntry::service);
    state
        .remote
        .set_services(services.collect::<anyhow::Result<_>>()?);
    let key = state.credentials.key();
    for client in &setup.clients {
        let secret = client.secret()?;
        if !query_api::secrets::matches(&state.pool, key, &client.client_id, &secret).await? {
            query_api::secrets::set(&state.pool, key, &client.client_id, &secret).await?;
            applied.secrets_set += 1;
        }
    }
    for entry in &setup.tokens {
        let token = entry.secret()?;
        if query_api::tokens::set(&state.pool, &entry.client_id, &token).await? {
            applied.secrets_set += 1;
        }
    }
    let ctx = state.system_context("zaakstroom-setup", "setup file");
    // The setup file is the operator's: it may do anything the Autorisaties API allows.
    let operator = query_api::authorisation::Authorisation {
        all: true,
        ..Default::default()
    };
    for (i, body) in setup.applicaties.iter().enumerate() {
        let attributes = query_api::autorisaties::parse_applicatie(body)
            .map_err(|e| anyhow::anyhow!("applicaties[{i}]: {}", problem(&e)))?;
        // Replicas starting together apply the same file: one registers the applicatie,
        // the others find its client ids claimed (by an applicatie whose stream may not be
        // there yet) and look again, then update it to what it already is.
        let mut attempts = 0;
        let result = loop {
            let result = apply_applicatie(state, &operator, &ctx, &attributes, &mut applied).await;
            attempts += 1;
            match &result {
                Err(query_api::ApiError::NotFound) if attempts < RACE_ATTEMPTS => {}
                Err(query_api::ApiError::Validation(p))
                    if attempts < RACE_ATTEMPTS
                        && p.iter().any(|p| p.code == "clientId-exists") => {}
                _ => break result,
            }
            tokio::time::sleep(std::time::Duration::from_millis(100 * attempts)).await;
        };
        result.map_err(|e| anyhow::anyhow!("applicaties[{i}]: {}", problem(&e)))?;
    }
    Ok(applied)
}

/// How often an applicatie of the setup file is tried while another process registers it.
const RACE_ATTEMPTS: u64 = 6;

/// Registers the applicatie of the setup file, or updates the one holding its client ids.
async fn apply_applicatie(
    state: &AppState,
    operator: &query_api::authorisation::Authorisation,
    ctx: &commands::Context,
    attributes: &event_schemas::applicatie::ApplicatieAttributes,
    applied: &mut Applied,
) -> Result<domain::applicatie::Applicatie, query_api::ApiError> {
    let existing = existing_applicatie(state, &attributes.client_ids)
        .await
        .map_err(query_api::ApiError::internal)?;
    let Some(uuid) = existing else {
        let a = query_api::autorisaties::register(state, operator, ctx, attributes.clone()).await;
        applied.applicaties_registered += a.is_ok() as usize;
        return a;
    };
    let before = state
        .commands
        .load_state::<domain::applicatie::ApplicatieAggregate>(uuid)
        .await
        .map_err(query_api::ApiError::internal)?
        .0;
    let change = |_: &domain::applicatie::Applicatie| Ok(attributes.clone());
    let a = query_api::autorisaties::replace(state, operator, ctx, uuid, &change).await;
    if a.is_ok() && before.map(|b| b.attributes).as_ref() != Some(attributes) {
        applied.applicaties_updated += 1;
    }
    a
}

/// The applicatie holding the first of `client_ids` that is held.
async fn existing_applicatie(
    state: &AppState,
    client_ids: &[String],
) -> anyhow::Result<Option<Uuid>> {
    for client_id in client_ids {
        if let Some(uuid) = query_api::autorisaties::applicatie_of_client(state, client_id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
        {
            return Ok(Some(uuid));
        }
    }
    Ok(None)
}

fn problem(e: &query_api::ApiError) -> String {
    match e {
        query_api::ApiError::Validation(params) => params
            .iter()
            .map(|p| format!("{}: {} ({})", p.name, p.reason, p.code))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
