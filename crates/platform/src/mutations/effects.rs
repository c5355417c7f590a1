//! What each kind of mutation does, inside the transaction [`super`] opened: its checks, its
//! writes, and the records it changed. A [`Failure::Rejected`] is the caller's answer (the
//! savepoint around the effect is rolled back); anything else is the platform's own failure.

use super::escalations::{decide_escalation, raise_escalation, retry_execution};
use super::stale::check_not_stale;
use super::ticket_fields::{assign, set_priority, set_status, snooze};
use crate::auth::Caller;
use crate::error::Error;
use crate::feed::Changed;
use countersign_model::records::TicketStatus;
use countersign_model::sync::{AddNote, Entity, Mutation, MutationBody, SendReply};
use countersign_model::{ErrorCode, MessageId, TicketId};
use serde_json::{Value, json};
use sqlx::PgConnection;

/// The longest message body accepted, in characters.
pub const MAX_BODY_CHARS: usize = 100_000;

/// Why an effect did not happen: a rejection to store, or a failure of the platform itself.
#[derive(Debug)]
pub enum Failure {
    Rejected {
        code: ErrorCode,
        message: String,
        winner: Option<Value>,
    },
    Internal(Error),
}

pub(super) fn reject(code: ErrorCode, message: impl Into<String>) -> Failure {
    Failure::Rejected {
        code,
        message: message.into(),
        winner: None,
    }
}

pub(super) fn invalid(message: impl Into<String>) -> Failure {
    reject(ErrorCode::InvalidArgument, message)
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Refused { code, message } => Failure::Rejected {
                code,
                message,
                winner: None,
            },
            other if other.code() == ErrorCode::InvalidArgument => invalid(other.public_message()),
            other => Failure::Internal(other),
        }
    }
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        // A value PostgreSQL refuses is this mutation's fault: rejected alone (its savepoint
        // rolls back), never a failure of the batch.
        Failure::from(Error::from(e))
    }
}

impl From<countersign_model::ParseError> for Failure {
    fn from(e: countersign_model::ParseError) -> Self {
        invalid(e.to_string())
    }
}

pub(super) type Effect = std::result::Result<(Value, Changed), Failure>;

pub(super) async fn apply(tx: &mut PgConnection, caller: &Caller, m: &Mutation) -> Effect {
    match MutationBody::parse(&m.kind, &m.payload)? {
        MutationBody::SendReply(p) => send_reply(tx, caller, &p, m).await,
        MutationBody::AddNote(p) => add_note(tx, caller, &p).await,
        MutationBody::RaiseEscalation(p) => raise_escalation(tx, caller, &p).await,
        MutationBody::DecideEscalation(p) => decide_escalation(tx, caller, &p, m).await,
        MutationBody::Assign(p) => assign(tx, caller, &p).await,
        MutationBody::SetStatus(p) => set_status(tx, caller, &p, m).await,
        MutationBody::SetPriority(p) => set_priority(tx, caller, &p).await,
        MutationBody::Snooze(p) => snooze(tx, caller, &p, m).await,
        MutationBody::MergeTickets(p) => super::merge::merge_tickets(tx, caller, &p, m).await,
        MutationBody::RetryExecution(p) => retry_execution(tx, caller, &p).await,
    }
}

pub(super) fn body_text(what: &str, body: &str) -> std::result::Result<(), Failure> {
    if body.trim().is_empty() || body.chars().count() > MAX_BODY_CHARS {
        return Err(invalid(format!(
            "{what} must be 1 to {MAX_BODY_CHARS} characters"
        )));
    }
    Ok(())
}

/// Refuses a reply on a ticket that takes none: a merged one (its thread and its customer's
/// answers are on the ticket it was merged into) or a closed one (final: when the customer
/// writes again, a new ticket opens; a reply there would answer a conversation that is over).
async fn takes_replies(
    tx: &mut PgConnection,
    tenant_id: &str,
    ticket_id: &str,
) -> Result<(), Failure> {
    let (status, into): (String, Option<String>) =
        sqlx::query_as("SELECT status, merged_into FROM tickets WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(ticket_id)
            .fetch_one(&mut *tx)
            .await?;
    match (into, TicketStatus::parse(&status)?) {
        (Some(into), _) => Err(reject(
            ErrorCode::Conflict,
            format!("ticket {ticket_id} was merged into {into}; reply there"),
        )),
        (None, TicketStatus::Closed) => Err(reject(
            ErrorCode::Conflict,
            format!("ticket {ticket_id} is closed and takes no reply"),
        )),
        _ => Ok(()),
    }
}

/// Locks the ticket for the rest of the transaction; returns its version.
pub(super) async fn lock_ticket(
    tx: &mut PgConnection,
    tenant_id: &str,
    ticket_id: &str,
) -> Result<i64, Failure> {
    TicketId::parse(ticket_id)?;
    sqlx::query_scalar("SELECT version FROM tickets WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
        .bind(tenant_id)
        .bind(ticket_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("ticket", ticket_id).into())
}

async fn bump_ticket(
    tx: &mut PgConnection,
    tenant_id: &str,
    ticket_id: &str,
) -> Result<i64, Failure> {
    Ok(sqlx::query_scalar(
        "UPDATE tickets SET version = version + 1, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 RETURNING version",
    )
    .bind(tenant_id)
    .bind(ticket_id)
    .fetch_one(&mut *tx)
    .await?)
}

/// Inserts a message; `conflict` if its id was used before (a reply is never sent twice).
#[allow(clippy::too_many_arguments)]
async fn insert_message(
    tx: &mut PgConnection,
    tenant_id: &str,
    id: &str,
    ticket_id: &str,
    author_kind: &str,
    author_name: &str,
    body: &str,
    visibility: &str,
    ticket_version: i64,
    draft_id: Option<&str>,
    agent_id: Option<&str>,
) -> Result<(), Failure> {
    let inserted: Option<i32> = sqlx::query_scalar(
        "INSERT INTO messages (tenant_id, id, ticket_id, author_kind, author_name, body, visibility,
                               created_at, ticket_version, draft_id, agent_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8, $9, $10)
         ON CONFLICT DO NOTHING RETURNING 1",
    )
    .bind(tenant_id)
    .bind(id)
    .bind(ticket_id)
    .bind(author_kind)
    .bind(author_name)
    .bind(body)
    .bind(visibility)
    .bind(ticket_version)
    .bind(draft_id)
    .bind(agent_id)
    .fetch_optional(&mut *tx)
    .await?;
    match inserted {
        Some(_) => Ok(()),
        None => Err(reject(
            ErrorCode::Conflict,
            format!("message {id} already exists; it is never sent twice"),
        )),
    }
}

/// The end of posting a message on a ticket: the ticket's version moves, both records change.
async fn message_posted(
    tx: &mut PgConnection,
    t: &str,
    message_id: &str,
    ticket_id: &str,
) -> Effect {
    let version = bump_ticket(tx, t, ticket_id).await?;
    let mut changed = Changed::default();
    changed.push(Entity::Message, message_id);
    changed.push(Entity::Ticket, ticket_id);
    Ok((
        json!({"message_id": message_id, "ticket_id": ticket_id, "ticket_version": version}),
        changed,
    ))
}

async fn send_reply(tx: &mut PgConnection, caller: &Caller, p: &SendReply, m: &Mutation) -> Effect {
    MessageId::parse(&p.message_id)?;
    body_text("body", &p.body)?;
    let t = &caller.tenant_id;
    let version = lock_ticket(tx, t, &p.ticket_id).await?;
    takes_replies(tx, t, &p.ticket_id).await?;
    check_not_stale(tx, t, &p.ticket_id, version, m).await?;
    insert_message(
        tx,
        t,
        &p.message_id,
        &p.ticket_id,
        "agent",
        &caller.agent_name,
        &p.body,
        "public",
        version + 1,
        p.draft_id.as_deref(),
        Some(&caller.agent_id),
    )
    .await?;
    // To the customer, by email when the tenant has a channel (crate::mail::sender).
    crate::mail::sender::queue(tx, t, &p.message_id).await?;
    message_posted(tx, t, &p.message_id, &p.ticket_id).await
}

async fn add_note(tx: &mut PgConnection, caller: &Caller, p: &AddNote) -> Effect {
    MessageId::parse(&p.message_id)?;
    body_text("body", &p.body)?;
    if !matches!(p.author_kind.as_str(), "agent" | "ai") {
        return Err(invalid(format!(
            "author_kind must be agent or ai, got {:?}",
            p.author_kind
        )));
    }
    let author = if p.author.trim().is_empty() {
        caller.agent_name.as_str()
    } else {
        p.author.trim()
    };
    let t = &caller.tenant_id;
    let version = lock_ticket(tx, t, &p.ticket_id).await?;
    insert_message(
        tx,
        t,
        &p.message_id,
        &p.ticket_id,
        &p.author_kind,
        author,
        &p.body,
        "internal",
        version + 1,
        None,
        Some(&caller.agent_id),
    )
    .await?;
    message_posted(tx, t, &p.message_id, &p.ticket_id).await
}
