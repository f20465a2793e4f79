//! What the rules need of the catalogus around an object, read from the catalogi read
//! model: the catalogus it belongs to, the objects its references point at (each must be
//! one of ours and exist), its siblings and, for publishing a zaaktype, its children.

use domain::catalogus_object::{CatalogusObject, Children, Facts, Relation};
use event_schemas::catalogus::{ObjectAttributes, ObjectKind};
use projections::catalogi::snapshot::Snapshot;
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

use commands::catalogi::Strict;

use super::schema::{fields, Ty};
use crate::error::{ApiError, InvalidParam};
use crate::AppState;

/// What a reference field points at.
#[derive(Clone, Copy)]
enum Target {
    Catalogus,
    Object(ObjectKind),
}

impl Target {
    fn collection(self) -> &'static str {
        match self {
            Self::Catalogus => "catalogussen",
            Self::Object(kind) => kind.collection(),
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Self::Catalogus => "catalogus",
            Self::Object(kind) => kind.as_str(),
        }
    }
}

fn no_match(field: &str) -> InvalidParam {
    InvalidParam::new(field, "no_match", "Ongeldige hyperlink - Geen URL match.")
}

fn does_not_exist(field: &str) -> InvalidParam {
    InvalidParam::new(
        field,
        "does_not_exist",
        "Ongeldige hyperlink - Object bestaat niet.",
    )
}

/// The row `url` points at: its catalogus, concept flag and zaaktype.
async fn lookup(
    s: &AppState,
    field: &str,
    target: Target,
    url: &str,
) -> Result<Result<Relation, InvalidParam>, ApiError> {
    let Some(uuid) = s.urls.catalogi_uuid(target.collection(), url) else {
        return Ok(Err(no_match(field)));
    };
    let row = sqlx::query(
        "SELECT catalogus, concept, zaaktype FROM catalogus_objecten WHERE uuid = $1 AND kind = $2",
    )
    .bind(uuid)
    .bind(target.kind())
    .fetch_optional(&s.pool)
    .await
    .map_err(ApiError::internal)?;
    let Some(r) = row else {
        return Ok(Err(does_not_exist(field)));
    };
    let relation = || -> Result<Relation, sqlx::Error> {
        Ok(Relation {
            field: field.to_owned(),
            catalogus: r.try_get("catalogus")?,
            concept: r.try_get("concept")?,
            zaaktype: r.try_get("zaaktype")?,
        })
    };
    relation().map(Ok).map_err(ApiError::internal)
}

fn text<'a>(attributes: &'a ObjectAttributes, name: &str) -> &'a str {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The catalogus of an object of `kind` with `attributes`: its own field for types, its
/// zaaktype's for the others.
pub async fn locate(
    s: &AppState,
    kind: ObjectKind,
    attributes: &ObjectAttributes,
) -> Result<Uuid, ApiError> {
    let (field, target) = if kind.is_publishable() {
        ("catalogus", Target::Catalogus)
    } else {
        ("zaaktype", Target::Object(ObjectKind::Zaaktype))
    };
    let url = text(attributes, field);
    Ok(lookup(s, field, target, url)
        .await?
        .map_err(|p| ApiError::Validation(vec![p]))?
        .catalogus)
}

/// Every reference in `attributes` but the one that placed the object (`locate`).
fn references(
    kind: ObjectKind,
    attributes: &ObjectAttributes,
) -> Vec<(&'static str, Target, String)> {
    let mut out = Vec::new();
    for field in fields(kind) {
        let target = match field.ty {
            Ty::Catalogus if !kind.is_publishable() => Target::Catalogus,
            Ty::Ref(k) | Ty::Refs(k) if field.name != "zaaktype" || kind.is_publishable() => {
                Target::Object(k)
            }
            _ => continue,
        };
        let urls: Vec<String> = match attributes.get(field.name) {
            Some(Value::String(u)) if !u.is_empty() => vec![u.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        out.extend(urls.into_iter().map(|u| (field.name, target, u)));
    }
    out
}

/// The facts of catalogus `catalogus` for writing `attributes` of an object of `kind`
/// (`current` when it exists), placed in it by [`locate`].
pub async fn facts(
    s: &AppState,
    kind: ObjectKind,
    current: Option<&CatalogusObject>,
    attributes: &ObjectAttributes,
    catalogus: Uuid,
    strict: Strict,
) -> Result<Facts, ApiError> {
    let zaaktype = (!kind.is_publishable())
        .then(|| {
            s.urls
                .catalogi_uuid("zaaktypen", text(attributes, "zaaktype"))
        })
        .flatten();
    let snapshot = Snapshot::load(&s.pool, catalogus)
        .await
        .map_err(ApiError::internal)?;
    let mut facts = Facts {
        catalogus,
        publish_requires_children: s.publish_requires_children,
        ..Facts::default()
    };
    facts.relations = relations(s, kind, attributes, strict).await?;
    let self_uuid = current.map(|c| c.uuid);
    let siblings = || snapshot.of_kind(kind).filter(|o| Some(o.uuid) != self_uuid);
    facts.siblings = siblings().map(|o| o.attributes.clone()).collect();
    facts.published_siblings = siblings()
        .filter(|o| !o.concept)
        .map(|o| o.attributes.clone())
        .collect();
    if let Some(zaaktype) = zaaktype {
        let new = snapshot.find(zaaktype).is_none_or(|z| z.concept);
        let old = previous_zaaktype_concept(s, current, zaaktype).await?;
        facts.zaaktype_concept = Some(new && old);
    }
    if let (ObjectKind::Zaaktype, Some(current)) = (kind, current) {
        add_zaaktype_publish_facts(s, &snapshot, current, &mut facts);
    }
    if let Some(current) = current.filter(|c| c.kind.is_publishable()) {
        facts.related_by = related_by(s, &snapshot, current);
    }
    Ok(facts)
}

/// The publishable types that name `object` in their own relations: the zaaktypen with a
/// besluittype among their besluittypen, the besluittypen and zaaktypen (through a
/// zaaktype-informatieobjecttype) of an informatieobjecttype, the besluittypen naming a
/// zaaktype.
fn related_by(s: &AppState, snapshot: &Snapshot, object: &CatalogusObject) -> Vec<Relation> {
    let url = s.urls.catalogus_object(object.kind, object.uuid);
    let relation = |field: &str, o: &CatalogusObject| Relation {
        field: field.into(),
        catalogus: Uuid::nil(),
        concept: o.concept,
        zaaktype: None,
    };
    let mut out: Vec<Relation> = Vec::new();
    match object.kind {
        ObjectKind::Besluittype => out.extend(
            snapshot
                .referring(ObjectKind::Zaaktype, "besluittypen", &url)
                .map(|z| relation("zaaktypen", z)),
        ),
        ObjectKind::Informatieobjecttype => {
            out.extend(
                snapshot
                    .referring(ObjectKind::Besluittype, "informatieobjecttypen", &url)
                    .map(|b| relation("besluittypen", b)),
            );
            for ziot in snapshot.referring(
                ObjectKind::ZaaktypeInformatieobjecttype,
                "informatieobjecttype",
                &url,
            ) {
                let zaaktype =
                    snapshot.by_url(&s.urls, ObjectKind::Zaaktype, ziot.text("zaaktype"));
                out.extend(zaaktype.map(|z| relation("zaaktypen", z)));
            }
        }
        ObjectKind::Zaaktype => out.extend(
            snapshot
                .referring(ObjectKind::Besluittype, "zaaktypen", &url)
                .map(|b| relation("besluittypen", b)),
        ),
        _ => {}
    }
    out
}

/// Every reference of `attributes` resolved: each must be one of ours and exist (when
/// `strict`; otherwise what no longer resolves is left out).
async fn relations(
    s: &AppState,
    kind: ObjectKind,
    attributes: &ObjectAttributes,
    strict: Strict,
) -> Result<Vec<Relation>, ApiError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (field, target, url) in references(kind, attributes) {
        match lookup(s, field, target, &url).await? {
            Ok(relation) => out.push(relation),
            Err(p) if strict == Strict::Yes => problems.push(p),
            Err(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation(problems))
    }
}

/// A child moved to another zaaktype must leave a concept one too.
async fn previous_zaaktype_concept(
    s: &AppState,
    current: Option<&CatalogusObject>,
    new_zaaktype: Uuid,
) -> Result<bool, ApiError> {
    let Some(old) = current.and_then(|c| s.urls.catalogi_uuid("zaaktypen", c.text("zaaktype")))
    else {
        return Ok(true);
    };
    if old == new_zaaktype {
        return Ok(true);
    }
    let concept: Option<bool> =
        sqlx::query_scalar("SELECT concept FROM catalogus_objecten WHERE uuid = $1")
            .bind(old)
            .fetch_optional(&s.pool)
            .await
            .map_err(ApiError::internal)?;
    Ok(concept.unwrap_or(true))
}

/// The zaaktype's informatieobjecttypen (through its zaaktype-informatieobjecttypen) as
/// relations, and its children counted.
fn add_zaaktype_publish_facts(
    s: &AppState,
    snapshot: &Snapshot,
    zaaktype: &CatalogusObject,
    facts: &mut Facts,
) {
    let url = s.urls.catalogus_object(ObjectKind::Zaaktype, zaaktype.uuid);
    for ziot in snapshot.referring(ObjectKind::ZaaktypeInformatieobjecttype, "zaaktype", &url) {
        if let Some(iot) = snapshot.by_url(
            &s.urls,
            ObjectKind::Informatieobjecttype,
            ziot.text("informatieobjecttype"),
        ) {
            facts.relations.push(Relation {
                field: "informatieobjecttypen".into(),
                catalogus: facts.catalogus,
                concept: iot.concept,
                zaaktype: None,
            });
        }
    }
    let count = |kind| snapshot.referring(kind, "zaaktype", &url).count();
    facts.children = Children {
        statustypen: count(ObjectKind::Statustype),
        roltypen: count(ObjectKind::Roltype),
        resultaattypen: count(ObjectKind::Resultaattype),
    };
}
