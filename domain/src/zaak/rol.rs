//! What a rol's own fields decide (Open Zaak 1.30's RolSerializer; authenticatieContext and
//! geldigheid are Zaken 1.5 experimental): how its betrokkene authenticated, with the levels
//! of assurance in their order, and the rules across its fields.

use chrono::NaiveDate;
use event_schemas::zaak::PartAttributes;
use serde_json::Value;

/// How a betrokkene authenticated: the `source` of a rol's authenticatieContext.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthSource {
    Digid,
    Eherkenning,
}

/// Every level of assurance: DigiD's (Basis, Midden, Substantieel, Hoog), then
/// eHerkenning's (1, 2, 2+, 3, 4), each lowest first.
pub const LEVELS_OF_ASSURANCE: &[&str] = &[
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
    "urn:etoegang:core:assurance-class:loa1",
    "urn:etoegang:core:assurance-class:loa2",
    "urn:etoegang:core:assurance-class:loa2plus",
    "urn:etoegang:core:assurance-class:loa3",
    "urn:etoegang:core:assurance-class:loa4",
];

/// DigiD's levels of assurance, lowest first.
pub const DIGID_LEVELS: &[&str] = LEVELS_OF_ASSURANCE.split_at(4).0;

/// eHerkenning's levels of assurance, lowest first.
pub const EHERKENNING_LEVELS: &[&str] = LEVELS_OF_ASSURANCE.split_at(4).1;

impl AuthSource {
    /// The source a rol of this betrokkeneType authenticates with: DigiD for a natuurlijk
    /// persoon, eHerkenning for a niet-natuurlijk persoon or vestiging; other rollen have no
    /// authenticatieContext.
    pub fn of_betrokkene_type(betrokkene_type: &str) -> Option<Self> {
        match betrokkene_type {
            "natuurlijk_persoon" => Some(Self::Digid),
            "niet_natuurlijk_persoon" | "vestiging" => Some(Self::Eherkenning),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Digid => "digid",
            Self::Eherkenning => "eherkenning",
        }
    }

    /// Its levels of assurance, lowest first.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Self::Digid => DIGID_LEVELS,
            Self::Eherkenning => EHERKENNING_LEVELS,
        }
    }
}

/// The levels at most `level` within its own scheme, as Open Zaak's MaxLoAFilter compares:
/// a DigiD level selects DigiD levels, an eHerkenning level eHerkenning ones. `None` when
/// `level` is neither's.
pub fn levels_at_most(level: &str) -> Option<&'static [&'static str]> {
    [DIGID_LEVELS, EHERKENNING_LEVELS]
        .into_iter()
        .find_map(|levels| Some(&levels[..=levels.iter().position(|l| *l == level)?]))
}

/// A rol whose fields do not fit together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RolRule {
    /// A representee makes the rol a gemachtigde (RolIndicatieMachtigingValidator).
    #[error("`indicatieMachtiging` must be set to 'gemachtigde' when a representee is specified")]
    IndicatieMachtigingInvalid,
    #[error("`eindeGeldigheid` date cannot be before `beginGeldigheid` date")]
    EindeGeldigheidBeforeBegin,
}

impl RolRule {
    /// Open Zaak's code.
    pub fn code(self) -> &'static str {
        match self {
            Self::IndicatieMachtigingInvalid => "indicatie-machtiging-invalid",
            Self::EindeGeldigheidBeforeBegin => "einde-geldigheid-before-begin-geldigheid",
        }
    }

    /// The field Open Zaak names.
    pub fn field(self) -> &'static str {
        match self {
            Self::IndicatieMachtigingInvalid => "nonFieldErrors",
            Self::EindeGeldigheidBeforeBegin => "eindeGeldigheid",
        }
    }
}

/// The rules across a rol's attributes, in Open Zaak's order (its serializer's validators,
/// then its `validate`).
pub fn check(a: &PartAttributes) -> Result<(), RolRule> {
    let representee = a
        .get("authenticatieContext")
        .and_then(|c| c.get("representee"))
        .is_some_and(|r| r.as_object().is_some_and(|r| !r.is_empty()));
    if representee && a.get("indicatieMachtiging").and_then(Value::as_str) != Some("gemachtigde") {
        return Err(RolRule::IndicatieMachtigingInvalid);
    }
    let date = |name: &str| {
        a.get(name)
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<NaiveDate>().ok())
    };
    match (date("beginGeldigheid"), date("eindeGeldigheid")) {
        (Some(begin), Some(einde)) if einde < begin => Err(RolRule::EindeGeldigheidBeforeBegin),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn attributes(v: Value) -> PartAttributes {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn a_level_selects_the_levels_up_to_it_within_its_own_scheme() {
        assert_eq!(levels_at_most(DIGID_LEVELS[1]), Some(&DIGID_LEVELS[..2]));
        assert_eq!(levels_at_most(DIGID_LEVELS[0]), Some(&DIGID_LEVELS[..1]));
        assert_eq!(
            levels_at_most("urn:etoegang:core:assurance-class:loa2plus"),
            Some(&EHERKENNING_LEVELS[..3])
        );
        assert_eq!(
            levels_at_most(EHERKENNING_LEVELS[4]),
            Some(EHERKENNING_LEVELS)
        );
        assert_eq!(levels_at_most("loa2"), None);
    }

    #[test]
    fn only_persons_and_vestigingen_authenticate() {
        assert_eq!(
            AuthSource::of_betrokkene_type("natuurlijk_persoon"),
            Some(AuthSource::Digid)
        );
        assert_eq!(
            AuthSource::of_betrokkene_type("vestiging"),
            Some(AuthSource::Eherkenning)
        );
        assert_eq!(AuthSource::of_betrokkene_type("medewerker"), None);
    }

    #[test]
    fn a_rol_with_a_representee_must_be_a_gemachtigde() {
        let context = json!({"source": "digid", "representee": {"identifier": "111222333"}});
        let rol = |machtiging: &str| {
            check(&attributes(
                json!({"authenticatieContext": context, "indicatieMachtiging": machtiging}),
            ))
        };
        assert_eq!(rol(""), Err(RolRule::IndicatieMachtigingInvalid));
        assert_eq!(
            rol("machtiginggever"),
            Err(RolRule::IndicatieMachtigingInvalid)
        );
        assert_eq!(rol("gemachtigde"), Ok(()));
        let without =
            json!({"authenticatieContext": {"source": "digid"}, "indicatieMachtiging": ""});
        assert_eq!(check(&attributes(without)), Ok(()));
    }

    #[test]
    fn a_geldigheid_may_not_end_before_it_begins() {
        let rol = |begin: Value, einde: Value| {
            check(&attributes(
                json!({"beginGeldigheid": begin, "eindeGeldigheid": einde}),
            ))
        };
        assert_eq!(
            rol(json!("2024-02-01"), json!("2024-01-31")),
            Err(RolRule::EindeGeldigheidBeforeBegin)
        );
        assert_eq!(rol(json!("2024-02-01"), json!("2024-02-01")), Ok(()));
        assert_eq!(rol(Value::Null, json!("2024-01-31")), Ok(()));
    }
}
