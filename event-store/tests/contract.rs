//! The event-store contract: every adapter must pass every test here.
//!
//! PostgreSQL always runs (a fresh database per test). EventStoreDB/KurrentDB runs when
//! EVENTSTORE_URL points at a server; otherwise each test says it did not run. The live
//! subscription's part of the contract is in `subscriptions.rs`.

mod common;

use event_schemas::envelope::HashInput;
use event_store::postgres::PgEventStore;
use event_store::{EventStore, ExpectedVersion, StoreError};

use common::{backends, events, full_read_at_least};

#[tokio::test]
async fn appended_events_read_back_with_their_envelope_and_a_hash_chain() {
    for (name, store, prefix) in backends().await {
        let stream = format!("{prefix}-a");
        let written = events(3);
        let result = store
            .append(&stream, ExpectedVersion::NoStream, written.clone())
            .await
            .unwrap();
        assert_eq!(result.next_expected_version, 2, "{name}");
        let read = store.read_stream(&stream, 0).await.unwrap();
        assert_eq!(read.len(), 3, "{name}");
        for (i, (r, w)) in read.iter().zip(&written).enumerate() {
            assert_eq!(r.event_id, w.event_id, "{name}");
            assert_eq!(r.revision, i as u64, "{name}");
            assert_eq!(r.payload, w.payload, "{name}");
            assert_eq!(r.metadata.actor, w.metadata.actor, "{name}");
            assert_eq!(r.metadata.tenant, "tenant-a", "{name}");
            assert_eq!(r.category(), prefix, "{name}");
            let recomputed = HashInput {
                prev_hash: &r.prev_hash,
                event_id: r.event_id,
                stream: &r.stream,
                revision: r.revision,
                event_type: &r.event_type,
                schema_version: r.schema_version,
                metadata: &r.metadata,
                payload: &r.payload,
            }
            .hash();
            assert_eq!(r.hash, recomputed, "{name}: hash covers the stored fields");
        }
        assert_eq!(read[0].prev_hash, "", "{name}");
        assert_eq!(read[1].prev_hash, read[0].hash, "{name}");
        assert_eq!(read[2].prev_hash, read[1].hash, "{name}");
        assert_eq!(read.last().unwrap().position, result.position, "{name}");
        assert_eq!(store.read_stream(&stream, 2).await.unwrap().len(), 1);
        assert!(store
            .read_stream(&format!("{prefix}-none"), 0)
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn a_stale_expected_version_is_refused_with_a_distinct_error() {
    for (name, store, prefix) in backends().await {
        let stream = format!("{prefix}-b");
        store
            .append(&stream, ExpectedVersion::NoStream, events(2))
            .await
            .unwrap();
        let stale = store
            .append(&stream, ExpectedVersion::Exact(0), events(1))
            .await;
        assert!(
            matches!(
                stale,
                Err(StoreError::WrongExpectedVersion {
                    actual: Some(1),
                    ..
                })
            ),
            "{name}: {stale:?}"
        );
        let again = store
            .append(&stream, ExpectedVersion::NoStream, events(1))
            .await;
        assert!(
            matches!(again, Err(StoreError::WrongExpectedVersion { .. })),
            "{name}"
        );
        let missing = store
            .append(
                &format!("{prefix}-new"),
                ExpectedVersion::StreamExists,
                events(1),
            )
            .await;
        assert!(
            matches!(missing, Err(StoreError::WrongExpectedVersion { .. })),
            "{name}"
        );
        store
            .append(&stream, ExpectedVersion::Exact(1), events(1))
            .await
            .unwrap();
        assert_eq!(
            store.read_stream(&stream, 0).await.unwrap().len(),
            3,
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_retried_append_with_the_same_event_ids_stores_nothing_twice() {
    for (name, store, prefix) in backends().await {
        let stream = format!("{prefix}-c");
        let batch = events(2);
        let first = store
            .append(&stream, ExpectedVersion::NoStream, batch.clone())
            .await
            .unwrap();
        let retried = store
            .append(&stream, ExpectedVersion::NoStream, batch.clone())
            .await
            .unwrap();
        assert_eq!(
            first, retried,
            "{name}: the retry reports the original append"
        );
        let retried_any = store
            .append(&stream, ExpectedVersion::Any, batch.clone())
            .await
            .unwrap();
        assert_eq!(
            first, retried_any,
            "{name}: also when it expects any version"
        );
        assert_eq!(
            store.read_stream(&stream, 0).await.unwrap().len(),
            2,
            "{name}"
        );
        // A later append on another stream: once it is visible in the global
        // log, everything committed before it is too, so a duplicate could not hide.
        let sentinel = format!("{prefix}-sentinel");
        store
            .append(&sentinel, ExpectedVersion::NoStream, events(1))
            .await
            .unwrap();
        let log = full_read_at_least(&store, &prefix, 3).await;
        assert!(log.iter().any(|e| e.stream == sentinel), "{name}");
        let in_stream = log.iter().filter(|e| e.stream == stream).count();
        assert_eq!(in_stream, 2, "{name}");
    }
}

#[tokio::test]
async fn only_one_of_many_concurrent_claims_of_a_name_succeeds() {
    for (name, store, prefix) in backends().await {
        let claim = format!("{prefix}claim-x");
        let attempts = (0..8).map(|_| {
            let store = store.clone();
            let claim = claim.clone();
            tokio::spawn(async move {
                store
                    .append(&claim, ExpectedVersion::NoStream, events(1))
                    .await
            })
        });
        let results = futures::future::join_all(attempts).await;
        let won = results.iter().filter(|r| matches!(r, Ok(Ok(_)))).count();
        let lost = results
            .iter()
            .filter(|r| matches!(r, Ok(Err(StoreError::WrongExpectedVersion { .. }))))
            .count();
        assert_eq!((won, lost), (1, 7), "{name}");
    }
}

#[tokio::test]
async fn a_deleted_stream_is_gone_and_its_name_cannot_be_reused() {
    for (name, store, prefix) in backends().await {
        let stream = format!("{prefix}-d");
        store
            .append(&stream, ExpectedVersion::NoStream, events(2))
            .await
            .unwrap();
        store
            .delete_stream(&stream, ExpectedVersion::Exact(1))
            .await
            .unwrap();
        let read = store.read_stream(&stream, 0).await;
        assert!(
            matches!(read, Err(StoreError::StreamDeleted(_))),
            "{name}: {read:?}"
        );
        let reuse = store.append(&stream, ExpectedVersion::Any, events(1)).await;
        assert!(
            matches!(reuse, Err(StoreError::StreamDeleted(_))),
            "{name}: {reuse:?}"
        );
        store
            .append(
                &format!("{prefix}-after"),
                ExpectedVersion::NoStream,
                events(1),
            )
            .await
            .unwrap();
        let all = full_read_at_least(&store, &prefix, 1).await;
        let streams: Vec<_> = all.iter().map(|e| e.stream.as_str()).collect();
        assert_eq!(
            streams,
            [format!("{prefix}-after")],
            "{name}: no event of the deleted stream is read"
        );
    }
}

/// `stream_head` is what read-your-writes waits for: the position of a stream's last event.
#[tokio::test]
async fn the_head_of_a_stream_is_the_position_of_its_last_event() {
    for (name, store, prefix) in backends().await {
        let stream = format!("{prefix}-head");
        assert_eq!(store.stream_head(&stream).await.unwrap(), None, "{name}");
        store
            .append(&stream, ExpectedVersion::NoStream, events(2))
            .await
            .unwrap();
        let appended = store
            .append(&stream, ExpectedVersion::Exact(1), events(3))
            .await
            .unwrap();
        store
            .append(
                &format!("{prefix}-other"),
                ExpectedVersion::NoStream,
                events(1),
            )
            .await
            .unwrap();
        let head = store.stream_head(&stream).await.unwrap();
        assert_eq!(head, Some(appended.position), "{name}");
        let read = store.read_stream(&stream, 0).await.unwrap();
        assert_eq!(head, read.last().map(|e| e.position), "{name}");
        store
            .delete_stream(&stream, ExpectedVersion::Any)
            .await
            .unwrap();
        assert_eq!(
            store.stream_head(&stream).await.unwrap(),
            None,
            "{name}: deleted"
        );
    }
}

#[tokio::test]
async fn the_postgres_log_refuses_update_delete_and_truncate() {
    let Some(pool) = event_store::testing::fresh_event_store_pool().await else {
        return;
    };
    let store = PgEventStore::new(pool.clone());
    store
        .append("zaak-1", ExpectedVersion::NoStream, events(1))
        .await
        .unwrap();
    for sql in [
        "UPDATE es_events SET payload = '{}'",
        "DELETE FROM es_events",
        "TRUNCATE es_events",
    ] {
        let err = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(store.read_stream("zaak-1", 0).await.unwrap().len(), 1);
}
