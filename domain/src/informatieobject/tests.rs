use chrono::{NaiveDate, TimeZone, Utc};
use event_schemas::document::{ContentRef, DocumentAttributes, DocumentEvent, DocumentPartKind};
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::Aggregate;

fn attributes() -> DocumentAttributes {
    DocumentAttributes {
        identificatie: "DOC-1".into(),
        bronorganisatie: "517439943".into(),
        creatiedatum: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        titel: "Aanvraag".into(),
        vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding::Openbaar,
        auteur: "Tester".into(),
        status: String::new(),
        formaat: String::new(),
        taal: "nld".into(),
        bestandsnaam: String::new(),
        link: String::new(),
        beschrijving: String::new(),
        ontvangstdatum: None,
        verzenddatum: None,
        indicatie_gebruiksrecht: None,
        verschijningsvorm: String::new(),
        ondertekening: None,
        integriteit: None,
        informatieobjecttype: "http://x/informatieobjecttypen/1".into(),
        trefwoorden: vec![],
    }
}

fn content(size: u64) -> ContentRef {
    ContentRef {
        sha256: format!("{size:064x}"),
        size,
    }
}

fn create(inhoud: Inhoud) -> DocumentCommand {
    DocumentCommand::Create {
        uuid: Uuid::from_u128(7),
        attributes: attributes(),
        inhoud,
        now: Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap(),
        chunk_size: 4,
        new_lock: "lock-1".into(),
    }
}

/// The state after `commands`, each of which must succeed.
fn given(commands: Vec<DocumentCommand>) -> DocumentState {
    let mut state = None;
    for c in commands {
        let events = DocumentAggregate::decide(&state, c).expect("given commands succeed");
        state = events.iter().fold(state, DocumentAggregate::evolve);
    }
    state
}

fn update(lock: Option<&str>, inhoud: Inhoud) -> DocumentCommand {
    let mut a = attributes();
    a.titel = "Aanvraag v2".into();
    DocumentCommand::Update {
        attributes: a,
        inhoud,
        lock: lock.map(str::to_owned),
        now: Utc.with_ymd_and_hms(2026, 11, 2, 12, 0, 0).unwrap(),
        chunk_size: 4,
        partial: true,
        changed: vec!["titel".into()],
        may_force: false,
    }
}

fn lock(id: &str) -> DocumentCommand {
    DocumentCommand::Lock {
        new_lock: id.into(),
    }
}

fn unlock(id: &str, may_force: bool, merged: Option<ContentRef>) -> DocumentCommand {
    DocumentCommand::Unlock {
        lock: id.into(),
        may_force,
        merged,
    }
}

fn decide(state: &DocumentState, c: DocumentCommand) -> Result<Vec<DocumentEvent>, DocumentError> {
    DocumentAggregate::decide(state, c)
}

#[test]
fn every_update_with_the_lock_makes_a_new_version_that_keeps_the_content() {
    let state = given(vec![
        create(Inhoud::Set(content(3))),
        lock("l"),
        update(Some("l"), Inhoud::Unchanged),
    ]);
    let doc = state.unwrap();
    assert_eq!(doc.versions.len(), 2);
    assert_eq!(doc.latest().versie, 2);
    assert_eq!(doc.latest().attributes.titel, "Aanvraag v2");
    assert_eq!(doc.latest().content, Some(content(3)));
    assert_eq!(doc.versions[0].attributes.titel, "Aanvraag");
}

#[test]
fn an_update_needs_the_document_locked_and_its_lock_id() {
    let unlocked = given(vec![create(Inhoud::Set(content(3)))]);
    assert_eq!(
        decide(&unlocked, update(Some("l"), Inhoud::Unchanged)),
        Err(DocumentError::Unlocked)
    );
    let locked = given(vec![create(Inhoud::Set(content(3))), lock("l")]);
    assert_eq!(
        decide(&locked, update(None, Inhoud::Unchanged)),
        Err(DocumentError::MissingLockId)
    );
    assert_eq!(
        decide(&locked, update(Some("other"), Inhoud::Unchanged)),
        Err(DocumentError::IncorrectLockId)
    );
}

#[test]
fn locking_a_locked_document_is_refused() {
    let locked = given(vec![create(Inhoud::Set(content(3))), lock("l")]);
    assert_eq!(decide(&locked, lock("m")), Err(DocumentError::ExistingLock));
}

#[test]
fn unlocking_needs_the_lock_id_unless_forced() {
    let locked = given(vec![create(Inhoud::Set(content(3))), lock("l")]);
    assert_eq!(
        decide(&locked, unlock("", false, None)),
        Err(DocumentError::IncorrectLockId)
    );
    let forced = decide(&locked, unlock("", true, None)).unwrap();
    assert!(matches!(&forced[..], [DocumentEvent::Unlocked(u)] if u.forced));
    let state = given(vec![
        create(Inhoud::Set(content(3))),
        lock("l"),
        unlock("l", false, None),
    ]);
    assert!(!state.unwrap().is_locked());
}

#[test]
fn a_document_with_a_size_and_no_content_gets_bestandsdelen_and_is_created_locked() {
    let doc = given(vec![create(Inhoud::Empty {
        bestandsomvang: Some(10),
    })])
    .unwrap();
    assert_eq!(doc.lock.as_deref(), Some("lock-1"));
    let sizes: Vec<u64> = doc.bestandsdelen.iter().map(|d| d.omvang).collect();
    assert_eq!(sizes, vec![4, 4, 2]);
    assert!(doc.latest().content.is_none());
}

#[test]
fn unlocking_needs_every_bestandsdeel_uploaded_and_their_sizes_to_add_up() {
    let created = given(vec![create(Inhoud::Empty {
        bestandsomvang: Some(6),
    })]);
    let delen: Vec<Uuid> = created
        .as_ref()
        .unwrap()
        .bestandsdelen
        .iter()
        .map(|d| d.uuid)
        .collect();
    assert_eq!(
        decide(&created, unlock("lock-1", false, None)),
        Err(DocumentError::IncompleteUpload)
    );
    let upload = |uuid, size| DocumentCommand::UploadBestandsdeel {
        uuid,
        lock: "lock-1".into(),
        content: content(size),
    };
    assert_eq!(
        decide(&created, upload(delen[0], 3)),
        Err(DocumentError::FileSize),
        "a part of the wrong size"
    );
    let uploaded = given(vec![
        create(Inhoud::Empty {
            bestandsomvang: Some(6),
        }),
        upload(delen[0], 4),
        upload(delen[1], 2),
    ]);
    assert_eq!(
        decide(&uploaded, unlock("lock-1", false, Some(content(5)))),
        Err(DocumentError::FileSize)
    );
    let done = decide(&uploaded, unlock("lock-1", false, Some(content(6)))).unwrap();
    let doc = done
        .iter()
        .fold(uploaded, DocumentAggregate::evolve)
        .unwrap();
    assert_eq!(doc.latest().content, Some(content(6)));
    assert!(doc.bestandsdelen.is_empty() && !doc.is_locked());
}

#[test]
fn a_bestandsdeel_upload_needs_the_lock_id() {
    let created = given(vec![create(Inhoud::Empty {
        bestandsomvang: Some(2),
    })]);
    let uuid = created.as_ref().unwrap().bestandsdelen[0].uuid;
    let wrong = DocumentCommand::UploadBestandsdeel {
        uuid,
        lock: "nope".into(),
        content: content(2),
    };
    assert_eq!(decide(&created, wrong), Err(DocumentError::IncorrectLockId));
}

fn gebruiksrecht(uuid: u128) -> DocumentCommand {
    let attributes = json!({"omschrijvingVoorwaarden": "geen"});
    DocumentCommand::AddPart {
        kind: DocumentPartKind::Gebruiksrecht,
        uuid: Uuid::from_u128(uuid),
        attributes: attributes.as_object().unwrap().clone(),
    }
}

#[test]
fn a_gebruiksrecht_sets_the_indicatie_and_removing_the_last_one_clears_it() {
    let state = given(vec![
        create(Inhoud::Unchanged),
        gebruiksrecht(1),
        gebruiksrecht(2),
    ]);
    assert_eq!(
        state
            .as_ref()
            .unwrap()
            .latest()
            .attributes
            .indicatie_gebruiksrecht,
        Some(true)
    );
    let remove = |u| DocumentCommand::RemovePart {
        uuid: Uuid::from_u128(u),
    };
    let one_left = given(vec![
        create(Inhoud::Unchanged),
        gebruiksrecht(1),
        gebruiksrecht(2),
        remove(1),
    ]);
    assert_eq!(
        one_left
            .unwrap()
            .latest()
            .attributes
            .indicatie_gebruiksrecht,
        Some(true)
    );
    let none_left = given(vec![create(Inhoud::Unchanged), gebruiksrecht(1), remove(1)]);
    assert_eq!(
        none_left
            .unwrap()
            .latest()
            .attributes
            .indicatie_gebruiksrecht,
        None
    );
}

#[test]
fn the_indicatie_cannot_be_set_directly_nor_unset_while_gebruiksrechten_exist() {
    let mut a = attributes();
    a.indicatie_gebruiksrecht = Some(true);
    let direct = DocumentCommand::Create {
        uuid: Uuid::from_u128(8),
        attributes: a,
        inhoud: Inhoud::Unchanged,
        now: Utc::now(),
        chunk_size: 4,
        new_lock: "l".into(),
    };
    assert_eq!(
        decide(&None, direct),
        Err(DocumentError::MissingGebruiksrechten)
    );
    let state = given(vec![create(Inhoud::Unchanged), gebruiksrecht(1), lock("l")]);
    let mut unset = update(Some("l"), Inhoud::Unchanged);
    if let DocumentCommand::Update { attributes, .. } = &mut unset {
        attributes.indicatie_gebruiksrecht = Some(false);
    }
    assert_eq!(
        decide(&state, unset),
        Err(DocumentError::ExistingGebruiksrechten)
    );
}

fn oio(uuid: u128, object: &str) -> DocumentCommand {
    let attributes = json!({"object": object, "objectType": "zaak"});
    DocumentCommand::AddPart {
        kind: DocumentPartKind::Objectinformatieobject,
        uuid: Uuid::from_u128(uuid),
        attributes: attributes.as_object().unwrap().clone(),
    }
}

#[test]
fn an_object_links_a_document_once_and_a_linked_document_cannot_be_deleted() {
    let linked = given(vec![create(Inhoud::Unchanged), oio(1, "http://x/zaken/1")]);
    assert_eq!(
        decide(&linked, oio(2, "http://x/zaken/1")),
        Err(DocumentError::NotUnique)
    );
    assert!(decide(&linked, oio(2, "http://x/zaken/2")).is_ok());
    assert_eq!(
        decide(&linked, DocumentCommand::Delete),
        Err(DocumentError::PendingRelations)
    );
}

#[test]
fn a_locked_document_cannot_be_deleted_and_an_unlocked_one_can() {
    let locked = given(vec![create(Inhoud::Unchanged), lock("l")]);
    assert_eq!(
        decide(&locked, DocumentCommand::Delete),
        Err(DocumentError::LockedOnDelete)
    );
    let deleted = given(vec![create(Inhoud::Unchanged), DocumentCommand::Delete]);
    assert!(deleted.is_none());
}

#[test]
fn a_locked_and_linked_document_is_refused_deletion_for_its_relations_first() {
    let both = given(vec![
        create(Inhoud::Unchanged),
        oio(1, "http://x/zaken/1"),
        lock("l"),
    ]);
    assert_eq!(
        decide(&both, DocumentCommand::Delete),
        Err(DocumentError::PendingRelations)
    );
}

#[test]
fn a_definitief_document_changes_only_with_geforceerd_bijwerken() {
    let mut a = attributes();
    a.status = "definitief".into();
    let definitief = given(vec![
        DocumentCommand::Create {
            uuid: Uuid::from_u128(9),
            attributes: a,
            inhoud: Inhoud::Unchanged,
            now: Utc::now(),
            chunk_size: 4,
            new_lock: "l".into(),
        },
        lock("l"),
    ]);
    assert_eq!(
        decide(&definitief, update(Some("l"), Inhoud::Unchanged)),
        Err(DocumentError::StatusDefinitief)
    );
    let mut forced = update(Some("l"), Inhoud::Unchanged);
    if let DocumentCommand::Update { may_force, .. } = &mut forced {
        *may_force = true;
    }
    assert!(decide(&definitief, forced).is_ok());
}

#[test]
fn an_update_with_a_new_size_and_no_content_plans_bestandsdelen_of_its_own_version() {
    let created = given(vec![create(Inhoud::Empty {
        bestandsomvang: Some(4),
    })]);
    let first = created.as_ref().unwrap().bestandsdelen[0].uuid;
    let state = given(vec![
        create(Inhoud::Set(content(3))),
        lock("l"),
        update(
            Some("l"),
            Inhoud::Empty {
                bestandsomvang: Some(6),
            },
        ),
    ]);
    let doc = state.unwrap();
    assert_eq!(doc.latest().versie, 2);
    assert!(doc.latest().content.is_none());
    assert_eq!(
        doc.versions[0].content,
        Some(content(3)),
        "version 1 keeps its content"
    );
    let uuids: Vec<Uuid> = doc.bestandsdelen.iter().map(|d| d.uuid).collect();
    assert_eq!(uuids.len(), 2);
    assert!(!uuids.contains(&first));
}

fn link(uuid: u128, object: &str, found: RelatedObject) -> DocumentCommand {
    let attributes = json!({"object": object, "objectType": "zaak"});
    DocumentCommand::LinkObject {
        uuid: Uuid::from_u128(uuid),
        attributes: attributes.as_object().unwrap().clone(),
        object: found,
    }
}

#[test]
fn a_relation_with_one_of_our_zaken_is_the_zaaks_and_only_checked_here() {
    // Given a document
    let doc = given(vec![create(Inhoud::Unchanged)]);
    // When the Documenten API is asked to link one of our zaken
    let zaak = "http://x/zaken/1";
    // Then: unique while the zaak links the document (its mirror is there or being made),
    assert_eq!(
        decide(&doc, link(1, zaak, RelatedObject::Ours { links: true })),
        Err(DocumentError::NotUnique)
    );
    // inconsistent-relation when it does not, does_not_exist on object without the zaak,
    let unlinked = decide(&doc, link(1, zaak, RelatedObject::Ours { links: false }));
    assert_eq!(
        unlinked,
        Err(DocumentError::Rule(DocumentRule::InconsistentRelation))
    );
    let missing = decide(&doc, link(1, zaak, RelatedObject::Missing)).unwrap_err();
    let DocumentError::Rule(rule) = missing else {
        panic!("{missing:?}")
    };
    assert_eq!((rule.field(), rule.code()), ("object", "does_not_exist"));
    // and another API's object is the document's own relation, once.
    let remote = "http://elders/zaken/1";
    let linked = given(vec![
        create(Inhoud::Unchanged),
        link(1, remote, RelatedObject::Elsewhere),
    ]);
    assert_eq!(linked.as_ref().unwrap().parts.len(), 1);
    assert_eq!(
        decide(&linked, link(2, remote, RelatedObject::Elsewhere)),
        Err(DocumentError::NotUnique)
    );
}

#[test]
fn a_mirrored_relation_is_not_removed_while_our_zaak_still_links_the_document() {
    // Given a document with the mirror of a zaak's relation
    let doc = given(vec![create(Inhoud::Unchanged), oio(1, "http://x/zaken/1")]);
    let unlink = |object| DocumentCommand::UnlinkObject {
        uuid: Uuid::from_u128(1),
        object,
    };
    // When the Documenten API removes it while the zaak links the document: refused
    let refused = decide(&doc, unlink(RelatedObject::Ours { links: true }));
    assert_eq!(
        refused,
        Err(DocumentError::Rule(DocumentRule::RemoteRelationExists))
    );
    // Then once the zaak no longer links it, or is gone, the stale mirror may go.
    for object in [RelatedObject::Ours { links: false }, RelatedObject::Missing] {
        let removed = given(vec![
            create(Inhoud::Unchanged),
            oio(1, "http://x/zaken/1"),
            unlink(object),
        ]);
        assert!(removed.unwrap().parts.is_empty(), "{object:?}");
    }
}

#[test]
fn a_document_sent_back_with_its_own_size_keeps_its_content_and_another_size_awaits_parts() {
    // Given a locked document of 3 bytes
    let given_doc = || vec![create(Inhoud::Set(content(3))), lock("l")];
    // When it is updated naming only its own size
    let mut same = given_doc();
    same.push(update(Some("l"), Inhoud::Omvang(3)));
    // Then the new version keeps the content and no upload starts
    let doc = given(same).unwrap();
    assert_eq!(doc.latest().content, Some(content(3)));
    assert_eq!(doc.latest().bestandsomvang, Some(3));
    assert!(doc.bestandsdelen.is_empty());
    // When another size is named, the content comes in bestandsdelen
    let mut other = given_doc();
    other.push(update(Some("l"), Inhoud::Omvang(6)));
    let doc = given(other).unwrap();
    assert!(doc.latest().content.is_none());
    assert_eq!(doc.bestandsdelen.len(), 2);
}
