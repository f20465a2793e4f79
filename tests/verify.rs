//! `zaakstroom verify` and `zaakstroom checkpoint` as an operator runs them: the real binary
//! on the database a server wrote, its output and exit codes, after tampering in SQL.

mod support;

use std::process::{Command, Output};

use reqwest::Method;
use serde_json::json;
use support::TestApp;

fn run(app: &TestApp, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zaakstroom"))
        .args(args)
        .env("DATABASE_URL", &app.config.database_url)
        .env_remove("EVENTSTORE_URL")
        .env_remove("ZAAKSTROOM_CHECKPOINT_KEY")
        .env_remove("ZAAKSTROOM_CHECKPOINT_PUBLIC_KEY")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `sql` past the log's append-only trigger.
async fn tamper(app: &TestApp, sql: &str) {
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    event_store::testing::tamper(&pool, sql).await;
}

/// Rewrites `stream` from revision 1 on with another toelichting in every event, each hash
/// recomputed and the stream table's head with them.
async fn rewrite_consistently(app: &TestApp, stream: &str) {
    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let store = event_store::postgres::PgEventStore::new(pool.clone());
    let events = event_store::EventStore::read_stream(&store, stream, 0)
        .await
        .unwrap();
    let sql = event_store::testing::consistent_rewrite(&events, |e| {
        e.metadata.toelichting = "nooit gezegd".into();
    });
    event_store::testing::tamper(&pool, &sql).await;
}

#[tokio::test]
async fn verify_passes_on_a_real_log_then_finds_each_kind_of_tampering_and_a_checkpoint_finds_a_rewrite(
) {
    let app = TestApp::spawn().await;
    let zaak = app.new_zaak().await;
    let changed = app
        .request(Method::PATCH, &app.path_of(&zaak))
        .json(&json!({"omschrijving": "gewijzigd"}))
        .send()
        .await
        .unwrap();
    assert!(changed.status().is_success(), "{:?}", changed.text().await);
    let uuid = zaak["uuid"].as_str().unwrap().to_owned();
    let stream = format!("zaak-{uuid}");
    let dir = std::env::temp_dir().join(format!("zaakstroom-verify-{}", uuid::Uuid::new_v4()));
    let key = dir.join("signing.key");
    let cp = dir.join("cp.json");
    let (key, cp) = (key.to_str().unwrap(), cp.to_str().unwrap());

    let out = run(&app, &["verify"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(": no faults"),
        "{}",
        text(&out)
    );

    // Sealing makes the key it needs, says so with the public key, never the secret.
    let out = run(
        &app,
        &["checkpoint", "seal", "--signing-key", key, "--out", cp],
    );
    assert!(out.status.success(), "{}", text(&out));
    let secret = std::fs::read_to_string(key).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("made a new checkpoint signing key"),
        "{}",
        text(&out)
    );
    assert!(
        !text(&out).contains(secret.trim()),
        "the secret is never printed"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let public = run(&app, &["checkpoint", "public-key", "--signing-key", key]);
    let public = String::from_utf8(public.stdout).unwrap().trim().to_owned();
    assert_eq!(public.len(), 64);
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cp).unwrap()).unwrap();
    assert_eq!(document["public_key"], public.as_str());
    assert!(document["heads"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["stream"] == stream.as_str()));

    // Outside our code, the script recomputes the signed root.
    let script = Command::new("python3")
        .args([
            concat!(env!("CARGO_MANIFEST_DIR"), "/ops/hash-chain.py"),
            "checkpoint",
            cp,
        ])
        .output()
        .unwrap();
    assert!(script.status.success(), "{}", text(&script));

    let out = run(&app, &["verify", "--against", cp, "--public-key", &public]);
    assert!(out.status.success(), "{}", text(&out));

    // A consistent rewrite: invisible inside the database, caught against the checkpoint.
    rewrite_consistently(&app, &stream).await;
    let out = run(&app, &["verify"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = run(&app, &["verify", "--against", cp, "--public-key", &public]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with(&format!("FAULT {stream} revision "))
                && l.contains("history was rewritten")),
        "{}",
        text(&out)
    );
    // Signed by someone else: refused whatever the log says.
    let other = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    let out = run(&app, &["verify", "--against", cp, "--public-key", other]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not with the trusted key"),
        "{}",
        text(&out)
    );

    // An edited payload: found at its stream and revision, by the whole walk and by --stream.
    tamper(
        &app,
        &format!(
            r#"UPDATE es_events SET payload = payload || '{{"vervalst": true}}'
           WHERE stream = '{stream}' AND revision = 0"#
        ),
    )
    .await;
    for args in [vec!["verify"], vec!["verify", "--stream", &stream]] {
        let out = run(&app, &args);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.lines().any(
                |l| l.starts_with(&format!("FAULT {stream} revision 0 (position "))
                    && l.contains("content changed")
            ),
            "{}",
            text(&out)
        );
        assert!(stdout.contains(": 1 faulty stream\n"), "{}", text(&out));
    }
    // Sealing refuses a log with faults.
    let out = run(&app, &["checkpoint", "seal", "--signing-key", key]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("nothing sealed"),
        "{}",
        text(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
    app.stop().await;
}
