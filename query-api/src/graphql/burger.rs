//! A citizen's picture in one query (issue 18): `burger(bsn)` gives the partijen the BSN
//! identifies (Klantinteracties, under klantinteracties.lezen) with their digitale adressen,
//! rekeningnummers, the klantcontacten they were betrokken in and the internetaken those
//! led to, and the zaken in which the BSN has a rol (Zaken, under the caller's
//! zaken.lezen grants by zaaktype and vertrouwelijkheid, in SQL as the REST list). Each part
//! is batched: one statement per kind of thing at each level, however many partijen or
//! zaken (the zaken's own fields use the zaken loaders). What it reads is recorded in the
//! read log (who read what).
//!
//! A partij's internetaken are those that arose from the klantcontacten it was betrokken
//! in.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, Object};
use event_schemas::applicatie::Component;
use serde_json::Value;
use sqlx::{PgPool, QueryBuilder, Row};
use uuid::Uuid;

use super::parts::{resource_object, text};
use super::{read_zaken, zaken_lezen, Zaak};
use crate::authorisation::GrantsFilter;
use crate::Caller;

/// The `burger` query.
#[derive(Default)]
pub struct BurgerQuery;

#[Object]
impl BurgerQuery {
    /// Everything about the person with this BSN that the caller may read: the partijen
    /// it identifies and the zaken in which it has a rol.
    async fn burger(&self, bsn: String) -> Burger {
        Burger { bsn }
    }
}

pub struct Burger {
    bsn: String,
}

#[Object]
impl Burger {
    async fn bsn(&self) -> &str {
        &self.bsn
    }

    /// The partijen with a BSN identificator of this BSN (none without
    /// klantinteracties.lezen).
    async fn partijen(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Partij>> {
        let caller = ctx.data::<Caller>()?;
        if !caller
            .authorisation
            .has_scope(Component::Kic, "klantinteracties.lezen")
        {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT p.uuid, p.resource FROM partijen p
             WHERE EXISTS (SELECT 1 FROM partij_identificatoren i
                           WHERE i.partij_uuid = p.uuid AND i.object_id = $1
                             AND i.code_soort_object_id = 'bsn')
             ORDER BY p.ordinal",
        )
        .bind(&self.bsn)
        .fetch_all(ctx.data::<PgPool>()?)
        .await?;
        let partijen: Vec<Partij> = rows
            .iter()
            .map(|r| Partij {
                uuid: r.get("uuid"),
                resource: r.get("resource"),
            })
            .collect();
        let reader = ctx.data::<crate::reads::Reader>()?;
        let read = partijen.iter().map(|p| p.uuid).collect();
        reader.read(("kic", "partij"), read).await;
        Ok(partijen)
    }

    /// The zaken in which this BSN has a rol (natuurlijk persoon), in registration order,
    /// those the caller may read.
    async fn zaken(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Zaak>> {
        let mut sql = QueryBuilder::new(
            "SELECT uuid, resource FROM zaken WHERE uuid IN (SELECT zaak_uuid FROM zaak_parts
             WHERE kind = 'rol' AND resource #>> '{betrokkeneIdentificatie,inpBsn}' = ",
        );
        sql.push_bind(&self.bsn).push(")");
        zaken_lezen(ctx)?.push_filter(&mut sql, "zaaktype", "vertrouwelijkheid_rank");
        sql.push(" ORDER BY ordinal");
        let rows = sql.build().fetch_all(ctx.data::<PgPool>()?).await?;
        read_zaken(ctx, rows.iter().map(|r| r.get("uuid")).collect()).await?;
        Ok(rows
            .into_iter()
            .map(|r| Zaak::current(r.get("resource")))
            .collect())
    }
}

/// A partij (Klantinteracties API) as `GET /partijen/{uuid}` renders it.
pub struct Partij {
    uuid: Uuid,
    resource: Value,
}

#[Object]
impl Partij {
    async fn url(&self) -> Option<String> {
        text(&self.resource, "url")
    }
    async fn uuid(&self) -> Uuid {
        self.uuid
    }
    async fn soort_partij(&self) -> Option<String> {
        text(&self.resource, "soortPartij")
    }
    async fn nummer(&self) -> Option<String> {
        text(&self.resource, "nummer")
    }
    /// The whole resource as JSON.
    async fn resource(&self) -> async_graphql::Json<Value> {
        async_graphql::Json(self.resource.clone())
    }
    /// Its digitale adressen (e-mail, telefoon, ...), as the API lists them.
    async fn digitale_adressen(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<DigitaalAdres>> {
        Ok(load(ctx, self.uuid, Table::DigitaleAdressen)
            .await?
            .into_iter()
            .map(DigitaalAdres)
            .collect())
    }
    /// The klantcontacten in which it was a betrokkene, oldest first.
    async fn klantcontacten(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Klantcontact>> {
        let klantcontacten = load(ctx, self.uuid, Table::Klantcontacten).await?;
        let reader = ctx.data::<crate::reads::Reader>()?;
        let read = klantcontacten
            .iter()
            .filter_map(|k| k["uuid"].as_str()?.parse().ok())
            .collect();
        reader.read(("kic", "klantcontact"), read).await;
        Ok(klantcontacten.into_iter().map(Klantcontact).collect())
    }
    /// The internetaken that arose from the klantcontacten it was betrokken in, oldest
    /// first.
    async fn internetaken(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Internetaak>> {
        let internetaken = load(ctx, self.uuid, Table::Internetaken).await?;
        let reader = ctx.data::<crate::reads::Reader>()?;
        let read = internetaken
            .iter()
            .filter_map(|t| t["uuid"].as_str()?.parse().ok())
            .collect();
        reader.read(("kic", "internetaak"), read).await;
        Ok(internetaken.into_iter().map(Internetaak).collect())
    }
    /// Its rekeningnummers.
    async fn rekeningnummers(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<Rekeningnummer>> {
        Ok(load(ctx, self.uuid, Table::Rekeningnummers)
            .await?
            .into_iter()
            .map(Rekeningnummer)
            .collect())
    }
}

/// What is loaded per partij: a kind of its parts, the klantcontacten it was in, or the
/// internetaken those led to.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    DigitaleAdressen,
    Rekeningnummers,
    Klantcontacten,
    Internetaken,
}

impl Table {
    /// The statement giving (partij, resource) rows for the partijen bound as `$1`.
    fn sql(self) -> &'static str {
        match self {
            Self::DigitaleAdressen => {
                "SELECT partij_uuid, resource FROM digitale_adressen
                 WHERE partij_uuid = ANY($1) ORDER BY ordinal"
            }
            Self::Rekeningnummers => {
                "SELECT partij_uuid, resource FROM rekeningnummers
                 WHERE partij_uuid = ANY($1) ORDER BY ordinal"
            }
            // Each klantcontact once per partij, however often it was betrokken in it.
            Self::Klantcontacten => {
                "SELECT b.partij, k.resource FROM klantcontacten k
                 JOIN (SELECT DISTINCT was_partij::uuid AS partij, klantcontact_uuid
                       FROM betrokkenen WHERE was_partij = ANY($1::uuid[]::text[])) b
                   ON k.uuid = b.klantcontact_uuid
                 ORDER BY k.ordinal"
            }
            Self::Internetaken => {
                "SELECT b.partij, t.resource FROM internetaken t
                 JOIN (SELECT DISTINCT was_partij::uuid AS partij, klantcontact_uuid
                       FROM betrokkenen WHERE was_partij = ANY($1::uuid[]::text[])) b
                   ON t.klantcontact = b.klantcontact_uuid
                 ORDER BY t.ordinal"
            }
        }
    }
}

async fn load(ctx: &Context<'_>, partij: Uuid, table: Table) -> async_graphql::Result<Vec<Value>> {
    let loader = ctx.data::<DataLoader<PartijPartsLoader>>()?;
    let key = (table, partij);
    Ok(loader
        .load_one(key)
        .await
        .map_err(|e| async_graphql::Error::new(e.to_string()))?
        .unwrap_or_default())
}

resource_object!(
    /// A digitaal adres of a partij.
    DigitaalAdres { adres => "adres", soort_digitaal_adres => "soortDigitaalAdres",
        omschrijving => "omschrijving" }
);
resource_object!(
    /// A klantcontact (Klantinteracties API).
    Klantcontact { kanaal => "kanaal", onderwerp => "onderwerp", inhoud => "inhoud",
        plaatsgevonden_op => "plaatsgevondenOp" }
);
resource_object!(
    /// An internetaak (Klantinteracties API).
    Internetaak { gevraagde_handeling => "gevraagdeHandeling", status => "status",
        toegewezen_op => "toegewezenOp", afgehandeld_op => "afgehandeldOp" }
);
resource_object!(
    /// A rekeningnummer of a partij.
    Rekeningnummer { iban => "iban", bic => "bic" }
);

/// What each partij has of one [`Table`], in list order: one statement per table for all
/// the partijen of a query level.
pub struct PartijPartsLoader(pub PgPool);

impl Loader<(Table, Uuid)> for PartijPartsLoader {
    type Value = Vec<Value>;
    type Error = Arc<sqlx::Error>;

    async fn load(
        &self,
        keys: &[(Table, Uuid)],
    ) -> Result<HashMap<(Table, Uuid), Vec<Value>>, Self::Error> {
        let mut out = HashMap::new();
        for table in [
            Table::DigitaleAdressen,
            Table::Rekeningnummers,
            Table::Klantcontacten,
            Table::Internetaken,
        ] {
            let partijen: Vec<Uuid> = keys
                .iter()
                .filter(|(t, _)| *t == table)
                .map(|(_, p)| *p)
                .collect();
            if partijen.is_empty() {
                continue;
            }
            let rows: Vec<(Uuid, Value)> = sqlx::query_as(table.sql())
                .bind(partijen)
                .fetch_all(&self.0)
                .await
                .map_err(Arc::new)?;
            let mut grouped: HashMap<Uuid, Vec<Value>> = HashMap::new();
            for (partij, resource) in rows {
                grouped.entry(partij).or_default().push(resource);
            }
            let rows = grouped;
            out.extend(rows.into_iter().map(|(p, v)| ((table, p), v)));
        }
        Ok(out)
    }
}
