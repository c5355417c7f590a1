//! Reading the cached records: customers, invoices, payments, tickets, knowledge base.
//! Each read is a bounded number of queries (no N+1), whatever the size of the desk.

pub mod customers;
pub mod invoices;
pub mod kb;
pub mod tickets;

use crate::Result;
use countersign_model::{Currency, Money};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

/// The most rows one list call returns.
pub const MAX_LIMIT: i64 = 100;
/// The default page size.
pub const DEFAULT_LIMIT: i64 = 20;

/// Clamps a caller's limit into `1..=MAX_LIMIT`; 0 or negative means the default.
pub fn clamp_limit(limit: i64) -> i64 {
    if limit <= 0 {
        DEFAULT_LIMIT
    } else {
        limit.min(MAX_LIMIT)
    }
}

pub(crate) fn text(row: &SqliteRow, col: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(col)?)
}

pub(crate) fn opt_text(row: &SqliteRow, col: &str) -> Result<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

pub(crate) fn int(row: &SqliteRow, col: &str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub(crate) fn currency(row: &SqliteRow, col: &str) -> Result<Currency> {
    Currency::parse(&text(row, col)?).map_err(crate::store::corrupt)
}

pub(crate) fn money(row: &SqliteRow, col: &str, cur: Currency) -> Result<Money> {
    Ok(Money::from_minor(int(row, col)?, cur))
}

/// Maps a stored value that does not parse: the desk holds something it should not.
pub(crate) fn parse<T, E: std::fmt::Display>(r: std::result::Result<T, E>) -> Result<T> {
    r.map_err(crate::store::corrupt)
}
