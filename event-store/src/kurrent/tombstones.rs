//! The streams of ours that were deleted (tombstoned), so `read_all` and `subscribe_all`
//! skip their events: those stay in `$all` until a scavenge removes them, and a scavenge
//! never touches the chunk being written. Without this a rebuild would bring destroyed
//! data back.
//!
//! The set is the server's: a `$all` read filtered to tombstone events, from where the
//! previous read stopped (the first one reads the whole log once). A tombstone is never
//! undone, so what is in the set stays true.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use kurrentdb::SubscriptionFilter;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::connection::Connection;
use super::decode::{Raw, TOMBSTONE};
use super::read;
use crate::{Position, StoreError};

/// Tombstones read per request.
const PAGE: usize = 1_000;
/// The first scan reads the whole log on the server (it has no index of event types).
const SCAN_DEADLINE: Duration = Duration::from_secs(600);

pub(super) struct Tombstones {
    prefixes: Arc<[String]>,
    known: RwLock<HashSet<String>>,
    scan: Mutex<Scan>,
}

#[derive(Default)]
struct Scan {
    /// Every tombstone before this position is in `known`.
    from: Option<Position>,
    /// When the last scan began.
    began: Option<Instant>,
}

impl Tombstones {
    pub(super) fn new(prefixes: Arc<[String]>) -> Self {
        Self {
            prefixes,
            known: RwLock::default(),
            scan: Mutex::default(),
        }
    }

    pub(super) fn contains(&self, stream: &str) -> bool {
        self.known.read().expect("not poisoned").contains(stream)
    }

    /// Records a tombstone (ours, or one met while reading).
    pub(super) fn insert(&self, stream: &str) {
        if self.prefixes.iter().any(|p| stream.starts_with(p.as_str())) && !self.contains(stream) {
            self.known
                .write()
                .expect("not poisoned")
                .insert(stream.to_owned());
        }
    }

    /// Brings the set up to date with the leader, unless a scan began less than `max_age`
    /// before this call (`Duration::ZERO`: a scan that began after this call).
    pub(super) async fn refresh(
        &self,
        conn: &Connection,
        max_age: Duration,
    ) -> Result<(), StoreError> {
        let asked = Instant::now();
        let mut scan = self.scan.lock().await;
        if scan.began.is_some_and(|began| began + max_age >= asked) {
            return Ok(());
        }
        let began = Instant::now();
        // Whatever the scan below finds, everything up to here has been looked at.
        let end = read::end_of_all(conn).await?;
        let filter = SubscriptionFilter::on_event_type().add_prefix(TOMBSTONE);
        let mut from = scan.from;
        loop {
            let page = read::all(conn, filter.clone(), from, PAGE, true, SCAN_DEADLINE).await?;
            for e in &page {
                let raw = Raw::of(e);
                if raw.event_type == TOMBSTONE {
                    self.insert(raw.stream);
                }
                from = from.max(Some(raw.position));
            }
            if page.len() < PAGE {
                break;
            }
        }
        scan.from = from.max(end);
        scan.began = Some(began);
        Ok(())
    }
}
