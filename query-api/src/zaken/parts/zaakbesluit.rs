//! A zaakbesluit whose besluit is one of ours belongs to the besluit: the process manager
//! adds, moves and removes it as `besluit.zaak` says. The Zaken API's own writes of it are
//! only checks, as in Open Zaak: a POST answers with the existing relation (or
//! `inconsistent-relation` when the besluit is not about this zaak), a DELETE is refused
//! while the besluit still names the zaak.

use domain::zaak::{Zaak, ZaakAggregate};
use event_schemas::zaak::{PartAttributes, PartKind};
use serde_json::Value;
use uuid::Uuid;

use crate::error::ApiError;
use crate::AppState;

fn inconsistent(reason: &str) -> ApiError {
    ApiError::invalid("nonFieldErrors", "inconsistent-relation", reason)
}

/// The besluit of `attributes`, when it is one of ours.
fn own_besluit(s: &AppState, attributes: &PartAttributes) -> Option<String> {
    let url = attributes.get("besluit").and_then(Value::as_str)?;
    s.urls.besluit_uuid(url).map(|_| url.to_owned())
}

/// For a POST of a zaakbesluit of one of our besluiten: the zaak and the uuid of the
/// relation the besluit already made (`None` when the besluit is another API's: the POST
/// creates it as any part). `authorise` checks the caller on the zaak.
pub(super) async fn existing(
    s: &AppState,
    zaak: Uuid,
    attributes: &PartAttributes,
    authorise: impl Fn(&Zaak) -> Result<bool, ApiError>,
) -> Result<Option<(Zaak, Uuid)>, ApiError> {
    let Some(besluit) = own_besluit(s, attributes) else {
        return Ok(None);
    };
    let (state, _) = s
        .commands
        .load_state::<ZaakAggregate>(zaak)
        .await
        .map_err(ApiError::internal)?;
    let zaak = state.ok_or(ApiError::NotFound)?;
    authorise(&zaak)?;
    let found = zaak.parts.iter().find(|(_, p)| {
        p.kind == PartKind::Zaakbesluit
            && p.attributes.get("besluit").and_then(Value::as_str) == Some(besluit.as_str())
    });
    match found {
        Some((uuid, _)) => {
            let uuid = *uuid;
            Ok(Some((zaak, uuid)))
        }
        None => Err(inconsistent(
            "The relation between zaak and besluit doesn't exist",
        )),
    }
}

/// For a DELETE of a zaakbesluit: refused while its besluit (one of ours) names the zaak.
pub(super) async fn check_removable(
    s: &AppState,
    zaak: Uuid,
    resource: &Value,
) -> Result<(), ApiError> {
    let Some(uuid) = resource
        .get("besluit")
        .and_then(Value::as_str)
        .and_then(|u| s.urls.besluit_uuid(u))
    else {
        return Ok(());
    };
    let named: Option<String> = sqlx::query_scalar("SELECT zaak FROM besluiten WHERE uuid = $1")
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    if named.as_deref() == Some(s.urls.zaak(zaak).as_str()) {
        return Err(inconsistent(
            "Het Besluit verwijst nog naar deze zaak. Deze relatie moet eerst verbroken worden.",
        ));
    }
    Ok(())
}
