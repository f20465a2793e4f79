//! GraphiQL at GET /graphql, served whole from the binary: the page and every file it loads
//! (GraphiQL 3.9.0 and React 18.3.1, vendored in `query-api/assets/graphiql`, see its
//! README). Nothing comes from the internet, and the page's Content-Security-Policy lets
//! the browser load nothing from elsewhere either.

use axum::extract::Path;
use axum::response::Response;

use crate::assets::Asset;
use crate::error::ApiError;

const PAGE: &str = include_str!("../../assets/graphiql/index.html");

/// Each file the page loads: name, content type, bytes.
const ASSETS: &[Asset] = &[
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "start.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/start.js"),
    ),
    (
        "page.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/page.css"),
    ),
];

pub async fn page() -> Response {
    crate::assets::page(PAGE)
}

/// GET /graphql/assets/{file}: one of the page's files.
pub async fn asset(Path(file): Path<String>) -> Result<Response, ApiError> {
    crate::assets::serve(ASSETS, &file)
}
