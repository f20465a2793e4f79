//! `zaakstroom verify` on the PostgreSQL log: rows tampered with directly in SQL (the
//! append-only trigger switched off, as someone with the database's superuser would) are
//! found, each at the right stream and revision; a consistent rewrite of a whole stream is
//! found only against a signed checkpoint sealed before it. Every check is also made by the
//! walk through the store port (`verify::port`, what a KurrentDB log is verified with),
//! which must find the same faulty streams, but for the two only a stream table shows.

use ed25519_dalek::SigningKey;
use event_store::postgres::PgEventStore;
use event_store::testing::new_event;
use event_store::verify::checkpoint::Checkpoint;
use event_store::verify::{port, Fault, FaultKind, Report};
use event_store::{EventStore, ExpectedVersion, Position};
use sqlx::Row;

async fn store() -> Option<PgEventStore> {
    Some(PgEventStore::new(
        event_store::testing::fresh_event_store_pool().await?,
    ))
}

/// Three streams: `a` of 4 events appended one by one, `b` of 3 in one append, `c` of 1.
async fn log(store: &PgEventStore) {
    for i in 0..4 {
        let expected = if i == 0 {
            ExpectedVersion::NoStream
        } else {
            ExpectedVersion::Exact(i - 1)
        };
        store
            .append("a", expected, vec![new_event(i as usize)])
            .await
            .unwrap();
    }
    let b = (0..3).map(new_event).collect();
    store
        .append("b", ExpectedVersion::NoStream, b)
        .await
        .unwrap();
    store
        .append("c", ExpectedVersion::NoStream, vec![new_event(0)])
        .await
        .unwrap();
}

/// The PostgreSQL walk's report, the port walk having found the same faulty streams.
async fn verify(store: &PgEventStore) -> Report {
    let report = verify_with_stream_table(store).await;
    let through_port = port_walk(store).await.report;
    assert_eq!(
        faulty_streams(&through_port),
        faulty_streams(&report),
        "the port walk: {:#?}",
        through_port.faults
    );
    assert_eq!(
        (through_port.streams, through_port.events),
        (report.streams, report.events)
    );
    report
}

/// The PostgreSQL walk alone: for what only its stream table shows (the port walk's
/// blind spot, docs/hash-chain.md).
async fn verify_with_stream_table(store: &PgEventStore) -> Report {
    // Batches of two: the walk crosses batch boundaries inside streams and between them.
    store.verify(None, 2, |_| {}).await.unwrap()
}

/// The port walk, once the log's global order shows every stored event: it holds back
/// what a transaction anywhere on the server might still precede (ADR 0001), and the
/// tests of other databases on this server run beside this one.
async fn port_walk(store: &PgEventStore) -> port::Walk {
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM es_events")
        .fetch_one(store.pool())
        .await
        .unwrap();
    for _ in 0..500 {
        let walk = port::walk(store, None, 2, |_| {}).await.unwrap();
        if walk.report.events == stored as u64 {
            return walk;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the global order never showed all {stored} events");
}

fn faulty_streams(report: &Report) -> Vec<&str> {
    let mut streams: Vec<&str> = report.faults.iter().map(|f| f.stream.as_str()).collect();
    streams.sort_unstable();
    streams
}

async fn tamper(store: &PgEventStore, sql: &str) {
    event_store::testing::tamper(store.pool(), sql).await;
}

async fn position(store: &PgEventStore, stream: &str, revision: i64) -> Position {
    let row = sqlx::query("SELECT tx_id, seq FROM es_events WHERE stream = $1 AND revision = $2")
        .bind(stream)
        .bind(revision)
        .fetch_one(store.pool())
        .await
        .unwrap();
    Position {
        commit: row.get::<i64, _>("tx_id") as u64,
        prepare: row.get::<i64, _>("seq") as u64,
    }
}

/// The one fault found, which must be in `stream` at `revision`.
fn only_fault(report: &Report, stream: &str, revision: u64) -> FaultKind {
    assert_eq!(report.faults.len(), 1, "{:#?}", report.faults);
    let Fault {
        stream: s,
        revision: r,
        kind,
        ..
    } = report.faults[0].clone();
    assert_eq!((s.as_str(), r), (stream, Some(revision)), "{kind}");
    kind
}

#[tokio::test]
async fn an_untouched_log_verifies_clean_and_counts_what_it_read() {
    let Some(store) = store().await else { return };
    log(&store).await;
    // Floats jsonb hands back in another form (-0.0, whole numbers past 1e16) are hashed
    // as stored, so they verify too.
    let mut odd = new_event(9);
    odd.payload = serde_json::json!({"x": -0.0, "y": 1e16, "z": -2.5e17, "w": [1e300, 0.1]});
    store
        .append("d", ExpectedVersion::NoStream, vec![odd])
        .await
        .unwrap();
    let mut seen = Vec::new();
    let report = store
        .verify(None, 3, |p| seen.push(p.events))
        .await
        .unwrap();
    assert!(report.is_clean(), "{:#?}", report.faults);
    assert_eq!((report.streams, report.events), (4, 9));
    assert_eq!(seen, vec![3, 6, 9, 9], "progress after every batch");
    let read = store.read_stream("d", 0).await.unwrap();
    assert_eq!(
        read[0].payload,
        serde_json::json!({"x": 0.0, "y": 10_000_000_000_000_000u64, "z": -250_000_000_000_000_000i64, "w": [1e300, 0.1]})
    );
}

#[tokio::test]
async fn an_edited_payload_is_found_at_its_event_and_position() {
    let Some(store) = store().await else { return };
    log(&store).await;
    tamper(
        &store,
        r#"UPDATE es_events SET payload = '{"n": 99}' WHERE stream = 'a' AND revision = 2"#,
    )
    .await;
    let report = verify(&store).await;
    assert!(matches!(
        only_fault(&report, "a", 2),
        FaultKind::HashMismatch { .. }
    ));
    assert_eq!(
        report.faults[0].position,
        Some(position(&store, "a", 2).await)
    );
}

#[tokio::test]
async fn an_edited_envelope_field_is_found_too() {
    let Some(store) = store().await else { return };
    log(&store).await;
    tamper(&store, r#"UPDATE es_events SET actor = '{"client_id": "someone-else", "user_id": "u1", "user_representation": "User One"}' WHERE stream = 'b' AND revision = 1"#).await;
    let report = verify(&store).await;
    assert!(matches!(
        only_fault(&report, "b", 1),
        FaultKind::HashMismatch { .. }
    ));
}

#[tokio::test]
async fn a_removed_event_is_found_where_its_successor_stands() {
    let Some(store) = store().await else { return };
    log(&store).await;
    tamper(
        &store,
        "DELETE FROM es_events WHERE stream = 'a' AND revision = 1",
    )
    .await;
    let report = verify(&store).await;
    assert_eq!(
        only_fault(&report, "a", 2),
        FaultKind::MissingRevisions {
            expected: 1,
            found: 2
        }
    );
}

#[tokio::test]
async fn a_removed_last_event_is_found_against_the_stream_table() {
    let Some(store) = store().await else { return };
    log(&store).await;
    let checkpoint = sealed(&store, &SigningKey::from_bytes(&[7; 32])).await;
    tamper(
        &store,
        "DELETE FROM es_events WHERE stream = 'a' AND revision = 3",
    )
    .await;
    let report = verify_with_stream_table(&store).await;
    assert!(matches!(
        only_fault(&report, "a", 2),
        FaultKind::HeadMismatch {
            version: 3,
            last_revision: 2,
            ..
        }
    ));
    // Through the port (no stream table) only a checkpoint shows it.
    let mut walk = port_walk(&store).await;
    assert!(walk.report.is_clean(), "{:#?}", walk.report.faults);
    walk.against(&store, &checkpoint, None).await.unwrap();
    assert!(matches!(
        only_fault(&walk.report, "a", 3),
        FaultKind::CheckpointHeadMissing { version: 3, .. }
    ));
}

#[tokio::test]
async fn a_stream_whose_events_were_all_removed_is_found_by_its_head() {
    let Some(store) = store().await else { return };
    log(&store).await;
    tamper(&store, "DELETE FROM es_events WHERE stream = 'b'").await;
    assert!(
        port_walk(&store).await.report.is_clean(),
        "no trace left but the table's"
    );
    let report = verify_with_stream_table(&store).await;
    assert_eq!(
        only_fault(&report, "b", 2),
        FaultKind::HeadWithoutEvents { version: 2 }
    );
}

#[tokio::test]
async fn swapped_revisions_are_found_at_the_first_of_them() {
    let Some(store) = store().await else { return };
    log(&store).await;
    tamper(
        &store,
        "UPDATE es_events SET revision = -1 WHERE stream = 'a' AND revision = 1;
         UPDATE es_events SET revision = 1 WHERE stream = 'a' AND revision = 2;
         UPDATE es_events SET revision = 2 WHERE stream = 'a' AND revision = -1;",
    )
    .await;
    let report = verify(&store).await;
    assert!(matches!(
        only_fault(&report, "a", 1),
        FaultKind::BrokenLink { .. }
    ));
}

#[tokio::test]
async fn swapped_positions_in_the_global_log_are_found() {
    let Some(store) = store().await else { return };
    log(&store).await;
    let (p1, p2) = (
        position(&store, "a", 1).await,
        position(&store, "a", 2).await,
    );
    assert!(p1.commit < p2.commit, "appended in two transactions");
    tamper(
        &store,
        &format!(
            "UPDATE es_events SET tx_id = CASE revision WHEN 1 THEN {} ELSE {} END
             WHERE stream = 'a' AND revision IN (1, 2)",
            p2.commit, p1.commit
        ),
    )
    .await;
    let report = verify(&store).await;
    assert_eq!(
        only_fault(&report, "a", 2),
        FaultKind::OutOfOrder {
            previous_position: Position {
                commit: p2.commit,
                prepare: p1.prepare
            }
        }
    );
}

#[tokio::test]
async fn one_stream_is_verified_alone() {
    let Some(store) = store().await else { return };
    log(&store).await;
    tamper(
        &store,
        r#"UPDATE es_events SET payload = '{"n": 99}' WHERE stream = 'b' AND revision = 0"#,
    )
    .await;
    let a = store.verify(Some("a"), 2, |_| {}).await.unwrap();
    assert!(a.is_clean(), "{:#?}", a.faults);
    assert_eq!((a.streams, a.events), (1, 4));
    let b = store.verify(Some("b"), 2, |_| {}).await.unwrap();
    assert!(matches!(
        only_fault(&b, "b", 0),
        FaultKind::HashMismatch { .. }
    ));
}

/// A checkpoint sealed from the stream table, exported and checked; sealing the heads the
/// port walk found gives the same root.
async fn sealed(store: &PgEventStore, key: &SigningKey) -> Checkpoint {
    let from_port = store
        .seal_heads(key, port_walk(store).await.heads())
        .await
        .unwrap();
    let from_table = store.seal_checkpoint(key).await.unwrap();
    assert_eq!(from_port.seal.root, from_table.seal.root);
    assert_eq!(from_port.seal.streams, from_table.seal.streams);
    let mut out = Vec::new();
    store.export_checkpoint(None, &mut out).await.unwrap();
    let checkpoint: Checkpoint = serde_json::from_slice(&out).unwrap();
    checkpoint.check(Some(&key.verifying_key())).unwrap();
    checkpoint
}

/// The log against `checkpoint`, by both walks, which must agree.
async fn against(store: &PgEventStore, checkpoint: &Checkpoint) -> Report {
    let mut report = verify(store).await;
    store
        .verify_against(checkpoint, None, &mut report)
        .await
        .unwrap();
    let mut walk = port_walk(store).await;
    walk.against(store, checkpoint, None).await.unwrap();
    assert_eq!(walk.report.faults, report.faults);
    assert_eq!(walk.report.checkpoint_heads, report.checkpoint_heads);
    assert_eq!(
        walk.report.deleted_since_checkpoint,
        report.deleted_since_checkpoint
    );
    report
}

/// Rewrites stream `a` from revision 1 on with another payload, every hash recomputed
/// and the stream table's head with them: nothing inside the database shows it.
async fn rewrite_consistently(store: &PgEventStore) {
    let events = store.read_stream("a", 0).await.unwrap();
    let sql = event_store::testing::consistent_rewrite(&events, |e| {
        e.payload = serde_json::json!({"n": 1000 + e.revision});
    });
    tamper(store, &sql).await;
}

#[tokio::test]
async fn a_consistent_rewrite_of_a_stream_is_found_only_against_a_checkpoint() {
    let Some(store) = store().await else { return };
    log(&store).await;
    let key = SigningKey::from_bytes(&[42; 32]);
    let checkpoint = sealed(&store, &key).await;
    assert_eq!(checkpoint.seal.streams, 3);
    // The log goes on after the seal: it still extends the checkpoint.
    store
        .append("a", ExpectedVersion::Exact(3), vec![new_event(4)])
        .await
        .unwrap();
    store
        .append("e", ExpectedVersion::NoStream, vec![new_event(0)])
        .await
        .unwrap();
    let report = against(&store, &checkpoint).await;
    assert!(report.is_clean(), "{:#?}", report.faults);
    assert_eq!(report.checkpoint_heads, 3);

    rewrite_consistently(&store).await;
    let inside = verify(&store).await;
    assert!(
        inside.is_clean(),
        "undetectable from inside: {:#?}",
        inside.faults
    );
    let report = against(&store, &checkpoint).await;
    assert!(matches!(
        only_fault(&report, "a", 3),
        FaultKind::CheckpointHeadRewritten { version: 3, .. }
    ));
    assert_eq!(
        report.faults[0].position,
        Some(position(&store, "a", 3).await)
    );
}

#[tokio::test]
async fn a_stream_removed_without_trace_is_found_against_a_checkpoint_and_a_deletion_is_named() {
    let Some(store) = store().await else { return };
    log(&store).await;
    let checkpoint = sealed(&store, &SigningKey::from_bytes(&[42; 32])).await;
    tamper(
        &store,
        "DELETE FROM es_events WHERE stream = 'b'; DELETE FROM es_streams WHERE stream = 'b';",
    )
    .await;
    store
        .delete_stream("c", ExpectedVersion::Any)
        .await
        .unwrap();
    assert!(verify(&store).await.is_clean());
    let report = against(&store, &checkpoint).await;
    assert!(matches!(
        only_fault(&report, "b", 2),
        FaultKind::CheckpointHeadMissing { version: 2, .. }
    ));
    assert_eq!(report.deleted_since_checkpoint, vec!["c".to_owned()]);
}

#[tokio::test]
async fn sealing_refuses_a_log_whose_heads_are_not_its_events_and_export_refuses_changed_heads() {
    let Some(store) = store().await else { return };
    log(&store).await;
    let key = SigningKey::from_bytes(&[42; 32]);
    sealed(&store, &key).await;
    tamper(
        &store,
        "UPDATE es_checkpoint_heads SET version = 1 WHERE stream = 'a'",
    )
    .await;
    let export = store.export_checkpoint(None, &mut Vec::new()).await;
    assert!(export.is_err(), "{export:?}");

    tamper(
        &store,
        "DELETE FROM es_events WHERE stream = 'a' AND revision = 3",
    )
    .await;
    let seal = store.seal_checkpoint(&key).await;
    assert!(seal.is_err(), "{seal:?}");
    // The two `sealed` made (from the port walk's heads and from the table), no third.
    assert_eq!(store.checkpoints().await.unwrap().len(), 2);
}
