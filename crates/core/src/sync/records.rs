//! The platform's records as desk rows: which table and columns each entity fills, reading a
//! record's JSON into bound values in Rust, and the multi-row `INSERT` that writes them.
//!
//! A record is read once, by serde, on the sync task; SQLite's single writer thread only binds
//! and inserts. (Extracting each column inside SQLite with `->>` cost the writer about half its
//! time: every column read walked the record again.) A value binds as SQLite's `->>` would give
//! it: a JSON string as text, a number as an integer (or a real when it has a fraction), `true`
//! and `false` as 1 and 0, `null` or a missing key as NULL, an object or array as its JSON text.

use super::columns::LINE_ITEM_COLUMNS;
use crate::{Error, Result};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// One bound value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Cell {
    fn read(raw: &RawValue) -> Result<Cell> {
        let json = raw.get();
        let bad = |e: serde_json::Error| Error::Unavailable(format!("bad value {json}: {e}"));
        Ok(match json.as_bytes().first() {
            Some(b'n') => Cell::Null,
            Some(b't') => Cell::Int(1),
            Some(b'f') => Cell::Int(0),
            Some(b'"') => Cell::Text(serde_json::from_str(json).map_err(bad)?),
            Some(b'{' | b'[') => Cell::Text(json.to_owned()),
            _ => match json.parse::<i64>() {
                Ok(i) => Cell::Int(i),
                Err(_) => Cell::Real(serde_json::from_str(json).map_err(bad)?),
            },
        })
    }

    pub(super) fn bind<'q>(
        self,
        query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
        match self {
            Cell::Null => query.bind(None::<i64>),
            Cell::Int(i) => query.bind(i),
            Cell::Real(r) => query.bind(r),
            Cell::Text(s) => query.bind(s),
        }
    }
}

/// A record read into its columns' values, in the order asked for,, and its raw line items.
#[derive(Debug)]
pub(super) struct Row<'a> {
    pub cells: Vec<Cell>,
    pub line_items: Option<&'a RawValue>,
}

/// Reads a record (a JSON object) into the values of `cols`; other keys are ignored.
pub(super) fn read_row<'a>(json: &'a str, cols: &[&str]) -> Result<Row<'a>> {
    let mut de = serde_json::Deserializer::from_str(json);
    let fields = Fields(cols)
        .deserialize(&mut de)
        .and_then(|f| de.end().map(|()| f))
        .map_err(|e| Error::Unavailable(format!("the platform sent a bad record: {e}")))?;
    let mut cells = Vec::with_capacity(cols.len());
    for raw in fields.values {
        cells.push(match raw {
            Some(raw) => Cell::read(raw)?,
            None => Cell::Null,
        });
    }
    Ok(Row {
        cells,
        line_items: fields.line_items,
    })
}

/// The line items of an invoice record, each as [`LINE_ITEM_COLUMNS`] values.
pub(super) fn read_line_items(raw: &RawValue) -> Result<Vec<Vec<Cell>>> {
    let items: Vec<&RawValue> = serde_json::from_str(raw.get())
        .map_err(|e| Error::Unavailable(format!("the platform sent bad line items: {e}")))?;
    items
        .into_iter()
        .map(|item| read_row(item.get(), LINE_ITEM_COLUMNS).map(|r| r.cells))
        .collect()
}

struct Fields<'c>(&'c [&'c str]);

struct Found<'a> {
    values: Vec<Option<&'a RawValue>>,
    line_items: Option<&'a RawValue>,
}

impl<'de> DeserializeSeed<'de> for Fields<'_> {
    type Value = Found<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Found<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fields<'_> {
    type Value = Found<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record (a JSON object)")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Found<'de>, M::Error> {
        let cols = self.0;
        let mut found = Found {
            values: vec![None; cols.len()],
            line_items: None,
        };
        // The platform writes keys in column order; look there first.
        let mut next = 0;
        while let Some(Key(key)) = map.next_key()? {
            let raw: &'de RawValue = map.next_value()?;
            let at = if cols.get(next) == Some(&&*key) {
                Some(next)
            } else {
                cols.iter().position(|c| *c == key)
            };
            match at {
                Some(i) => {
                    found.values[i] = Some(raw);
                    next = i + 1;
                }
                None if key == "line_items" => found.line_items = Some(raw),
                None => {}
            }
        }
        Ok(found)
    }
}

/// A key, borrowed from the JSON text unless it had escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// Bound values per statement at most (SQLite allows 32 766).
const MAX_BOUND: usize = 2000;

/// How many rows of `width` values one statement takes.
pub(super) fn rows_per_statement(width: usize) -> usize {
    (MAX_BOUND / width.max(1)).max(1)
}

/// `INSERT INTO {table} (cols[, synced_at]) VALUES (?, …), … {tail}` for `rows` rows; with
/// `stamped`, each row ends with its `synced_at`.
///
/// The parameters are anonymous on purpose: sqlx asks SQLite for every parameter's name when
/// it binds, and SQLite finds a numbered (`?NNN`) parameter's name by walking the list of all
/// of them — quadratic in a statement of thousands.
pub(super) fn insert_sql(
    table: &str,
    cols: &[&str],
    rows: usize,
    stamped: bool,
    tail: &str,
) -> String {
    let width = cols.len() + usize::from(stamped);
    let row = format!("({})", vec!["?"; width].join(", "));
    format!(
        "INSERT INTO {table} ({}{}) VALUES {} {tail}",
        cols.join(", "),
        if stamped { ", synced_at" } else { "" },
        vec![row; rows].join(", ")
    )
}

/// The upsert tail: a record replaces the desk's only with the same or a newer version.
pub(super) fn upsert_tail(table: &str, cols: &[&str]) -> String {
    let set: Vec<String> = cols
        .iter()
        .filter(|c| **c != "id")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "ON CONFLICT (id) DO UPDATE SET {}, synced_at = excluded.synced_at \
         WHERE excluded.version >= {table}.version",
        set.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_sqlite_reads_json() {
        let row = read_row(
            r#"{"b": 2, "zz": {"x": 1}, "a": "caf\u00e9 \"q\"", "c": null, "d": true,
                "e": false, "f": 1.5, "g": [1,2], "h": {"k": "v"}, "i": -7}"#,
            &["a", "b", "c", "d", "e", "f", "g", "h", "i", "missing"],
        )
        .unwrap();
        assert_eq!(
            row.cells,
            vec![
                Cell::Text("café \"q\"".into()),
                Cell::Int(2),
                Cell::Null,
                Cell::Int(1),
                Cell::Int(0),
                Cell::Real(1.5),
                Cell::Text("[1,2]".into()),
                Cell::Text(r#"{"k": "v"}"#.into()),
                Cell::Int(-7),
                Cell::Null,
            ]
        );
        assert!(row.line_items.is_none());
    }

    #[test]
    fn a_key_with_escapes_still_names_its_column() {
        let row = read_row(r#"{"i\u0064": "x"}"#, &["id"]).unwrap();
        assert_eq!(row.cells, vec![Cell::Text("x".into())]);
    }

    #[test]
    fn line_items_are_read_apart() {
        let row = read_row(
            r#"{"id": "inv_1", "line_items": [{"id": "li_1", "amount": 4118, "quantity": "1"}]}"#,
            &["id"],
        )
        .unwrap();
        let items = read_line_items(row.line_items.unwrap()).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0][0], Cell::Text("li_1".into()));
        assert_eq!(items[0][3], Cell::Text("1".into()));
        assert_eq!(items[0][5], Cell::Int(4118));
    }

    #[test]
    fn bad_records_are_refused() {
        for bad in ["[1]", "null", r#"{"id": }"#, r#"{"id": "a"} x"#] {
            assert!(read_row(bad, &["id"]).is_err(), "{bad}");
        }
    }

    #[test]
    fn statements_bind_one_value_per_column_and_row() {
        let sql = insert_sql("t", &["id", "v"], 2, true, "RETURNING id");
        assert_eq!(
            sql,
            "INSERT INTO t (id, v, synced_at) VALUES (?, ?, ?), (?, ?, ?) RETURNING id"
        );
        assert_eq!(rows_per_statement(24), 83);
    }

    #[test]
    fn the_upsert_never_goes_back_a_version() {
        let tail = upsert_tail("wallets", &["id", "balance", "version"]);
        assert!(
            tail.contains("WHERE excluded.version >= wallets.version"),
            "{tail}"
        );
        assert!(
            !tail.contains("id = excluded.id"),
            "the key is not rewritten: {tail}"
        );
    }
}
