//! Read-your-writes across aggregates. A write the process manager reacts to (a besluit's
//! zaakbesluit, a zaak- or besluitinformatieobject's mirrored objectinformatieobject)
//! returns once the process manager has passed the write's event — its commands are then
//! appended — and the read model of every aggregate it may have changed has reached that
//! aggregate's stream head.

use event_schemas::document::DocumentEvent;
use event_schemas::zaak::ZaakEvent;
use event_schemas::{stream_name, VersionedEvent};
use event_store::Position;
use projections::documenten::NAME as DOCUMENTEN;
use projections::zaken::NAME as ZAKEN;

use crate::error::ApiError;
use crate::AppState;

/// An aggregate of ours a reaction may change: the read model that shows it, its stream.
pub struct Touched {
    read_model: &'static str,
    stream: String,
}

impl Touched {
    /// The zaak at `url`, when it is one of ours.
    pub fn zaak(s: &AppState, url: &str) -> Option<Self> {
        let uuid = s.urls.zaak_uuid(url)?;
        Some(Self {
            read_model: ZAKEN,
            stream: stream_name(ZaakEvent::CATEGORY, uuid),
        })
    }

    /// The document at `url`, when it is one of ours.
    pub fn document(s: &AppState, url: &str) -> Option<Self> {
        let uuid = s.urls.document_uuid(url)?;
        Some(Self {
            read_model: DOCUMENTEN,
            stream: stream_name(DocumentEvent::CATEGORY, uuid),
        })
    }
}

/// Waits until the process manager passed `position` (the write's append) and each
/// touched aggregate's read model shows its stream as it is then.
pub async fn wait(
    s: &AppState,
    position: Option<Position>,
    touched: impl IntoIterator<Item = Touched>,
) -> Result<(), ApiError> {
    let touched: Vec<Touched> = touched.into_iter().collect();
    if touched.is_empty() || position.is_none() {
        return Ok(());
    }
    s.wait_for(process_managers::NAME, position).await;
    for t in touched {
        let head = s
            .commands
            .store()
            .stream_head(&t.stream)
            .await
            .map_err(ApiError::internal)?;
        s.wait_for(t.read_model, head).await;
    }
    Ok(())
}
