//! How a write is refused, in the standard's terms and free of HTTP: query-api answers each
//! as its problem+json (`ValidatieFout` with invalidParams, 403, 404, 409, 412), GraphQL
//! as its errors.

use serde::Serialize;

/// One refused field (or `nonFieldErrors`) with the standard's code, as the ZGW
/// `invalidParams` list names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidParam {
    pub name: String,
    pub code: String,
    pub reason: String,
}

impl InvalidParam {
    /// A list's query parameter it does not know (the standard answers 400).
    pub fn unknown_parameter(name: &str) -> Self {
        Self::new(
            "nonFieldErrors",
            "unknown-parameters",
            format!("Onbekende query parameter: {name}"),
        )
    }

    /// An invalidParam of field `name`; a nameless one (e.g. a query parameter `=x`) is a
    /// nonFieldError, as the standard's FieldValidationError.name has at least 1 character.
    pub fn new(name: impl Into<String>, code: &str, reason: impl Into<String>) -> Self {
        let name = name.into();
        Self {
            name: if name.is_empty() {
                "nonFieldErrors".into()
            } else {
                name
            },
            code: code.into(),
            reason: reason.into(),
        }
    }

    /// This refusal under `prefix` (`rollen.0` + `roltype` = `rollen.0.roltype`), for the
    /// parts of a request that carries several resources (the one-call endpoints).
    pub fn nested(mut self, prefix: &str) -> Self {
        self.name = if self.name == "nonFieldErrors" {
            format!("{prefix}.nonFieldErrors")
        } else {
            format!("{prefix}.{}", self.name)
        };
        self
    }
}

/// Why a write did not happen.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WriteError {
    /// The input breaks the standard's rules: every refused field at once.
    #[error("invalid input")]
    Invalid(Vec<InvalidParam>),
    /// The caller's grants do not cover this write.
    #[error("{0}")]
    PermissionDenied(String),
    /// The object written to does not exist (or is not the caller's to see).
    #[error("not found")]
    NotFound,
    /// The object is not at the version the request was conditioned on (If-Match).
    #[error("the object is not at the version the request was conditioned on")]
    PreconditionFailed,
    /// Concurrent writes kept winning for longer than the retry budget.
    #[error("the object kept being changed concurrently")]
    Conflict,
    /// Anything else: a store or database failure (its text decides whether the HTTP
    /// answer is 500 or 503).
    #[error("{0}")]
    Internal(String),
}

impl WriteError {
    pub fn invalid(name: &str, code: &str, reason: impl Into<String>) -> Self {
        Self::Invalid(vec![InvalidParam::new(name, code, reason)])
    }

    pub fn permission_denied() -> Self {
        Self::PermissionDenied("U heeft geen rechten om deze actie uit te voeren.".into())
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(e.to_string())
    }

    /// This refusal's fields under `prefix` (see [`InvalidParam::nested`]).
    pub fn nested(self, prefix: &str) -> Self {
        match self {
            Self::Invalid(params) => {
                Self::Invalid(params.into_iter().map(|p| p.nested(prefix)).collect())
            }
            other => other,
        }
    }
}

impl<E: std::error::Error + 'static, R: Into<WriteError>> From<crate::CommandError<E, R>>
    for WriteError
{
    /// A command's failure that is not its aggregate's own refusal (callers map `Domain`
    /// themselves first; here it is internal).
    fn from(e: crate::CommandError<E, R>) -> Self {
        use crate::CommandError as C;
        match e {
            C::Rejected(r) => r.into(),
            C::PreconditionFailed { .. } => Self::PreconditionFailed,
            C::Contention { .. } => Self::Conflict,
            C::Domain(e) => Self::internal(e),
            C::Store(e) => Self::internal(e),
            C::Decode(e) => Self::internal(e),
        }
    }
}

impl From<crate::ClaimError> for WriteError {
    fn from(e: crate::ClaimError) -> Self {
        Self::internal(e)
    }
}

impl From<std::convert::Infallible> for WriteError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}
