//! A customer writing again on a ticket, for the demo desk and for tests of staleness (until the
//! platform's change feed delivers real inbound messages).

use crate::audit::{self, ActorKind};
use crate::store::{Store, now, ts};
use crate::workflow::check_text;
use crate::{Error, Result};
use countersign_model::problem::TextField;
use countersign_model::{MessageId, TicketId};
use serde_json::json;

/// Appends a message from the ticket's customer, as if they wrote again: the ticket reopens and
/// its version moves on (so drafts that answered the earlier thread go stale). Audited.
pub async fn customer_message(store: &Store, ticket: &TicketId, body: &str) -> Result<MessageId> {
    let body = check_text(TextField::Body, body)?;
    let mut tx = store.write().await?;
    let customer: Option<String> = sqlx::query_scalar(
        "SELECT c.name FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?",
    )
    .bind(ticket.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(customer) = customer else {
        return Err(Error::not_found("ticket", ticket));
    };
    let id = MessageId::parse(&format!("msg_{}", crate::new_id("")))?;
    let at = ts(now());
    sqlx::query(
        "INSERT INTO messages (id, ticket_id, author_kind, author_name, body, visibility, created_at, synced_at) \
         VALUES (?, ?, 'customer', ?, ?, 'public', ?, ?)",
    )
    .bind(id.as_str())
    .bind(ticket.as_str())
    .bind(&customer)
    .bind(&body)
    .bind(&at)
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE tickets SET status = 'open', snoozed_until = NULL, version = version + 1, updated_at = ?, synced_at = ? \
         WHERE id = ?",
    )
    .bind(&at)
    .bind(&at)
    .bind(ticket.as_str())
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        &audit::Record {
            actor_kind: ActorKind::System,
            actor: "demo",
            token_id: None,
            action: "customer_message",
            subject: Some(id.as_str()),
            arguments: &json!({"ticket_id": ticket, "message_id": id, "body": body}),
            outcome: "ok",
            duration_us: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
