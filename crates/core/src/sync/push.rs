//! Push: the outbox to the platform, in order, in batches. A delivered row is marked with the
//! platform's answer in the same transaction as whatever that answer changes locally: a refused
//! reply puts its draft back to review, a lost race leaves a notice for the person.

use super::client::PlatformClient;
use super::state;
use crate::audit::{self, ActorKind};
use crate::store::{Tx, now, ts};
use crate::{Result, Store};
use countersign_model::ErrorCode;
use countersign_model::sync::{Mutation, MutationBatch, MutationOutcome};
use serde_json::{Value, json};
use sqlx::Row;
use std::collections::BTreeMap;

/// Mutations per request: small enough to answer quickly, large enough to drain a day offline
/// in a few round trips.
const BATCH: i64 = 200;

/// What one push did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PushReport {
    pub applied: u64,
    pub duplicates: u64,
    pub rejected: u64,
}

struct Pending {
    mutation: Mutation,
}

async fn pending(store: &Store) -> Result<Vec<Pending>> {
    let rows = sqlx::query(
        "SELECT seq, mutation_id, kind, payload, based_on FROM outbox \
         WHERE delivered_at IS NULL ORDER BY seq LIMIT ?",
    )
    .bind(BATCH)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let payload: String = r.try_get("payload")?;
            let based_on: String = r.try_get("based_on")?;
            Ok(Pending {
                mutation: Mutation {
                    seq: r.try_get("seq")?,
                    id: r.try_get("mutation_id")?,
                    kind: r.try_get("kind")?,
                    payload: serde_json::from_str(&payload).map_err(crate::store::corrupt)?,
                    based_on: serde_json::from_str::<BTreeMap<String, i64>>(&based_on)
                        .map_err(crate::store::corrupt)?,
                },
            })
        })
        .collect()
}

/// Delivers the whole outbox (batch after batch) and records each answer. [`super::sync_once`]
/// calls it with the profile's signed-in client; a caller holding its own client (a benchmark's
/// simulated desktops) may call it directly.
pub async fn push(store: &Store, client: &PlatformClient, device_id: &str) -> Result<PushReport> {
    let mut report = PushReport::default();
    loop {
        let batch = pending(store).await?;
        if batch.is_empty() {
            return Ok(report);
        }
        let request = MutationBatch {
            device_id: device_id.to_owned(),
            mutations: batch.iter().map(|p| p.mutation.clone()).collect(),
        };
        let results = match client.push(&request).await {
            Ok(r) => r.results,
            Err(e) => {
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ? \
                     WHERE delivered_at IS NULL AND seq <= ?",
                )
                .bind(e.public_message())
                .bind(request.mutations.last().map(|m| m.seq))
                .execute(store.pool())
                .await?;
                return Err(e);
            }
        };
        let mut tx = store.write().await?;
        let at = ts(now());
        for p in &batch {
            let Some(result) = results.iter().find(|r| r.id == p.mutation.id) else {
                // Not answered (a platform that stopped mid-batch): it stays queued.
                continue;
            };
            let outcome = match &result.outcome {
                MutationOutcome::Duplicate { original } => {
                    report.duplicates += 1;
                    original.as_ref()
                }
                o => o,
            };
            if let MutationOutcome::Rejected {
                code,
                message,
                winner,
            } = outcome
            {
                report.rejected += 1;
                refused(&mut tx, &p.mutation, *code, message, winner.as_ref(), &at).await?;
            } else if !matches!(result.outcome, MutationOutcome::Duplicate { .. }) {
                report.applied += 1;
            }
            sqlx::query(
                "UPDATE outbox SET delivered_at = ?, outcome = ?, last_error = NULL WHERE seq = ?",
            )
            .bind(&at)
            .bind(serde_json::to_string(&result.outcome).map_err(crate::store::corrupt)?)
            .bind(p.mutation.seq)
            .execute(&mut *tx)
            .await?;
        }
        state::put(&mut *tx, state::LAST_PUSH, &at).await?;
        tx.commit().await?;
        if results.len() < batch.len() {
            return Ok(report);
        }
    }
}

/// The local side of a refusal: undo what the desk showed as done, tell the person, audit it.
async fn refused(
    tx: &mut Tx,
    m: &Mutation,
    code: ErrorCode,
    message: &str,
    winner: Option<&Value>,
    at: &str,
) -> Result<()> {
    let field = |k: &str| m.payload.get(k).and_then(Value::as_str).map(str::to_owned);
    let (subject, notice) = match m.kind.as_str() {
        "send_reply" => {
            // The reply was never sent: remove it from the thread and put its draft back to a
            // person, with the platform's reason.
            if let Some(message_id) = field("message_id") {
                sqlx::query("DELETE FROM messages WHERE id = ?")
                    .bind(message_id)
                    .execute(&mut **tx)
                    .await?;
            }
            let draft = field("draft_id");
            if let Some(draft) = &draft {
                sqlx::query(
                    "UPDATE drafts SET status = 'stale', stale_reason = ?, decided_by = NULL, \
                     decided_at = NULL, final_body = NULL WHERE id = ?",
                )
                .bind(format!(
                    "the platform did not send the approved reply: {message}"
                ))
                .bind(draft)
                .execute(&mut **tx)
                .await?;
            }
            (
                draft.map(|d| format!("draft {d}")).unwrap_or_else(|| {
                    format!("reply on ticket {}", field("ticket_id").unwrap_or_default())
                }),
                format!("The reply was not sent: {message}. The draft is back for review."),
            )
        }
        "decide_escalation" => (
            format!("escalation {}", field("escalation_id").unwrap_or_default()),
            match winner {
                Some(w) => {
                    format!("Your decision was not recorded: {message}. It was decided as: {w}")
                }
                None => format!("Your decision was not recorded: {message}"),
            },
        ),
        kind => (
            format!("{kind} {}", m.id),
            format!("The platform refused {kind}: {message}"),
        ),
    };
    sqlx::query("INSERT INTO sync_notices (at, code, subject, message) VALUES (?, ?, ?, ?)")
        .bind(at)
        .bind(code.as_str())
        .bind(&subject)
        .bind(&notice)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        &audit::Record {
            actor_kind: ActorKind::System,
            actor: "platform",
            token_id: None,
            action: "sync_refused",
            subject: Some(&subject),
            arguments: &json!({"mutation_id": m.id, "kind": m.kind, "message": message, "winner": winner}),
            outcome: code.as_str(),
            duration_us: None,
        },
    )
    .await?;
    Ok(())
}
