//! The auditor's web page (issue 19) at `GET /audit`: a zaak's, a document's or a besluit's
//! history as a timeline — who, when, what changed (field by field), toelichting, reads,
//! the hash chain's state — and the object as of any point on it (`?asOf=`). Served whole from the binary (`assets/auditor`); the
//! page itself holds no data: its script calls the APIs with the auditor's token, so the
//! same authentication and grants apply as to any client.

use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::assets::Asset;
use crate::error::ApiError;
use crate::AppState;

const PAGE: &str = include_str!("../assets/auditor/index.html");

const ASSETS: &[Asset] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/auditor/app.js"),
    ),
    (
        "page.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/auditor/page.css"),
    ),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(page))
        .route("/audit/assets/{file}", get(asset))
}

async fn page() -> Response {
    crate::assets::page(PAGE)
}

async fn asset(Path(file): Path<String>) -> Result<Response, ApiError> {
    crate::assets::serve(ASSETS, &file)
}
