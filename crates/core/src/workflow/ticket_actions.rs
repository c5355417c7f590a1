//! What a person does to a ticket itself: move its status (open → pending → solved → closed,
//! solved → open to reopen) and set its priority. Each is a decision like a reply: checked here
//! (the one transition rule is the model's [`TicketStatus::may_become`]), shown on the desk at
//! once, audited and queued for the platform in one transaction. What it replaced is kept with
//! the queued change, so a refusal by the platform puts the ticket back.

use super::{audit_person, enqueue_undoable};
use crate::store::{Store, Tx, now, ts};
use crate::{Error, Result};
use countersign_model::Problem;
use countersign_model::TicketId;
use countersign_model::records::{TicketPriority, TicketStatus};
use countersign_model::sync::{MutationBody, SetPriority, SetStatus};
use countersign_model::workflow::Person;
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
    let (status, version): (String, i64) =
        sqlx::query_as("SELECT status, version FROM tickets WHERE id = ?")
            .bind(ticket.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found("ticket", ticket))?;
    let status = TicketStatus::parse(&status).map_err(crate::store::corrupt)?;
    if version != seen_version {
        return Err(Error::Refused(Problem::TicketChanged {
            ticket: ticket.clone(),
            seen: seen_version,
            now: version,
            next,
        }));
    }
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
        was: status.as_str(),
        set: next.as_str(),
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
        was: priority.as_str(),
        set: next.as_str(),
        version,
    };
    decide(tx, person, "set_priority", &change, &body).await?;
    Ok(())
}

/// A checked change of one of a ticket's own fields, as the person saw the ticket.
struct Change<'a> {
    ticket: &'a TicketId,
    /// `status` or `priority`.
    column: &'static str,
    was: &'a str,
    set: &'a str,
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
    // The column is one of two names, never text from outside.
    let sql = match c.column {
        "status" => "UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?",
        _ => "UPDATE tickets SET priority = ?, updated_at = ? WHERE id = ?",
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
