//! A document as it was: `GET /enkelvoudiginformatieobjecten/{uuid}?asOf=`.
//!
//! `asOf` is the instant of our log (what the API answered then); `versie` and
//! `registratieOp` choose among the versions the document had at that instant, as they do
//! among today's: `?versie=2&asOf=T` is what `?versie=2` answered at T (404 if version 2
//! came later), `?registratieOp=R&asOf=T` the latest version registered at or before R of
//! those there were at T. Alone, `asOf` shows the latest version of then, with its lock and
//! pending bestandsdelen as they were.

use axum::response::Response;
use chrono::{DateTime, Utc};
use domain::informatieobject::DocumentAggregate;
use event_schemas::applicatie::Component;
use projections::documenten::render;
use serde_json::Value;
use uuid::Uuid;

use super::{memento, past, Grant};
use crate::documenten::Versie;
use crate::error::ApiError;
use crate::{AppState, Caller};

/// Version `versie` of document `uuid` as it was at `instant`. The grants apply to that
/// version as it was then and to the document as it is now (its latest version): the
/// stricter wins, as for a zaak.
pub async fn document(
    s: &AppState,
    caller: &Caller,
    uuid: Uuid,
    versie: Versie,
    instant: DateTime<Utc>,
) -> Result<Response, ApiError> {
    let past = document_then(s, caller, uuid, versie, instant).await?;
    Ok(memento(past.resource, past.changed))
}

/// A document as it was, rendered.
pub struct DocumentThen {
    /// The chosen version as `GET` rendered it then.
    pub resource: Value,
    /// Every version it had then, oldest first, as `?versie=` rendered each.
    pub versies: Vec<Value>,
    /// The change shown.
    pub changed: DateTime<Utc>,
}

/// Version `versie` of document `uuid` at `instant`, rendered, under the grants as for
/// [`document`].
pub(crate) async fn document_then(
    s: &AppState,
    caller: &Caller,
    uuid: Uuid,
    versie: Versie,
    instant: DateTime<Utc>,
) -> Result<DocumentThen, ApiError> {
    let (doc, changed) =
        past::<DocumentAggregate, _>(s, uuid, instant, "Het informatieobject").await?;
    let version = versie.pick(&doc).ok_or(ApiError::NotFound)?;
    let then = &version.attributes;
    let grant = Grant {
        component: Component::Drc,
        scope: "documenten.lezen",
        now: "SELECT informatieobjecttype, vertrouwelijkheidaanduiding FROM document_versies
              WHERE uuid = $1 AND is_latest",
    };
    grant
        .require(
            s,
            caller,
            uuid,
            &then.informatieobjecttype,
            then.vertrouwelijkheidaanduiding,
        )
        .await?;
    Ok(DocumentThen {
        resource: render::document(&doc, version, &s.urls),
        versies: doc
            .versions
            .iter()
            .map(|v| render::document(&doc, v, &s.urls))
            .collect(),
        changed,
    })
}
