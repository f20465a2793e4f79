//! The ZGW representation of a resource, rendered from aggregate state. One function per
//! resource, shared by the read-model projector, the write path's response and time travel.

use domain::applicatie::Applicatie;
use domain::besluit::Besluit;
use domain::zaak::{Part, Status, Zaak};
use event_schemas::zaak::PartKind;
use serde_json::{json, Value};
use uuid::Uuid;

pub use domain::urls::Urls;

/// A kanaal as the Notificaties API 1.0 returns it.
pub fn kanaal(k: &domain::notificaties::Kanaal, urls: &Urls) -> Value {
    json!({
        "url": urls.kanaal(k.uuid),
        "naam": k.attributes.naam,
        "documentatieLink": k.attributes.documentatie_link,
        "filters": k.attributes.filters,
    })
}

/// An abonnement as Open Notificaties returns it: never its `auth`.
pub fn abonnement(a: &domain::notificaties::Abonnement, urls: &Urls) -> Value {
    let attrs = &a.attributes;
    json!({
        "url": urls.abonnement(a.uuid),
        "callbackUrl": attrs.callback_url,
        "kanalen": attrs.kanalen.iter().map(|k| json!({"filters": k.filters, "naam": k.naam})).collect::<Vec<_>>(),
        "sendCloudevents": attrs.send_cloudevents,
        "cloudeventFilters": attrs.cloudevent_filters.iter().map(|f| json!({"typeSubstring": f.type_substring, "filters": f.filters})).collect::<Vec<_>>(),
    })
}

/// An applicatie as the Autorisaties API 1.0 returns it.
pub fn applicatie(a: &Applicatie, urls: &Urls) -> Value {
    let attrs = &a.attributes;
    let autorisaties: Vec<Value> = attrs
        .autorisaties
        .iter()
        .map(|au| {
            let mut v = json!({
                "component": au.component.as_str(),
                "componentWeergave": au.component.weergave(),
                "scopes": au.scopes,
            });
            if let (Some(field), Value::Object(o)) = (au.component.type_field(), &mut v) {
                o.insert(field.into(), json!(au.type_url.clone().unwrap_or_default()));
                o.insert(
                    "maxVertrouwelijkheidaanduiding".into(),
                    json!(au
                        .max_vertrouwelijkheidaanduiding
                        .map_or("", |m| m.as_str())),
                );
            }
            v
        })
        .collect();
    json!({
        "url": urls.applicatie(a.uuid),
        "clientIds": attrs.client_ids,
        "label": attrs.label,
        "heeftAlleAutorisaties": attrs.heeft_alle_autorisaties,
        "autorisaties": autorisaties,
    })
}

/// A zaak as the Zaken API 1.5.1 returns it.
pub fn zaak(z: &Zaak, urls: &Urls) -> Value {
    let a = &z.attributes;
    let mut v = serde_json::to_value(a).expect("attributes are plain data");
    let extra = json!({
        "url": urls.zaak(z.uuid),
        "uuid": z.uuid,
        "einddatum": z.einddatum,
        "betalingsindicatie": a.betalingsindicatie.map_or("", |b| b.as_str()),
        "betalingsindicatieWeergave": a.betalingsindicatie.map_or("", |b| b.weergave()),
        "deelzaken": [],
        "eigenschappen": part_urls(z, PartKind::Zaakeigenschap, urls),
        "rollen": part_urls(z, PartKind::Rol, urls),
        "status": z.current_status().map(|s| urls.status(s.uuid)),
        "zaakinformatieobjecten": part_urls(z, PartKind::Zaakinformatieobject, urls),
        "zaakobjecten": part_urls(z, PartKind::Zaakobject, urls),
        "resultaat": z.resultaat().map(|(u, _)| urls.part(PartKind::Resultaat, z.uuid, *u)),
        "laatstGemuteerd": z.laatst_gemuteerd,
        // "" when none, as Open Zaak answers (its spec has no null here, VNG's allows "").
        "processobjectaard": a.processobjectaard.as_deref().unwrap_or_default(),
    });
    if let (Value::Object(v), Value::Object(extra)) = (&mut v, extra) {
        v.extend(extra);
        if let Some(Value::Object(opschorting)) = v.get_mut("opschorting") {
            opschorting.insert("eerdereOpschorting".into(), z.eerdere_opschorting.into());
        }
    }
    v
}

/// A besluit as the Besluiten API 1.1.0 returns it.
pub fn besluit(b: &Besluit, urls: &Urls) -> Value {
    let a = &b.attributes;
    json!({
        "url": urls.besluit(b.uuid),
        "identificatie": a.identificatie,
        "verantwoordelijkeOrganisatie": a.verantwoordelijke_organisatie,
        "besluittype": a.besluittype,
        "zaak": a.zaak.as_deref().unwrap_or_default(),
        "datum": a.datum,
        "toelichting": a.toelichting,
        "bestuursorgaan": a.bestuursorgaan,
        "ingangsdatum": a.ingangsdatum,
        "vervaldatum": a.vervaldatum,
        "vervalreden": a.vervalreden.map_or("", |v| v.as_str()),
        "vervalredenWeergave": a.vervalreden.map_or("", |v| v.weergave()),
        "publicatiedatum": a.publicatiedatum,
        "verzenddatum": a.verzenddatum,
        "uiterlijkeReactiedatum": a.uiterlijke_reactiedatum,
    })
}

/// A besluitinformatieobject of besluit `b`; `None` when it has none with this uuid.
pub fn besluitinformatieobject(b: &Besluit, uuid: Uuid, urls: &Urls) -> Option<Value> {
    let bio = b.informatieobjecten.get(&uuid)?;
    Some(json!({
        "url": urls.besluitinformatieobject(uuid),
        "informatieobject": bio.informatieobject,
        "besluit": urls.besluit(b.uuid),
    }))
}

pub use domain::urls::part_collection;

/// The URLs of a zaak's parts of one kind, in the order they were added.
fn part_urls(z: &Zaak, kind: PartKind, urls: &Urls) -> Vec<String> {
    let mut parts: Vec<(&Uuid, &Part)> = z.parts_of(kind).collect();
    parts.sort_by_key(|(_, p)| p.seq);
    parts
        .into_iter()
        .map(|(u, _)| urls.part(kind, z.uuid, *u))
        .collect()
}

/// A status as the Zaken API returns it.
pub fn status(z: &Zaak, s: &Status, urls: &Urls) -> Value {
    let url = urls.status(s.uuid);
    let documenten: Vec<String> = z
        .parts_of(PartKind::Zaakinformatieobject)
        .filter(|(_, p)| p.attributes.get("status").and_then(Value::as_str) == Some(url.as_str()))
        .map(|(u, _)| urls.part(PartKind::Zaakinformatieobject, z.uuid, *u))
        .collect();
    json!({
        "url": url,
        "uuid": s.uuid,
        "zaak": urls.zaak(z.uuid),
        "statustype": s.statustype,
        "datumStatusGezet": s.datum_status_gezet,
        "statustoelichting": s.statustoelichting,
        "indicatieLaatstGezetteStatus": z.current_status().map(|c| c.uuid) == Some(s.uuid),
        "gezetdoor": s.gezetdoor,
        "zaakinformatieobjecten": documenten,
    })
}

/// A rol, resultaat, zaakobject, ... as the Zaken API returns it: its stored attributes
/// with url, uuid, zaak and what derives from the rest of the zaak.
pub fn part(z: &Zaak, uuid: Uuid, p: &Part, urls: &Urls) -> Value {
    let url = urls.part(p.kind, z.uuid, uuid);
    let mut v = serde_json::Map::new();
    v.insert("url".into(), json!(url));
    v.insert("uuid".into(), json!(uuid));
    if p.kind != PartKind::Zaakbesluit {
        v.insert("zaak".into(), json!(urls.zaak(z.uuid)));
    }
    v.extend(p.attributes.clone());
    if p.kind == PartKind::Rol {
        rol_defaults(&mut v);
        let statussen: Vec<String> = z
            .statussen
            .iter()
            .filter(|s| s.gezetdoor == url)
            .map(|s| urls.status(s.uuid))
            .collect();
        v.insert("statussen".into(), json!(statussen));
    }
    Value::Object(v)
}

/// What a rol stored before Zaken 1.5's authenticatieContext and geldigheid renders as
/// null: the dates on every rol, the context on the betrokkeneTypes that have one (Open Zaak
/// shows no authenticatieContext on a medewerker's or organisatorische eenheid's rol).
fn rol_defaults(v: &mut serde_json::Map<String, Value>) {
    let authenticates = v
        .get("betrokkeneType")
        .and_then(Value::as_str)
        .and_then(domain::zaak::rol::AuthSource::of_betrokkene_type)
        .is_some();
    let context = authenticates.then_some("authenticatieContext");
    for key in ["beginGeldigheid", "eindeGeldigheid"]
        .into_iter()
        .chain(context)
    {
        v.entry(key).or_insert(Value::Null);
    }
}

/// The ETag of a rendered resource: a hash of its JSON, quoted as HTTP wants it.
pub fn etag(resource: &Value) -> String {
    etag_of(&serde_json::to_vec(resource).unwrap_or_default())
}

/// The ETag of a resource already serialised (`serde_json::to_string` of it): the same as
/// [`etag`] of the value.
pub fn etag_of(json: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(json);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rol_stored_before_the_geldigheid_and_authenticatie_context_renders_them_as_null() {
        let rol = |betrokkene_type: &str| {
            let mut v = json!({"betrokkeneType": betrokkene_type, "roltoelichting": "x"})
                .as_object()
                .cloned()
                .unwrap();
            rol_defaults(&mut v);
            v
        };
        let persoon = rol("natuurlijk_persoon");
        for key in ["authenticatieContext", "beginGeldigheid", "eindeGeldigheid"] {
            assert_eq!(persoon.get(key), Some(&Value::Null), "{key}");
        }
        let medewerker = rol("medewerker");
        assert_eq!(medewerker.get("eindeGeldigheid"), Some(&Value::Null));
        assert!(!medewerker.contains_key("authenticatieContext"));
        let mut given = json!({"betrokkeneType": "vestiging", "beginGeldigheid": "2024-01-01"})
            .as_object()
            .cloned()
            .unwrap();
        rol_defaults(&mut given);
        assert_eq!(given["beginGeldigheid"], "2024-01-01");
    }
}
