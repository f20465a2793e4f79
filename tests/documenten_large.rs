//! A larger document through the real server: 50 MB uploaded in bestandsdelen, merged on
//! unlock, downloaded as a stream, compared by SHA-256 (content, not timing).

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use support::documenten::document_body;
use support::TestApp;
use zaakstroom::Role;

const SIZE: usize = 50 * 1000 * 1000;
const DEEL: u64 = 8 * 1024 * 1024;

/// Byte `i` of the test document: not a repeating pattern of the part size.
fn byte(i: usize) -> u8 {
    ((i * 31 + i / 4099) % 251) as u8
}

#[tokio::test]
async fn a_50_mb_document_uploaded_in_bestandsdelen_downloads_with_the_same_sha256() {
    let mut config = support::test_config().await;
    support::nats(&config).await;
    config.bestandsdeel_size = DEEL;
    let app = TestApp::spawn_with(config, &[Role::Api, Role::Projector, Role::Notifier]).await;
    let iot = app.published_informatieobjecttype().await;
    let mut body = document_body(&iot);
    body["bestandsomvang"] = SIZE.into();
    let doc = app.create_document(&body).await;
    let url = doc["url"].as_str().unwrap();
    let lock = doc["lock"].as_str().unwrap();
    let delen = doc["bestandsdelen"].as_array().unwrap();
    assert_eq!(delen.len(), SIZE.div_ceil(DEEL as usize));
    let mut sent = Sha256::new();
    let mut offset = 0;
    for deel in delen {
        let omvang = deel["omvang"].as_u64().unwrap() as usize;
        let bytes: Vec<u8> = (offset..offset + omvang).map(byte).collect();
        sent.update(&bytes);
        let (status, body) = app
            .upload_deel(deel["url"].as_str().unwrap(), lock, bytes)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        offset += omvang;
    }
    assert_eq!(offset, SIZE);
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("{url}/unlock"),
            &json!({ "lock": lock }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let done: Value = app.get_json(url).await;
    assert_eq!(done["bestandsomvang"], SIZE);

    let mut response = app.get(done["inhoud"].as_str().unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (mut received, mut length) = (Sha256::new(), 0);
    while let Some(chunk) = response.chunk().await.unwrap() {
        length += chunk.len();
        received.update(&chunk);
    }
    assert_eq!(length, SIZE);
    assert_eq!(received.finalize(), sent.finalize());
    app.stop().await;
}
