//! What a person does to a ticket itself: move its status (open → pending → solved → closed,
//! solved → open to reopen), set its priority, give it to an agent of the tenant (or to nobody). Each is a decision like a reply: checked here
//! (the one transition rule is the model's [`TicketStatus::may_become`]), shown on the desk at
//! once, audited and queued for the platform in one transaction. What it replaced is kept with
//! the queued change, so a refusal by the platform puts the ticket back.

use super::{audit_person, enqueue_undoable};
use crate::store::{Store, Tx, now, ts};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use countersign_model::Problem;
use countersign_model::TicketId;
use countersign_model::ipc::Team;
use countersign_model::records::{TicketPriority, TicketStatus};
use countersign_model::sync::{Assign, MutationBody, SetPriority, SetStatus, Snooze};
use countersign_model::workflow::{Agent, Person, Role};
use serde_json::json;

/// Moves `ticket` to `next`, as seen at `seen_version`: refused if the ticket changed since (a
/// customer wrote, a colleague acted) or the move is not one a ticket makes.
pub async fn set_status(
    store: &Store,
    person: &Person,
    ticket: &TicketId,
    next: TicketStatus,
    seen_version: i64,
) -> Result<()> {
    let mut tx = store.write().await?;
    let AsSeen {
        status, version, ..
    } = as_seen(&mut tx, ticket, seen_version).await?;
    let status = TicketStatus::parse(&status).map_err(crate::store::corrupt)?;
    if !status.may_become(next) {
        return Err(Error::Refused(Problem::StatusMove {
            from: status,
            to: next,
        }));
    }
    let body = MutationBody::SetStatus(SetStatus {
        ticket_id: ticket.to_string(),
        status: next.to_string(),
    });
    let change = Change {
        ticket,
        column: "status",
        was: Some(status.as_str()),
        set: Some(next.as_str()),
        version,
    };
    decide(tx, person, "set_status", &change, &body).await?;
    tracing::info!(ticket = %ticket, from = %status, to = %next, by = %person.name, "status set");
    Ok(())
}

/// Gives `ticket` the priority `next` (a no-op change is refused: nothing would be decided).
pub async fn set_priority(
    store: &Store,
    person: &Person,
    ticket: &TicketId,
    next: TicketPriority,
) -> Result<()> {
    let mut tx = store.write().await?;
    let (priority, version): (String, i64) =
        sqlx::query_as("SELECT priority, version FROM tickets WHERE id = ?")
            .bind(ticket.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found("ticket", ticket))?;
    let priority = TicketPriority::parse(&priority).map_err(crate::store::corrupt)?;
    if priority == next {
        return Err(Error::Refused(Problem::SamePriority {
            ticket: ticket.clone(),
            priority: next,
        }));
    }
    let body = MutationBody::SetPriority(SetPriority {
        ticket_id: ticket.to_string(),
        priority: next.to_string(),
    });
    let change = Change {
        ticket,
        column: "priority",
        was: Some(priority.as_str()),
        set: Some(next.as_str()),
        version,
    };
    decide(tx, person, "set_priority", &change, &body).await?;
    Ok(())
}

/// Gives `ticket` to `assignee`, an agent id of the tenant (`None`: to nobody), as seen at
/// `seen_version`: refused if the ticket changed since (a colleague may have taken it).
pub async fn assign(
    store: &Store,
    person: &Person,
    ticket: &TicketId,
    assignee: Option<&str>,
    seen_version: i64,
) -> Result<()> {
    let mut tx = store.write().await?;
    let AsSeen {
        assignee: current,
        version,
        ..
    } = as_seen(&mut tx, ticket, seen_version).await?;
    let name = match assignee {
        Some(id) => Some(
            sqlx::query_scalar::<_, String>("SELECT name FROM agents WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| Error::Refused(Problem::UnknownAgent { agent: id.into() }))?,
        ),
        None => None,
    };
    if current.as_deref() == assignee {
        return Err(Error::Refused(Problem::SameAssignee {
            ticket: ticket.clone(),
            with: name,
        }));
    }
    let body = MutationBody::Assign(Assign {
        ticket_id: ticket.to_string(),
        assignee: assignee.map(str::to_owned),
    });
    let change = Change {
        ticket,
        column: "assignee",
        was: current.as_deref(),
        set: assignee,
        version,
    };
    decide(tx, person, "assign", &change, &body).await?;
    tracing::info!(ticket = %ticket, to = ?assignee, by = %person.name, "ticket assigned");
    Ok(())
}

/// Sets `ticket` aside until `until` (a time to come), or wakes it (`None`), as seen at
/// `seen_version`. It leaves the inbox for the Snoozed list until then, or until the customer
/// writes again.
pub async fn snooze(
    store: &Store,
    person: &Person,
    ticket: &TicketId,
    until: Option<DateTime<Utc>>,
    seen_version: i64,
) -> Result<()> {
    let mut tx = store.write().await?;
    let AsSeen {
        snoozed_until: current,
        version,
        status,
        ..
    } = as_seen(&mut tx, ticket, seen_version).await?;
    let at = now();
    let set = match until {
        Some(t) if t <= at => {
            return Err(Error::Refused(Problem::SnoozeInThePast {
                ticket: ticket.clone(),
            }));
        }
        Some(_) if status == TicketStatus::Closed.as_str() => {
            return Err(Error::Refused(Problem::TicketClosed {
                ticket: ticket.clone(),
            }));
        }
        Some(t) => Some(ts(t)),
        None if current.as_deref().is_none_or(|c| c <= ts(at).as_str()) => {
            return Err(Error::Refused(Problem::NotSnoozed {
                ticket: ticket.clone(),
            }));
        }
        None => None,
    };
    let body = MutationBody::Snooze(Snooze {
        ticket_id: ticket.to_string(),
        until,
    });
    let change = Change {
        ticket,
        column: "snoozed_until",
        was: current.as_deref(),
        set: set.as_deref(),
        version,
    };
    decide(tx, person, "snooze", &change, &body).await?;
    tracing::info!(ticket = %ticket, until = ?until, by = %person.name, "ticket snoozed");
    Ok(())
}

/// The tenant's agents, by name, and which of them `person` is.
pub async fn team(store: &Store, person: &Person) -> Result<Team> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, name, role FROM agents ORDER BY name, id")
            .fetch_all(store.pool())
            .await?;
    let agents = rows
        .into_iter()
        .map(|(id, name, role)| {
            Ok(Agent {
                id,
                name,
                role: Role::parse(&role).map_err(crate::store::corrupt)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Team {
        me: person.id.clone(),
        agents,
    })
}

/// The ticket's own fields a person's action reads, when the ticket is still at the version
/// they saw (refused as changed otherwise).
#[derive(sqlx::FromRow)]
struct AsSeen {
    status: String,
    assignee: Option<String>,
    snoozed_until: Option<String>,
    version: i64,
}

async fn as_seen(tx: &mut Tx, ticket: &TicketId, seen_version: i64) -> Result<AsSeen> {
    let now: AsSeen =
        sqlx::query_as("SELECT status, assignee, snoozed_until, version FROM tickets WHERE id = ?")
            .bind(ticket.as_str())
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| Error::not_found("ticket", ticket))?;
    if now.version != seen_version {
        return Err(changed(ticket, seen_version, now.version));
    }
    Ok(now)
}

fn changed(ticket: &TicketId, seen: i64, now: i64) -> Error {
    Error::Refused(Problem::TicketChanged {
        ticket: ticket.clone(),
        seen,
        now,
    })
}

/// A checked change of one of a ticket's own fields, as the person saw the ticket.
struct Change<'a> {
    ticket: &'a TicketId,
    /// `status`, `priority`, `assignee` or `snoozed_until`.
    column: &'static str,
    was: Option<&'a str>,
    set: Option<&'a str>,
    version: i64,
}

/// The decision itself, in one transaction: the ticket shows it at once, the platform gets it
/// (with what it replaced, for a refusal to put back), the audit log records it.
async fn decide(
    mut tx: Tx,
    person: &Person,
    action: &str,
    c: &Change<'_>,
    body: &MutationBody,
) -> Result<()> {
    // The column is one of four names, never text from outside.
    let sql = match c.column {
        "status" => "UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?",
        "priority" => "UPDATE tickets SET priority = ?, updated_at = ? WHERE id = ?",
        "snoozed_until" => "UPDATE tickets SET snoozed_until = ?, updated_at = ? WHERE id = ?",
        _ => "UPDATE tickets SET assignee = ?, updated_at = ? WHERE id = ?",
    };
    sqlx::query(sql)
        .bind(c.set)
        .bind(ts(now()))
        .bind(c.ticket.as_str())
        .execute(&mut *tx)
        .await?;
    let change = json!({"ticket_id": c.ticket, "column": c.column, "set": c.set, "was": c.was});
    let based_on = json!({ format!("ticket:{}", c.ticket): c.version });
    enqueue_undoable(&mut tx, body, &based_on, &change).await?;
    audit_person(&mut tx, person, action, c.ticket.as_str(), &change, "ok").await?;
    tx.commit().await?;
    Ok(())
}
