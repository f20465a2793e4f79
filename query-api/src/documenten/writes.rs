//! Running a command on a document: the caller's scope checked on the document as it is
//! when deciding, the domain's refusals as the standard's codes, and read-your-writes.

use commands::{CommandError, Context};
use domain::informatieobject::{Document, DocumentAggregate, DocumentCommand, DocumentError};
use event_schemas::applicatie::Component;
use projections::documenten::NAME as DOCUMENTEN;
use uuid::Uuid;

use crate::error::ApiError;
use crate::{AppState, Caller};

fn refuse(code: &str, e: DocumentError) -> ApiError {
    ApiError::invalid("nonFieldErrors", code, e.to_string())
}

pub(super) fn command_error<R: Into<ApiError>>(e: CommandError<DocumentError, R>) -> ApiError {
    use DocumentError as E;
    match e {
        CommandError::Domain(E::NotFound | E::PartNotFound | E::BestandsdeelNotFound) => {
            ApiError::NotFound
        }
        CommandError::Domain(e) => match e {
            E::Unlocked => refuse("unlocked", e),
            E::MissingLockId => refuse("missing-lock-id", e),
            E::IncorrectLockId => refuse("incorrect-lock-id", e),
            E::ExistingLock => refuse("existing-lock", e),
            // Open Zaak's code since 1.x (#1429): a locked document is not destroyed.
            E::LockedOnDelete => refuse("destroy-locked", e),
            E::IncompleteUpload => refuse("incomplete-upload", e),
            E::FileSize => refuse("file-size", e),
            E::PendingRelations => refuse("pending-relations", e),
            E::StatusDefinitief => refuse("modify-status-definitief", e),
            E::NotUnique => refuse("unique", e),
            E::MissingGebruiksrechten => ApiError::invalid(
                "indicatieGebruiksrecht",
                "missing-gebruiksrechten",
                e.to_string(),
            ),
            E::ExistingGebruiksrechten => ApiError::invalid(
                "indicatieGebruiksrecht",
                "existing-gebruiksrechten",
                e.to_string(),
            ),
            other => ApiError::internal(other),
        },
        CommandError::Rejected(r) => r.into(),
        other => crate::concurrency::command_failure(other),
    }
}

/// A fresh lock id.
pub(super) fn new_lock() -> String {
    Uuid::new_v4().simple().to_string()
}

/// 403 unless the caller holds `scope` on the document's type at its vertrouwelijkheid.
pub(super) fn require_on(caller: &Caller, doc: &Document, scope: &str) -> Result<(), ApiError> {
    let a = &doc.latest().attributes;
    caller.require(
        Component::Drc,
        scope,
        &a.informatieobjecttype,
        a.vertrouwelijkheidaanduiding,
    )
}

/// The document's current state (from its stream), after `scope` is checked on it.
pub(super) async fn load(
    s: &AppState,
    caller: &Caller,
    uuid: Uuid,
    scope: &str,
) -> Result<Document, ApiError> {
    let (state, _) = s
        .commands
        .load_state::<DocumentAggregate>(uuid)
        .await
        .map_err(ApiError::internal)?;
    let doc = state.ok_or(ApiError::NotFound)?;
    require_on(caller, &doc, scope)?;
    Ok(doc)
}

/// Decides the command `build` makes of the document as it is (on every retry), appends
/// and waits for the read model; the document after it (`None` once deleted).
pub(super) async fn run(
    s: &AppState,
    ctx: &Context,
    uuid: Uuid,
    build: impl Fn(&Document) -> Result<DocumentCommand, ApiError>,
) -> Result<Option<Document>, ApiError> {
    let outcome = s
        .commands
        .execute_with::<DocumentAggregate, ApiError>(uuid, ctx, |state| {
            build(state.as_ref().ok_or(ApiError::NotFound)?)
        })
        .await
        .map_err(command_error)?;
    s.wait_for(DOCUMENTEN, outcome.position).await;
    Ok(outcome.state)
}
