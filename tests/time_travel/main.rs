//! Time travel (issue 19): a detail GET with `?asOf=<instant>` (or `Accept-Datetime`)
//! answers with the object as it was then, as GET answered at that moment; 404 before it
//! existed, 410 after it was deleted; the grants as it was then and as it is now both
//! apply.

#[path = "../support/mod.rs"]
mod support;

mod applicaties;
mod catalogi;
mod documenten;
mod graphql;
mod klantinteracties;

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::besluiten::{besluit_body, API as BESLUITEN};
use support::TestApp;

/// An instant strictly after everything so far, and strictly before what follows.
async fn instant() -> DateTime<Utc> {
    tokio::time::sleep(Duration::from_millis(5)).await;
    let now = Utc::now();
    tokio::time::sleep(Duration::from_millis(5)).await;
    now
}

fn as_of(path: &str, at: DateTime<Utc>) -> String {
    let at = at.to_rfc3339_opts(SecondsFormat::Micros, true);
    format!("{path}?asOf={}", at.replace('+', "%2B"))
}

/// A resource's life as time travel shows it: as of each step, what GET answered then
/// (with `Memento-Datetime`); not found before it existed (`before`); deleted now, gone
/// after and as it was before.
async fn read_back_then_delete(
    app: &TestApp,
    path: &str,
    before: DateTime<Utc>,
    steps: &[(DateTime<Utc>, Value)],
) {
    for (i, (at, then)) in steps.iter().enumerate() {
        let response = app.get(&as_of(path, *at)).await;
        assert_eq!(response.status(), StatusCode::OK, "step {i}");
        assert!(response.headers().contains_key("memento-datetime"));
        assert_eq!(&response.json::<Value>().await.unwrap(), then, "step {i}");
    }
    let early = app.get(&as_of(path, before)).await;
    assert_eq!(early.status(), StatusCode::NOT_FOUND);
    let deleted = app.request(Method::DELETE, path).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = app.get(&as_of(path, instant().await)).await;
    assert_eq!(gone.status(), StatusCode::GONE);
    let (last_at, last) = steps.last().expect("a step");
    assert_eq!(&app.get_json(&as_of(path, *last_at)).await, last);
}

/// PATCHes `path` with `body` and adds the step: an instant after it and what GET answers.
async fn patched(app: &TestApp, path: &str, body: Value, steps: &mut Vec<(DateTime<Utc>, Value)>) {
    send(app, Method::PATCH, path, body).await;
    steps.push((instant().await, app.get_json(path).await));
}

async fn send(app: &TestApp, method: Method, path: &str, body: Value) -> Value {
    let response = app.request(method, path).json(&body).send().await.unwrap();
    let status = response.status();
    let answer: Value = response.json().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {answer}");
    answer
}

#[tokio::test]
async fn a_zaak_and_its_parts_read_as_of_each_step_are_what_get_answered_then() {
    let app = TestApp::spawn().await;
    let before = instant().await;
    let zaak = app.new_zaak().await;
    let path = app.path_of(&zaak);
    let mut steps: Vec<(DateTime<Utc>, Value)> = Vec::new();
    steps.push((instant().await, app.get_json(&path).await));
    send(
        &app,
        Method::PATCH,
        &path,
        json!({"toelichting": "eerste wijziging"}),
    )
    .await;
    steps.push((instant().await, app.get_json(&path).await));
    let status = send(
        &app,
        Method::POST,
        "/zaken/api/v1/statussen",
        json!({"zaak": zaak["url"],
        "statustype": app.types.statustypen[0], "datumStatusGezet": Utc::now().to_rfc3339()}),
    )
    .await;
    let status_path = app.path_of(&status);
    let after_status = instant().await;
    steps.push((after_status, app.get_json(&path).await));
    let status_then = app.get_json(&status_path).await;
    let rol = send(
        &app,
        Method::POST,
        "/zaken/api/v1/rollen",
        json!({"zaak": zaak["url"],
        "betrokkeneType": "natuurlijk_persoon", "roltype": app.types.roltype,
        "roltoelichting": "aanvrager", "betrokkeneIdentificatie": {"inpBsn": "111222333"}}),
    )
    .await;
    steps.push((instant().await, app.get_json(&path).await));
    send(
        &app,
        Method::PATCH,
        &path,
        json!({"omschrijving": "tweede wijziging"}),
    )
    .await;
    steps.push((instant().await, app.get_json(&path).await));
    for (i, (at, then)) in steps.iter().enumerate() {
        let response = app.get(&as_of(&path, *at)).await;
        assert_eq!(response.status(), StatusCode::OK, "step {i}");
        assert!(
            response.headers().contains_key("memento-datetime"),
            "step {i}"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(&body, then, "step {i}: as of {at}");
    }
    // Before it existed: not found. A bad instant: 400.
    let early = app.get(&as_of(&path, before)).await;
    assert_eq!(early.status(), StatusCode::NOT_FOUND);
    let bad = app.get(&format!("{path}?asOf=gisteren")).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    // The status: not yet before it was set, as GET showed it after.
    let absent = app.get(&as_of(&status_path, steps[1].0)).await;
    assert_eq!(absent.status(), StatusCode::NOT_FOUND);
    let shown: Value = app.get_json(&as_of(&status_path, after_status)).await;
    assert_eq!(shown, status_then);
    // Memento: Accept-Datetime (whole seconds), answered with the time of the change shown.
    let next_second = steps[4].0 + chrono::Duration::seconds(1);
    let http_date = next_second.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let memento = app
        .request(Method::GET, &path)
        .header("Accept-Datetime", &http_date)
        .send()
        .await
        .unwrap();
    assert_eq!(memento.status(), StatusCode::OK);
    assert_eq!(memento.headers()["vary"], "accept-datetime");
    let shown_at = memento.headers()["memento-datetime"]
        .to_str()
        .unwrap()
        .to_owned();
    let shown_at = DateTime::parse_from_rfc2822(&shown_at).unwrap();
    assert!(shown_at <= DateTime::parse_from_rfc2822(&http_date).unwrap());
    // A part removed since: as it was before, gone after.
    let rol_path = app.path_of(&rol);
    let rol_then = app.get_json(&rol_path).await;
    let while_there = instant().await;
    let removed = app.request(Method::DELETE, &rol_path).send().await.unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let after_removal = instant().await;
    assert_eq!(app.get(&rol_path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get_json(&as_of(&rol_path, while_there)).await, rol_then);
    let rol_gone = app.get(&as_of(&rol_path, after_removal)).await;
    assert_eq!(rol_gone.status(), StatusCode::GONE);
    // Deleted: gone after, as it was before; its parts likewise.
    let before_deletion = instant().await;
    let deleted = app.request(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = app.get(&as_of(&path, instant().await)).await;
    assert_eq!(gone.status(), StatusCode::GONE);
    let status_gone = app.get(&as_of(&status_path, instant().await)).await;
    assert_eq!(status_gone.status(), StatusCode::GONE);
    let status_before = app.get(&as_of(&status_path, before_deletion)).await;
    assert_eq!(status_before.status(), StatusCode::OK);
    let last = app.get(&as_of(&path, steps[4].0)).await;
    let last_status = last.status();
    assert_eq!(
        last_status,
        StatusCode::OK,
        "{}",
        last.text().await.unwrap()
    );
    app.stop().await;
}

#[tokio::test]
async fn the_stricter_of_then_and_now_decides_who_may_read_the_past() {
    let app = TestApp::spawn().await;
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": app.types.zaaktype, "maxVertrouwelijkheidaanduiding": "openbaar"}]))
        .await;
    // Openbaar then, vertrouwelijk now: the past is closed too.
    let zaak = app.new_zaak().await;
    let path = app.path_of(&zaak);
    let open_then = instant().await;
    send(
        &app,
        Method::PATCH,
        &path,
        json!({"vertrouwelijkheidaanduiding": "vertrouwelijk"}),
    )
    .await;
    let limited = |p: String| app.limited(Method::GET, &p).send();
    assert_eq!(
        limited(as_of(&path, open_then)).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    // Geheim then, openbaar now: the present is open, the past is not.
    let mut secret = app.zaak_body();
    secret["vertrouwelijkheidaanduiding"] = json!("geheim");
    let secret: Value = app.create_zaak(&secret).await.json().await.unwrap();
    let secret_path = app.path_of(&secret);
    let secret_then = instant().await;
    send(
        &app,
        Method::PATCH,
        &secret_path,
        json!({"vertrouwelijkheidaanduiding": "openbaar"}),
    )
    .await;
    let now = instant().await;
    assert_eq!(
        limited(as_of(&secret_path, now)).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        limited(as_of(&secret_path, secret_then))
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}

#[tokio::test]
async fn a_besluit_as_of_an_instant_is_what_get_answered_then() {
    let app = TestApp::spawn().await;
    let types = app.besluit_types("TIJD").await;
    let zaak = app.new_zaak_of(&types.zaaktype).await;
    let before = instant().await;
    let besluit = app
        .new_besluit(&besluit_body(&types.besluittype, zaak["url"].as_str()))
        .await;
    let path = app.path_of(&besluit);
    let first = (instant().await, app.get_json(&path).await);
    send(
        &app,
        Method::PATCH,
        &path,
        json!({"toelichting": "herzien"}),
    )
    .await;
    let second = (instant().await, app.get_json(&path).await);
    assert_ne!(first.1, second.1);
    for (at, then) in [&first, &second] {
        assert_eq!(&app.get_json(&as_of(&path, *at)).await, then);
    }
    assert!(path.starts_with(BESLUITEN));
    // GraphQL: the zaak's besluiten as they were (none before this one was made).
    let uuid = zaak["uuid"].as_str().unwrap();
    let query = |t: DateTime<Utc>| {
        let t = graphql::at(t);
        format!("{{ zaak(uuid: \"{uuid}\", asOf: \"{t}\") {{ besluiten {{ resource }} }} }}")
    };
    let none = app.graphql(&query(before)).await;
    assert_eq!(none["data"]["zaak"]["besluiten"], json!([]), "{none}");
    let then = app.graphql(&query(first.0)).await;
    let besluiten = &then["data"]["zaak"]["besluiten"];
    assert_eq!(besluiten, &json!([{"resource": first.1}]), "{then}");
    app.stop().await;
}

#[tokio::test]
async fn graphql_reads_a_zaak_and_its_parts_as_of_an_instant() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let uuid = zaak["uuid"].as_str().unwrap();
    let path = app.path_of(&zaak);
    let before_status = (instant().await, app.get_json(&path).await);
    let status = send(
        &app,
        Method::POST,
        "/zaken/api/v1/statussen",
        json!({"zaak": zaak["url"],
        "statustype": app.types.statustypen[0], "datumStatusGezet": Utc::now().to_rfc3339()}),
    )
    .await;
    let after_status = (instant().await, app.get_json(&path).await);
    let query = |at: DateTime<Utc>| {
        format!(
            "{{ zaak(uuid: \"{uuid}\", asOf: \"{}\") {{ resource statussen {{ url }} }} }}",
            at.to_rfc3339_opts(SecondsFormat::Micros, true)
        )
    };
    let then = app.graphql(&query(before_status.0)).await;
    assert_eq!(then["data"]["zaak"]["resource"], before_status.1, "{then}");
    assert_eq!(then["data"]["zaak"]["statussen"], json!([]));
    let later = app.graphql(&query(after_status.0)).await;
    assert_eq!(later["data"]["zaak"]["resource"], after_status.1, "{later}");
    assert_eq!(
        later["data"]["zaak"]["statussen"],
        json!([{"url": status["url"]}])
    );
    // Before it existed, and for a client that may not read it: null.
    let early = app
        .graphql(&query(Utc::now() - chrono::Duration::days(1)))
        .await;
    assert!(early["data"]["zaak"].is_null(), "{early}");
    // A client that may read it only while openbaar: it was then, it is not now.
    app.grant_limited(json!([{"component": "zrc", "scopes": ["zaken.lezen"],
        "zaaktype": app.types.zaaktype, "maxVertrouwelijkheidaanduiding": "openbaar"}]))
        .await;
    let (id, secret) = (support::LIMITED_ID, support::LIMITED_SECRET);
    let open = app.graphql_as(id, secret, &query(after_status.0)).await;
    assert_eq!(open["data"]["zaak"]["resource"], after_status.1, "{open}");
    send(
        &app,
        Method::PATCH,
        &path,
        json!({"vertrouwelijkheidaanduiding": "vertrouwelijk"}),
    )
    .await;
    let hidden = app.graphql_as(id, secret, &query(after_status.0)).await;
    assert!(hidden["errors"].is_null(), "{hidden}");
    assert!(hidden["data"]["zaak"].is_null(), "{hidden}");
    app.stop().await;
}

/// A zaak past a few snapshots' worth of events: every step read as of its instant is what
/// GET answered then, whether the read starts from a snapshot or from the first event; the
/// read does start from the latest snapshot before the instant, and passes over one that
/// no longer decodes.
#[tokio::test]
async fn a_long_history_reads_the_same_from_its_snapshots() {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let path = app.path_of(&zaak);
    let every = projections::snapshots::EVERY as usize;
    let mut steps: Vec<(DateTime<Utc>, Value)> = Vec::new();
    // Revision 0 is the creation: after the loop the stream holds 2 * EVERY + 11 events.
    for n in 1..=(2 * every + 10) {
        let body = json!({"toelichting": format!("wijziging {n}")});
        send(&app, Method::PATCH, &path, body).await;
        steps.push((instant().await, app.get_json(&path).await));
    }
    for (i, (at, then)) in steps.iter().enumerate() {
        let revision = i + 1;
        // Around each snapshot and a sample between them.
        if revision % every > 2 && revision % every < every - 2 && revision % 17 != 0 {
            continue;
        }
        let past = app.get_json(&as_of(&path, *at)).await;
        assert_eq!(&past, then, "revision {revision}");
    }
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let stream = format!("zaak-{}", path.rsplit('/').next().unwrap());
    let revisions: Vec<i64> = sqlx::query_scalar(
        "SELECT revision FROM aggregate_snapshots WHERE stream = $1 ORDER BY revision",
    )
    .bind(&stream)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(revisions, [every as i64 - 1, 2 * every as i64 - 1]);

    // The fold starts from the snapshot: one edited in place shows through...
    let (at, _) = &steps[2 * every - 2]; // right after revision 2 * EVERY - 1
    sqlx::query(
        "UPDATE aggregate_snapshots SET state = jsonb_set(state::jsonb, \
         '{attributes,toelichting}', '\"uit de snapshot\"')::json \
         WHERE stream = $1 AND revision = $2",
    )
    .bind(&stream)
    .bind(2 * every as i64 - 1)
    .execute(&pool)
    .await
    .unwrap();
    let past = app.get_json(&as_of(&path, *at)).await;
    assert_eq!(past["toelichting"], "uit de snapshot");
    // ...and one that no longer decodes is passed over: the events tell.
    sqlx::query("UPDATE aggregate_snapshots SET state = '{\"vorm\": \"oud\"}' WHERE stream = $1")
        .bind(&stream)
        .execute(&pool)
        .await
        .unwrap();
    let past = app.get_json(&as_of(&path, *at)).await;
    assert_eq!(past, steps[2 * every - 2].1);
}
