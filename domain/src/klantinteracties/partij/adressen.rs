//! The rules of digitale adressen and rekeningnummers: their values' formats (as Open
//! Klant checks them) and their uniqueness within one partij.

use std::collections::BTreeMap;

use event_schemas::klantinteracties::partij::RekeningnummerAttributes;
use event_schemas::klantinteracties::{DigitaalAdresAttributes, SoortDigitaalAdres};
use uuid::Uuid;

use super::PartijError;

/// Why an adres is no valid value of its soort (field `adres`, code `invalid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AdresFormatError {
    #[error("Voer een geldig e-mailadres in.")]
    Email,
    #[error("Het opgegeven telefoonnummer is ongeldig.")]
    Telefoonnummer,
    #[error(
        "Het opgegeven telefoonnummer is ongeldig, telefoonnummers beginnend met 0800, 0900, \
         1400 of 140xx zijn niet toegestaan."
    )]
    TelefoonnummerPrefix,
}

/// An email address has one `@`, a local part and a dotted domain of letters, digits and
/// hyphens; a telefoonnummer is `0` and nine digits, `+` and 9–15 digits, or `00` and 7–13
/// digits, not a service number (0800, 0900, 140xx). `overig` is free.
pub fn check_format(soort: SoortDigitaalAdres, adres: &str) -> Result<(), AdresFormatError> {
    match soort {
        SoortDigitaalAdres::Email if !is_email(adres) => Err(AdresFormatError::Email),
        SoortDigitaalAdres::Telefoonnummer => check_telefoonnummer(adres),
        _ => Ok(()),
    }
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !local.chars().any(|c| c.is_whitespace() || c == '@')
        && labels.len() >= 2
        && labels.iter().all(|l| label_ok(l))
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2)
}

fn check_telefoonnummer(s: &str) -> Result<(), AdresFormatError> {
    if ["0800", "0900", "140"].iter().any(|p| s.starts_with(p)) {
        return Err(AdresFormatError::TelefoonnummerPrefix);
    }
    let digits = |rest: &str, min: usize, max: usize| {
        (min..=max).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit())
    };
    let ok = if let Some(rest) = s.strip_prefix('+') {
        digits(rest, 9, 15)
    } else if let Some(rest) = s.strip_prefix("00") {
        digits(rest, 7, 13)
    } else if let Some(rest) = s.strip_prefix('0') {
        digits(rest, 9, 9) && !rest.starts_with('0')
    } else {
        false
    };
    ok.then_some(()).ok_or(AdresFormatError::Telefoonnummer)
}

/// The value compared for "one address per partij and soort": an email address ignoring
/// case, anything else as given.
fn comparable(a: &DigitaalAdresAttributes) -> String {
    match a.soort_digitaal_adres {
        SoortDigitaalAdres::Email => a.adres.trim().to_lowercase(),
        _ => a.adres.trim().to_owned(),
    }
}

/// A digitaal adres among the partij's others: its value valid for its soort, each value
/// once per soort, a non-blank referentie once per soort.
pub fn check_digitaal_adres(
    current: &BTreeMap<Uuid, DigitaalAdresAttributes>,
    uuid: Uuid,
    new: &DigitaalAdresAttributes,
) -> Result<(), PartijError> {
    check_format(new.soort_digitaal_adres, &new.adres).map_err(PartijError::AdresFormat)?;
    let others = current
        .iter()
        .filter(|(u, a)| **u != uuid && a.soort_digitaal_adres == new.soort_digitaal_adres);
    for (_, other) in others {
        if comparable(other) == comparable(new) {
            return Err(PartijError::AdresNotUnique);
        }
        if !new.referentie.is_empty() && other.referentie == new.referentie {
            return Err(PartijError::ReferentieNotUnique);
        }
    }
    Ok(())
}

/// The other addresses of the soort that stop being standaard when `new` is.
pub fn replaced_standaard(
    current: &BTreeMap<Uuid, DigitaalAdresAttributes>,
    uuid: Uuid,
    new: &DigitaalAdresAttributes,
) -> Vec<Uuid> {
    if !new.is_standaard_adres {
        return Vec::new();
    }
    current
        .iter()
        .filter(|(u, a)| {
            **u != uuid
                && a.is_standaard_adres
                && a.soort_digitaal_adres == new.soort_digitaal_adres
        })
        .map(|(u, _)| *u)
        .collect()
}

/// An IBAN as Open Klant checks it (two letters, two digits, 1–30 letters or digits) and a
/// BIC of at least 8 characters without spaces.
pub fn check_rekeningnummer(r: &RekeningnummerAttributes) -> Result<(), PartijError> {
    let b = r.iban.as_bytes();
    let iban_ok = (5..=34).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_alphanumeric);
    if !iban_ok {
        return Err(PartijError::IbanInvalid);
    }
    if !r.bic.is_empty() && r.bic.chars().count() < 8 {
        return Err(PartijError::BicTooShort);
    }
    if r.bic.chars().any(char::is_whitespace) {
        return Err(PartijError::BicHasSpaces);
    }
    Ok(())
}
