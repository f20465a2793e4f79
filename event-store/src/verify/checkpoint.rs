//! A signed checkpoint: every stream's head (stream, version, hash) at one moment, sealed
//! into a Merkle root and signed with Ed25519, exported as a JSON document that an outside
//! party keeps. A later rewrite of the whole database (hashes recomputed consistently) no
//! longer matches it. The format is defined in docs/hash-chain.md.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::merkle::{leaf_hash, MerkleTree};

pub const FORMAT: &str = "zaakstroom-checkpoint/1";

/// One stream's head at the checkpoint: its last event's revision and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub stream: String,
    pub version: u64,
    pub hash: String,
}

/// The exported document. Only `sealed_at`, `streams` and `root` are signed (with the
/// format name, see [`Seal::message`]); `heads` are bound to them by the root.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    pub format: String,
    /// Its row in `es_checkpoints` of the database it was sealed in (not signed).
    pub id: i64,
    #[serde(flatten)]
    pub seal: Seal,
    /// Hex Ed25519 public key (32 bytes) the signature verifies with.
    pub public_key: String,
    /// Hex Ed25519 signature (64 bytes) of [`Seal::message`].
    pub signature: String,
    /// Sorted by stream name, byte-wise (UTF-8), each stream once.
    pub heads: Vec<Head>,
}

/// What the signature covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    /// RFC 3339 UTC with microseconds, e.g. `2026-12-14T03:00:00.000000Z`.
    pub sealed_at: String,
    /// The number of heads (streams that exist and are not deleted).
    pub streams: u64,
    /// Hex Merkle root over the heads (docs/hash-chain.md).
    pub root: String,
}

impl Seal {
    /// `zaakstroom-checkpoint/1\nsealed_at=...\nstreams=...\nroot=...\n`, UTF-8.
    pub fn message(&self) -> Vec<u8> {
        format!(
            "{FORMAT}\nsealed_at={}\nstreams={}\nroot={}\n",
            self.sealed_at, self.streams, self.root
        )
        .into_bytes()
    }

    pub fn sign(&self, key: &SigningKey) -> String {
        hex::encode(key.sign(&self.message()).to_bytes())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CheckpointError {
    #[error("not a checkpoint of this kind (format {0:?}, expected {FORMAT:?})")]
    Format(String),
    #[error("heads are not sorted by stream name, or name a stream twice, at {0:?}")]
    Unsorted(String),
    #[error("the document names {listed} heads but says it seals {sealed}")]
    Count { listed: u64, sealed: u64 },
    #[error(
        "the heads' Merkle root is {computed}, the document says {sealed}: heads were changed"
    )]
    Root { sealed: String, computed: String },
    #[error("the public key is not a valid Ed25519 key: {0}")]
    Key(String),
    #[error("signed with key {found}, not with the trusted key {trusted}")]
    Untrusted { found: String, trusted: String },
    #[error("the signature does not verify with key {0}: the document was changed or not signed with it")]
    Signature(String),
}

/// The Merkle root of `heads` in the order given.
pub fn root_of<'a>(heads: impl IntoIterator<Item = &'a Head>) -> (String, u64) {
    let mut tree = MerkleTree::default();
    for h in heads {
        tree.push(leaf_hash(&h.stream, h.version, &h.hash));
    }
    (tree.root(), tree.leaves())
}

pub fn parse_public_key(hex_key: &str) -> Result<VerifyingKey, CheckpointError> {
    let bytes: [u8; 32] = hex::decode(hex_key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| CheckpointError::Key("expected 64 hex characters".into()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| CheckpointError::Key(e.to_string()))
}

impl Checkpoint {
    /// Checks the document on its own: its format, that its heads are sorted and give its
    /// root, and its signature, with `trusted` when given (which must then be the key it
    /// names) or else with the key it names itself.
    pub fn check(&self, trusted: Option<&VerifyingKey>) -> Result<(), CheckpointError> {
        if self.format != FORMAT {
            return Err(CheckpointError::Format(self.format.clone()));
        }
        if let Some(w) = self
            .heads
            .windows(2)
            .find(|w| w[0].stream.as_bytes() >= w[1].stream.as_bytes())
        {
            return Err(CheckpointError::Unsorted(w[1].stream.clone()));
        }
        let (root, listed) = root_of(&self.heads);
        if listed != self.seal.streams {
            return Err(CheckpointError::Count {
                listed,
                sealed: self.seal.streams,
            });
        }
        if root != self.seal.root {
            return Err(CheckpointError::Root {
                sealed: self.seal.root.clone(),
                computed: root,
            });
        }
        let named = parse_public_key(&self.public_key)?;
        if let Some(t) = trusted.filter(|t| **t != named) {
            return Err(CheckpointError::Untrusted {
                found: self.public_key.clone(),
                trusted: hex::encode(t.as_bytes()),
            });
        }
        let signature = hex::decode(&self.signature)
            .ok()
            .and_then(|b| Signature::from_slice(&b).ok())
            .ok_or_else(|| CheckpointError::Signature(self.public_key.clone()))?;
        named
            .verify(&self.seal.message(), &signature)
            .map_err(|_| CheckpointError::Signature(self.public_key.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(heads: Vec<Head>, key: &SigningKey) -> Checkpoint {
        let (root, streams) = root_of(&heads);
        let seal = Seal {
            sealed_at: "2026-12-14T03:00:00.000000Z".into(),
            streams,
            root,
        };
        Checkpoint {
            format: FORMAT.into(),
            id: 1,
            signature: seal.sign(key),
            seal,
            public_key: hex::encode(key.verifying_key().as_bytes()),
            heads,
        }
    }

    fn heads() -> Vec<Head> {
        ["claim-ab", "zaak-1", "zaak-2"]
            .iter()
            .enumerate()
            .map(|(i, s)| Head {
                stream: (*s).into(),
                version: i as u64,
                hash: format!("{i:064x}"),
            })
            .collect()
    }

    #[test]
    fn a_signed_checkpoint_checks_and_any_change_to_it_is_refused() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let cp = signed(heads(), &key);
        assert_eq!(cp.check(None), Ok(()));
        assert_eq!(cp.check(Some(&key.verifying_key())), Ok(()));

        let mut moved = cp.clone();
        moved.heads[1].version = 5;
        assert!(matches!(
            moved.check(None),
            Err(CheckpointError::Root { .. })
        ));

        let mut resealed = moved.clone();
        resealed.seal.root = root_of(&resealed.heads).0;
        assert!(matches!(
            resealed.check(None),
            Err(CheckpointError::Signature(_))
        ));

        let other = SigningKey::from_bytes(&[8; 32]);
        let forged = signed(moved.heads.clone(), &other);
        assert_eq!(
            forged.check(None),
            Ok(()),
            "self-consistent, under its own key"
        );
        assert!(matches!(
            forged.check(Some(&key.verifying_key())),
            Err(CheckpointError::Untrusted { .. })
        ));

        let mut unsorted = cp.clone();
        unsorted.heads.swap(0, 1);
        assert!(matches!(
            unsorted.check(None),
            Err(CheckpointError::Unsorted(_))
        ));
    }

    #[test]
    fn the_document_reads_back_as_written() {
        let cp = signed(heads(), &SigningKey::from_bytes(&[7; 32]));
        let json = serde_json::to_string(&cp).unwrap();
        let back: Checkpoint = serde_json::from_str(&json).unwrap();
        assert_eq!(back.check(None), Ok(()));
        assert_eq!(back.heads, cp.heads);
    }
}
