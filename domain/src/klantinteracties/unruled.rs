//! The aggregates whose objects have no rule beyond their fields' formats (checked by the
//! API layer): actor, categorie, categorie-relatie, and Contactgegevens' persoon and
//! organisatie. Each is a [`SimpleAggregate`] in its own stream.

use event_schemas::contactgegevens::{
    OrganisatieAttributes, OrganisatieEvent, PersoonAttributes, PersoonEvent,
};
use event_schemas::klantinteracties::overig::{
    ActorAttributes, ActorEvent, CategorieAttributes, CategorieEvent, CategorieRelatieAttributes,
    CategorieRelatieEvent,
};

use super::{simple_events, InvalidParam, SimpleAggregate, SimpleObject};

/// Why an object without rules refuses a command: it is there, or it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ObjectError {
    #[error("het object bestaat al")]
    AlreadyExists,
    #[error("het object bestaat niet")]
    NotFound,
}

impl InvalidParam for ObjectError {
    fn field(&self) -> &'static str {
        "nonFieldErrors"
    }

    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "exists",
            Self::NotFound => "not_found",
        }
    }
}

macro_rules! unruled {
    ($(#[$doc:meta])* $name:ident, $aggregate:ident, $event:ident, $attrs:ty, $c:ident, $u:ident, $d:ident) => {
        $(#[$doc])*
        pub struct $name;

        impl SimpleObject for $name {
            type Attributes = $attrs;
            type Facts = ();
            type Event = $event;
            type Error = ObjectError;
            const ALREADY_EXISTS: ObjectError = ObjectError::AlreadyExists;
            const NOT_FOUND: ObjectError = ObjectError::NotFound;

            fn check(_: Option<&$attrs>, _: &$attrs, _: &()) -> Result<(), ObjectError> {
                Ok(())
            }

            simple_events!($event, $attrs, $c, $u, $d);
        }

        pub type $aggregate = SimpleAggregate<$name>;
    };
}

unruled!(
    /// An actor (stream `actor-{uuid}`): a medewerker, geautomatiseerde actor or
    /// organisatorische eenheid.
    Actor, ActorAggregate, ActorEvent, ActorAttributes, ActorCreated, ActorUpdated, ActorDeleted
);
unruled!(
    /// A categorie (stream `categorie-{uuid}`).
    Categorie, CategorieAggregate, CategorieEvent, CategorieAttributes,
    CategorieCreated, CategorieUpdated, CategorieDeleted
);
unruled!(
    /// A partij in a categorie for a period (stream `categorierelatie-{uuid}`); both may be
    /// empty, so it belongs to neither. The handler fills an empty beginDatum with today.
    CategorieRelatie, CategorieRelatieAggregate, CategorieRelatieEvent, CategorieRelatieAttributes,
    CategorieRelatieCreated, CategorieRelatieUpdated, CategorieRelatieDeleted
);
unruled!(
    /// Contactgegevens' persoon (stream `contactpersoon-{uuid}`).
    ContactgegevensPersoon, ContactgegevensPersoonAggregate, PersoonEvent, PersoonAttributes,
    PersoonCreated, PersoonUpdated, PersoonDeleted
);
unruled!(
    /// Contactgegevens' organisatie (stream `contactorganisatie-{uuid}`).
    ContactgegevensOrganisatie, ContactgegevensOrganisatieAggregate, OrganisatieEvent,
    OrganisatieAttributes, OrganisatieCreated, OrganisatieUpdated, OrganisatieDeleted
);

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::klantinteracties::SimpleCommand;
    use crate::Aggregate;

    #[test]
    fn a_categorie_is_created_renamed_and_deleted_and_then_gone() {
        let naam = |n: &str| CategorieAttributes { naam: n.into() };
        let create = SimpleCommand::Create {
            uuid: Uuid::nil(),
            attributes: naam("Ondernemer"),
            facts: (),
        };
        let state =
            CategorieAggregate::fold(&CategorieAggregate::decide(&None, create.clone()).unwrap());
        assert_eq!(
            CategorieAggregate::decide(&state, create).unwrap_err(),
            ObjectError::AlreadyExists
        );
        let rename = SimpleCommand::Update {
            attributes: naam("Inwoner"),
            partial: true,
            facts: (),
        };
        let events = CategorieAggregate::decide(&state, rename).unwrap();
        let state = events.iter().fold(state, CategorieAggregate::evolve);
        assert_eq!(state.as_ref().unwrap().attributes.naam, "Inwoner");
        let events = CategorieAggregate::decide(&state, SimpleCommand::Delete).unwrap();
        let state = events.iter().fold(state, CategorieAggregate::evolve);
        assert_eq!(
            CategorieAggregate::decide(&state, SimpleCommand::Delete).unwrap_err(),
            ObjectError::NotFound
        );
    }
}
