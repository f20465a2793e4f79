//! What the zaken use cases need to know from outside the zaak's own stream, as a port:
//! the catalogue, the Referentielijsten and other ZGW APIs, and what the read models know
//! of other zaken and documents. The adapters (SQL on the read models, HTTP) live in
//! query-api; the rules that use these facts live in domain (`domain::zaak::rules`).

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::catalogue_facts::{
    EigenschapFacts, ResultaattypeFacts, RoltypeFacts, StatustypeFacts, ZaaktypeFacts,
};
use domain::urls::Urls;
use domain::zaak::DocumentFacts;
use event_schemas::zaak::PartKind;
use uuid::Uuid;

use crate::WriteError;

/// Another zaak as the zaken read model knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZaakSummary {
    pub zaaktype: String,
    /// Its own hoofdzaak: it is a deelzaak.
    pub hoofdzaak: Option<Uuid>,
    pub einddatum: Option<NaiveDate>,
}

/// The outside world of a zaak write. Each `check_*` refuses a reference that does not
/// resolve to a resource of the expected kind under the field it names (`bad-url`,
/// `invalid-resource`, as the reference's URL validators); each lookup answers facts.
#[async_trait]
pub trait ZaakPorts: Send + Sync {
    /// Our resources' URLs.
    fn urls(&self) -> &Urls;

    /// The zaaktype at `url` (ours or another Catalogi API's), refused under `field`.
    async fn zaaktype(&self, field: &str, url: &str) -> Result<ZaaktypeFacts, WriteError>;
    async fn statustype(&self, url: &str) -> Result<StatustypeFacts, WriteError>;
    async fn resultaattype(&self, url: &str) -> Result<ResultaattypeFacts, WriteError>;
    async fn roltype(&self, url: &str) -> Result<RoltypeFacts, WriteError>;
    async fn eigenschap(&self, url: &str) -> Result<EigenschapFacts, WriteError>;

    /// A selectielijstklasse: a resultaat of the (configured) Selectielijst API.
    async fn check_selectielijstklasse(&self, url: &str) -> Result<(), WriteError>;
    /// A communicatiekanaal of a Referentielijsten API.
    async fn check_communicatiekanaal(&self, url: &str) -> Result<(), WriteError>;
    /// Each of `urls` (`{list}.{i}.url`) names a zaak: one of ours that exists, or another
    /// Zaken API's.
    async fn check_zaak_urls(&self, list: &str, urls: &[&str]) -> Result<(), WriteError>;
    /// What a part of `kind` refers to outside the zaak, for a new part of zaak `zaak`
    /// (`zaaktype`: its zaaktype when known, e.g. a zaak being registered; otherwise read):
    /// a zaakinformatieobject's document, a contactmoment, a verzoek, a zaakobject's object.
    async fn check_part_reference(
        &self,
        zaak: Uuid,
        zaaktype: Option<&str>,
        kind: PartKind,
        attributes: &event_schemas::zaak::PartAttributes,
    ) -> Result<(), WriteError>;

    /// Zaak `uuid` as the read model has it.
    async fn zaak(&self, uuid: Uuid) -> Result<Option<ZaakSummary>, WriteError>;
    /// Whether some deelzaak of `uuid` is still open.
    async fn has_open_deelzaken(&self, uuid: Uuid) -> Result<bool, WriteError>;
    /// Whether some besluit names zaak `uuid`.
    async fn has_besluiten(&self, uuid: Uuid) -> Result<bool, WriteError>;
    /// The documents `urls` name (ours from the read model, others fetched; one that cannot
    /// be fetched is refused, `bad-url`: what cannot be checked is not assumed right).
    async fn documenten(&self, urls: &[&str]) -> Result<Vec<DocumentFacts>, WriteError>;
    /// The zaak rol `uuid` belongs to, when there is such a rol.
    async fn rol_zaak(&self, uuid: Uuid) -> Result<Option<Uuid>, WriteError>;
    /// For a zaakbesluit of one of our besluiten: the zaak the besluit names now.
    async fn besluit_zaak(&self, besluit: Uuid) -> Result<Option<String>, WriteError>;

    /// The next number of the zaak identificatie sequence.
    async fn next_zaaknummer(&self) -> Result<i64, WriteError>;
}
