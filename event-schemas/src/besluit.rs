//! Events of the `besluit` aggregate (stream `besluit-{uuid}`): a besluit and its
//! besluitinformatieobjecten. Field names follow the Besluiten API's JSON names.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Op grond waarvan het besluit is of komt te vervallen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Vervalreden {
    Tijdelijk,
    IngetrokkenOverheid,
    IngetrokkenBelanghebbende,
}

impl Vervalreden {
    pub const ALL: [Self; 3] = [
        Self::Tijdelijk,
        Self::IngetrokkenOverheid,
        Self::IngetrokkenBelanghebbende,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tijdelijk => "tijdelijk",
            Self::IngetrokkenOverheid => "ingetrokken_overheid",
            Self::IngetrokkenBelanghebbende => "ingetrokken_belanghebbende",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The standard's `vervalredenWeergave`.
    pub fn weergave(self) -> &'static str {
        match self {
            Self::Tijdelijk => "Besluit met tijdelijke werking",
            Self::IngetrokkenOverheid => "Besluit ingetrokken door overheid",
            Self::IngetrokkenBelanghebbende => "Besluit ingetrokken o.v.v. belanghebbende",
        }
    }
}

/// Every attribute of a besluit a client can write, as validated by the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesluitAttributes {
    pub identificatie: String,
    pub verantwoordelijke_organisatie: String,
    pub besluittype: String,
    /// The zaak (URL) the besluit is an outcome of; `None` for a besluit without zaak.
    pub zaak: Option<String>,
    pub datum: NaiveDate,
    pub toelichting: String,
    pub bestuursorgaan: String,
    pub ingangsdatum: NaiveDate,
    pub vervaldatum: Option<NaiveDate>,
    pub vervalreden: Option<Vervalreden>,
    pub publicatiedatum: Option<NaiveDate>,
    pub verzenddatum: Option<NaiveDate>,
    pub uiterlijke_reactiedatum: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesluitCreatedV1 {
    pub uuid: Uuid,
    pub attributes: BesluitAttributes,
}

/// A change of the writable attributes; carries the full post-image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesluitUpdatedV1 {
    pub attributes: BesluitAttributes,
    /// A PATCH (`partial_update`) rather than a PUT (`update`).
    pub partial: bool,
    /// The ZGW names of the attributes that changed.
    pub changed: Vec<String>,
}

/// The besluit and its besluitinformatieobjecten are gone from the API (the stream stays,
/// for audit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesluitDeletedV1 {}

/// An informatieobject registered with the besluit (a resource of its own, with its uuid).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesluitinformatieobjectAddedV1 {
    pub uuid: Uuid,
    /// The informatieobject (URL in a Documenten API).
    pub informatieobject: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesluitinformatieobjectRemovedV1 {
    pub uuid: Uuid,
}

crate::versioned_events! {
    /// Events of the `besluit` aggregate (stream `besluit-{uuid}`).
    pub enum BesluitEvent in "besluit" {
        BesluitCreated(BesluitCreatedV1) = "BesluitCreated" v 1,
        BesluitUpdated(BesluitUpdatedV1) = "BesluitUpdated" v 1,
        BesluitinformatieobjectAdded(BesluitinformatieobjectAddedV1) =
            "BesluitinformatieobjectAdded" v 1,
        BesluitinformatieobjectRemoved(BesluitinformatieobjectRemovedV1) =
            "BesluitinformatieobjectRemoved" v 1,
        BesluitDeleted(BesluitDeletedV1) = "BesluitDeleted" v 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VersionedEvent;

    #[test]
    fn vervalreden_is_stored_as_the_standards_value() {
        for v in Vervalreden::ALL {
            assert_eq!(Vervalreden::parse(v.as_str()), Some(v));
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
        }
    }

    #[test]
    fn a_besluit_event_round_trips_through_its_stored_form() {
        let date = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        let e = BesluitEvent::BesluitCreated(BesluitCreatedV1 {
            uuid: Uuid::nil(),
            attributes: BesluitAttributes {
                identificatie: "BESLUIT-2026-0000000001".into(),
                verantwoordelijke_organisatie: "517439943".into(),
                besluittype: "http://x/besluittypen/1".into(),
                zaak: None,
                datum: date,
                toelichting: String::new(),
                bestuursorgaan: String::new(),
                ingangsdatum: date,
                vervaldatum: None,
                vervalreden: Some(Vervalreden::Tijdelijk),
                publicatiedatum: None,
                verzenddatum: None,
                uiterlijke_reactiedatum: None,
            },
        });
        assert_eq!(e.event_type(), "BesluitCreated");
        let back =
            BesluitEvent::decode(e.event_type(), e.schema_version(), e.to_payload()).unwrap();
        assert_eq!(back, e);
    }
}
