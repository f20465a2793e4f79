//! One database belongs to one tenant: a command with another `--tenant` refuses to start.

mod support;

use std::time::Duration;

use support::TestApp;
use zaakstroom::{Role, ServeArgs};

#[tokio::test]
async fn a_server_with_another_tenant_on_the_database_refuses_to_start() {
    let config = support::test_config().await;
    let app = TestApp::spawn_with(config.clone(), &[Role::Api, Role::Projector]).await;
    app.new_zaak().await;

    let mut other = config.clone();
    other.tenant = format!("{}-other", config.tenant);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let args = ServeArgs {
        listen: listener.local_addr().unwrap(),
        roles: vec![Role::Api, Role::Projector],
    };
    let started = tokio::time::timeout(
        Duration::from_secs(30),
        zaakstroom::serve(&other, &args, listener, std::future::pending()),
    )
    .await
    .expect("a server of another tenant stops at start-up instead of serving");
    let error = format!("{:#}", started.expect_err("refused"));
    assert!(
        error.contains(&format!("belongs to tenant \"{}\"", config.tenant))
            && error.contains(&other.tenant),
        "{error}"
    );
    let migrated = zaakstroom::migrate(&other).await;
    assert!(migrated.is_err(), "migrate refuses another tenant too");

    // The database's own tenant goes on as before.
    assert!(zaakstroom::migrate(&config).await.is_ok());
    app.new_zaak().await;
    app.stop().await;
}
