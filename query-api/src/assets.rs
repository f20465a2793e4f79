//! Files served whole from the binary (the GraphiQL and API documentation pages and what
//! they load): nothing comes from the internet, and the pages' Content-Security-Policy lets
//! the browser load nothing from elsewhere either.

use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};

use crate::error::ApiError;

/// A file: name, content type, bytes.
pub type Asset = (&'static str, &'static str, &'static [u8]);

/// Scripts and styles from this server only (inline styles allowed: GraphiQL, React and
/// Redoc set them); requests only to it; workers (Redoc's search) from blobs it makes.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// An HTML page under the policy.
pub fn page(html: &'static str) -> Response {
    let mut response = Html(html).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    response
}

/// The file `name` of `assets` (cacheable: they change only with the server).
pub fn serve(assets: &[Asset], name: &str) -> Result<Response, ApiError> {
    let (_, content_type, bytes) = assets
        .iter()
        .find(|(file, _, _)| *file == name)
        .ok_or(ApiError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, *content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        *bytes,
    )
        .into_response())
}
