//! `GET /enkelvoudiginformatieobjecten` and `POST .../_zoek`: one page of the latest
//! versions the caller may read, filtered and counted in SQL. Unknown parameters: 400.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use event_schemas::applicatie::Component;
use serde_json::Value;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::authorisation::GrantsFilter;
use crate::error::ApiError;
use crate::openapi::params::{self, param, ParamType, QueryParam, EXPAND, PAGING};
use crate::pagination::Paging;
use crate::{headers, pagination, resource, AppState, Caller};

#[derive(Default)]
struct Query {
    identificatie: Option<String>,
    bronorganisatie: Option<String>,
    trefwoorden: Option<Vec<String>>,
    uuids: Option<Vec<Uuid>>,
    page: Paging,
}

/// The query parameters of `GET /enkelvoudiginformatieobjecten`.
pub(super) const PARAMETERS: &[QueryParam] = &[
    PAGING[0],
    PAGING[1],
    param("identificatie", ParamType::Text),
    param("bronorganisatie", ParamType::Text),
    param("trefwoorden", ParamType::List),
    EXPAND,
];

impl Query {
    fn parse(pairs: &[(String, String)]) -> Result<Self, ApiError> {
        let mut q = Query {
            ..Default::default()
        };
        params::refuse_unknown(pairs, PARAMETERS, ApiError::unknown_parameter)?;
        for (k, v) in pairs {
            if q.page.read(k, v)? {
                continue;
            }
            match k.as_str() {
                "identificatie" => q.identificatie = Some(v.clone()),
                "bronorganisatie" => q.bronorganisatie = Some(v.clone()),
                "trefwoorden" => {
                    q.trefwoorden = Some(v.split(',').map(|t| t.trim().to_owned()).collect())
                }
                _ => {} // expand: accepted, not applied yet (ARCHITECTURE.md, Documenten API)
            }
        }
        Ok(q)
    }

    fn push_where(&self, sql: &mut QueryBuilder<'_, Postgres>) {
        sql.push(" WHERE is_latest");
        if let Some(v) = &self.identificatie {
            sql.push(" AND identificatie = ").push_bind(v.clone());
        }
        if let Some(v) = &self.bronorganisatie {
            sql.push(" AND bronorganisatie = ").push_bind(v.clone());
        }
        if let Some(v) = &self.trefwoorden {
            sql.push(" AND trefwoorden && ").push_bind(v.clone());
        }
        if let Some(v) = &self.uuids {
            sql.push(" AND uuid = ANY(").push_bind(v.clone()).push(")");
        }
    }
}

pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = resource::query_pairs(raw)?;
    let query = Query::parse(&pairs)?;
    let base = format!("{}/enkelvoudiginformatieobjecten", s.urls.documenten());
    page(&s, &caller, &query, &base, &pairs).await
}

/// `POST /_zoek`: `uuid__in` (required) in a JSON body; `page` stays a query parameter.
pub async fn search(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    headers::require_json(&headers)?;
    let pairs = resource::query_pairs(raw)?;
    let body = resource::parse_search(&body)?;
    let mut query = Query {
        ..Default::default()
    };
    let uuids = body.get("uuid__in").or_else(|| body.get("uuid_In"));
    let Some(Value::Array(items)) = uuids else {
        return Err(ApiError::invalid(
            "uuid__in",
            "required",
            "Dit veld is vereist.",
        ));
    };
    let parsed: Option<Vec<Uuid>> = items
        .iter()
        .map(|v| v.as_str().and_then(|s| s.parse().ok()))
        .collect();
    query.uuids =
        Some(parsed.ok_or_else(|| {
            ApiError::invalid("uuid__in", "invalid", "Voer een geldige UUID in.")
        })?);
    for (name, value) in &pairs {
        match name.as_str() {
            _ if query.page.read(name, value)? => {}
            "expand" => {} // accepted, not applied yet (ARCHITECTURE.md, Documenten API)
            _ => return Err(ApiError::unknown_parameter(name)),
        }
    }
    let base = format!(
        "{}/enkelvoudiginformatieobjecten/_zoek",
        s.urls.documenten()
    );
    page(&s, &caller, &query, &base, &pairs).await
}

async fn page(
    s: &AppState,
    caller: &Caller,
    query: &Query,
    base: &str,
    pairs: &[(String, String)],
) -> Result<Response, ApiError> {
    let grants = caller.grants(Component::Drc, "documenten.lezen");
    let mut count = QueryBuilder::new("SELECT count(*) FROM document_versies");
    query.push_where(&mut count);
    grants.push_filter(&mut count, "informatieobjecttype", "vertrouwelijkheid_rank");
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(&s.pool)
        .await
        .map_err(ApiError::internal)?;
    let mut select = QueryBuilder::new("SELECT resource::text FROM document_versies");
    query.push_where(&mut select);
    grants.push_filter(
        &mut select,
        "informatieobjecttype",
        "vertrouwelijkheid_rank",
    );
    select
        .push(" ORDER BY created, uuid LIMIT ")
        .push_bind(query.page.limit())
        .push(" OFFSET ")
        .push_bind(query.page.offset());
    let results = pagination::raw_results(&mut select, &s.pool).await?;
    let body = pagination::page(base, pairs, query.page, total, results)?;
    Ok(Json(body).into_response())
}
