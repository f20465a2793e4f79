//! The Notificaties API's aggregates and rules: a kanaal (its naam never changes), an
//! abonnement (a callback and the kanalen it follows, with filters the kanaal knows), and
//! which abonnementen a notification goes to. Whether a named kanaal exists is a fact the
//! command handler resolves and passes in.
//!
//! Kenmerk names are compared in camelCase (`object_type` = `objectType`), as Open
//! Notificaties does after its parser underscoreizes and its serializer camelizes them:
//! Open Zaak registers kanaal filters in snake_case and sends kenmerken in camelCase.

use std::collections::{BTreeMap, BTreeSet};

use event_schemas::notificaties::{
    AbonnementAttributes, AbonnementCreatedV1, AbonnementDeletedV1, AbonnementEvent,
    AbonnementUpdatedV1, KanaalAttributes, KanaalCreatedV1, KanaalEvent, KanaalFilter,
    KanaalUpdatedV1,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Aggregate;

/// `object_type` -> `objectType`; dots and other characters stay.
pub fn camelize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Open Notificaties' consistency rule between kenmerk names and a kanaal's filters: the
/// names are valid when they are all of the kanaal's filters or only some of them, so an
/// empty set is always valid and a kanaal without filters accepts any names.
pub fn consistent<'a>(names: impl IntoIterator<Item = &'a str>, kanaal_filters: &[String]) -> bool {
    let names: BTreeSet<String> = names.into_iter().map(camelize).collect();
    let filters: BTreeSet<String> = kanaal_filters.iter().map(|f| camelize(f)).collect();
    filters.is_subset(&names) || names.is_subset(&filters)
}

/// Whether a notification with `kenmerken` passes one kanaal's `filters` of an abonnement:
/// every filter whose kenmerk the notification carries must be `*` or the exact value;
/// filters on kenmerken it does not carry are ignored (Open Notificaties' rule).
pub fn matches(filters: &BTreeMap<String, String>, kenmerken: &BTreeMap<String, String>) -> bool {
    let kenmerken: BTreeMap<String, &str> = kenmerken
        .iter()
        .map(|(k, v)| (camelize(k), v.as_str()))
        .collect();
    filters.iter().all(|(key, wanted)| {
        wanted == "*"
            || kenmerken
                .get(&camelize(key))
                .is_none_or(|value| value == wanted)
    })
}

/// Whether an abonnement wants a notification of `kanaal` with `kenmerken`: one of its
/// groups on that kanaal matches.
pub fn wants(
    abonnement: &AbonnementAttributes,
    kanaal: &str,
    kenmerken: &BTreeMap<String, String>,
) -> bool {
    abonnement
        .kanalen
        .iter()
        .any(|k| k.naam == kanaal && matches(&k.filters, kenmerken))
}

/// Whether a CloudEvent of `event_type` with `data` goes to an abonnement: it sends
/// CloudEvents and one of its groups names a part of the type and matches the data.
pub fn wants_cloudevent(
    abonnement: &AbonnementAttributes,
    event_type: &str,
    data: &BTreeMap<String, String>,
) -> bool {
    abonnement.send_cloudevents
        && abonnement
            .cloudevent_filters
            .iter()
            .any(|f| event_type.contains(&f.type_substring) && matches(&f.filters, data))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kanaal {
    pub uuid: Uuid,
    pub attributes: KanaalAttributes,
}

#[derive(Debug, Clone, PartialEq)]
pub enum KanaalCommand {
    Create {
        uuid: Uuid,
        attributes: KanaalAttributes,
    },
    Update {
        attributes: KanaalAttributes,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KanaalError {
    #[error("het kanaal bestaat al")]
    AlreadyExists,
    #[error("het kanaal bestaat niet")]
    NotFound,
    /// `naam` / `wijzigen-niet-toegelaten`
    #[error("Dit veld mag niet gewijzigd worden.")]
    NaamImmutable,
}

pub struct KanaalAggregate;

impl Aggregate for KanaalAggregate {
    type State = Option<Kanaal>;
    type Command = KanaalCommand;
    type Event = KanaalEvent;
    type Error = KanaalError;

    fn decide(
        state: &Option<Kanaal>,
        command: KanaalCommand,
    ) -> Result<Vec<KanaalEvent>, KanaalError> {
        match (state, command) {
            (Some(_), KanaalCommand::Create { .. }) => Err(KanaalError::AlreadyExists),
            (None, KanaalCommand::Create { uuid, attributes }) => {
                Ok(vec![KanaalEvent::Created(KanaalCreatedV1 {
                    uuid,
                    attributes,
                })])
            }
            (None, KanaalCommand::Update { .. }) => Err(KanaalError::NotFound),
            (Some(current), KanaalCommand::Update { attributes }) => {
                if attributes.naam != current.attributes.naam {
                    return Err(KanaalError::NaamImmutable);
                }
                if attributes == current.attributes {
                    return Ok(vec![]);
                }
                Ok(vec![KanaalEvent::Updated(KanaalUpdatedV1 { attributes })])
            }
        }
    }

    fn evolve(state: Option<Kanaal>, event: &KanaalEvent) -> Option<Kanaal> {
        match event {
            KanaalEvent::Created(e) => Some(Kanaal {
                uuid: e.uuid,
                attributes: e.attributes.clone(),
            }),
            KanaalEvent::Updated(e) => state.map(|k| Kanaal {
                attributes: e.attributes.clone(),
                ..k
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Abonnement {
    pub uuid: Uuid,
    #[serde(default)]
    pub client_id: Option<String>,
    pub attributes: AbonnementAttributes,
}

/// The filters of each kanaal an abonnement names, `None` for one that does not exist.
pub type KanaalFacts = BTreeMap<String, Option<Vec<String>>>;

#[derive(Debug, Clone, PartialEq)]
pub enum AbonnementCommand {
    Create {
        uuid: Uuid,
        client_id: Option<String>,
        attributes: AbonnementAttributes,
        kanalen: KanaalFacts,
    },
    Update {
        attributes: AbonnementAttributes,
        kanalen: KanaalFacts,
    },
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AbonnementError {
    #[error("het abonnement bestaat al")]
    AlreadyExists,
    #[error("het abonnement bestaat niet")]
    NotFound,
    /// `callbackUrl` / `invalid`: only http(s) callbacks can be delivered to.
    #[error("Voer een geldige URL in.")]
    CallbackNotHttp,
    /// `naam` / `kanaal_naam`: the kanalen (by index) that do not exist.
    #[error("Kanaal met deze naam bestaat niet.")]
    UnknownKanaal(Vec<usize>),
    /// `filters` / `inconsistent-abonnement-filters`: groups whose filter keys the kanaal
    /// does not have.
    #[error("abonnement filters aren't consistent with kanaal filters")]
    InconsistentFilters(Vec<usize>),
}

/// The rules on an abonnement's attributes, given the kanalen it names.
pub fn validate(
    attributes: &AbonnementAttributes,
    kanalen: &KanaalFacts,
) -> Result<(), AbonnementError> {
    let url = attributes.callback_url.to_ascii_lowercase();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    if rest.is_none_or(|r| r.is_empty() || r.starts_with('/')) {
        return Err(AbonnementError::CallbackNotHttp);
    }
    let filters_of = |k: &KanaalFilter| kanalen.get(&k.naam).cloned().flatten();
    let unknown: Vec<usize> = attributes
        .kanalen
        .iter()
        .enumerate()
        .filter(|(_, k)| filters_of(k).is_none())
        .map(|(i, _)| i)
        .collect();
    if !unknown.is_empty() {
        return Err(AbonnementError::UnknownKanaal(unknown));
    }
    let inconsistent: Vec<usize> = attributes
        .kanalen
        .iter()
        .enumerate()
        .filter(|(_, k)| {
            let known = filters_of(k).unwrap_or_default();
            !consistent(k.filters.keys().map(String::as_str), &known)
        })
        .map(|(i, _)| i)
        .collect();
    if !inconsistent.is_empty() {
        return Err(AbonnementError::InconsistentFilters(inconsistent));
    }
    Ok(())
}

pub struct AbonnementAggregate;

impl Aggregate for AbonnementAggregate {
    type State = Option<Abonnement>;
    type Command = AbonnementCommand;
    type Event = AbonnementEvent;
    type Error = AbonnementError;

    fn decide(
        state: &Option<Abonnement>,
        command: AbonnementCommand,
    ) -> Result<Vec<AbonnementEvent>, AbonnementError> {
        match (state, command) {
            (Some(_), AbonnementCommand::Create { .. }) => Err(AbonnementError::AlreadyExists),
            (
                None,
                AbonnementCommand::Create {
                    uuid,
                    client_id,
                    attributes,
                    kanalen,
                },
            ) => {
                validate(&attributes, &kanalen)?;
                Ok(vec![AbonnementEvent::Created(AbonnementCreatedV1 {
                    uuid,
                    client_id,
                    attributes,
                })])
            }
            (None, _) => Err(AbonnementError::NotFound),
            (
                Some(current),
                AbonnementCommand::Update {
                    attributes,
                    kanalen,
                },
            ) => {
                validate(&attributes, &kanalen)?;
                if attributes == current.attributes {
                    return Ok(vec![]);
                }
                Ok(vec![AbonnementEvent::Updated(AbonnementUpdatedV1 {
                    attributes,
                })])
            }
            (Some(_), AbonnementCommand::Delete) => {
                Ok(vec![AbonnementEvent::Deleted(AbonnementDeletedV1 {})])
            }
        }
    }

    fn evolve(state: Option<Abonnement>, event: &AbonnementEvent) -> Option<Abonnement> {
        match event {
            AbonnementEvent::Created(e) => Some(Abonnement {
                uuid: e.uuid,
                client_id: e.client_id.clone(),
                attributes: e.attributes.clone(),
            }),
            AbonnementEvent::Updated(e) => state.map(|a| Abonnement {
                attributes: e.attributes.clone(),
                ..a
            }),
            AbonnementEvent::Deleted(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn abonnement(kanalen: Vec<KanaalFilter>) -> AbonnementAttributes {
        AbonnementAttributes {
            callback_url: "https://ontvanger.example/callback".into(),
            kanalen,
            send_cloudevents: false,
            cloudevent_filters: vec![],
        }
    }

    fn zaken(filters: &[(&str, &str)]) -> KanaalFilter {
        KanaalFilter {
            naam: "zaken".into(),
            filters: map(filters),
        }
    }

    fn facts() -> KanaalFacts {
        KanaalFacts::from([(
            "zaken".to_owned(),
            Some(vec![
                "bronorganisatie".into(),
                "zaaktype".into(),
                "vertrouwelijkheidaanduiding".into(),
            ]),
        )])
    }

    #[test]
    fn kenmerk_names_compare_in_camel_case() {
        assert_eq!(
            camelize("verantwoordelijke_organisatie"),
            "verantwoordelijkeOrganisatie"
        );
        assert_eq!(camelize("zaaktype.catalogus"), "zaaktype.catalogus");
        assert_eq!(camelize("objectType"), "objectType");
    }

    #[test]
    fn names_are_consistent_when_all_or_only_some_of_the_kanaal_filters() {
        let k = vec!["a".to_owned(), "b".to_owned()];
        assert!(consistent(["a", "b"], &k));
        assert!(consistent(["a"], &k));
        assert!(consistent([], &k));
        assert!(
            consistent(["a", "b", "c"], &k),
            "a superset is allowed, as in Open Notificaties"
        );
        assert!(
            !consistent(["a", "c"], &k),
            "a mix of extra and missing names is not"
        );
        assert!(
            consistent(["x"], &[]),
            "a kanaal without filters accepts any"
        );
        assert!(consistent(
            ["verantwoordelijkeOrganisatie"],
            &["verantwoordelijke_organisatie".into()]
        ));
    }

    #[test]
    fn a_filter_matches_its_value_or_star_and_ignores_kenmerken_not_carried() {
        let kenmerken = map(&[("bronorganisatie", "123"), ("zaaktype", "http://zt/1")]);
        assert!(matches(&map(&[]), &kenmerken));
        assert!(matches(&map(&[("bronorganisatie", "123")]), &kenmerken));
        assert!(matches(&map(&[("bronorganisatie", "*")]), &kenmerken));
        assert!(!matches(&map(&[("bronorganisatie", "999")]), &kenmerken));
        assert!(matches(
            &map(&[("vertrouwelijkheidaanduiding", "geheim")]),
            &kenmerken
        ));
        assert!(
            !matches(&map(&[("zaaktype", "HTTP://ZT/1")]), &kenmerken),
            "exact, case-sensitive"
        );
    }

    #[test]
    fn an_abonnement_wants_a_notification_when_one_group_on_its_kanaal_matches() {
        let a = abonnement(vec![
            zaken(&[("bronorganisatie", "1")]),
            zaken(&[("bronorganisatie", "2")]),
        ]);
        assert!(wants(&a, "zaken", &map(&[("bronorganisatie", "2")])));
        assert!(!wants(&a, "zaken", &map(&[("bronorganisatie", "3")])));
        assert!(!wants(&a, "besluiten", &map(&[("bronorganisatie", "1")])));
    }

    #[test]
    fn a_callback_must_be_http_or_https() {
        for url in ["ftp://x/y", "javascript:alert(1)", "https://", "x"] {
            let mut a = abonnement(vec![]);
            a.callback_url = url.into();
            assert_eq!(
                validate(&a, &facts()),
                Err(AbonnementError::CallbackNotHttp),
                "{url}"
            );
        }
        assert_eq!(validate(&abonnement(vec![]), &facts()), Ok(()));
    }

    #[test]
    fn an_abonnement_on_an_unknown_kanaal_is_refused_with_its_index() {
        let a = abonnement(vec![
            zaken(&[]),
            KanaalFilter {
                naam: "bestaat-niet".into(),
                filters: map(&[]),
            },
        ]);
        let mut facts = facts();
        facts.insert("bestaat-niet".into(), None);
        assert_eq!(
            validate(&a, &facts),
            Err(AbonnementError::UnknownKanaal(vec![1]))
        );
    }

    #[test]
    fn filters_on_kenmerken_the_kanaal_does_not_have_are_refused() {
        let a = abonnement(vec![zaken(&[("bronorganisatie", "1"), ("kleur", "rood")])]);
        assert_eq!(
            validate(&a, &facts()),
            Err(AbonnementError::InconsistentFilters(vec![0]))
        );
    }

    #[test]
    fn a_kanaal_keeps_its_naam() {
        let uuid = Uuid::nil();
        let attributes = KanaalAttributes {
            naam: "zaken".into(),
            documentatie_link: String::new(),
            filters: vec![],
        };
        let state = KanaalAggregate::fold(
            &KanaalAggregate::decide(
                &None,
                KanaalCommand::Create {
                    uuid,
                    attributes: attributes.clone(),
                },
            )
            .unwrap(),
        );
        let renamed = KanaalAttributes {
            naam: "andere".into(),
            ..attributes.clone()
        };
        assert_eq!(
            KanaalAggregate::decide(
                &state,
                KanaalCommand::Update {
                    attributes: renamed
                }
            ),
            Err(KanaalError::NaamImmutable)
        );
        let refiltered = KanaalAttributes {
            filters: vec!["x".into()],
            ..attributes
        };
        assert_eq!(
            KanaalAggregate::decide(
                &state,
                KanaalCommand::Update {
                    attributes: refiltered
                }
            )
            .map(|e| e.len()),
            Ok(1)
        );
    }

    #[test]
    fn a_deleted_abonnement_is_gone() {
        let created = AbonnementAggregate::decide(
            &None,
            AbonnementCommand::Create {
                uuid: Uuid::nil(),
                client_id: Some("c".into()),
                attributes: abonnement(vec![zaken(&[])]),
                kanalen: facts(),
            },
        )
        .unwrap();
        let state = AbonnementAggregate::fold(&created);
        assert_eq!(
            state.as_ref().and_then(|a| a.client_id.as_deref()),
            Some("c")
        );
        let deleted = AbonnementAggregate::decide(&state, AbonnementCommand::Delete).unwrap();
        assert_eq!(AbonnementAggregate::evolve(state, &deleted[0]), None);
    }
}
