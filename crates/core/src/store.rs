//! Opening a desk database: SQLite in WAL mode with a busy timeout and foreign keys, migrated to
//! the embedded schema. Writers take the lock up front (`BEGIN IMMEDIATE`) so that two processes
//! on one desk (the app and a `countersign mcp` child) queue instead of failing mid-transaction.

use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// The schema every desk is migrated to, embedded at build time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// How long a writer waits for another writer before reporting `unavailable`.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) type Tx = Transaction<'static, Sqlite>;

/// One desk database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
    /// The audit chain's last (seq, hash) as this process last wrote it; see `audit::append_now`.
    pub(crate) audit_head: std::sync::Arc<std::sync::Mutex<Option<(i64, String)>>>,
}

impl Store {
    /// Opens (creating if missing) the database at `path` and applies pending migrations.
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Unavailable(format!("cannot create {}: {e}", dir.display())))?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true)
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-32000");
        let pool = SqlitePoolOptions::new()
            // A local file cannot drop a connection: pinging before each use only adds a round trip.
            .test_before_acquire(false)
            .max_connections(6)
            .min_connections(1)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self {
            pool,
            path: path.to_owned(),
            audit_head: Default::default(),
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts a write transaction holding SQLite's write lock from its first statement.
    pub(crate) async fn write(&self) -> Result<Tx> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Closes every connection (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Now, at the precision the desk stores (milliseconds), so a value returned equals the value read back.
pub fn now() -> DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(3)
}

pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Parses a timestamp read from the desk.
pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::Internal(format!("bad timestamp {s:?} in the desk: {e}")))
}

pub(crate) fn parse_ts_opt(s: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    s.map(parse_ts).transpose()
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| Error::Internal(format!("bad date {s:?} in the desk: {e}")))
}

pub(crate) fn parse_date_opt(s: Option<&str>) -> Result<Option<NaiveDate>> {
    s.map(parse_date).transpose()
}

/// Maps a parse failure of a stored value: the desk holds something it should not.
pub(crate) fn corrupt<E: std::fmt::Display>(e: E) -> Error {
    Error::Internal(format!("unexpected value in the desk: {e}"))
}
