//! SLA policies: a tenant's targets per priority (first response, resolution), counted in its
//! business hours, paused while the ticket waits on the customer; and the one place a ticket's
//! `sla_due_at` is computed from them.
//!
//! The clock of a ticket starts when it is created. Until an agent's first public reply it runs
//! toward the first-response target, then toward the resolution target, both from the creation
//! time. It stops while the ticket is `pending` (waiting on the customer) or `solved` (nothing
//! left for the agents), and the business time it stood still is added to the target when it
//! runs again. A ticket that is stopped, closed, or of a priority the policy sets no target for
//! has no due time. A tenant without a policy keeps the due times its importer gave.
//!
//! Every write that changes a ticket records the change ([`crate::feed::Changed::record`]), and
//! that settles the ticket's SLA first ([`settle`]): no path can leave a due time behind. A due
//! time is not part of what a person decided on, so settling it does not move the ticket's
//! version (drafts on the ticket do not go stale); desks take it with the ticket's next row.

mod policy;

pub use policy::{HoursInput, MAX_TARGET_MINUTES, Policy, PolicyInput, TargetsInput};

use crate::auth::Admin;
use crate::error::{Error, Result};
use crate::feed::Changed;
use crate::{AppState, JsonBody};
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use countersign_model::records::{TicketPriority, TicketStatus};
use countersign_model::sync::Entity;
use policy::internal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
/// What the SLA of one ticket depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    pub status: TicketStatus,
    pub priority: TicketPriority,
    pub created_at: DateTime<Utc>,
    /// The agents' first public reply, if any.
    pub first_response_at: Option<DateTime<Utc>>,
    /// Since when the clock stands still (while pending or solved).
    pub paused_at: Option<DateTime<Utc>>,
    /// The business seconds it stood still before.
    pub paused_secs: i64,
}

/// Whether a ticket in this status waits on someone other than the agents.
fn stands_still(status: TicketStatus) -> bool {
    matches!(status, TicketStatus::Pending | TicketStatus::Solved)
}

impl Clock {
    /// The clock brought up to `now`: stopped when the ticket came to stand still, the time it
    /// stood still counted when it runs again.
    pub fn at(mut self, policy: &Policy, now: DateTime<Utc>) -> Self {
        match (stands_still(self.status), self.paused_at) {
            (true, None) => self.paused_at = Some(now),
            (false, Some(since)) => {
                self.paused_secs += policy.between(since, now);
                self.paused_at = None;
            }
            _ => {}
        }
        self
    }

    /// When this ticket's SLA breaks, if it can.
    pub fn due(&self, policy: &Policy) -> Option<DateTime<Utc>> {
        if self.paused_at.is_some() || self.status == TicketStatus::Closed {
            return None;
        }
        let t = policy.targets.get(&self.priority)?;
        let target = match self.first_response_at {
            None => t.first_response_secs.or(t.resolution_secs),
            Some(_) => t.resolution_secs,
        }?;
        Some(policy.add(self.created_at, target + self.paused_secs))
    }
}

async fn policy_of(tx: &mut PgConnection, tenant_id: &str) -> Result<Option<Policy>> {
    let stored: Option<Value> =
        sqlx::query_scalar("SELECT policy FROM sla_policies WHERE tenant_id = $1")
            .bind(tenant_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(stored) = stored else {
        return Ok(None);
    };
    let input: PolicyInput = serde_json::from_value(stored)
        .map_err(|e| internal(format!("stored SLA policy of {tenant_id}: {e}")))?;
    input.checked().map(Some)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    status: String,
    priority: String,
    created_at: DateTime<Utc>,
    first_response_at: Option<DateTime<Utc>>,
    sla_paused_at: Option<DateTime<Utc>>,
    sla_paused_secs: i64,
    sla_due_at: Option<DateTime<Utc>>,
}

const TICKETS_SQL: &str = "
SELECT t.id, t.status, t.priority, t.created_at, t.sla_paused_at, t.sla_paused_secs, t.sla_due_at,
       (SELECT min(m.created_at) FROM messages m
         WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id
           AND m.author_kind = 'agent' AND m.visibility = 'public') AS first_response_at
FROM tickets t
WHERE t.tenant_id = $1 AND ($2::text[] IS NULL OR t.id = ANY($2))";

const UPDATE_SQL: &str = "
UPDATE tickets t SET sla_due_at = r.sla_due_at, sla_paused_at = r.sla_paused_at,
                     sla_paused_secs = r.sla_paused_secs
FROM jsonb_to_recordset($2) AS r (id text, sla_due_at timestamptz, sla_paused_at timestamptz,
                                  sla_paused_secs bigint)
WHERE t.tenant_id = $1 AND t.id = r.id";

/// Brings the SLA of tickets `ids` of the tenant (every ticket when `None`) up to now, inside
/// the caller's transaction. Returns the tickets whose due time moved.
pub async fn settle(
    tx: &mut PgConnection,
    tenant_id: &str,
    ids: Option<&[&str]>,
) -> Result<Vec<String>> {
    let Some(policy) = policy_of(tx, tenant_id).await? else {
        return Ok(Vec::new());
    };
    let now: DateTime<Utc> = sqlx::query_scalar("SELECT now()")
        .fetch_one(&mut *tx)
        .await?;
    let rows: Vec<Row> = sqlx::query_as(TICKETS_SQL)
        .bind(tenant_id)
        .bind(ids)
        .fetch_all(&mut *tx)
        .await?;
    let mut writes = Vec::new();
    let mut moved = Vec::new();
    for row in rows {
        let clock = Clock {
            status: TicketStatus::parse(&row.status)?,
            priority: TicketPriority::parse(&row.priority)?,
            created_at: row.created_at,
            first_response_at: row.first_response_at,
            paused_at: row.sla_paused_at,
            paused_secs: row.sla_paused_secs,
        }
        .at(&policy, now);
        let due = clock.due(&policy);
        if (due, clock.paused_at, clock.paused_secs)
            == (row.sla_due_at, row.sla_paused_at, row.sla_paused_secs)
        {
            continue;
        }
        if due != row.sla_due_at {
            moved.push(row.id.clone());
        }
        writes.push(serde_json::json!({
            "id": row.id,
            "sla_due_at": due,
            "sla_paused_at": clock.paused_at,
            "sla_paused_secs": clock.paused_secs,
        }));
    }
    if !writes.is_empty() {
        sqlx::query(UPDATE_SQL)
            .bind(tenant_id)
            .bind(Value::Array(writes))
            .execute(&mut *tx)
            .await?;
    }
    Ok(moved)
}

/// Sets the tenant's policy and brings every ticket's due time to it; desks get the tickets
/// whose due time moved.
pub async fn put(pool: &PgPool, tenant_id: &str, input: &PolicyInput) -> Result<PutPolicy> {
    input.checked()?;
    let mut tx = pool.begin().await?;
    let stored = serde_json::to_value(input).map_err(|e| internal(e.to_string()))?;
    let written = sqlx::query(
        "INSERT INTO sla_policies (tenant_id, policy)
         SELECT id, $2 FROM tenants WHERE id = $1
         ON CONFLICT (tenant_id) DO UPDATE SET policy = excluded.policy, updated_at = now()",
    )
    .bind(tenant_id)
    .bind(&stored)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if written == 0 {
        return Err(Error::not_found("tenant", tenant_id));
    }
    let moved = settle(&mut tx, tenant_id, None).await?;
    let mut changed = Changed::default();
    for id in &moved {
        changed.push(Entity::Ticket, id);
    }
    changed.record(&mut tx, tenant_id).await?;
    tx.commit().await?;
    Ok(PutPolicy {
        policy: input.clone(),
        tickets_moved: moved.len(),
    })
}

/// The policy as stored, and how many tickets' due times it moved.
#[derive(Debug, Serialize, Deserialize)]
pub struct PutPolicy {
    pub policy: PolicyInput,
    pub tickets_moved: usize,
}

pub async fn put_policy(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    JsonBody(req): JsonBody<PolicyInput>,
) -> Result<Json<PutPolicy>> {
    Ok(Json(put(&state.pool, &tenant_id, &req).await?))
}

#[cfg(test)]
mod tests;
