//! The brondatumArchiefprocedure of a resultaattype per afleidingswijze.

use serde_json::{json, Value};

use super::*;

fn resultaattype(procedure: Value) -> ObjectAttributes {
    attrs(json!({"zaaktype": ZAAKTYPE, "omschrijving": "Verleend",
        "brondatumArchiefprocedure": procedure}))
}

#[test]
fn afleidingswijze_afgehandeld_requires_the_other_brondatum_fields_to_be_empty() {
    let attributes = resultaattype(json!({"afleidingswijze": "afgehandeld",
        "procestermijn": "P5Y", "datumkenmerk": ""}));
    let err = decide(
        &None,
        create(ObjectKind::Resultaattype, attributes, child_facts(true)),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ObjectError::Afleidingswijze(vec![(
            "brondatumArchiefprocedure.procestermijn".into(),
            "must-be-empty"
        )])
    );
}

#[test]
fn afleidingswijze_termijn_requires_a_procestermijn() {
    let attributes = resultaattype(json!({"afleidingswijze": "termijn"}));
    let err = decide(
        &None,
        create(ObjectKind::Resultaattype, attributes, child_facts(true)),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ObjectError::Afleidingswijze(vec![(
            "brondatumArchiefprocedure.procestermijn".into(),
            "required"
        )])
    );
}

#[test]
fn afleidingswijze_ander_datumkenmerk_requires_datumkenmerk_objecttype_and_registratie() {
    let complete = resultaattype(json!({"afleidingswijze": "ander_datumkenmerk",
        "datumkenmerk": "overlijdensdatum", "objecttype": "natuurlijk_persoon", "registratie": "BRP"}));
    assert!(decide(
        &None,
        create(ObjectKind::Resultaattype, complete, child_facts(true))
    )
    .is_ok());
    let incomplete = resultaattype(json!({"afleidingswijze": "ander_datumkenmerk",
        "datumkenmerk": "overlijdensdatum"}));
    let Err(ObjectError::Afleidingswijze(errors)) = decide(
        &None,
        create(ObjectKind::Resultaattype, incomplete, child_facts(true)),
    ) else {
        panic!("must be refused");
    };
    assert_eq!(errors.len(), 2);
}

fn klasse(procestype_matches: bool, procestermijn: &str) -> Facts {
    Facts {
        selectielijstklasse: Some(Selectielijstklasse {
            procestype_matches,
            procestermijn: procestermijn.into(),
            waardering: "vernietigen".into(),
            bewaartermijn: Some("P10Y".into()),
        }),
        ..child_facts(true)
    }
}

#[test]
fn a_resultaattype_breaking_several_rules_reports_each_field_level_first() {
    let attributes = resultaattype(json!({"afleidingswijze": "ander_datumkenmerk",
        "objecttype": "pand", "registratie": "BAG"}));
    let err = decide(
        &None,
        create(ObjectKind::Resultaattype, attributes, klasse(false, "")),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ObjectError::Several(vec![
            ObjectError::Afleidingswijze(vec![(
                "brondatumArchiefprocedure.datumkenmerk".into(),
                "required"
            )]),
            ObjectError::ProcestypeMismatch,
        ])
    );
}

#[test]
fn the_afleidingswijze_must_fit_the_procestermijn_of_the_selectielijstklasse() {
    let afgehandeld = resultaattype(json!({"afleidingswijze": "afgehandeld"}));
    let err = decide(
        &None,
        create(
            ObjectKind::Resultaattype,
            afgehandeld.clone(),
            klasse(true, "ingeschatte_bestaansduur_procesobject"),
        ),
    );
    assert!(matches!(
        err,
        Err(ObjectError::ProcestermijnMismatch { .. })
    ));
    assert!(decide(
        &None,
        create(
            ObjectKind::Resultaattype,
            afgehandeld,
            klasse(true, "nihil")
        )
    )
    .is_ok());
}

#[test]
fn archiefnominatie_and_archiefactietermijn_come_from_the_selectielijstklasse_when_not_given() {
    let attributes = resultaattype(json!({"afleidingswijze": "afgehandeld"}));
    let events = decide(
        &None,
        create(ObjectKind::Resultaattype, attributes, klasse(true, "nihil")),
    )
    .unwrap();
    let Event::ObjectCreated(created) = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!(created.attributes["archiefnominatie"], "vernietigen");
    assert_eq!(created.attributes["archiefactietermijn"], "P10Y");
    let given = resultaattype(json!({"afleidingswijze": "afgehandeld"}));
    let mut given = given;
    given.insert("archiefnominatie".into(), "blijvend_bewaren".into());
    let events = decide(
        &None,
        create(ObjectKind::Resultaattype, given, klasse(true, "nihil")),
    )
    .unwrap();
    let Event::ObjectCreated(created) = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!(created.attributes["archiefnominatie"], "blijvend_bewaren");
}
