//! The published contract: the stored event envelope and every versioned event payload.
//!
//! Nothing here does IO. A stored event is `(event_type, schema_version, payload)`; a rename
//! in code never changes those strings, and an old `schema_version` is upcast on decode
//! (see [`zaak::ZaakEvent::decode`]).

pub mod applicatie;
pub mod claim;
pub mod envelope;
pub mod schemas;
pub mod zaak;

pub use envelope::{Actor, EventMetadata, Tenant};

/// A versioned event payload that can be stored.
pub trait VersionedEvent: Sized {
    /// The aggregate category, the part of the stream name before the first dash.
    const CATEGORY: &'static str;
    /// The stored type name of this event.
    fn event_type(&self) -> &'static str;
    /// The schema version this code writes for `event_type`.
    fn schema_version(&self) -> u16;
    /// The stored payload (without type tag).
    fn to_payload(&self) -> serde_json::Value;
    /// Decode a stored payload, upcasting older schema versions.
    fn decode(
        event_type: &str,
        schema_version: u16,
        payload: serde_json::Value,
    ) -> Result<Self, DecodeError>;
}

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("unknown event type {event_type} v{schema_version}")]
    UnknownType {
        event_type: String,
        schema_version: u16,
    },
    #[error("event {event_type} v{schema_version} does not match its schema: {source}")]
    Payload {
        event_type: String,
        schema_version: u16,
        #[source]
        source: serde_json::Error,
    },
}

/// The stream of one aggregate instance: `{category}-{uuid}`.
pub fn stream_name(category: &str, id: uuid::Uuid) -> String {
    format!("{category}-{id}")
}
