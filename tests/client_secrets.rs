//! A client's secret and rights are resolved on every request, so a change counts on the
//! very next one — also now that the opened secret and the parsed autorisaties are reused
//! while they are unchanged (`query_api::clients`).

mod support;

use reqwest::Method;
use support::{TestApp, CLIENT_ID, SECRET, SECRET_KEY};

async fn status_with(app: &TestApp, secret: &str) -> u16 {
    app.request_as(CLIENT_ID, secret, Method::GET, "/zaken/api/v1/zaken")
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_new_client_secret_counts_on_the_very_next_request() {
    let app = TestApp::spawn().await;
    assert_eq!(status_with(&app, SECRET).await, 200);
    assert_eq!(status_with(&app, SECRET).await, 200, "resolved again");

    let pool = sqlx::PgPool::connect(&app.config.database_url)
        .await
        .unwrap();
    let key = SECRET_KEY.parse().unwrap();
    query_api::secrets::set(&pool, &key, CLIENT_ID, "a-new-secret")
        .await
        .unwrap();
    assert_eq!(status_with(&app, SECRET).await, 403, "the old secret");
    assert_eq!(status_with(&app, "a-new-secret").await, 200);

    query_api::secrets::remove(&pool, CLIENT_ID).await.unwrap();
    assert_eq!(status_with(&app, "a-new-secret").await, 403, "no secret");
}
