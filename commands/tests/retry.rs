//! Command handling against the real PostgreSQL event store.

use std::sync::Arc;

use chrono::Utc;
use commands::{CommandError, CommandHandler, Context, Precondition};
use domain::zaak::{ZaakAggregate, ZaakCommand};
use event_schemas::zaak::{Archiefstatus, Vertrouwelijkheidaanduiding, ZaakAttributes};
use event_schemas::Actor;
use event_store::postgres::PgEventStore;
use uuid::Uuid;

fn ctx() -> Context {
    Context {
        actor: Actor {
            client_id: "c".into(),
            user_id: "u".into(),
            user_representation: "U".into(),
            ..Default::default()
        },
        tenant: "t".into(),
        correlation_id: Uuid::now_v7(),
        causation_id: None,
        toelichting: String::new(),
        traceparent: None,
        event_id_seed: None,
        precondition: None,
        now: Utc::now(),
    }
}

fn attributes() -> ZaakAttributes {
    let today = Utc::now().date_naive();
    ZaakAttributes {
        identificatie: "Z-1".into(),
        bronorganisatie: "517439943".into(),
        omschrijving: String::new(),
        toelichting: String::new(),
        zaaktype: "http://example.nl/zaaktypen/1".into(),
        registratiedatum: today,
        verantwoordelijke_organisatie: "517439943".into(),
        startdatum: today,
        einddatum_gepland: None,
        uiterlijke_einddatum_afdoening: None,
        publicatiedatum: None,
        communicatiekanaal: String::new(),
        producten_of_diensten: vec![],
        vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding::Openbaar,
        betalingsindicatie: None,
        laatste_betaaldatum: None,
        zaakgeometrie: None,
        verlenging: None,
        opschorting: None,
        selectielijstklasse: String::new(),
        hoofdzaak: None,
        relevante_andere_zaken: vec![],
        kenmerken: vec![],
        archiefnominatie: None,
        archiefstatus: Archiefstatus::NogTeArchiveren,
        archiefactiedatum: None,
        opdrachtgevende_organisatie: String::new(),
        processobjectaard: None,
        startdatum_bewaartermijn: None,
        processobject: None,
        communicatiekanaal_naam: String::new(),
        laatst_geopend: None,
        gerelateerde_zaken: Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_partial_updates_are_decided_again_on_the_fresh_state_and_none_is_lost() {
    let Some(pool) = event_store::testing::fresh_event_store_pool().await else {
        return;
    };
    let handler = CommandHandler::new(Arc::new(PgEventStore::new(pool)));
    let id = Uuid::new_v4();
    let create = ZaakCommand::Create {
        uuid: id,
        attributes: attributes(),
        outside: Default::default(),
    };
    handler
        .execute::<ZaakAggregate>(id, &ctx(), create)
        .await
        .unwrap();

    let edits: [fn(&mut ZaakAttributes); 4] = [
        |a| a.omschrijving = "een".into(),
        |a| a.toelichting = "twee".into(),
        |a| a.communicatiekanaal = "http://example.nl/kanaal".into(),
        |a| a.processobjectaard = Some("vier".into()),
    ];
    let tasks = edits.map(|edit| {
        let handler = handler.clone();
        tokio::spawn(async move {
            handler
                .execute_with::<ZaakAggregate, std::convert::Infallible>(id, &ctx(), |state| {
                    let mut attributes = state.as_ref().unwrap().attributes.clone();
                    edit(&mut attributes);
                    Ok(ZaakCommand::Update {
                        attributes,
                        partial: true,
                        may_force: false,
                        outside: Default::default(),
                    })
                })
                .await
        })
    });
    for t in tasks {
        match t.await.unwrap() {
            // Each round of conflicts lets at least one writer through: 4 writers need at most
            // 4 of the 5 attempts.
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
    let (state, version) = handler.load_state::<ZaakAggregate>(id).await.unwrap();
    let a = state.unwrap().attributes;
    let applied = [
        a.omschrijving == "een",
        a.toelichting == "twee",
        !a.communicatiekanaal.is_empty(),
        a.processobjectaard.is_some(),
    ];
    let count = applied.iter().filter(|x| **x).count() as u64;
    assert_eq!(version, Some(count), "each stored update is one event");
    assert!(
        count >= 3,
        "retries on the fresh state keep concurrent changes ({applied:?})"
    );
}

#[tokio::test]
async fn create_appends_without_reading_and_decides_on_the_real_state_when_the_stream_exists() {
    let Some(pool) = event_store::testing::fresh_event_store_pool().await else {
        return;
    };
    let handler = CommandHandler::new(Arc::new(PgEventStore::new(pool)));
    let id = Uuid::new_v4();
    let create = || ZaakCommand::Create {
        uuid: id,
        attributes: attributes(),
        outside: Default::default(),
    };
    let first = handler
        .create::<ZaakAggregate>(id, &ctx(), create())
        .await
        .unwrap();
    assert_eq!(first.version, Some(0));
    assert!(first.position.is_some());
    assert_eq!(
        first
            .state
            .as_ref()
            .map(|z| z.attributes.identificatie.as_str()),
        Some("Z-1")
    );

    // The same uuid again: the stream exists, so the aggregate decides on its state and
    // refuses a second creation instead of the store silently failing.
    let again = handler.create::<ZaakAggregate>(id, &ctx(), create()).await;
    assert!(
        matches!(again, Err(commands::CommandError::Domain(_))),
        "{again:?}"
    );
    let (_, version) = handler.load_state::<ZaakAggregate>(id).await.unwrap();
    assert_eq!(version, Some(0), "nothing appended twice");
}

#[tokio::test]
async fn a_write_conditioned_on_another_revision_is_refused_and_appends_nothing() {
    let Some(pool) = event_store::testing::fresh_event_store_pool().await else {
        return;
    };
    let handler = CommandHandler::new(Arc::new(PgEventStore::new(pool)));
    let id = Uuid::new_v4();
    let create = ZaakCommand::Create {
        uuid: id,
        attributes: attributes(),
        outside: Default::default(),
    };
    handler
        .create::<ZaakAggregate>(id, &ctx(), create)
        .await
        .unwrap();
    let update = |omschrijving: &str| ZaakCommand::Update {
        attributes: ZaakAttributes {
            omschrijving: omschrijving.into(),
            ..attributes()
        },
        partial: false,
        may_force: false,
        outside: Default::default(),
    };
    let at = |version| {
        ctx().with_precondition(Some(Precondition {
            stream: format!("zaak-{id}"),
            version,
        }))
    };
    let stale = handler
        .execute::<ZaakAggregate>(id, &at(1), update("stale"))
        .await;
    assert!(
        matches!(stale, Err(CommandError::PreconditionFailed { .. })),
        "{stale:?}"
    );
    let current = handler
        .execute::<ZaakAggregate>(id, &at(0), update("current"))
        .await
        .unwrap();
    assert_eq!(current.version, Some(1));
    let again = handler
        .execute::<ZaakAggregate>(id, &at(0), update("lost update"))
        .await;
    assert!(
        matches!(again, Err(CommandError::PreconditionFailed { .. })),
        "{again:?}"
    );
    let (state, version) = handler.load_state::<ZaakAggregate>(id).await.unwrap();
    assert_eq!(version, Some(1));
    assert_eq!(state.unwrap().attributes.omschrijving, "current");
}
