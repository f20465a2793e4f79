//! The HTTP face: one axum router per ZGW API (each a folder with routes, dto, filters),
//! GraphQL, JWT-ZGW authentication and problem+json errors.

mod assets;
mod auditor;
mod audittrail;
pub mod auth;
pub mod authorisation;
pub mod autorisaties;
pub mod besluiten;
pub mod catalogi;
mod clients;
pub mod concurrency;
pub mod contactgegevens;
pub mod documenten;
pub mod error;
mod feed;
mod fields;
pub mod graphql;
mod headers;
pub mod health;
pub mod iso8601;
pub mod klantinteracties;
pub mod limits;
mod list_filters;
pub mod monitoring;
pub mod notificaties;
mod one_call;
pub mod openapi;
mod pagination;
mod problem;
pub mod reads;
pub mod referentielijsten;
pub mod remote;
mod resource;
mod roots;
pub mod scopes;
pub mod secrets;
pub mod sync;
mod time_travel;
pub mod token;
pub mod tokens;
mod trace;
pub mod zaken;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use commands::{CommandHandler, Context};
use event_store::Position;
use projections::render::Urls;
use projections::Progress;
use sqlx::PgPool;
use tower_http::catch_panic::CatchPanicLayer;
use uuid::Uuid;

pub use auth::{Caller, Credentials};
pub use error::ApiError;
pub use fields::is_http_url;

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub commands: CommandHandler,
    pub progress: Progress,
    pub urls: Arc<Urls>,
    pub credentials: Arc<Credentials>,
    pub tenant: Arc<str>,
    pub graphql: graphql::ZgwSchema,
    /// Resources of other ZGW APIs, fetched by URL.
    pub remote: Arc<remote::Remote>,
    /// Root of the Referentielijsten/Selectielijst API the catalogue refers to, when
    /// configured (`referentielijsten`).
    pub selectielijst: Option<Arc<str>>,
    /// Publishing a zaaktype also needs a roltype, a resultaattype and two statustypen
    /// (Open Zaak's rule, stricter than Catalogi 1.3; off by default).
    pub publish_requires_children: bool,
    /// Document content storage and upload sizes (Documenten API).
    pub documenten: Arc<documenten::Settings>,
    /// How long a write waits for the read models to show it (read-your-writes).
    pub read_your_writes: Duration,
    /// Sizes and times a request may take (`limits`).
    pub limits: Arc<limits::HttpLimits>,
    /// What `/readyz` checks.
    pub health: Arc<health::Health>,
    /// What `/metrics` renders.
    pub metrics: monitoring::Metrics,
    /// Who read what (`reads`).
    pub reads: reads::ReadLog,
}

impl AppState {
    /// The envelope context of a write by `caller`.
    pub fn context(&self, caller: &Caller) -> Context {
        Context {
            actor: caller.actor.clone(),
            tenant: self.tenant.to_string(),
            correlation_id: Uuid::now_v7(),
            causation_id: None,
            event_id_seed: None,
            precondition: None,
            now: commands::now(),
            toelichting: caller.toelichting.clone(),
            traceparent: projections::trace::current(),
        }
    }

    /// The envelope context of a write Zaakstroom makes itself (start-up, the setup file):
    /// `client_id` names the part that acts.
    pub fn system_context(&self, client_id: &str, representation: &str) -> Context {
        Context {
            actor: event_schemas::Actor {
                client_id: client_id.into(),
                user_id: String::new(),
                user_representation: representation.into(),
                ..Default::default()
            },
            tenant: self.tenant.to_string(),
            correlation_id: Uuid::now_v7(),
            causation_id: None,
            event_id_seed: None,
            precondition: None,
            now: commands::now(),
            toelichting: String::new(),
            traceparent: projections::trace::current(),
        }
    }

    /// Returns once `projection` has applied `position` (or the bound passed, logged).
    pub async fn wait_for(&self, projection: &'static str, position: Option<Position>) {
        let Some(position) = position else { return };
        if !self
            .progress
            .wait_for(projection, position, self.read_your_writes)
            .await
        {
            tracing::warn!(projection, %position, "read model did not catch up within the bound");
        }
    }
}

/// All APIs, GraphQL and the middleware.
pub fn app(state: AppState) -> Router {
    // Every API's body limit; the Documenten API sets its own (base64 content, parts).
    let budget = &state.limits.body_memory;
    let limit = |router| limits::body_limit(router, state.limits.max_body, Some(budget));
    Router::new()
        .nest("/zaken/api/v1", limit(roots::with_root(zaken::router())))
        .nest(
            "/autorisaties/api/v1",
            limit(roots::with_root(autorisaties::router())),
        )
        .nest(
            "/catalogi/api/v1",
            limit(roots::with_root(catalogi::router())),
        )
        .nest(
            "/besluiten/api/v1",
            limit(roots::with_root(besluiten::router())),
        )
        .nest(
            "/notificaties/api/v1",
            limit(roots::with_root(notificaties::router())),
        )
        .nest(
            klantinteracties::PREFIX,
            limit(roots::with_root(klantinteracties::router())),
        )
        .nest(
            contactgegevens::PREFIX,
            limit(roots::with_root(contactgegevens::router())),
        )
        .nest(
            "/documenten/api/v1",
            roots::with_root(documenten::router(&state.documenten, budget)),
        )
        .merge(limit(graphql::router()))
        .merge(feed::router())
        .merge(auditor::router())
        .merge(health::router())
        .merge(monitoring::router())
        .merge(roots::slashed())
        .merge(openapi::router())
        .fallback(|| async { ApiError::NotFound })
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                ApiError::internal("a request handler panicked").into_response()
            },
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::guard,
        ))
        .layer(axum::middleware::from_fn(problem::bare_errors))
        .layer(axum::middleware::from_fn(log_errors))
        .layer(axum::middleware::from_fn(monitoring::track))
        .layer(axum::middleware::from_fn(trace::server_span))
        .with_state(state)
}

/// What a process without the API role serves on its listen address: `/healthz`,
/// `/readyz` and `/metrics` (its workers' metrics are recorded in this process), nothing
/// else.
pub fn probes(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(monitoring::router())
        .fallback(|| async { ApiError::NotFound })
        .layer(axum::middleware::from_fn(monitoring::track))
        .with_state(state)
}

/// Logs each server error once, here, with the detail the client does not see.
async fn log_errors(request: Request, next: Next) -> Response {
    let (method, uri) = (request.method().clone(), request.uri().clone());
    let response = next.run(request).await;
    if let Some(err) = response.extensions().get::<error::LoggedError>() {
        tracing::error!(%method, %uri, error = %err.0, "request failed");
    }
    response
}
