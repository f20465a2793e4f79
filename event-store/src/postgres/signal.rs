//! Telling subscribers that the log grew, outside the appending transaction.
//!
//! An append used to `NOTIFY` in its own transaction. PostgreSQL serialises the commits of
//! notifying transactions (a database-wide lock from pre-commit to the end of the commit,
//! WAL flush included), so concurrent appends committed one after another: under 16 POSTs
//! a COMMIT averaged 8.5 ms in the statement log while a WAL flush takes 0.1 ms here
//! (`pg_test_fsync`). Now an append commits without it and then wakes this process's tail
//! directly, and hands a `NOTIFY` for other processes to one task that sends it on its own
//! connection, without waiting for its flush, as many appends as are waiting in one.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::{mpsc, Notify};

use super::CHANNEL;

const RETRY: Duration = Duration::from_millis(100);

pub(super) struct Signal {
    /// The tail of this process waits on it (a permit is kept when it is busy reading).
    pub(super) local: Arc<Notify>,
    remote: OnceLock<mpsc::Sender<()>>,
    options: PgConnectOptions,
}

impl Signal {
    pub(super) fn new(options: PgConnectOptions) -> Self {
        Self {
            local: Arc::new(Notify::new()),
            remote: OnceLock::new(),
            options,
        }
    }

    /// After a commit that appended events.
    pub(super) fn committed(&self) {
        self.local.notify_one();
        let remote = self.remote.get_or_init(|| {
            // One pending signal is enough: it goes out after the commits before it.
            let (tx, rx) = mpsc::channel(1);
            tokio::spawn(notify_others(self.options.clone(), rx));
            tx
        });
        let _ = remote.try_send(());
    }
}

/// Sends one `NOTIFY` per wake-up until the store is dropped.
async fn notify_others(options: PgConnectOptions, mut wakes: mpsc::Receiver<()>) {
    let mut conn: Option<PgConnection> = None;
    while wakes.recv().await.is_some() {
        if let Err(e) = notify(&options, &mut conn).await {
            tracing::warn!(error = %e, "signalling other processes of new events; their subscribers poll meanwhile");
            conn = None;
            tokio::time::sleep(RETRY).await;
        }
    }
    if let Some(conn) = conn {
        let _ = conn.close().await;
    }
}

async fn notify(
    options: &PgConnectOptions,
    conn: &mut Option<PgConnection>,
) -> Result<(), sqlx::Error> {
    if conn.is_none() {
        let mut c = options.connect().await?;
        // The signal is a hint (subscribers also poll): its transaction need not wait for a
        // WAL flush while it holds the notification lock.
        sqlx::query("SET synchronous_commit = off")
            .execute(&mut c)
            .await?;
        *conn = Some(c);
    }
    let c = conn.as_mut().expect("connected above");
    sqlx::query("SELECT pg_notify($1, '')")
        .bind(CHANNEL)
        .execute(c)
        .await?;
    Ok(())
}
