//! The rules a zaak is decided on with facts from outside its own stream: what its zaaktype
//! allows, its hoofdzaak, the zaaktype of a type a part or status names. The write side
//! resolves the facts (`commands::zaken`) and hands them to `decide` with the command; the
//! rules themselves live here only.

use event_schemas::zaak::{Archiefstatus, ZaakAttributes};
use uuid::Uuid;

use super::{Zaak, ZaakError};

/// A refusal by one of these rules; [`ZaakRule::field`] and [`ZaakRule::code`] are the
/// standard's invalidParam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ZaakRule {
    #[error("Niet alle producten/diensten komen voor in de producten/diensten op het zaaktype")]
    ProductenOfDiensten,
    #[error("Ongeldige hyperlink - Geen URL match.")]
    HoofdzaakNoMatch,
    #[error("Ongeldige hyperlink - Object bestaat niet.")]
    HoofdzaakMissing,
    #[error("Het veld 'hoofdzaak' mag niet naar zichzelf verwijzen.")]
    HoofdzaakSelf,
    #[error("Deelzaken van deelzaken wordt niet ondersteund.")]
    DeelzaakAlsHoofdzaak,
    #[error("Zaaktype niet vastgelegd in deelzaaktypen van hoofdzaak.zaaktype")]
    InvalidDeelzaaktype,
    #[error("De referentie hoort niet bij het zaaktype van de zaak.")]
    ZaaktypeMismatch,
    #[error("De huidige zaak archiefstatus staat dit request niet toe. Archiefstatus moet gelijk zijn aan 'nog_te_archiveren'")]
    ArchiefstatusInvalid,
    #[error("De 'gezetdoor' rol hoort niet bij de zaak.")]
    GezetdoorMismatch,
    #[error("Er zijn gerelateerde deelzaken die nog niet afgesloten zijn. Deze deelzaken moeten eerst afgesloten worden voordat de zaak afgesloten kan worden.")]
    DeelzakenNotClosed,
    #[error("Een deelzaak kan alleen worden heropend als de hoofzaak niet afgesloten is.")]
    HoofdzaakClosed,
    #[error("Er zijn gerelateerde informatieobjecten die nog gelocked zijn.")]
    InformatieobjectLocked,
    #[error("Er zijn gerelateerde informatieobjecten waarvoor `indicatieGebruiksrecht` nog niet gespecifieerd is.")]
    IndicatieGebruiksrechtUnset,
    #[error("Er zijn gerelateerde informatieobjecten waarvan de `status` nog niet gelijk is aan `gearchiveerd`.")]
    DocumentsNotArchived,
    #[error("Het informatieobjecttype hoort niet bij het zaaktype van de zaak.")]
    InformatieobjecttypeNotOfZaaktype,
}

impl ZaakRule {
    /// The field the standard names the refusal under.
    pub fn field(self) -> &'static str {
        match self {
            Self::ProductenOfDiensten => "productenOfDiensten",
            Self::HoofdzaakNoMatch
            | Self::HoofdzaakMissing
            | Self::HoofdzaakSelf
            | Self::DeelzaakAlsHoofdzaak
            | Self::InvalidDeelzaaktype => "hoofdzaak",
            Self::DocumentsNotArchived => "archiefstatus",
            Self::ZaaktypeMismatch
            | Self::ArchiefstatusInvalid
            | Self::GezetdoorMismatch
            | Self::DeelzakenNotClosed
            | Self::HoofdzaakClosed
            | Self::InformatieobjectLocked
            | Self::IndicatieGebruiksrechtUnset
            | Self::InformatieobjecttypeNotOfZaaktype => "nonFieldErrors",
        }
    }

    /// The standard's (or Open Zaak's) code.
    pub fn code(self) -> &'static str {
        match self {
            Self::ProductenOfDiensten => "invalid-products-services",
            Self::HoofdzaakNoMatch => "no_match",
            Self::HoofdzaakMissing => "does_not_exist",
            Self::HoofdzaakSelf => "self-forbidden",
            Self::DeelzaakAlsHoofdzaak => "deelzaak-als-hoofdzaak",
            Self::InvalidDeelzaaktype => "invalid-deelzaaktype",
            Self::ZaaktypeMismatch => "zaaktype-mismatch",
            Self::ArchiefstatusInvalid => "zaak-archiefstatus-invalid",
            Self::GezetdoorMismatch => "zaak-mismatch",
            Self::DeelzakenNotClosed => "deelzaken-not-closed",
            Self::HoofdzaakClosed => "hoofdzaak-closed",
            Self::InformatieobjectLocked => "informatieobject-locked",
            Self::IndicatieGebruiksrechtUnset => "indicatiegebruiksrecht-unset",
            Self::DocumentsNotArchived => "documents-not-archived",
            Self::InformatieobjecttypeNotOfZaaktype => {
                "missing-zaaktype-informatieobjecttype-relation"
            }
        }
    }
}

impl From<ZaakRule> for ZaakError {
    fn from(rule: ZaakRule) -> Self {
        ZaakError::Rule(rule)
    }
}

/// What a new or changed zaak is checked against beyond its own fields. A fact that is
/// `None` was not asked for (e.g. a PATCH that does not name productenOfDiensten).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutsideFacts {
    /// The productenOfDiensten of the zaak's zaaktype.
    pub producten_of_diensten: Option<Vec<String>>,
    /// The hoofdzaak the zaak names.
    pub hoofdzaak: Option<Hoofdzaak>,
    /// The zaak's documents, when the change archives it (archiefstatus other than
    /// nog_te_archiveren).
    pub documenten: Option<Vec<DocumentFacts>>,
}

/// What closing and archiving a zaak need to know of one of its documents (the
/// informatieobject of a zaakinformatieobject, ours or another Documenten API's).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocumentFacts {
    pub locked: bool,
    pub indicatie_gebruiksrecht_set: bool,
    pub gearchiveerd: bool,
}

/// What setting a status needs to know beyond the zaak's stream.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatusFacts {
    /// The zaaktype of the statustype (`zaaktype-mismatch` unless the zaak's).
    pub statustype_zaaktype: String,
    /// The statustype has the highest volgnummer of its zaaktype: the status closes the zaak.
    pub is_eindstatus: bool,
    /// For an eindstatus: the archive rules of the zaak's resultaattype (`None`: the zaak
    /// has no resultaat, and `decide` refuses the eindstatus).
    pub archief: Option<super::archief::ArchiefRegels>,
    /// Dates from outside the zaak the archive rules may need.
    pub buiten: super::archief::BuitenFeiten,
    /// For an eindstatus: some deelzaak of the zaak is still open.
    pub open_deelzaken: bool,
    /// For an eindstatus: the zaak's documents.
    pub documenten: Vec<DocumentFacts>,
    /// The zaak is a deelzaak whose hoofdzaak is closed (it may not go on or reopen).
    pub hoofdzaak_closed: bool,
}

/// `deelzaken-not-closed`, `informatieobject-locked`, `indicatiegebruiksrecht-unset` for
/// an eindstatus; `hoofdzaak-closed` for any other status.
pub(super) fn check_status(facts: &StatusFacts) -> Result<(), ZaakRule> {
    if !facts.is_eindstatus {
        return match facts.hoofdzaak_closed {
            true => Err(ZaakRule::HoofdzaakClosed),
            false => Ok(()),
        };
    }
    if facts.open_deelzaken {
        return Err(ZaakRule::DeelzakenNotClosed);
    }
    for d in &facts.documenten {
        if d.locked {
            return Err(ZaakRule::InformatieobjectLocked);
        }
        if !d.indicatie_gebruiksrecht_set {
            return Err(ZaakRule::IndicatieGebruiksrechtUnset);
        }
    }
    Ok(())
}

/// `documents-not-archived` when the zaak is archived while a document is not.
pub(super) fn check_archiving(
    attributes: &ZaakAttributes,
    facts: &OutsideFacts,
) -> Result<(), ZaakRule> {
    let archiving = attributes.archiefstatus != Archiefstatus::NogTeArchiveren;
    match &facts.documenten {
        Some(documenten) if archiving && documenten.iter().any(|d| !d.gearchiveerd) => {
            Err(ZaakRule::DocumentsNotArchived)
        }
        _ => Ok(()),
    }
}

/// A hoofdzaak as the write side found it.
#[derive(Debug, Clone, PartialEq)]
pub enum Hoofdzaak {
    /// The URL is not one of our zaken's.
    NotOurs,
    /// One of ours, but there is no such zaak.
    Missing { uuid: Uuid },
    Found {
        uuid: Uuid,
        /// It is a deelzaak itself.
        is_deelzaak: bool,
        /// The deelzaaktypen of its zaaktype.
        deelzaaktypen: Vec<String>,
    },
}

/// `invalid-products-services`, then the hoofdzaak's rules, for zaak `uuid` with `attributes`.
pub(super) fn check(
    uuid: Uuid,
    attributes: &ZaakAttributes,
    facts: &OutsideFacts,
) -> Result<(), ZaakRule> {
    if let Some(allowed) = &facts.producten_of_diensten {
        if !attributes
            .producten_of_diensten
            .iter()
            .all(|p| allowed.contains(p))
        {
            return Err(ZaakRule::ProductenOfDiensten);
        }
    }
    match &facts.hoofdzaak {
        None => Ok(()),
        Some(Hoofdzaak::NotOurs) => Err(ZaakRule::HoofdzaakNoMatch),
        Some(Hoofdzaak::Found { uuid: h, .. } | Hoofdzaak::Missing { uuid: h }) if *h == uuid => {
            Err(ZaakRule::HoofdzaakSelf)
        }
        Some(Hoofdzaak::Missing { .. }) => Err(ZaakRule::HoofdzaakMissing),
        Some(Hoofdzaak::Found {
            is_deelzaak: true, ..
        }) => Err(ZaakRule::DeelzaakAlsHoofdzaak),
        Some(Hoofdzaak::Found { deelzaaktypen, .. }) => {
            if deelzaaktypen.contains(&attributes.zaaktype) {
                Ok(())
            } else {
                Err(ZaakRule::InvalidDeelzaaktype)
            }
        }
    }
}

/// `missing-zaaktype-informatieobjecttype-relation` unless a document linked to the zaak is
/// of one of the informatieobjecttypen its zaaktype `allowed`.
pub fn document_type(allowed: &[String], informatieobjecttype: &str) -> Result<(), ZaakRule> {
    if allowed.iter().any(|t| t == informatieobjecttype) {
        Ok(())
    } else {
        Err(ZaakRule::InformatieobjecttypeNotOfZaaktype)
    }
}

/// `zaaktype-mismatch` unless a type's zaaktype (`None`: no type named) is the zaak's.
pub(super) fn same_zaaktype(zaak: &Zaak, type_zaaktype: Option<&str>) -> Result<(), ZaakRule> {
    match type_zaaktype {
        Some(z) if z != zaak.attributes.zaaktype => Err(ZaakRule::ZaaktypeMismatch),
        _ => Ok(()),
    }
}

/// `zaak-archiefstatus-invalid` once the zaak is (being) archived.
pub(super) fn not_archived(zaak: &Zaak) -> Result<(), ZaakRule> {
    if zaak.attributes.archiefstatus == Archiefstatus::NogTeArchiveren {
        Ok(())
    } else {
        Err(ZaakRule::ArchiefstatusInvalid)
    }
}
