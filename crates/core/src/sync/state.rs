//! Where a desk keeps its sync state: rows of the `settings` table under `sync.*` (never the
//! token, which lives in the OS keyring). Written inside the transaction whose effect they
//! describe, so the cursor cannot run ahead of the data.

use crate::Result;

pub const URL: &str = "sync.url";
pub const DEVICE_ID: &str = "sync.device_id";
/// The device id this desk pushes its outbox under, once it is no longer [`DEVICE_ID`]: a desk
/// restored from a backup reuses sequence numbers the platform has seen, and continues under a
/// new push identity (its keyring entry stays under [`DEVICE_ID`]).
pub const PUSH_DEVICE: &str = "sync.push_device";
/// `model::sync::Me` as JSON: who the platform says this desk is.
pub const ME: &str = "sync.me";
pub const CURSOR: &str = "sync.cursor";
pub const LAST_PULL: &str = "sync.last_pull_at";
pub const LAST_PUSH: &str = "sync.last_push_at";
pub const LAST_ERROR: &str = "sync.last_error";
/// `true` or `false`: whether the last exchange with the platform worked.
pub const ONLINE: &str = "sync.online";
/// The indexes and full-text triggers a first sync set aside (`bulk::SchemaObject`s as JSON),
/// until it has caught up and created them again (see `sync::initial`).
pub const SET_ASIDE: &str = "sync.set_aside_schema";
/// Set while the platform's event stream is open (changes arrive live, not on the next poll).
pub const LIVE_SINCE: &str = "sync.live_since";
/// When the platform read the presence list the desk holds (lists arriving older are dropped).
pub const PRESENCE_AS_OF: &str = "sync.presence_as_of";

/// Reads `key` through `db`: inside a transaction (`&mut *tx`) or on its own (`pool`).
pub async fn get(db: impl sqlx::SqliteExecutor<'_>, key: &str) -> Result<Option<String>> {
    crate::settings::get(db, key).await
}

/// Stores `key` through `db`: inside a transaction (`&mut *tx`) or on its own (`pool`).
pub async fn put(db: impl sqlx::SqliteExecutor<'_>, key: &str, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete(db: impl sqlx::SqliteExecutor<'_>, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM settings WHERE key = ?")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}
