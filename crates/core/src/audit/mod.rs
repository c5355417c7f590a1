//! The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained.
//!
//! Each row stores `prev_hash` and `hash = sha256(prev_hash ‖ canonical JSON of the row)`.
//! [`verify`] recomputes the chain and reports the first row that was modified, removed or
//! reordered, and a truncated tail (SQLite's AUTOINCREMENT record still names the last row). Rows are appended inside the transaction of the effect they describe.

mod read;

pub use read::{Break, Verification, tail, verify};

use crate::store::{Store, Tx, now, ts};
use crate::{Error, Result};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::{Connection, SqliteConnection};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Human,
    Assistant,
    System,
}

impl ActorKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Human => "human",
            Self::Assistant => "assistant",
            Self::System => "system",
        }
    }
}

/// One row to append.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub actor_kind: ActorKind,
    pub actor: &'a str,
    pub token_id: Option<&'a str>,
    pub action: &'a str,
    pub subject: Option<&'a str>,
    /// Redacted by [`append`] before it is stored.
    pub arguments: &'a Value,
    /// `ok` or an error code.
    pub outcome: &'a str,
    pub duration_us: Option<i64>,
}

/// Keys whose values never reach the log.
fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "token",
        "secret",
        "password",
        "authorization",
        "api_key",
        "apikey",
        "cookie",
    ]
    .iter()
    .any(|s| k.contains(s))
        && k != "token_id"
}

/// Replaces the values of secret-looking keys, at any depth, with `"[redacted]"`.
pub fn redact(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if is_secret_key(k) {
                        Value::String("[redacted]".into())
                    } else {
                        redact(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        other => other.clone(),
    }
}

/// The most bytes of a call's arguments the log keeps as they are. Larger arguments (a 1 MiB
/// note an assistant sent, refused or not) are kept as their first [`ARGUMENTS_HEAD_CHARS`]
/// characters, their length in bytes and their SHA-256: the log still proves what was sent,
/// and a flood cannot grow it by more than this per call.
pub const MAX_ARGUMENTS_BYTES: usize = 4096;
/// The characters of an oversized argument text kept in the log.
pub const ARGUMENTS_HEAD_CHARS: usize = 512;

fn bounded(arguments: String) -> String {
    if arguments.len() <= MAX_ARGUMENTS_BYTES {
        return arguments;
    }
    use sha2::{Digest, Sha256};
    let head: String = arguments.chars().take(ARGUMENTS_HEAD_CHARS).collect();
    serde_json::json!({
        "truncated": true,
        "bytes": arguments.len(),
        "sha256": hex::encode(Sha256::digest(arguments.as_bytes())),
        "head": head,
    })
    .to_string()
}

#[allow(clippy::too_many_arguments)]
fn row_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor_kind: &str,
    actor: &str,
    token_id: Option<&str>,
    action: &str,
    subject: Option<&str>,
    arguments: &str,
    outcome: &str,
    duration_us: Option<i64>,
) -> String {
    let canonical = json!([
        seq,
        at,
        actor_kind,
        actor,
        token_id,
        action,
        subject,
        arguments,
        outcome,
        duration_us
    ]);
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// A row ready to insert once its place in the chain is known.
struct Prepared<'a> {
    record: &'a Record<'a>,
    at: String,
    arguments: String,
}

impl<'a> Prepared<'a> {
    fn new(record: &'a Record<'a>) -> Self {
        Self {
            record,
            at: ts(now()),
            arguments: bounded(redact(record.arguments).to_string()),
        }
    }

    /// Inserts the row after (`last_seq`, `prev_hash`), only if that is still the tail of the
    /// chain, seq and hash both: one statement, atomic on its own. Returns the new tail, or
    /// `None` if the chain moved (another writer appended first, or the tail this process
    /// remembered was never committed).
    async fn insert_after(
        &self,
        conn: &mut SqliteConnection,
        last_seq: i64,
        prev_hash: &str,
    ) -> Result<Option<(i64, String)>> {
        let r = self.record;
        let seq = last_seq + 1;
        let hash = row_hash(
            prev_hash,
            seq,
            &self.at,
            r.actor_kind.as_str(),
            r.actor,
            r.token_id,
            r.action,
            r.subject,
            &self.arguments,
            r.outcome,
            r.duration_us,
        );
        let inserted = sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_kind, actor, token_id, action, subject, arguments, \
             outcome, duration_us, prev_hash, hash) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? \
             WHERE COALESCE((SELECT MAX(seq) FROM audit_log), 0) = ? \
               AND COALESCE((SELECT hash FROM audit_log WHERE seq = ?), ?) = ?",
        )
        .bind(seq)
        .bind(&self.at)
        .bind(r.actor_kind.as_str())
        .bind(r.actor)
        .bind(r.token_id)
        .bind(r.action)
        .bind(r.subject)
        .bind(&self.arguments)
        .bind(r.outcome)
        .bind(r.duration_us)
        .bind(prev_hash)
        .bind(&hash)
        .bind(last_seq)
        .bind(last_seq)
        .bind(GENESIS)
        .bind(prev_hash)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        Ok((inserted == 1).then_some((seq, hash)))
    }
}

/// The chain's tail as stored now.
async fn chain_tail(conn: &mut SqliteConnection) -> Result<(i64, String)> {
    Ok(
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or((0, GENESIS.to_owned())),
    )
}

/// Appends `record` inside `tx`. Call it in the transaction of the effect it describes; the
/// transaction holds the write lock, so the tail it reads cannot move.
pub async fn append(tx: &mut Tx, record: &Record<'_>) -> Result<i64> {
    let row = Prepared::new(record);
    let (last_seq, prev_hash) = chain_tail(tx).await?;
    let (seq, _) = row
        .insert_after(tx, last_seq, &prev_hash)
        .await?
        .ok_or_else(|| {
            Error::Internal("the audit chain moved inside a write transaction".into())
        })?;
    Ok(seq)
}

/// Appends `record` on its own — for a call that wrote nothing else (a read). The common case
/// is one guarded statement after the tail this process last appended this way. If the chain
/// has moved since (another process on the desk, or [`append`] inside a transaction), the
/// append is redone under the write lock.
pub async fn append_now(store: &Store, record: &Record<'_>) -> Result<i64> {
    append_now_on(&mut *store.pool().acquire().await?, store, record).await
}

/// [`append_now`] on `conn`, the connection of the read it records. Refuses a connection in a
/// transaction: the row must be committed by the time the call's result is shown.
pub async fn append_now_on(
    conn: &mut SqliteConnection,
    store: &Store,
    record: &Record<'_>,
) -> Result<i64> {
    if conn.is_in_transaction() {
        return Err(Error::Internal(
            "an audit row of its own cannot join an open transaction".into(),
        ));
    }
    let row = Prepared::new(record);
    let cached = store
        .audit_head
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    if let Some((last_seq, prev_hash)) = cached
        && let Some(head) = row.insert_after(conn, last_seq, &prev_hash).await?
    {
        let seq = head.0;
        *store.audit_head.lock().unwrap_or_else(|p| p.into_inner()) = Some(head);
        return Ok(seq);
    }
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let (last_seq, prev_hash) = chain_tail(&mut tx).await?;
    let head = row
        .insert_after(&mut tx, last_seq, &prev_hash)
        .await?
        .ok_or_else(|| {
            Error::Internal("the audit chain moved inside a write transaction".into())
        })?;
    tx.commit().await?;
    let seq = head.0;
    *store.audit_head.lock().unwrap_or_else(|p| p.into_inner()) = Some(head);
    Ok(seq)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_call() -> Record<'static> {
        static ARGS: std::sync::LazyLock<Value> =
            std::sync::LazyLock::new(|| json!({"invoice_number": "INV-1"}));
        Record {
            actor_kind: ActorKind::Assistant,
            actor: "test",
            token_id: None,
            action: "get_invoice",
            subject: None,
            arguments: &ARGS,
            outcome: "ok",
            duration_us: Some(1),
        }
    }

    /// A remembered tail whose seq is right but whose hash is not (a row that was rolled back
    /// and rewritten by another process) does not get a row chained to it.
    #[tokio::test]
    async fn an_append_after_a_wrong_remembered_tail_keeps_the_chain() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        let first = append_now(&store, &read_call()).await.unwrap();
        *store.audit_head.lock().unwrap() = Some((first, "f".repeat(64)));
        append_now(&store, &read_call()).await.unwrap();
        let v = verify(store.pool()).await.unwrap();
        assert_eq!((v.rows, v.broken), (2, None));
        store.close().await;
    }

    #[tokio::test]
    async fn an_append_of_its_own_refuses_an_open_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        append_now(&store, &read_call()).await.unwrap(); // the next one takes the short path
        let mut tx = store.pool().begin().await.unwrap();
        let e = append_now_on(&mut tx, &store, &read_call())
            .await
            .unwrap_err();
        assert_eq!(e.code(), countersign_model::ErrorCode::Internal);
        tx.rollback().await.unwrap();
        assert_eq!(verify(store.pool()).await.unwrap().rows, 1);
        store.close().await;
    }

    #[test]
    fn oversized_arguments_are_kept_as_head_length_and_hash() {
        let small = json!({"body": "hi"}).to_string();
        assert_eq!(
            bounded(small.clone()),
            small,
            "small arguments are kept whole"
        );
        let big = json!({"body": "é".repeat(600_000)}).to_string();
        let kept: Value = serde_json::from_str(&bounded(big.clone())).unwrap();
        assert!(
            kept.to_string().len() < MAX_ARGUMENTS_BYTES,
            "{} bytes",
            kept.to_string().len()
        );
        assert_eq!(kept["truncated"], true);
        assert_eq!(kept["bytes"], big.len());
        assert_eq!(
            kept["head"].as_str().unwrap().chars().count(),
            ARGUMENTS_HEAD_CHARS
        );
        use sha2::{Digest, Sha256};
        assert_eq!(kept["sha256"], hex::encode(Sha256::digest(big.as_bytes())));
    }

    #[test]
    fn redacts_secrets_at_any_depth_but_keeps_token_ids() {
        let v = json!({"body": "hi", "token": "cst_x", "nested": [{"Authorization": "Bearer y"}], "token_id": "tok_1"});
        let r = redact(&v);
        assert_eq!(r["token"], "[redacted]");
        assert_eq!(r["nested"][0]["Authorization"], "[redacted]");
        assert_eq!(r["token_id"], "tok_1");
        assert_eq!(r["body"], "hi");
    }
}
