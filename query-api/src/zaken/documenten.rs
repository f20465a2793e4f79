//! What closing and archiving a zaak require of its documents (the informatieobjecten of
//! its zaakinformatieobjecten: ours read from the documenten read model, others fetched
//! from their Documenten API): on the eindstatus none
//! is locked (`informatieobject-locked`) and each has indicatieGebruiksrecht
//! (`indicatiegebruiksrecht-unset`); archiving needs each `gearchiveerd`
//! (`documents-not-archived`). A document that cannot be fetched refuses both (`bad-url`):
//! what cannot be checked is not assumed right.

use domain::zaak::Zaak;
use event_schemas::zaak::PartKind;
use serde_json::Value;

use crate::error::ApiError;
use crate::AppState;

async fn linked(s: &AppState, zaak: &Zaak) -> Result<Vec<Value>, ApiError> {
    let mut documents = Vec::new();
    for (_, zio) in zaak.parts_of(PartKind::Zaakinformatieobject) {
        let url = zio
            .attributes
            .get("informatieobject")
            .and_then(Value::as_str)
            .unwrap_or_default();
        // Ours from the Documenten read model, another API's over HTTP.
        let ours = crate::documenten::facts::document(&s.pool, &s.urls, url)
            .await
            .map_err(ApiError::internal)?;
        let document = match ours {
            Some(d) => d,
            None => s
                .remote
                .get_now(url)
                .await
                .map_err(|e| ApiError::invalid("nonFieldErrors", "bad-url", e.to_string()))?,
        };
        documents.push(document);
    }
    Ok(documents)
}

fn refuse(code: &str, reason: &str) -> ApiError {
    ApiError::invalid("nonFieldErrors", code, reason)
}

pub async fn check_closing(s: &AppState, zaak: &Zaak) -> Result<(), ApiError> {
    for d in linked(s, zaak).await? {
        if d.get("locked").and_then(Value::as_bool) == Some(true) {
            return Err(refuse(
                "informatieobject-locked",
                "Er zijn gerelateerde informatieobjecten die nog gelocked zijn.",
            ));
        }
        if d.get("indicatieGebruiksrecht").is_none_or(Value::is_null) {
            return Err(refuse(
                "indicatiegebruiksrecht-unset",
                "Er zijn gerelateerde informatieobjecten waarvoor `indicatieGebruiksrecht` nog niet gespecifieerd is.",
            ));
        }
    }
    Ok(())
}

pub async fn check_archiving(s: &AppState, zaak: &Zaak) -> Result<(), ApiError> {
    for d in linked(s, zaak).await? {
        if d.get("status").and_then(Value::as_str) != Some("gearchiveerd") {
            return Err(ApiError::invalid(
                "archiefstatus",
                "documents-not-archived",
                "Er zijn gerelateerde informatieobjecten waarvan de `status` nog niet gelijk is aan `gearchiveerd`.",
            ));
        }
    }
    Ok(())
}

/// A zaakinformatieobject's document, when it is one of ours: it exists (`does_not_exist`)
/// and its informatieobjecttype is one the zaak's zaaktype (when ours) may hold
/// (`missing-zaaktype-informatieobjecttype-relation`). Others' are fetched (`bad-url`,
/// `invalid-resource`).
pub async fn check_link(s: &AppState, zaak: uuid::Uuid, url: &str) -> Result<(), ApiError> {
    let Some(document) = crate::documenten::facts::linked(s, url).await? else {
        // Another Documenten API's: fetched, and an enkelvoudiginformatieobject.
        let shape = crate::remote::Shape::Informatieobject;
        s.remote.resource("informatieobject", url, shape).await?;
        return Ok(());
    };
    let zaaktype: Option<String> = sqlx::query_scalar("SELECT zaaktype FROM zaken WHERE uuid = $1")
        .bind(zaak)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)?;
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
    if facts.informatieobjecttypen.iter().any(|t| t == iot) {
        Ok(())
    } else {
        Err(refuse(
            "missing-zaaktype-informatieobjecttype-relation",
            "Het informatieobjecttype hoort niet bij het zaaktype van de zaak.",
        ))
    }
}
