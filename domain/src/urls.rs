//! Our resources' identities as ZGW clients see them: absolute URLs from the public base
//! URL. The write side names resources by them in its rules and answers, the read models
//! render them.

use event_schemas::catalogus::ObjectKind;
use event_schemas::document::DocumentPartKind;
use event_schemas::zaak::PartKind;
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

    /// The Notificaties API's root.
    pub fn notificaties(&self) -> String {
        format!("{}/notificaties/api/v1", self.base)
    }

    pub fn kanaal(&self, uuid: Uuid) -> String {
        format!("{}/kanaal/{uuid}", self.notificaties())
    }

    pub fn abonnement(&self, uuid: Uuid) -> String {
        format!("{}/abonnement/{uuid}", self.notificaties())
    }

    /// The Klantinteracties API's root.
    pub fn klantinteracties(&self) -> String {
        format!("{}/klantinteracties/api/v1", self.base)
    }

    /// A resource of the Klantinteracties API: `collection` its path segment
    /// (`partijen`, `partij-identificatoren`, ...).
    pub fn klantinteracties_object(&self, collection: &str, uuid: Uuid) -> String {
        format!("{}/{collection}/{uuid}", self.klantinteracties())
    }

    /// A resource of the Contactgegevens API (`persoon`, `organisatie`).
    pub fn contactgegevens_object(&self, collection: &str, uuid: Uuid) -> String {
        format!("{}/contactgegevens/api/v1/{collection}/{uuid}", self.base)
    }

    pub fn partij(&self, uuid: Uuid) -> String {
        self.klantinteracties_object("partijen", uuid)
    }

    pub fn klantcontact(&self, uuid: Uuid) -> String {
        self.klantinteracties_object("klantcontacten", uuid)
    }
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
