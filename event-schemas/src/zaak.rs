//! Events of the `zaak` aggregate (stream `zaak-{uuid}`). Field names follow the ZGW
//! standard's JSON names, so a downstream consumer reads them as it reads the Zaken API.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DecodeError, VersionedEvent};

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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RelevanteZaak {
    pub url: String,
    pub aard_relatie: AardRelatie,
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
}

/// Follows the StatusAdded of an eindstatus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ZaakClosedV1 {
    pub einddatum: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ZaakEvent {
    ZaakCreated(ZaakCreatedV1),
    ZaakUpdated(ZaakUpdatedV1),
    StatusAdded(StatusAddedV1),
    ZaakClosed(ZaakClosedV1),
}

/// `(type, version)` of every payload this code writes, for schema generation.
pub const CURRENT: [(&str, u16); 4] = [
    ("ZaakCreated", 1),
    ("ZaakUpdated", 1),
    ("StatusAdded", 1),
    ("ZaakClosed", 1),
];

impl VersionedEvent for ZaakEvent {
    const CATEGORY: &'static str = "zaak";

    fn event_type(&self) -> &'static str {
        match self {
            Self::ZaakCreated(_) => "ZaakCreated",
            Self::ZaakUpdated(_) => "ZaakUpdated",
            Self::StatusAdded(_) => "StatusAdded",
            Self::ZaakClosed(_) => "ZaakClosed",
        }
    }

    fn schema_version(&self) -> u16 {
        1
    }

    fn to_payload(&self) -> serde_json::Value {
        let value = match self {
            Self::ZaakCreated(e) => serde_json::to_value(e),
            Self::ZaakUpdated(e) => serde_json::to_value(e),
            Self::StatusAdded(e) => serde_json::to_value(e),
            Self::ZaakClosed(e) => serde_json::to_value(e),
        };
        value.expect("event payloads are plain data and always serialize")
    }

    fn decode(
        event_type: &str,
        schema_version: u16,
        payload: serde_json::Value,
    ) -> Result<Self, DecodeError> {
        let err = |source| DecodeError::Payload {
            event_type: event_type.to_owned(),
            schema_version,
            source,
        };
        // Upcasters for older versions go here as `("ZaakCreated", 0) => ...`.
        match (event_type, schema_version) {
            ("ZaakCreated", 1) => serde_json::from_value(payload)
                .map(Self::ZaakCreated)
                .map_err(err),
            ("ZaakUpdated", 1) => serde_json::from_value(payload)
                .map(Self::ZaakUpdated)
                .map_err(err),
            ("StatusAdded", 1) => serde_json::from_value(payload)
                .map(Self::StatusAdded)
                .map_err(err),
            ("ZaakClosed", 1) => serde_json::from_value(payload)
                .map(Self::ZaakClosed)
                .map_err(err),
            _ => Err(DecodeError::UnknownType {
                event_type: event_type.to_owned(),
                schema_version,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        });
        let back = ZaakEvent::decode(e.event_type(), e.schema_version(), e.to_payload()).unwrap();
        assert_eq!(back, e);
    }
}
