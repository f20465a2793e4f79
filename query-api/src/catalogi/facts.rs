//! What the Zaken side needs to know of the catalogue, read from the catalogi read model:
//! a zaaktype with its statustypen, resultaattypen, roltypen, eigenschappen,
//! informatieobjecttypen and besluittypen; single statustypen, resultaattypen, roltypen
//! and eigenschappen with the URL of their zaaktype; informatieobjecttypen and besluittypen
//! with their concept flag.
//!
//! Each lookup takes the full URL a client sent and answers `Ok(None)` unless it is the URL
//! of an existing object of ours of that kind (the stored resource's `url` must equal it),
//! so "is it ours and does it exist" is one call:
//!
//! ```ignore
//! let Some(zaaktype) = facts::zaaktype(&pool, &body.zaaktype).await? else {
//!     return Err(invalid("zaaktype", "does-not-exist", ...));
//! };
//! if zaaktype.concept { return Err(invalid("zaaktype", "zaaktype-concept", ...)); }
//! let eind = zaaktype.statustypen.iter().find(|s| s.is_eindstatus);
//! ```

use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

pub use domain::catalogue_facts::{
    BesluittypeFacts, EigenschapFacts, InformatieobjecttypeFacts, ResultaattypeFacts, RoltypeFacts,
    StatustypeFacts, ZaaktypeFacts,
};

fn decode<T: DeserializeOwned>(resource: Value) -> Result<T, sqlx::Error> {
    serde_json::from_value(resource).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The stored resource of kind `kind` whose URL is exactly `url`.
async fn resource(pool: &PgPool, kind: &str, url: &str) -> Result<Option<Value>, sqlx::Error> {
    let Some(uuid) = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(|s| s.parse::<Uuid>().ok())
    else {
        return Ok(None);
    };
    sqlx::query_scalar(
        "SELECT resource FROM catalogus_objecten WHERE uuid = $1 AND kind = $2
            AND resource->>'url' = $3",
    )
    .bind(uuid)
    .bind(kind)
    .bind(url)
    .fetch_optional(pool)
    .await
}

async fn lookup<T: DeserializeOwned>(
    pool: &PgPool,
    kind: &str,
    url: &str,
) -> Result<Option<T>, sqlx::Error> {
    resource(pool, kind, url).await?.map(decode).transpose()
}

/// A zaaktype of ours with everything a zaak of that type is checked against.
pub async fn zaaktype(pool: &PgPool, url: &str) -> Result<Option<ZaaktypeFacts>, sqlx::Error> {
    let Some(mut facts) = lookup::<ZaaktypeFacts>(pool, "zaaktype", url).await? else {
        return Ok(None);
    };
    let children: Vec<(String, Value)> = sqlx::query_as(
        "SELECT kind, resource FROM catalogus_objecten WHERE zaaktype = $1 ORDER BY ordinal",
    )
    .bind(url)
    .fetch_all(pool)
    .await?;
    for (kind, resource) in children {
        match kind.as_str() {
            "statustype" => facts.statustypen.push(decode(resource)?),
            "resultaattype" => facts.resultaattypen.push(decode(resource)?),
            "roltype" => facts.roltypen.push(decode(resource)?),
            "eigenschap" => facts.eigenschappen.push(decode(resource)?),
            _ => {}
        }
    }
    facts.statustypen.sort_by_key(|s| s.volgnummer);
    Ok(Some(facts))
}

pub async fn statustype(pool: &PgPool, url: &str) -> Result<Option<StatustypeFacts>, sqlx::Error> {
    lookup(pool, "statustype", url).await
}

pub async fn resultaattype(
    pool: &PgPool,
    url: &str,
) -> Result<Option<ResultaattypeFacts>, sqlx::Error> {
    lookup(pool, "resultaattype", url).await
}

pub async fn roltype(pool: &PgPool, url: &str) -> Result<Option<RoltypeFacts>, sqlx::Error> {
    lookup(pool, "roltype", url).await
}

pub async fn eigenschap(pool: &PgPool, url: &str) -> Result<Option<EigenschapFacts>, sqlx::Error> {
    lookup(pool, "eigenschap", url).await
}

pub async fn informatieobjecttype(
    pool: &PgPool,
    url: &str,
) -> Result<Option<InformatieobjecttypeFacts>, sqlx::Error> {
    lookup(pool, "informatieobjecttype", url).await
}

pub async fn besluittype(
    pool: &PgPool,
    url: &str,
) -> Result<Option<BesluittypeFacts>, sqlx::Error> {
    lookup(pool, "besluittype", url).await
}
