//! ZGW list pages: `{count, next, previous, results}`, `page` from 1, 100 per page unless
//! `pageSize` asks for another number (at most 500), as Open Zaak 1.30 serves them.

use serde::Serialize;

use crate::error::ApiError;

pub const PAGE_SIZE: i64 = 100;
/// The most `pageSize` gives (a larger value is cut to it, as DRF's `max_page_size`).
pub const MAX_PAGE_SIZE: i64 = 500;

/// Which page of a list, and how many per page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub number: i64,
    pub size: i64,
}

impl Default for Paging {
    fn default() -> Self {
        Self {
            number: 1,
            size: PAGE_SIZE,
        }
    }
}

impl Paging {
    /// Takes `page` or `pageSize` (true), or leaves the parameter to the caller (false).
    pub fn read(&mut self, name: &str, value: &str) -> Result<bool, ApiError> {
        match name {
            "page" => self.number = page_number(Some(value))?,
            "pageSize" => self.size = page_size(value),
            _ => return Ok(false),
        }
        Ok(true)
    }

    pub fn limit(&self) -> i64 {
        self.size
    }

    pub fn offset(&self) -> i64 {
        (self.number - 1) * self.size
    }
}

/// `pageSize` as DRF reads it (`_positive_int(strict=True, cutoff=max_page_size)`): a
/// positive integer, cut to [`MAX_PAGE_SIZE`]; anything else is the default, not an error.
fn page_size(raw: &str) -> i64 {
    match raw.parse::<i64>() {
        Ok(n) if n > 0 => n.min(MAX_PAGE_SIZE),
        // Python's integers do not overflow: a longer number is still cut to the maximum.
        Err(_) if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) => MAX_PAGE_SIZE,
        _ => PAGE_SIZE,
    }
}

/// The requested page number: a positive integer small enough to page to. Otherwise 404
/// `not_found` "Ongeldige pagina.", as Open Zaak answers (DRF's PageNumberPagination turns
/// every invalid page, a number or not, into NotFound).
pub fn page_number(raw: Option<&str>) -> Result<i64, ApiError> {
    match raw {
        None => Ok(1),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=i64::MAX / MAX_PAGE_SIZE).contains(p))
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
    paging: Paging,
    count: i64,
    results: Vec<T>,
) -> Result<Page<T>, ApiError> {
    let page = paging.number;
    // A page past the last is not found (the first always exists, empty or not).
    let last = ((count + paging.size - 1) / paging.size).max(1);
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

/// The URL a list was asked at: `base` with every parameter of `query`, as the read log
/// records it.
pub fn asked(base: &str, query: &[(String, String)]) -> String {
    let mut url = url::Url::parse(base).expect("the public base URL is a valid URL");
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    url.to_string()
}

/// The rows of a `SELECT <uuid>, resource::text ...`: the objects (for the read log) and
/// their stored resources as they are: stored resources pass through a page as text,
/// without a `Value` tree each (BENCHMARKS.md).
pub async fn raw_rows(
    select: &mut sqlx::QueryBuilder<'_, sqlx::Postgres>,
    pool: &sqlx::PgPool,
) -> Result<(Vec<uuid::Uuid>, Vec<Box<serde_json::value::RawValue>>), ApiError> {
    let rows: Vec<(uuid::Uuid, String)> = select
        .build_query_as()
        .fetch_all(pool)
        .await
        .map_err(ApiError::internal)?;
    let mut ids = Vec::with_capacity(rows.len());
    let mut results = Vec::with_capacity(rows.len());
    for (id, text) in rows {
        ids.push(id);
        results.push(serde_json::value::RawValue::from_string(text).map_err(ApiError::internal)?);
    }
    Ok((ids, results))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_is_a_positive_number_cut_to_the_maximum_or_else_the_default() {
        let read = |v: &str| {
            let mut p = Paging::default();
            assert!(p.read("pageSize", v).unwrap());
            p.size
        };
        assert_eq!(read("2"), 2);
        assert_eq!(read("500"), 500);
        assert_eq!(read("501"), MAX_PAGE_SIZE);
        assert_eq!(read("99999999999999999999"), MAX_PAGE_SIZE);
        assert_eq!(read("0"), PAGE_SIZE);
        assert_eq!(read("-1"), PAGE_SIZE);
        assert_eq!(read("2.5"), PAGE_SIZE);
        let mut p = Paging::default();
        assert!(p.read("page", "3").unwrap());
        assert!(!p.read("zaaktype", "x").unwrap());
        p.size = 20;
        assert_eq!((p.limit(), p.offset()), (20, 40));
    }
}
