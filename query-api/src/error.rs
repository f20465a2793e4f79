//! One error type for every API: rendered as ZGW problem+json (`Fout` / `ValidatieFout`),
//! with details of 5xx hidden from the client and logged once, by the middleware.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub use commands::{InvalidParam, WriteError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid input")]
    Validation(Vec<InvalidParam>),
    /// A JWT-ZGW failure; the standard answers every one with 403 and a specific code.
    #[error("{detail}")]
    Authentication { code: &'static str, detail: String },
    #[error("{0}")]
    PermissionDenied(String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    PreconditionFailed(String),
    /// Concurrent writes to the same object kept winning for longer than the retry budget.
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The database cannot be reached now: 503 with Retry-After, answered as soon as the
    /// pool's short acquire timeout passes instead of after a long hang.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A refusal at the HTTP level: a body or header over its limit, a body that did not
    /// arrive in time, a method the route does not have, a body axum could not read.
    #[error("{detail}")]
    Http {
        status: StatusCode,
        code: &'static str,
        detail: String,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

/// Seconds a client is asked to wait (Retry-After) when the database is unreachable.
pub const RETRY_AFTER_SECONDS: u32 = 5;

/// Errors of the database driver (their text, as every layer passes it on) that mean the
/// database cannot be reached now rather than that a request or the server is wrong.
const UNAVAILABLE: &[&str] = &[
    "pool timed out while waiting for an open connection",
    "attempted to acquire a connection on a closed pool",
    "error communicating with database",
    "error occurred while attempting to establish a TLS connection",
    "terminating connection due to administrator command",
    "the database system is shutting down",
    "the database system is starting up",
    "the database system is in recovery mode",
];

impl ApiError {
    /// A server error; 503 instead when the cause is an unreachable database.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        let message = e.to_string();
        if UNAVAILABLE.iter().any(|m| message.contains(m)) {
            Self::Unavailable(message)
        } else {
            Self::Internal(message)
        }
    }

    /// A refusal at the HTTP level with its status, code and detail.
    pub fn http(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self::Http {
            status,
            code,
            detail: detail.into(),
        }
    }

    /// Whether this answers "there is no such object for you" (403, 404, 410): what a
    /// GraphQL field shows as null rather than as an error.
    pub fn hides_the_object(&self) -> bool {
        match self {
            Self::PermissionDenied(_) | Self::NotFound => true,
            Self::Http { status, .. } => *status == StatusCode::GONE,
            _ => false,
        }
    }

    pub fn permission_denied() -> Self {
        Self::PermissionDenied("U heeft geen rechten om deze actie uit te voeren.".into())
    }

    pub fn invalid(name: &str, code: &str, reason: impl Into<String>) -> Self {
        Self::Validation(vec![InvalidParam::new(name, code, reason)])
    }

    /// A query parameter the operation does not know (400 `unknown-parameters`).
    pub fn unknown_parameter(name: &str) -> Self {
        Self::invalid(
            "nonFieldErrors",
            "unknown-parameters",
            format!("Onbekende query parameter: {name}"),
        )
    }

    /// This error as a GraphQL error: the message is the problem's detail (hidden for a
    /// server error, as in REST), the extensions its status, code and invalidParams.
    pub fn graphql(self) -> async_graphql::Error {
        use async_graphql::ErrorExtensions;
        let (status, _, code, detail) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = %self, "graphql mutation failed");
        }
        let params = match &self {
            Self::Validation(params) => serde_json::to_value(params).unwrap_or_default(),
            _ => serde_json::Value::Array(Vec::new()),
        };
        let code = code.to_owned();
        async_graphql::Error::new(detail).extend_with(|_, e| {
            e.set("status", status.as_u16());
            e.set("code", code.clone());
            if let Ok(params) = async_graphql::Value::from_json(params.clone()) {
                e.set("invalidParams", params);
            }
        })
    }

    fn parts(&self) -> (StatusCode, &'static str, &str, String) {
        use StatusCode as S;
        match self {
            Self::Validation(_) => (
                S::BAD_REQUEST,
                "ValidationError",
                "invalid",
                "Invalid input.".into(),
            ),
            Self::Authentication { code, detail } => {
                (S::FORBIDDEN, "PermissionDenied", code, detail.clone())
            }
            Self::PermissionDenied(d) => (
                S::FORBIDDEN,
                "PermissionDenied",
                "permission_denied",
                d.clone(),
            ),
            Self::NotFound => (
                S::NOT_FOUND,
                "NotFound",
                "not_found",
                "Niet gevonden.".into(),
            ),
            Self::NotAcceptable(d) => (
                S::NOT_ACCEPTABLE,
                "NotAcceptable",
                "not_acceptable",
                d.clone(),
            ),
            Self::PreconditionFailed(d) => (
                S::PRECONDITION_FAILED,
                "PreconditionFailed",
                "precondition_failed",
                d.clone(),
            ),
            Self::Conflict(d) => (S::CONFLICT, "Conflict", "conflict", d.clone()),
            Self::UnsupportedMediaType(d) => (
                S::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                "unsupported_media_type",
                d.clone(),
            ),
            Self::Unavailable(_) => (
                S::SERVICE_UNAVAILABLE,
                "ServiceUnavailable",
                "service_unavailable",
                "De dienst is tijdelijk niet beschikbaar; probeer het later opnieuw.".into(),
            ),
            Self::Http {
                status,
                code,
                detail,
            } => (*status, kind(*status), code, detail.clone()),
            Self::Internal(_) => (
                S::INTERNAL_SERVER_ERROR,
                "APIException",
                "error",
                "Er is een serverfout opgetreden.".into(),
            ),
        }
    }
}

fn title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Invalid input.",
        403 => "You do not have permission to perform this action.",
        404 => "Not found.",
        405 => "Method not allowed.",
        406 => "Could not satisfy the request Accept header.",
        408 => "Request timeout.",
        409 => "Conflict.",
        411 => "Length required.",
        412 => "Precondition failed.",
        413 => "Request entity too large.",
        414 => "Request URI too long.",
        415 => "Unsupported media type.",
        431 => "Request header fields too large.",
        503 => "Service temporarily unavailable.",
        _ if status.is_client_error() => "Invalid request.",
        _ => "A server error occurred.",
    }
}

/// The `type` name of an HTTP-level refusal (DRF's exception names where it has one).
fn kind(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "ParseError",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        411 => "LengthRequired",
        413 => "RequestEntityTooLarge",
        414 => "RequestUriTooLong",
        415 => "UnsupportedMediaType",
        431 => "RequestHeaderFieldsTooLarge",
        503 => "ServiceUnavailable",
        _ if status.is_client_error() => "ClientError",
        _ => "APIException",
    }
}

/// The error, kept on the response so the logging middleware can log it once.
#[derive(Clone)]
pub struct LoggedError(pub std::sync::Arc<String>);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, kind, code, detail) = self.parts();
        let instance = format!("urn:uuid:{}", uuid::Uuid::new_v4());
        let mut body = json!({
            "type": format!("/ref/fouten/{kind}/"),
            "code": code,
            "title": title(status),
            "status": status.as_u16(),
            "detail": detail,
            "instance": instance,
        });
        if let Self::Validation(params) = &self {
            body["invalidParams"] = json!(params);
        }
        let mut response = (status, axum::Json(body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Self::Unavailable(_) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        if status.is_server_error() {
            response
                .extensions_mut()
                .insert(LoggedError(std::sync::Arc::new(format!(
                    "{self} ({instance})"
                ))));
        }
        response
    }
}

impl From<std::convert::Infallible> for ApiError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

impl From<WriteError> for ApiError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Invalid(params) => Self::Validation(params),
            WriteError::PermissionDenied(detail) => Self::PermissionDenied(detail),
            WriteError::NotFound => Self::NotFound,
            WriteError::PreconditionFailed => Self::PreconditionFailed(
                "De ETag in If-Match is niet die van de huidige versie van het object.".into(),
            ),
            WriteError::Conflict => Self::Conflict(
                "Het object werd tegelijk door anderen gewijzigd; probeer het opnieuw.".into(),
            ),
            WriteError::Internal(message) => Self::internal(message),
        }
    }
}

/// How an adapter of a `commands` port (an SQL lookup, a fetch from another API) passes
/// its failure back to the write side.
impl From<ApiError> for WriteError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Validation(params) => Self::Invalid(params),
            ApiError::PermissionDenied(detail) => Self::PermissionDenied(detail),
            ApiError::NotFound => Self::NotFound,
            ApiError::PreconditionFailed(_) => Self::PreconditionFailed,
            ApiError::Conflict(_) => Self::Conflict,
            ApiError::Internal(message) | ApiError::Unavailable(message) => Self::Internal(message),
            other => Self::Internal(other.to_string()),
        }
    }
}
