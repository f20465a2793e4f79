//! The projection runtime against the real PostgreSQL: one active instance per projection,
//! checkpoints that survive a hand-over, every event applied exactly once.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use event_schemas::{Actor, EventMetadata};
use event_store::postgres::PgEventStore;
use event_store::{EventStore, ExpectedVersion, NewEvent, RecordedEvent};
use projections::{Projection, ProjectionError, Runner};
use sqlx::postgres::PgConnection;
use sqlx::PgPool;
use uuid::Uuid;

/// Records which runner applied which event.
struct Recorder {
    runner: i32,
}

#[async_trait]
impl Projection for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }

    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let ids: Vec<Uuid> = batch.iter().map(|e| e.event_id).collect();
        sqlx::query("INSERT INTO applied (event_id, runner) SELECT unnest($1::uuid[]), $2")
            .bind(ids)
            .bind(self.runner)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        sqlx::query("TRUNCATE applied").execute(&mut *tx).await?;
        Ok(())
    }
}

fn event() -> NewEvent {
    NewEvent {
        event_id: Uuid::now_v7(),
        event_type: "Tested".into(),
        schema_version: 1,
        payload: serde_json::json!({}),
        metadata: EventMetadata {
            occurred_at: Utc::now(),
            actor: Actor::default(),
            tenant: "t".into(),
            correlation_id: Uuid::now_v7(),
            causation_id: None,
            toelichting: String::new(),
            traceparent: None,
        },
    }
}

async fn setup() -> Option<(PgPool, Arc<dyn EventStore>)> {
    let pool = event_store::testing::fresh_event_store_pool().await?;
    projections::migrate(&pool).await.unwrap();
    sqlx::query("CREATE TABLE applied (event_id uuid NOT NULL, runner int NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    Some((pool.clone(), Arc::new(PgEventStore::new(pool))))
}

/// Appends `n` events to new `thing-*` streams; the position of the last.
async fn append(store: &Arc<dyn EventStore>, n: usize) -> Option<event_store::Position> {
    let mut last = None;
    for _ in 0..n {
        let appended = store
            .append(
                &format!("thing-{}", Uuid::new_v4()),
                ExpectedVersion::NoStream,
                vec![event()],
            )
            .await
            .unwrap();
        last = Some(appended.position);
    }
    last
}

/// (rows, distinct events, distinct runners) once `n` rows are there (or after 10 s).
async fn applied(pool: &PgPool, n: i64) -> (i64, i64, i64) {
    let mut last = (0, 0, 0);
    for _ in 0..500 {
        last = sqlx::query_as(
            "SELECT count(*), count(DISTINCT event_id), count(DISTINCT runner) FROM applied",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        if last.0 >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    last
}

#[tokio::test]
async fn only_one_instance_of_a_projection_runs_and_the_other_takes_over_where_it_stopped() {
    let Some((pool, store)) = setup().await else {
        return;
    };
    let first = tokio::spawn(
        Runner::new(
            pool.clone(),
            store.clone(),
            Arc::new(Recorder { runner: 1 }),
        )
        .run(),
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = tokio::spawn(
        Runner::new(
            pool.clone(),
            store.clone(),
            Arc::new(Recorder { runner: 2 }),
        )
        .run(),
    );
    append(&store, 40).await;
    assert_eq!(
        applied(&pool, 40).await,
        (40, 40, 1),
        "one runner applied each event once"
    );

    first.abort();
    let _ = first.await;
    append(&store, 20).await;
    assert_eq!(applied(&pool, 60).await.0, 60);
    let (rows, distinct, _) = applied(&pool, 60).await;
    assert_eq!(
        (rows, distinct),
        (60, 60),
        "the stand-by resumed from the checkpoint, nothing twice"
    );
    let by_second: i64 = sqlx::query_scalar("SELECT count(*) FROM applied WHERE runner = 2")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        by_second, 20,
        "the stand-by took over after the first stopped"
    );
    second.abort();
}

/// Applies only events of `kept-*` streams, as the read models apply only their aggregates.
struct Selective;

#[async_trait]
impl Projection for Selective {
    fn name(&self) -> &'static str {
        "selective"
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        event.category() == "kept"
    }

    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        Recorder { runner: 1 }.apply(tx, batch).await
    }

    async fn reset(&self, _tx: &mut PgConnection) -> Result<(), ProjectionError> {
        Ok(())
    }
}

async fn checkpoint_reaches(pool: &PgPool, position: event_store::Position) -> bool {
    for _ in 0..250 {
        let at = projections::runtime::checkpoint(pool, "selective")
            .await
            .unwrap();
        if at.is_some_and(|at| at >= position) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn batches_a_projection_ignores_move_its_checkpoint_without_applying_them() {
    let Some((pool, store)) = setup().await else {
        return;
    };
    let runner = Runner::new(pool.clone(), store.clone(), Arc::new(Selective));
    let mut progress = runner.progress();
    let task = tokio::spawn(runner.run());
    // `thing-*` streams: ignored. (Its position from the append: reading the log right
    // after could still find it held back behind another transaction, ADR 0001.)
    let last = append(&store, 5).await.unwrap();
    tokio::time::timeout(
        Duration::from_secs(5),
        progress.wait_for(|p| p.is_some_and(|p| p >= last)),
    )
    .await
    .expect("in-process progress passes the ignored events")
    .unwrap();
    assert!(
        checkpoint_reaches(&pool, last).await,
        "the deferred checkpoint is written for other processes"
    );
    assert_eq!(applied(&pool, 0).await.0, 0, "nothing applied");

    store
        .append("kept-1", ExpectedVersion::NoStream, vec![event()])
        .await
        .unwrap();
    assert_eq!(applied(&pool, 1).await.0, 1);
    task.abort();
    let _ = task.await;
    let again = tokio::spawn(Runner::new(pool.clone(), store.clone(), Arc::new(Selective)).run());
    append(&store, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(applied(&pool, 2).await.0, 1, "resumed after the kept event");
    again.abort();
}
