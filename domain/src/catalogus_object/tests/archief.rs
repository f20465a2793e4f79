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

const PROCESTYPE: &str = "https://selectielijst/api/v1/procestypen/1";

/// A selectielijstklasse of the zaaktype's procestype, or of another.
fn klasse(procestype_matches: bool, procestermijn: &str) -> Facts {
    let zaaktype_procestype = if procestype_matches {
        PROCESTYPE
    } else {
        "https://selectielijst/api/v1/procestypen/2"
    };
    Facts {
        selectielijstklasse: Some(Selectielijstklasse {
            procestype: PROCESTYPE.into(),
            zaaktype_procestype: Some(zaaktype_procestype.into()),
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

#[test]
fn a_selectielijstklasse_must_be_of_the_procestype_of_the_zaaktype_when_it_has_one() {
    // Given a resultaattype whose selectielijstklasse is of another procestype than its
    // zaaktype's selectielijstProcestype
    let attributes = resultaattype(json!({"afleidingswijze": "afgehandeld"}));
    let other = klasse(false, "nihil");
    // When it is created, then that is refused
    assert_eq!(
        decide(
            &None,
            create(ObjectKind::Resultaattype, attributes.clone(), other.clone())
        ),
        Err(ObjectError::ProcestypeMismatch)
    );
    // Given a zaaktype without selectielijstProcestype (or one not known), any procestype fits
    for unknown in [None, Some(String::new())] {
        let mut facts = other.clone();
        if let Some(k) = facts.selectielijstklasse.as_mut() {
            k.zaaktype_procestype = unknown;
        }
        assert!(decide(
            &None,
            create(ObjectKind::Resultaattype, attributes.clone(), facts)
        )
        .is_ok());
    }
}

#[test]
fn a_resultaattype_takes_its_omschrijving_generiek_from_its_resultaattypeomschrijving() {
    // Given the Selectielijst API describes the resultaattypeomschrijving as "Verleend"
    let mut attributes = resultaattype(json!({"afleidingswijze": "afgehandeld"}));
    attributes.insert("omschrijvingGeneriek".into(), "iets anders".into());
    let facts = Facts {
        resultaattypeomschrijving: Some(json!("Verleend")),
        ..klasse(true, "nihil")
    };
    // When the resultaattype is created
    let events = decide(
        &None,
        create(ObjectKind::Resultaattype, attributes.clone(), facts),
    )
    .unwrap();
    // Then that is its omschrijvingGeneriek, whatever it had
    let Event::ObjectCreated(created) = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!(created.attributes["omschrijvingGeneriek"], "Verleend");
    // And without the Selectielijst API it keeps what it has
    let events = decide(
        &None,
        create(ObjectKind::Resultaattype, attributes, child_facts(true)),
    )
    .unwrap();
    let Event::ObjectCreated(created) = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!(created.attributes["omschrijvingGeneriek"], "iets anders");
}
