//! A catalogi resource as it was at an instant (issue 19, time travel). A resource shows
//! what derives from the rest of its catalogus (a zaaktype its statustypen, ...), so the
//! catalogus is rebuilt as it was: the object's own stream, those of the objects its
//! catalogus holds now and of the zaaktype and informatieobjecttype it names, each folded
//! up to the instant ([`history`]) and rendered by the read model's [`render`] functions.
//!
//! An object deleted since that the object itself does not name is missing from the
//! derived fields (the log has no index by catalogus). Catalogi streams stay short (a
//! type is edited a few times, then published), so their projection takes no snapshots.

use chrono::{DateTime, Utc};
use domain::catalogus::CatalogusAggregate;
use domain::catalogus_object::CatalogusObjectAggregate;
use event_schemas::catalogus::{CatalogusEvent, CatalogusObjectEvent, ObjectKind};
use event_schemas::{stream_name, VersionedEvent};
use futures::future::try_join_all;
use serde_json::Value;
use uuid::Uuid;

use super::snapshot::{Snapshot, Stored};
use super::{catalogus_of, is_orphan, render};
use crate::history::{self, AsOf, Sources};
use crate::render::Urls;
use crate::ProjectionError;

/// Catalogus `uuid` (`kind` None) or catalogus object `uuid` of `kind`, rendered as it was
/// at `instant`, with the time of the last change it shows.
pub async fn resource(
    sources: Sources<'_>,
    urls: &Urls,
    kind: Option<ObjectKind>,
    uuid: Uuid,
    instant: DateTime<Utc>,
) -> Result<AsOf<Value>, ProjectionError> {
    let (own, changed) = match fold(sources, kind.is_none(), uuid, instant).await? {
        AsOf::Was { state, changed } => (state, changed),
        AsOf::NotYet => return Ok(AsOf::NotYet),
        AsOf::Gone { deleted } => return Ok(AsOf::Gone { deleted }),
    };
    let is_kind = |o: &domain::catalogus_object::CatalogusObject| Some(o.kind) == kind;
    match &own {
        Stored::Object(o) if !is_kind(o) => return Ok(AsOf::NotYet),
        _ => {}
    }
    let Some(catalogus) = catalogus_of(&own, urls) else {
        return Ok(AsOf::NotYet);
    };
    let (rows, last) = around(sources, urls, &own, catalogus, instant).await?;
    let all = Snapshot::new(rows.iter().cloned());
    if is_orphan(&own, &all, urls) {
        return Ok(AsOf::NotYet); // hidden, as the read model hides it
    }
    let kept = rows.into_iter().filter(|s| !is_orphan(s, &all, urls));
    let snapshot = Snapshot::new(kept).with(own.clone());
    let state = match &own {
        Stored::Catalogus(c) => render::catalogus(c, &snapshot, urls),
        Stored::Object(o) => render::object(o, &snapshot, urls),
    };
    let changed = last.map_or(changed, |l| l.max(changed));
    Ok(AsOf::Was { state, changed })
}

/// The stream of a catalogus or a catalogus object, folded up to `instant`.
async fn fold(
    sources: Sources<'_>,
    is_catalogus: bool,
    uuid: Uuid,
    instant: DateTime<Utc>,
) -> Result<AsOf<Stored>, ProjectionError> {
    let past = if is_catalogus {
        let stream = stream_name(CatalogusEvent::CATEGORY, uuid);
        map(
            history::state::<CatalogusAggregate, _>(sources, &stream, instant).await?,
            Stored::Catalogus,
        )
    } else {
        let stream = stream_name(CatalogusObjectEvent::CATEGORY, uuid);
        map(
            history::state::<CatalogusObjectAggregate, _>(sources, &stream, instant).await?,
            Stored::Object,
        )
    };
    Ok(past)
}

fn map<S>(past: AsOf<S>, f: impl FnOnce(S) -> Stored) -> AsOf<Stored> {
    match past {
        AsOf::Was { state, changed } => AsOf::Was {
            state: f(state),
            changed,
        },
        AsOf::NotYet => AsOf::NotYet,
        AsOf::Gone { deleted } => AsOf::Gone { deleted },
    }
}

/// Catalogus `catalogus` at `instant`, in the read model's order (`own` too, folded again
/// for its place), and the time of the last change in it.
async fn around(
    sources: Sources<'_>,
    urls: &Urls,
    own: &Stored,
    catalogus: Uuid,
    instant: DateTime<Utc>,
) -> Result<(Vec<Stored>, Option<DateTime<Utc>>), ProjectionError> {
    let mut members: Vec<(Uuid, bool)> = sqlx::query_as(
        "SELECT uuid, kind = 'catalogus' FROM catalogus_objecten WHERE catalogus = $1
         ORDER BY ordinal",
    )
    .bind(catalogus)
    .fetch_all(sources.pool)
    .await?;
    if let Stored::Object(o) = own {
        let owners = [
            (ObjectKind::Zaaktype, "zaaktype"),
            (ObjectKind::Informatieobjecttype, "informatieobjecttype"),
        ];
        for (kind, field) in owners {
            let owner = urls.catalogi_uuid(kind.collection(), o.text(field));
            members.extend(owner.map(|u| (u, false)));
        }
    }
    if !members.iter().any(|(u, _)| *u == catalogus) {
        members.push((catalogus, true));
    }
    let mut seen = std::collections::HashSet::new();
    members.retain(|(u, _)| seen.insert(*u));
    let folds = members
        .iter()
        .map(|(u, is_catalogus)| fold(sources, *is_catalogus, *u, instant));
    let mut rows = Vec::with_capacity(members.len());
    let mut last = None;
    for past in try_join_all(folds).await? {
        if let AsOf::Was { state, changed } = past {
            rows.push(state);
            last = last.max(Some(changed));
        }
    }
    Ok((rows, last))
}
