//! Events of the Klantinteracties API (Open Klant 2.x's 0.9.0): one stream per partij,
//! klantcontact, internetaak, actor, categorie and categorie-relatie, each part in its
//! owner's stream. Field names follow the API's JSON names; a reference to an object of
//! this API is its uuid.

/// `ALL`, `as_str` and `parse` of enums whose stored value is the API's.
macro_rules! stored_names {
    ($($t:ty { $($v:ident => $s:literal),+ })+) => {$(
        impl $t {
            pub const ALL: &'static [Self] = &[$(Self::$v),+];
            /// The value as the API and the store write it.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    )+};
}

pub mod klantcontact;
pub mod overig;
pub mod partij;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A Dutch or foreign address (`bezoekadres`, `correspondentieadres`, Contactgegevens'
/// `adres`): every field may be blank.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Adres {
    pub nummeraanduiding_id: String,
    pub straatnaam: String,
    pub huisnummer: Option<i32>,
    pub huisnummertoevoeging: String,
    pub postcode: String,
    pub stad: String,
    pub adresregel1: String,
    pub adresregel2: String,
    pub adresregel3: String,
    /// ISO 3166-1 alpha-2.
    pub land: String,
}

/// The name of a person as contact (`contactnaam`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Contactnaam {
    pub voorletters: String,
    pub voornaam: String,
    pub voorvoegsel_achternaam: String,
    pub achternaam: String,
}

/// A reference to an object in another register (`codeRegister`, `codeObjecttype`,
/// `codeSoortObjectId`, `objectId`, all free text): the identificator of an onderwerpobject,
/// a bijlage or an actor.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjectIdentificator {
    pub object_id: String,
    pub code_objecttype: String,
    pub code_register: String,
    pub code_soort_object_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SoortDigitaalAdres {
    Email,
    Telefoonnummer,
    Overig,
}

/// A digitaal adres as a client writes it; who provided it is where it is stored (the
/// partij's stream for `verstrektDoorPartij`, the klantcontact's for a betrokkene alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DigitaalAdresAttributes {
    /// The betrokkene (uuid) that provided it, if any.
    pub verstrekt_door_betrokkene: Option<Uuid>,
    pub adres: String,
    pub soort_digitaal_adres: SoortDigitaalAdres,
    pub is_standaard_adres: bool,
    pub omschrijving: String,
    pub referentie: String,
    pub verificatie_datum: Option<chrono::NaiveDate>,
}

/// An object of this API created, with the attributes a client wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedV1<A> {
    pub uuid: Uuid,
    pub attributes: A,
}

/// A change of an object's writable attributes; carries the full post-image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdatedV1<A> {
    pub attributes: A,
    /// A PATCH rather than a PUT.
    pub partial: bool,
    /// The API names of the attributes that changed.
    pub changed: Vec<String>,
}

/// The object and all its parts are gone from the API (the stream stays, for audit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DeletedV1 {}

/// A part (a resource with its own uuid, stored in its owner's stream) added or changed,
/// with its full post-image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartSetV1<A> {
    pub uuid: Uuid,
    pub attributes: A,
}

/// A part removed from its owner (deleted, or moved to another owner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartRemovedV1 {
    pub uuid: Uuid,
}

/// A digitaal adres added or changed; setting it as standaard adres unsets the others of
/// its soort, named here so a reader needs no rule to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DigitaalAdresSetV1 {
    pub uuid: Uuid,
    pub attributes: DigitaalAdresAttributes,
    /// Digitale adressen of the same soort that stopped being the standaard adres.
    pub niet_langer_standaard: Vec<Uuid>,
}

stored_names! {
    SoortDigitaalAdres { Email => "email", Telefoonnummer => "telefoonnummer", Overig => "overig" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_address_field_may_be_left_out() {
        let a: Adres = serde_json::from_value(serde_json::json!({"stad": "Utrecht"})).unwrap();
        assert_eq!(a.stad, "Utrecht");
        assert_eq!(a.huisnummer, None);
    }
}
