//! Loading many rows at once: the demo seeder and a desk's first sync. Index maintenance row by
//! row costs more than building each index once at the end (a sorted build), so a bulk load
//! drops the secondary indexes of the tables it fills, and sometimes the full-text triggers,
//! and recreates them afterwards from the SQL the schema itself holds: the migrations stay the
//! one place that defines them.

use crate::Result;
use serde::{Deserialize, Serialize};
use sqlx::{AssertSqlSafe, QueryBuilder, Sqlite, SqliteConnection};

/// The tables a bulk load fills: the records a desk holds from its billing and support
/// systems. Escalations are left out: their queue is the desk's own work and stays indexed.
pub(crate) const TABLES: &[&str] = &[
    "customers",
    "subscriptions",
    "wallets",
    "invoices",
    "invoice_line_items",
    "payments",
    "tickets",
    "messages",
    "kb_articles",
];

/// The full-text indexes over those tables.
const SEARCH_INDEXES: &[&str] = &["customers_fts", "tickets_fts", "messages_fts", "kb_fts"];

/// An index or trigger as the schema defines it, kept so it can be created again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SchemaObject {
    pub name: String,
    pub sql: String,
}

/// Drops the schema objects of `kind` (`index` or `trigger`) on [`TABLES`] whose names `pick`
/// accepts, and returns their definitions. Automatic indexes (primary keys and UNIQUE
/// constraints, which have no SQL) always stay.
async fn drop_objects(
    conn: &mut SqliteConnection,
    kind: &str,
    pick: impl Fn(&str) -> bool,
) -> Result<Vec<SchemaObject>> {
    let mut query: QueryBuilder<Sqlite> =
        QueryBuilder::new("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type = ");
    query.push_bind(kind);
    query.push(" AND tbl_name IN (");
    let mut tables = query.separated(", ");
    for table in TABLES {
        tables.push_bind(*table);
    }
    query.push(") ORDER BY name");
    let found: Vec<(String, String)> = query.build_query_as().fetch_all(&mut *conn).await?;
    let mut dropped = Vec::with_capacity(found.len());
    for (name, sql) in found.into_iter().filter(|(name, _)| pick(name)) {
        // `kind` is one of two literals; the name comes from the schema, quoted all the same.
        let drop = format!(
            "DROP {} \"{}\"",
            if kind == "index" { "INDEX" } else { "TRIGGER" },
            name.replace('"', "\"\"")
        );
        sqlx::query(AssertSqlSafe(drop)).execute(&mut *conn).await?;
        dropped.push(SchemaObject { name, sql });
    }
    Ok(dropped)
}

/// Drops the secondary indexes of [`TABLES`] except those named in `keep` (which the load
/// itself reads through).
pub(crate) async fn drop_secondary_indexes(
    conn: &mut SqliteConnection,
    keep: &[&str],
) -> Result<Vec<SchemaObject>> {
    drop_objects(conn, "index", |name| !keep.contains(&name)).await
}

/// Drops the triggers that keep the full-text indexes of [`TABLES`] in step with their rows.
/// Recreate them with [`recreate`] and fill the indexes with [`rebuild_search_indexes`].
pub(crate) async fn drop_search_triggers(conn: &mut SqliteConnection) -> Result<Vec<SchemaObject>> {
    drop_objects(conn, "trigger", |name| name.contains("_fts_")).await
}

/// Creates again what the `drop_*` functions dropped, with its original SQL.
pub(crate) async fn recreate(
    conn: &mut SqliteConnection,
    objects: &[SchemaObject],
    progress: &mut (dyn FnMut(&'static str, u64, u64) + Send),
) -> Result<()> {
    let total = objects.len() as u64;
    for (i, object) in objects.iter().enumerate() {
        tracing::debug!(name = %object.name, "creating again");
        sqlx::query(AssertSqlSafe(object.sql.clone()))
            .execute(&mut *conn)
            .await?;
        progress("indexes", i as u64 + 1, total);
    }
    Ok(())
}

async fn search_command(
    conn: &mut SqliteConnection,
    command: &str,
    stage: &'static str,
    progress: &mut (dyn FnMut(&'static str, u64, u64) + Send),
) -> Result<()> {
    let total = SEARCH_INDEXES.len() as u64;
    for (i, fts) in SEARCH_INDEXES.iter().enumerate() {
        // Both names are constants of this module.
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO {fts} ({fts}) VALUES ('{command}')"
        )))
        .execute(&mut *conn)
        .await?;
        progress(stage, i as u64 + 1, total);
    }
    Ok(())
}

/// Fills the full-text indexes again from their tables, after a load without their triggers.
pub(crate) async fn rebuild_search_indexes(
    conn: &mut SqliteConnection,
    progress: &mut (dyn FnMut(&'static str, u64, u64) + Send),
) -> Result<()> {
    search_command(conn, "rebuild", "search index", progress).await
}

/// Merges each full-text index into one segment: a search then reads one doclist per term
/// instead of one per segment that row-by-row inserts left behind.
pub(crate) async fn optimize_search_indexes(
    conn: &mut SqliteConnection,
    progress: &mut (dyn FnMut(&'static str, u64, u64) + Send),
) -> Result<()> {
    search_command(conn, "optimize", "search index", progress).await
}
