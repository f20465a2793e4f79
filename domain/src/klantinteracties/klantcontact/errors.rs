//! Why a klantcontact or one of its parts refuses a command, with Open Klant's field
//! names and codes.

use crate::klantinteracties::partij::AdresFormatError;
use crate::klantinteracties::InvalidParam;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KlantcontactError {
    #[error("het klantcontact bestaat al")]
    AlreadyExists,
    #[error("het klantcontact bestaat niet")]
    NotFound,
    #[error("dit onderdeel bestaat niet bij dit klantcontact")]
    PartNotFound,
    #[error("Als het contact gelukt is kan er geen verdere actie zijn ondernomen")]
    VerdereActieNaGeslaagdContact,
    #[error("Value van key '{key}' mag maximaal 255 tekens bevatten.")]
    MetadataTooLong { key: String },
    #[error("De velden actor, klantcontact moeten een unieke set zijn.")]
    ActorKlantcontactNotUnique,
    #[error(
        "`is_standaard_adres` kan alleen gezet worden als `verstrekt_door_partij` niet leeg is."
    )]
    StandaardAdresZonderPartij,
    #[error("Betrokkene object bestaat niet.")]
    BetrokkeneNotHere,
    #[error("{0}")]
    AdresFormat(AdresFormatError),
}

impl InvalidParam for KlantcontactError {
    fn field(&self) -> &'static str {
        match self {
            Self::MetadataTooLong { .. } => "metadata",
            Self::StandaardAdresZonderPartij => "isStandaardAdres",
            Self::BetrokkeneNotHere => "verstrektDoorBetrokkene.uuid",
            Self::AdresFormat(_) => "adres",
            Self::AlreadyExists
            | Self::NotFound
            | Self::PartNotFound
            | Self::VerdereActieNaGeslaagdContact
            | Self::ActorKlantcontactNotUnique => "nonFieldErrors",
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "exists",
            Self::NotFound | Self::PartNotFound => "not_found",
            Self::VerdereActieNaGeslaagdContact => "no-further-action-when-contact-succesful",
            Self::ActorKlantcontactNotUnique => "unique",
            _ => "invalid",
        }
    }
}
