//! ZGW list pages: `{count, next, previous, results}`, `page` from 1, 100 per page.

use serde::Serialize;

use crate::error::ApiError;

pub const PAGE_SIZE: i64 = 100;

/// The requested page number: a positive integer small enough to page to. Otherwise 404
/// `not_found` "Ongeldige pagina.", as Open Zaak answers (DRF's PageNumberPagination turns
/// every invalid page, a number or not, into NotFound).
pub fn page_number(raw: Option<&str>) -> Result<i64, ApiError> {
    match raw {
        None => Ok(1),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=i64::MAX / PAGE_SIZE).contains(p))
            .ok_or_else(invalid_page),
    }
}

fn invalid_page() -> ApiError {
    ApiError::http(
        axum::http::StatusCode::NOT_FOUND,
        "not_found",
        "Ongeldige pagina.",
    )
}

/// A page body. Its results are serialised as given: stored resources can pass through as
/// `RawValue`s without being parsed into `Value`s and written out again.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub count: i64,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<T>,
}

/// The page body; `base` is the list URL and `query` the other parameters, kept in links.
pub fn page<T: Serialize>(
    base: &str,
    query: &[(String, String)],
    page: i64,
    count: i64,
    results: Vec<T>,
) -> Result<Page<T>, ApiError> {
    // A page past the last is not found (the first always exists, empty or not).
    let last = ((count + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    if page > last {
        return Err(invalid_page());
    }
    let link = |p: i64| {
        let mut url = url::Url::parse(base).expect("the public base URL is a valid URL");
        {
            let mut q = url.query_pairs_mut();
            for (k, v) in query.iter().filter(|(k, _)| k != "page") {
                q.append_pair(k, v);
            }
            q.append_pair("page", &p.to_string());
        }
        url.to_string()
    };
    Ok(Page {
        count,
        next: (page < last).then(|| link(page + 1)),
        previous: (page > 1).then(|| link(page - 1)),
        results,
    })
}

/// The rows of a `SELECT resource::text ...` as they are: stored resources pass through a
/// page as text, without a `Value` tree each (BENCHMARKS.md).
pub async fn raw_results(
    select: &mut sqlx::QueryBuilder<'_, sqlx::Postgres>,
    pool: &sqlx::PgPool,
) -> Result<Vec<Box<serde_json::value::RawValue>>, ApiError> {
    let rows: Vec<String> = select
        .build_query_scalar()
        .fetch_all(pool)
        .await
        .map_err(ApiError::internal)?;
    rows.into_iter()
        .map(serde_json::value::RawValue::from_string)
        .collect::<Result<Vec<_>, _>>()
        .map_err(ApiError::internal)
}
