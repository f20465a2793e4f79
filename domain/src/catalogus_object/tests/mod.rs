//! Given / when / then, one business rule per test.

use serde_json::{json, Value};

use super::*;

mod archief;

fn attrs(v: Value) -> ObjectAttributes {
    v.as_object().cloned().unwrap()
}

const CATALOGUS: Uuid = Uuid::from_u128(1);
const ZAAKTYPE: &str = "http://x/catalogi/api/v1/zaaktypen/2";

fn facts() -> Facts {
    Facts {
        catalogus: CATALOGUS,
        ..Facts::default()
    }
}

fn child_facts(zaaktype_concept: bool) -> Facts {
    Facts {
        zaaktype_concept: Some(zaaktype_concept),
        ..facts()
    }
}

fn zaaktype(begin: &str, einde: Option<&str>) -> ObjectAttributes {
    attrs(json!({"identificatie": "ZT-1", "catalogus": "http://x/c/1",
        "beginGeldigheid": begin, "eindeGeldigheid": einde}))
}

fn given(kind: ObjectKind, attributes: ObjectAttributes, published: bool) -> ObjectState {
    let mut events = vec![Event::ObjectCreated(ObjectCreatedV1 {
        kind,
        uuid: Uuid::from_u128(9),
        attributes,
    })];
    if published {
        events.push(Event::ObjectPublished(ObjectPublishedV1 {
            kind,
            catalogus: "http://x/c/1".into(),
        }));
    }
    CatalogusObjectAggregate::fold(&events)
}

fn create(kind: ObjectKind, attributes: ObjectAttributes, facts: Facts) -> ObjectCommand {
    ObjectCommand::Create {
        kind,
        uuid: Uuid::from_u128(9),
        attributes,
        facts,
    }
}

fn decide(state: &ObjectState, command: ObjectCommand) -> Result<Vec<Event>, ObjectError> {
    CatalogusObjectAggregate::decide(state, command)
}

fn patch(attributes: ObjectAttributes, facts: Facts) -> ObjectCommand {
    ObjectCommand::Update {
        attributes,
        partial: true,
        facts,
    }
}

#[test]
fn a_new_zaaktype_is_a_concept_until_it_is_published() {
    let state = given(ObjectKind::Zaaktype, zaaktype("2026-01-01", None), false);
    assert!(state.as_ref().unwrap().concept);
    let mut facts = facts();
    facts.children = Children {
        statustypen: 2,
        roltypen: 1,
        resultaattypen: 1,
    };
    let events = decide(&state, ObjectCommand::Publish { facts }).unwrap();
    let published = events.iter().fold(state, CatalogusObjectAggregate::evolve);
    assert!(!published.unwrap().concept);
}

#[test]
fn a_published_zaaktype_refuses_a_change_without_the_forcing_scope() {
    let state = given(ObjectKind::Zaaktype, zaaktype("2026-01-01", None), true);
    let mut changed = zaaktype("2026-01-01", None);
    changed.insert("omschrijving".into(), json!("anders"));
    let err = decide(&state, patch(changed.clone(), facts())).unwrap_err();
    assert_eq!(err, ObjectError::NonConceptObject);
    let forced = Facts {
        may_force: true,
        ..facts()
    };
    let events = decide(&state, patch(changed, forced)).unwrap();
    assert!(matches!(&events[0], Event::ObjectUpdated(e) if e.forced));
}

#[test]
fn a_published_zaaktype_may_still_get_an_einde_geldigheid() {
    let state = given(ObjectKind::Zaaktype, zaaktype("2026-01-01", None), true);
    let ended = zaaktype("2026-01-01", Some("2026-12-31"));
    assert_eq!(decide(&state, patch(ended, facts())).unwrap().len(), 1);
}

#[test]
fn a_published_besluittype_cannot_be_deleted_without_the_forcing_scope() {
    let state = given(ObjectKind::Besluittype, attrs(json!({})), true);
    let err = decide(&state, ObjectCommand::Delete { facts: facts() }).unwrap_err();
    assert_eq!(err, ObjectError::NonConceptObject);
}

#[test]
fn a_statustype_of_a_published_zaaktype_cannot_be_created_changed_or_deleted() {
    let attributes = attrs(json!({"zaaktype": ZAAKTYPE, "volgnummer": 1}));
    let err = decide(
        &None,
        create(
            ObjectKind::Statustype,
            attributes.clone(),
            child_facts(false),
        ),
    )
    .unwrap_err();
    assert_eq!(err, ObjectError::NonConceptZaaktype);
    let state = given(ObjectKind::Statustype, attributes.clone(), false);
    let mut changed = attributes;
    changed.insert("omschrijving".into(), json!("Nieuw"));
    let err = decide(&state, patch(changed, child_facts(false))).unwrap_err();
    assert_eq!(err, ObjectError::NonConceptZaaktype);
    let err = decide(
        &state,
        ObjectCommand::Delete {
            facts: child_facts(false),
        },
    )
    .unwrap_err();
    assert_eq!(err, ObjectError::NonConceptZaaktype);
}

#[test]
fn a_relation_to_another_catalogus_is_refused() {
    let mut facts = facts();
    facts.relations.push(Relation {
        field: "besluittypen".into(),
        catalogus: Uuid::from_u128(77),
        concept: true,
        zaaktype: None,
    });
    let err = decide(
        &None,
        create(ObjectKind::Zaaktype, zaaktype("2026-01-01", None), facts),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ObjectError::RelationsIncorrectCatalogus {
            field: "besluittypen".into()
        }
    );
}

#[test]
fn two_statustypen_of_a_zaaktype_cannot_share_a_volgnummer() {
    let attributes = attrs(json!({"zaaktype": ZAAKTYPE, "volgnummer": 1}));
    let mut facts = child_facts(true);
    facts.siblings.push(attributes.clone());
    let err = decide(&None, create(ObjectKind::Statustype, attributes, facts)).unwrap_err();
    assert!(matches!(err, ObjectError::NotUnique { .. }));
}

#[test]
fn two_resultaattypen_of_a_zaaktype_cannot_share_an_omschrijving() {
    let attributes = attrs(json!({"zaaktype": ZAAKTYPE, "omschrijving": "Verleend",
        "archiefnominatie": "blijvend_bewaren"}));
    let mut facts = child_facts(true);
    facts.siblings.push(attributes.clone());
    let err = decide(&None, create(ObjectKind::Resultaattype, attributes, facts)).unwrap_err();
    assert_eq!(
        err,
        ObjectError::NotUnique {
            fields: "zaaktype, omschrijving"
        }
    );
}

#[test]
fn a_concept_zaaktype_version_may_overlap_and_is_refused_only_when_published() {
    let mut facts = facts();
    facts
        .published_siblings
        .push(zaaktype("2026-01-01", Some("2026-06-30")));
    let concept = create(
        ObjectKind::Zaaktype,
        zaaktype("2026-06-01", None),
        facts.clone(),
    );
    assert!(decide(&None, concept).is_ok());
    let state = given(ObjectKind::Zaaktype, zaaktype("2026-06-01", None), false);
    let err = decide(&state, ObjectCommand::Publish { facts }).unwrap_err();
    assert_eq!(
        err,
        ObjectError::Overlap {
            kind: "zaaktype",
            field: "beginGeldigheid"
        }
    );
}

#[test]
fn zaaktype_versions_that_only_touch_do_not_overlap() {
    let mut facts = facts();
    facts
        .published_siblings
        .push(zaaktype("2026-01-01", Some("2026-06-30")));
    let state = given(ObjectKind::Zaaktype, zaaktype("2026-06-30", None), false);
    assert!(decide(&state, ObjectCommand::Publish { facts }).is_ok());
}

#[test]
fn a_published_zaaktype_whose_new_einde_geldigheid_overlaps_a_later_version_is_refused_on_that_field(
) {
    let mut facts = facts();
    facts.published_siblings.push(zaaktype("2026-07-01", None));
    let state = given(
        ObjectKind::Zaaktype,
        zaaktype("2026-01-01", Some("2026-06-30")),
        true,
    );
    let err = decide(
        &state,
        patch(zaaktype("2026-01-01", Some("2026-12-31")), facts),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ObjectError::Overlap {
            kind: "zaaktype",
            field: "eindeGeldigheid"
        }
    );
}

#[test]
fn a_zaaktype_without_identificatie_gets_the_next_one_of_its_versiedatum_year() {
    let mut facts = facts();
    facts
        .siblings
        .push(attrs(json!({"identificatie": "ZAAKTYPE-2026-0000000004"})));
    facts
        .siblings
        .push(attrs(json!({"identificatie": "ZAAKTYPE-2025-0000000009"})));
    let attributes = attrs(json!({"identificatie": "", "catalogus": "http://x/c/1",
        "versiedatum": "2026-03-01", "beginGeldigheid": "2026-03-01"}));
    let events = decide(&None, create(ObjectKind::Zaaktype, attributes, facts)).unwrap();
    let Event::ObjectCreated(created) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(
        created.attributes["identificatie"],
        "ZAAKTYPE-2026-0000000005"
    );
}

#[test]
fn a_resultaattype_without_brondatum_archiefprocedure_must_be_kept_for_ever() {
    let without = |nominatie: &str| {
        attrs(json!({"zaaktype": ZAAKTYPE, "omschrijving": "Verleend",
            "archiefnominatie": nominatie, "brondatumArchiefprocedure": null}))
    };
    let err = decide(
        &None,
        create(
            ObjectKind::Resultaattype,
            without("vernietigen"),
            child_facts(true),
        ),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ObjectError::Afleidingswijze(vec![("brondatumArchiefprocedure".into(), "required")])
    );
    let kept = create(
        ObjectKind::Resultaattype,
        without("blijvend_bewaren"),
        child_facts(true),
    );
    assert!(decide(&None, kept).is_ok());
    let state = given(ObjectKind::Resultaattype, without("vernietigen"), false);
    assert!(decide(&state, patch(without(""), child_facts(true))).is_ok());
}

#[test]
fn two_roltypen_of_a_zaaktype_cannot_share_an_omschrijving() {
    let attributes = attrs(json!({"zaaktype": ZAAKTYPE, "omschrijving": "Behandelaar"}));
    let mut facts = child_facts(true);
    facts.siblings.push(attributes.clone());
    let err = decide(&None, create(ObjectKind::Roltype, attributes, facts)).unwrap_err();
    assert_eq!(
        err,
        ObjectError::NotUnique {
            fields: "zaaktype, omschrijving"
        }
    );
}

#[test]
fn a_zaaktype_informatieobjecttype_may_name_a_statustype_of_another_zaaktype() {
    let attributes = attrs(json!({"zaaktype": ZAAKTYPE, "volgnummer": 1,
        "statustype": "http://x/catalogi/api/v1/statustypen/8"}));
    let mut facts = child_facts(true);
    facts.relations.push(Relation {
        field: "statustype".into(),
        catalogus: CATALOGUS,
        concept: true,
        zaaktype: Some("http://x/catalogi/api/v1/zaaktypen/3".into()),
    });
    let ziot = create(ObjectKind::ZaaktypeInformatieobjecttype, attributes, facts);
    assert!(decide(&None, ziot).is_ok());
}

#[test]
fn an_einde_geldigheid_before_the_begin_is_refused() {
    let err = decide(
        &None,
        create(
            ObjectKind::Zaaktype,
            zaaktype("2026-06-01", Some("2026-01-01")),
            facts(),
        ),
    )
    .unwrap_err();
    assert_eq!(err, ObjectError::DateMismatch);
}

#[test]
fn a_zaaktype_with_concept_besluittypen_or_without_statustypen_is_not_published_where_the_installation_requires_types(
) {
    let state = given(ObjectKind::Zaaktype, zaaktype("2026-01-01", None), false);
    let mut facts = facts();
    facts.publish_requires_children = true;
    facts.relations.push(Relation {
        field: "besluittypen".into(),
        catalogus: CATALOGUS,
        concept: true,
        zaaktype: None,
    });
    facts.children = Children {
        statustypen: 1,
        roltypen: 1,
        resultaattypen: 1,
    };
    let Err(ObjectError::PublishRefused(reasons)) =
        decide(&state, ObjectCommand::Publish { facts })
    else {
        panic!("publishing must be refused");
    };
    let fields: Vec<&str> = reasons.iter().map(|(f, _)| *f).collect();
    assert_eq!(fields, ["nonFieldErrors", "statustypen"]);
}

#[test]
fn a_zaaktype_without_any_child_types_is_published_as_catalogi_1_3_allows() {
    let state = given(ObjectKind::Zaaktype, zaaktype("2026-01-01", None), false);
    let events = decide(&state, ObjectCommand::Publish { facts: facts() }).unwrap();
    assert!(matches!(events[..], [Event::ObjectPublished(_)]));
}

#[test]
fn a_zaaktype_with_a_concept_informatieobjecttype_is_not_published() {
    let state = given(ObjectKind::Zaaktype, zaaktype("2026-01-01", None), false);
    let mut facts = facts();
    facts
        .relations
        .push(relation("informatieobjecttypen", true));
    let Err(ObjectError::PublishRefused(reasons)) =
        decide(&state, ObjectCommand::Publish { facts })
    else {
        panic!("publishing must be refused");
    };
    assert_eq!(reasons[0].0, "nonFieldErrors");
}

fn relation(field: &str, concept: bool) -> Relation {
    Relation {
        field: field.into(),
        catalogus: CATALOGUS,
        concept,
        zaaktype: None,
    }
}

#[test]
fn a_concept_type_related_to_a_published_type_either_way_is_not_changed_or_deleted() {
    for (kind, own, other) in [
        (
            ObjectKind::Besluittype,
            "informatieobjecttypen",
            "zaaktypen",
        ),
        (
            ObjectKind::Informatieobjecttype,
            "zaaktypen",
            "besluittypen",
        ),
        (
            ObjectKind::Zaaktype,
            "besluittypen",
            "informatieobjecttypen",
        ),
    ] {
        let state = given(kind, attrs(json!({"omschrijving": "oud"})), false);
        let mut forward = facts();
        forward.relations.push(relation(own, false));
        let mut backward = facts();
        backward.related_by.push(relation(other, false));
        for f in [forward, backward] {
            let err = decide(
                &state,
                patch(attrs(json!({"omschrijving": "nieuw"})), f.clone()),
            );
            assert_eq!(
                err.unwrap_err(),
                ObjectError::NonConceptRelation,
                "{kind:?}"
            );
            let err = decide(&state, ObjectCommand::Delete { facts: f.clone() });
            assert_eq!(
                err.unwrap_err(),
                ObjectError::NonConceptRelation,
                "{kind:?}"
            );
            let forced = Facts {
                may_force: true,
                ..f
            };
            assert!(decide(&state, ObjectCommand::Delete { facts: forced }).is_ok());
        }
    }
}

#[test]
fn a_concept_type_related_only_to_concepts_changes_freely() {
    let state = given(
        ObjectKind::Besluittype,
        attrs(json!({"omschrijving": "oud"})),
        false,
    );
    let mut f = facts();
    f.relations.push(relation("informatieobjecttypen", true));
    f.related_by.push(relation("zaaktypen", true));
    assert!(decide(&state, patch(attrs(json!({"omschrijving": "nieuw"})), f)).is_ok());
}

#[test]
fn a_statustype_is_never_published_on_its_own() {
    let state = given(ObjectKind::Statustype, attrs(json!({})), false);
    let err = decide(&state, ObjectCommand::Publish { facts: facts() }).unwrap_err();
    assert_eq!(err, ObjectError::NotPublishable);
}

#[test]
fn publishing_a_published_besluittype_again_changes_nothing() {
    let state = given(ObjectKind::Besluittype, attrs(json!({})), true);
    assert!(decide(&state, ObjectCommand::Publish { facts: facts() })
        .unwrap()
        .is_empty());
}

#[test]
fn an_unchanged_object_appends_nothing() {
    let attributes = zaaktype("2026-01-01", None);
    let state = given(ObjectKind::Zaaktype, attributes.clone(), false);
    assert!(decide(&state, patch(attributes, facts()))
        .unwrap()
        .is_empty());
}

#[test]
fn a_deleted_object_is_gone() {
    let state = given(ObjectKind::Roltype, attrs(json!({})), false);
    let events = decide(
        &state,
        ObjectCommand::Delete {
            facts: child_facts(true),
        },
    )
    .unwrap();
    assert_eq!(
        events.iter().fold(state, CatalogusObjectAggregate::evolve),
        None
    );
}

#[test]
fn an_object_does_not_move_to_another_catalogus() {
    let state = given(ObjectKind::Zaaktype, zaaktype("2026-01-01", None), false);
    let mut moved = zaaktype("2026-01-01", None);
    moved.insert("catalogus".into(), json!("http://x/c/2"));
    let err = decide(&state, patch(moved, facts())).unwrap_err();
    assert_eq!(err, ObjectError::CatalogusChanged);
}

#[test]
fn an_eigenschap_cannot_refer_to_a_statustype_of_another_zaaktype() {
    let attributes = attrs(json!({"zaaktype": ZAAKTYPE, "naam": "kenteken"}));
    let mut facts = child_facts(true);
    facts.relations.push(Relation {
        field: "statustype".into(),
        catalogus: CATALOGUS,
        concept: true,
        zaaktype: Some("http://x/catalogi/api/v1/zaaktypen/3".into()),
    });
    let err = decide(&None, create(ObjectKind::Eigenschap, attributes, facts)).unwrap_err();
    assert_eq!(
        err,
        ObjectError::RelationsIncorrectZaaktype {
            field: "statustype".into()
        }
    );
}

#[test]
fn a_zaaktype_that_may_be_extended_needs_a_verlengingstermijn() {
    let mut attributes = zaaktype("2026-01-01", None);
    attributes.insert("verlengingMogelijk".into(), json!(true));
    attributes.insert("verlengingstermijn".into(), json!(null));
    let err = decide(
        &None,
        create(ObjectKind::Zaaktype, attributes.clone(), facts()),
    )
    .unwrap_err();
    assert_eq!(err, ObjectError::VerlengingMismatch);
    attributes.insert("verlengingstermijn".into(), json!("P2W"));
    assert!(decide(&None, create(ObjectKind::Zaaktype, attributes, facts())).is_ok());
}

#[test]
fn a_broncatalogus_needs_a_bronzaaktype() {
    let mut attributes = zaaktype("2026-01-01", None);
    attributes.insert("broncatalogus".into(), json!({"url": "http://elders/c/1"}));
    let err = decide(&None, create(ObjectKind::Zaaktype, attributes, facts())).unwrap_err();
    assert_eq!(err, ObjectError::BronMismatch);
}

fn ziot_facts(zaaktype_concept: bool, iot_concept: bool) -> Facts {
    let mut facts = child_facts(zaaktype_concept);
    facts.relations.push(Relation {
        field: "informatieobjecttype".into(),
        catalogus: CATALOGUS,
        concept: iot_concept,
        zaaktype: None,
    });
    facts
}

#[test]
fn a_zaaktype_informatieobjecttype_is_frozen_only_when_both_its_types_are_published() {
    let attributes = attrs(json!({"zaaktype": ZAAKTYPE, "volgnummer": 1}));
    let state = given(ObjectKind::ZaaktypeInformatieobjecttype, attributes, false);
    let delete = |facts| decide(&state, ObjectCommand::Delete { facts });
    assert_eq!(
        delete(ziot_facts(false, false)).unwrap_err(),
        ObjectError::NonConceptRelation
    );
    assert!(delete(ziot_facts(false, true)).is_ok());
    assert!(delete(ziot_facts(true, false)).is_ok());
}
