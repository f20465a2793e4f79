//! Table statistics where PostgreSQL's autovacuum does not keep them (it is off on the
//! benchmark machine): a pass analyses what changed beyond autovacuum's own threshold, and
//! vacuums what holds too many dead rows, against the real server.

use std::time::Duration;

use projections::maintenance;
use sqlx::PgPool;

/// The pass once the server's statistics show what the test did (a backend reports its
/// counts when its transaction ends, at most once a second).
async fn pass_until(pool: &PgPool, vacuum: bool, done: impl Fn(&maintenance::Pass) -> bool) {
    for _ in 0..50 {
        let pass = maintenance::pass(pool, vacuum).await.unwrap();
        if done(&pass) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no maintenance pass did what was expected");
}

async fn last_analyzed(pool: &PgPool) -> Option<chrono::DateTime<chrono::Utc>> {
    sqlx::query_scalar(
        "SELECT greatest(last_analyze, last_autoanalyze) FROM pg_stat_user_tables
         WHERE relname = 'filled'",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_pass_analyses_a_filled_table_and_vacuums_one_of_mostly_dead_rows() {
    let Some(pool) = event_store::testing::fresh_event_store_pool().await else {
        return;
    };
    sqlx::raw_sql(
        "CREATE TABLE filled (id int PRIMARY KEY, v text);
         INSERT INTO filled SELECT i, 'x' FROM generate_series(1, 5000) i;",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(last_analyzed(&pool).await, None);

    pass_until(&pool, false, |p| {
        p.analyzed.iter().any(|t| t == "public.filled")
    })
    .await;
    assert!(last_analyzed(&pool).await.is_some(), "analysed");
    let planned: i64 =
        sqlx::query_scalar("SELECT reltuples::bigint FROM pg_class WHERE relname = 'filled'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(planned, 5000, "the planner knows the table's size");
    assert!(
        maintenance::pass(&pool, false)
            .await
            .unwrap()
            .analyzed
            .is_empty(),
        "nothing is stale right after"
    );

    sqlx::query("DELETE FROM filled WHERE id > 1000")
        .execute(&pool)
        .await
        .unwrap();
    pass_until(&pool, true, |p| {
        p.vacuumed.iter().any(|t| t == "public.filled")
    })
    .await;
    let dead: i64 =
        sqlx::query_scalar("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'filled'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(dead, 0, "the dead rows are vacuumed");
}
