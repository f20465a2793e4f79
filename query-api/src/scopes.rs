//! Which scope each operation needs, as data: every API module lists its operations as
//! `(method, path, scope)` (alternatives as `a|b`; an alternative on another component as
//! `{component}:{scope}`, e.g. `zrc:zaken.lezen`), and the `Caller` extractor checks the
//! table before a handler runs. An operation missing from the table is refused (fail
//! closed) and logged, so a new route cannot silently go unguarded.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::http::Method;
use event_schemas::applicatie::Component;

use crate::authorisation::Authorisation;
use crate::error::ApiError;

/// One API's operations under its base path.
pub struct Api {
    pub prefix: &'static str,
    pub component: Component,
    pub operations: &'static [(&'static str, &'static str, &'static str)],
    /// The name and version it serves (its OpenAPI document's `info`).
    pub title: &'static str,
    pub version: &'static str,
    /// The query parameters each operation `(method, path)` accepts.
    pub parameters: fn(&str, &str) -> Vec<crate::openapi::params::QueryParam>,
}

/// Operations that need an authenticated client but no scope of their own: what they
/// show is filtered per object by the same grants (GraphQL, the change feed).
const AUTHENTICATED_ONLY: &[(&str, &str)] = &[
    ("GET", "/graphql"),
    ("POST", "/graphql"),
    ("GET", "/events"),
    ("GET", "/events/chain"),
];

pub const APIS: &[Api] = &[
    Api {
        prefix: "/zaken/api/v1",
        component: Component::Zrc,
        operations: crate::zaken::SCOPES,
        title: "Zaken API",
        version: crate::zaken::API_VERSION,
        parameters: crate::zaken::query_parameters,
    },
    Api {
        prefix: "/autorisaties/api/v1",
        component: Component::Ac,
        operations: crate::autorisaties::SCOPES,
        title: "Autorisaties API",
        version: crate::autorisaties::API_VERSION,
        parameters: crate::autorisaties::query_parameters,
    },
    Api {
        prefix: "/catalogi/api/v1",
        component: Component::Ztc,
        operations: crate::catalogi::SCOPES,
        title: "Catalogi API",
        version: crate::catalogi::API_VERSION,
        parameters: crate::catalogi::query_parameters,
    },
    Api {
        prefix: "/besluiten/api/v1",
        component: Component::Brc,
        operations: crate::besluiten::SCOPES,
        title: "Besluiten API",
        version: crate::besluiten::API_VERSION,
        parameters: crate::besluiten::query_parameters,
    },
    Api {
        prefix: "/documenten/api/v1",
        component: Component::Drc,
        operations: crate::documenten::SCOPES,
        title: "Documenten API",
        version: crate::documenten::API_VERSION,
        parameters: crate::documenten::query_parameters,
    },
    Api {
        prefix: "/notificaties/api/v1",
        component: Component::Nrc,
        operations: crate::notificaties::SCOPES,
        title: "Notificaties API",
        version: crate::notificaties::API_VERSION,
        parameters: crate::notificaties::query_parameters,
    },
    Api {
        prefix: crate::klantinteracties::PREFIX,
        component: Component::Kic,
        operations: crate::klantinteracties::SCOPES,
        title: "klantinteracties",
        version: crate::klantinteracties::API_VERSION,
        parameters: crate::klantinteracties::query_parameters,
    },
    Api {
        prefix: crate::contactgegevens::PREFIX,
        component: Component::Kic,
        operations: crate::contactgegevens::SCOPES,
        title: "contactgegevens",
        version: crate::contactgegevens::API_VERSION,
        parameters: crate::contactgegevens::query_parameters,
    },
];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Requirement {
    Authenticated,
    Scope(Component, &'static str),
}

static TABLE: LazyLock<HashMap<(String, String), Requirement>> = LazyLock::new(|| {
    let mut table = HashMap::new();
    for api in APIS {
        for (method, path, scope) in api.operations {
            table.insert(
                (method.to_string(), format!("{}{path}", api.prefix)),
                Requirement::Scope(api.component, scope),
            );
        }
    }
    // The zaak parts declare their operations in their own table (zaken::parts::SPECS).
    let one_call = crate::zaken::ONE_CALL_SCOPES
        .iter()
        .map(|(m, p, s)| (*m, p.to_string(), *s));
    for (method, path, scope) in crate::zaken::parts::scopes().into_iter().chain(one_call) {
        table.insert(
            (method.to_string(), format!("/zaken/api/v1{path}")),
            Requirement::Scope(Component::Zrc, scope),
        );
    }
    for (method, path) in AUTHENTICATED_ONLY {
        table.insert(
            (method.to_string(), path.to_string()),
            Requirement::Authenticated,
        );
    }
    table
});

/// Every operation under `prefix` (an API's base path): method, path below the prefix and
/// what it requires, sorted by path and method.
pub fn operations(prefix: &str) -> Vec<(&'static str, String, Requirement)> {
    let mut out: Vec<_> = TABLE
        .iter()
        .filter_map(|((method, path), requirement)| {
            let rest = path.strip_prefix(prefix)?;
            let method = ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .into_iter()
                .find(|m| m == method)?;
            Some((method, rest.to_owned(), *requirement))
        })
        .collect();
    out.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
    out
}

/// The collections an API serves (`prefix`: its base path, e.g. `/zaken/api/v1`): the
/// segments of its listable paths, from the same table that guards them, sorted.
pub fn collections(prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = TABLE
        .keys()
        .filter(|(method, _)| method == "GET")
        .filter_map(|(_, path)| path.strip_prefix(prefix)?.strip_prefix('/'))
        .filter(|rest| !rest.is_empty() && !rest.contains('/') && !rest.contains('{'))
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The requirement of an operation; HEAD is GET's.
pub fn requirement(method: &Method, path: &str) -> Option<Requirement> {
    let method = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    TABLE.get(&(method.to_owned(), path.to_owned())).copied()
}

/// True when the caller holds one of the alternatives of `scope` (on `component`, or on the
/// component an alternative names).
fn holds(authorisation: &Authorisation, component: Component, scope: &str) -> bool {
    scope
        .split('|')
        .any(|alternative| match alternative.split_once(':') {
            Some((other, scope)) => {
                Component::parse(other).is_some_and(|c| authorisation.has_scope(c, scope))
            }
            None => authorisation.has_scope(component, alternative),
        })
}

/// 403 `permission_denied` unless the caller holds the operation's scope somewhere.
pub fn check(authorisation: &Authorisation, method: &Method, path: &str) -> Result<(), ApiError> {
    match requirement(method, path) {
        Some(Requirement::Authenticated) => Ok(()),
        Some(Requirement::Scope(component, scope)) if holds(authorisation, component, scope) => {
            Ok(())
        }
        Some(Requirement::Scope(..)) => Err(ApiError::permission_denied()),
        None => {
            tracing::error!(%method, path, "operation has no scope declared; refused");
            Err(ApiError::permission_denied())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_operation_names_a_known_method_and_a_scope() {
        for api in APIS {
            for (method, path, scope) in api.operations {
                assert!(
                    ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method),
                    "{method} {path}"
                );
                assert!(path.starts_with('/'), "{path}");
                assert!(!scope.is_empty() && !scope.contains(' '), "{path}: {scope}");
            }
        }
    }

    #[test]
    fn a_zaken_reader_may_read_zaaktypen_but_not_write_them() {
        let reader = Authorisation {
            autorisaties: vec![event_schemas::applicatie::Autorisatie {
                component: Component::Zrc,
                scopes: vec!["zaken.lezen".into()],
                type_url: Some("http://x/zaaktypen/1".into()),
                max_vertrouwelijkheidaanduiding: Some(
                    event_schemas::zaak::Vertrouwelijkheidaanduiding::Openbaar,
                ),
            }],
            ..Default::default()
        };
        let zaaktypen = "/catalogi/api/v1/zaaktypen";
        assert!(check(&reader, &Method::GET, zaaktypen).is_ok());
        assert!(check(&reader, &Method::POST, zaaktypen).is_err());
        assert!(check(&reader, &Method::GET, "/catalogi/api/v1/statustypen").is_err());
    }

    #[test]
    fn head_needs_what_get_needs_and_unknown_operations_are_refused() {
        let get = requirement(&Method::GET, "/zaken/api/v1/zaken");
        assert_eq!(get, Some(Requirement::Scope(Component::Zrc, "zaken.lezen")));
        assert_eq!(requirement(&Method::HEAD, "/zaken/api/v1/zaken"), get);
        let everything = Authorisation {
            all: true,
            ..Default::default()
        };
        assert!(check(&everything, &Method::GET, "/zaken/api/v1/unrouted").is_err());
    }
}
