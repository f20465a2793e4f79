//! The grants of [`commands::authorisation`] as SQL: lists restrict their rows with
//! [`GrantsFilter::push_filter`], totals with [`GrantsFilter::push_join`]; detail reads and
//! writes test [`Grants::allows`] on the same grants, so no read path sees more than another.

use std::collections::BTreeMap;

pub use commands::authorisation::{Authorisation, Grants};
use sqlx::{Postgres, QueryBuilder};

/// [`Grants`] as a condition of a read model query.
pub trait GrantsFilter {
    /// ` AND (...)` restricting rows to the grants.
    fn push_filter(
        &self,
        sql: &mut QueryBuilder<'_, Postgres>,
        type_column: &str,
        rank_column: &str,
    );
    /// ` JOIN unnest(...) ON ...` restricting a table of totals to the grants.
    fn push_join(&self, sql: &mut QueryBuilder<'_, Postgres>, type_column: &str, rank_column: &str);
}

impl GrantsFilter for Grants {
    /// ` AND (...)` restricting rows to the grants: `type_column` holds the type URL and
    /// `rank_column` the vertrouwelijkheid as its rank (0 = openbaar). The types are grouped
    /// by their maximum (at most eight groups), each group one `type = ANY(...)` test: as a
    /// semi-join with the unnested grant list, PostgreSQL re-ran the unnest for every row
    /// of a page (100 grants: 4,565 comparisons for one page of 100 zaken; page 11.8 ms and
    /// count 4.2 ms against 2.2 and 0.6 ms grouped, EXPLAIN ANALYZE in BENCHMARKS.md).
    fn push_filter(
        &self,
        sql: &mut QueryBuilder<'_, Postgres>,
        type_column: &str,
        rank_column: &str,
    ) {
        let Self::Types(types) = self else { return };
        if types.is_empty() {
            sql.push(" AND false");
            return;
        }
        let mut groups: BTreeMap<i16, Vec<String>> = BTreeMap::new();
        for (url, max) in types {
            groups.entry(*max as i16).or_default().push(url.clone());
        }
        sql.push(" AND (");
        for (i, (max, mut urls)) in groups.into_iter().enumerate() {
            // One order for one grant list: the same statement text and plan every time.
            urls.sort_unstable();
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push("(")
                .push(rank_column)
                .push(" <= ")
                .push_bind(max)
                .push(" AND ")
                .push(type_column)
                .push(" = ANY(")
                .push_bind(urls)
                .push("::text[]))");
        }
        sql.push(")");
    }

    /// ` JOIN unnest(...) ON ...` restricting a table of totals (one row per type and rank,
    /// `zaken_counts`) to the grants, to sum it: a hash join with the grant list. The
    /// `= ANY(...)` test of [`Self::push_filter`] ran under a generic plan that compared
    /// every row with every granted URL: 1.9 ms per count for 100 grants over 800 totals,
    /// against 0.36 ms joined (BENCHMARKS.md). Nothing for `All`; no rows when nothing is
    /// granted. Goes before the statement's `WHERE`.
    fn push_join(
        &self,
        sql: &mut QueryBuilder<'_, Postgres>,
        type_column: &str,
        rank_column: &str,
    ) {
        let Self::Types(types) = self else { return };
        let mut granted: Vec<(&String, i16)> =
            types.iter().map(|(url, max)| (url, *max as i16)).collect();
        granted.sort_unstable();
        let (urls, maxima): (Vec<String>, Vec<i16>) = granted
            .into_iter()
            .map(|(url, max)| (url.clone(), max))
            .unzip();
        sql.push(" JOIN unnest(")
            .push_bind(urls)
            .push("::text[], ")
            .push_bind(maxima)
            .push("::smallint[]) AS granted(type_url, max_rank) ON ")
            .push(type_column)
            .push(" = granted.type_url AND ")
            .push(rank_column)
            .push(" <= granted.max_rank");
    }
}
