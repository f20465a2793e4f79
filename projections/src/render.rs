//! The ZGW representation of a resource, rendered from aggregate state. One function per
//! resource, shared by the read-model projector, the write path's response and time travel.

use domain::applicatie::Applicatie;
use domain::zaak::Zaak;
use serde_json::{json, Value};
use uuid::Uuid;

/// Absolute URLs of our own resources, from the public base URL (e.g. `https://zaken.gemeente.nl`).
#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
}

impl Urls {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn zaak(&self, uuid: Uuid) -> String {
        format!("{}/zaken/api/v1/zaken/{uuid}", self.base)
    }

    pub fn status(&self, uuid: Uuid) -> String {
        format!("{}/zaken/api/v1/statussen/{uuid}", self.base)
    }

    pub fn applicatie(&self, uuid: Uuid) -> String {
        format!("{}/autorisaties/api/v1/applicaties/{uuid}", self.base)
    }
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
        "eigenschappen": [],
        "rollen": [],
        "status": z.current_status().map(|s| urls.status(s.uuid)),
        "zaakinformatieobjecten": [],
        "zaakobjecten": [],
        "resultaat": null,
    });
    if let (Value::Object(v), Value::Object(extra)) = (&mut v, extra) {
        v.extend(extra);
    }
    v
}

/// The ETag of a rendered resource: a hash of its JSON, quoted as HTTP wants it.
pub fn etag(resource: &Value) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(serde_json::to_vec(resource).unwrap_or_default());
    format!("\"{}\"", hex::encode(&digest[..16]))
}
