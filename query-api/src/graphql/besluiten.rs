//! A zaak's besluiten as a GraphQL field of `Zaak`: from the besluiten read model (a
//! besluit names its zaak; the process manager keeps the zaakbesluit in step), batched by
//! a DataLoader over the zaken of one query level, filtered by the caller's brc grants in
//! SQL as the REST list is.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use serde_json::Value;
use sqlx::{PgPool, QueryBuilder};

use super::parts::{grouped, resource_object};
use crate::authorisation::Grants;
use crate::authorisation::GrantsFilter;

/// The besluiten of each zaak (by zaak URL) the caller may read, in list order.
pub struct BesluitenLoader {
    pub pool: PgPool,
    /// The caller's besluiten.lezen grants.
    pub grants: Grants,
}

impl Loader<String> for BesluitenLoader {
    type Value = Vec<Value>;
    type Error = Arc<sqlx::Error>;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let mut sql = QueryBuilder::new("SELECT zaak, resource FROM besluiten WHERE zaak = ANY(");
        sql.push_bind(keys.to_vec()).push(")");
        self.grants.push_filter(&mut sql, "besluittype", "0");
        sql.push(" ORDER BY ordinal");
        grouped(sql, &self.pool).await
    }
}

resource_object!(
    /// A besluit the zaak led to (Besluiten API).
    Besluit { identificatie => "identificatie", besluittype => "besluittype", datum => "datum",
        ingangsdatum => "ingangsdatum", vervaldatum => "vervaldatum",
        toelichting => "toelichting" }
);
