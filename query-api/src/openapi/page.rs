//! The documentation page of each API (`{api}/schema/`): Redoc 2.5.4 rendering the API's
//! own document, vendored in `query-api/assets/redoc` (see its README).

use axum::extract::Path;
use axum::response::Response;

use crate::assets::Asset;
use crate::error::ApiError;

const PAGE: &str = include_str!("../../assets/redoc/index.html");

const ASSETS: &[Asset] = &[
    (
        "redoc.standalone.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/redoc/redoc.standalone.js"),
    ),
    (
        "start.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/redoc/start.js"),
    ),
    (
        "page.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/redoc/page.css"),
    ),
];

pub async fn page() -> Response {
    crate::assets::page(PAGE)
}

/// GET /schema-assets/{file}: one of the page's files.
pub async fn asset(Path(file): Path<String>) -> Result<Response, ApiError> {
    crate::assets::serve(ASSETS, &file)
}
