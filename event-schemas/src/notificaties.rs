//! Events of the Notificaties API: the `kanaal` and `abonnement` aggregates (streams
//! `kanaal-{uuid}`, `abonnement-{uuid}`), and the notifications outside publishers post
//! (stream `notificatie-{uuid}`, one event each), stored before they are acknowledged so
//! they are as durable as our own events.
//!
//! An abonnement's `auth` (the Authorization header its callback expects) is a secret and
//! never an event: it lives sealed beside the read models, like client secrets.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A kanaal: a named stream of notifications and the kenmerken its notifications carry
/// (what an abonnement may filter on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct KanaalAttributes {
    pub naam: String,
    #[serde(default)]
    pub documentatie_link: String,
    #[serde(default)]
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct KanaalCreatedV1 {
    pub uuid: Uuid,
    pub attributes: KanaalAttributes,
}

/// The kanaal as it is after the change (its naam never changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct KanaalUpdatedV1 {
    pub attributes: KanaalAttributes,
}

crate::versioned_events! {
    /// Events of the `kanaal` aggregate (stream `kanaal-{uuid}`).
    #[derive(Eq)]
    pub enum KanaalEvent in "kanaal" {
        Created(KanaalCreatedV1) = "KanaalCreated" v 1,
        Updated(KanaalUpdatedV1) = "KanaalUpdated" v 1,
    }
}

/// One kanaal an abonnement follows, with the kenmerken a notification must have (a value
/// or `*` for any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct KanaalFilter {
    pub naam: String,
    #[serde(default)]
    pub filters: BTreeMap<String, String>,
}

/// Open Notificaties' CloudEvents subscription: events whose type contains `type_substring`
/// and whose data match `filters`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CloudEventFilter {
    pub type_substring: String,
    #[serde(default)]
    pub filters: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AbonnementAttributes {
    pub callback_url: String,
    #[serde(default)]
    pub kanalen: Vec<KanaalFilter>,
    /// Notifications go out as CloudEvents (`application/cloudevents+json`).
    #[serde(default)]
    pub send_cloudevents: bool,
    #[serde(default)]
    pub cloudevent_filters: Vec<CloudEventFilter>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AbonnementCreatedV1 {
    pub uuid: Uuid,
    /// The client that subscribed: it (or an administrator) may change and end it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    pub attributes: AbonnementAttributes,
}

/// The abonnement as it is after the change (PUT and PATCH alike).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AbonnementUpdatedV1 {
    pub attributes: AbonnementAttributes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AbonnementDeletedV1 {}

crate::versioned_events! {
    /// Events of the `abonnement` aggregate (stream `abonnement-{uuid}`).
    #[derive(Eq)]
    pub enum AbonnementEvent in "abonnement" {
        Created(AbonnementCreatedV1) = "AbonnementCreated" v 1,
        Updated(AbonnementUpdatedV1) = "AbonnementUpdated" v 1,
        Deleted(AbonnementDeletedV1) = "AbonnementDeleted" v 1,
    }
}

/// A notification an outside publisher posted (`POST /notificaties`), normalised: kenmerken
/// keys in camelCase, `aanmaakdatum` in UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificatieReceivedV1 {
    pub kanaal: String,
    pub hoofd_object: String,
    pub resource: String,
    pub resource_url: String,
    pub actie: String,
    pub aanmaakdatum: DateTime<Utc>,
    #[serde(default)]
    pub kenmerken: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A CloudEvent an outside publisher posted (`POST /cloudevents`), kept as it came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CloudEventReceivedV1 {
    pub event: serde_json::Value,
}

crate::versioned_events! {
    /// Notifications from outside publishers (stream `notificatie-{uuid}`, one event each).
    #[derive(Eq)]
    pub enum NotificatieEvent in "notificatie" {
        Received(NotificatieReceivedV1) = "NotificatieReceived" v 1,
        CloudEventReceived(CloudEventReceivedV1) = "CloudEventReceived" v 1,
    }
}
