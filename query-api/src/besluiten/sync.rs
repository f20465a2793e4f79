//! Read-your-writes across APIs for a besluit write: it returns once the besluiten read
//! model has it AND the process manager's changes show in the zaken read model (the
//! zaakbesluit of the besluit's zaak, before and after the write) and in the documenten
//! read model (the objectinformatieobjecten of its besluitinformatieobjecten).

use event_store::Position;
use projections::besluiten::NAME as BESLUITEN;

use crate::error::ApiError;
use crate::sync::{self, Touched};
use crate::AppState;

pub async fn wait(
    s: &AppState,
    position: Option<Position>,
    zaken: &[Option<&str>],
    documents: &[&str],
) -> Result<(), ApiError> {
    s.wait_for(BESLUITEN, position).await;
    let zaken = zaken.iter().flatten().filter_map(|z| Touched::zaak(s, z));
    let documents = documents.iter().filter_map(|d| Touched::document(s, d));
    sync::wait(s, position, zaken.chain(documents)).await
}
