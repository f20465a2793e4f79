//! GraphiQL works on a closed network: the page at GET /graphql loads only files the server
//! itself serves, its Content-Security-Policy forbids anything else, and a real browser
//! (headless Chromium, on this offline machine) renders the GraphiQL editor from them.

mod support;

use reqwest::{header, StatusCode};
use support::TestApp;

const ASSETS: [(&str, &str); 6] = [
    ("graphiql.min.js", "text/javascript"),
    ("graphiql.min.css", "text/css"),
    ("react.production.min.js", "text/javascript"),
    ("react-dom.production.min.js", "text/javascript"),
    ("start.js", "text/javascript"),
    ("page.css", "text/css"),
];

#[tokio::test]
async fn the_graphiql_page_loads_nothing_from_elsewhere() {
    let app = TestApp::spawn().await;
    let page = app.http.get(app.url("/graphql")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains("//unpkg"),
        "the page names no other host: {html}"
    );
    for (file, content_type) in ASSETS {
        let path = format!("graphql/assets/{file}");
        assert!(html.contains(&path), "the page loads {path}");
        let response = app
            .http
            .get(app.url(&format!("/{path}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let served = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(served.starts_with(content_type), "{path}: {served}");
        assert!(!response.bytes().await.unwrap().is_empty());
    }
    let missing = app
        .http
        .get(app.url("/graphql/assets/nope.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_headless_browser_renders_graphiql_offline() {
    let app = TestApp::spawn().await;
    let (dom, stderr) = support::browser::dump_dom(
        "a_headless_browser_renders_graphiql_offline",
        app.url("/graphql"),
        15000,
    )
    .await;
    assert!(
        dom.contains("graphiql-container") && dom.contains("graphiql-editor"),
        "GraphiQL rendered; stderr: {}\ndom: {dom}",
        stderr
    );
    assert!(
        !dom.contains("GraphiQL wordt geladen"),
        "the placeholder was replaced"
    );
    app.stop().await;
}
