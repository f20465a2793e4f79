//! The catalogue facts a zaak write is checked against: a zaaktype, statustype,
//! resultaattype, roltype or eigenschap by its URL. Ours come from the catalogi read model
//! (`catalogi::facts`); those of another Catalogi API are fetched (`remote`), since a ZGW
//! Zaken API may use any catalogue. A URL that does not resolve is `bad-url`; one that
//! resolves to something else is `invalid-resource`; a type of another zaaktype than the
//! zaak's is `zaaktype-mismatch`.

use std::future::Future;

use serde::de::DeserializeOwned;

use event_schemas::catalogus::ObjectKind;

use crate::catalogi::facts;
use crate::error::ApiError;
use crate::AppState;

pub use facts::{
    BesluittypeFacts, EigenschapFacts, InformatieobjecttypeFacts, ResultaattypeFacts, RoltypeFacts,
    StatustypeFacts, ZaaktypeFacts,
};

fn bad_url(field: &str, url: &str) -> ApiError {
    ApiError::invalid(
        field,
        "bad-url",
        format!("De URL {url} resolvet niet naar een bruikbare resource."),
    )
}

/// The facts of `url` for `field`: from our read model when it is one of ours.
async fn resolve<T, F>(s: &AppState, field: &str, url: &str, local: F) -> Result<T, ApiError>
where
    T: DeserializeOwned,
    F: Future<Output = Result<Option<T>, sqlx::Error>>,
{
    if url.starts_with(&format!("{}/catalogi/api/v1/", s.urls.base())) {
        return match local.await.map_err(ApiError::internal)? {
            Some(found) => Ok(found),
            None if served_elsewhere(s, url).await? => Err(invalid_resource(field, url)),
            None => Err(bad_url(field, url)),
        };
    }
    let value = s.remote.get(url).await.map_err(|e| e.for_field(field))?;
    serde_json::from_value(value).map_err(|_| invalid_resource(field, url))
}

fn invalid_resource(field: &str, url: &str) -> ApiError {
    ApiError::invalid(
        field,
        "invalid-resource",
        format!("De URL {url} wijst niet naar een resource van de verwachte soort."),
    )
}

/// Whether a Catalogi URL of ours that is not of the kind asked for names another resource
/// we serve (a catalogus given as zaaktype): a GET of it answers 200, so the reference
/// calls it `invalid-resource`, not `bad-url`.
async fn served_elsewhere(s: &AppState, url: &str) -> Result<bool, ApiError> {
    let Some((collection, uuid)) =
        url.trim_end_matches('/')
            .rsplit_once('/')
            .and_then(|(head, uuid)| {
                Some((head.rsplit('/').next()?, uuid.parse::<uuid::Uuid>().ok()?))
            })
    else {
        return Ok(false);
    };
    let kind: Option<String> =
        sqlx::query_scalar("SELECT kind FROM catalogus_objecten WHERE uuid = $1")
            .bind(uuid)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?;
    Ok(kind.is_some_and(|kind| match ObjectKind::parse(&kind) {
        Some(k) => k.collection() == collection,
        None => collection == "catalogussen",
    }))
}

/// The zaaktype at `url`, ours or another catalogue's (its problems named `field`).
pub async fn zaaktype(s: &AppState, field: &str, url: &str) -> Result<ZaaktypeFacts, ApiError> {
    resolve(s, field, url, facts::zaaktype(&s.pool, url)).await
}

/// A besluittype, ours or another catalogue's (its publication is the besluit's rule).
pub async fn besluittype(s: &AppState, url: &str) -> Result<BesluittypeFacts, ApiError> {
    resolve(s, "besluittype", url, facts::besluittype(&s.pool, url)).await
}

/// An informatieobjecttype, ours or another catalogue's (whether a document may have it is
/// the Documenten write side's rule).
pub async fn informatieobjecttype(
    s: &AppState,
    url: &str,
) -> Result<InformatieobjecttypeFacts, ApiError> {
    let field = "informatieobjecttype";
    resolve(s, field, url, facts::informatieobjecttype(&s.pool, url)).await
}

pub async fn statustype(s: &AppState, url: &str) -> Result<StatustypeFacts, ApiError> {
    resolve(s, "statustype", url, facts::statustype(&s.pool, url)).await
}

pub async fn resultaattype(s: &AppState, url: &str) -> Result<ResultaattypeFacts, ApiError> {
    resolve(s, "resultaattype", url, facts::resultaattype(&s.pool, url)).await
}

pub async fn roltype(s: &AppState, url: &str) -> Result<RoltypeFacts, ApiError> {
    resolve(s, "roltype", url, facts::roltype(&s.pool, url)).await
}

pub async fn eigenschap(s: &AppState, url: &str) -> Result<EigenschapFacts, ApiError> {
    resolve(s, "eigenschap", url, facts::eigenschap(&s.pool, url)).await
}
