//! The Klantinteracties API's bijlagen and actorklantcontacten (parts of a klantcontact) and
//! the relations a resource shows that other objects hold — a klantcontact's
//! `leiddeTotInterneTaken` and `hadBetrokkenActoren`, a partij's `betrokkenen` and
//! `categorieRelaties` — in the resource and in `expand`, end to end.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::klantinteracties::*;
use support::{spec, TestApp};

async fn created(app: &TestApp, path: &str, body: &Value) -> Value {
    let (status, object) = post(app, path, body).await;
    assert_eq!(status, StatusCode::CREATED, "POST {path}: {object:#}");
    object
}

fn reference(v: &Value) -> Value {
    json!({"uuid": v["uuid"], "url": v["url"]})
}

#[tokio::test]
async fn bijlagen_and_actorklantcontacten_live_in_their_klantcontact_and_are_found_by_it() {
    let app = TestApp::spawn_bare().await;
    let spec = spec::load(SPEC);
    let k = created(&app, "/klantcontacten", &klantcontact("telefoon")).await;
    let actor = created(
        &app,
        "/actoren",
        &json!({"naam": "Jan", "soortActor": "organisatorische_eenheid"}),
    )
    .await;

    let bijlage = created(
        &app,
        "/bijlagen",
        &json!({"wasBijlageVanKlantcontact": {"uuid": k["uuid"]},
            "bijlageidentificator": {"objectId": "doc-1", "codeObjecttype": "document",
                "codeRegister": "drc", "codeSoortObjectId": "uuid"}}),
    )
    .await;
    spec::assert_valid(&spec, "Bijlage", &bijlage);
    let ak = created(
        &app,
        "/actorklantcontacten",
        &json!({"actor": {"uuid": actor["uuid"]}, "klantcontact": {"uuid": k["uuid"]}}),
    )
    .await;
    spec::assert_valid(&spec, "ActorKlantcontact", &ak);
    // One actor once per klantcontact.
    let (status, refused) = post(
        &app,
        "/actorklantcontacten",
        &json!({"actor": {"uuid": actor["uuid"]}, "klantcontact": {"uuid": k["uuid"]}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [("nonFieldErrors".into(), "unique".into())]
    );
    // An actor that does not exist.
    let (status, refused) = post(
        &app,
        "/actorklantcontacten",
        &json!({"actor": {"uuid": uuid::Uuid::new_v4()}, "klantcontact": {"uuid": k["uuid"]}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [("actor.uuid".into(), "does_not_exist".into())]
    );

    let read = get(&app, &path_of(&app, &k)[API.len()..]).await;
    assert_eq!(read["omvatteBijlagen"], json!([reference(&bijlage)]));
    assert_eq!(read["hadBetrokkenActoren"], json!([reference(&actor)]));
    for (path, count) in [
        ("/bijlagen?bijlageidentificatorObjectId=doc-1".to_owned(), 1),
        ("/bijlagen?bijlageidentificatorObjectId=doc-2".to_owned(), 0),
        (format!("/bijlagen?klantcontact__uuid={}", s(&k["uuid"])), 1),
        (
            format!("/actorklantcontacten?actor__uuid={}", s(&actor["uuid"])),
            1,
        ),
        (
            format!("/actorklantcontacten?klantcontact__url={}", s(&k["url"])),
            1,
        ),
    ] {
        let found = get(&app, &path).await;
        assert_eq!(found["count"], count, "{path}: {found:#}");
    }

    let (status, _) = send(app.request(Method::DELETE, &path_of(&app, &ak))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(app.request(Method::DELETE, &path_of(&app, &bijlage))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let read = get(&app, &path_of(&app, &k)[API.len()..]).await;
    assert_eq!(
        (&read["omvatteBijlagen"], &read["hadBetrokkenActoren"]),
        (&json!([]), &json!([]))
    );
    app.stop().await;
}

#[tokio::test]
async fn a_resource_names_what_other_objects_hold_of_it_and_expands_them() {
    let app = TestApp::spawn_bare().await;
    let spec = spec::load(SPEC);
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    assert_eq!(
        (&partij["betrokkenen"], &partij["categorieRelaties"]),
        (&json!([]), &json!([]))
    );
    let (status, made) = post(&app, "/maak-klantcontact", &maak(&partij)).await;
    assert_eq!(status, StatusCode::CREATED, "{made:#}");
    let k = &made["klantcontact"];
    let actor = created(
        &app,
        "/actoren",
        &json!({"naam": "Jan", "soortActor": "organisatorische_eenheid"}),
    )
    .await;
    let taak = created(
        &app,
        "/internetaken",
        &json!({"aanleidinggevendKlantcontact": {"uuid": k["uuid"]},
            "toegewezenAanActoren": [{"uuid": actor["uuid"]}],
            "gevraagdeHandeling": "Bellen", "status": "te_verwerken"}),
    )
    .await;
    let categorie = created(&app, "/categorieen", &json!({"naam": "Inwoner"})).await;
    let relatie = created(
        &app,
        "/categorie-relaties",
        &json!({"partij": {"uuid": partij["uuid"]}, "categorie": {"uuid": categorie["uuid"]},
            "beginDatum": "2026-01-01"}),
    )
    .await;

    // The klantcontact, in its detail and in a list, names the taak it led to.
    let k_path = &path_of(&app, k)[API.len()..];
    let read = get(&app, k_path).await;
    spec::assert_valid(&spec, "Klantcontact", &read);
    assert_eq!(read["leiddeTotInterneTaken"], json!([reference(&taak)]));
    let listed = get(&app, "/klantcontacten").await;
    assert_eq!(listed["results"][0], read);
    let expanded = get(&app, &format!("{k_path}?expand=leiddeTotInterneTaken")).await;
    assert_eq!(expanded["_expand"]["leiddeTotInterneTaken"], json!([taak]));

    // The partij names the betrokkene that was it and its categorie-relatie.
    let p_path = &path_of(&app, &partij)[API.len()..];
    let read = get(&app, p_path).await;
    spec::assert_valid(&spec, "persoon_PartijSerializer", &read);
    assert_eq!(read["betrokkenen"], json!([reference(&made["betrokkene"])]));
    assert_eq!(
        read["categorieRelaties"],
        json!([{"uuid": relatie["uuid"], "url": relatie["url"], "categorieNaam": "Inwoner",
            "beginDatum": "2026-01-01", "eindDatum": null}])
    );
    let listed = get(&app, "/partijen").await;
    assert_eq!(listed["results"][0], read);
    let expanded = get(
        &app,
        &format!("{p_path}?expand=betrokkenen.hadKlantcontact,categorieRelaties"),
    )
    .await;
    let betrokkene = &expanded["_expand"]["betrokkenen"][0];
    assert_eq!(betrokkene["url"], made["betrokkene"]["url"]);
    assert_eq!(betrokkene["_expand"]["hadKlantcontact"]["url"], k["url"]);
    assert_eq!(
        betrokkene["_expand"]["hadKlantcontact"]["leiddeTotInterneTaken"],
        json!([reference(&taak)])
    );
    assert_eq!(
        expanded["_expand"]["categorieRelaties"][0]["categorie"]["naam"],
        "Inwoner"
    );
    // The filters through relations: each finds it, a different value nothing.
    for (path, found) in [
        (
            "/klantcontacten?hadBetrokkene__wasPartij__partijIdentificator__objectId=111222333",
            1,
        ),
        (
            "/klantcontacten?hadBetrokkene__wasPartij__partijIdentificator__objectId=999993653",
            0,
        ),
        ("/klantcontacten?hadBetrokkene__wasPartij=true", 1),
        ("/klantcontacten?hadBetrokkene__wasPartij=false", 0),
        (
            "/klantcontacten?onderwerpobject__onderwerpobjectidentificatorObjectId=ZAAK-1",
            1,
        ),
        (
            "/klantcontacten?onderwerpobject__onderwerpobjectidentificatorObjectId=ZAAK-2",
            0,
        ),
        ("/klantcontacten?inhoud=PASPOORT", 1),
        ("/klantcontacten?onderwerp=rijbewijs", 0),
        (
            "/betrokkenen?wasPartij__partijIdentificator__objectId=111222333",
            1,
        ),
        (
            "/betrokkenen?wasPartij__partijIdentificator__codeSoortObjectId=kvk_nummer",
            0,
        ),
        ("/internetaken?actoren__naam=Jan", 1),
    ] {
        assert_eq!(get(&app, path).await["count"], found, "{path}");
    }
    // The categorie filter on partijen.
    let found = get(&app, "/partijen?categorierelatie__categorie__naam=Inwoner").await;
    assert_eq!(found["count"], 1, "{found:#}");
    let none = get(
        &app,
        "/partijen?categorierelatie__categorie__naam=Ondernemer",
    )
    .await;
    assert_eq!(none["count"], 0);
    app.stop().await;
}

/// A value of the type a filter parameter of the spec declares.
fn value_for(schema: &Value, app: &TestApp) -> String {
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("boolean"), _) => "true".into(),
        (_, Some("uuid")) => uuid::Uuid::new_v4().to_string(),
        (_, Some("uri")) => app.url(&format!("{API}/partijen/{}", uuid::Uuid::new_v4())),
        (_, Some("date")) => "2026-12-01".into(),
        (_, Some("date-time")) => "2026-12-01T10:00:00Z".into(),
        (Some("integer"), _) => "1".into(),
        _ => match schema["enum"].as_array() {
            Some(values) => values[0].as_str().unwrap_or("x").into(),
            None => "x".into(),
        },
    }
}

#[tokio::test]
async fn every_filter_of_every_list_in_the_spec_is_answered() {
    let app = TestApp::spawn_bare().await;
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let (status, made) = post(&app, "/maak-klantcontact", &maak(&partij)).await;
    assert_eq!(status, StatusCode::CREATED, "{made:#}");
    let spec = spec::load(SPEC);
    let mut answered = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        let Some(list) = item.get("get").filter(|_| !path.ends_with("{uuid}")) else {
            continue;
        };
        for param in list["parameters"].as_array().into_iter().flatten() {
            let name = param["name"].as_str().unwrap();
            if param["in"] != "query" || ["page", "pageSize", "expand"].contains(&name) {
                continue;
            }
            let value = value_for(&param["schema"], &app);
            let query = format!("{API}{path}?{name}={}", urlencoding(&value));
            let (status, body) = send(app.request(Method::GET, &query)).await;
            assert_eq!(status, StatusCode::OK, "{query}: {body:#}");
            assert!(body["count"].is_u64(), "{query}: {body:#}");
            answered += 1;
        }
    }
    assert!(answered > 150, "only {answered} filters");
    app.stop().await;
}

fn urlencoding(s: &str) -> String {
    s.replace(':', "%3A").replace('/', "%2F")
}

#[tokio::test]
async fn a_betrokkene_gives_a_digitaal_adres_without_a_partij_as_kiss_registers_it() {
    let app = TestApp::spawn_bare().await;
    let spec = spec::load(SPEC);
    // An anonymous contact: a betrokkene without a partij.
    let mut body = maak(&json!({}));
    body["betrokkene"]
        .as_object_mut()
        .unwrap()
        .remove("wasPartij");
    let (status, made) = post(&app, "/maak-klantcontact", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{made:#}");
    let betrokkene = &made["betrokkene"];

    let adres = json!({"verstrektDoorBetrokkene": {"uuid": betrokkene["uuid"]},
        "verstrektDoorPartij": null, "adres": "anon@example.nl", "soortDigitaalAdres": "email",
        "omschrijving": "Gegeven aan de telefoon", "referentie": "tel-1"});
    let given = created(&app, "/digitaleadressen", &adres).await;
    spec::assert_valid(&spec, "DigitaalAdres", &given);
    assert_eq!(given["verstrektDoorBetrokkene"], reference(betrokkene));
    assert_eq!(given["verstrektDoorPartij"], Value::Null);
    let path = path_of(&app, &given);
    assert_eq!(get(&app, &path[API.len()..]).await, given);
    let by = get(
        &app,
        &format!(
            "/digitaleadressen?verstrektDoorBetrokkene__uuid={}",
            s(&betrokkene["uuid"])
        ),
    )
    .await;
    assert_eq!(by["results"], json!([given]));
    let b = get(&app, &path_of(&app, betrokkene)[API.len()..]).await;
    assert_eq!(b["digitaleAdressen"], json!([reference(&given)]));
    let found = get(
        &app,
        "/klantcontacten?hadBetrokkene__digitaaladres__adres__icontains=ANON",
    )
    .await;
    assert_eq!(found["count"], 1, "{found:#}");

    let (status, patched) = send(
        app.request(Method::PATCH, &path)
            .json(&json!({"adres": "nieuw@example.nl"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{patched:#}");
    assert_eq!(patched["adres"], "nieuw@example.nl");
    assert_eq!(patched["verstrektDoorBetrokkene"], reference(betrokkene));

    // Given by nobody, or by a betrokkene that does not exist: refused.
    let mut nobody = adres.clone();
    nobody["verstrektDoorBetrokkene"] = Value::Null;
    let (status, refused) = post(&app, "/digitaleadressen", &nobody).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [("nonFieldErrors".into(), "invalid".into())]
    );
    let mut stranger = adres.clone();
    stranger["verstrektDoorBetrokkene"] = json!({"uuid": uuid::Uuid::new_v4()});
    let (status, refused) = post(&app, "/digitaleadressen", &stranger).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [(
            "verstrektDoorBetrokkene.uuid".into(),
            "does_not_exist".into()
        )]
    );

    // A partij's adres may name the betrokkene it was given as.
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let mut both = adres.clone();
    both["verstrektDoorPartij"] = json!({"uuid": partij["uuid"]});
    both["adres"] = json!("jan@example.nl");
    let mut unknown = both.clone();
    unknown["verstrektDoorBetrokkene"] = json!({"uuid": uuid::Uuid::new_v4()});
    let (status, refused) = post(&app, "/digitaleadressen", &unknown).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [(
            "verstrektDoorBetrokkene.uuid".into(),
            "does_not_exist".into()
        )]
    );
    let held = created(&app, "/digitaleadressen", &both).await;
    assert_eq!(
        (
            &held["verstrektDoorPartij"],
            &held["verstrektDoorBetrokkene"]
        ),
        (&reference(&partij), &reference(betrokkene))
    );
    assert_eq!(get(&app, "/digitaleadressen").await["count"], 2);
    let expanded = get(
        &app,
        &format!(
            "{}?expand=verstrektDoorBetrokkene.hadKlantcontact",
            &path_of(&app, &held)[API.len()..]
        ),
    )
    .await;
    let by = &expanded["_expand"]["verstrektDoorBetrokkene"];
    assert_eq!(by["url"], betrokkene["url"], "{expanded:#}");
    assert_eq!(
        by["_expand"]["hadKlantcontact"]["url"],
        made["klantcontact"]["url"]
    );

    let (status, _) = send(app.request(Method::DELETE, &path)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(app.request(Method::GET, &path)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/digitaleadressen").await["count"], 1);
    app.stop().await;
}

#[tokio::test]
async fn an_onderwerpobject_deleted_with_cascade_takes_the_klantcontacten_nothing_else_links() {
    let app = TestApp::spawn_bare().await;
    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let (status, first) = post(&app, "/maak-klantcontact", &maak(&partij)).await;
    assert_eq!(status, StatusCode::CREATED, "{first:#}");
    let k1 = &first["klantcontact"];
    let k2 = created(&app, "/klantcontacten", &klantcontact("balie")).await;
    let o2 = created(
        &app,
        "/onderwerpobjecten",
        &json!({"klantcontact": {"uuid": k2["uuid"]}, "wasKlantcontact": {"uuid": k1["uuid"]},
            "onderwerpobjectidentificator": {"objectId": "ZAAK-2", "codeObjecttype": "zaak",
                "codeRegister": "openzaak", "codeSoortObjectId": "identificatie"}}),
    )
    .await;

    // k2 has nothing else: it goes; k1 keeps its own onderwerpobject: it stays.
    let path = format!("{}?cascade=true", path_of(&app, &o2));
    let (status, body) = send(app.request(Method::DELETE, &path)).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert_eq!(body, json!({"behouden": [k1["url"]]}));
    let (status, _) = send(app.request(Method::GET, &path_of(&app, &k2))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "k2 was deleted with it");
    get(&app, &path_of(&app, k1)[API.len()..]).await;

    // Without cascade: only the onderwerpobject.
    let o1 = &first["onderwerpobject"];
    let (status, _) = send(app.request(Method::DELETE, &path_of(&app, o1))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let k = get(&app, &path_of(&app, k1)[API.len()..]).await;
    assert_eq!(k["gingOverOnderwerpobjecten"], json!([]));
    app.stop().await;
}
