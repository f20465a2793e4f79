//! The Internetaak aggregate (stream `internetaak-{uuid}`): a task for actoren arising
//! from a klantcontact.

use event_schemas::klantinteracties::overig::{
    InternetaakAttributes, InternetaakEvent, Taakstatus,
};

use super::{simple_events, InvalidParam, SimpleAggregate, SimpleObject};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InternetaakError {
    #[error("de internetaak bestaat al")]
    AlreadyExists,
    #[error("de internetaak bestaat niet")]
    NotFound,
    #[error("De Internetaak kan geen afgehandeld op datum bevatten als de status niet op 'verwerkt' staat.")]
    AfgehandeldOpZonderVerwerkt,
}

impl InvalidParam for InternetaakError {
    fn field(&self) -> &'static str {
        match self {
            Self::AfgehandeldOpZonderVerwerkt => "afgehandeldOp",
            Self::AlreadyExists | Self::NotFound => "nonFieldErrors",
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "exists",
            Self::NotFound => "not_found",
            Self::AfgehandeldOpZonderVerwerkt => "invalid",
        }
    }
}

pub struct Internetaak;

impl SimpleObject for Internetaak {
    type Attributes = InternetaakAttributes;
    type Facts = ();
    type Event = InternetaakEvent;
    type Error = InternetaakError;
    const ALREADY_EXISTS: InternetaakError = InternetaakError::AlreadyExists;
    const NOT_FOUND: InternetaakError = InternetaakError::NotFound;

    /// A taak is afgehandeld only once it is verwerkt.
    fn check(
        _: Option<&InternetaakAttributes>,
        a: &InternetaakAttributes,
        _: &(),
    ) -> Result<(), InternetaakError> {
        if a.afgehandeld_op.is_some() && a.status != Taakstatus::Verwerkt {
            return Err(InternetaakError::AfgehandeldOpZonderVerwerkt);
        }
        Ok(())
    }

    simple_events!(
        InternetaakEvent,
        InternetaakAttributes,
        InternetaakCreated,
        InternetaakUpdated,
        InternetaakDeleted
    );
}

pub type InternetaakAggregate = SimpleAggregate<Internetaak>;

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    use super::*;
    use crate::klantinteracties::SimpleCommand;
    use crate::Aggregate;

    fn taak(status: Taakstatus, afgehandeld: bool) -> InternetaakAttributes {
        InternetaakAttributes {
            nummer: None,
            referentienummer: None,
            gevraagde_handeling: "Terugbellen".into(),
            aanleidinggevend_klantcontact: Uuid::from_u128(7),
            toegewezen_aan_actoren: vec![Uuid::from_u128(8)],
            toelichting: String::new(),
            status,
            toegewezen_op: None,
            afgehandeld_op: afgehandeld.then(|| Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()),
        }
    }

    fn create(
        attributes: InternetaakAttributes,
    ) -> Result<Vec<InternetaakEvent>, InternetaakError> {
        InternetaakAggregate::decide(
            &None,
            SimpleCommand::Create {
                uuid: Uuid::nil(),
                attributes,
                facts: (),
            },
        )
    }

    #[test]
    fn a_taak_has_an_afgehandeld_op_only_when_verwerkt() {
        let refused = create(taak(Taakstatus::TeVerwerken, true)).unwrap_err();
        assert_eq!(
            (refused.field(), refused.code()),
            ("afgehandeldOp", "invalid")
        );
        assert!(create(taak(Taakstatus::Verwerkt, true)).is_ok());
    }

    #[test]
    fn a_taak_is_updated_whole_and_names_what_changed() {
        let state =
            InternetaakAggregate::fold(&create(taak(Taakstatus::TeVerwerken, false)).unwrap());
        let done = SimpleCommand::Update {
            attributes: taak(Taakstatus::Verwerkt, true),
            partial: true,
            facts: (),
        };
        let events = InternetaakAggregate::decide(&state, done).unwrap();
        let InternetaakEvent::InternetaakUpdated(e) = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(
            e.changed,
            vec!["afgehandeldOp".to_owned(), "status".to_owned()]
        );
        let state = events.iter().fold(state, InternetaakAggregate::evolve);
        assert_eq!(state.unwrap().attributes.status, Taakstatus::Verwerkt);
    }

    #[test]
    fn a_deleted_taak_is_gone() {
        let state =
            InternetaakAggregate::fold(&create(taak(Taakstatus::TeVerwerken, false)).unwrap());
        let events = InternetaakAggregate::decide(&state, SimpleCommand::Delete).unwrap();
        let state = events.iter().fold(state, InternetaakAggregate::evolve);
        assert!(state.is_none());
        assert_eq!(
            InternetaakAggregate::decide(&state, SimpleCommand::Delete).unwrap_err(),
            InternetaakError::NotFound
        );
    }
}
