//! `PUT /bestandsdelen/{uuid}`: one part of a document's content, as multipart/form-data
//! (`inhoud` the bytes, `lock` the document's lock id). The part is streamed into object
//! storage as it arrives; the aggregate then checks the lock and the part's size.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Json, Router};
use domain::informatieobject::DocumentCommand;
use event_schemas::document::ContentRef;
use futures::TryStreamExt;
use projections::documenten::BESTANDSDEEL;
use serde_json::json;
use uuid::Uuid;

use super::writes::{load, require_on, run};

const SCOPE: &str = "documenten.bijwerken";
use crate::error::ApiError;
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

async fn upload(
    State(s): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, ApiError> {
    let deel: Uuid = uuid.parse().map_err(|_| ApiError::NotFound)?;
    let document: Uuid = sqlx::query_scalar(
        "SELECT document_uuid FROM document_parts WHERE uuid = $1 AND kind = $2",
    )
    .bind(deel)
    .bind(BESTANDSDEEL)
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound)?;
    load(&s, &caller, document, SCOPE).await?;
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
        errors.push(crate::error::InvalidParam::new(
            "lock",
            "required",
            "Dit veld is vereist.",
        ));
    }
    if content.is_none() {
        errors.push(crate::error::InvalidParam::new(
            "inhoud",
            "required",
            "Er is geen bestand opgestuurd.",
        ));
    }
    let (Some(lock), Some(content)) = (lock, content) else {
        return Err(ApiError::Validation(errors));
    };
    let ctx = s.context(&caller);
    let doc = run(&s, &ctx, document, |doc| {
        require_on(&caller, doc, SCOPE)?;
        Ok(DocumentCommand::UploadBestandsdeel {
            uuid: deel,
            lock: lock.clone(),
            content: content.clone(),
        })
    })
    .await?
    .ok_or(ApiError::NotFound)?;
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
