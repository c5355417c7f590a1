//! One page of the tenant's change feed into the desk. Each page is applied in one SQLite transaction
//! together with the new cursor, so a crash never leaves a cursor ahead of its data. A record is
//! replaced only by the same or a newer version, so replaying a page changes nothing.
//!
//! A page is first read into rows ([`read_page`], in Rust, off the writer's thread: see
//! [`super::record`]), then applied set-wise: per entity, a statement inserts or updates up to
//! a hundred rows at once, so a page of thousands of changes costs a few dozen statements, not
//! one round trip per row, and the writer only binds values it is handed. (Reading the columns
//! out of JSON inside SQLite instead cost a quarter of the writer's time.)

use super::columns::{LINE_ITEM_COLUMNS, columns};
use super::record::{Cell, Row, Shape};
use super::state;
use crate::store::{Tx, now, ts};
use crate::{Error, Result, Store};
use countersign_model::sync::Entity;
use countersign_model::sync::{RawChange, RawChangesPage};
use sqlx::Arguments;
use sqlx::sqlite::SqliteArguments;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

/// Rows per statement, largest first: each table has at most this many statement shapes for
/// SQLite to keep prepared, and 100 rows of the widest table stay far below SQLite's limit of
/// bound values per statement.
const CHUNKS: [usize; 3] = [100, 10, 1];

/// `rows` in pieces of the sizes in [`CHUNKS`], as few as possible.
fn chunks<T>(rows: &[T]) -> impl Iterator<Item = &[T]> {
    let mut rest = rows;
    std::iter::from_fn(move || {
        let n = CHUNKS.into_iter().find(|n| *n <= rest.len())?;
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        Some(chunk)
    })
}

/// `rows` tuples of `width` placeholders each.
fn values(width: usize, rows: usize) -> String {
    let row = format!("({}?)", "?, ".repeat(width - 1));
    vec![row; rows].join(", ")
}

/// `rows` records into `table`, each but the ones the desk has a newer version of.
fn upsert_sql(table: &str, cols: &[&str], rows: usize) -> String {
    let set: Vec<String> = cols
        .iter()
        .filter(|c| **c != "id")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO {table} ({}, synced_at) VALUES {} \
         ON CONFLICT (id) DO UPDATE SET {}, synced_at = excluded.synced_at \
         WHERE excluded.version >= {table}.version",
        cols.join(", "),
        values(cols.len() + 1, rows),
        set.join(", ")
    )
}

/// The line items of `rows` invoices (bound as id, version), if the desk now holds that version
/// (replaying the same version writes the same items).
fn delete_line_items_sql(rows: usize) -> String {
    format!(
        "DELETE FROM invoice_line_items WHERE invoice_id IN (SELECT i.id FROM (VALUES {}) v \
         JOIN invoices i ON i.id = v.column1 AND i.version = v.column2)",
        values(2, rows)
    )
}

/// `rows` line items (bound as id, invoice id, the other [`LINE_ITEM_COLUMNS`], the invoice's
/// version), each if the desk now holds its invoice at that version. An item the desk already
/// has is written over: a replayed version writes the same values, and an item that moved to
/// another invoice moves with it.
fn insert_line_items_sql(rows: usize) -> String {
    let n = LINE_ITEM_COLUMNS.len() + 1;
    let picked: Vec<String> = (1..=n).map(|i| format!("v.column{i}")).collect();
    let set: Vec<String> = ["invoice_id"]
        .iter()
        .chain(&LINE_ITEM_COLUMNS[1..])
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    // `WHERE true` keeps SQLite from reading `ON CONFLICT` as part of the join.
    format!(
        "INSERT INTO invoice_line_items (id, invoice_id, {}) SELECT {} FROM (VALUES {}) v \
         JOIN invoices i ON i.id = v.column2 AND i.version = v.column{} WHERE true \
         ON CONFLICT (id) DO UPDATE SET {}",
        LINE_ITEM_COLUMNS[1..].join(", "),
        picked.join(", "),
        values(n + 1, rows),
        n + 1,
        set.join(", ")
    )
}

/// The page's records grouped by entity, each record once: its newest state in the page.
fn latest_by_entity(changes: &[RawChange]) -> Vec<(Entity, Vec<&RawChange>)> {
    let mut newest: HashMap<(Entity, &str), &RawChange> = HashMap::with_capacity(changes.len());
    for c in changes {
        let slot = newest.entry((c.entity, c.id.as_str())).or_insert(c);
        if (c.version, c.seq) > (slot.version, slot.seq) {
            *slot = c;
        }
    }
    // Entities in reference order (see `Entity`): within a page a record may come before one it
    // references, since the feed orders by commit. Each entity's records in feed order.
    let mut kept: Vec<&RawChange> = newest.into_values().collect();
    kept.sort_by_key(|c| (c.entity, c.seq));
    kept.chunk_by(|a, b| a.entity == b.entity)
        .map(|group| (group[0].entity, group.to_vec()))
        .collect()
}

/// How each entity's records are read: its desk columns (an invoice with its line items).
static SHAPES: LazyLock<HashMap<Entity, Shape>> = LazyLock::new(|| {
    Entity::ALL
        .iter()
        .map(|e| {
            let shape = Shape::new(columns(*e));
            let shape = match e {
                Entity::Invoice => shape.with_nested("line_items", Shape::new(LINE_ITEM_COLUMNS)),
                _ => shape,
            };
            (*e, shape)
        })
        .collect()
});

/// One entity's records of a page, read.
struct Group {
    entity: Entity,
    rows: Vec<Row>,
    /// The feed sequence of the first and the last record, for errors.
    seqs: (i64, i64),
}

/// A page of the feed read into desk rows, ready to apply.
pub struct ReadPage {
    groups: Vec<Group>,
    pub changes: usize,
    pub cursor: i64,
    pub has_more: bool,
}

/// Reads a page of the feed into rows. Pure work on the page, no desk: the pull runs it while
/// the desk applies the page before.
pub fn read_page(page: &RawChangesPage) -> Result<ReadPage> {
    let groups = latest_by_entity(&page.changes)
        .into_iter()
        .map(|(entity, records)| {
            let shape = &SHAPES[&entity];
            let rows = records
                .iter()
                .map(|c| {
                    shape.read(c.data.get()).map_err(|e| {
                        Error::Unavailable(format!(
                            "the platform sent change {} with a record the desk cannot read: {e}",
                            c.seq
                        ))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let seqs = (records[0].seq, records[records.len() - 1].seq);
            Ok(Group { entity, rows, seqs })
        })
        .collect::<Result<_>>()?;
    Ok(ReadPage {
        groups,
        changes: page.changes.len(),
        cursor: page.cursor,
        has_more: page.has_more,
    })
}

fn bind(args: &mut SqliteArguments, cell: &Cell) -> Result<()> {
    match cell {
        Cell::Null => args.add(None::<i64>),
        Cell::Int(v) => args.add(*v),
        Cell::Real(v) => args.add(*v),
        Cell::Text(v) => args.add(Arc::clone(v)),
    }
    .map_err(|e| Error::Internal(format!("cannot bind a synced value: {e}")))
}

/// Runs `sql(n)` on the rows in pieces of [`chunks`], each row bound as its `cells`; returns
/// the desk rows changed.
async fn in_chunks<'c, T, I>(
    tx: &mut Tx,
    rows: &'c [T],
    sql: impl Fn(usize) -> String,
    cells: impl Fn(&'c T) -> I,
    failed: &impl Fn(sqlx::Error) -> Error,
) -> Result<u64>
where
    I: Iterator<Item = &'c Cell>,
{
    let mut changed = 0;
    for chunk in chunks(rows) {
        let mut args = SqliteArguments::default();
        for row in chunk {
            for cell in cells(row) {
                bind(&mut args, cell)?;
            }
        }
        changed += sqlx::query_with(sqlx::AssertSqlSafe(sql(chunk.len())), args)
            .execute(&mut **tx)
            .await
            .map_err(failed)?
            .rows_affected();
    }
    Ok(changed)
}

/// Applies one entity's records; returns how many desk rows changed.
async fn apply_group(tx: &mut Tx, group: &Group, at: &Cell) -> Result<u64> {
    let (table, cols) = (group.entity.table(), columns(group.entity));
    let failed = |e: sqlx::Error| {
        Error::Unavailable(format!(
            "cannot apply the platform's {table} (changes {} to {}): {e}",
            group.seqs.0, group.seqs.1
        ))
    };
    let upsert = |n| upsert_sql(table, cols, n);
    let changed = in_chunks(
        tx,
        &group.rows,
        upsert,
        |row| row.cells.iter().chain([at]),
        &failed,
    )
    .await?;
    if group.entity != Entity::Invoice || changed == 0 {
        return Ok(changed);
    }
    // The line items of the invoices the desk now holds at the page's version: the old ones
    // out, then the page's in. An invoice's first version (1) replaces no other version, and a
    // replay of the same version writes its items over themselves: only a newer version has
    // old items to take out. (So a first sync, nearly all first versions, deletes nothing.)
    let version = cols
        .iter()
        .position(|c| *c == "version")
        .expect("a version");
    let replacing: Vec<&Row> = group
        .rows
        .iter()
        .filter(|row| !matches!(row.cells[version], Cell::Int(v) if v <= 1))
        .collect();
    in_chunks(
        tx,
        &replacing,
        delete_line_items_sql,
        |row| [&row.cells[0], &row.cells[version]].into_iter(),
        &failed,
    )
    .await?;
    let items: Vec<(&Row, &Row)> = group
        .rows
        .iter()
        .flat_map(|invoice| invoice.nested.iter().map(move |item| (invoice, item)))
        .collect();
    in_chunks(
        tx,
        &items,
        insert_line_items_sql,
        // As the statement binds them: id, invoice id, the rest, the invoice's version.
        |(invoice, item)| {
            [&item.cells[0], &invoice.cells[0]]
                .into_iter()
                .chain(&item.cells[1..])
                .chain([&invoice.cells[version]])
        },
        &failed,
    )
    .await?;
    Ok(changed)
}

/// Applies a page read by [`read_page`] and moves the cursor to the page's, in one transaction.
/// Returns the desk rows that changed.
pub async fn apply_read_page(store: &Store, page: &ReadPage) -> Result<u64> {
    // Groups come in reference order, so foreign keys hold statement by statement. (Deferring
    // them with a pragma instead expires every statement the connection has prepared, so each
    // page's statements would be compiled again.)
    let mut tx = store.write().await?;
    let at = ts(now());
    let at_cell = Cell::Text(at.as_str().into());
    let mut changed = 0;
    for group in &page.groups {
        changed += apply_group(&mut tx, group, &at_cell).await?;
    }
    state::put(&mut *tx, state::CURSOR, &page.cursor.to_string()).await?;
    state::put(&mut *tx, state::LAST_PULL, &at).await?;
    tx.commit().await?;
    Ok(changed)
}

/// Reads and applies one page of the feed (see [`apply_read_page`]).
pub async fn apply_page(store: &Store, page: &RawChangesPage) -> Result<u64> {
    apply_read_page(store, &read_page(page)?).await
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[tokio::test]
    async fn a_line_item_that_moves_to_another_invoice_moves_on_the_desk() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        let a = |seq, version, items: &[(&str, i64)]| {
            invoice_record(seq, "inv_a", version, "PENDING", items)
        };
        let b = |seq, version, items: &[(&str, i64)]| {
            invoice_record(seq, "inv_b", version, "PENDING", items)
        };
        apply_page(
            &store,
            &page(3, vec![customer(1), a(2, 1, &[("li_x", 10)]), b(3, 1, &[])]),
        )
        .await
        .unwrap();
        // The item now belongs to B, and B's new version comes a page before A's.
        apply_page(&store, &page(4, vec![b(4, 2, &[("li_x", 10)])]))
            .await
            .unwrap();
        apply_page(&store, &page(5, vec![a(5, 2, &[("li_y", 20)])]))
            .await
            .unwrap();
        let items: Vec<(String, String)> =
            sqlx::query_as("SELECT id, invoice_id FROM invoice_line_items ORDER BY id")
                .fetch_all(store.pool())
                .await
                .unwrap();
        assert_eq!(
            items,
            vec![
                ("li_x".to_owned(), "inv_b".to_owned()),
                ("li_y".to_owned(), "inv_a".to_owned())
            ]
        );
    }

    #[test]
    fn rows_go_in_as_few_statements_as_the_ladder_allows() {
        let sizes = |n: usize| chunks(&vec![(); n]).map(<[()]>::len).collect::<Vec<_>>();
        assert_eq!(sizes(0), Vec::<usize>::new());
        assert_eq!(sizes(1000), vec![100; 10]);
        assert_eq!(sizes(123), vec![100, 10, 10, 1, 1, 1]);
    }

    #[test]
    fn the_upsert_never_goes_back_a_version() {
        let sql = upsert_sql("wallets", columns(Entity::Wallet), 2);
        assert!(
            sql.contains("WHERE excluded.version >= wallets.version"),
            "{sql}"
        );
        assert!(
            !sql.contains("id = excluded.id"),
            "the key is not rewritten: {sql}"
        );
    }

    #[test]
    fn a_page_keeps_each_records_newest_state_once() {
        let page = [
            change(1, Entity::Ticket, "tkt_a", 1, r#"{"v":1}"#),
            change(2, Entity::Message, "msg_a", 1, r#"{"m":1}"#),
            change(3, Entity::Ticket, "tkt_a", 2, r#"{"v":2}"#),
            change(4, Entity::Ticket, "tkt_b", 1, r#"{"b":1}"#),
        ];
        let groups = latest_by_entity(&page);
        let seqs: Vec<(Entity, Vec<i64>)> = groups
            .iter()
            .map(|(e, v)| (*e, v.iter().map(|c| c.seq).collect()))
            .collect();
        assert_eq!(
            seqs,
            vec![(Entity::Ticket, vec![3, 4]), (Entity::Message, vec![2])],
            "tkt_a once, at version 2; tickets before the messages that reference them"
        );
    }

    #[test]
    fn a_change_without_a_record_is_refused() {
        let page = [change(9, Entity::Customer, "cus_a", 1, "null")];
        assert!(read_page(&super::super::fixtures::page(9, page.into())).is_err());
    }

    async fn invoice_now(store: &Store) -> (i64, String, Vec<(String, i64)>) {
        let (version, status): (i64, String) =
            sqlx::query_as("SELECT version, payment_status FROM invoices WHERE id = 'inv_p1'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        let items = sqlx::query_as(
            "SELECT id, amount FROM invoice_line_items WHERE invoice_id = 'inv_p1' ORDER BY id",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        (version, status, items)
    }

    #[tokio::test]
    async fn pages_apply_newer_versions_with_their_line_items_and_never_go_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        // The invoice arrives before its customer within the page: customers are applied first.
        let first = page(
            2,
            vec![invoice(1, 1, "PENDING", &[("li_a", 4118)]), customer(2)],
        );
        assert_eq!(apply_page(&store, &first).await.unwrap(), 2);
        assert_eq!(
            invoice_now(&store).await,
            (1, "PENDING".into(), vec![("li_a".into(), 4118)])
        );
        assert_eq!(
            crate::sync::cursor(&store).await.unwrap(),
            2,
            "the cursor moves with its page"
        );
        // A first version replayed (a page applied again after a crash) writes its items over
        // themselves.
        assert_eq!(apply_page(&store, &first).await.unwrap(), 2);
        assert_eq!(
            invoice_now(&store).await,
            (1, "PENDING".into(), vec![("li_a".into(), 4118)])
        );

        // Twice in one page: the newest state wins, its items replace the old ones.
        let newer = page(
            4,
            vec![
                invoice(3, 2, "FAILED", &[("li_a", 4118)]),
                invoice(4, 3, "SUCCEEDED", &[("li_b", 100), ("li_c", 4018)]),
            ],
        );
        assert_eq!(apply_page(&store, &newer).await.unwrap(), 1);
        let latest = (
            3,
            "SUCCEEDED".to_owned(),
            vec![("li_b".to_owned(), 100), ("li_c".to_owned(), 4018)],
        );
        assert_eq!(invoice_now(&store).await, latest);

        // An older version replayed changes nothing, items included; the same one is harmless.
        let older = page(5, vec![invoice(3, 2, "FAILED", &[("li_a", 4118)])]);
        assert_eq!(apply_page(&store, &older).await.unwrap(), 0);
        assert_eq!(invoice_now(&store).await, latest, "never back a version");
        let again = page(
            6,
            vec![invoice(4, 3, "SUCCEEDED", &[("li_b", 100), ("li_c", 4018)])],
        );
        apply_page(&store, &again).await.unwrap();
        assert_eq!(invoice_now(&store).await, latest, "a replay is idempotent");

        // A page that cannot apply leaves the desk and its cursor as they were.
        let broken = page(
            7,
            vec![change(
                7,
                Entity::Payment,
                "pay_x",
                1,
                r#"{"id": "pay_x", "version": 1}"#,
            )],
        );
        assert!(
            apply_page(&store, &broken).await.is_err(),
            "a payment without its columns is refused"
        );
        assert_eq!(
            crate::sync::cursor(&store).await.unwrap(),
            6,
            "a failed page does not move the cursor"
        );
    }
}
