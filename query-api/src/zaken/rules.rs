//! The zaak rules that look outside the zaak's own fields: its zaaktype's
//! productenOfDiensten, the Referentielijsten API, and its hoofdzaak.

use uuid::Uuid;

use crate::error::ApiError;
use crate::AppState;

/// `invalid-products-services` unless every product or service is one of the zaaktype's.
pub fn check_producten(
    producten: &[String],
    zaaktype: &super::catalogus::ZaaktypeFacts,
) -> Result<(), ApiError> {
    if producten
        .iter()
        .all(|p| zaaktype.producten_of_diensten.contains(p))
    {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "productenOfDiensten",
            "invalid-products-services",
            "Niet alle producten/diensten komen voor in de producten/diensten op het zaaktype",
        ))
    }
}

/// A zaak's selectielijstklasse is a resultaat of the Selectielijst API: of the configured
/// one when there is one, otherwise of any (fetched, and of a resultaat's shape), as the
/// reference's ResourceValidator checks it.
pub async fn check_selectielijstklasse(s: &AppState, url: &str) -> Result<(), ApiError> {
    use crate::referentielijsten::{resolve, Soort};
    if s.selectielijst.is_some() {
        resolve(s, "selectielijstklasse", url, Soort::Resultaat).await?;
    } else if !url.is_empty() {
        let shape = crate::remote::Shape::Resultaat;
        s.remote.resource("selectielijstklasse", url, shape).await?;
    }
    Ok(())
}

/// A communicatiekanaal is a communicatiekanaal of a Referentielijsten API: fetched (any
/// such API, not only a configured one) and of that shape, as the reference's
/// ResourceValidator checks it.
pub async fn check_communicatiekanaal(s: &AppState, url: &str) -> Result<(), ApiError> {
    if url.is_empty() {
        return Ok(());
    }
    s.remote
        .resource(
            "communicatiekanaal",
            url,
            crate::remote::Shape::Communicatiekanaal,
        )
        .await?;
    Ok(())
}

/// Each `{list}[].url` (relevanteAndereZaken, gerelateerdeZaken) is a zaak: one of ours that
/// exists, or another Zaken API's, fetched (`bad-url`, `invalid-resource`), as the
/// reference's LooseFkResourceValidator.
pub async fn check_zaak_urls(s: &AppState, list: &str, urls: &[&str]) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    for (i, url) in urls.iter().enumerate() {
        let field = format!("{list}.{i}.url");
        if let Err(ApiError::Validation(p)) = check_zaak_url(s, &field, url).await {
            problems.extend(p);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(problems))
    }
}

/// `url` names a zaak: ours (in the zaken read model) or another Zaken API's.
pub async fn check_zaak_url(s: &AppState, field: &str, url: &str) -> Result<(), ApiError> {
    if let Some(uuid) = s.urls.zaak_uuid(url) {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM zaken WHERE uuid = $1)")
                .bind(uuid)
                .fetch_one(&s.pool)
                .await
                .map_err(ApiError::internal)?;
        return if exists {
            Ok(())
        } else {
            Err(ApiError::invalid(
                field,
                "bad-url",
                format!("De URL {url} resolvet niet naar een zaak."),
            ))
        };
    }
    s.remote
        .resource(field, url, crate::remote::Shape::Zaak)
        .await
        .map(drop)
}

/// The standard's rules for `hoofdzaak`: one of our zaken, not the zaak itself, not a
/// deelzaak itself (one level of deelzaken), and of a zaaktype whose deelzaaktypen hold
/// `zaaktype` (`invalid-deelzaaktype`, as Open Zaak; `None`: the zaak's current one).
pub async fn check_hoofdzaak(
    s: &AppState,
    zaak: Uuid,
    url: Option<&str>,
    zaaktype: Option<&str>,
) -> Result<(), ApiError> {
    let Some(url) = url.filter(|u| !u.is_empty()) else {
        return Ok(());
    };
    let invalid = |code: &str, reason: &str| ApiError::invalid("hoofdzaak", code, reason);
    let hoofdzaak = s
        .urls
        .zaak_uuid(url)
        .ok_or_else(|| invalid("no_match", "Ongeldige hyperlink - Geen URL match."))?;
    if hoofdzaak == zaak {
        return Err(invalid(
            "self-forbidden",
            "Het veld 'hoofdzaak' mag niet naar zichzelf verwijzen.",
        ));
    }
    let parent: Option<(Option<Uuid>, String)> =
        sqlx::query_as("SELECT hoofdzaak, zaaktype FROM zaken WHERE uuid = $1")
            .bind(hoofdzaak)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?;
    let hoofdzaaktype = match parent {
        None => {
            return Err(invalid(
                "does_not_exist",
                "Ongeldige hyperlink - Object bestaat niet.",
            ))
        }
        Some((Some(_), _)) => {
            return Err(invalid(
                "deelzaak-als-hoofdzaak",
                "Deelzaken van deelzaken wordt niet ondersteund.",
            ))
        }
        Some((None, zaaktype)) => zaaktype,
    };
    let zaaktype = match zaaktype {
        Some(z) => z.to_owned(),
        None => sqlx::query_scalar("SELECT zaaktype FROM zaken WHERE uuid = $1")
            .bind(zaak)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?
            .unwrap_or_default(),
    };
    let facts = super::catalogus::zaaktype_facts(s, &hoofdzaaktype).await?;
    if facts.deelzaaktypen.contains(&zaaktype) {
        Ok(())
    } else {
        Err(invalid(
            "invalid-deelzaaktype",
            "Zaaktype niet vastgelegd in deelzaaktypen van hoofdzaak.zaaktype",
        ))
    }
}
