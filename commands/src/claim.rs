//! Set-wide uniqueness through claim streams (see event_schemas::claim).

use event_schemas::claim::{ClaimEvent, ClaimedV1, ReleasedV1};
use event_schemas::VersionedEvent;
use event_store::{EventStore, ExpectedVersion, StoreError};

use crate::Context;

#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    #[error("{key} is already claimed by {owner}")]
    Taken { key: String, owner: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

const ATTEMPTS: usize = 5;

/// Claims `key` for `owner` (an aggregate's stream). Claiming again for the same owner
/// succeeds, so a retried request passes; a released key can be claimed anew.
pub async fn claim(
    store: &dyn EventStore,
    ctx: &Context,
    key: &str,
    owner: &str,
) -> Result<(), ClaimError> {
    let stream = ClaimEvent::stream(key);
    let event = ClaimEvent::Claimed(ClaimedV1 {
        key: key.to_owned(),
        owner: owner.to_owned(),
    });
    let mut expected = ExpectedVersion::NoStream;
    for _ in 0..ATTEMPTS {
        let new = crate::new_event(&event, ctx);
        match store.append(&stream, expected, vec![new]).await {
            Ok(_) => return Ok(()),
            Err(StoreError::WrongExpectedVersion { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        let (holder, revision) = current_holder(store, &stream).await?;
        match holder {
            Some(holder) if holder == owner => return Ok(()),
            Some(holder) => {
                return Err(ClaimError::Taken {
                    key: key.to_owned(),
                    owner: holder,
                })
            }
            None => expected = revision.map_or(ExpectedVersion::NoStream, ExpectedVersion::Exact),
        }
    }
    Err(ClaimError::Taken {
        key: key.to_owned(),
        owner: "(contended)".to_owned(),
    })
}

/// Gives `key` up if `owner` holds it; a no-op otherwise (so a retry passes).
pub async fn release(
    store: &dyn EventStore,
    ctx: &Context,
    key: &str,
    owner: &str,
) -> Result<(), StoreError> {
    let stream = ClaimEvent::stream(key);
    let event = ClaimEvent::Released(ReleasedV1 {
        key: key.to_owned(),
        owner: owner.to_owned(),
    });
    for _ in 0..ATTEMPTS {
        let (holder, revision) = current_holder(store, &stream).await?;
        let (Some(holder), Some(revision)) = (holder, revision) else {
            return Ok(());
        };
        if holder != owner {
            return Ok(());
        }
        let new = crate::new_event(&event, ctx);
        match store
            .append(&stream, ExpectedVersion::Exact(revision), vec![new])
            .await
        {
            Ok(_) => return Ok(()),
            Err(StoreError::WrongExpectedVersion { .. }) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The stream currently holding `key`, if any.
pub async fn claim_holder(store: &dyn EventStore, key: &str) -> Result<Option<String>, StoreError> {
    Ok(current_holder(store, &ClaimEvent::stream(key)).await?.0)
}

/// The current holder of a claim stream and the stream's revision.
async fn current_holder(
    store: &dyn EventStore,
    stream: &str,
) -> Result<(Option<String>, Option<u64>), StoreError> {
    let events = store.read_stream(stream, 0).await?;
    let revision = events.last().map(|e| e.revision);
    let holder = events
        .iter()
        .filter_map(|e| ClaimEvent::decode(&e.event_type, e.schema_version, e.payload.clone()).ok())
        .fold(None, |_, event| match event {
            ClaimEvent::Claimed(c) => Some(c.owner),
            ClaimEvent::Released(_) => None,
        });
    Ok((holder, revision))
}

/// Claims `key` for `owner`, refused with `taken` when another object holds it: a rule that
/// something is unique across a set, in the standard's terms.
pub async fn claim_unique(
    store: &dyn EventStore,
    ctx: &Context,
    key: &str,
    owner: &str,
    taken: impl FnOnce() -> crate::WriteError,
) -> Result<(), crate::WriteError> {
    claim(store, ctx, key, owner).await.map_err(|e| match e {
        ClaimError::Taken { .. } => taken(),
        ClaimError::Store(e) => crate::WriteError::internal(e),
    })
}

/// Claims an identificatie for `owner`, unique per bronorganisatie: `key` is taken by
/// another object (`identificatie-niet-uniek`, the rule of every ZGW API that has one).
pub async fn claim_identificatie(
    store: &dyn EventStore,
    ctx: &Context,
    key: &str,
    owner: &str,
) -> Result<(), crate::WriteError> {
    claim_identificatie_as(
        store,
        ctx,
        key,
        owner,
        "Deze identificatie bestaat al voor deze bronorganisatie",
    )
    .await
}

/// [`claim_identificatie`] with the refusal's reason (the organisation it is unique for).
/// An identificatie reserved for the organisation ([`reserve`]) becomes the first such
/// object's.
pub async fn claim_identificatie_as(
    store: &dyn EventStore,
    ctx: &Context,
    key: &str,
    owner: &str,
    reason: &str,
) -> Result<(), crate::WriteError> {
    // Claimed at once (no read first: this is every create's path); only a claim held by a
    // reservation is released and taken over.
    match claim(store, ctx, key, owner).await {
        Err(ClaimError::Taken { owner: holder, .. }) if holder == RESERVED => {
            release(store, ctx, key, RESERVED)
                .await
                .map_err(crate::WriteError::internal)?;
        }
        Err(ClaimError::Store(e)) => return Err(crate::WriteError::internal(e)),
        Err(ClaimError::Taken { .. }) | Ok(()) => {}
    }
    claim_unique(store, ctx, key, owner, || {
        crate::WriteError::invalid("identificatie", "identificatie-niet-uniek", reason)
    })
    .await
}

/// The holder of a reserved identificatie's claim until an object takes it.
const RESERVED: &str = "reservering";

/// Reserves identificatie `key` (`zaaknummer_reserveren`, `documentnummer_reserveren`):
/// no other object may take it but the first of its organisation that names it.
pub async fn reserve(
    store: &dyn EventStore,
    ctx: &Context,
    key: &str,
) -> Result<(), crate::WriteError> {
    claim_identificatie(store, ctx, key, RESERVED).await
}

/// The most identificaties one request reserves (Open Zaak sets no maximum; every one is an
/// append, so one request may not hold the store for long).
pub const MAX_RESERVED: u32 = 1000;

/// Reserves `aantal` new identificaties `{prefix}-{year}-{n}` (the form Open Zaak generates;
/// `n` from `next`, ten digits), each under the claim `key` gives it.
pub async fn reserve_numbers<F, Fut>(
    store: &dyn EventStore,
    ctx: &Context,
    aantal: u32,
    prefix: &str,
    key: impl Fn(&str) -> String,
    mut next: F,
) -> Result<Vec<String>, crate::WriteError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<i64, crate::WriteError>>,
{
    if aantal > MAX_RESERVED {
        return Err(crate::WriteError::invalid(
            "aantal",
            "max_value",
            format!("Zorg ervoor dat deze waarde kleiner of gelijk is aan {MAX_RESERVED}."),
        ));
    }
    let mut numbers = Vec::new();
    for _ in 0..aantal {
        let n = next().await?;
        let number = format!("{prefix}-{}-{n:010}", ctx.now.format("%Y"));
        reserve(store, ctx, &key(&number)).await?;
        numbers.push(number);
    }
    Ok(numbers)
}

/// The keys an aggregate holds that are unique in the whole register (its claim streams),
/// kept in step with its writes: the keys a write will add are claimed before it (a taken
/// one refuses the write with `taken(key)`, freeing what was claimed here), and after it
/// the keys no longer held are released (on failure: the ones claimed for it).
pub struct UniqueKeys<'a> {
    pub store: &'a dyn EventStore,
    pub ctx: &'a Context,
    /// The stream of the aggregate that holds them.
    pub owner: String,
    pub taken: &'a (dyn Fn(&str) -> crate::WriteError + Send + Sync),
}

impl UniqueKeys<'_> {
    /// Runs `write` (answering its outcome and the keys held after it) with the keys of
    /// `after` (as the write is expected to leave the aggregate) claimed and those of
    /// `before` that it gives up released.
    pub async fn around<T>(
        &self,
        before: &std::collections::BTreeSet<String>,
        after: &std::collections::BTreeSet<String>,
        write: impl std::future::Future<
            Output = Result<(T, std::collections::BTreeSet<String>), crate::WriteError>,
        >,
    ) -> Result<T, crate::WriteError> {
        let new: Vec<String> = after.difference(before).cloned().collect();
        self.claim(&new).await?;
        match write.await {
            Ok((outcome, held)) => {
                let freed: Vec<String> = before
                    .iter()
                    .chain(&new)
                    .filter(|k| !held.contains(*k))
                    .cloned()
                    .collect();
                self.release(&freed).await?;
                Ok(outcome)
            }
            Err(e) => {
                self.release(&new).await?;
                Err(e)
            }
        }
    }

    async fn claim(&self, keys: &[String]) -> Result<(), crate::WriteError> {
        for (i, key) in keys.iter().enumerate() {
            let refused = || (self.taken)(key);
            if let Err(e) = claim_unique(self.store, self.ctx, key, &self.owner, refused).await {
                self.release(&keys[..i]).await?;
                return Err(e);
            }
        }
        Ok(())
    }

    async fn release(&self, keys: &[String]) -> Result<(), crate::WriteError> {
        for key in keys {
            release(self.store, self.ctx, key, &self.owner)
                .await
                .map_err(crate::WriteError::internal)?;
        }
        Ok(())
    }
}
