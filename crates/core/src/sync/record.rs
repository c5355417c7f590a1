//! A feed record read into the values of its desk columns. Reading happens in Rust, on the
//! pull's own thread while the desk's writer applies the page before (see [`super::pull`]), so
//! the writer binds ready values instead of taking each column out of JSON itself.
//!
//! A column gets what SQLite's `record ->> '$.column'` would give for the same JSON: strings
//! as text, integers as integers, other numbers as reals, `true`/`false` as 1/0, `null` and
//! absent keys as NULL, an object or array as its JSON text; the first of two equal keys wins.
//! Where the two differ, no record of the platform's goes: an object's text is serde_json's
//! (keys sorted, numbers and escapes normalized) where SQLite keeps the sender's, and a number
//! too large for a double or a lone UTF-16 surrogate is refused here. The platform sends every
//! column as a scalar and renders its records from PostgreSQL, which has neither.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// One column's value, as bound to SQLite.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(Arc<str>),
}

/// The columns a record is read into, in binding order, with the nested rows of one key (an
/// invoice's `line_items`).
pub(super) struct Shape {
    names: &'static [&'static str],
    index: HashMap<&'static str, usize>,
    nested: Option<(&'static str, Box<Shape>)>,
}

impl Shape {
    pub(super) fn new(names: &'static [&'static str]) -> Self {
        assert!(names.len() <= 64, "a record has at most 64 columns");
        let mut index = HashMap::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            index.entry(*name).or_insert(i);
        }
        Self {
            names,
            index,
            nested: None,
        }
    }

    pub(super) fn with_nested(mut self, key: &'static str, rows: Shape) -> Self {
        self.nested = Some((key, Box::new(rows)));
        self
    }

    /// Reads one record (a JSON object).
    pub(super) fn read(&self, json: &str) -> serde_json::Result<Row> {
        let mut de = serde_json::Deserializer::from_str(json);
        let row = self.deserialize(&mut de)?;
        de.end()?;
        Ok(row)
    }
}

/// A record's columns in the order of its [`Shape`], and its nested rows.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    pub cells: Vec<Cell>,
    pub nested: Vec<Row>,
}

/// Where a key of the record goes.
enum Key {
    Column(usize),
    Nested,
    Other,
}

struct KeySeed<'s>(&'s Shape);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a column name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match self.0.index.get(key) {
            Some(i) => Key::Column(*i),
            None if self.0.nested.as_ref().is_some_and(|(k, _)| *k == key) => Key::Nested,
            None => Key::Other,
        })
    }
}

impl<'de> DeserializeSeed<'de> for &Shape {
    type Value = Row;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Row, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &Shape {
    type Value = Row;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Row, A::Error> {
        let mut cells = vec![Cell::Null; self.names.len()];
        let mut seen = 0u64;
        let mut nested = None;
        while let Some(key) = map.next_key_seed(KeySeed(self))? {
            match key {
                Key::Column(i) if seen & (1 << i) == 0 => {
                    seen |= 1 << i;
                    cells[i] = map.next_value::<Cell>()?;
                }
                Key::Nested if nested.is_none() => {
                    let (_, shape) = self.nested.as_ref().expect("a nested key has a shape");
                    nested = Some(map.next_value_seed(Rows(shape))?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Row {
            cells,
            nested: nested.flatten().unwrap_or_default(),
        })
    }
}

/// The nested rows: an array of records, or `null`.
struct Rows<'s>(&'s Shape);

impl<'de> DeserializeSeed<'de> for Rows<'_> {
    type Value = Option<Vec<Row>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_> {
    type Value = Option<Vec<Row>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(1));
        while let Some(row) = seq.next_element_seed(self.0)? {
            rows.push(row);
        }
        Ok(Some(rows))
    }
}

impl<'de> de::Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Cell, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Cell::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Cell, E> {
        Ok(Cell::Int(v.into()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
        Ok(Cell::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
        Ok(i64::try_from(v).map_or(Cell::Real(v as f64), Cell::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
        Ok(Cell::Real(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
        Ok(Cell::Text(v.into()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Cell, A::Error> {
        json_text(de::value::SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Cell, A::Error> {
        json_text(de::value::MapAccessDeserializer::new(map))
    }
}

/// An object or array, as the (minified) JSON text SQLite renders for it.
fn json_text<'de, D: Deserializer<'de>>(d: D) -> Result<Cell, D::Error> {
    let value: serde_json::Value = de::Deserialize::deserialize(d)?;
    Ok(Cell::Text(value.to_string().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[&str] = &["id", "amount", "rate", "paid", "note", "meta"];
    const ITEM: &[&str] = &["id", "amount"];

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    /// What SQLite's `->>` gives for each column of `json`, read as the desk would bind it.
    async fn sqlite_reads(json: &str, cols: &[&str]) -> Vec<Cell> {
        use sqlx::{Connection, Row as _, ValueRef};
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
            .await
            .unwrap();
        let mut out = Vec::new();
        for col in cols {
            let sql = format!("SELECT ?1 ->> '$.{col}'");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(json)
                .fetch_one(&mut conn)
                .await
                .unwrap();
            let raw = row.try_get_raw(0).unwrap();
            let cell = match raw.type_info().to_string().as_str() {
                "NULL" => Cell::Null,
                "INTEGER" => Cell::Int(row.get(0)),
                "REAL" => Cell::Real(row.get(0)),
                _ => text(row.get::<&str, _>(0)),
            };
            out.push(cell);
        }
        out
    }

    #[tokio::test]
    async fn a_record_reads_as_sqlite_reads_it() {
        let records = [
            r#"{"id": "inv_1", "amount": 4900, "rate": 0.19, "paid": true, "note": "caf\u00e9 \"x\"", "meta": {"a": [1, 2]}}"#,
            r#"{"amount": -3, "id": "inv_2", "paid": false, "note": null, "extra": {"x": 1}, "rate": 1e3}"#,
            r#"{"id": "inv_3", "id": "dup", "amount": 9223372036854775807, "meta": ["a", "b"]}"#,
            r#"{"id": "inv_4", "amount": 18446744073709551615, "rate": 2.0}"#,
        ];
        let shape = Shape::new(COLS);
        for json in records {
            assert_eq!(
                shape.read(json).unwrap().cells,
                sqlite_reads(json, COLS).await,
                "{json}"
            );
        }
    }

    #[test]
    fn nested_rows_are_read_with_their_own_columns() {
        let shape = Shape::new(COLS).with_nested("items", Shape::new(ITEM));
        let row = shape
            .read(r#"{"id": "inv_1", "items": [{"amount": 5, "id": "li_1"}, {"id": "li_2"}]}"#)
            .unwrap();
        assert_eq!(row.cells[0], text("inv_1"));
        let items: Vec<Vec<Cell>> = row.nested.into_iter().map(|r| r.cells).collect();
        assert_eq!(
            items,
            vec![
                vec![text("li_1"), Cell::Int(5)],
                vec![text("li_2"), Cell::Null]
            ]
        );
        for none in [r#"{"id": "a", "items": null}"#, r#"{"id": "a"}"#] {
            assert!(shape.read(none).unwrap().nested.is_empty(), "{none}");
        }
    }

    #[test]
    fn what_is_not_a_record_is_refused() {
        let shape = Shape::new(COLS).with_nested("items", Shape::new(ITEM));
        for bad in [
            "null",
            "[1]",
            "\"x\"",
            r#"{"id": "a"} trailing"#,
            r#"{"id": "a""#,
            r#"{"items": [1]}"#,
            r#"{"items": {"id": "x"}}"#,
        ] {
            assert!(shape.read(bad).is_err(), "{bad}");
        }
    }
}
