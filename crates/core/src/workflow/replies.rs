//! Public replies a person sends: an approved draft (as filed or edited) or a reply written by
//! hand. Either way the reply joins the thread as queued, the ticket waits on the customer, and
//! an outbox row carries it to the platform — written by [`queue`] inside the caller's
//! transaction, so the decision, its reply and its audit row commit together.

use super::{audit_person, check_text};
use crate::store::{Store, Tx, now, ts};
use crate::{Error, Result, new_id};
use countersign_model::Problem;
use countersign_model::problem::TextField;
use countersign_model::records::Message;
use countersign_model::saved_replies::{VARIABLES, placeholders};
use countersign_model::sync::{MutationBody, SendReply};
use countersign_model::workflow::Person;
use countersign_model::{DraftId, TicketId};
use serde_json::{Value, json};

/// Where a reply comes from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Origin<'a> {
    /// An approved draft; `edited` when the person changed its text.
    Draft { id: &'a DraftId, edited: bool },
    /// Written by the person, no draft.
    ByHand,
}

/// Writes the reply message, moves an open ticket to `pending` and queues `send_reply` with
/// `based_on` (the versions the person saw), all inside `tx`. Returns the new message's id.
/// The caller audits its own decision in the same transaction. A body that still holds a saved
/// reply's variable (`{{invoice.number}}`) is refused: it would reach the customer as written.
pub(crate) async fn queue(
    tx: &mut Tx,
    person: &Person,
    ticket: &TicketId,
    body: &str,
    origin: Origin<'_>,
    based_on: &Value,
) -> Result<String> {
    if let Some((_, name)) = placeholders(body).find(|(_, n)| VARIABLES.contains(n)) {
        return Err(Error::Refused(Problem::UnfilledVariable {
            name: name.to_owned(),
        }));
    }
    // A merged ticket's thread, and its customer's answers, are on the ticket it went into; a
    // closed ticket is final (the customer writing again opens a new one). The platform holds
    // to the same.
    let closed: Option<bool> = sqlx::query_scalar(
        "SELECT merged_into IS NOT NULL OR status = 'closed' FROM tickets WHERE id = ?",
    )
    .bind(ticket.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    if closed == Some(true) {
        return Err(Error::Refused(Problem::TicketClosed {
            ticket: ticket.clone(),
        }));
    }
    let at = ts(now());
    let message_id = format!("msg_{}", new_id(""));
    sqlx::query(
        "INSERT INTO messages (id, ticket_id, author_kind, author_name, body, visibility, created_at) \
         VALUES (?, ?, 'agent', ?, ?, 'public', ?)",
    )
    .bind(&message_id)
    .bind(ticket.as_str())
    .bind(&person.name)
    .bind(body)
    .bind(&at)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE tickets SET status = 'pending', updated_at = ? WHERE id = ? AND status = 'open'",
    )
    .bind(&at)
    .bind(ticket.as_str())
    .execute(&mut **tx)
    .await?;
    let (draft_id, edited) = match origin {
        Origin::Draft { id, edited } => (Some(id.as_str()), edited),
        Origin::ByHand => (None, false),
    };
    super::enqueue(
        tx,
        &MutationBody::SendReply(SendReply {
            ticket_id: ticket.to_string(),
            message_id: message_id.clone(),
            draft_id: draft_id.map(str::to_owned),
            body: body.to_owned(),
            edited,
            approved_by: person.name.clone(),
        }),
        based_on,
    )
    .await?;
    Ok(message_id)
}

/// A person writes a public reply by hand (no draft). Like an approved draft, it is queued in
/// the thread and the outbox and audited, in one transaction; it is bound to the ticket version
/// the person saw when sending, so the platform refuses it if the customer wrote meanwhile.
pub async fn write(
    store: &Store,
    person: &Person,
    ticket: &TicketId,
    body: &str,
) -> Result<Message> {
    let body = check_text(TextField::Body, body)?;
    let mut tx = store.write().await?;
    let version: i64 = sqlx::query_scalar("SELECT version FROM tickets WHERE id = ?")
        .bind(ticket.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("ticket", ticket))?;
    let based_on = json!({ format!("ticket:{ticket}"): version });
    let message_id = queue(&mut tx, person, ticket, &body, Origin::ByHand, &based_on).await?;
    audit_person(
        &mut tx,
        person,
        "write_reply",
        ticket.as_str(),
        &json!({"message_id": message_id}),
        "ok",
    )
    .await?;
    tx.commit().await?;
    tracing::info!(ticket = %ticket, by = %person.name, "reply written by hand");
    let row = sqlx::query(concat!(
        crate::records::tickets::message_select!(),
        "WHERE id = ?"
    ))
    .bind(&message_id)
    .fetch_one(store.pool())
    .await?;
    crate::records::tickets::message_from_row(&row)
}
