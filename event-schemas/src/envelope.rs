//! The envelope every stored event carries besides its payload.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Who caused an event: the authenticated ZGW client and the user it acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
pub struct Actor {
    pub client_id: String,
    pub user_id: String,
    pub user_representation: String,
    /// The label of the client's applicatie when it acted (the audit trail's
    /// applicatieWeergave); absent in events written before it was recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub applicatie_weergave: String,
}

/// The tenant (municipality) an event belongs to; travels in the envelope, not the stream name.
pub type Tenant = String;

/// Envelope fields the writer chooses; the store adds stream, revision, position and hashes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EventMetadata {
    pub occurred_at: DateTime<Utc>,
    pub actor: Actor,
    pub tenant: Tenant,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    /// Why the change was made, in the client's words (the ZGW `X-Audit-Toelichting`
    /// header; the audit trail's toelichting). Absent when empty, so the hashes of events
    /// written before it was recorded are unchanged.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub toelichting: String,
    /// The W3C trace context (`traceparent`, e.g.
    /// `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`) of the request that wrote
    /// the event, so its projection, notifications and webhooks join that trace. Absent when
    /// the writer was not traced, and in events written before it was recorded (their hashes
    /// are unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceparent: Option<String>,
}

/// The full envelope of a stored event, as published on `events.{tenant}.{aggregate}.{type}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Envelope {
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u16,
    pub stream: String,
    /// 0-based revision of the event within its stream.
    pub revision: u64,
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// Hex SHA-256 of the previous event in the stream; empty for the first.
    pub prev_hash: String,
    /// Hex SHA-256 over this event's fields and `prev_hash`.
    pub hash: String,
    pub payload: serde_json::Value,
}

/// Fields covered by an event's hash: chaining each event to the previous one in its stream
/// makes any later edit of a stored event (or removal from the middle) detectable.
#[derive(Clone, Copy)]
pub struct HashInput<'a> {
    pub prev_hash: &'a str,
    pub event_id: Uuid,
    pub stream: &'a str,
    pub revision: u64,
    pub event_type: &'a str,
    pub schema_version: u16,
    pub metadata: &'a EventMetadata,
    pub payload: &'a serde_json::Value,
}

impl HashInput<'_> {
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        };
        field(self.prev_hash.as_bytes());
        field(self.event_id.as_bytes());
        field(self.stream.as_bytes());
        field(&self.revision.to_be_bytes());
        field(self.event_type.as_bytes());
        field(&self.schema_version.to_be_bytes());
        // The metadata in its fields' declaration order, the payload with its keys sorted
        // (serde_json without `preserve_order`): docs/hash-chain.md defines the bytes, and
        // tests/hash_known_answers.rs pins them to values computed outside this code.
        field(&serde_json::to_vec(self.metadata).unwrap_or_default());
        field(&serde_json::to_vec(self.payload).unwrap_or_default());
        hex::encode(h.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata() -> EventMetadata {
        EventMetadata {
            occurred_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            actor: Actor::default(),
            tenant: "t".into(),
            correlation_id: Uuid::nil(),
            causation_id: None,
            toelichting: String::new(),
            traceparent: None,
        }
    }

    #[test]
    fn changing_any_hashed_field_changes_the_hash() {
        let m = metadata();
        let payload = serde_json::json!({"a": 1});
        let base = HashInput {
            prev_hash: "",
            event_id: Uuid::nil(),
            stream: "zaak-1",
            revision: 0,
            event_type: "ZaakCreated",
            schema_version: 1,
            metadata: &m,
            payload: &payload,
        };
        let other_payload = serde_json::json!({"a": 2});
        let changed = HashInput {
            payload: &other_payload,
            ..base
        };
        assert_ne!(base.hash(), changed.hash());
        let moved = HashInput {
            revision: 1,
            ..base
        };
        assert_ne!(base.hash(), moved.hash());
        let rechained = HashInput {
            prev_hash: "00",
            ..base
        };
        assert_ne!(base.hash(), rechained.hash());
        assert_eq!(base.hash(), base.hash());
        assert_eq!(base.hash().len(), 64);
    }

    #[test]
    fn an_envelope_written_before_traceparent_reads_back_without_one_and_hashes_alike() {
        let old = serde_json::json!({
            "occurred_at": "2026-11-01T10:00:00Z",
            "actor": {"client_id": "c", "user_id": "u", "user_representation": "U"},
            "tenant": "t",
            "correlation_id": Uuid::nil(),
            "causation_id": null,
        });
        let read: EventMetadata = serde_json::from_value(old.clone()).unwrap();
        assert_eq!(read.traceparent, None);
        assert_eq!(serde_json::to_value(&read).unwrap(), old, "nothing added");
        let traced = EventMetadata {
            traceparent: Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".into()),
            ..read.clone()
        };
        let back: EventMetadata =
            serde_json::from_value(serde_json::to_value(&traced).unwrap()).unwrap();
        assert_eq!(back, traced);
        let payload = serde_json::json!({});
        let hash = |metadata: &EventMetadata| {
            HashInput {
                prev_hash: "",
                event_id: Uuid::nil(),
                stream: "zaak-1",
                revision: 0,
                event_type: "ZaakCreated",
                schema_version: 1,
                metadata,
                payload: &payload,
            }
            .hash()
        };
        assert_ne!(
            hash(&read),
            hash(&traced),
            "the hash covers the traceparent"
        );
    }

    /// PostgreSQL's jsonb hands a stored float back as a plain decimal (f64::MAX as 309
    /// digits); a payload must read back from that form, or its stream can no longer be
    /// loaded (serde_json needs `float_roundtrip` for it).
    #[test]
    fn a_payload_float_reads_back_from_its_plain_decimal_form() {
        for x in [
            f64::MAX,
            -1.873_734_099_570_642_5e132,
            9.584_375_005_905_172e-132,
        ] {
            let decimal = format!("{x}");
            let read: serde_json::Value = serde_json::from_str(&decimal).expect(&decimal);
            assert_eq!(read.as_f64(), Some(x));
        }
    }
}
