//! The relations a resource shows that other objects hold: a klantcontact's
//! `leiddeTotInterneTaken` (an internetaak names its klantcontact), a partij's `betrokkenen`
//! (a betrokkene names the partij it was) and `categorieRelaties`. They are filled in where
//! a resource is read, with one query per relation for a whole page; `expand` takes the
//! related resources from the same queries.
//!
//! The ETag of a klantcontact or partij is its own stream's: a relation held by another
//! object does not change it (ARCHITECTURE.md, "Klantinteracties").

use std::collections::HashMap;

use serde_json::{json, Value};
use uuid::Uuid;

use crate::error::ApiError;
use crate::AppState;

/// The uuids of `resources`.
fn uuids(resources: &[Value]) -> Vec<Uuid> {
    resources
        .iter()
        .filter_map(|r| r["uuid"].as_str()?.parse().ok())
        .collect()
}

/// `(owner, resource)` rows of `sql` (the owners bound as `$1`), grouped by owner in row
/// order.
async fn grouped(
    s: &AppState,
    sql: &str,
    owners: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Value>>, ApiError> {
    let mut out: HashMap<Uuid, Vec<Value>> = HashMap::new();
    if owners.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(Uuid, Value)> = sqlx::query_as(sql)
        .bind(owners)
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    for (owner, resource) in rows {
        out.entry(owner).or_default().push(resource);
    }
    Ok(out)
}

/// `{uuid, url}` of each resource.
fn references(resources: Option<&Vec<Value>>) -> Value {
    resources
        .into_iter()
        .flatten()
        .map(|r| json!({"uuid": r["uuid"], "url": r["url"]}))
        .collect()
}

/// The internetaken that arose from each of `klantcontacten`, oldest first.
pub(super) async fn internetaken(
    s: &AppState,
    klantcontacten: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Value>>, ApiError> {
    let sql = "SELECT klantcontact, resource FROM internetaken
               WHERE klantcontact = ANY($1) ORDER BY ordinal";
    grouped(s, sql, klantcontacten).await
}

/// Fills in `leiddeTotInterneTaken` of each klantcontact.
pub(super) async fn klantcontacten(s: &AppState, resources: &mut [Value]) -> Result<(), ApiError> {
    let taken = internetaken(s, &uuids(resources)).await?;
    for r in resources.iter_mut() {
        let uuid: Option<Uuid> = r["uuid"].as_str().and_then(|u| u.parse().ok());
        r["leiddeTotInterneTaken"] = references(uuid.and_then(|u| taken.get(&u)));
    }
    Ok(())
}

/// What other objects hold of a page of partijen.
#[derive(Default)]
pub(super) struct PartijRelations {
    /// The betrokkenen that were each partij.
    pub betrokkenen: HashMap<Uuid, Vec<Value>>,
    /// The categorie-relaties of each partij (their categorie's naam filled in).
    pub categorie_relaties: HashMap<Uuid, Vec<Value>>,
    /// The klantcontacten of those betrokkenen, when asked for (`expand`).
    pub klantcontacten: HashMap<Uuid, Value>,
}

impl PartijRelations {
    /// Both relations of `partijen` in one statement; the betrokkenen in full when
    /// `expanded`, else only what names them.
    pub async fn of(s: &AppState, partijen: &[Uuid], expanded: bool) -> Result<Self, ApiError> {
        let mut out = Self::default();
        if partijen.is_empty() {
            return Ok(out);
        }
        let betrokkene = if expanded {
            "b.resource"
        } else {
            "jsonb_build_object('uuid', b.uuid, 'url', b.resource -> 'url')"
        };
        let rows: Vec<(Uuid, Value, Value)> = sqlx::query_as(&format!(
            "SELECT p.uuid,
                (SELECT coalesce(jsonb_agg({betrokkene} ORDER BY b.ordinal), '[]')
                 FROM betrokkenen b WHERE b.was_partij = p.uuid::text),
                (SELECT coalesce(jsonb_agg(CASE WHEN r.categorie IS NULL THEN r.resource
                    ELSE jsonb_set(r.resource, '{{categorie,naam}}',
                                   to_jsonb(coalesce(c.naam, ''))) END
                    ORDER BY r.ordinal), '[]')
                 FROM categorie_relaties r LEFT JOIN categorieen c ON c.uuid = r.categorie
                 WHERE r.partij = p.uuid)
             FROM unnest($1::uuid[]) p(uuid)"
        ))
        .bind(partijen)
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)?;
        let list = |v: Value| match v {
            Value::Array(items) => items,
            _ => Vec::new(),
        };
        for (partij, betrokkenen, relaties) in rows {
            out.betrokkenen.insert(partij, list(betrokkenen));
            out.categorie_relaties.insert(partij, list(relaties));
        }
        Ok(out)
    }

    /// Also loads the klantcontact of each betrokkene (with its own relations).
    pub async fn with_klantcontacten(mut self, s: &AppState) -> Result<Self, ApiError> {
        let ids: Vec<Uuid> = self
            .betrokkenen
            .values()
            .flatten()
            .filter_map(|b| b["hadKlantcontact"]["uuid"].as_str()?.parse().ok())
            .collect();
        let rows: Vec<(Uuid, Value)> =
            sqlx::query_as("SELECT uuid, resource FROM klantcontacten WHERE uuid = ANY($1)")
                .bind(&ids)
                .fetch_all(&s.pool)
                .await
                .map_err(ApiError::internal)?;
        let (uuids, mut resources): (Vec<Uuid>, Vec<Value>) = rows.into_iter().unzip();
        klantcontacten(s, &mut resources).await?;
        self.klantcontacten = uuids.into_iter().zip(resources).collect();
        Ok(self)
    }

    /// The `_expand` of a partij: the betrokkenen that were it (each with its klantcontact
    /// when `betrokkenen.hadKlantcontact` is asked), its categorie-relaties; its digitale
    /// adressen are its own (`own`).
    pub fn expand(&self, partij: Uuid, fields: &[String], own: impl Fn() -> Value) -> Value {
        let mut out = serde_json::Map::new();
        let nested = fields.iter().any(|f| f == "betrokkenen.hadKlantcontact");
        for field in fields {
            let top = field.split('.').next().unwrap_or_default();
            let value = match top {
                "betrokkenen" => self
                    .betrokkenen
                    .get(&partij)
                    .into_iter()
                    .flatten()
                    .map(|b| {
                        let mut b = b.clone();
                        if nested {
                            let k = b["hadKlantcontact"]["uuid"]
                                .as_str()
                                .and_then(|u| u.parse::<Uuid>().ok())
                                .and_then(|u| self.klantcontacten.get(&u).cloned());
                            b["_expand"] = json!({"hadKlantcontact": k});
                        }
                        b
                    })
                    .collect(),
                "categorieRelaties" => self
                    .categorie_relaties
                    .get(&partij)
                    .cloned()
                    .unwrap_or_default()
                    .into(),
                _ => own(),
            };
            out.insert(top.to_owned(), value);
        }
        Value::Object(out)
    }

    /// Fills in `betrokkenen` and `categorieRelaties` of a partij.
    pub fn fill(&self, resource: &mut Value) {
        let Some(uuid) = resource["uuid"]
            .as_str()
            .and_then(|u| u.parse::<Uuid>().ok())
        else {
            return;
        };
        resource["betrokkenen"] = references(self.betrokkenen.get(&uuid));
        resource["categorieRelaties"] = self
            .categorie_relaties
            .get(&uuid)
            .into_iter()
            .flatten()
            .map(|r| {
                json!({"uuid": r["uuid"], "url": r["url"],
                    "categorieNaam": r["categorie"]["naam"],
                    "beginDatum": r["beginDatum"], "eindDatum": r["eindDatum"]})
            })
            .collect();
    }
}

/// A partij's resource with `betrokkenen` and `categorieRelaties` filled in, as a column
/// expression on `partijen` (alias `p`; the list's one statement): the same references as
/// [`PartijRelations::fill`] makes (tests/klantinteracties_relations.rs compares a listed
/// partij with its detail).
pub(super) const PARTIJ_RESOURCE: &str = "resource || jsonb_build_object(
    'betrokkenen', (SELECT coalesce(jsonb_agg(jsonb_build_object('uuid', b.uuid,
            'url', b.resource -> 'url') ORDER BY b.ordinal), '[]')
        FROM betrokkenen b WHERE b.was_partij = p.uuid::text),
    'categorieRelaties', (SELECT coalesce(jsonb_agg(jsonb_build_object('uuid', r.uuid,
            'url', r.resource -> 'url',
            'categorieNaam', CASE WHEN r.categorie IS NOT NULL THEN coalesce(c.naam, '') END,
            'beginDatum', r.resource -> 'beginDatum', 'eindDatum', r.resource -> 'eindDatum')
            ORDER BY r.ordinal), '[]')
        FROM categorie_relaties r LEFT JOIN categorieen c ON c.uuid = r.categorie
        WHERE r.partij = p.uuid))";

/// A klantcontact's resource with `leiddeTotInterneTaken` filled in, as a column expression
/// on `klantcontacten` (alias `k`): the same references [`klantcontacten`] makes.
pub(super) const KLANTCONTACT_RESOURCE: &str = "resource || jsonb_build_object(
    'leiddeTotInterneTaken', (SELECT coalesce(jsonb_agg(jsonb_build_object('uuid', t.uuid,
            'url', t.resource -> 'url') ORDER BY t.ordinal), '[]')
        FROM internetaken t WHERE t.klantcontact = k.uuid))";

/// The resource (relations filled in by `expression`, alias `alias`) and ETag of row `uuid`
/// of `table`: a detail GET in one statement.
pub(super) async fn detail_row(
    s: &AppState,
    (table, alias, expression): (&str, &str, &str),
    uuid: Uuid,
) -> Result<Option<(Value, String)>, ApiError> {
    let sql = format!(
        "SELECT {alias}.{expression}, {alias}.etag FROM {table} {alias} WHERE {alias}.uuid = $1"
    );
    sqlx::query_as(&sql)
        .bind(uuid)
        .fetch_optional(&s.pool)
        .await
        .map_err(ApiError::internal)
}
