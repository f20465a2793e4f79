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
