//! Claim streams: a set-wide uniqueness rule (e.g. one identificatie per bronorganisatie)
//! is a stream `claim-{hash of the key}` appended with the "no stream" expectation, so the
//! first writer wins without a lock.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::VersionedEvent;

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

crate::versioned_events! {
    /// Events of claim streams (`claim-{hash of the key}`).
    #[derive(Eq)]
    pub enum ClaimEvent in "claim" {
        Claimed(ClaimedV1) = "Claimed" v 1,
        Released(ReleasedV1) = "Released" v 1,
    }
}

impl ClaimEvent {
    /// The claim stream of a key.
    pub fn stream(key: &str) -> String {
        let digest = Sha256::digest(key.as_bytes());
        format!("{}-{}", Self::CATEGORY, hex::encode(&digest[..16]))
    }
}
