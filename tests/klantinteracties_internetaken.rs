//! The Klantinteracties API's internetaken and actoren end to end, over real PostgreSQL and
//! NATS, driven as a KCC application drives Open Klant: a citizen's partij by BSN, a contact
//! registered with maak-klantcontact, a taak assigned to a medewerker, found again by its
//! filters; each of Open Klant's rules a test with its codes; nothing without the scope.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::klantinteracties::*;
use support::{spec, TestApp};

fn medewerker(naam: &str) -> Value {
    json!({
        "naam": naam,
        "soortActor": "medewerker",
        "indicatieActief": true,
        "actoridentificator": {"objectId": "m-1", "codeObjecttype": "mdw",
            "codeRegister": "obj", "codeSoortObjectId": "idf"},
        "actorIdentificatie": {"functie": "KCC", "emailadres": "a@example.nl",
            "telefoonnummer": "0201234567"},
    })
}

fn taak(klantcontact: &Value, actoren: &[&Value]) -> Value {
    let actoren: Vec<Value> = actoren.iter().map(|a| json!({"uuid": a["uuid"]})).collect();
    json!({
        "aanleidinggevendKlantcontact": {"uuid": klantcontact["uuid"]},
        "toegewezenAanActoren": actoren,
        "gevraagdeHandeling": "Terugbellen",
        "toelichting": "Over de paspoortaanvraag",
        "status": "te_verwerken",
    })
}

async fn created(app: &TestApp, path: &str, body: &Value) -> Value {
    let (status, object) = post(app, path, body).await;
    assert_eq!(status, StatusCode::CREATED, "POST {path}: {object:#}");
    object
}

#[tokio::test]
async fn a_kcc_registers_a_contact_assigns_a_taak_and_finds_it_again() {
    let app = TestApp::spawn_bare().await;
    let tenant = app.config.tenant.clone();
    let mut zgw = support::Notifications::on(&app, "internetaken").await;
    let spec = spec::load(SPEC);

    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let (status, maakt) = post(&app, "/maak-klantcontact", &maak(&partij)).await;
    assert_eq!(status, StatusCode::CREATED, "{maakt:#}");
    let k = &maakt["klantcontact"];
    let jan = created(&app, "/actoren", &medewerker("Jan")).await;
    // The spec's `Actor` is a oneOf its soorten that JSON Schema cannot tell apart (the
    // discriminator is OpenAPI's): checked against the soort's own schema.
    spec::assert_valid(&spec, "medewerker_ActorSerializer", &jan);
    assert_eq!(
        (&jan["soortActor"], &jan["actorIdentificatie"]["functie"]),
        (&json!("medewerker"), &json!("KCC"))
    );
    let piet = created(&app, "/actoren", &medewerker("Piet")).await;

    let t = created(&app, "/internetaken", &taak(k, &[&jan, &piet])).await;
    spec::assert_valid(&spec, "InterneTaak", &t);
    assert_eq!(t["toegewezenAanActor"]["uuid"], jan["uuid"]);
    assert_eq!(t["toegewezenAanActoren"][1]["url"], piet["url"]);
    assert_eq!(t["aanleidinggevendKlantcontact"]["url"], k["url"]);
    assert!(t["toegewezenOp"].is_string(), "{t:#}");
    assert_eq!(t["afgehandeldOp"], Value::Null);

    // Found by each of its relations, and only it.
    let other = created(&app, "/klantcontacten", &klantcontact("balie")).await;
    created(&app, "/internetaken", &taak(&other, &[&piet])).await;
    for filter in [
        format!("toegewezenAanActor__uuid={}", s(&jan["uuid"])),
        format!("toegewezenAanActor__url={}", s(&jan["url"])),
        format!("klantcontact__uuid={}", s(&k["uuid"])),
        format!("aanleidinggevendKlantcontact__url={}", s(&k["url"])),
        "actoren__naam=Jan".to_owned(),
        "status=te_verwerken&actoren__naam=Jan".to_owned(),
    ] {
        let found = get(&app, &format!("/internetaken?{filter}")).await;
        spec::assert_valid(&spec, "PaginatedInterneTaakList", &found);
        assert_eq!(found["count"], 1, "{filter}: {found:#}");
        assert_eq!(found["results"][0], t, "{filter}");
    }
    assert_eq!(
        get(&app, "/internetaken?actoren__naam=Piet").await["count"],
        2,
        "a taak is listed once however many of its actoren match"
    );
    let led = get(&app, "/klantcontacten?leiddeTotInterneTaken=true").await;
    assert_eq!(led["count"], 2, "{led:#}");
    let (status, _) =
        send(app.request(Method::GET, &format!("{API}/internetaken?status=klaar"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Done: afgehandeldOp is set; back to te_verwerken clears it; toegewezenOp stays.
    let path = path_of(&app, &t);
    let (status, done) = send(
        app.request(Method::PATCH, &path)
            .json(&json!({"status": "verwerkt"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{done:#}");
    assert!(done["afgehandeldOp"].is_string(), "{done:#}");
    assert_eq!(done["toegewezenOp"], t["toegewezenOp"]);
    assert_eq!(done["toegewezenAanActoren"], t["toegewezenAanActoren"]);
    let (status, again) = send(
        app.request(Method::PATCH, &path)
            .json(&json!({"status": "te_verwerken"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{again:#}");
    assert_eq!(again["afgehandeldOp"], Value::Null);

    let (subject, body) = zgw.next().await;
    assert_eq!(
        subject,
        format!("zgw.{tenant}.internetaken.internetaak.create")
    );
    assert_eq!(body["hoofdObject"], t["url"]);
    assert_eq!(
        body["kenmerken"],
        json!({"status": "te_verwerken", "toegewezenAanActor": jan["url"]})
    );

    let (status, _) = send(app.request(Method::DELETE, &path)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(app.request(Method::GET, &path)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn an_internetaak_is_refused_with_open_klants_codes_and_nothing_is_stored() {
    let app = TestApp::spawn_bare().await;
    let k = created(&app, "/klantcontacten", &klantcontact("telefoon")).await;
    let jan = created(&app, "/actoren", &medewerker("Jan")).await;

    // toegewezenAanActor (deprecated) and toegewezenAanActoren: one, not both, not neither.
    let mut both = taak(&k, &[&jan]);
    both["toegewezenAanActor"] = json!({"uuid": jan["uuid"]});
    let mut neither = taak(&k, &[&jan]);
    neither
        .as_object_mut()
        .unwrap()
        .remove("toegewezenAanActoren");
    for body in [both, neither] {
        let (status, refused) = post(&app, "/internetaken", &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
        assert_eq!(
            params(&refused),
            [("nonFieldErrors".into(), "invalid".into())]
        );
    }
    // afgehandeldOp only when verwerkt.
    let mut early = taak(&k, &[&jan]);
    early["afgehandeldOp"] = json!("2026-12-01T10:00:00Z");
    let (status, refused) = post(&app, "/internetaken", &early).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [("afgehandeldOp".into(), "invalid".into())]
    );
    // What it names must exist.
    let mut unknown = taak(&k, &[&jan]);
    unknown["aanleidinggevendKlantcontact"] = json!({"uuid": uuid::Uuid::new_v4()});
    let (status, refused) = post(&app, "/internetaken", &unknown).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(
        params(&refused),
        [(
            "aanleidinggevendKlantcontact.uuid".into(),
            "does_not_exist".into()
        )]
    );
    // The deprecated single actor is the list's first.
    let mut single = taak(&k, &[]);
    single
        .as_object_mut()
        .unwrap()
        .remove("toegewezenAanActoren");
    single["toegewezenAanActor"] = json!({"uuid": jan["uuid"]});
    let t = created(&app, "/internetaken", &single).await;
    assert_eq!(t["toegewezenAanActoren"][0]["uuid"], jan["uuid"]);
    assert_eq!(
        get(&app, "/internetaken").await["count"],
        1,
        "only that one"
    );
    app.stop().await;
}

#[tokio::test]
async fn actoren_categorieen_and_relaties_are_kept_found_and_named() {
    let app = TestApp::spawn_bare().await;
    let spec = spec::load(SPEC);
    let bot = json!({"naam": "Chatbot", "soortActor": "geautomatiseerde_actor",
        "actorIdentificatie": {"functie": "chat", "omschrijving": "De chatbot"}});
    let bot = created(&app, "/actoren", &bot).await;
    spec::assert_valid(&spec, "geautomatiseerde_actor_ActorSerializer", &bot);
    created(&app, "/actoren", &medewerker("Jan")).await;
    for (filter, count) in [
        ("soortActor=geautomatiseerde_actor", 1),
        ("naam=Jan", 1),
        ("actoridentificatorObjectId=m-1", 1),
        ("indicatieActief=true", 2),
    ] {
        let found = get(&app, &format!("/actoren?{filter}")).await;
        assert_eq!(found["count"], count, "{filter}: {found:#}");
    }
    // A medewerker's required fields.
    let mut bare = medewerker("Kees");
    bare["actorIdentificatie"] = json!({"emailadres": "k@example.nl"});
    let (status, refused) = post(&app, "/actoren", &bare).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let names: Vec<String> = params(&refused).into_iter().map(|(n, _)| n).collect();
    assert!(
        names.contains(&"actorIdentificatie.functie".to_owned()),
        "{refused:#}"
    );

    let partij = new_partij(&app, &persoon(json!([bsn(BSN)]))).await;
    let categorie = created(&app, "/categorieen", &json!({"naam": "Ondernemer"})).await;
    spec::assert_valid(&spec, "Categorie", &categorie);
    let relatie = created(
        &app,
        "/categorie-relaties",
        &json!({"partij": {"uuid": partij["uuid"]}, "categorie": {"uuid": categorie["uuid"]}}),
    )
    .await;
    spec::assert_valid(&spec, "CategorieRelatie", &relatie);
    assert_eq!(relatie["categorie"]["naam"], "Ondernemer");
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(
        relatie["beginDatum"],
        json!(today),
        "begins today when not given"
    );
    for filter in [
        "categorie__naam=Ondernemer".to_owned(),
        format!("partij__uuid={}", s(&partij["uuid"])),
        format!("categorie__url={}", s(&categorie["url"])),
        format!("beginDatum={today}"),
    ] {
        let found = get(&app, &format!("/categorie-relaties?{filter}")).await;
        assert_eq!(found["count"], 1, "{filter}: {found:#}");
    }
    // Renamed: the relatie names the categorie by its new naam.
    let (status, _) = send(
        app.request(Method::PATCH, &path_of(&app, &categorie))
            .json(&json!({"naam": "Inwoner"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let read = get(&app, &path_of(&app, &relatie)[API.len()..]).await;
    assert_eq!(read["categorie"]["naam"], "Inwoner");
    let (status, refused) = post(
        &app,
        "/categorie-relaties",
        &json!({"categorie": {"uuid": uuid::Uuid::new_v4()}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        params(&refused),
        [("categorie.uuid".into(), "does_not_exist".into())]
    );
    app.stop().await;
}

#[tokio::test]
async fn without_the_scope_no_internetaak_or_actor_is_read_or_written() {
    let app = TestApp::spawn_bare().await;
    let k = created(&app, "/klantcontacten", &klantcontact("telefoon")).await;
    let jan = created(&app, "/actoren", &medewerker("Jan")).await;
    let t = created(&app, "/internetaken", &taak(&k, &[&jan])).await;
    app.grant_limited(json!([{"component": "ac", "scopes": ["autorisaties.lezen"]}]))
        .await;
    for path in [
        format!("{API}/internetaken"),
        path_of(&app, &t),
        format!("{API}/actoren"),
        path_of(&app, &jan),
    ] {
        let (status, body) = send(app.limited(Method::GET, &path)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body:#}");
    }
    let (status, _) = send(
        app.limited(Method::POST, &format!("{API}/internetaken"))
            .json(&taak(&k, &[&jan])),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(feed_events(&app, "internetaak").await, 0);
    assert_eq!(feed_events(&app, "actor").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_nummer_or_referentienummer_is_unique_in_the_register_as_open_klant_keeps_it() {
    let app = TestApp::spawn_bare().await;
    // Klantcontacten: a second with the same nummer is refused; freed when changed.
    let mut body = klantcontact("telefoon");
    body["nummer"] = json!("1001");
    body["referentienummer"] = json!("77");
    let first = created(&app, "/klantcontacten", &body).await;
    for field in ["nummer", "referentienummer"] {
        let mut again = klantcontact("balie");
        again[field] = body[field].clone();
        let (status, refused) = post(&app, "/klantcontacten", &again).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
        assert_eq!(params(&refused), [(field.to_owned(), "unique".to_owned())]);
    }
    let (status, _) = send(
        app.request(Method::PATCH, &path_of(&app, &first))
            .json(&json!({"nummer": "1002"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut reuse = klantcontact("balie");
    reuse["nummer"] = json!("1001");
    created(&app, "/klantcontacten", &reuse).await;
    let (status, refused) = post(&app, "/maak-klantcontact", &json!({"klantcontact": reuse})).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "maak-klantcontact too: {refused:#}"
    );

    // Internetaken: the same, and deleting one frees its nummer.
    let jan = created(&app, "/actoren", &medewerker("Jan")).await;
    let mut t = taak(&first, &[&jan]);
    t["nummer"] = json!("5");
    let taak1 = created(&app, "/internetaken", &t).await;
    let (status, refused) = post(&app, "/internetaken", &t).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused:#}");
    assert_eq!(params(&refused), [("nummer".into(), "unique".into())]);
    let (status, _) = send(app.request(Method::DELETE, &path_of(&app, &taak1))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    created(&app, "/internetaken", &t).await;
    app.stop().await;
}
