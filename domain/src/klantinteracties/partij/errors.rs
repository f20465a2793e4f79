//! Why a partij or one of its parts refuses a command, with the field name, code and
//! reason Open Klant answers with (ours where Open Klant has no such rule).

use event_schemas::klantinteracties::partij::{CodeObjecttype, CodeRegister};

use super::{objecttypen_of, soorten_of, AdresFormatError, ObjectIdProblem};
use crate::klantinteracties::InvalidParam;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartijError {
    #[error("de partij bestaat al")]
    AlreadyExists,
    #[error("de partij bestaat niet")]
    NotFound,
    #[error("dit onderdeel bestaat niet bij deze partij")]
    PartNotFound,
    #[error("Partij object moet het soort 'organisatie' hebben.")]
    WerkteVoorPartijGeenOrganisatie,
    #[error("Het voorkeurs adres moet een gelinkte digitaal adres zijn.")]
    VoorkeursDigitaalAdresNotLinked,
    #[error("Het voorkeurs rekeningnummer moet een gelinkte rekeningnummer zijn.")]
    VoorkeursRekeningnummerNotLinked,
    #[error("voor `codeRegister` {} zijn alleen deze waarden toegestaan: {}", .0.as_str(), listed(objecttypen_of(*.0).iter().map(|o| o.as_str())))]
    ObjecttypeNotForRegister(CodeRegister),
    #[error("voor `codeObjecttype` {} zijn alleen deze waarden toegestaan: {}", .0.as_str(), listed(soorten_of(*.0).iter().map(|s| s.as_str())))]
    SoortObjectIdNotForObjecttype(CodeObjecttype),
    #[error("Deze waarde is ongeldig, reden: {0}")]
    ObjectIdInvalid(ObjectIdProblem),
    #[error(
        "Voor een PartijIdentificator met codeSoortObjectId = `vestigingsnummer` is het \
         verplicht om een `sub_identifier_van` met codeSoortObjectId = `kvk_nummer` te kiezen."
    )]
    SubIdentificatorRequired,
    #[error(
        "Het is alleen mogelijk om een subIdentifierVan te selecteren met codeSoortObjectId = \
         `kvk_nummer`."
    )]
    SubIdentificatorNotKvkNummer,
    /// Ours: Open Klant accepts a kvk_nummer of another partij.
    #[error("De subIdentificatorVan moet een PartijIdentificator van dezelfde partij zijn.")]
    SubIdentificatorOfOtherPartij,
    #[error(
        "Het is niet mogelijk om de codeSoortObjectId van deze PartijIdentificator te \
         wijzigen, omdat er andere PartijIdentificatoren aan gekoppeld zijn."
    )]
    SoortChangeWithChildren,
    #[error("`CodeSoortObjectId` moet uniek zijn voor de Partij.")]
    SoortNotUniqueForPartij,
    /// The identificator's claim ([`super::claim_key`]) is held by another.
    #[error(
        "`PartijIdentificator` moet uniek zijn, er bestaat er al een met deze \
         gegevenscombinatie."
    )]
    IdentificatorNotUnique,
    #[error(
        "Cannot delete some instances of model 'PartijIdentificator' because they are \
         referenced through protected foreign keys: 'PartijIdentificator.sub_identificator_van'."
    )]
    IdentificatorHasChildren,
    #[error("{0}")]
    AdresFormat(AdresFormatError),
    /// Ours: Open Klant stores the same address twice.
    #[error(
        "De velden verstrekt_door_partij, soort_digitaal_adres, adres moeten een unieke set zijn."
    )]
    AdresNotUnique,
    #[error("De velden verstrekt_door_partij, referentie, soort_digitaal_adres moeten een unieke set zijn.")]
    ReferentieNotUnique,
    #[error("Ongeldige IBAN")]
    IbanInvalid,
    #[error("Zorg ervoor dat dit veld minimaal 8 tekens bevat.")]
    BicTooShort,
    #[error("Geen spaties toegestaan")]
    BicHasSpaces,
    #[error("De partij kan niet zichzelf vertegenwoordigen.")]
    VertegenwoordigtZichzelf,
    #[error("De velden vertegenwoordigende_partij, vertegenwoordigde_partij moeten een unieke set zijn.")]
    VertegenwoordigingNotUnique,
}

/// A Python list's text, as Open Klant's messages print one: `['a', 'b']`.
fn listed<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = items.map(|i| format!("'{i}'")).collect();
    format!("[{}]", quoted.join(", "))
}

impl InvalidParam for PartijError {
    fn field(&self) -> &'static str {
        match self {
            Self::WerkteVoorPartijGeenOrganisatie => "partijIdentificatie.werkteVoorPartij.uuid",
            Self::VoorkeursDigitaalAdresNotLinked => "voorkeursDigitaalAdres",
            Self::VoorkeursRekeningnummerNotLinked => "voorkeursRekeningnummer",
            Self::ObjecttypeNotForRegister(_) => "partijIdentificatorCodeObjecttype",
            Self::SoortObjectIdNotForObjecttype(_) | Self::SoortChangeWithChildren => {
                "partijIdentificatorCodeSoortObjectId"
            }
            Self::ObjectIdInvalid(_) => "partijIdentificatorObjectId",
            Self::SubIdentificatorRequired
            | Self::SubIdentificatorNotKvkNummer
            | Self::SubIdentificatorOfOtherPartij => "subIdentificatorVan",
            // Django's constraint errors, under its name for the object as a whole.
            Self::SoortNotUniqueForPartij | Self::IdentificatorNotUnique => "__all__",
            Self::AdresFormat(_) => "adres",
            Self::IbanInvalid => "iban",
            Self::BicTooShort | Self::BicHasSpaces => "bic",
            Self::VertegenwoordigtZichzelf => "vertegenwoordigdePartij",
            Self::AlreadyExists
            | Self::NotFound
            | Self::PartNotFound
            | Self::IdentificatorHasChildren
            | Self::AdresNotUnique
            | Self::ReferentieNotUnique
            | Self::VertegenwoordigingNotUnique => "nonFieldErrors",
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "exists",
            Self::NotFound | Self::PartNotFound => "not_found",
            Self::BicTooShort => "min_length",
            Self::AdresNotUnique
            | Self::ReferentieNotUnique
            | Self::VertegenwoordigingNotUnique => "unique",
            _ => "invalid",
        }
    }
}
