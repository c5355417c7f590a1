//! Internal notes: text on a ticket that the customer never sees.

use super::{Proposer, audit_person, check_text, enqueue};
use crate::store::{Store, now, ts};
use crate::{Error, Result, new_id};
use countersign_model::TicketId;
use countersign_model::problem::TextField;
use countersign_model::records::Message;
use countersign_model::sync::{AddNote, MutationBody};
use serde_json::json;

/// Adds an internal note by an assistant (author kind `ai`) or a person (`agent`).
pub async fn add(
    store: &Store,
    by: Proposer<'_>,
    ticket: &TicketId,
    body: &str,
) -> Result<Message> {
    if let Proposer::Assistant(call) = by {
        call.require_draft_scope()?;
    }
    let body = check_text(TextField::Body, body)?;
    let mut tx = store.write().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM tickets WHERE id = ?")
        .bind(ticket.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(Error::not_found("ticket", ticket));
    }
    let id = format!("msg_{}", new_id(""));
    let author_kind = match by {
        Proposer::Assistant(_) => "ai",
        Proposer::Person(_) => "agent",
    };
    sqlx::query(
        "INSERT INTO messages (id, ticket_id, author_kind, author_name, body, visibility, created_at) \
         VALUES (?, ?, ?, ?, ?, 'internal', ?)",
    )
    .bind(&id)
    .bind(ticket.as_str())
    .bind(author_kind)
    .bind(by.name())
    .bind(&body)
    .bind(ts(now()))
    .execute(&mut *tx)
    .await?;
    enqueue(
        &mut tx,
        &MutationBody::AddNote(AddNote {
            ticket_id: ticket.to_string(),
            message_id: id.clone(),
            body: body.clone(),
            author: by.name().to_owned(),
            author_kind: author_kind.to_owned(),
        }),
        &json!({}),
    )
    .await?;
    match by {
        Proposer::Assistant(call) => call.audit(&mut tx, Some(&id), "ok").await?,
        Proposer::Person(p) => {
            audit_person(
                &mut tx,
                p,
                "add_internal_note",
                &id,
                &json!({"ticket_id": ticket}),
                "ok",
            )
            .await?
        }
    }
    tx.commit().await?;
    let row = sqlx::query(concat!(
        crate::records::tickets::message_select!(),
        "WHERE id = ?"
    ))
    .bind(&id)
    .fetch_one(store.pool())
    .await?;
    crate::records::tickets::message_from_row(&row)
}
