//! `PUT /bestandsdelen/{uuid}`: one part of a document's content, as multipart/form-data
//! (`inhoud` the bytes, `lock` the document's lock id). Once the caller may upload to the
//! document, the part is streamed into object storage as it arrives; the aggregate then
//! checks the lock and the part's size (`commands::documenten`).

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Json, Router};
use commands::documenten::Upload;
use event_schemas::document::ContentRef;
use futures::TryStreamExt;
use projections::documenten::NAME as DOCUMENTEN;
use serde_json::json;
use uuid::Uuid;

use crate::error::{ApiError, InvalidParam};
use crate::{AppState, Caller};

pub fn router() -> Router<AppState> {
    Router::new().route("/bestandsdelen/{uuid}", put(upload))
}

fn multipart_error(e: impl std::fmt::Display) -> ApiError {
    ApiError::invalid(
        "inhoud",
        "invalid",
        format!("Ongeldige multipart-inhoud: {e}"),
    )
}

/// The `lock` and the `inhoud` (streamed into the content store) of a multipart body,
/// both required (each missing one named).
async fn read(s: &AppState, mut multipart: Multipart) -> Result<(String, ContentRef), ApiError> {
    let (mut lock, mut content): (Option<String>, Option<ContentRef>) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("lock") => lock = Some(field.text().await.map_err(multipart_error)?),
            Some("inhoud") => {
                let stream = field.map_err(multipart_error);
                let stored = s
                    .documenten
                    .content
                    .put_stream(Box::pin(stream))
                    .await
                    .map_err(ApiError::internal)?;
                content = Some(stored);
            }
            _ => {}
        }
    }
    let mut errors = Vec::new();
    if lock.as_deref().is_none_or(str::is_empty) {
        errors.push(InvalidParam::new(
            "lock",
            "required",
            "Dit veld is vereist.",
        ));
    }
    if content.is_none() {
        errors.push(InvalidParam::new(
            "inhoud",
            "required",
            "Er is geen bestand opgestuurd.",
        ));
    }
    match (lock, content) {
        // An empty lock with content is the aggregate's to refuse (`missing-lock-id`).
        (Some(lock), Some(content)) => Ok((lock, content)),
        _ => Err(ApiError::Validation(errors)),
    }
}

async fn upload(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let deel: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let documenten = super::service(&s);
    let auth = &caller.authorisation;
    let document = documenten.bestandsdeel_document(auth, deel).await?;
    let (lock, content) = read(&s, multipart).await?;
    let ctx = s.context(&caller);
    let upload = Upload {
        document,
        deel,
        lock: lock.clone(),
        content,
    };
    let outcome = documenten.upload(auth, &ctx, upload).await?;
    s.wait_for(DOCUMENTEN, outcome.position).await;
    let doc = outcome.state.ok_or(ApiError::NotFound)?;
    let part = doc
        .bestandsdelen
        .iter()
        .find(|d| d.uuid == deel)
        .ok_or(ApiError::NotFound)?;
    Ok(Json(json!({
        "url": s.urls.bestandsdeel(deel),
        "volgnummer": part.volgnummer,
        "omvang": part.omvang,
        "voltooid": part.voltooid(),
        "lock": lock,
    }))
    .into_response())
}
