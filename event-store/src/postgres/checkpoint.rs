//! Sealing the heads of every stream into a signed checkpoint (`es_checkpoints`, its heads
//! in `es_checkpoint_heads`) and exporting it as the JSON document an outside party keeps.

use std::io::Write;

use chrono::Utc;
use ed25519_dalek::SigningKey;
use futures::TryStreamExt;
use sqlx::postgres::PgRow;
use sqlx::Row;

use super::read::{to_i64, to_u64};
use super::PgEventStore;
use crate::verify::checkpoint::{Checkpoint, Head, Seal, FORMAT};
use crate::verify::merkle::{leaf_hash, MerkleTree};
use crate::StoreError;

/// Heads written per statement: each its own short transaction (an open writing
/// transaction holds every subscriber of the log back, ADR 0001).
const HEADS_PER_INSERT: usize = 5_000;

/// A checkpoint as stored: the document without its heads.
#[derive(Debug, Clone)]
pub struct Sealed {
    pub id: i64,
    pub seal: Seal,
    pub public_key: String,
    pub signature: String,
}

/// A checkpoint being sealed: its id, instant, the Merkle tree of its heads so far and the
/// heads not yet stored.
struct Sealing {
    id: i64,
    sealed_at: String,
    tree: MerkleTree,
    chunk: Vec<Head>,
}

impl PgEventStore {
    /// Seals the head of every stream that is not deleted: reads them in one statement
    /// (one snapshot), stores them, signs their Merkle root with `key` and stores the
    /// checkpoint. Refuses when a head in es_streams is not its stream's last event (run
    /// `verify`: the log is not intact).
    pub async fn seal_checkpoint(&self, key: &SigningKey) -> Result<Sealed, StoreError> {
        let mut sealing = self.begin_seal().await?;
        let mut rows = sqlx::query(
            r#"SELECT s.stream, s.version, s.last_hash AS hash, e.hash AS event_hash
               FROM es_streams s LEFT JOIN es_events e ON e.stream = s.stream AND e.revision = s.version
               WHERE NOT s.deleted ORDER BY s.stream COLLATE "C""#,
        )
        .fetch(self.pool());
        while let Some(row) = rows.try_next().await? {
            let head = head(&row)?;
            if row.try_get::<Option<String>, _>("event_hash")?.as_deref() != Some(&head.hash) {
                return Err(StoreError::Corrupt(format!(
                    "es_streams names revision {} of {} with hash {}, which is not in the log: \
                     run `zaakstroom verify`; nothing was sealed",
                    head.version, head.stream, head.hash
                )));
            }
            self.push_head(&mut sealing, head).await?;
        }
        drop(rows);
        self.finish_seal(sealing, key).await
    }

    /// Seals `heads` (sorted by stream name byte-wise, each stream once), as found by a walk
    /// of a log kept elsewhere (KurrentDB, `verify::port`), and stores the checkpoint here.
    pub async fn seal_heads(
        &self,
        key: &SigningKey,
        heads: Vec<Head>,
    ) -> Result<Sealed, StoreError> {
        let mut sealing = self.begin_seal().await?;
        for head in heads {
            self.push_head(&mut sealing, head).await?;
        }
        self.finish_seal(sealing, key).await
    }

    async fn begin_seal(&self) -> Result<Sealing, StoreError> {
        let id: i64 =
            sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('es_checkpoints', 'id'))")
                .fetch_one(self.pool())
                .await?;
        Ok(Sealing {
            id,
            sealed_at: Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            tree: MerkleTree::default(),
            chunk: Vec::with_capacity(HEADS_PER_INSERT),
        })
    }

    async fn push_head(&self, sealing: &mut Sealing, head: Head) -> Result<(), StoreError> {
        sealing
            .tree
            .push(leaf_hash(&head.stream, head.version, &head.hash));
        sealing.chunk.push(head);
        if sealing.chunk.len() == HEADS_PER_INSERT {
            self.store_heads(sealing.id, &sealing.chunk).await?;
            sealing.chunk.clear();
        }
        Ok(())
    }

    /// Stores the last heads, signs the root and stores the checkpoint.
    async fn finish_seal(&self, sealing: Sealing, key: &SigningKey) -> Result<Sealed, StoreError> {
        let Sealing {
            id,
            sealed_at,
            tree,
            chunk,
        } = sealing;
        self.store_heads(id, &chunk).await?;
        let seal = Seal {
            sealed_at,
            streams: tree.leaves(),
            root: tree.root(),
        };
        let sealed = Sealed {
            id,
            signature: seal.sign(key),
            public_key: hex::encode(key.verifying_key().as_bytes()),
            seal,
        };
        sqlx::query(
            "INSERT INTO es_checkpoints (id, sealed_at, streams, root, public_key, signature)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(&sealed.seal.sealed_at)
        .bind(to_i64(sealed.seal.streams))
        .bind(&sealed.seal.root)
        .bind(&sealed.public_key)
        .bind(&sealed.signature)
        .execute(self.pool())
        .await?;
        Ok(sealed)
    }

    async fn store_heads(&self, id: i64, heads: &[Head]) -> Result<(), StoreError> {
        if heads.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO es_checkpoint_heads (checkpoint_id, stream, version, hash)
             SELECT $1, * FROM UNNEST($2::text[], $3::bigint[], $4::text[])",
        )
        .bind(id)
        .bind(heads.iter().map(|h| h.stream.as_str()).collect::<Vec<_>>())
        .bind(heads.iter().map(|h| to_i64(h.version)).collect::<Vec<_>>())
        .bind(heads.iter().map(|h| h.hash.as_str()).collect::<Vec<_>>())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The stored checkpoints, newest first.
    pub async fn checkpoints(&self) -> Result<Vec<Sealed>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, sealed_at, streams, root, public_key, signature FROM es_checkpoints
             ORDER BY id DESC",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Sealed {
                    id: r.try_get("id")?,
                    seal: Seal {
                        sealed_at: r.try_get("sealed_at")?,
                        streams: to_u64(r.try_get("streams")?),
                        root: r.try_get("root")?,
                    },
                    public_key: r.try_get("public_key")?,
                    signature: r.try_get("signature")?,
                })
            })
            .collect()
    }

    /// Writes checkpoint `id` (the newest when `None`) as its JSON document to `out`,
    /// streaming its heads. Fails when no such checkpoint exists, or when its stored heads
    /// no longer give its signed root (the table was changed: the export would not check).
    pub async fn export_checkpoint(
        &self,
        id: Option<i64>,
        out: &mut impl Write,
    ) -> Result<Sealed, StoreError> {
        let sealed = self
            .checkpoints()
            .await?
            .into_iter()
            .find(|c| id.is_none_or(|id| id == c.id))
            .ok_or_else(|| StoreError::Corrupt(format!("no checkpoint {}", describe(id))))?;
        let io = |e: std::io::Error| StoreError::Corrupt(format!("writing the checkpoint: {e}"));
        let json =
            |e: serde_json::Error| StoreError::Corrupt(format!("writing the checkpoint: {e}"));
        let header = Checkpoint {
            format: FORMAT.into(),
            id: sealed.id,
            seal: sealed.seal.clone(),
            public_key: sealed.public_key.clone(),
            signature: sealed.signature.clone(),
            heads: Vec::new(),
        };
        // The header as serde writes it, its empty `heads` opened to take them one by one.
        let header = serde_json::to_string(&header).map_err(json)?;
        let open = header.strip_suffix("[]}").expect("heads come last");
        out.write_all(open.as_bytes()).map_err(io)?;
        out.write_all(b"[\n").map_err(io)?;
        let mut tree = MerkleTree::default();
        let mut rows = sqlx::query(
            r#"SELECT stream, version, hash FROM es_checkpoint_heads WHERE checkpoint_id = $1
               ORDER BY stream COLLATE "C""#,
        )
        .bind(sealed.id)
        .fetch(self.pool());
        while let Some(row) = rows.try_next().await? {
            let head = head(&row)?;
            tree.push(leaf_hash(&head.stream, head.version, &head.hash));
            if tree.leaves() > 1 {
                out.write_all(b",\n").map_err(io)?;
            }
            serde_json::to_writer(&mut *out, &head).map_err(json)?;
        }
        out.write_all(b"\n]}\n").map_err(io)?;
        if tree.root() != sealed.seal.root || tree.leaves() != sealed.seal.streams {
            return Err(StoreError::Corrupt(format!(
                "checkpoint {}: its stored heads give root {} over {} heads, it sealed {} over {}: \
                 es_checkpoint_heads was changed",
                sealed.id,
                tree.root(),
                tree.leaves(),
                sealed.seal.root,
                sealed.seal.streams
            )));
        }
        Ok(sealed)
    }
}

fn head(row: &PgRow) -> Result<Head, StoreError> {
    Ok(Head {
        stream: row.try_get("stream")?,
        version: to_u64(row.try_get("version")?),
        hash: row.try_get("hash")?,
    })
}

fn describe(id: Option<i64>) -> String {
    id.map_or(
        "at all (seal one with `zaakstroom checkpoint seal`)".into(),
        |i| i.to_string(),
    )
}
