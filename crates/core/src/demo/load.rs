//! Bulk writing for the generator: rows are gathered per table into multi-row INSERTs of a fixed
//! size under SQLite's bound-variable limit (so each table reuses one prepared statement), handed
//! over a bounded channel, and executed in the seeding transaction. The secondary indexes of the
//! seeded tables are dropped before the load and rebuilt after it.

use super::rows::{Binder, Col, Insert, Statics, binds};
use crate::Result;
use sqlx::error::BoxDynError;
use sqlx::sqlite::SqliteArguments;
use sqlx::{QueryBuilder, SqlStr, Sqlite, SqliteConnection};

/// SQLite's limit on bound variables in one statement (`SQLITE_MAX_VARIABLE_NUMBER`, 3.32+).
const MAX_BINDS: usize = 32_766;

/// One multi-row INSERT with its values.
pub(super) struct Statement {
    sql: SqlStr,
    args: SqliteArguments,
}

/// Statements ready to run, and how far the generator has got.
pub(super) struct Batch {
    pub stage: &'static str,
    pub done: u64,
    pub total: u64,
    pub statements: Vec<Statement>,
}

/// Why the generator stopped early.
#[derive(Debug)]
pub(super) enum Stopped {
    /// The writer went away (it failed).
    WriterGone,
    /// A value could not be bound (a bug).
    Encoding(BoxDynError),
}

/// The generator's end of the channel.
#[derive(Debug)]
pub(super) struct Sink(tokio::sync::mpsc::Sender<Batch>);

impl Sink {
    pub(super) fn new(sender: tokio::sync::mpsc::Sender<Batch>) -> Self {
        Self(sender)
    }

    /// Hands a batch to the writer, waiting while it is busy with earlier ones.
    pub(super) fn send(
        &self,
        stage: &'static str,
        done: u64,
        total: u64,
        statements: Vec<Statement>,
    ) -> Result<(), Stopped> {
        let batch = Batch {
            stage,
            done,
            total,
            statements,
        };
        self.0.blocking_send(batch).map_err(|_| Stopped::WriterGone)
    }
}

/// Rows of one table waiting to be written.
pub(super) struct Table<T> {
    rows: Vec<T>,
    per_statement: usize,
    /// The SQL of a full statement, built once so that every full statement is the same text
    /// (one prepared statement per table) and no SQL is formatted per row.
    full: SqlStr,
    synced: String,
    statics: Statics,
    written: u64,
}

impl<T: Insert> Table<T> {
    /// `synced` is the `synced_at` value as an SQL literal.
    pub(super) fn new(synced: &str) -> Self {
        let per_statement = MAX_BINDS / binds::<T>();
        Self {
            rows: Vec::with_capacity(per_statement),
            per_statement,
            full: insert_sql::<T>(per_statement, synced),
            synced: synced.to_owned(),
            statics: Statics::default(),
            written: 0,
        }
    }

    pub(super) fn push(&mut self, row: T) {
        self.rows.push(row);
    }

    /// Whether a full statement's worth of rows is waiting.
    pub(super) fn is_full(&self) -> bool {
        self.rows.len() >= self.per_statement
    }

    /// Rows handed out as statements so far.
    pub(super) fn written(&self) -> u64 {
        self.written
    }

    /// Turns waiting rows into statements: every full statement whose rows' parents are among the
    /// first `parents_written` parent rows, or, with `all`, every row (the caller has flushed the
    /// parents). So every statement would pass immediate foreign-key checks, even though the
    /// seeding connection runs without them.
    pub(super) fn flush(
        &mut self,
        parents_written: u64,
        all: bool,
        out: &mut Vec<Statement>,
    ) -> Result<(), Stopped> {
        loop {
            let n = if self.rows.len() >= self.per_statement
                && (all || self.rows[self.per_statement - 1].parent() <= parents_written)
            {
                self.per_statement
            } else if all && !self.rows.is_empty() {
                self.rows.len()
            } else {
                return Ok(());
            };
            let sql = if n == self.per_statement {
                self.full.clone()
            } else {
                insert_sql::<T>(n, &self.synced)
            };
            let mut binder = Binder::new(n * binds::<T>(), &mut self.statics);
            for row in self.rows.drain(..n) {
                row.bind(&mut binder);
            }
            let args = binder.finish().map_err(Stopped::Encoding)?;
            out.push(Statement { sql, args });
            self.written += n as u64;
        }
    }
}

/// `INSERT INTO table (…) VALUES (…), …` for `rows` rows of `T`. Everything in it comes from
/// [`Insert::COLUMNS`] and the `synced` timestamp literal; the values are bound.
fn insert_sql<T: Insert>(rows: usize, synced: &str) -> SqlStr {
    let names: Vec<&str> = T::COLUMNS.iter().map(|(name, _)| *name).collect();
    let row: Vec<String> = T::COLUMNS
        .iter()
        .map(|(_, col)| match col {
            Col::Value => "?".to_owned(),
            Col::Printf(format, n) => format!("printf('{format}'{})", ", ?".repeat(*n)),
            // The CASE sits in a function call so that SQLite does not factor it out as a
            // constant expression (bound values count as constants): factoring thousands of
            // them makes preparing a multi-row statement quadratic.
            Col::OneOf(values) => {
                let mut case = String::from("coalesce(CASE ?");
                for (i, value) in values.iter().enumerate() {
                    case.push_str(&format!(" WHEN {i} THEN '{}'", value.replace('\'', "''")));
                }
                case + " END, NULL)"
            }
            Col::Synced => synced.to_owned(),
        })
        .collect();
    let row = row.join(", ");
    let mut sql =
        QueryBuilder::<Sqlite>::new(format!("INSERT INTO {} ({}) ", T::TABLE, names.join(", ")));
    sql.push_values(0..rows, |mut values, _| {
        values.push(&row);
    });
    sql.into_sql()
}

/// Runs a batch's statements in order.
pub(super) async fn execute(conn: &mut SqliteConnection, statements: Vec<Statement>) -> Result<()> {
    for Statement { sql, args } in statements {
        sqlx::query_with(sql, args).execute(&mut *conn).await?;
    }
    Ok(())
}
