//! What a zaak owns, as GraphQL fields of `Zaak`: statussen, rollen, resultaat,
//! zaakobjecten and eigenschappen from `zaak_parts`. A DataLoader gathers the zaken of one
//! query level into one SQL statement (no N+1); the parts of a zaak the caller may read are
//! readable too (same zaaktype and vertrouwelijkheid), so no other filter applies.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use serde_json::Value;
use sqlx::{PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

/// The parts of each zaak, as `(kind, resource)` in list order.
pub struct PartsLoader(pub PgPool);

impl Loader<Uuid> for PartsLoader {
    type Value = Vec<(String, Value)>;
    type Error = Arc<sqlx::Error>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows: Vec<(Uuid, String, Value)> = sqlx::query_as(
            "SELECT zaak_uuid, kind, resource FROM zaak_parts WHERE zaak_uuid = ANY($1)
             ORDER BY ordinal",
        )
        .bind(keys)
        .fetch_all(&self.0)
        .await
        .map_err(Arc::new)?;
        let mut out: HashMap<Uuid, Self::Value> = HashMap::new();
        for (zaak, kind, resource) in rows {
            out.entry(zaak).or_default().push((kind, resource));
        }
        Ok(out)
    }
}

/// Catalogue objects (a zaak's zaaktype) by URL, from the catalogi read model.
pub struct CatalogusLoader(pub PgPool);

impl Loader<String> for CatalogusLoader {
    type Value = Value;
    type Error = Arc<sqlx::Error>;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Value>, Self::Error> {
        let ids: Vec<Uuid> = keys
            .iter()
            .filter_map(|u| u.trim_end_matches('/').rsplit('/').next()?.parse().ok())
            .collect();
        let rows: Vec<Value> =
            sqlx::query_scalar("SELECT resource FROM catalogus_objecten WHERE uuid = ANY($1)")
                .bind(ids)
                .fetch_all(&self.0)
                .await
                .map_err(Arc::new)?;
        Ok(rows
            .into_iter()
            .filter_map(|v| Some((text(&v, "url")?, v)))
            .filter(|(u, _)| keys.contains(u))
            .collect())
    }
}

/// Runs `sql`, which selects a key and a resource, and groups the resources by key in row
/// order: what a loader of lists (a zaak's besluiten, a document's versies) returns.
pub(super) async fn grouped<K>(
    mut sql: QueryBuilder<'_, Postgres>,
    pool: &PgPool,
) -> Result<HashMap<K, Vec<Value>>, Arc<sqlx::Error>>
where
    K: for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres> + Eq + Hash + Send + Unpin,
{
    let rows: Vec<(K, Value)> = sql
        .build_query_as()
        .fetch_all(pool)
        .await
        .map_err(Arc::new)?;
    let mut out: HashMap<K, Vec<Value>> = HashMap::new();
    for (key, resource) in rows {
        out.entry(key).or_default().push(resource);
    }
    Ok(out)
}

pub(super) fn text(v: &Value, name: &str) -> Option<String> {
    v.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// A ZGW resource with a few typed fields and the whole of it as JSON.
macro_rules! resource_object {
    ($(#[$doc:meta])* $name:ident { $($field:ident => $json:literal),* $(,)? }) => {
        $(#[$doc])*
        pub struct $name(pub Value);

        #[async_graphql::Object]
        impl $name {
            async fn url(&self) -> Option<String> {
                super::parts::text(&self.0, "url")
            }
            $(async fn $field(&self) -> Option<String> {
                super::parts::text(&self.0, $json)
            })*
            /// The whole ZGW resource as JSON.
            async fn resource(&self) -> async_graphql::Json<serde_json::Value> {
                async_graphql::Json(self.0.clone())
            }
        }
    };
}
pub(super) use resource_object;

resource_object!(
    /// A status of the zaak.
    Status { statustype => "statustype", datum_status_gezet => "datumStatusGezet",
        statustoelichting => "statustoelichting", gezetdoor => "gezetdoor" }
);
resource_object!(
    /// A rol: who is involved in the zaak, and how.
    Rol { betrokkene => "betrokkene", betrokkene_type => "betrokkeneType", roltype => "roltype",
        omschrijving => "omschrijving", omschrijving_generiek => "omschrijvingGeneriek",
        roltoelichting => "roltoelichting", registratiedatum => "registratiedatum" }
);
resource_object!(
    /// The resultaat of the zaak.
    Resultaat { resultaattype => "resultaattype", toelichting => "toelichting" }
);
resource_object!(
    /// An object the zaak is about.
    Zaakobject { object => "object", object_type => "objectType",
        relatieomschrijving => "relatieomschrijving" }
);
resource_object!(
    /// A zaakeigenschap: the value of one of the zaaktype's eigenschappen.
    Zaakeigenschap { eigenschap => "eigenschap", naam => "naam", waarde => "waarde" }
);

resource_object!(
    /// A zaaktype of the catalogue (Catalogi API).
    Zaaktype { identificatie => "identificatie", omschrijving => "omschrijving",
        vertrouwelijkheidaanduiding => "vertrouwelijkheidaanduiding",
        catalogus => "catalogus", begin_geldigheid => "beginGeldigheid" }
);

/// The resources of one kind among a zaak's parts.
pub fn of_kind<T>(parts: &[(String, Value)], kind: &str, wrap: fn(Value) -> T) -> Vec<T> {
    parts
        .iter()
        .filter(|(k, _)| k == kind)
        .map(|(_, v)| wrap(v.clone()))
        .collect()
}
