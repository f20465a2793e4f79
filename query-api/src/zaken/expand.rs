//! `?expand=` on zaken (list, detail, `_zoek`) and besluiten (their besluittype and zaak):
//! the resources a zaak (or besluit) links to, embedded
//! under `_expand`, with dotted paths for deeper levels (`status.statustype`,
//! `hoofdzaak.status.statustype`). Every embedded zaak and zaak part passes the same SQL
//! grant filter as a list of them would (what the caller may not read is left out), so
//! expand never shows more than the caller could fetch itself. Resources are resolved in
//! one query per field and level, never one per zaak.

use std::collections::{BTreeMap, HashMap};

use event_schemas::applicatie::Component;
use serde_json::{Map, Value};
use sqlx::QueryBuilder;
use uuid::Uuid;

use crate::authorisation::GrantsFilter;
use crate::error::ApiError;
use crate::{AppState, Caller};

/// The requested paths as a tree: field -> what to expand in the linked resources.
#[derive(Debug, Default, PartialEq)]
pub struct Tree(BTreeMap<String, Tree>);

/// Where the resources of a field are read from.
#[derive(Clone, Copy)]
enum Source {
    Zaken,
    Parts,
    Catalogi,
}

/// The fields that may be expanded, by the resource they sit on, and where they point.
fn source(field: &str) -> Option<(Source, bool)> {
    Some(match field {
        "hoofdzaak" | "zaak" => (Source::Zaken, false),
        "deelzaken" => (Source::Zaken, true),
        "status" | "resultaat" => (Source::Parts, false),
        "rollen" | "eigenschappen" | "zaakinformatieobjecten" | "zaakobjecten" => {
            (Source::Parts, true)
        }
        "zaaktype" | "statustype" | "resultaattype" | "roltype" | "eigenschap" | "besluittype" => {
            (Source::Catalogi, false)
        }
        _ => return None,
    })
}

impl Tree {
    /// `zaaktype, status.statustype` as a tree; an unknown field is a 400 on `expand`.
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let mut tree = Tree::default();
        for path in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let mut node = &mut tree;
            for field in path.split('.') {
                if source(field).is_none() {
                    return Err(ApiError::invalid(
                        "expand",
                        "invalid",
                        format!("'{field}' kan niet uitgebreid worden."),
                    ));
                }
                node = node.0.entry(field.to_owned()).or_default();
            }
        }
        Ok(tree)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Embeds what `tree` asks for into each of `resources`.
pub async fn apply(
    s: &AppState,
    caller: &Caller,
    resources: &mut [Value],
    tree: &Tree,
) -> Result<(), ApiError> {
    for (field, children) in &tree.0 {
        let Some((source, many)) = source(field) else {
            continue;
        };
        let urls: Vec<String> = resources.iter().flat_map(|r| links(r, field)).collect();
        let mut found = fetch(s, caller, source, &urls).await?;
        let mut linked: Vec<Value> = found.values().cloned().collect();
        Box::pin(apply(s, caller, &mut linked, children)).await?;
        found = linked
            .into_iter()
            .filter_map(|v| Some((v.get("url")?.as_str()?.to_owned(), v)))
            .collect();
        for r in resources.iter_mut() {
            let embedded: Vec<Value> = links(r, field)
                .iter()
                .filter_map(|u| found.get(u).cloned())
                .collect();
            let value = if many {
                Value::Array(embedded)
            } else {
                embedded.into_iter().next().unwrap_or(Value::Null)
            };
            if let Value::Object(m) = r {
                let expand = m
                    .entry("_expand")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(e) = expand {
                    e.insert(field.clone(), value);
                }
            }
        }
    }
    Ok(())
}

/// The URLs `field` of a resource holds (one or a list).
fn links(resource: &Value, field: &str) -> Vec<String> {
    match resource.get(field) {
        Some(Value::String(u)) if !u.is_empty() => vec![u.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn uuid_of(url: &str) -> Option<Uuid> {
    url.trim_end_matches('/').rsplit('/').next()?.parse().ok()
}

/// The resources at `urls` the caller may read, by URL.
async fn fetch(
    s: &AppState,
    caller: &Caller,
    source: Source,
    urls: &[String],
) -> Result<HashMap<String, Value>, ApiError> {
    let ids: Vec<Uuid> = urls.iter().filter_map(|u| uuid_of(u)).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let table = match source {
        Source::Zaken => "zaken",
        Source::Parts => "zaak_parts",
        Source::Catalogi => "catalogus_objecten",
    };
    let mut sql = QueryBuilder::new(format!("SELECT resource FROM {table} WHERE uuid = ANY("));
    sql.push_bind(ids).push(")");
    if !matches!(source, Source::Catalogi) {
        caller.grants(Component::Zrc, "zaken.lezen").push_filter(
            &mut sql,
            "zaaktype",
            "vertrouwelijkheid_rank",
        );
    }
    let rows: Vec<Value> = sql
        .build_query_scalar()
        .fetch_all(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    Ok(rows
        .into_iter()
        .filter_map(|v| Some((v.get("url")?.as_str()?.to_owned(), v)))
        .filter(|(u, _)| urls.contains(u))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths_become_a_tree_and_unknown_fields_are_refused() {
        let tree = Tree::parse("zaaktype, status.statustype,status, hoofdzaak.status").unwrap();
        let names = |t: &Tree| t.0.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&tree), ["hoofdzaak", "status", "zaaktype"]);
        assert_eq!(names(&tree.0["status"]), ["statustype"]);
        assert_eq!(names(&tree.0["hoofdzaak"]), ["status"]);
        assert!(Tree::parse("").unwrap().is_empty());
        assert!(
            matches!(Tree::parse("status.geheim"), Err(ApiError::Validation(v)) if v[0].name == "expand")
        );
    }
}
