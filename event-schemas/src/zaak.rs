//! Events of the `zaak` aggregate (stream `zaak-{uuid}`). Field names follow the ZGW
//! standard's JSON names, so a downstream consumer reads them as it reads the Zaken API.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Aanduiding van de mate waarin een object voor de openbaarheid bestemd is, from least to
/// most confidential: the derived order is the standard's.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Vertrouwelijkheidaanduiding {
    Openbaar,
    BeperktOpenbaar,
    Intern,
    Zaakvertrouwelijk,
    Vertrouwelijk,
    Confidentieel,
    Geheim,
    ZeerGeheim,
}

impl Vertrouwelijkheidaanduiding {
    pub const ALL: [Self; 8] = [
        Self::Openbaar,
        Self::BeperktOpenbaar,
        Self::Intern,
        Self::Zaakvertrouwelijk,
        Self::Vertrouwelijk,
        Self::Confidentieel,
        Self::Geheim,
        Self::ZeerGeheim,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Openbaar => "openbaar",
            Self::BeperktOpenbaar => "beperkt_openbaar",
            Self::Intern => "intern",
            Self::Zaakvertrouwelijk => "zaakvertrouwelijk",
            Self::Vertrouwelijk => "vertrouwelijk",
            Self::Confidentieel => "confidentieel",
            Self::Geheim => "geheim",
            Self::ZeerGeheim => "zeer_geheim",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Betalingsindicatie {
    Nvt,
    NogNiet,
    Gedeeltelijk,
    Geheel,
}

impl Betalingsindicatie {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nvt => "nvt",
            Self::NogNiet => "nog_niet",
            Self::Gedeeltelijk => "gedeeltelijk",
            Self::Geheel => "geheel",
        }
    }

    /// The standard's `betalingsindicatieWeergave`.
    pub fn weergave(self) -> &'static str {
        match self {
            Self::Nvt => "Er is geen sprake van te betalen, met de zaak gemoeide, kosten.",
            Self::NogNiet => "De met de zaak gemoeide kosten zijn (nog) niet betaald.",
            Self::Gedeeltelijk => "De met de zaak gemoeide kosten zijn gedeeltelijk betaald.",
            Self::Geheel => "De met de zaak gemoeide kosten zijn geheel betaald.",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Archiefnominatie {
    BlijvendBewaren,
    Vernietigen,
}

impl Archiefnominatie {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BlijvendBewaren => "blijvend_bewaren",
            Self::Vernietigen => "vernietigen",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Archiefstatus {
    #[default]
    NogTeArchiveren,
    Gearchiveerd,
    GearchiveerdProcestermijnOnbekend,
    Overgedragen,
}

impl Archiefstatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NogTeArchiveren => "nog_te_archiveren",
            Self::Gearchiveerd => "gearchiveerd",
            Self::GearchiveerdProcestermijnOnbekend => "gearchiveerd_procestermijn_onbekend",
            Self::Overgedragen => "overgedragen",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Verlenging {
    pub reden: String,
    /// ISO 8601 duration, as the standard writes it (e.g. `P5D`).
    pub duur: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Opschorting {
    pub indicatie: bool,
    pub reden: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AardRelatie {
    Vervolg,
    Onderwerp,
    Bijdrage,
    /// Open Zaak's experimental `overig`, named by `overigeRelatie`.
    Overig,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RelevanteZaak {
    pub url: String,
    pub aard_relatie: AardRelatie,
    /// The relation's name when `aardRelatie` is `overig` (Open Zaak, experimental); empty
    /// in payloads stored before it existed.
    #[serde(default)]
    pub overige_relatie: String,
    #[serde(default)]
    pub toelichting: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ZaakKenmerk {
    pub kenmerk: String,
    pub bron: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Processobject {
    pub datumkenmerk: String,
    pub identificatie: String,
    pub objecttype: String,
    pub registratie: String,
}

/// Every attribute of a zaak a client can write; derived attributes (einddatum, status,
/// resultaat, ...) are not here but follow from other events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ZaakAttributes {
    pub identificatie: String,
    pub bronorganisatie: String,
    pub omschrijving: String,
    pub toelichting: String,
    pub zaaktype: String,
    pub registratiedatum: NaiveDate,
    pub verantwoordelijke_organisatie: String,
    pub startdatum: NaiveDate,
    pub einddatum_gepland: Option<NaiveDate>,
    pub uiterlijke_einddatum_afdoening: Option<NaiveDate>,
    pub publicatiedatum: Option<NaiveDate>,
    pub communicatiekanaal: String,
    pub producten_of_diensten: Vec<String>,
    pub vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding,
    pub betalingsindicatie: Option<Betalingsindicatie>,
    pub laatste_betaaldatum: Option<DateTime<Utc>>,
    /// GeoJSON geometry in EPSG:4326.
    pub zaakgeometrie: Option<serde_json::Value>,
    pub verlenging: Option<Verlenging>,
    pub opschorting: Option<Opschorting>,
    pub selectielijstklasse: String,
    pub hoofdzaak: Option<String>,
    pub relevante_andere_zaken: Vec<RelevanteZaak>,
    pub kenmerken: Vec<ZaakKenmerk>,
    pub archiefnominatie: Option<Archiefnominatie>,
    pub archiefstatus: Archiefstatus,
    pub archiefactiedatum: Option<NaiveDate>,
    pub opdrachtgevende_organisatie: String,
    pub processobjectaard: Option<String>,
    pub startdatum_bewaartermijn: Option<NaiveDate>,
    pub processobject: Option<Processobject>,
    /// Open Zaak's experimental extras (absent in payloads stored before them): the name of
    /// the communicatiekanaal, when the zaak was last opened by its owner, related zaken.
    #[serde(default)]
    pub communicatiekanaal_naam: String,
    #[serde(default)]
    pub laatst_geopend: Option<DateTime<Utc>>,
    #[serde(default)]
    pub gerelateerde_zaken: Vec<GerelateerdeZaak>,
}

/// A related zaak (Open Zaak's experimental `gerelateerdeZaken`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GerelateerdeZaak {
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ZaakCreatedV1 {
    pub uuid: Uuid,
    pub attributes: ZaakAttributes,
}

/// A change of the writable attributes; carries the full post-image so a consumer never
/// needs the earlier events to know the zaak's attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ZaakUpdatedV1 {
    pub attributes: ZaakAttributes,
    /// A PATCH (`partial_update`) rather than a PUT (`update`).
    pub partial: bool,
    /// The ZGW names of the attributes that changed.
    pub changed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusAddedV1 {
    pub uuid: Uuid,
    pub statustype: String,
    pub datum_status_gezet: DateTime<Utc>,
    pub statustoelichting: String,
    /// The rol (URL) that set the status; empty when not given.
    #[serde(default)]
    pub gezetdoor: String,
}

/// Follows the StatusAdded of an eindstatus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ZaakClosedV1 {
    pub einddatum: NaiveDate,
    /// Derived from the resultaattype when the zaak had none; absent when not derived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archiefnominatie: Option<Archiefnominatie>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archiefactiedatum: Option<NaiveDate>,
}

/// Follows the StatusAdded of a status that is not the eindstatus, on a closed zaak: the
/// einddatum and the derived archive fields are cleared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ZaakReopenedV1 {}

/// The zaak and everything it owns are gone from the API (the stream stays, for audit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ZaakDeletedV1 {}

/// What a zaak owns besides its statussen: each a resource of the Zaken API, kept in the
/// zaak's own stream.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    Resultaat,
    Rol,
    Zaakobject,
    Zaakeigenschap,
    Zaakinformatieobject,
    Klantcontact,
    Zaakcontactmoment,
    Zaakverzoek,
    Zaakbesluit,
}

impl PartKind {
    pub const ALL: [Self; 9] = [
        Self::Resultaat,
        Self::Rol,
        Self::Zaakobject,
        Self::Zaakeigenschap,
        Self::Zaakinformatieobject,
        Self::Klantcontact,
        Self::Zaakcontactmoment,
        Self::Zaakverzoek,
        Self::Zaakbesluit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resultaat => "resultaat",
            Self::Rol => "rol",
            Self::Zaakobject => "zaakobject",
            Self::Zaakeigenschap => "zaakeigenschap",
            Self::Zaakinformatieobject => "zaakinformatieobject",
            Self::Klantcontact => "klantcontact",
            Self::Zaakcontactmoment => "zaakcontactmoment",
            Self::Zaakverzoek => "zaakverzoek",
            Self::Zaakbesluit => "zaakbesluit",
        }
    }
}

/// A part's ZGW attributes (JSON names), as validated by the API: the writable fields and
/// the facts resolved when it was added (e.g. a rol's omschrijving from its roltype).
pub type PartAttributes = serde_json::Map<String, serde_json::Value>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartAddedV1 {
    pub kind: PartKind,
    pub uuid: Uuid,
    pub attributes: PartAttributes,
}

/// The part's attributes after the change (full post-image).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartUpdatedV1 {
    pub kind: PartKind,
    pub uuid: Uuid,
    pub attributes: PartAttributes,
    pub partial: bool,
    pub changed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartRemovedV1 {
    pub kind: PartKind,
    pub uuid: Uuid,
}

crate::versioned_events! {
    /// Events of the `zaak` aggregate (stream `zaak-{uuid}`).
    pub enum ZaakEvent in "zaak" {
        ZaakCreated(ZaakCreatedV1) = "ZaakCreated" v 1,
        ZaakUpdated(ZaakUpdatedV1) = "ZaakUpdated" v 1,
        StatusAdded(StatusAddedV1) = "StatusAdded" v 1,
        ZaakClosed(ZaakClosedV1) = "ZaakClosed" v 1,
        ZaakReopened(ZaakReopenedV1) = "ZaakReopened" v 1,
        PartAdded(PartAddedV1) = "PartAdded" v 1,
        PartUpdated(PartUpdatedV1) = "PartUpdated" v 1,
        PartRemoved(PartRemovedV1) = "PartRemoved" v 1,
        ZaakDeleted(ZaakDeletedV1) = "ZaakDeleted" v 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DecodeError, VersionedEvent};

    #[test]
    fn vertrouwelijkheid_orders_from_openbaar_to_zeer_geheim() {
        assert!(Vertrouwelijkheidaanduiding::Openbaar < Vertrouwelijkheidaanduiding::Intern);
        assert!(Vertrouwelijkheidaanduiding::Geheim < Vertrouwelijkheidaanduiding::ZeerGeheim);
        for v in Vertrouwelijkheidaanduiding::ALL {
            assert_eq!(Vertrouwelijkheidaanduiding::parse(v.as_str()), Some(v));
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
        }
    }

    #[test]
    fn an_unknown_schema_version_is_refused_not_guessed() {
        let err = ZaakEvent::decode("ZaakClosed", 99, serde_json::json!({})).unwrap_err();
        assert!(matches!(err, DecodeError::UnknownType { .. }));
    }

    #[test]
    fn a_payload_round_trips_through_its_stored_form() {
        let e = ZaakEvent::ZaakClosed(ZaakClosedV1 {
            einddatum: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
            archiefnominatie: None,
            archiefactiedatum: None,
        });
        let back = ZaakEvent::decode(e.event_type(), e.schema_version(), e.to_payload()).unwrap();
        assert_eq!(back, e);
    }
}
