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

/// How often the background task checkpoints the WAL (see [`Store::open`]).
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// WAL pages (4 KiB) past which the committing writer checkpoints by itself (see
/// [`Store::open`]): 64 MiB.
const WAL_BACKSTOP_PAGES: u32 = 16_384;

/// How many connections [`Store::open`] keeps for the desk's work.
pub const DEFAULT_CONNECTIONS: u32 = 6;

/// One desk database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// The background checkpoint's own connection, so it never waits for (or holds up) work.
    checkpoints: SqlitePool,
    path: PathBuf,
    /// Keeps the checkpoint task running while any clone of this store is alive.
    _alive: std::sync::Arc<()>,
    /// The audit chain's last (seq, hash) as this process last wrote it; see `audit::append_now`.
    pub(crate) audit_head: std::sync::Arc<std::sync::Mutex<Option<(i64, String)>>>,
}

impl Store {
    /// Opens (creating if missing) the database at `path` and applies pending migrations.
    ///
    /// The WAL is checkpointed by a background task every [`CHECKPOINT_EVERY`] instead of by
    /// SQLite inside whichever commit crosses its threshold (1000 pages by default): a
    /// checkpoint copies pages and syncs the file, milliseconds a request would otherwise wait
    /// for. Closing the store checkpoints what is left. Must be called inside a tokio runtime.
    ///
    /// SQLite's own threshold stays, raised to [`WAL_BACKSTOP_PAGES`], as a backstop: SQLite
    /// starts the log again from its first frame only when a write begins with every frame
    /// checkpointed, and under writes that never pause (a first sync; an assistant's calls,
    /// each audited) one always commits while the background checkpoint runs. The log then
    /// grew for as long as the writes lasted (3.7 GB over a 100k-customer first sync, every
    /// new block zeroed by the file system, every page read searching a longer WAL index).
    /// Past the threshold, the committing writer checkpoints the few frames the background
    /// task has not yet copied, and its next write starts the log again.
    pub async fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, DEFAULT_CONNECTIONS).await
    }

    /// [`Store::open`] with at most `connections` connections for the desk's work (the
    /// background checkpoint opens one more of its own, once it first runs).
    ///
    /// A process that runs on one CPU should ask for one. SQLite drops a connection's whole
    /// page cache when it begins a read after another connection has written, and an MCP
    /// server writes an audit row on every call: with several connections taking turns (the
    /// pool hands out the longest idle), each call began with a cold cache and read every
    /// page it needed from the file again, B-tree roots included: 30 `pread`s per
    /// `get_invoice` call on the 1M-invoice bench desk, against 6.5 on one connection
    /// (`perf stat -e syscalls:sys_enter_pread64 -p <server>`). Several connections only pay
    /// off when their statements can run on several CPUs. With one, work takes turns: a write
    /// that waits for another process's write lock (up to [`BUSY_TIMEOUT`]) holds up the
    /// reads queued behind it.
    pub async fn open_with(path: &Path, connections: u32) -> Result<Self> {
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
            .pragma("cache_size", "-32000")
            .pragma("wal_autocheckpoint", WAL_BACKSTOP_PAGES.to_string());
        let pool_of = |n: u32| {
            SqlitePoolOptions::new()
                // A local file cannot drop a connection: pinging before each use only adds a
                // round trip, and replacing an old one only empties its cache.
                .test_before_acquire(false)
                .max_lifetime(None)
                .max_connections(n)
        };
        let pool = pool_of(connections.max(1))
            .min_connections(1)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&pool).await?;
        // Opened on the first checkpoint: a short command never needs it.
        let checkpoints = pool_of(1).connect_lazy_with(options);
        let alive = std::sync::Arc::new(());
        tokio::spawn(checkpoint_until_dropped(
            checkpoints.clone(),
            std::sync::Arc::downgrade(&alive),
        ));
        Ok(Self {
            pool,
            checkpoints,
            path: path.to_owned(),
            _alive: alive,
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
        self.checkpoints.close().await;
        self.pool.close().await;
    }
}

/// Checkpoints the WAL (PASSIVE: never waits for readers or writers) every
/// [`CHECKPOINT_EVERY`] until the store is dropped or closed.
async fn checkpoint_until_dropped(pool: SqlitePool, alive: std::sync::Weak<()>) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tick.tick().await;
        if alive.strong_count() == 0 || pool.is_closed() {
            return;
        }
        match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            Ok(_) => {}
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => tracing::warn!(error = %e, "cannot checkpoint the desk's WAL"),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn file_len(path: &Path) -> u64 {
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
    }

    /// Lets the first background pass checkpoint the migrations, so the file is settled, then
    /// commits ~8 MB at once: far past SQLite's default threshold (1000 pages of 4 KiB), under
    /// the backstop. Returns the file's length before the commit.
    async fn settle_then_commit_8_mb(store: &Store) -> u64 {
        tokio::time::sleep(CHECKPOINT_EVERY * 2 + Duration::from_millis(200)).await;
        let before = file_len(store.path());
        sqlx::raw_sql(
            "CREATE TABLE scratch (b BLOB); \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
             INSERT INTO scratch SELECT randomblob(4000) FROM n;",
        )
        .execute(store.pool())
        .await
        .unwrap();
        before
    }

    /// Waits for a checkpoint to copy those 8 MB into the database file; `why` if none does.
    async fn wait_for_the_checkpoint(store: &Store, before: u64, why: &str) {
        let deadline = std::time::Instant::now() + CHECKPOINT_EVERY * 5;
        while file_len(store.path()) < before + 8_000_000 {
            assert!(std::time::Instant::now() < deadline, "{why}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A commit never waits for a checkpoint; the background task copies the WAL into the
    /// database file soon after.
    #[tokio::test]
    async fn commits_leave_checkpoints_to_the_background_task() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.sqlite3");
        let store = Store::open(&path).await.unwrap();
        let before = settle_then_commit_8_mb(&store).await;
        assert_eq!(
            file_len(&path),
            before,
            "the commit itself checkpointed into the database file"
        );
        let why = format!("no background checkpoint within {:?}", CHECKPOINT_EVERY * 5);
        wait_for_the_checkpoint(&store, before, &why).await;
        store.close().await;
    }

    /// With one connection for work, the background checkpoint still runs while that
    /// connection is busy: it has its own.
    #[tokio::test]
    async fn one_connection_leaves_checkpoints_their_own() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with(&dir.path().join("desk.sqlite3"), 1)
            .await
            .unwrap();
        let before = settle_then_commit_8_mb(&store).await;
        let held = store.pool().acquire().await.unwrap();
        assert_eq!(store.pool().size(), 1, "one connection for work");
        let why = "no checkpoint while the only working connection was held";
        wait_for_the_checkpoint(&store, before, why).await;
        drop(held);
        store.close().await;
    }

    /// The WAL header's first salt: SQLite changes it each time it starts the log again.
    fn log_salt(wal: &Path) -> u32 {
        let mut header = [0u8; 20];
        match std::fs::File::open(wal).and_then(|mut f| {
            use std::io::Read;
            f.read_exact(&mut header)
        }) {
            Ok(()) => u32::from_be_bytes(header[16..20].try_into().unwrap()),
            Err(_) => 0,
        }
    }

    /// Under writes that never pause, the log still starts again from its first frame (a
    /// PASSIVE checkpoint alone never catches up with them, and the WAL would grow for as long
    /// as they last).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_steady_stream_of_writes_still_restarts_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.sqlite3");
        let wal = dir.path().join("desk.sqlite3-wal");
        let store = Store::open(&path).await.unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = tokio::spawn({
            let (pool, stop) = (store.pool().clone(), stop.clone());
            async move {
                // Each value differs: SQLite writes nothing for a row replaced by its equal.
                let value = "x".repeat(16 * 1024);
                let mut i = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    sqlx::query("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)")
                        .bind(format!("test.{}", i % 64))
                        .bind(format!("{i} {value}"))
                        .execute(&pool)
                        .await
                        .unwrap();
                    i += 1;
                }
                i
            }
        });
        let mut salts = std::collections::BTreeSet::from([log_salt(&wal)]);
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while salts.len() < 3 && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
            salts.insert(log_salt(&wal));
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let commits = writer.await.unwrap();
        assert!(
            salts.len() >= 3,
            "the log started again {} times in {commits} commits; the WAL is {} bytes",
            salts.len() - 1,
            file_len(&wal)
        );
        store.close().await;
    }
}
