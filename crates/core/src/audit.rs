//! The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained.
//!
//! Each row stores `prev_hash` and `hash = sha256(prev_hash ‖ canonical JSON of the row)`; the
//! head (last seq and hash) is kept in `settings` in the same transaction. [`verify`] recomputes
//! the chain and reports the first row that was modified, removed or reordered, and a truncated
//! tail. Rows are appended inside the transaction of the effect they describe.

use crate::store::{Tx, now, parse_ts, ts};
use crate::{Error, Result};
use countersign_model::workflow::AuditEntry;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::{Row, SqlitePool};

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
    ["token", "secret", "password", "authorization", "api_key", "apikey", "cookie"]
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

/// Appends `record` inside `tx`. Call it in the transaction of the effect it describes.
pub async fn append(tx: &mut Tx, record: &Record<'_>) -> Result<i64> {
    let (last_seq, prev_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?
            .unwrap_or((0, GENESIS.to_owned()));
    let seq = last_seq + 1;
    let at = ts(now());
    let arguments = redact(record.arguments).to_string();
    let hash = row_hash(
        &prev_hash,
        seq,
        &at,
        record.actor_kind.as_str(),
        record.actor,
        record.token_id,
        record.action,
        record.subject,
        &arguments,
        record.outcome,
        record.duration_us,
    );
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_kind, actor, token_id, action, subject, arguments, \
         outcome, duration_us, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(seq)
    .bind(&at)
    .bind(record.actor_kind.as_str())
    .bind(record.actor)
    .bind(record.token_id)
    .bind(record.action)
    .bind(record.subject)
    .bind(&arguments)
    .bind(record.outcome)
    .bind(record.duration_us)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('audit.head', ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(format!("{seq}:{hash}"))
    .execute(&mut **tx)
    .await?;
    Ok(seq)
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verification {
    pub rows: i64,
    /// `None` when the chain is intact.
    pub broken: Option<Break>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Break {
    /// The first row that does not check out (or the expected next seq when rows are missing).
    pub seq: i64,
    pub why: String,
}

/// Recomputes the whole chain, streaming it in seq order.
pub async fn verify(pool: &SqlitePool) -> Result<Verification> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query(
        "SELECT seq, at, actor_kind, actor, token_id, action, subject, arguments, outcome, \
         duration_us, prev_hash, hash FROM audit_log ORDER BY seq",
    )
    .fetch(pool);
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_owned();
    let mut count = 0;
    let broken = |seq: i64, why: String| Verification {
        rows: 0,
        broken: Some(Break { seq, why }),
    };
    while let Some(row) = rows.try_next().await? {
        let seq: i64 = row.try_get("seq")?;
        if seq != expected_seq {
            return Ok(broken(
                expected_seq,
                format!("row {expected_seq} is missing (next row is {seq})"),
            ));
        }
        let prev_hash: String = row.try_get("prev_hash")?;
        if prev_hash != prev {
            return Ok(broken(seq, "its prev_hash does not match the row before".into()));
        }
        let hash: String = row.try_get("hash")?;
        let recomputed = row_hash(
            &prev_hash,
            seq,
            &row.try_get::<String, _>("at")?,
            &row.try_get::<String, _>("actor_kind")?,
            &row.try_get::<String, _>("actor")?,
            row.try_get::<Option<String>, _>("token_id")?.as_deref(),
            &row.try_get::<String, _>("action")?,
            row.try_get::<Option<String>, _>("subject")?.as_deref(),
            &row.try_get::<String, _>("arguments")?,
            &row.try_get::<String, _>("outcome")?,
            row.try_get::<Option<i64>, _>("duration_us")?,
        );
        if recomputed != hash {
            return Ok(broken(seq, "its content does not match its hash (modified)".into()));
        }
        prev = hash;
        expected_seq += 1;
        count += 1;
    }
    drop(rows);
    let head: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'audit.head'")
            .fetch_optional(pool)
            .await?;
    let last = count;
    match head {
        Some(h) if h != format!("{last}:{prev}") => Ok(Verification {
            rows: count,
            broken: Some(Break {
                seq: last + 1,
                why: format!("the log ends at row {last} but its recorded head is {h}: rows were removed from the end"),
            }),
        }),
        None if count > 0 => Ok(Verification {
            rows: count,
            broken: Some(Break {
                seq: last,
                why: "the recorded head is missing".into(),
            }),
        }),
        _ => Ok(Verification {
            rows: count,
            broken: None,
        }),
    }
}

/// The newest `limit` rows, newest first, optionally only those whose action or actor contains `filter`.
pub async fn tail(pool: &SqlitePool, limit: i64, filter: Option<&str>) -> Result<Vec<AuditEntry>> {
    let limit = limit.clamp(1, 1000);
    let pattern = filter.map(|f| format!("%{}%", f.replace(['%', '_'], "")));
    sqlx::query(
        "SELECT seq, at, actor_kind, actor, token_id, action, subject, arguments, outcome, duration_us, hash \
         FROM audit_log WHERE (?1 IS NULL OR action LIKE ?1 OR actor LIKE ?1 OR subject LIKE ?1) \
         ORDER BY seq DESC LIMIT ?2",
    )
    .bind(pattern)
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        Ok(AuditEntry {
            seq: row.try_get("seq")?,
            at: parse_ts(&row.try_get::<String, _>("at")?)?,
            actor_kind: row.try_get("actor_kind")?,
            actor: row.try_get("actor")?,
            token_id: row.try_get("token_id")?,
            action: row.try_get("action")?,
            subject: row.try_get("subject")?,
            arguments: serde_json::from_str(&row.try_get::<String, _>("arguments")?)
                .map_err(|e| Error::Internal(format!("audit arguments: {e}")))?,
            outcome: row.try_get("outcome")?,
            duration_us: row.try_get("duration_us")?,
            hash: row.try_get("hash")?,
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
