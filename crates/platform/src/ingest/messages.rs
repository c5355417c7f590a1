//! `POST /v1/ingest/messages`: a channel webhook. A customer's message continues the ticket
//! named by `ticket_id` or `thread_key` (unless it is closed), else opens a new ticket; it bumps
//! the ticket's version, which is what makes an older approved reply `stale`. A redelivery with
//! the same `message_id` changes nothing.

use super::{bounded, constraint_error, language, text};
use crate::auth::Integration;
use crate::error::{Error, Result};
use crate::feed::Changed;
use crate::{AppState, JsonBody, new_id};
use axum::Json;
use axum::extract::State;
use countersign_model::records::Channel;
use countersign_model::sync::Entity;
use countersign_model::{MessageId, TicketId};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

#[derive(Debug, Deserialize)]
pub struct InboundCustomer {
    pub email: String,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// `POST /v1/ingest/messages` request.
#[derive(Debug, Deserialize)]
pub struct InboundMessage {
    pub customer: InboundCustomer,
    pub subject: String,
    pub body: String,
    /// Continue this ticket.
    #[serde(default)]
    pub ticket_id: Option<String>,
    /// Continue the ticket of this channel thread (e.g. an email's thread id).
    #[serde(default)]
    pub thread_key: Option<String>,
    /// The message's id (`msg_…`); a redelivery with the same id changes nothing.
    #[serde(default)]
    pub message_id: Option<String>,
    #[serde(default = "default_channel")]
    pub channel: Channel,
    #[serde(default)]
    pub language: Option<String>,
    /// Files sent with the message.
    #[serde(default)]
    pub attachments: Vec<crate::attachments::InboundAttachment>,
}

fn default_channel() -> Channel {
    Channel::Email
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Ingested {
    pub customer_id: String,
    pub ticket_id: String,
    pub message_id: String,
    pub ticket_version: i64,
    pub created_ticket: bool,
    /// The message was delivered before; nothing changed.
    pub duplicate: bool,
}

/// `POST /v1/ingest/messages`.
pub async fn post_message(
    caller: Integration,
    State(state): State<AppState>,
    JsonBody(m): JsonBody<InboundMessage>,
) -> Result<Json<Ingested>> {
    let files = check(&m)?;
    Ok(Json(
        take(&state.pool, &caller.tenant_id, &m, files, None).await?,
    ))
}

/// `m` checked as every channel's message is, and its files decoded.
pub(crate) fn check(m: &InboundMessage) -> Result<Vec<crate::attachments::Checked>> {
    text("customer.email", &m.customer.email, 320)?;
    if !m.customer.email.contains('@') {
        return Err(Error::invalid("customer.email must be an email address"));
    }
    text("subject", &m.subject, 500)?;
    text("body", &m.body, 100_000)?;
    if let Some(id) = &m.ticket_id {
        TicketId::parse(id)?;
    }
    if let Some(id) = &m.message_id {
        MessageId::parse(id)?;
    }
    if let Some(k) = &m.thread_key {
        text("thread_key", k, 500)?;
    }
    bounded("customer.name", m.customer.name.as_deref(), 500)?;
    if let Some(ext) = &m.customer.external_id {
        text("customer.external_id", ext, 200)?;
    }
    if let Some(l) = &m.language {
        language("language", l)?;
    }
    crate::attachments::check(&m.attachments)
}

/// Takes checked message `m` into tenant `t`'s tickets: continues its ticket or opens one.
/// `rfc_message_id`: the Message-ID it came under by email (later replies refer to it).
pub(crate) async fn take(
    pool: &sqlx::PgPool,
    t: &str,
    m: &InboundMessage,
    files: Vec<crate::attachments::Checked>,
    rfc_message_id: Option<&str>,
) -> Result<Ingested> {
    let mut tx = pool.begin().await?;
    if let Some(id) = &m.message_id {
        let seen: Option<(String, String)> = sqlx::query_as(
            "SELECT m.ticket_id, t.customer_id FROM messages m
             JOIN tickets t ON t.tenant_id = m.tenant_id AND t.id = m.ticket_id
             WHERE m.tenant_id = $1 AND m.id = $2",
        )
        .bind(t)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((ticket_id, customer_id)) = seen {
            let version =
                sqlx::query_scalar("SELECT version FROM tickets WHERE tenant_id = $1 AND id = $2")
                    .bind(t)
                    .bind(&ticket_id)
                    .fetch_one(&mut *tx)
                    .await?;
            return Ok(Ingested {
                customer_id,
                ticket_id,
                message_id: id.clone(),
                ticket_version: version,
                created_ticket: false,
                duplicate: true,
            });
        }
    }
    let mut changed = Changed::default();
    let (customer_id, customer_name) =
        find_or_create_customer(&mut tx, t, &m.customer, &mut changed).await?;
    let existing: Option<(String, String)> = match (&m.ticket_id, &m.thread_key) {
        (Some(id), _) => Some(
            // A merged ticket's thread goes on in the ticket it was merged into.
            sqlx::query_as(
                "SELECT s.id, s.status FROM tickets t JOIN tickets s
                   ON s.tenant_id = t.tenant_id AND s.id = COALESCE(t.merged_into, t.id)
                 WHERE t.tenant_id = $1 AND t.id = $2 FOR UPDATE OF s",
            )
            .bind(t)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found("ticket", id))?,
        ),
        (None, Some(key)) => {
            sqlx::query_as(
                "SELECT s.id, s.status FROM tickets t JOIN tickets s
               ON s.tenant_id = t.tenant_id AND s.id = COALESCE(t.merged_into, t.id)
             WHERE t.tenant_id = $1 AND t.thread_key = $2 FOR UPDATE OF s",
            )
            .bind(t)
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?
        }
        (None, None) => None,
    };
    let (ticket_id, version, created) = match existing {
        Some((id, status)) if status != "closed" => {
            let version: i64 = sqlx::query_scalar(
                "UPDATE tickets SET status = 'open', snoozed_until = NULL, version = version + 1,
                        updated_at = now()
                 WHERE tenant_id = $1 AND id = $2 RETURNING version",
            )
            .bind(t)
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
            (id, version, false)
        }
        closed => {
            if let (Some(_), Some(key)) = (closed, &m.thread_key) {
                // A closed ticket stays closed; the thread moves on to a new ticket. The key is
                // taken from whichever ticket holds it: a merged ticket's, whose survivor is the
                // closed one, as much as the closed ticket's own.
                sqlx::query(
                    "UPDATE tickets SET thread_key = NULL WHERE tenant_id = $1 AND thread_key = $2",
                )
                .bind(t)
                .bind(key)
                .execute(&mut *tx)
                .await?;
            }
            let id = new_id("tkt_");
            sqlx::query(
                "INSERT INTO tickets (tenant_id, id, customer_id, subject, status, priority, channel,
                                      language, created_at, updated_at, thread_key)
                 VALUES ($1, $2, $3, $4, 'open', 'normal', $5, $6, now(), now(), $7)",
            )
            .bind(t)
            .bind(&id)
            .bind(&customer_id)
            .bind(m.subject.trim())
            .bind(m.channel.as_str())
            .bind(m.language.as_deref().unwrap_or("en"))
            .bind(&m.thread_key)
            .execute(&mut *tx)
            .await?;
            (id, 1, true)
        }
    };
    let message_id = m.message_id.clone().unwrap_or_else(|| new_id("msg_"));
    sqlx::query(
        "INSERT INTO messages (tenant_id, id, ticket_id, author_kind, author_name, body, visibility,
                               created_at, ticket_version, rfc_message_id)
         VALUES ($1, $2, $3, 'customer', $4, $5, 'public', now(), $6, $7)",
    )
    .bind(t)
    .bind(&message_id)
    .bind(&ticket_id)
    .bind(&customer_name)
    .bind(&m.body)
    .bind(version)
    .bind(rfc_message_id)
    .execute(&mut *tx)
    .await
    .map_err(constraint_error)?;
    changed.push(Entity::Ticket, &ticket_id);
    changed.push(Entity::Message, &message_id);
    let files_taken = files.len();
    crate::attachments::insert(&mut tx, t, &message_id, files, &mut changed).await?;
    if created {
        crate::hooks::emit(
            &mut tx,
            t,
            "ticket.created",
            serde_json::json!({"ticket_id": ticket_id, "customer_id": customer_id,
                               "subject": m.subject.trim(), "channel": m.channel.as_str()}),
        )
        .await?;
    }
    crate::hooks::emit(
        &mut tx,
        t,
        "message.received",
        serde_json::json!({"ticket_id": ticket_id, "message_id": message_id,
                           "customer_id": customer_id, "channel": m.channel.as_str(),
                           "attachments": files_taken}),
    )
    .await?;
    changed.record(&mut tx, t).await?;
    tx.commit().await.map_err(constraint_error)?;
    Ok(Ingested {
        customer_id,
        ticket_id,
        message_id,
        ticket_version: version,
        created_ticket: created,
        duplicate: false,
    })
}

async fn find_or_create_customer(
    tx: &mut PgConnection,
    tenant_id: &str,
    c: &InboundCustomer,
    changed: &mut Changed,
) -> Result<(String, String)> {
    let found: Option<(String, String)> =
        match &c.external_id {
            Some(ext) => {
                sqlx::query_as(
                    "SELECT id, name FROM customers WHERE tenant_id = $1 AND external_id = $2",
                )
                .bind(tenant_id)
                .bind(ext)
                .fetch_optional(&mut *tx)
                .await?
            }
            None => sqlx::query_as(
                "SELECT id, name FROM customers WHERE tenant_id = $1 AND lower(email) = lower($2)
                 ORDER BY created_at LIMIT 1",
            )
            .bind(tenant_id)
            .bind(c.email.trim())
            .fetch_optional(&mut *tx)
            .await?,
        };
    if let Some(found) = found {
        return Ok(found);
    }
    let id = new_id("cus_");
    let email = c.email.trim();
    let name = c
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| email.split('@').next().unwrap_or(email))
        .to_owned();
    sqlx::query(
        "INSERT INTO customers (tenant_id, id, external_id, name, email, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'active', now(), now())",
    )
    .bind(tenant_id)
    .bind(&id)
    .bind(c.external_id.as_deref().unwrap_or(email))
    .bind(&name)
    .bind(email)
    .execute(&mut *tx)
    .await
    .map_err(constraint_error)?;
    changed.push(Entity::Customer, &id);
    Ok((id, name))
}
