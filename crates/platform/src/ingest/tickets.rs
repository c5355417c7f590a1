//! `POST /v1/ingest/tickets`: tickets with their messages in bulk — a tenant's history from its
//! previous help desk, or a backlog. One transaction per request. A ticket whose id (or channel
//! thread) is already on the platform is left alone with its messages: importing twice changes
//! nothing, and history never rewrites a live thread. Imported tickets start at version 1 and
//! their messages count as seen at that version.

use super::dates::Timestamp;
use super::{MAX_BATCH_RECORDS, constraint_error, language, text, unique_ids};
use crate::AppState;
use crate::JsonBody;
use crate::auth::Integration;
use crate::error::{Error, Result};
use crate::feed::Changed;
use axum::Json;
use axum::extract::State;
use countersign_model::records::Channel;
use countersign_model::sync::Entity;
use countersign_model::{CustomerId, MessageId, TicketId};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;

/// A message of an imported ticket.
#[derive(Debug, Deserialize, Serialize)]
pub struct ImportedMessage {
    pub id: MessageId,
    /// `customer`, `agent`, `ai` or `system`.
    pub author_kind: String,
    pub author_name: String,
    pub body: String,
    /// `public` (the default) or `internal`.
    #[serde(default = "public")]
    pub visibility: String,
    pub created_at: Timestamp,
}

fn public() -> String {
    "public".into()
}

/// An imported ticket and its thread, oldest message first.
#[derive(Debug, Deserialize, Serialize)]
pub struct ImportedTicket {
    pub id: TicketId,
    pub customer_id: CustomerId,
    pub subject: String,
    /// `open`, `pending`, `solved` or `closed`.
    pub status: String,
    /// `low`, `normal` (the default), `high` or `urgent`.
    #[serde(default = "normal")]
    pub priority: String,
    pub channel: Channel,
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default = "english")]
    pub language: String,
    #[serde(default)]
    pub sla_due_at: Option<Timestamp>,
    /// The channel's thread key, so later customer messages continue this ticket.
    #[serde(default)]
    pub thread_key: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(default)]
    pub messages: Vec<ImportedMessage>,
}

fn normal() -> String {
    "normal".into()
}

fn english() -> String {
    "en".into()
}

/// `POST /v1/ingest/tickets` request.
#[derive(Debug, Deserialize)]
pub struct TicketImport {
    pub tickets: Vec<ImportedTicket>,
}

/// What an import did.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct TicketsImported {
    /// Tickets created, with their messages.
    pub tickets: Vec<String>,
    pub messages: u64,
    /// Tickets left alone: already on the platform (same id or same thread key).
    pub skipped: Vec<String>,
    /// The tenant's cursor after the import (unchanged when nothing was created).
    pub cursor: Option<i64>,
}

const INSERT_TICKETS: &str = "
INSERT INTO tickets (tenant_id, id, customer_id, subject, status, priority, channel, assignee,
    language, sla_due_at, created_at, updated_at, thread_key)
SELECT $1, r.id, r.customer_id, r.subject, r.status, r.priority, r.channel, r.assignee, r.language,
    r.sla_due_at, r.created_at, r.updated_at, r.thread_key
FROM jsonb_to_recordset($2) AS r (id text, customer_id text, subject text, status text,
    priority text, channel text, assignee text, language text, sla_due_at timestamptz,
    created_at timestamptz, updated_at timestamptz, thread_key text)
ON CONFLICT DO NOTHING
RETURNING id";

/// The messages of the tickets this import created (`$3`); the others are left out.
const INSERT_MESSAGES: &str = "
INSERT INTO messages (tenant_id, id, ticket_id, author_kind, author_name, body, visibility,
    created_at, ticket_version)
SELECT $1, r.id, r.ticket_id, r.author_kind, r.author_name, r.body, r.visibility, r.created_at, 1
FROM ROWS FROM (jsonb_to_recordset($2) AS (id text, ticket_id text, author_kind text,
    author_name text, body text, visibility text, created_at timestamptz))
    WITH ORDINALITY AS r (id, ticket_id, author_kind, author_name, body, visibility, created_at, ord)
WHERE r.ticket_id = ANY($3)
ORDER BY r.ord
RETURNING id";

fn check(t: &ImportedTicket) -> Result<()> {
    text("ticket subject", &t.subject, 500)?;
    language("ticket language", &t.language)?;
    if !matches!(t.status.as_str(), "open" | "pending" | "solved" | "closed") {
        return Err(Error::invalid(format!(
            "ticket {} status must be open, pending, solved or closed",
            t.id
        )));
    }
    if !matches!(t.priority.as_str(), "low" | "normal" | "high" | "urgent") {
        return Err(Error::invalid(format!(
            "ticket {} priority must be low, normal, high or urgent",
            t.id
        )));
    }
    if t.updated_at < t.created_at {
        return Err(Error::invalid(format!(
            "ticket {} was updated before it was created",
            t.id
        )));
    }
    if let Some(a) = &t.assignee {
        text("ticket assignee", a, 200)?;
    }
    if let Some(k) = &t.thread_key {
        text("ticket thread_key", k, 500)?;
    }
    for m in &t.messages {
        text("message author_name", &m.author_name, 500)?;
        if !matches!(
            m.author_kind.as_str(),
            "customer" | "agent" | "ai" | "system"
        ) {
            return Err(Error::invalid(format!(
                "message {} author_kind must be customer, agent, ai or system",
                m.id
            )));
        }
        if !matches!(m.visibility.as_str(), "public" | "internal") {
            return Err(Error::invalid(format!(
                "message {} visibility must be public or internal",
                m.id
            )));
        }
        text("message body", &m.body, crate::mutations::MAX_BODY_CHARS)?;
    }
    Ok(())
}

/// `POST /v1/ingest/tickets`.
pub async fn post_tickets(
    caller: Integration,
    State(state): State<AppState>,
    JsonBody(import): JsonBody<TicketImport>,
) -> Result<Json<TicketsImported>> {
    let messages: usize = import.tickets.iter().map(|t| t.messages.len()).sum();
    let total = import.tickets.len() + messages;
    if total > MAX_BATCH_RECORDS {
        return Err(Error::invalid(format!(
            "an import holds at most {MAX_BATCH_RECORDS} tickets and messages, got {total}"
        )));
    }
    unique_ids("ticket", import.tickets.iter().map(|t| t.id.as_str()))?;
    unique_ids(
        "message",
        import
            .tickets
            .iter()
            .flat_map(|t| t.messages.iter().map(|m| m.id.as_str())),
    )?;
    unique_ids(
        "thread_key",
        import
            .tickets
            .iter()
            .filter_map(|t| t.thread_key.as_deref()),
    )?;
    import.tickets.iter().try_for_each(check)?;
    let encode = |e: serde_json::Error| Error::invalid(e.to_string());
    let tickets = import
        .tickets
        .iter()
        .map(|t| {
            let mut v = serde_json::to_value(t).map_err(encode)?;
            if let Some(o) = v.as_object_mut() {
                o.remove("messages");
            }
            Ok(v)
        })
        .collect::<Result<Vec<_>>>()?;
    let messages = import
        .tickets
        .iter()
        .flat_map(|t| t.messages.iter().map(move |m| (t, m)))
        .map(|(t, m)| {
            let mut v = serde_json::to_value(m).map_err(encode)?;
            v["ticket_id"] = Value::String(t.id.to_string());
            Ok(v)
        })
        .collect::<Result<Vec<_>>>()?;

    let t = caller.tenant_id.as_str();
    let mut tx = state.pool.begin().await?;
    let created: Vec<String> = sqlx::query_scalar(INSERT_TICKETS)
        .bind(t)
        .bind(Value::Array(tickets))
        .fetch_all(&mut *tx)
        .await
        .map_err(constraint_error)?;
    let message_ids: Vec<String> = sqlx::query_scalar(INSERT_MESSAGES)
        .bind(t)
        .bind(Value::Array(messages))
        .bind(&created)
        .fetch_all(&mut *tx)
        .await
        .map_err(constraint_error)?;
    let mut changed = Changed::default();
    for id in &created {
        changed.push(Entity::Ticket, id);
    }
    for id in &message_ids {
        changed.push(Entity::Message, id);
    }
    let cursor = changed.record(&mut tx, t).await?;
    tx.commit().await.map_err(constraint_error)?;
    let fresh: HashSet<&str> = created.iter().map(String::as_str).collect();
    let skipped = import
        .tickets
        .iter()
        .map(|t| t.id.as_str())
        .filter(|id| !fresh.contains(id))
        .map(str::to_owned)
        .collect();
    Ok(Json(TicketsImported {
        messages: message_ids.len() as u64,
        tickets: created,
        skipped,
        cursor,
    }))
}
