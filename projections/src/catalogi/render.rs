//! The Catalogi API 1.3.1 representation of each resource: its stored attributes plus what
//! derives from the rest of its catalogus. One function per resource, shared by the
//! projector and the write path's response.

use domain::catalogus::Catalogus;
use domain::catalogus_object::CatalogusObject;
use event_schemas::catalogus::ObjectKind as K;
use serde_json::{json, Map, Value};

use super::snapshot::Snapshot;
use crate::render::Urls;

/// The values in their first order, each once.
fn unique(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn urls_of<'a>(objects: impl Iterator<Item = &'a CatalogusObject>, urls: &Urls) -> Vec<String> {
    unique(objects.map(|o| urls.catalogus_object(o.kind, o.uuid)))
}

/// `url`, the stored attributes and `extra`, in that order.
fn resource(url: String, o: &CatalogusObject, extra: Value) -> Value {
    let mut v = Map::new();
    v.insert("url".into(), json!(url));
    v.extend(o.attributes.clone());
    if let Value::Object(extra) = extra {
        v.extend(extra);
    }
    Value::Object(v)
}

/// The attribute that names the versions of a type within a catalogus.
fn version_key(kind: K) -> Option<&'static str> {
    match kind {
        K::Zaaktype => Some("identificatie"),
        K::Informatieobjecttype | K::Besluittype => Some("omschrijving"),
        _ => None,
    }
}

/// beginObject and eindeObject (read-only), as Open Zaak derives them: for a type, the
/// beginGeldigheid of its first version and the eindeGeldigheid of its last (versions share
/// the identificatie or omschrijving within the catalogus); for a zaaktype's child, its own
/// beginGeldigheid and eindeGeldigheid.
fn object_period(o: &CatalogusObject, snap: &Snapshot) -> (Value, Value) {
    let own = |o: &CatalogusObject, field: &str| o.attributes.get(field).cloned();
    let Some(key) = version_key(o.kind) else {
        return (
            own(o, "beginGeldigheid").unwrap_or(Value::Null),
            own(o, "eindeGeldigheid").unwrap_or(Value::Null),
        );
    };
    let mut versions: Vec<&CatalogusObject> = snap
        .of_kind(o.kind)
        .filter(|v| v.text(key) == o.text(key))
        .collect();
    if versions.is_empty() {
        versions.push(o);
    }
    versions.sort_by(|a, b| a.text("beginGeldigheid").cmp(b.text("beginGeldigheid")));
    let first = versions.first().and_then(|v| own(v, "beginGeldigheid"));
    let last = versions.last().and_then(|v| own(v, "eindeGeldigheid"));
    (first.unwrap_or(Value::Null), last.unwrap_or(Value::Null))
}

pub fn catalogus(c: &Catalogus, snap: &Snapshot, urls: &Urls) -> Value {
    let mut v = Map::new();
    v.insert("url".into(), json!(urls.catalogus(c.uuid)));
    v.extend(c.attributes.clone());
    v.insert(
        "zaaktypen".into(),
        json!(urls_of(snap.of_kind(K::Zaaktype), urls)),
    );
    v.insert(
        "besluittypen".into(),
        json!(urls_of(snap.of_kind(K::Besluittype), urls)),
    );
    v.insert(
        "informatieobjecttypen".into(),
        json!(urls_of(snap.of_kind(K::Informatieobjecttype), urls)),
    );
    Value::Object(v)
}

/// Any catalogus object.
pub fn object(o: &CatalogusObject, snap: &Snapshot, urls: &Urls) -> Value {
    let mut v = kind_specific(o, snap, urls);
    let (begin, einde) = object_period(o, snap);
    v["beginObject"] = begin;
    v["eindeObject"] = einde;
    v
}

fn kind_specific(o: &CatalogusObject, snap: &Snapshot, urls: &Urls) -> Value {
    match o.kind {
        K::Zaaktype => zaaktype(o, snap, urls),
        K::Informatieobjecttype => informatieobjecttype(o, snap, urls),
        K::Besluittype => besluittype(o, snap, urls),
        K::Statustype => statustype(o, snap, urls),
        K::Resultaattype => resultaattype(o, snap, urls),
        K::Roltype | K::Eigenschap | K::ZaaktypeInformatieobjecttype | K::Zaakobjecttype => {
            zaaktype_child(o, snap, urls, json!({}))
        }
    }
}

pub fn zaaktype(o: &CatalogusObject, snap: &Snapshot, urls: &Urls) -> Value {
    let url = urls.catalogus_object(o.kind, o.uuid);
    let children = |kind| urls_of(snap.referring(kind, "zaaktype", &url), urls);
    let informatieobjecttypen = unique(
        snap.referring(K::ZaaktypeInformatieobjecttype, "zaaktype", &url)
            .map(|z| z.text("informatieobjecttype").to_owned()),
    );
    let extra = json!({
        "concept": o.concept,
        "statustypen": children(K::Statustype),
        "resultaattypen": children(K::Resultaattype),
        "eigenschappen": children(K::Eigenschap),
        "roltypen": children(K::Roltype),
        "zaakobjecttypen": children(K::Zaakobjecttype),
        "informatieobjecttypen": informatieobjecttypen,
    });
    resource(url, o, extra)
}

pub fn informatieobjecttype(o: &CatalogusObject, snap: &Snapshot, urls: &Urls) -> Value {
    let url = urls.catalogus_object(o.kind, o.uuid);
    let zaaktypen = unique(
        snap.referring(
            K::ZaaktypeInformatieobjecttype,
            "informatieobjecttype",
            &url,
        )
        .map(|z| z.text("zaaktype").to_owned()),
    );
    let besluittypen = urls_of(
        snap.referring(K::Besluittype, "informatieobjecttypen", &url),
        urls,
    );
    let extra = json!({"concept": o.concept, "zaaktypen": zaaktypen, "besluittypen": besluittypen});
    resource(url, o, extra)
}

pub fn besluittype(o: &CatalogusObject, snap: &Snapshot, urls: &Urls) -> Value {
    let url = urls.catalogus_object(o.kind, o.uuid);
    let resultaattypen: Vec<&CatalogusObject> = snap
        .referring(K::Resultaattype, "besluittypen", &url)
        .collect();
    let vastgelegd_in: Vec<&str> = o
        .attributes
        .get("informatieobjecttypen")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|u| snap.by_url(urls, K::Informatieobjecttype, u.as_str()?))
        .map(|iot| iot.text("omschrijving"))
        .collect();
    let extra = json!({
        "concept": o.concept,
        "zaaktypen": urls_of(snap.referring(K::Zaaktype, "besluittypen", &url), urls),
        "resultaattypen": urls_of(resultaattypen.iter().copied(), urls),
        "resultaattypenOmschrijving": resultaattypen.iter().map(|r| r.text("omschrijving")).collect::<Vec<_>>(),
        "vastgelegdIn": vastgelegd_in,
    });
    resource(url, o, extra)
}

/// A statustype, roltype, ...: with its zaaktype's identificatie and `extra`.
fn zaaktype_child(o: &CatalogusObject, snap: &Snapshot, urls: &Urls, extra: Value) -> Value {
    let identificatie = snap
        .zaaktype_of(urls, o)
        .map_or("", |z| z.text("identificatie"));
    let mut v = resource(urls.catalogus_object(o.kind, o.uuid), o, extra);
    v["zaaktypeIdentificatie"] = json!(identificatie);
    v
}

pub fn statustype(o: &CatalogusObject, snap: &Snapshot, urls: &Urls) -> Value {
    let url = urls.catalogus_object(o.kind, o.uuid);
    let volgnummer = |s: &CatalogusObject| s.attributes.get("volgnummer").and_then(Value::as_i64);
    let highest = snap
        .referring(K::Statustype, "zaaktype", o.text("zaaktype"))
        .filter_map(volgnummer)
        .max();
    let given = o.attributes.get("eigenschappen").and_then(Value::as_array);
    let eigenschappen = unique(
        given
            .into_iter()
            .flatten()
            .filter_map(|u| u.as_str().map(str::to_owned))
            .chain(urls_of(
                snap.referring(K::Eigenschap, "statustype", &url),
                urls,
            )),
    );
    // The zaakobjecttypen naming it: by `statustype` (Open Zaak) or `statustypen` (VNG
    // 1.3.1), as Open Zaak's list and the VNG file's single `zaakobjecttype`.
    let zaakobjecttypen = unique(
        snap.referring(K::Zaakobjecttype, "statustype", &url)
            .chain(snap.referring(K::Zaakobjecttype, "statustypen", &url))
            .map(|z| urls.catalogus_object(z.kind, z.uuid)),
    );
    let extra = json!({
        "isEindstatus": highest.is_some() && volgnummer(o) == highest,
        "eigenschappen": eigenschappen,
        "zaakobjecttype": zaakobjecttypen.first().cloned().unwrap_or_default(),
        "zaakobjecttypen": zaakobjecttypen,
    });
    zaaktype_child(o, snap, urls, extra)
}

pub fn resultaattype(o: &CatalogusObject, snap: &Snapshot, urls: &Urls) -> Value {
    let url = urls.catalogus_object(o.kind, o.uuid);
    let omschrijvingen = |field: &str, kind| -> Vec<String> {
        o.attributes
            .get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|u| snap.by_url(urls, kind, u.as_str()?))
            .map(|t| t.text("omschrijving").to_owned())
            .collect()
    };
    let extra = json!({
        // Derived from resultaattypeomschrijving in the Selectielijst API, when that is
        // configured (query_api::catalogi::selectielijst); empty otherwise.
        "omschrijvingGeneriek": o.text("omschrijvingGeneriek"),
        "besluittypeOmschrijving": omschrijvingen("besluittypen", K::Besluittype),
        "informatieobjecttypeOmschrijving": omschrijvingen("informatieobjecttypen", K::Informatieobjecttype),
        "zaakobjecttypen": urls_of(snap.referring(K::Zaakobjecttype, "resultaattypen", &url), urls),
    });
    zaaktype_child(o, snap, urls, extra)
}
