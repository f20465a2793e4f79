//! Events of the Catalogi API: the `catalogus` aggregate (stream `catalogus-{uuid}`) and the
//! catalogus objects — zaaktypen, informatieobjecttypen, besluittypen and what a zaaktype
//! owns — each in its own stream `catalogusobject-{uuid}`. Attributes carry the ZGW JSON
//! names, as the Catalogi API 1.3.1 writes them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a catalogus object is: one resource of the Catalogi API.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Zaaktype,
    Informatieobjecttype,
    Besluittype,
    Statustype,
    Roltype,
    Resultaattype,
    Eigenschap,
    Zaakobjecttype,
    #[serde(rename = "zaaktypeinformatieobjecttype")]
    ZaaktypeInformatieobjecttype,
}

impl ObjectKind {
    pub const ALL: [Self; 9] = [
        Self::Zaaktype,
        Self::Informatieobjecttype,
        Self::Besluittype,
        Self::Statustype,
        Self::Roltype,
        Self::Resultaattype,
        Self::Eigenschap,
        Self::Zaakobjecttype,
        Self::ZaaktypeInformatieobjecttype,
    ];

    /// The stored name and the ZGW resource name (`resource` of a notification).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Zaaktype => "zaaktype",
            Self::Informatieobjecttype => "informatieobjecttype",
            Self::Besluittype => "besluittype",
            Self::Statustype => "statustype",
            Self::Roltype => "roltype",
            Self::Resultaattype => "resultaattype",
            Self::Eigenschap => "eigenschap",
            Self::Zaakobjecttype => "zaakobjecttype",
            Self::ZaaktypeInformatieobjecttype => "zaaktypeinformatieobjecttype",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The collection's path segment under /catalogi/api/v1.
    pub fn collection(self) -> &'static str {
        match self {
            Self::Zaaktype => "zaaktypen",
            Self::Informatieobjecttype => "informatieobjecttypen",
            Self::Besluittype => "besluittypen",
            Self::Statustype => "statustypen",
            Self::Roltype => "roltypen",
            Self::Resultaattype => "resultaattypen",
            Self::Eigenschap => "eigenschappen",
            Self::Zaakobjecttype => "zaakobjecttypen",
            Self::ZaaktypeInformatieobjecttype => "zaaktype-informatieobjecttypen",
        }
    }

    /// Zaaktypen, informatieobjecttypen and besluittypen have their own `concept` flag and
    /// are published; the others follow their zaaktype.
    pub fn is_publishable(self) -> bool {
        matches!(
            self,
            Self::Zaaktype | Self::Informatieobjecttype | Self::Besluittype
        )
    }
}

/// A resource's writable ZGW attributes (JSON names), as validated by the API, plus the
/// facts resolved when it was written (a zaaktype's child carries its `catalogus`).
pub type ObjectAttributes = serde_json::Map<String, serde_json::Value>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CatalogusCreatedV1 {
    pub uuid: Uuid,
    pub attributes: ObjectAttributes,
}

crate::versioned_events! {
    /// Events of the `catalogus` aggregate (stream `catalogus-{uuid}`). The Catalogi API
    /// 1.3.1 has no update or delete of a catalogus.
    pub enum CatalogusEvent in "catalogus" {
        CatalogusCreated(CatalogusCreatedV1) = "CatalogusCreated" v 1,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ObjectCreatedV1 {
    pub kind: ObjectKind,
    pub uuid: Uuid,
    pub attributes: ObjectAttributes,
}

/// The attributes after the change (full post-image).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ObjectUpdatedV1 {
    pub kind: ObjectKind,
    pub attributes: ObjectAttributes,
    /// A PATCH (`partial_update`) rather than a PUT (`update`).
    pub partial: bool,
    /// The ZGW names of the attributes that changed.
    pub changed: Vec<String>,
    /// Written with catalogi.geforceerd-schrijven to an object that is not a concept.
    #[serde(default)]
    pub forced: bool,
}

/// A zaaktype, informatieobjecttype or besluittype stops being a concept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ObjectPublishedV1 {
    pub kind: ObjectKind,
    /// The catalogus URL (the notifications' kenmerk), so no earlier event is needed.
    pub catalogus: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ObjectDeletedV1 {
    pub kind: ObjectKind,
    /// The catalogus URL (the notifications' kenmerk), so no earlier event is needed.
    pub catalogus: String,
}

crate::versioned_events! {
    /// Events of a catalogus object (stream `catalogusobject-{uuid}`).
    pub enum CatalogusObjectEvent in "catalogusobject" {
        ObjectCreated(ObjectCreatedV1) = "ObjectCreated" v 1,
        ObjectUpdated(ObjectUpdatedV1) = "ObjectUpdated" v 1,
        ObjectPublished(ObjectPublishedV1) = "ObjectPublished" v 1,
        ObjectDeleted(ObjectDeletedV1) = "ObjectDeleted" v 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VersionedEvent;

    #[test]
    fn every_kind_round_trips_through_its_stored_name() {
        for k in ObjectKind::ALL {
            assert_eq!(ObjectKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }

    #[test]
    fn an_object_event_round_trips_through_its_stored_form() {
        let e = CatalogusObjectEvent::ObjectPublished(ObjectPublishedV1 {
            kind: ObjectKind::Besluittype,
            catalogus: "http://x/catalogi/api/v1/catalogussen/1".into(),
        });
        let back = CatalogusObjectEvent::decode(e.event_type(), e.schema_version(), e.to_payload())
            .unwrap();
        assert_eq!(back, e);
    }
}
