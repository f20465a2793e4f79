//! The Applicatie aggregate (stream `applicatie-{uuid}`): a consumer and its autorisaties.
//! The rules of the Autorisaties API that concern one applicatie live here; uniqueness of
//! client ids across applicaties is a claim per client id, taken by the command handler.

use event_schemas::applicatie::{
    ApplicatieAttributes, ApplicatieDeletedV1, ApplicatieEvent, ApplicatieRegisteredV1,
    ApplicatieUpdatedV1, Autorisatie, Component,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Aggregate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applicatie {
    pub uuid: Uuid,
    pub attributes: ApplicatieAttributes,
}

/// `None` before registration and after deletion.
pub type ApplicatieState = Option<Applicatie>;

#[derive(Debug, Clone, PartialEq)]
pub enum ApplicatieCommand {
    Register {
        uuid: Uuid,
        attributes: ApplicatieAttributes,
    },
    Update {
        attributes: ApplicatieAttributes,
    },
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplicatieError {
    #[error("de applicatie bestaat al")]
    AlreadyExists,
    #[error("de applicatie bestaat niet")]
    NotFound,
    /// `ambiguous-authorizations-specified`
    #[error("Either autorisaties or heeftAlleAutorisaties can be specified")]
    Ambiguous,
    /// `missing-authorizations`
    #[error("Either autorisaties or heeftAlleAutorisaties should be specified")]
    Missing,
    /// Autorisaties of component zrc/drc/brc whose scopes concern its resources miss their
    /// type or maximum vertrouwelijkheidaanduiding (`required`): each (index, field).
    #[error("autorisaties missen een verplicht veld: {0:?}")]
    AutorisatieIncomplete(Vec<(usize, &'static str)>),
}

/// The rules on the attributes an applicatie may have.
pub fn validate(attributes: &ApplicatieAttributes) -> Result<(), ApplicatieError> {
    let has_autorisaties = !attributes.autorisaties.is_empty();
    match (attributes.heeft_alle_autorisaties, has_autorisaties) {
        (true, true) => return Err(ApplicatieError::Ambiguous),
        (false, false) => return Err(ApplicatieError::Missing),
        _ => {}
    }
    let missing: Vec<(usize, &'static str)> = attributes
        .autorisaties
        .iter()
        .enumerate()
        .flat_map(|(index, a)| missing_fields(a).into_iter().map(move |f| (index, f)))
        .collect();
    if !missing.is_empty() {
        return Err(ApplicatieError::AutorisatieIncomplete(missing));
    }
    Ok(())
}

/// The scope prefix of the resources an autorisatie of `component` limits by type.
fn resource_scope_prefix(component: Component) -> Option<&'static str> {
    match component {
        Component::Zrc => Some("zaken."),
        Component::Drc => Some("documenten."),
        Component::Brc => Some("besluiten."),
        _ => None,
    }
}

/// The fields an autorisatie lacks: its type and maximum vertrouwelijkheidaanduiding are
/// required only when a scope concerns the component's resources (vng-api-common's
/// AutorisatieValidator: zrc with only `notificaties.publiceren` needs neither).
fn missing_fields(a: &Autorisatie) -> Vec<&'static str> {
    let (Some(field), Some(prefix)) =
        (a.component.type_field(), resource_scope_prefix(a.component))
    else {
        return Vec::new();
    };
    if !a.scopes.iter().any(|s| s.starts_with(prefix)) {
        return Vec::new();
    }
    let mut missing = Vec::new();
    if a.component.has_max_vertrouwelijkheid() && a.max_vertrouwelijkheidaanduiding.is_none() {
        missing.push("maxVertrouwelijkheidaanduiding");
    }
    if a.type_url.as_deref().is_none_or(str::is_empty) {
        missing.push(field);
    }
    missing
}

pub struct ApplicatieAggregate;

impl Aggregate for ApplicatieAggregate {
    type State = ApplicatieState;
    type Command = ApplicatieCommand;
    type Event = ApplicatieEvent;
    type Error = ApplicatieError;

    fn decide(
        state: &ApplicatieState,
        command: ApplicatieCommand,
    ) -> Result<Vec<ApplicatieEvent>, ApplicatieError> {
        match (state, command) {
            (Some(_), ApplicatieCommand::Register { .. }) => Err(ApplicatieError::AlreadyExists),
            (None, ApplicatieCommand::Register { uuid, attributes }) => {
                validate(&attributes)?;
                Ok(vec![ApplicatieEvent::Registered(ApplicatieRegisteredV1 {
                    uuid,
                    attributes,
                })])
            }
            (None, _) => Err(ApplicatieError::NotFound),
            (Some(current), ApplicatieCommand::Update { attributes }) => {
                validate(&attributes)?;
                if current.attributes == attributes {
                    return Ok(vec![]);
                }
                Ok(vec![ApplicatieEvent::Updated(ApplicatieUpdatedV1 {
                    attributes,
                })])
            }
            (Some(current), ApplicatieCommand::Delete) => {
                Ok(vec![ApplicatieEvent::Deleted(ApplicatieDeletedV1 {
                    client_ids: current.attributes.client_ids.clone(),
                })])
            }
        }
    }

    fn evolve(state: ApplicatieState, event: &ApplicatieEvent) -> ApplicatieState {
        match event {
            ApplicatieEvent::Registered(e) => Some(Applicatie {
                uuid: e.uuid,
                attributes: e.attributes.clone(),
            }),
            ApplicatieEvent::Updated(e) => state.map(|a| Applicatie {
                attributes: e.attributes.clone(),
                ..a
            }),
            ApplicatieEvent::Deleted(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use event_schemas::applicatie::Component;
    use event_schemas::zaak::Vertrouwelijkheidaanduiding;

    use super::*;

    fn zrc(zaaktype: Option<&str>) -> Autorisatie {
        Autorisatie {
            component: Component::Zrc,
            scopes: vec!["zaken.lezen".into()],
            type_url: zaaktype.map(str::to_owned),
            max_vertrouwelijkheidaanduiding: Some(Vertrouwelijkheidaanduiding::Openbaar),
        }
    }

    fn attributes(alle: bool, autorisaties: Vec<Autorisatie>) -> ApplicatieAttributes {
        ApplicatieAttributes {
            client_ids: vec!["client".into()],
            label: "Test".into(),
            heeft_alle_autorisaties: alle,
            autorisaties,
        }
    }

    fn register(attributes: ApplicatieAttributes) -> Result<Vec<ApplicatieEvent>, ApplicatieError> {
        ApplicatieAggregate::decide(
            &None,
            ApplicatieCommand::Register {
                uuid: Uuid::nil(),
                attributes,
            },
        )
    }

    #[test]
    fn heeft_alle_autorisaties_with_autorisaties_is_ambiguous() {
        let attrs = attributes(true, vec![zrc(Some("https://ztc/zaaktypen/1"))]);
        assert_eq!(register(attrs), Err(ApplicatieError::Ambiguous));
    }

    #[test]
    fn neither_heeft_alle_autorisaties_nor_autorisaties_is_missing_authorizations() {
        assert_eq!(
            register(attributes(false, vec![])),
            Err(ApplicatieError::Missing)
        );
    }

    #[test]
    fn a_zrc_autorisatie_needs_its_zaaktype_and_max_vertrouwelijkheid() {
        let attrs = attributes(false, vec![zrc(None)]);
        assert_eq!(
            register(attrs),
            Err(ApplicatieError::AutorisatieIncomplete(vec![(
                0, "zaaktype"
            )]))
        );
        let mut no_max = zrc(Some("https://ztc/zaaktypen/1"));
        no_max.max_vertrouwelijkheidaanduiding = None;
        assert_eq!(
            register(attributes(false, vec![no_max])),
            Err(ApplicatieError::AutorisatieIncomplete(vec![(
                0,
                "maxVertrouwelijkheidaanduiding"
            )]))
        );
        let mut neither = zrc(None);
        neither.max_vertrouwelijkheidaanduiding = None;
        assert_eq!(
            register(attributes(false, vec![neither])),
            Err(ApplicatieError::AutorisatieIncomplete(vec![
                (0, "maxVertrouwelijkheidaanduiding"),
                (0, "zaaktype")
            ]))
        );
    }

    #[test]
    fn a_zrc_autorisatie_whose_scopes_do_not_concern_zaken_needs_no_zaaktype() {
        let mut notificaties = zrc(None);
        notificaties.scopes = vec!["notificaties.publiceren".into()];
        notificaties.max_vertrouwelijkheidaanduiding = None;
        assert!(register(attributes(false, vec![notificaties])).is_ok());
    }

    #[test]
    fn a_brc_autorisatie_needs_its_besluittype_but_no_max_vertrouwelijkheid() {
        let brc = |type_url: Option<&str>| Autorisatie {
            component: Component::Brc,
            scopes: vec!["besluiten.lezen".into()],
            type_url: type_url.map(Into::into),
            max_vertrouwelijkheidaanduiding: None,
        };
        assert!(register(attributes(
            false,
            vec![brc(Some("https://ztc/besluittypen/1"))]
        ))
        .is_ok());
        assert_eq!(
            register(attributes(false, vec![brc(None)])),
            Err(ApplicatieError::AutorisatieIncomplete(vec![(
                0,
                "besluittype"
            )]))
        );
    }

    #[test]
    fn a_ztc_autorisatie_needs_only_scopes() {
        let ztc = Autorisatie {
            component: Component::Ztc,
            scopes: vec!["catalogi.lezen".into()],
            type_url: None,
            max_vertrouwelijkheidaanduiding: None,
        };
        assert!(register(attributes(false, vec![ztc])).is_ok());
    }

    #[test]
    fn an_update_to_the_same_attributes_appends_nothing_and_delete_ends_it() {
        let attrs = attributes(true, vec![]);
        let events = register(attrs.clone()).unwrap();
        let state = ApplicatieAggregate::fold(&events);
        let same = ApplicatieAggregate::decide(
            &state,
            ApplicatieCommand::Update {
                attributes: attrs.clone(),
            },
        );
        assert_eq!(same, Ok(vec![]));
        let deleted = ApplicatieAggregate::decide(&state, ApplicatieCommand::Delete).unwrap();
        let after = ApplicatieAggregate::evolve(state, &deleted[0]);
        assert_eq!(after, None);
        assert_eq!(
            ApplicatieAggregate::decide(&after, ApplicatieCommand::Delete),
            Err(ApplicatieError::NotFound)
        );
    }
}
