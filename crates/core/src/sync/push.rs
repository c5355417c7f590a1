//! Push: the outbox to the platform, in order, in batches. A delivered row is marked with the
//! platform's answer in the same transaction as whatever that answer changes locally: a refused
//! reply puts its draft back to review, a lost race leaves a notice for the person.
//!
//! A desk restored from a backup (or copied) numbers its new decisions with sequence numbers the
//! platform has already seen for other mutations. The platform refuses them as
//! `sequence_reused`, never taking them for duplicates; the desk then continues under a new push
//! identity ([`state::PUSH_DEVICE`]) and sends its whole outbox again: what the platform had
//! applied comes back `duplicate` (by mutation id), the rest applies. A notice tells the person.

use super::client::PlatformClient;
use super::refusal::{Told, refused, tell, unconfirmed};
use super::state;
use crate::store::{now, ts};
use crate::{Result, Store};
use countersign_model::ErrorCode;
use countersign_model::sync::{Mutation, MutationBatch, MutationOutcome};
use serde_json::json;
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
    /// The desk found it had been restored and now pushes under this new device id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_device: Option<String>,
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
        // Read each time: another process of this desk (the app, `sync watch`) may have moved
        // to a new identity since this one connected.
        let device = state::get(store.pool(), state::PUSH_DEVICE)
            .await?
            .unwrap_or_else(|| device_id.to_owned());
        let request = MutationBatch {
            device_id: device.clone(),
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
        let reused = results.iter().find(|r| {
            matches!(
                &r.outcome,
                MutationOutcome::Rejected {
                    code: ErrorCode::SequenceReused,
                    ..
                }
            )
        });
        if let Some(reused) = reused {
            if report.new_device.is_some() {
                // A fresh identity cannot have used a sequence number: something else is wrong.
                return Err(crate::Error::Conflict(format!(
                    "the platform refused seq {} under a new device id as well",
                    reused.seq
                )));
            }
            report.new_device = Some(new_identity(store, &device, reused.seq).await?);
            continue;
        }
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
                code: ErrorCode::KeyReused,
                message,
                ..
            } = outcome
            {
                // Not a refusal of the decision: the platform would not look at this id again
                // (another agent of this profile sent it first, say). Whether it was applied is
                // not known here, so nothing is undone; the person is asked to look.
                report.rejected += 1;
                unconfirmed(&mut tx, &p.mutation, message, &at).await?;
            } else if let MutationOutcome::Rejected {
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

/// Moves the desk to a new push identity (nothing is marked delivered: the caller sends the
/// whole outbox again), with a notice and an audit row, in one transaction.
async fn new_identity(store: &Store, old: &str, seq: i64) -> Result<String> {
    let device = crate::new_id("dev_");
    let waiting: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE delivered_at IS NULL")
        .fetch_one(store.pool())
        .await?;
    let at = ts(now());
    let mut tx = store.write().await?;
    state::put(&mut *tx, state::PUSH_DEVICE, &device).await?;
    let message = format!(
        "This desk was restored from a backup or copied: the platform had already received \
         another decision as its number {seq}. It now sends as {device}, and sends again the \
         {waiting} decision(s) waiting; any the platform already applied are recognised, none \
         is lost or applied twice."
    );
    tell(
        &mut tx,
        &Told {
            at: &at,
            code: ErrorCode::SequenceReused,
            subject: &format!("device {old}"),
            message: &message,
            action: "sync_new_device",
            arguments: &json!({"previous": old, "device": device, "reused_seq": seq, "waiting": waiting}),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::warn!(previous = old, device = %device, seq, "the desk reused a sequence number; continuing under a new device id");
    Ok(device)
}
