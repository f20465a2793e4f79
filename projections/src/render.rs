//! The ZGW representation of a resource, rendered from aggregate state. One function per
//! resource, shared by the read-model projector, the write path's response and time travel.

use domain::applicatie::Applicatie;
use domain::besluit::Besluit;
use domain::zaak::{Part, Status, Zaak};
use event_schemas::catalogus::ObjectKind;
use event_schemas::document::DocumentPartKind;
use event_schemas::zaak::PartKind;
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

    /// The uuid of one of our zaken from its URL; `None` for any other URL.
    pub fn zaak_uuid(&self, url: &str) -> Option<Uuid> {
        self.uuid_under("/zaken/api/v1/zaken/", url)
    }

    /// The uuid in `{base}{path}{uuid}` (a trailing slash allowed); `None` otherwise.
    pub fn uuid_under(&self, path: &str, url: &str) -> Option<Uuid> {
        let rest = url.strip_prefix(&self.base)?.strip_prefix(path)?;
        rest.trim_end_matches('/').parse().ok()
    }

    pub fn status(&self, uuid: Uuid) -> String {
        format!("{}/zaken/api/v1/statussen/{uuid}", self.base)
    }

    /// A rol, resultaat, zaakobject, ... of zaak `zaak` (two are nested under the zaak).
    pub fn part(&self, kind: PartKind, zaak: Uuid, uuid: Uuid) -> String {
        let api = format!("{}/zaken/api/v1", self.base);
        match kind {
            PartKind::Zaakeigenschap => format!("{api}/zaken/{zaak}/zaakeigenschappen/{uuid}"),
            PartKind::Zaakbesluit => format!("{api}/zaken/{zaak}/besluiten/{uuid}"),
            other => format!("{api}/{}/{uuid}", part_collection(other)),
        }
    }

    /// The base of the Catalogi API, `{base}/catalogi/api/v1`.
    pub fn catalogi(&self) -> String {
        format!("{}/catalogi/api/v1", self.base)
    }

    pub fn catalogus(&self, uuid: Uuid) -> String {
        format!("{}/catalogussen/{uuid}", self.catalogi())
    }

    pub fn catalogus_object(&self, kind: ObjectKind, uuid: Uuid) -> String {
        format!("{}/{}/{uuid}", self.catalogi(), kind.collection())
    }

    /// The uuid of one of our resources in `collection` of the Catalogi API, if `url` is one.
    pub fn catalogi_uuid(&self, collection: &str, url: &str) -> Option<Uuid> {
        let prefix = format!("{}/{collection}/", self.catalogi());
        url.strip_prefix(&prefix)?
            .trim_end_matches('/')
            .parse()
            .ok()
    }

    pub fn besluit(&self, uuid: Uuid) -> String {
        format!("{}/besluiten/api/v1/besluiten/{uuid}", self.base)
    }

    /// The uuid of one of our besluiten from its URL; `None` for any other URL.
    pub fn besluit_uuid(&self, url: &str) -> Option<Uuid> {
        self.uuid_under("/besluiten/api/v1/besluiten/", url)
    }

    pub fn besluitinformatieobject(&self, uuid: Uuid) -> String {
        format!(
            "{}/besluiten/api/v1/besluitinformatieobjecten/{uuid}",
            self.base
        )
    }

    /// The base of the Documenten API, `{base}/documenten/api/v1`.
    pub fn documenten(&self) -> String {
        format!("{}/documenten/api/v1", self.base)
    }

    pub fn document(&self, uuid: Uuid) -> String {
        format!("{}/enkelvoudiginformatieobjecten/{uuid}", self.documenten())
    }

    /// The uuid of one of our documents from its URL; `None` for any other URL.
    pub fn document_uuid(&self, url: &str) -> Option<Uuid> {
        self.uuid_under("/documenten/api/v1/enkelvoudiginformatieobjecten/", url)
    }

    /// Where a version's content is downloaded.
    pub fn download(&self, uuid: Uuid, versie: u32) -> String {
        format!("{}/download?versie={versie}", self.document(uuid))
    }

    pub fn document_part(&self, kind: DocumentPartKind, uuid: Uuid) -> String {
        format!("{}/{}/{uuid}", self.documenten(), kind.collection())
    }

    pub fn bestandsdeel(&self, uuid: Uuid) -> String {
        format!("{}/bestandsdelen/{uuid}", self.documenten())
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

/// The path segment of a part kind's collection under /zaken/api/v1 (nested kinds: the
/// segment under /zaken/{uuid}).
pub fn part_collection(kind: PartKind) -> &'static str {
    match kind {
        PartKind::Resultaat => "resultaten",
        PartKind::Rol => "rollen",
        PartKind::Zaakobject => "zaakobjecten",
        PartKind::Zaakeigenschap => "zaakeigenschappen",
        PartKind::Zaakinformatieobject => "zaakinformatieobjecten",
        PartKind::Klantcontact => "klantcontacten",
        PartKind::Zaakcontactmoment => "zaakcontactmomenten",
        PartKind::Zaakverzoek => "zaakverzoeken",
        PartKind::Zaakbesluit => "besluiten",
    }
}

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
