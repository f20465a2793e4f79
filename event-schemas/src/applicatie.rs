//! Events of the `applicatie` aggregate (stream `applicatie-{uuid}`): a consumer of the ZGW
//! APIs and what it may do, as the Autorisaties API 1.0 describes it. Client secrets are
//! never events: they live encrypted beside the read models and can be rotated or erased.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::zaak::Vertrouwelijkheidaanduiding;

/// The API an autorisatie applies to (`component` in the standard).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    Ac,
    Nrc,
    Zrc,
    Ztc,
    Drc,
    Brc,
    /// The Klantinteracties API (ours: Open Klant has no autorisaties; scopes
    /// `klantinteracties.*`, no type or vertrouwelijkheid).
    Kic,
}

impl Component {
    pub const ALL: [Self; 7] = [
        Self::Ac,
        Self::Nrc,
        Self::Zrc,
        Self::Ztc,
        Self::Drc,
        Self::Brc,
        Self::Kic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ac => "ac",
            Self::Nrc => "nrc",
            Self::Zrc => "zrc",
            Self::Ztc => "ztc",
            Self::Drc => "drc",
            Self::Brc => "brc",
            Self::Kic => "kic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// `componentWeergave`, as Open Zaak renders it.
    pub fn weergave(self) -> &'static str {
        match self {
            Self::Ac => "Autorisaties API",
            Self::Nrc => "Notificaties API",
            Self::Zrc => "Zaken API",
            Self::Ztc => "Catalogi API",
            Self::Drc => "Documenten API",
            Self::Brc => "Besluiten API",
            Self::Kic => "Klantinteracties API",
        }
    }

    /// The field naming the type an autorisatie of this component is limited to, if any.
    pub fn type_field(self) -> Option<&'static str> {
        match self {
            Self::Zrc => Some("zaaktype"),
            Self::Drc => Some("informatieobjecttype"),
            Self::Brc => Some("besluittype"),
            Self::Ac | Self::Nrc | Self::Ztc | Self::Kic => None,
        }
    }

    /// Whether an autorisatie of this component has a maximum vertrouwelijkheidaanduiding:
    /// zrc and drc do; brc does not (a besluit has no vertrouwelijkheidaanduiding, and Open
    /// Zaak's BesluitTypeAutorisatie has only the besluittype).
    pub fn has_max_vertrouwelijkheid(self) -> bool {
        matches!(self, Self::Zrc | Self::Drc)
    }
}

/// One autorisatie: scopes on a component, for zrc/drc/brc limited to one type (URL) and a
/// maximum vertrouwelijkheidaanduiding (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Autorisatie {
    pub component: Component,
    pub scopes: Vec<String>,
    /// The zaaktype, informatieobjecttype or besluittype URL (by component).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_vertrouwelijkheidaanduiding: Option<Vertrouwelijkheidaanduiding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicatieAttributes {
    pub client_ids: Vec<String>,
    pub label: String,
    pub heeft_alle_autorisaties: bool,
    pub autorisaties: Vec<Autorisatie>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicatieRegisteredV1 {
    pub uuid: Uuid,
    pub attributes: ApplicatieAttributes,
}

/// The applicatie as it is after the change (PUT and PATCH alike: autorisaties replace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicatieUpdatedV1 {
    pub attributes: ApplicatieAttributes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicatieDeletedV1 {
    /// The client ids it held, released for other applicaties.
    pub client_ids: Vec<String>,
}

crate::versioned_events! {
    /// Events of the `applicatie` aggregate (stream `applicatie-{uuid}`).
    #[derive(Eq)]
    pub enum ApplicatieEvent in "applicatie" {
        Registered(ApplicatieRegisteredV1) = "ApplicatieRegistered" v 1,
        Updated(ApplicatieUpdatedV1) = "ApplicatieUpdated" v 1,
        Deleted(ApplicatieDeletedV1) = "ApplicatieDeleted" v 1,
    }
}
