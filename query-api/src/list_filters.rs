//! What the lists' query parsers share: reading a query by a table of filters, the
//! `ordering` parameter, and "contains, ignoring case" in SQL (django's `icontains`).

use sqlx::{Postgres, QueryBuilder};

use crate::error::{ApiError, InvalidParam};
use crate::pagination::Paging;

/// Reads a list's query by its table of filters: `page` and `pageSize` into `page`, every
/// other parameter looked up in `table` (an unknown one is an invalidParam), an empty value
/// skipped (no filter, as in django-filter), and `read` given the rest. All invalidParams
/// at once (400).
pub fn read_filters<F: Copy>(
    pairs: &[(String, String)],
    table: &[(&str, F)],
    page: &mut Paging,
    mut read: impl FnMut(F, &str) -> Result<(), (&'static str, String)>,
) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    for (name, value) in pairs {
        if page.read(name, value)? {
            continue;
        }
        let Some((_, filter)) = table.iter().find(|(p, _)| p == name) else {
            errors.push(InvalidParam::unknown_parameter(name));
            continue;
        };
        if value.is_empty() {
            continue;
        }
        if let Err((code, reason)) = read(*filter, value) {
            errors.push(InvalidParam::new(name.as_str(), code, reason));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// A query's pairs from string literals, for the parsers' tests.
#[cfg(test)]
pub fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// An `ordering` value (comma-separated names, each with `-` for descending) by `columns`
/// (name, column): the columns in order, or the reference's `invalid_choice` for a name
/// that is not one (django-filter's OrderingFilter).
pub fn ordering(
    value: &str,
    columns: &[(&str, &'static str)],
) -> Result<Vec<(&'static str, bool)>, (&'static str, String)> {
    value
        .split(',')
        .map(|field| {
            let (name, descending) = field
                .strip_prefix('-')
                .map_or((field, false), |f| (f, true));
            let (_, column) = columns.iter().find(|(n, _)| *n == name).ok_or_else(|| {
                (
                    "invalid_choice",
                    format!("Selecteer een geldige keuze. {field} is geen beschikbare keuze."),
                )
            })?;
            Ok((*column, descending))
        })
        .collect()
}

/// ` {expression} contains {value}, ignoring case`: the value taken literally (no pattern
/// characters), as django's `icontains`.
pub fn push_contains(sql: &mut QueryBuilder<'_, Postgres>, expression: &str, value: &str) {
    sql.push(format_args!("strpos(lower({expression}), lower("))
        .push_bind(value.to_owned())
        .push(")) > 0");
}
