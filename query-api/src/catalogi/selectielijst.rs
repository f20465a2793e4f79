//! The catalogue's references into the Referentielijsten/Selectielijst API, checked when
//! that API is configured (`crate::referentielijsten`): a zaaktype's
//! selectielijstProcestype is a procestype; a resultaattype's resultaattypeomschrijving is
//! one (and gives the resultaattype its omschrijvingGeneriek), its selectielijstklasse a
//! resultaat of the zaaktype's procestype (`procestype-mismatch`).

use event_schemas::catalogus::{ObjectAttributes, ObjectKind};
use serde_json::Value;

use crate::error::ApiError;
use crate::referentielijsten::{resolve, Soort};
use crate::AppState;

fn text<'a>(attributes: &'a ObjectAttributes, name: &str) -> &'a str {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

pub async fn check(
    s: &AppState,
    kind: ObjectKind,
    attributes: &mut ObjectAttributes,
) -> Result<(), ApiError> {
    match kind {
        ObjectKind::Zaaktype => {
            let url = text(attributes, "selectielijstProcestype").to_owned();
            resolve(s, "selectielijstProcestype", &url, Soort::Procestype).await?;
        }
        ObjectKind::Resultaattype => {
            let url = text(attributes, "resultaattypeomschrijving").to_owned();
            let field = "resultaattypeomschrijving";
            if let Some(o) = resolve(s, field, &url, Soort::Resultaattypeomschrijving).await? {
                attributes.insert("omschrijvingGeneriek".into(), o["omschrijving"].clone());
            }
            let url = text(attributes, "selectielijstklasse").to_owned();
            if let Some(r) = resolve(s, "selectielijstklasse", &url, Soort::Resultaat).await? {
                let procestype = zaaktype_procestype(s, text(attributes, "zaaktype")).await?;
                let mismatch = procestype
                    .filter(|p| !p.is_empty())
                    .is_some_and(|p| r.get("procesType").and_then(Value::as_str) != Some(&p));
                if mismatch {
                    return Err(ApiError::invalid(
                        "selectielijstklasse",
                        "procestype-mismatch",
                        "De selectielijstklasse hoort niet bij het selectielijstProcestype van het zaaktype.",
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The selectielijstProcestype of the zaaktype at `url` (ours), if any.
async fn zaaktype_procestype(s: &AppState, url: &str) -> Result<Option<String>, ApiError> {
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
