//! The Catalogus aggregate (stream `catalogus-{uuid}`): created once, never changed in the
//! Catalogi API 1.3.1. Its rules: a valid RSIN and a domein of one to five characters.
//! Uniqueness of (domein, rsin) is a claim taken by the command handler.

use event_schemas::catalogus::{CatalogusCreatedV1, CatalogusEvent, ObjectAttributes};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Aggregate, Rsin};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogus {
    pub uuid: Uuid,
    pub attributes: ObjectAttributes,
}

impl Catalogus {
    pub fn text(&self, name: &str) -> &str {
        self.attributes
            .get(name)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    }
}

pub type CatalogusState = Option<Catalogus>;

#[derive(Debug, Clone, PartialEq)]
pub enum CatalogusCommand {
    Create {
        uuid: Uuid,
        attributes: ObjectAttributes,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogusError {
    #[error("de catalogus bestaat al")]
    AlreadyExists,
    #[error("{0}")]
    InvalidRsin(crate::rsin::RsinError),
    #[error("een domein bestaat uit 1 tot 5 tekens")]
    InvalidDomein,
}

pub struct CatalogusAggregate;

impl Aggregate for CatalogusAggregate {
    type State = CatalogusState;
    type Command = CatalogusCommand;
    type Event = CatalogusEvent;
    type Error = CatalogusError;

    fn decide(
        state: &CatalogusState,
        command: CatalogusCommand,
    ) -> Result<Vec<CatalogusEvent>, CatalogusError> {
        let CatalogusCommand::Create { uuid, attributes } = command;
        if state.is_some() {
            return Err(CatalogusError::AlreadyExists);
        }
        let text = |name: &str| attributes.get(name).and_then(|v| v.as_str()).unwrap_or("");
        Rsin::parse(text("rsin")).map_err(CatalogusError::InvalidRsin)?;
        if !(1..=5).contains(&text("domein").chars().count()) {
            return Err(CatalogusError::InvalidDomein);
        }
        Ok(vec![CatalogusEvent::CatalogusCreated(CatalogusCreatedV1 {
            uuid,
            attributes,
        })])
    }

    fn evolve(_: CatalogusState, event: &CatalogusEvent) -> CatalogusState {
        match event {
            CatalogusEvent::CatalogusCreated(e) => Some(Catalogus {
                uuid: e.uuid,
                attributes: e.attributes.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn create(domein: &str, rsin: &str) -> CatalogusCommand {
        let attributes = json!({"domein": domein, "rsin": rsin, "contactpersoonBeheerNaam": "Ad"});
        CatalogusCommand::Create {
            uuid: Uuid::nil(),
            attributes: attributes.as_object().unwrap().clone(),
        }
    }

    #[test]
    fn a_catalogus_with_a_valid_rsin_and_domein_is_created() {
        let events = CatalogusAggregate::decide(&None, create("ABCDE", "517439943")).unwrap();
        let state = CatalogusAggregate::fold(&events).unwrap();
        assert_eq!(state.text("domein"), "ABCDE");
    }

    #[test]
    fn a_catalogus_with_an_rsin_failing_the_eleven_check_is_refused() {
        let err = CatalogusAggregate::decide(&None, create("ABC", "123456789")).unwrap_err();
        assert!(matches!(err, CatalogusError::InvalidRsin(_)));
    }

    #[test]
    fn a_catalogus_without_a_domein_is_refused() {
        let err = CatalogusAggregate::decide(&None, create("", "517439943")).unwrap_err();
        assert_eq!(err, CatalogusError::InvalidDomein);
    }

    #[test]
    fn a_catalogus_is_created_only_once() {
        let events = CatalogusAggregate::decide(&None, create("ABC", "517439943")).unwrap();
        let state = CatalogusAggregate::fold(&events);
        let err = CatalogusAggregate::decide(&state, create("ABC", "517439943")).unwrap_err();
        assert_eq!(err, CatalogusError::AlreadyExists);
    }
}
