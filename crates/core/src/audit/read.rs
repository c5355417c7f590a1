//! Reading the audit log back: checking the chain ([`verify`]) and the newest rows ([`tail`]).

use super::{GENESIS, row_hash};
use crate::store::parse_ts;
use crate::{Error, Result};
use countersign_model::workflow::AuditEntry;
use sqlx::{Row, SqlitePool};

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
            return Ok(broken(
                seq,
                "its prev_hash does not match the row before".into(),
            ));
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
            return Ok(broken(
                seq,
                "its content does not match its hash (modified)".into(),
            ));
        }
        prev = hash;
        expected_seq += 1;
        count += 1;
    }
    drop(rows);
    // AUTOINCREMENT keeps the highest seq ever used in sqlite_sequence: rows cut from the end
    // leave it pointing past the last row.
    let highest: Option<i64> =
        sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
            .fetch_optional(pool)
            .await?;
    let last = count;
    match highest {
        Some(h) if h != last => Ok(Verification {
            rows: count,
            broken: Some(Break {
                seq: last + 1,
                why: format!(
                    "the log ends at row {last} but row {h} was written: rows were removed from the end"
                ),
            }),
        }),
        None if count > 0 => Ok(Verification {
            rows: count,
            broken: Some(Break {
                seq: last,
                why: "the record of the highest row written is missing".into(),
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
    // The filter is text to find, not a pattern: `_` in `approve_draft` is an underscore. It
    // is looked for in the arguments too: a decision's ticket id is there, not in the subject.
    let pattern = filter.map(|f| {
        format!(
            "%{}%",
            f.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    });
    sqlx::query(
        "SELECT seq, at, actor_kind, actor, token_id, action, subject, arguments, outcome, duration_us, hash \
         FROM audit_log WHERE (?1 IS NULL OR action LIKE ?1 ESCAPE '\\' OR actor LIKE ?1 ESCAPE '\\' \
         OR subject LIKE ?1 ESCAPE '\\' OR arguments LIKE ?1 ESCAPE '\\') ORDER BY seq DESC LIMIT ?2",
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
