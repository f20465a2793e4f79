//! RSIN: nine digits passing the 11-proef as the standard (and vng-api-common's
//! `validate_rsin`) define it, so `000000000`, which test data across the ecosystem uses,
//! is an RSIN.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rsin(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RsinError {
    #[error("een RSIN bestaat uit 9 cijfers")]
    Length,
    #[error("een RSIN bevat alleen cijfers")]
    NotNumeric,
    #[error("ongeldig RSIN: de 11-proef faalt")]
    ElevenCheck,
}

impl RsinError {
    /// The reference implementation's error code (vng-api-common `BaseIdentifierValidator`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Length => "invalid-length",
            Self::NotNumeric => "only-digits",
            Self::ElevenCheck => "invalid",
        }
    }
}

impl Rsin {
    pub fn parse(s: &str) -> Result<Self, RsinError> {
        check_nine_digits_eleven_proof(s)?;
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Rsin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Nine digits passing the 11-proef: an RSIN, and a BSN (which has the same check).
pub(crate) fn check_nine_digits_eleven_proof(s: &str) -> Result<(), RsinError> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RsinError::NotNumeric);
    }
    if s.len() != 9 {
        return Err(RsinError::Length);
    }
    if !passes_eleven_check(s.as_bytes()) {
        return Err(RsinError::ElevenCheck);
    }
    Ok(())
}

/// 9·d1 + 8·d2 + ... + 2·d8 − 1·d9 must be divisible by 11 (zero is).
fn passes_eleven_check(digits: &[u8]) -> bool {
    let sum: i64 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let weight = if i == 8 { -1 } else { 9 - i as i64 };
            weight * i64::from(d - b'0')
        })
        .sum();
    sum % 11 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_valid_rsins_parse() {
        for s in ["002220647", "517439943", "111222333", "000000000"] {
            assert_eq!(Rsin::parse(s).unwrap().as_str(), s);
        }
    }

    #[test]
    fn the_all_zeros_rsin_of_test_data_passes_the_eleven_check_as_in_the_reference() {
        assert!(Rsin::parse("000000000").is_ok());
    }

    #[test]
    fn invalid_rsins_say_why_with_the_reference_codes() {
        assert_eq!(RsinError::Length.code(), "invalid-length");
        assert_eq!(RsinError::NotNumeric.code(), "only-digits");
        assert_eq!(Rsin::parse("12345678"), Err(RsinError::Length));
        assert_eq!(Rsin::parse("12345678a"), Err(RsinError::NotNumeric));
        assert_eq!(Rsin::parse("123456789"), Err(RsinError::ElevenCheck));
    }

    proptest! {
        #[test]
        fn changing_one_digit_of_a_valid_rsin_breaks_it(pos in 0usize..9, delta in 1u8..10) {
            let valid = b"517439943";
            let mut digits = *valid;
            digits[pos] = b'0' + (digits[pos] - b'0' + delta) % 10;
            let s = std::str::from_utf8(&digits).unwrap();
            prop_assert!(Rsin::parse(s).is_err());
        }

        #[test]
        fn anything_that_parses_is_nine_digits(s in "\\PC{0,12}") {
            if let Ok(r) = Rsin::parse(&s) {
                prop_assert_eq!(r.as_str().len(), 9);
                prop_assert!(r.as_str().bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
