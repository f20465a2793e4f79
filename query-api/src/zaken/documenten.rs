//! The documents of a zaak as its write side needs them: the facts closing and archiving
//! are decided on (`domain::zaak::rules`; ours read from the documenten read model, others
//! fetched from their Documenten API: one that cannot be fetched is `bad-url`, as what
//! cannot be checked is not assumed right), and the check of a new zaakinformatieobject's
//! document.

use domain::zaak::DocumentFacts;
use serde_json::Value;

use crate::error::ApiError;
use crate::AppState;

/// What closing and archiving need to know of the documents `urls` name.
pub async fn facts(s: &AppState, urls: &[&str]) -> Result<Vec<DocumentFacts>, ApiError> {
    let mut documents = Vec::new();
    for url in urls {
        // Ours from the Documenten read model, another API's over HTTP.
        let ours = crate::documenten::facts::document(&s.pool, &s.urls, url)
            .await
            .map_err(ApiError::internal)?;
        let d = match ours {
            Some(d) => d,
            None => s
                .remote
                .get_now(url)
                .await
                .map_err(|e| ApiError::invalid("nonFieldErrors", "bad-url", e.to_string()))?,
        };
        documents.push(DocumentFacts {
            locked: d.get("locked").and_then(Value::as_bool) == Some(true),
            indicatie_gebruiksrecht_set: !d
                .get("indicatieGebruiksrecht")
                .is_none_or(Value::is_null),
            gearchiveerd: d.get("status").and_then(Value::as_str) == Some("gearchiveerd"),
        });
    }
    Ok(documents)
}

/// A zaakinformatieobject's document, when it is one of ours: it exists (`does_not_exist`)
/// and its informatieobjecttype is one the zaak's zaaktype (when ours) may hold
/// (`missing-zaaktype-informatieobjecttype-relation`). Others' are fetched (`bad-url`,
/// `invalid-resource`).
pub async fn check_link(
    s: &AppState,
    zaak: uuid::Uuid,
    zaaktype: Option<&str>,
    url: &str,
) -> Result<(), ApiError> {
    let Some(document) = crate::documenten::facts::linked(s, url).await? else {
        // Another Documenten API's: fetched, and an enkelvoudiginformatieobject.
        let shape = crate::remote::Shape::Informatieobject;
        s.remote.resource("informatieobject", url, shape).await?;
        return Ok(());
    };
    let zaaktype: Option<String> = match zaaktype {
        Some(z) => Some(z.to_owned()),
        None => sqlx::query_scalar("SELECT zaaktype FROM zaken WHERE uuid = $1")
            .bind(zaak)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?,
    };
    let Some(zaaktype) = zaaktype else {
        return Ok(()); // the write itself answers for a missing zaak
    };
    let Some(facts) = crate::catalogi::facts::zaaktype(&s.pool, &zaaktype)
        .await
        .map_err(ApiError::internal)?
    else {
        return Ok(());
    };
    let iot = document["informatieobjecttype"]
        .as_str()
        .unwrap_or_default();
    domain::zaak::rules::document_type(&facts.informatieobjecttypen, iot)
        .map_err(|rule| commands::zaken::refusal(domain::zaak::ZaakError::Rule(rule)).into())
}
