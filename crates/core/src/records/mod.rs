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

/// A limit between 1 and [`MAX_LIMIT`] ([`DEFAULT_LIMIT`] when not positive): an integer we
/// chose, so it is written into a statement's text rather than bound. SQLite plans with a bound
/// LIMIT's value and marks the statement to be prepared again whenever that parameter is bound,
/// which is every execution: a list or a search paid a full parse and plan on every call.
/// Written into the text, the statement is prepared once per distinct limit and cached.
pub fn clamp_limit(limit: i64) -> i64 {
    if limit <= 0 {
        DEFAULT_LIMIT
    } else {
        limit.min(MAX_LIMIT)
    }
}

/// The named values of one record: a row as SQLite returns it, or a JSON object SQLite built
/// with `json_object(...)`. A list or a record's related rows come back as such objects inside
/// one row, because every row of a multi-row result is a separate hand-off from SQLite's thread
/// to the caller: a list of 20 invoices read as rows cost ~20 thread wake-ups, as one row one.
pub(crate) trait Cols {
    fn opt_text(&self, col: &str) -> Result<Option<String>>;
    fn opt_int(&self, col: &str) -> Result<Option<i64>>;
}

impl Cols for SqliteRow {
    fn opt_text(&self, col: &str) -> Result<Option<String>> {
        Ok(self.try_get::<Option<String>, _>(col)?)
    }

    fn opt_int(&self, col: &str) -> Result<Option<i64>> {
        Ok(self.try_get::<Option<i64>, _>(col)?)
    }
}

/// A record SQLite built with `json_object`; see [`json_records`].
pub(crate) type JsonRecord = serde_json::Map<String, serde_json::Value>;

impl Cols for JsonRecord {
    fn opt_text(&self, col: &str) -> Result<Option<String>> {
        match self.get(col) {
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(serde_json::Value::Null) => Ok(None),
            other => Err(crate::store::corrupt(format!(
                "{col} is {other:?}, not text"
            ))),
        }
    }

    fn opt_int(&self, col: &str) -> Result<Option<i64>> {
        match self.get(col) {
            Some(serde_json::Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| crate::store::corrupt(format!("{col} is {n}, not an integer"))),
            Some(serde_json::Value::Null) => Ok(None),
            other => Err(crate::store::corrupt(format!(
                "{col} is {other:?}, not an integer"
            ))),
        }
    }
}

/// The records of a `json_group_array(json_object(...))` column; none when it is NULL.
pub(crate) fn json_records(row: &SqliteRow, col: &str) -> Result<Vec<JsonRecord>> {
    match row.try_get::<Option<String>, _>(col)? {
        Some(json) => serde_json::from_str(&json).map_err(crate::store::corrupt),
        None => Ok(Vec::new()),
    }
}

/// The record of a `json_object(...)` column, `None` when it is NULL (no such row).
pub(crate) fn json_record(row: &SqliteRow, col: &str) -> Result<Option<JsonRecord>> {
    row.try_get::<Option<String>, _>(col)?
        .map(|json| serde_json::from_str(&json).map_err(crate::store::corrupt))
        .transpose()
}

pub(crate) fn text(row: &impl Cols, col: &str) -> Result<String> {
    row.opt_text(col)?
        .ok_or_else(|| crate::store::corrupt(format!("{col} is NULL")))
}

pub(crate) fn opt_text(row: &impl Cols, col: &str) -> Result<Option<String>> {
    row.opt_text(col)
}

pub(crate) fn int(row: &impl Cols, col: &str) -> Result<i64> {
    row.opt_int(col)?
        .ok_or_else(|| crate::store::corrupt(format!("{col} is NULL")))
}

pub(crate) fn currency(row: &impl Cols, col: &str) -> Result<Currency> {
    Currency::parse(&text(row, col)?).map_err(crate::store::corrupt)
}

pub(crate) fn money(row: &impl Cols, col: &str, cur: Currency) -> Result<Money> {
    Ok(Money::from_minor(int(row, col)?, cur))
}

/// Maps a stored value that does not parse: the desk holds something it should not.
pub(crate) fn parse<T, E: std::fmt::Display>(r: std::result::Result<T, E>) -> Result<T> {
    r.map_err(crate::store::corrupt)
}
