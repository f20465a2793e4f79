//! Events of the Contactgegevens API (Open Klant's 1.1.1): a persoon or an organisatie
//! whose contact details are kept, each in its own stream.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::klantinteracties::{Adres, CreatedV1, DeletedV1, UpdatedV1};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Geslacht {
    #[serde(rename = "m")]
    Man,
    #[serde(rename = "v")]
    Vrouw,
    #[serde(rename = "o")]
    Overig,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersoonAttributes {
    pub geboortedatum: NaiveDate,
    pub overlijdensdatum: Option<NaiveDate>,
    pub geslachtsnaam: String,
    /// `None` for the API's blank value.
    pub geslacht: Option<Geslacht>,
    pub voorvoegsel: String,
    pub voornamen: String,
    pub adres: Option<Adres>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisatieAttributes {
    pub handelsnaam: String,
    pub oprichtingsdatum: Option<NaiveDate>,
    pub opheffingsdatum: Option<NaiveDate>,
    pub adres: Option<Adres>,
}

crate::versioned_events! {
    /// Events of the `contactpersoon` aggregate (stream `contactpersoon-{uuid}`), the
    /// Contactgegevens API's persoon.
    pub enum PersoonEvent in "contactpersoon" {
        PersoonCreated(CreatedV1<PersoonAttributes>) = "PersoonCreated" v 1,
        PersoonUpdated(UpdatedV1<PersoonAttributes>) = "PersoonUpdated" v 1,
        PersoonDeleted(DeletedV1) = "PersoonDeleted" v 1,
    }
}

crate::versioned_events! {
    /// Events of the `contactorganisatie` aggregate (stream `contactorganisatie-{uuid}`),
    /// the Contactgegevens API's organisatie.
    pub enum OrganisatieEvent in "contactorganisatie" {
        OrganisatieCreated(CreatedV1<OrganisatieAttributes>) = "OrganisatieCreated" v 1,
        OrganisatieUpdated(UpdatedV1<OrganisatieAttributes>) = "OrganisatieUpdated" v 1,
        OrganisatieDeleted(DeletedV1) = "OrganisatieDeleted" v 1,
    }
}
