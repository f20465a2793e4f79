//! The published contract: the stored event envelope and every versioned event payload.
//!
//! Nothing here does IO. A stored event is `(event_type, schema_version, payload)`; a rename
//! in code never changes those strings, and an old `schema_version` is upcast on decode
//! (see [`zaak::ZaakEvent::decode`]).

pub mod applicatie;
pub mod besluit;
pub mod catalogus;
pub mod claim;
pub mod contactgegevens;
pub mod document;
pub mod envelope;
pub mod klantinteracties;
pub mod notificaties;
pub mod schemas;
pub mod zaak;

pub use envelope::{Actor, EventMetadata, Tenant};

/// The category of every aggregate, each a stream name's part before its first dash. An
/// event store that filters the log by stream name (the KurrentDB adapter) reads only
/// these: a new aggregate's category must be added here.
pub const CATEGORIES: &[&str] = &[
    <zaak::ZaakEvent as VersionedEvent>::CATEGORY,
    <besluit::BesluitEvent as VersionedEvent>::CATEGORY,
    <document::DocumentEvent as VersionedEvent>::CATEGORY,
    <applicatie::ApplicatieEvent as VersionedEvent>::CATEGORY,
    <catalogus::CatalogusEvent as VersionedEvent>::CATEGORY,
    <catalogus::CatalogusObjectEvent as VersionedEvent>::CATEGORY,
    <claim::ClaimEvent as VersionedEvent>::CATEGORY,
    <notificaties::KanaalEvent as VersionedEvent>::CATEGORY,
    <notificaties::AbonnementEvent as VersionedEvent>::CATEGORY,
    <notificaties::NotificatieEvent as VersionedEvent>::CATEGORY,
    <klantinteracties::partij::PartijEvent as VersionedEvent>::CATEGORY,
    <klantinteracties::klantcontact::KlantcontactEvent as VersionedEvent>::CATEGORY,
    <klantinteracties::overig::InternetaakEvent as VersionedEvent>::CATEGORY,
    <klantinteracties::overig::ActorEvent as VersionedEvent>::CATEGORY,
    <klantinteracties::overig::CategorieEvent as VersionedEvent>::CATEGORY,
    <klantinteracties::overig::CategorieRelatieEvent as VersionedEvent>::CATEGORY,
    <contactgegevens::PersoonEvent as VersionedEvent>::CATEGORY,
    <contactgegevens::OrganisatieEvent as VersionedEvent>::CATEGORY,
];

/// A versioned event payload that can be stored.
pub trait VersionedEvent: Sized {
    /// The aggregate category, the part of the stream name before the first dash (listed
    /// in [`CATEGORIES`]).
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

/// Declares an aggregate's event enum with its stored names and versions, and implements
/// [`VersionedEvent`] and the JSON Schemas of its payloads from that one list:
///
/// ```ignore
/// versioned_events! {
///     /// Events of the zaak aggregate.
///     pub enum ZaakEvent in "zaak" {
///         ZaakCreated(ZaakCreatedV1) = "ZaakCreated" v1,
///     }
/// }
/// ```
///
/// An enum that must upcast an older payload version implements `VersionedEvent` by hand.
#[macro_export]
macro_rules! versioned_events {
    (
        $(#[$meta:meta])*
        pub enum $name:ident in $category:literal {
            $($variant:ident($payload:ty) = $stored:literal v $version:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $name {
            $($variant($payload)),+
        }

        impl $name {
            /// `(type, version)` of every payload this code writes.
            pub const CURRENT: &'static [(&'static str, u16)] = &[$(($stored, $version)),+];

            /// The JSON Schema of every current payload, named `{category}/{type}.v{n}.json`.
            pub fn schemas() -> Vec<(String, schemars::Schema)> {
                vec![$((
                    format!("{}/{}.v{}.json", $category, $stored, $version),
                    schemars::schema_for!($payload),
                )),+]
            }
        }

        impl $crate::VersionedEvent for $name {
            const CATEGORY: &'static str = $category;

            fn event_type(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => $stored),+
                }
            }

            fn schema_version(&self) -> u16 {
                match self {
                    $(Self::$variant(_) => $version),+
                }
            }

            fn to_payload(&self) -> serde_json::Value {
                let value = match self {
                    $(Self::$variant(e) => serde_json::to_value(e)),+
                };
                value.expect("event payloads are plain data and always serialize")
            }

            fn decode(
                event_type: &str,
                schema_version: u16,
                payload: serde_json::Value,
            ) -> Result<Self, $crate::DecodeError> {
                let err = |source| $crate::DecodeError::Payload {
                    event_type: event_type.to_owned(),
                    schema_version,
                    source,
                };
                match (event_type, schema_version) {
                    $(($stored, $version) => serde_json::from_value(payload)
                        .map(Self::$variant)
                        .map_err(err),)+
                    _ => Err($crate::DecodeError::UnknownType {
                        event_type: event_type.to_owned(),
                        schema_version,
                    }),
                }
            }
        }
    };
}
