//! Events of the `partij` aggregate (stream `partij-{uuid}`): a partij with its
//! partij-identificatoren, digitale adressen, rekeningnummers and the vertegenwoordigingen
//! in which it represents another partij.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    Adres, Contactnaam, CreatedV1, DeletedV1, DigitaalAdresSetV1, PartRemovedV1, PartSetV1,
    UpdatedV1,
};

/// `soortPartij` with the `partijIdentificatie` that soort allows: a persoon and a
/// contactpersoon have a contactnaam, an organisatie a naam, a contactpersoon may work for
/// an organisatie partij.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(
    tag = "soortPartij",
    content = "partijIdentificatie",
    rename_all = "snake_case"
)]
pub enum PartijIdentificatie {
    Persoon {
        contactnaam: Option<Contactnaam>,
    },
    Organisatie {
        naam: String,
    },
    #[serde(rename_all = "camelCase")]
    Contactpersoon {
        contactnaam: Option<Contactnaam>,
        /// The organisatie partij (uuid) the contactpersoon works for.
        werkte_voor_partij: Option<Uuid>,
    },
}

/// Every attribute of a partij a client can write (its parts are events of their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartijAttributes {
    /// Deprecated in the API; unique when given.
    pub nummer: Option<String>,
    pub interne_notitie: String,
    /// One of the partij's digitale adressen (uuid).
    pub voorkeurs_digitaal_adres: Option<Uuid>,
    /// One of the partij's rekeningnummers (uuid).
    pub voorkeurs_rekeningnummer: Option<Uuid>,
    #[serde(flatten)]
    pub partij_identificatie: PartijIdentificatie,
    pub indicatie_geheimhouding: Option<bool>,
    /// ISO 639-2/B, e.g. `nld`.
    pub voorkeurstaal: String,
    pub indicatie_actief: bool,
    pub bezoekadres: Option<Adres>,
    pub correspondentieadres: Option<Adres>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CodeRegister {
    Brp,
    Hr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeObjecttype {
    NatuurlijkPersoon,
    NietNatuurlijkPersoon,
    Vestiging,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeSoortObjectId {
    Bsn,
    Vestigingsnummer,
    KvkNummer,
    Rsin,
}

stored_names! {
    CodeRegister { Brp => "brp", Hr => "hr" }
    CodeObjecttype {
        NatuurlijkPersoon => "natuurlijk_persoon",
        NietNatuurlijkPersoon => "niet_natuurlijk_persoon",
        Vestiging => "vestiging"
    }
    CodeSoortObjectId {
        Bsn => "bsn",
        Vestigingsnummer => "vestigingsnummer",
        KvkNummer => "kvk_nummer",
        Rsin => "rsin"
    }
}

/// The `partijIdentificator` group: which register identifies the partij, and how.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartijIdentificatorGroep {
    pub code_objecttype: CodeObjecttype,
    pub code_soort_object_id: CodeSoortObjectId,
    pub object_id: String,
    pub code_register: CodeRegister,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartijIdentificatorAttributes {
    /// Deprecated free text.
    pub andere_partij_identificator: String,
    pub partij_identificator: PartijIdentificatorGroep,
    /// The partij's kvk_nummer identificator (uuid) a vestigingsnummer is unique under.
    pub sub_identificator_van: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RekeningnummerAttributes {
    pub iban: String,
    pub bic: String,
}

/// The partij represents another partij (`vertegenwoordigendePartij` is the stream's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VertegenwoordigingAddedV1 {
    pub uuid: Uuid,
    pub vertegenwoordigde_partij: Uuid,
}

pub type PartijCreatedV1 = CreatedV1<PartijAttributes>;
pub type PartijUpdatedV1 = UpdatedV1<PartijAttributes>;
pub type PartijIdentificatorSetV1 = PartSetV1<PartijIdentificatorAttributes>;
pub type RekeningnummerSetV1 = PartSetV1<RekeningnummerAttributes>;

crate::versioned_events! {
    /// Events of the `partij` aggregate (stream `partij-{uuid}`).
    pub enum PartijEvent in "partij" {
        PartijCreated(PartijCreatedV1) = "PartijCreated" v 1,
        PartijUpdated(PartijUpdatedV1) = "PartijUpdated" v 1,
        PartijDeleted(DeletedV1) = "PartijDeleted" v 1,
        PartijIdentificatorAdded(PartijIdentificatorSetV1) = "PartijIdentificatorAdded" v 1,
        PartijIdentificatorUpdated(PartijIdentificatorSetV1) =
            "PartijIdentificatorUpdated" v 1,
        PartijIdentificatorRemoved(PartRemovedV1) = "PartijIdentificatorRemoved" v 1,
        DigitaalAdresAdded(DigitaalAdresSetV1) = "DigitaalAdresAdded" v 1,
        DigitaalAdresUpdated(DigitaalAdresSetV1) = "DigitaalAdresUpdated" v 1,
        DigitaalAdresRemoved(PartRemovedV1) = "DigitaalAdresRemoved" v 1,
        RekeningnummerAdded(RekeningnummerSetV1) = "RekeningnummerAdded" v 1,
        RekeningnummerUpdated(RekeningnummerSetV1) = "RekeningnummerUpdated" v 1,
        RekeningnummerRemoved(PartRemovedV1) = "RekeningnummerRemoved" v 1,
        VertegenwoordigingAdded(VertegenwoordigingAddedV1) = "VertegenwoordigingAdded" v 1,
        VertegenwoordigingRemoved(PartRemovedV1) = "VertegenwoordigingRemoved" v 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VersionedEvent;

    #[test]
    fn a_partij_is_stored_with_its_soort_beside_its_identificatie_as_the_api_writes_it() {
        let e = PartijEvent::PartijCreated(PartijCreatedV1 {
            uuid: Uuid::nil(),
            attributes: PartijAttributes {
                nummer: None,
                interne_notitie: String::new(),
                voorkeurs_digitaal_adres: None,
                voorkeurs_rekeningnummer: None,
                partij_identificatie: PartijIdentificatie::Contactpersoon {
                    contactnaam: None,
                    werkte_voor_partij: Some(Uuid::nil()),
                },
                indicatie_geheimhouding: None,
                voorkeurstaal: "nld".into(),
                indicatie_actief: true,
                bezoekadres: None,
                correspondentieadres: None,
            },
        });
        let payload = e.to_payload();
        assert_eq!(payload["attributes"]["soortPartij"], "contactpersoon");
        assert!(payload["attributes"]["partijIdentificatie"]["werkteVoorPartij"].is_string());
        let back = PartijEvent::decode(e.event_type(), e.schema_version(), payload).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn identificator_codes_are_stored_as_the_standards_values() {
        for c in CodeSoortObjectId::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            assert_eq!(CodeSoortObjectId::parse(c.as_str()), Some(*c));
        }
        for c in CodeObjecttype::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for c in CodeRegister::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }
}
