//! Read-your-writes across two APIs: a besluit write returns once the besluiten read model
//! has it AND the process manager has put the besluit on its zaak (a zaakbesluit) and the
//! zaken read model shows that.

use event_schemas::zaak::ZaakEvent;
use event_schemas::{stream_name, VersionedEvent};
use event_store::Position;
use projections::besluiten::NAME as BESLUITEN;
use projections::zaken::NAME as ZAKEN;

use crate::error::ApiError;
use crate::AppState;

/// Waits for `position` (the besluit's append) in the besluiten read model and, when the
/// besluit's zaak (before or after the write) is one of ours, for the zaakbesluit it leads
/// to in the zaken read model.
pub async fn wait(
    s: &AppState,
    position: Option<Position>,
    zaken: &[Option<&str>],
) -> Result<(), ApiError> {
    s.wait_for(BESLUITEN, position).await;
    let ours: Vec<uuid::Uuid> = zaken
        .iter()
        .flatten()
        .filter_map(|url| s.urls.zaak_uuid(url))
        .collect();
    if ours.is_empty() || position.is_none() {
        return Ok(());
    }
    // Once the process manager passed the besluit's event, its zaak commands are appended:
    // the zaak streams' heads are what the zaken read model must reach.
    s.wait_for(process_managers::NAME, position).await;
    let mut head = None;
    for zaak in ours {
        let stream = stream_name(ZaakEvent::CATEGORY, zaak);
        let events = s
            .commands
            .store()
            .read_stream(&stream, 0)
            .await
            .map_err(ApiError::internal)?;
        head = head.max(events.last().map(|e| e.position));
    }
    s.wait_for(ZAKEN, head).await;
    Ok(())
}
