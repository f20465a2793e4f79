//! The event-store contract: every adapter must pass every test here.
//!
//! Each check is a test per backend (`common::contract!`): `<check>::postgres` always runs
//! (a fresh database per test); `<check>::kurrentdb` is ignored, and so listed, unless run
//! with `-- --ignored` and EVENTSTORE_URL naming a KurrentDB server. The live
//! subscription's part of the contract is in `subscriptions.rs`.

mod common;

use event_store::postgres::PgEventStore;
use event_store::verify::chain::event_hash;
use event_store::{EventStore, ExpectedVersion, StoreError};

use common::{events, full_read_at_least};

/// A write expecting revision 0 of a stream at revision 1 is refused as a version conflict.
fn assert_conflict_at_revision_1<T: std::fmt::Debug>(name: &str, stale: Result<T, StoreError>) {
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
}

contract! {
    async fn appended_events_read_back_with_their_envelope_and_a_hash_chain((name, store, prefix)) {
        let stream = format!("{prefix}-a");
        let mut written = events(3);
        // The request's trace travels in the envelope (and its hash).
        written[1].metadata.traceparent =
            Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".into());
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
            assert_eq!(r.metadata.traceparent, w.metadata.traceparent, "{name}");
            assert_eq!(r.metadata.tenant, "tenant-a", "{name}");
            assert_eq!(r.category(), prefix, "{name}");
            let recomputed = event_hash(r);
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

contract! {
    async fn a_stale_expected_version_is_refused_with_a_distinct_error((name, store, prefix)) {
        let stream = format!("{prefix}-b");
        store
            .append(&stream, ExpectedVersion::NoStream, events(2))
            .await
            .unwrap();
        let stale = store
            .append(&stream, ExpectedVersion::Exact(0), events(1))
            .await;
        assert_conflict_at_revision_1(name, stale);
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

contract! {
    async fn a_retried_append_with_the_same_event_ids_stores_nothing_twice((name, store, prefix)) {
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

contract! {
    /// `Any` is no check: concurrent appends expecting any version all succeed, and each
    /// event's hash still chains to the one before it.
    #[flavor(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_appends_expecting_any_version_all_succeed_on_one_hash_chain(
        (name, store, prefix)
    ) {
        let stream = format!("{prefix}-any");
        let appends = (0..8).map(|_| {
            let (store, stream) = (store.clone(), stream.clone());
            tokio::spawn(async move { store.append(&stream, ExpectedVersion::Any, events(2)).await })
        });
        for appended in futures::future::join_all(appends).await {
            appended.unwrap().unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let read = store.read_stream(&stream, 0).await.unwrap();
        assert_eq!(read.len(), 16, "{name}");
        assert_eq!(read[0].prev_hash, "", "{name}");
        for pair in read.windows(2) {
            assert_eq!(pair[1].prev_hash, pair[0].hash, "{name}: revision {}", pair[1].revision);
        }
    }
}

contract! {
    async fn only_one_of_many_concurrent_claims_of_a_name_succeeds((name, store, prefix)) {
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

contract! {
    async fn a_deleted_stream_is_gone_and_its_name_cannot_be_reused((name, store, prefix)) {
        let stream = format!("{prefix}-d");
        store
            .append(&stream, ExpectedVersion::NoStream, events(2))
            .await
            .unwrap();
        let stale = store.delete_stream(&stream, ExpectedVersion::Exact(0)).await;
        assert_conflict_at_revision_1(name, stale);
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

contract! {
    /// `stream_head` is what read-your-writes waits for: the position of a stream's last event.
    async fn the_head_of_a_stream_is_the_position_of_its_last_event((name, store, prefix)) {
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

/// Another application's event in one of our streams (written here without our envelope)
/// is skipped by `read_all` and `subscribe_all`, which go on with the events after it.
#[tokio::test]
#[ignore = "needs a KurrentDB server: EVENTSTORE_URL=esdb://... cargo test -p event-store -- --ignored"]
async fn a_foreign_event_in_our_streams_is_skipped_by_the_log_readers_on_kurrentdb() {
    use event_store::kurrent::KurrentEventStore;
    use futures::StreamExt;
    let url = std::env::var("EVENTSTORE_URL").expect("EVENTSTORE_URL names a KurrentDB server");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let prefix = format!("t{}", uuid::Uuid::new_v4().simple());
    let store = KurrentEventStore::connect(&url)
        .await
        .unwrap()
        .with_stream_prefixes([prefix.clone()]);
    let client = kurrentdb::Client::new(url.parse().unwrap()).unwrap();
    let foreign = kurrentdb::EventData::json("OrderPlaced", &serde_json::json!({"id": 7})).unwrap();
    client
        .append_to_stream(format!("{prefix}-foreign"), &Default::default(), foreign)
        .await
        .unwrap();
    let mut live = store.subscribe_all(None);
    store
        .append(
            &format!("{prefix}-ours"),
            ExpectedVersion::NoStream,
            events(1),
        )
        .await
        .unwrap();
    let page = store.read_all(None, 10).await.unwrap();
    let streams: Vec<_> = page.iter().map(|e| e.stream.clone()).collect();
    assert_eq!(streams, [format!("{prefix}-ours")]);
    let first = tokio::time::timeout(std::time::Duration::from_secs(10), live.next())
        .await
        .expect("the subscription goes on after the foreign event")
        .unwrap()
        .unwrap();
    assert_eq!(first.stream, format!("{prefix}-ours"));
    assert!(
        store.foreign_events_skipped() >= 2,
        "counted by both readers"
    );
}

contract! {
    async fn a_page_of_a_stream_is_bounded_and_resumes_where_asked((name, store, prefix)) {
        let stream = format!("{prefix}-page");
        store
            .append(&stream, ExpectedVersion::NoStream, events(5))
            .await
            .unwrap();
        let revisions = |page: Vec<event_store::RecordedEvent>| {
            page.iter().map(|e| e.revision).collect::<Vec<_>>()
        };
        let first = store.read_stream_page(&stream, 0, 2).await.unwrap();
        assert_eq!(revisions(first), [0, 1], "{name}");
        let middle = store.read_stream_page(&stream, 2, 2).await.unwrap();
        assert_eq!(revisions(middle), [2, 3], "{name}");
        let last = store.read_stream_page(&stream, 4, 10).await.unwrap();
        assert_eq!(revisions(last), [4], "{name}: a short page is the end");
        assert!(store.read_stream_page(&stream, 5, 10).await.unwrap().is_empty(), "{name}");
        assert!(store.read_stream_page(&stream, 0, 0).await.unwrap().is_empty(), "{name}");
        assert!(store
            .read_stream_page(&format!("{prefix}-page-none"), 0, 3)
            .await
            .unwrap()
            .is_empty(), "{name}");
    }
}
