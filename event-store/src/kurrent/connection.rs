//! The client, renewed when it gives up. The `kurrentdb` 1.2 client's connection task ends
//! for good when a node discovery fails (`GrpcConnectionError`, e.g. no leader found for
//! its few attempts during an election); every later request is then `ConnectionClosed`.
//! Such a client is replaced by a new one on the same settings.

use std::future::Future;
use std::sync::RwLock;

use kurrentdb::{Client, ClientSettings};

use super::retry::{Transient, RETRY};

pub(super) struct Connection {
    settings: ClientSettings,
    /// The client and how many times it was renewed.
    current: RwLock<(u64, Client)>,
}

impl Connection {
    pub(super) fn new(settings: ClientSettings, client: Client) -> Self {
        Self {
            settings,
            current: RwLock::new((0, client)),
        }
    }

    pub(super) fn client(&self) -> (u64, Client) {
        self.current.read().expect("not poisoned").clone()
    }

    /// Replaces the client of `generation` unless another caller already did.
    fn renew(&self, generation: u64) {
        let mut current = self.current.write().expect("not poisoned");
        if current.0 != generation {
            return;
        }
        match Client::new(self.settings.clone()) {
            Ok(client) => {
                tracing::warn!(generation, "KurrentDB: the client gave up; connecting anew");
                *current = (generation + 1, client);
            }
            Err(e) => tracing::error!(error = %e, "KurrentDB: cannot make a new client"),
        }
    }

    /// Runs `op` with the current client, sent again after a transient error (with a new
    /// client when the old one gave up), within `RETRY`'s bound.
    pub(super) async fn run<T, E, F, Fut>(&self, what: &str, mut op: F) -> Result<T, E>
    where
        E: Transient + GivesUp + std::fmt::Display,
        F: FnMut(Client) -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        RETRY
            .run(what, || {
                let (generation, client) = self.client();
                let attempt = op(client);
                async move {
                    let result = attempt.await;
                    if let Err(e) = &result {
                        if e.client_gave_up() {
                            self.renew(generation);
                        }
                    }
                    result
                }
            })
            .await
    }
}

/// Whether an error means the client's connection task has ended.
pub(super) trait GivesUp {
    fn client_gave_up(&self) -> bool;
}

impl GivesUp for kurrentdb::Error {
    fn client_gave_up(&self) -> bool {
        matches!(
            self,
            kurrentdb::Error::ConnectionClosed | kurrentdb::Error::GrpcConnectionError(_)
        )
    }
}

impl GivesUp for crate::StoreError {
    fn client_gave_up(&self) -> bool {
        matches!(self, crate::StoreError::Kurrent(e) if e.client_gave_up())
    }
}
