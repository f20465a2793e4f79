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

use chrono::NaiveDate;
use event_schemas::zaak::{Archiefnominatie, Vertrouwelijkheidaanduiding};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZaaktypeFacts {
    pub url: String,
    /// Not yet published: a zaak may not use it.
    pub concept: bool,
    /// The catalogus URL.
    pub catalogus: String,
    pub identificatie: String,
    pub begin_geldigheid: Option<NaiveDate>,
    pub einde_geldigheid: Option<NaiveDate>,
    /// The default of a zaak's vertrouwelijkheidaanduiding.
    pub vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding,
    /// What a zaak of this type may name in its productenOfDiensten.
    #[serde(default)]
    pub producten_of_diensten: Vec<String>,
    #[serde(skip)]
    pub statustypen: Vec<StatustypeFacts>,
    #[serde(skip)]
    pub resultaattypen: Vec<ResultaattypeFacts>,
    #[serde(skip)]
    pub roltypen: Vec<RoltypeFacts>,
    #[serde(skip)]
    pub eigenschappen: Vec<EigenschapFacts>,
    /// URLs of the informatieobjecttypen a zaak of this type may hold.
    pub informatieobjecttypen: Vec<String>,
    /// URLs of the besluittypen a zaak of this type may lead to.
    pub besluittypen: Vec<String>,
    /// URLs of the zaaktypen a deelzaak of a zaak of this type may have.
    #[serde(default)]
    pub deelzaaktypen: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatustypeFacts {
    pub url: String,
    pub zaaktype: String,
    pub omschrijving: String,
    pub volgnummer: i64,
    /// The highest volgnummer of its zaaktype: setting it closes the zaak.
    pub is_eindstatus: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultaattypeFacts {
    pub url: String,
    pub zaaktype: String,
    pub omschrijving: String,
    #[serde(default, deserialize_with = "blank_as_none")]
    pub archiefnominatie: Option<Archiefnominatie>,
    /// ISO 8601 duration, e.g. `P10Y`.
    pub archiefactietermijn: Option<String>,
    /// `{afleidingswijze, datumkenmerk, einddatumBekend, objecttype, registratie,
    /// procestermijn}` as the Catalogi API writes it.
    pub brondatum_archiefprocedure: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoltypeFacts {
    pub url: String,
    pub zaaktype: String,
    pub omschrijving: String,
    pub omschrijving_generiek: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EigenschapFacts {
    pub url: String,
    pub zaaktype: String,
    pub naam: String,
    /// `{formaat, lengte, kardinaliteit, waardenverzameling, groep}`.
    pub specificatie: Value,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InformatieobjecttypeFacts {
    pub url: String,
    pub concept: bool,
    pub catalogus: String,
    pub omschrijving: String,
    pub vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding,
    /// URLs of the zaaktypen that may hold documents of this type.
    pub zaaktypen: Vec<String>,
    pub begin_geldigheid: Option<NaiveDate>,
    pub einde_geldigheid: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BesluittypeFacts {
    pub url: String,
    pub concept: bool,
    pub catalogus: String,
    /// URLs of the zaaktypen whose zaken may lead to a besluit of this type.
    pub zaaktypen: Vec<String>,
    pub informatieobjecttypen: Vec<String>,
    pub begin_geldigheid: Option<NaiveDate>,
    pub einde_geldigheid: Option<NaiveDate>,
}

fn blank_as_none<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Archiefnominatie>, D::Error> {
    match Option::<String>::deserialize(d)?.as_deref() {
        None | Some("") => Ok(None),
        Some(s) => serde_json::from_value(Value::from(s)).map_err(serde::de::Error::custom),
    }
}

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
