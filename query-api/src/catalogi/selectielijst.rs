//! The catalogue's references into the Referentielijsten/Selectielijst API, checked when
//! that API is configured (`crate::referentielijsten`): a zaaktype's
//! selectielijstProcestype is a procestype; a resultaattype's resultaattypeomschrijving is
//! one (and gives the resultaattype its omschrijvingGeneriek), its selectielijstklasse a
//! resultaat, described for the rules (procestype, procestermijn, waardering,
//! bewaartermijn: `domain::catalogus_object::Selectielijstklasse`).

use domain::catalogus_object::Selectielijstklasse;
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

/// Checks the references (`bad-url`, `invalid-resource`); for a resultaattype, its
/// selectielijstklasse as the rules need it.
pub async fn check(
    s: &AppState,
    kind: ObjectKind,
    attributes: &mut ObjectAttributes,
) -> Result<Option<Selectielijstklasse>, ApiError> {
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
                let field = |name: &str| r.get(name).and_then(Value::as_str).unwrap_or_default();
                return Ok(Some(Selectielijstklasse {
                    procestype_matches: procestype
                        .filter(|p| !p.is_empty())
                        .is_none_or(|p| field("procesType") == p),
                    procestermijn: field("procestermijn").to_owned(),
                    waardering: field("waardering").to_owned(),
                    bewaartermijn: Some(field("bewaartermijn"))
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned),
                }));
            }
        }
        _ => {}
    }
    Ok(None)
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
