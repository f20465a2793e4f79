//! What the besluiten use cases need to know from outside the besluit's own stream, as a
//! port: the catalogue's besluittypen, the zaak a besluit is about and the documents it is
//! laid down in (ours from the read models, another API's fetched). The adapters (SQL,
//! HTTP) live in query-api; the rules that use these facts live in domain
//! (`domain::besluit`).

use async_trait::async_trait;
use domain::catalogue_facts::BesluittypeFacts;
use domain::urls::Urls;
use event_schemas::zaak::Vertrouwelijkheidaanduiding;

use crate::WriteError;

/// What a besluit write needs to know of its zaak.
#[derive(Debug, Clone, PartialEq)]
pub struct ZaakFacts {
    pub zaaktype: String,
    pub vertrouwelijkheid: Vertrouwelijkheidaanduiding,
    pub closed: bool,
}

/// The outside world of a besluit write.
#[async_trait]
pub trait BesluitPorts: Send + Sync {
    /// Our resources' URLs.
    fn urls(&self) -> &Urls;

    /// The besluittype at `url` (ours or another Catalogi API's), refused under
    /// `besluittype`; whether it is published is the besluit's rule.
    async fn besluittype(&self, url: &str) -> Result<BesluittypeFacts, WriteError>;
    /// The zaak at `url`: ours from the zaken read model, another Zaken API's fetched;
    /// refused under `zaak` (`bad-url`, `invalid-resource`).
    async fn zaak(&self, url: &str) -> Result<ZaakFacts, WriteError>;
    /// The informatieobjecttype of the document at `url`: ours from the documenten read
    /// model, another Documenten API's fetched; refused under `informatieobject`.
    async fn informatieobjecttype_of(&self, url: &str) -> Result<String, WriteError>;

    /// The next number of the besluit identificatie sequence.
    async fn next_besluitnummer(&self) -> Result<i64, WriteError>;
}
