//! Claim streams: a set-wide uniqueness rule (e.g. one identificatie per bronorganisatie)
//! is a stream `claim-{hash of the key}` appended with the "no stream" expectation, so the
//! first writer wins without a lock.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{DecodeError, VersionedEvent};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClaimedV1 {
    /// What is claimed, e.g. `zaak-identificatie/517439943/ZAAK-2026-0000000001`.
    pub key: String,
    /// The stream of the aggregate that holds the claim.
    pub owner: String,
}

/// The holder gave the key up (its aggregate was deleted or stopped using the key); the
/// next claim appends after this event with the stream's revision as expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReleasedV1 {
    pub key: String,
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimEvent {
    Claimed(ClaimedV1),
    Released(ReleasedV1),
}

impl ClaimEvent {
    /// The claim stream of a key.
    pub fn stream(key: &str) -> String {
        let digest = Sha256::digest(key.as_bytes());
        format!("{}-{}", Self::CATEGORY, hex::encode(&digest[..16]))
    }
}

impl VersionedEvent for ClaimEvent {
    const CATEGORY: &'static str = "claim";

    fn event_type(&self) -> &'static str {
        match self {
            Self::Claimed(_) => "Claimed",
            Self::Released(_) => "Released",
        }
    }

    fn schema_version(&self) -> u16 {
        1
    }

    fn to_payload(&self) -> serde_json::Value {
        match self {
            Self::Claimed(e) => serde_json::to_value(e),
            Self::Released(e) => serde_json::to_value(e),
        }
        .expect("claims are plain data")
    }

    fn decode(
        event_type: &str,
        schema_version: u16,
        payload: serde_json::Value,
    ) -> Result<Self, DecodeError> {
        let err = |source| DecodeError::Payload {
            event_type: event_type.to_owned(),
            schema_version,
            source,
        };
        match (event_type, schema_version) {
            ("Claimed", 1) => serde_json::from_value(payload)
                .map(Self::Claimed)
                .map_err(err),
            ("Released", 1) => serde_json::from_value(payload)
                .map(Self::Released)
                .map_err(err),
            _ => Err(DecodeError::UnknownType {
                event_type: event_type.to_owned(),
                schema_version,
            }),
        }
    }
}
