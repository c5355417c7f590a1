//! A ticket's own fields set by a desk: its assignee, status (by the one transition rule),
//! priority and snooze. Each locks the ticket and moves its version.

use super::effects::{Effect, invalid, lock_ticket, reject};
use super::stale::check_not_stale;
use crate::auth::Caller;
use crate::feed::Changed;
use countersign_model::ErrorCode;
use countersign_model::records::{TicketPriority, TicketStatus};
use countersign_model::sync::{Assign, Entity, Mutation, SetPriority, SetStatus, Snooze};
use serde_json::json;
use sqlx::PgConnection;

pub(super) async fn assign(tx: &mut PgConnection, caller: &Caller, p: &Assign) -> Effect {
    let t = &caller.tenant_id;
    // Whose a ticket is does not depend on what the customer wrote since: the last decision
    // stands, as with priority (the desk refuses one made on a ticket that changed under it).
    lock_ticket(tx, t, &p.ticket_id).await?;
    // A ticket goes to one of the tenant's agents, by id; any other text is nobody's.
    if let Some(a) = &p.assignee {
        let known: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM agents WHERE tenant_id = $1 AND id = $2)",
        )
        .bind(t)
        .bind(a)
        .fetch_one(&mut *tx)
        .await?;
        if !known {
            return Err(invalid(format!(
                "assignee {a:?} is not an agent of this tenant (an agent id, or null to unassign)"
            )));
        }
    }
    let version: i64 = sqlx::query_scalar(
        "UPDATE tickets SET assignee = $3, version = version + 1, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 RETURNING version",
    )
    .bind(t)
    .bind(&p.ticket_id)
    .bind(p.assignee.as_deref())
    .fetch_one(&mut *tx)
    .await?;
    let mut changed = Changed::default();
    changed.push(Entity::Ticket, &p.ticket_id);
    Ok((
        json!({"ticket_id": p.ticket_id, "assignee": p.assignee, "ticket_version": version}),
        changed,
    ))
}

pub(super) async fn set_status(
    tx: &mut PgConnection,
    caller: &Caller,
    p: &SetStatus,
    m: &Mutation,
) -> Effect {
    let next = TicketStatus::parse(&p.status)?;
    let t = &caller.tenant_id;
    let version = lock_ticket(tx, t, &p.ticket_id).await?;
    let current: String =
        sqlx::query_scalar("SELECT status FROM tickets WHERE tenant_id = $1 AND id = $2")
            .bind(t)
            .bind(&p.ticket_id)
            .fetch_one(&mut *tx)
            .await?;
    let current = TicketStatus::parse(&current)?;
    // The same rule the desk checked before queueing it: a desk's view may be old.
    if !current.may_become(next) {
        return Err(reject(
            ErrorCode::Conflict,
            format!(
                "ticket {} is {current} and cannot be moved to {next}",
                p.ticket_id
            ),
        ));
    }
    // Solving or closing a ticket the customer wrote on since is a decision on what they did
    // not read; a desk that says what it saw is held to it.
    if m.based_on.contains_key(&format!("ticket:{}", p.ticket_id)) {
        check_not_stale(tx, t, &p.ticket_id, version, m).await?;
    }
    set_ticket_field(tx, t, &p.ticket_id, "status", next.as_str()).await
}

pub(super) async fn set_priority(
    tx: &mut PgConnection,
    caller: &Caller,
    p: &SetPriority,
) -> Effect {
    let next = TicketPriority::parse(&p.priority)?;
    let t = &caller.tenant_id;
    lock_ticket(tx, t, &p.ticket_id).await?;
    set_ticket_field(tx, t, &p.ticket_id, "priority", next.as_str()).await
}

/// Sets a ticket aside until a time, or wakes it (`until: null`). A time already past is a
/// mistake, not a snooze; a closed ticket has nothing to wait for; and setting aside a ticket
/// the customer wrote on since the version the desk saw would hide what they wrote (the
/// customer's message woke it), so that snooze is stale.
pub(super) async fn snooze(
    tx: &mut PgConnection,
    caller: &Caller,
    p: &Snooze,
    m: &Mutation,
) -> Effect {
    let t = &caller.tenant_id;
    if let Some(until) = p.until
        && until <= chrono::Utc::now()
    {
        return Err(invalid(format!(
            "snooze until {until} is already past; give a time to come, or null to wake it"
        )));
    }
    let version = lock_ticket(tx, t, &p.ticket_id).await?;
    let status: String =
        sqlx::query_scalar("SELECT status FROM tickets WHERE tenant_id = $1 AND id = $2")
            .bind(t)
            .bind(&p.ticket_id)
            .fetch_one(&mut *tx)
            .await?;
    if p.until.is_some() {
        if TicketStatus::parse(&status)? == TicketStatus::Closed {
            return Err(reject(
                ErrorCode::Conflict,
                format!(
                    "ticket {} is closed: there is nothing to wait for",
                    p.ticket_id
                ),
            ));
        }
        if m.based_on.contains_key(&format!("ticket:{}", p.ticket_id)) {
            check_not_stale(tx, t, &p.ticket_id, version, m).await?;
        }
    }
    let version: i64 = sqlx::query_scalar(
        "UPDATE tickets SET snoozed_until = $3, version = version + 1, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 RETURNING version",
    )
    .bind(t)
    .bind(&p.ticket_id)
    .bind(p.until)
    .fetch_one(&mut *tx)
    .await?;
    let mut changed = Changed::default();
    changed.push(Entity::Ticket, &p.ticket_id);
    Ok((
        json!({"ticket_id": p.ticket_id, "snoozed_until": p.until, "ticket_version": version}),
        changed,
    ))
}

/// Writes one of a ticket's own fields (a closed set of names) and moves its version.
async fn set_ticket_field(
    tx: &mut PgConnection,
    t: &str,
    ticket_id: &str,
    column: &'static str,
    value: &str,
) -> Effect {
    let sql = match column {
        "status" => {
            "UPDATE tickets SET status = $3, version = version + 1, updated_at = now()
             WHERE tenant_id = $1 AND id = $2 RETURNING version"
        }
        _ => {
            "UPDATE tickets SET priority = $3, version = version + 1, updated_at = now()
             WHERE tenant_id = $1 AND id = $2 RETURNING version"
        }
    };
    let version: i64 = sqlx::query_scalar(sql)
        .bind(t)
        .bind(ticket_id)
        .bind(value)
        .fetch_one(&mut *tx)
        .await?;
    let mut changed = Changed::default();
    changed.push(Entity::Ticket, ticket_id);
    Ok((
        json!({"ticket_id": ticket_id, column: value, "ticket_version": version}),
        changed,
    ))
}
