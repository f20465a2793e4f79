//! Catch-up subscribers that derive everything from the event log: read models (each with
//! its checkpoint in the same transaction as its rows) and side effects (NATS).

pub mod applicaties;
mod audit;
pub mod besluiten;
pub mod catalogi;
mod deelzaken;
pub mod documenten;
mod fold;
pub mod history;
pub mod klantcontacten;
pub mod maintenance;
pub mod notifier;
pub mod objecten;
pub mod partijen;
pub mod render;
pub mod runtime;
pub mod snapshots;
pub mod trace;
pub mod waiter;
pub mod webhooks;
pub mod zaak_parts;
pub mod zaken;

pub use runtime::{Projection, ProjectionError, Runner};
pub use waiter::Progress;

use sqlx::PgPool;

/// The versions of the read-model migrations this binary embeds.
pub fn migration_versions() -> Vec<i64> {
    sqlx::migrate!("./migrations")
        .iter()
        .map(|m| m.version)
        .collect()
}

/// Creates or upgrades the read-model tables.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    let mut migrator = sqlx::migrate!("./migrations");
    // The event-log migrations share the database and its migration table.
    migrator.set_ignore_missing(true);
    migrator.run(pool).await
}
