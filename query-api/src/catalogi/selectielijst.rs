//! The catalogue's references into the Referentielijsten/Selectielijst API, checked when
//! that API is configured (`crate::referentielijsten`): a zaaktype's
//! selectielijstProcestype is a procestype; a resultaattype's resultaattypeomschrijving is
//! one (and gives the resultaattype its omschrijvingGeneriek), its selectielijstklasse a
//! resultaat, described for the rules (procestype, procestermijn, waardering,
//! bewaartermijn: `domain::catalogus_object::Selectielijstklasse`). The adapters of
//! `commands::catalogi::CatalogiPorts`' Selectielijst lookups.

use domain::catalogus_object::Selectielijstklasse;
use serde_json::Value;

use crate::error::ApiError;
use crate::referentielijsten::{resolve, Soort};
use crate::AppState;

/// A zaaktype's selectielijstProcestype is a procestype (`bad-url`, `invalid-resource`).
pub async fn check_procestype(s: &AppState, url: &str) -> Result<(), ApiError> {
    resolve(s, "selectielijstProcestype", url, Soort::Procestype).await?;
    Ok(())
}

/// The `omschrijving` of the resultaattypeomschrijving at `url`.
pub async fn resultaattypeomschrijving(s: &AppState, url: &str) -> Result<Option<Value>, ApiError> {
    let field = "resultaattypeomschrijving";
    let found = resolve(s, field, url, Soort::Resultaattypeomschrijving).await?;
    Ok(found.map(|o| o["omschrijving"].clone()))
}

/// The selectielijstklasse at `url`, as the rules need it (without the zaaktype's
/// procestype).
pub async fn selectielijstklasse(
    s: &AppState,
    url: &str,
) -> Result<Option<Selectielijstklasse>, ApiError> {
    let Some(r) = resolve(s, "selectielijstklasse", url, Soort::Resultaat).await? else {
        return Ok(None);
    };
    let field = |name: &str| r.get(name).and_then(Value::as_str).unwrap_or_default();
    Ok(Some(Selectielijstklasse {
        procestype: field("procesType").to_owned(),
        zaaktype_procestype: None,
        procestermijn: field("procestermijn").to_owned(),
        waardering: field("waardering").to_owned(),
        bewaartermijn: Some(field("bewaartermijn"))
            .filter(|t| !t.is_empty())
            .map(str::to_owned),
    }))
}

/// The selectielijstProcestype of the zaaktype at `url` (ours), if any.
pub async fn zaaktype_procestype(s: &AppState, url: &str) -> Result<Option<String>, ApiError> {
    let Some(uuid) = url
        .rsplit('/')
        .next()
        .and_then(|u| u.parse::<uuid::Uuid>().ok())
    else {
        return Ok(None);
    };
    sqlx::query_scalar(
        "SELECT resource ->> 'selectielijstProcestype' FROM catalogus_objecten
         WHERE uuid = $1 AND kind = 'zaaktype'",
    )
    .bind(uuid)
    .fetch_optional(&s.pool)
    .await
    .map(Option::flatten)
    .map_err(ApiError::internal)
}
