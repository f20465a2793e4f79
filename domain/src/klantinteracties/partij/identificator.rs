//! The rules of a partij-identificator (Open Klant's `PartijIdentificatorTypesValidator`
//! and `PartijIdentificatorUniquenessValidator`, and its model's constraints) and the
//! claim key that makes one unique in the whole register.

use std::collections::BTreeMap;
use std::fmt;

use event_schemas::klantinteracties::partij::{
    CodeObjecttype, CodeRegister, CodeSoortObjectId, PartijIdentificatorAttributes,
    PartijIdentificatorGroep,
};
use uuid::Uuid;

use super::PartijError;
use crate::bsn::{Bsn, BsnError};
use crate::rsin::Rsin;

/// Why an objectId is not a valid value of its codeSoortObjectId (the reference's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectIdProblem {
    Length(usize),
    NotNumeric,
    ElevenCheck,
}

impl fmt::Display for ObjectIdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length(n) => write!(f, "Waarde moet {n} tekens lang zijn"),
            Self::NotNumeric => f.write_str("Voer een numerieke waarde in"),
            Self::ElevenCheck => f.write_str("Ongeldige code"),
        }
    }
}

/// The codeObjecttypen a register allows.
pub fn objecttypen_of(register: CodeRegister) -> &'static [CodeObjecttype] {
    match register {
        CodeRegister::Brp => &[CodeObjecttype::NatuurlijkPersoon],
        CodeRegister::Hr => &[
            CodeObjecttype::Vestiging,
            CodeObjecttype::NietNatuurlijkPersoon,
        ],
    }
}

/// The codeSoortObjectIds an objecttype allows.
pub fn soorten_of(objecttype: CodeObjecttype) -> &'static [CodeSoortObjectId] {
    match objecttype {
        CodeObjecttype::NatuurlijkPersoon => &[CodeSoortObjectId::Bsn],
        CodeObjecttype::Vestiging => &[CodeSoortObjectId::Vestigingsnummer],
        CodeObjecttype::NietNatuurlijkPersoon => {
            &[CodeSoortObjectId::Rsin, CodeSoortObjectId::KvkNummer]
        }
    }
}

/// The combination of codes is one the standard knows, and the objectId a valid value of
/// its soort (BSN and RSIN with the 11-proef; kvk_nummer 8 digits, vestigingsnummer 12).
pub fn check_groep(g: &PartijIdentificatorGroep) -> Result<(), PartijError> {
    if !objecttypen_of(g.code_register).contains(&g.code_objecttype) {
        return Err(PartijError::ObjecttypeNotForRegister(g.code_register));
    }
    if !soorten_of(g.code_objecttype).contains(&g.code_soort_object_id) {
        return Err(PartijError::SoortObjectIdNotForObjecttype(
            g.code_objecttype,
        ));
    }
    check_object_id(g.code_soort_object_id, &g.object_id).map_err(PartijError::ObjectIdInvalid)
}

fn check_object_id(soort: CodeSoortObjectId, id: &str) -> Result<(), ObjectIdProblem> {
    let digits = |n: usize| {
        if id.chars().count() != n {
            Err(ObjectIdProblem::Length(n))
        } else if !id.bytes().all(|b| b.is_ascii_digit()) {
            Err(ObjectIdProblem::NotNumeric)
        } else {
            Ok(())
        }
    };
    match soort {
        CodeSoortObjectId::Bsn => {
            digits(9)?;
            Bsn::parse(id).map(drop).map_err(|e| match e {
                BsnError::Length => ObjectIdProblem::Length(9),
                BsnError::NotNumeric => ObjectIdProblem::NotNumeric,
                BsnError::ElevenCheck => ObjectIdProblem::ElevenCheck,
            })
        }
        CodeSoortObjectId::Rsin => {
            digits(9)?;
            Rsin::parse(id)
                .map(drop)
                .map_err(|_| ObjectIdProblem::ElevenCheck)
        }
        CodeSoortObjectId::KvkNummer => digits(8),
        CodeSoortObjectId::Vestigingsnummer => digits(12),
    }
}

/// The rules an identificator keeps among the partij's others (`current` holds them all,
/// `uuid` is the one being written): a vestigingsnummer sits under a kvk_nummer of the same
/// partij; a soort that has sub-identificatoren cannot change; at most one identificator of
/// each soort per partij.
pub fn check_among(
    current: &BTreeMap<Uuid, PartijIdentificatorAttributes>,
    uuid: Uuid,
    new: &PartijIdentificatorAttributes,
) -> Result<(), PartijError> {
    let soort = new.partij_identificator.code_soort_object_id;
    if let Some(old) = current.get(&uuid) {
        let changes_soort = old.partij_identificator.code_soort_object_id != soort;
        if changes_soort && has_children(current, uuid) {
            return Err(PartijError::SoortChangeWithChildren);
        }
    }
    if soort == CodeSoortObjectId::Vestigingsnummer {
        let parent = new
            .sub_identificator_van
            .ok_or(PartijError::SubIdentificatorRequired)?;
        let parent = current
            .get(&parent)
            .filter(|_| parent != uuid)
            .ok_or(PartijError::SubIdentificatorOfOtherPartij)?;
        if parent.partij_identificator.code_soort_object_id != CodeSoortObjectId::KvkNummer {
            return Err(PartijError::SubIdentificatorNotKvkNummer);
        }
    }
    let same_soort = current
        .iter()
        .any(|(u, i)| *u != uuid && i.partij_identificator.code_soort_object_id == soort);
    if same_soort {
        return Err(PartijError::SoortNotUniqueForPartij);
    }
    Ok(())
}

/// An identificator others are sub-identificatoren of.
pub fn has_children(current: &BTreeMap<Uuid, PartijIdentificatorAttributes>, uuid: Uuid) -> bool {
    current
        .values()
        .any(|i| i.sub_identificator_van == Some(uuid))
}

/// The claim that makes an identificator unique in the whole register, as Open Klant's
/// constraints do: the four codes, and for a sub-identificator the identificator it is
/// unique under (a vestigingsnummer is unique per kvk_nummer). Taken claims are answered
/// with [`PartijError::IdentificatorNotUnique`].
pub fn claim_key(attributes: &PartijIdentificatorAttributes) -> String {
    let g = &attributes.partij_identificator;
    let scope = attributes
        .sub_identificator_van
        .map_or_else(|| "register".to_owned(), |u| u.to_string());
    format!(
        "partij-identificator/{scope}/{}/{}/{}/{}",
        g.code_register.as_str(),
        g.code_objecttype.as_str(),
        g.code_soort_object_id.as_str(),
        g.object_id
    )
}
