//! Klantinteracties as they were: a partij (`GET .../partijen/{uuid}?asOf=`) with its
//! identificatoren, digitale adressen, rekeningnummers and vertegenwoordigingen, and a
//! klantcontact (`GET .../klantcontacten/{uuid}?asOf=`) with its betrokkenen and
//! onderwerpobjecten, as they were then (they live in the owner's stream). Klantinteracties
//! are read under the scope alone (`crate::scopes`), then as now.

use chrono::{DateTime, Utc};
use domain::klantinteracties::klantcontact::{Klantcontact, KlantcontactAggregate};
use domain::klantinteracties::partij::{Partij, PartijAggregate};
use uuid::Uuid;

use super::past;
use crate::error::ApiError;
use crate::AppState;

/// Partij `uuid` at `instant`, with the time of the change shown.
pub async fn partij(
    s: &AppState,
    uuid: Uuid,
    instant: DateTime<Utc>,
) -> Result<(Partij, DateTime<Utc>), ApiError> {
    past::<PartijAggregate, _>(s, uuid, instant, "De partij").await
}

/// Klantcontact `uuid` at `instant`, with the time of the change shown.
pub async fn klantcontact(
    s: &AppState,
    uuid: Uuid,
    instant: DateTime<Utc>,
) -> Result<(Klantcontact, DateTime<Utc>), ApiError> {
    past::<KlantcontactAggregate, _>(s, uuid, instant, "Het klantcontact").await
}

/// An object without parts (`A` its aggregate) at `instant`; `what` names it as a sentence
/// begins.
pub async fn object<A, S>(
    s: &AppState,
    uuid: Uuid,
    instant: DateTime<Utc>,
    what: &str,
) -> Result<(S, DateTime<Utc>), ApiError>
where
    A: domain::Aggregate<State = Option<S>>,
    S: serde::de::DeserializeOwned,
{
    past::<A, S>(s, uuid, instant, what).await
}
