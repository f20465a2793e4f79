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

/// A selectielijstklasse is a resultaat of the Selectielijst API, when that is configured.
pub async fn check_selectielijstklasse(s: &AppState, url: &str) -> Result<(), ApiError> {
    use crate::referentielijsten::{resolve, Soort};
    resolve(s, "selectielijstklasse", url, Soort::Resultaat).await?;
    Ok(())
}

/// A communicatiekanaal is one of the Referentielijsten API, when that is configured.
pub async fn check_communicatiekanaal(s: &AppState, url: &str) -> Result<(), ApiError> {
    use crate::referentielijsten::{resolve, Soort};
    resolve(s, "communicatiekanaal", url, Soort::Communicatiekanaal).await?;
    Ok(())
}

/// The standard's rules for `hoofdzaak`: one of our zaken, not the zaak itself, and not a
/// deelzaak itself (one level of deelzaken).
pub async fn check_hoofdzaak(s: &AppState, zaak: Uuid, url: Option<&str>) -> Result<(), ApiError> {
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
    let parent: Option<Option<Uuid>> =
        sqlx::query_scalar("SELECT hoofdzaak FROM zaken WHERE uuid = $1")
            .bind(hoofdzaak)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?;
    match parent {
        None => Err(invalid(
            "does_not_exist",
            "Ongeldige hyperlink - Object bestaat niet.",
        )),
        Some(Some(_)) => Err(invalid(
            "deelzaak-als-hoofdzaak",
            "Deelzaken van deelzaken wordt niet ondersteund.",
        )),
        Some(None) => Ok(()),
    }
}
