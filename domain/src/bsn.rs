//! BSN (burgerservicenummer): nine digits passing the same 11-proef as an RSIN, as
//! vng-api-common's `validate_bsn` checks it.

use std::fmt;

use crate::rsin::{check_nine_digits_eleven_proof, RsinError};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bsn(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BsnError {
    #[error("Waarde moet 9 tekens lang zijn")]
    Length,
    #[error("Voer een numerieke waarde in")]
    NotNumeric,
    #[error("Ongeldige code")]
    ElevenCheck,
}

impl From<RsinError> for BsnError {
    fn from(e: RsinError) -> Self {
        match e {
            RsinError::Length => Self::Length,
            RsinError::NotNumeric => Self::NotNumeric,
            RsinError::ElevenCheck => Self::ElevenCheck,
        }
    }
}

impl Bsn {
    pub fn parse(s: &str) -> Result<Self, BsnError> {
        check_nine_digits_eleven_proof(s)?;
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_valid_bsns_parse() {
        for s in ["296648875", "111222333", "999993653"] {
            assert_eq!(Bsn::parse(s).unwrap().as_str(), s);
        }
    }

    #[test]
    fn an_invalid_bsn_says_why_in_the_references_words() {
        assert_eq!(Bsn::parse("12"), Err(BsnError::Length));
        assert_eq!(Bsn::parse("29664887a"), Err(BsnError::NotNumeric));
        assert_eq!(Bsn::parse("296648876"), Err(BsnError::ElevenCheck));
        assert_eq!(
            BsnError::Length.to_string(),
            "Waarde moet 9 tekens lang zijn"
        );
    }

    proptest! {
        #[test]
        fn changing_one_digit_of_a_valid_bsn_breaks_it(pos in 0usize..9, delta in 1u8..10) {
            let mut digits = *b"296648875";
            digits[pos] = b'0' + (digits[pos] - b'0' + delta) % 10;
            prop_assert!(Bsn::parse(std::str::from_utf8(&digits).unwrap()).is_err());
        }

        #[test]
        fn anything_that_parses_is_nine_digits(s in "\\PC{0,12}") {
            if let Ok(b) = Bsn::parse(&s) {
                prop_assert_eq!(b.as_str().len(), 9);
                prop_assert!(b.as_str().bytes().all(|c| c.is_ascii_digit()));
            }
        }
    }
}
