//! Document content in object storage (`object_store`): a local directory by default, any
//! store `object_store` can address by URL (e.g. `s3://bucket/prefix`) when configured.
//! Content is addressed by its SHA-256: it is written to `tmp/{uuid}` while hashing, then
//! moved to `sha256/{hex}` (or dropped when that exists already). Both ways are streamed in
//! chunks: an upload or download never sits in memory as a whole.

use std::sync::Arc;

use bytes::Bytes;
use event_schemas::document::ContentRef;
use futures::{Stream, StreamExt, TryStreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, WriteMultipart};
use sha2::{Digest, Sha256};

/// The part size of multipart writes, and how many may be in flight.
const PART_SIZE: usize = 5 * 1024 * 1024;
const IN_FLIGHT: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("object storage: {0}")]
    Store(#[from] object_store::Error),
    #[error("object storage location {0}: {1}")]
    Config(String, String),
    #[error("reading the upload: {0}")]
    Body(String),
    #[error("stored content {0} is missing")]
    Missing(String),
}

#[derive(Clone)]
pub struct ContentStore {
    store: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for ContentStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ContentStore({})", self.store)
    }
}

fn key(sha256: &str) -> Path {
    Path::from(format!("sha256/{sha256}"))
}

impl ContentStore {
    /// Content under a local directory (created when missing).
    pub fn local(dir: &std::path::Path) -> Result<Self, ContentError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| ContentError::Config(dir.display().to_string(), e.to_string()))?;
        Ok(Self {
            store: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
        })
    }

    /// Content in the store `url` names (`s3://bucket/prefix`, `file:///dir`, `memory:///`),
    /// configured by `options` (e.g. `aws_access_key_id`, `aws_endpoint`, `aws_region`).
    pub fn from_url(
        url: &str,
        options: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ContentError> {
        let parsed =
            url::Url::parse(url).map_err(|e| ContentError::Config(url.into(), e.to_string()))?;
        let (store, prefix) = object_store::parse_url_opts(&parsed, options)?;
        let store: Arc<dyn ObjectStore> = if prefix.as_ref().is_empty() {
            Arc::from(store)
        } else {
            Arc::new(PrefixStore::new(store, prefix))
        };
        Ok(Self { store })
    }

    /// Stores a stream of chunks; returns its hash and size.
    pub async fn put_stream<S, E>(&self, mut chunks: S) -> Result<ContentRef, ContentError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let tmp = Path::from(format!("tmp/{}", uuid::Uuid::new_v4()));
        let upload = self.store.put_multipart(&tmp).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = chunks.next().await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(ContentError::Body(e.to_string()));
                }
            };
            hasher.update(&chunk);
            size += chunk.len() as u64;
            writer.wait_for_capacity(IN_FLIGHT).await?;
            writer.put(chunk);
        }
        writer.finish().await?;
        let sha256 = hex::encode(hasher.finalize());
        let target = key(&sha256);
        if self.store.head(&target).await.is_ok() {
            self.store.delete(&tmp).await?;
        } else {
            self.store.rename(&tmp, &target).await?;
        }
        Ok(ContentRef { sha256, size })
    }

    pub async fn put_bytes(&self, bytes: Bytes) -> Result<ContentRef, ContentError> {
        let chunks: Vec<Result<Bytes, ContentError>> = bytes
            .chunks(PART_SIZE)
            .map(|c| Ok(bytes.slice_ref(c)))
            .collect();
        self.put_stream(futures::stream::iter(chunks)).await
    }

    /// The content as a stream of chunks.
    pub async fn get_stream(
        &self,
        content: &ContentRef,
    ) -> Result<impl Stream<Item = Result<Bytes, ContentError>> + Send + 'static, ContentError>
    {
        let got = match self.store.get(&key(&content.sha256)).await {
            Err(object_store::Error::NotFound { .. }) => {
                return Err(ContentError::Missing(content.sha256.clone()))
            }
            other => other?,
        };
        Ok(got.into_stream().map_err(ContentError::Store))
    }

    /// One content made of `parts` in order, streamed through (bestandsdelen on unlock).
    pub async fn concat(&self, parts: &[ContentRef]) -> Result<ContentRef, ContentError> {
        let mut streams = Vec::with_capacity(parts.len());
        for p in parts {
            streams.push(self.get_stream(p).await?.boxed());
        }
        self.put_stream(futures::stream::iter(streams).flatten())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn content_is_stored_once_under_its_sha256_and_read_back_whole() {
        let dir = std::env::temp_dir().join(format!("zaakstroom-content-{}", uuid::Uuid::new_v4()));
        let store = ContentStore::local(&dir).unwrap();
        let a = store
            .put_bytes(Bytes::from_static(b"hello "))
            .await
            .unwrap();
        let again = store
            .put_bytes(Bytes::from_static(b"hello "))
            .await
            .unwrap();
        assert_eq!(a, again);
        assert_eq!(a.size, 6);
        assert_eq!(a.sha256, hex::encode(Sha256::digest(b"hello ")));
        let b = store.put_bytes(Bytes::from_static(b"world")).await.unwrap();
        let merged = store.concat(&[a, b]).await.unwrap();
        let bytes: Vec<Bytes> = store
            .get_stream(&merged)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(bytes.concat(), b"hello world");
        assert!(std::fs::read_dir(dir.join("tmp")).map_or(true, |d| d.count() == 0));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_store_is_chosen_by_url_s3_included() {
        let memory = ContentStore::from_url("memory:///", []).unwrap();
        let stored = memory.put_bytes(Bytes::from_static(b"x")).await.unwrap();
        assert_eq!(stored.size, 1);
        let s3 = ContentStore::from_url(
            "s3://documenten/zaakstroom",
            [
                ("aws_region".to_owned(), "eu-west-1".to_owned()),
                ("aws_access_key_id".to_owned(), "id".to_owned()),
                ("aws_secret_access_key".to_owned(), "secret".to_owned()),
            ],
        );
        assert!(s3.is_ok(), "{s3:?}");
        assert!(ContentStore::from_url("nonsense", []).is_err());
    }
}
