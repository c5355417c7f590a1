//! `POST /v1/sync/mutations`: a device's outbox, applied exactly once per mutation.
//!
//! A request's mutations run in order, in transactions of up to [`MUTATIONS_PER_TRANSACTION`]. Each first claims its dedup keys —
//! `(tenant, agent, device_id, seq)` and `(tenant, mutation id)` — in `applied_mutations`; a
//! concurrent or later delivery of the same mutation finds the claim and answers `duplicate` with
//! the outcome stored the first time. A key is only ever the same request: a mutation id sent
//! again with another kind, payload or `based_on`, or by another agent, is refused as
//! `key_reused`; a device's seq sent again with another mutation id (a desk restored from a
//! backup) is refused as `sequence_reused`. Neither is stored, and neither discloses the first
//! request's outcome. Each effect runs in a savepoint, so a rejection leaves nothing
//! behind but its stored outcome and never blocks the mutations after it. The outcomes, the
//! effects and the change rows of a transaction's mutations commit together: the tenant's feed
//! is locked, and the desktops are poked, once per transaction rather than once per mutation.
//!
//! A transaction locks the tickets its mutations name in id order before applying any, so two
//! devices acting on the same tickets wait for each other instead of deadlocking. Should
//! PostgreSQL still abort one for a lock cycle (on other rows), its mutations are applied again
//! one per transaction.

mod effects;
mod envelope;
mod escalations;
mod merge;
mod stale;
mod ticket_fields;

pub use effects::MAX_BODY_CHARS;

use crate::AppState;
use crate::ItemizedJsonBody;
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::feed::Changed;
use axum::Json;
use axum::extract::State;
use countersign_model::ErrorCode;
use countersign_model::sync::{
    Mutation, MutationBatch, MutationOutcome, MutationResult, MutationResults,
};
use effects::{Failure, apply};
use serde_json::Value;
use sqlx::{Acquire, PgConnection, PgPool};

/// The most mutations one batch may carry.
pub const MAX_BATCH: usize = 1000;
/// Mutations applied per transaction: enough that the tenant's feed lock and the notification
/// are paid once for many, few enough that a transaction holds its ticket locks and its pooled
/// connection briefly while other desktops' requests wait for them.
const MUTATIONS_PER_TRANSACTION: usize = 50;
/// The longest mutation id or device id accepted.
pub const MAX_KEY_LEN: usize = 128;

/// `POST /v1/sync/mutations`.
pub async fn post_mutations(
    caller: Caller,
    State(state): State<AppState>,
    ItemizedJsonBody(batch): ItemizedJsonBody<MutationBatch>,
) -> Result<Json<MutationResults>> {
    let device = batch.device_id.trim();
    if device.is_empty() || device.len() > MAX_KEY_LEN || device.contains('\0') {
        return Err(Error::invalid(format!(
            "device_id must be 1 to {MAX_KEY_LEN} characters, without NUL"
        )));
    }
    if batch.mutations.len() > MAX_BATCH {
        return Err(Error::invalid(format!(
            "a batch holds at most {MAX_BATCH} mutations, got {}",
            batch.mutations.len()
        )));
    }
    let span = tracing::info_span!("mutations", tenant = %caller.tenant_id, device, n = batch.mutations.len());
    let _enter = span.enter();
    let mut outcomes = Vec::with_capacity(batch.mutations.len());
    for chunk in batch.mutations.chunks(MUTATIONS_PER_TRANSACTION) {
        match apply_all(&state.pool, &caller, device, chunk).await {
            Err(e) if is_lock_conflict(&e) && chunk.len() > 1 => {
                tracing::info!(error = %e, "mutations lost a lock conflict; applying them one by one");
                for m in chunk {
                    outcomes.extend(
                        apply_all(&state.pool, &caller, device, std::slice::from_ref(m)).await?,
                    );
                }
            }
            other => outcomes.extend(other?),
        }
    }
    let results = batch
        .mutations
        .iter()
        .zip(outcomes)
        .map(|(m, outcome)| MutationResult {
            seq: m.seq,
            id: m.id.clone(),
            outcome,
        })
        .collect();
    Ok(Json(MutationResults { results }))
}

/// PostgreSQL aborted the transaction to break a lock cycle (or a serialization conflict).
fn is_lock_conflict(e: &Error) -> bool {
    matches!(e, Error::Database(sqlx::Error::Database(d))
        if matches!(d.code().as_deref(), Some("40P01" | "40001")))
}

/// Applies `mutations` in one transaction (each unless it was seen before) and records their
/// changes once; returns what happened to each, in order.
pub async fn apply_all(
    pool: &PgPool,
    caller: &Caller,
    device_id: &str,
    mutations: &[Mutation],
) -> Result<Vec<MutationOutcome>> {
    let mut tx = pool.begin().await?;
    if mutations.len() > 1 {
        lock_tickets_in_order(&mut tx, &caller.tenant_id, mutations).await?;
    }
    let mut changed = Changed::default();
    let mut outcomes = Vec::with_capacity(mutations.len());
    for m in mutations {
        let (outcome, c) = apply_once(&mut tx, caller, device_id, m).await?;
        changed.extend(c);
        outcomes.push(outcome);
    }
    changed.record(&mut tx, &caller.tenant_id).await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// Locks every ticket the mutations name, in id order, before any effect runs: transactions
/// that lock in one global order wait for each other but never deadlock.
async fn lock_tickets_in_order(
    tx: &mut PgConnection,
    tenant_id: &str,
    mutations: &[Mutation],
) -> Result<()> {
    // Only mutations whose envelope is sound: a NUL in one ticket id would fail this statement,
    // and with it the whole transaction, where that one mutation alone must be refused.
    let mut tickets: Vec<&str> = mutations
        .iter()
        .filter(|m| envelope::check(m).is_ok())
        .filter_map(|m| m.payload.get("ticket_id")?.as_str())
        .collect();
    tickets.sort_unstable();
    tickets.dedup();
    if tickets.len() > 1 {
        sqlx::query(
            "SELECT 1 FROM tickets WHERE tenant_id = $1 AND id = ANY($2) ORDER BY id FOR UPDATE",
        )
        .bind(tenant_id)
        .bind(&tickets)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Applies one mutation inside `tx` unless it was seen before; returns what happened and what
/// changed.
async fn apply_once(
    tx: &mut PgConnection,
    caller: &Caller,
    device_id: &str,
    m: &Mutation,
) -> Result<(MutationOutcome, Changed)> {
    if let Err(message) = envelope::check(m) {
        let outcome = MutationOutcome::Rejected {
            code: ErrorCode::InvalidArgument,
            message,
            winner: None,
        };
        return Ok((outcome, Changed::default()));
    }
    let request = envelope::request_sha256(m);
    let claimed: Option<i32> = sqlx::query_scalar(
        "INSERT INTO applied_mutations (tenant_id, mutation_id, device_id, device_seq, kind, agent_id,
                                        request_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1",
    )
    .bind(&caller.tenant_id)
    .bind(&m.id)
    .bind(device_id)
    .bind(m.seq)
    .bind(&m.kind)
    .bind(&caller.agent_id)
    .bind(&request)
    .fetch_optional(&mut *tx)
    .await?;
    if claimed.is_none() {
        let outcome = seen_before(tx, caller, device_id, m, &request).await?;
        return Ok((outcome, Changed::default()));
    }

    let mut savepoint = (&mut *tx).begin().await?;
    let effect = apply(&mut savepoint, caller, m).await;
    let (outcome, changed) = match effect {
        Ok((effect, changed)) => {
            savepoint.commit().await?;
            (MutationOutcome::Applied { effect }, changed)
        }
        Err(Failure::Rejected {
            code,
            message,
            winner,
        }) => {
            savepoint.rollback().await?;
            tracing::info!(id = %m.id, kind = %m.kind, %code, %message, "mutation rejected");
            (
                MutationOutcome::Rejected {
                    code,
                    message,
                    winner,
                },
                Changed::default(),
            )
        }
        Err(Failure::Internal(e)) => return Err(e),
    };
    let stored = serde_json::to_value(&outcome)
        .map_err(|e| Error::Database(sqlx::Error::Encode(Box::new(e))))?;
    sqlx::query(
        "UPDATE applied_mutations SET outcome = $3 WHERE tenant_id = $1 AND mutation_id = $2",
    )
    .bind(&caller.tenant_id)
    .bind(&m.id)
    .bind(stored)
    .execute(&mut *tx)
    .await?;
    Ok((outcome, changed))
}

/// What to answer for a mutation whose claim clashed with one made before (committed, or earlier
/// in this same transaction: a batch carrying a mutation twice). The same request again is a
/// `duplicate` with the stored outcome; anything else reusing a key is refused, unstored.
async fn seen_before(
    tx: &mut PgConnection,
    caller: &Caller,
    device_id: &str,
    m: &Mutation,
    request: &str,
) -> Result<MutationOutcome> {
    let by_id: Option<(String, Option<String>, Option<Value>)> = sqlx::query_as(
        "SELECT agent_id, request_sha256, outcome FROM applied_mutations
         WHERE tenant_id = $1 AND mutation_id = $2",
    )
    .bind(&caller.tenant_id)
    .bind(&m.id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((agent, stored_request, outcome)) = by_id else {
        // The id is new, so the clash is on this agent's (device, seq): another mutation holds
        // it. The desk was restored from a backup (or copied) and reuses its numbers.
        tracing::warn!(device = device_id, seq = m.seq, id = %m.id, "a device reused a sequence number");
        return Ok(MutationOutcome::Rejected {
            code: ErrorCode::SequenceReused,
            message: format!(
                "device {device_id} already sent another mutation as seq {}; a desk restored \
                 from a backup must continue under a new device id",
                m.seq
            ),
            winner: None,
        });
    };
    if agent != caller.agent_id || stored_request.is_some_and(|r| r != request) {
        return Ok(MutationOutcome::Rejected {
            code: ErrorCode::KeyReused,
            message: format!(
                "mutation id {} was already used for another request; an id names one request only",
                m.id
            ),
            winner: None,
        });
    }
    let original = outcome
        .and_then(|v| serde_json::from_value::<MutationOutcome>(v).ok())
        .ok_or_else(|| {
            Error::Database(sqlx::Error::Protocol(
                "a claimed mutation has no readable outcome".into(),
            ))
        })?;
    Ok(MutationOutcome::Duplicate {
        original: Box::new(original),
    })
}
