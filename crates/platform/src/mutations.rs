//! `POST /v1/sync/mutations`: a device's outbox, applied exactly once per mutation.
//!
//! Each mutation runs in its own transaction. It first claims its dedup keys — `(tenant,
//! device_id, seq)` and `(tenant, mutation id)` — in `applied_mutations`; a concurrent or later
//! delivery of the same mutation finds the claim and answers `duplicate` with the outcome stored
//! the first time. The effect runs in a savepoint so a rejection leaves nothing behind but its
//! stored outcome, and the outcome, the effect and its change rows commit together. A rejected
//! mutation never blocks the ones after it.

use crate::AppState;
use crate::JsonBody;
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::feed::Changed;
use axum::Json;
use axum::extract::State;
use countersign_model::sync::{
    AddNote, Assign, DecideEscalation, Entity, Mutation, MutationBatch, MutationBody,
    MutationOutcome, MutationResult, MutationResults, RaiseEscalation, SendReply, SetStatus,
};
use countersign_model::workflow::Role;
use countersign_model::{ErrorCode, EscalationId, InvoiceId, MessageId, TicketId};
use serde_json::{Value, json};
use sqlx::{Acquire, PgConnection, PgPool};

/// The most mutations one batch may carry.
pub const MAX_BATCH: usize = 1000;
/// The longest mutation id or device id accepted.
pub const MAX_KEY_LEN: usize = 128;
/// The longest message body accepted, in characters.
pub const MAX_BODY_CHARS: usize = 100_000;

/// Why an effect did not happen: a rejection to store, or a failure of the platform itself.
#[derive(Debug)]
enum Failure {
    Rejected {
        code: ErrorCode,
        message: String,
        winner: Option<Value>,
    },
    Internal(Error),
}

fn reject(code: ErrorCode, message: impl Into<String>) -> Failure {
    Failure::Rejected {
        code,
        message: message.into(),
        winner: None,
    }
}

fn invalid(message: impl Into<String>) -> Failure {
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
            other => Failure::Internal(other),
        }
    }
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::Internal(e.into())
    }
}

impl From<countersign_model::ParseError> for Failure {
    fn from(e: countersign_model::ParseError) -> Self {
        invalid(e.to_string())
    }
}

type Effect = std::result::Result<(Value, Changed), Failure>;

/// `POST /v1/sync/mutations`.
pub async fn post_mutations(
    caller: Caller,
    State(state): State<AppState>,
    JsonBody(batch): JsonBody<MutationBatch>,
) -> Result<Json<MutationResults>> {
    let device = batch.device_id.trim();
    if device.is_empty() || device.len() > MAX_KEY_LEN {
        return Err(Error::invalid(format!(
            "device_id must be 1 to {MAX_KEY_LEN} characters"
        )));
    }
    if batch.mutations.len() > MAX_BATCH {
        return Err(Error::invalid(format!(
            "a batch holds at most {MAX_BATCH} mutations, got {}",
            batch.mutations.len()
        )));
    }
    let span = tracing::info_span!("mutations", tenant = %caller.tenant_id, device, n = batch.mutations.len());
    let _enter = span.enter();
    let mut results = Vec::with_capacity(batch.mutations.len());
    for m in &batch.mutations {
        let outcome = apply_once(&state.pool, &caller, device, m).await?;
        results.push(MutationResult {
            seq: m.seq,
            id: m.id.clone(),
            outcome,
        });
    }
    Ok(Json(MutationResults { results }))
}

/// Applies one mutation unless it was seen before; returns what happened.
pub async fn apply_once(
    pool: &PgPool,
    caller: &Caller,
    device_id: &str,
    m: &Mutation,
) -> Result<MutationOutcome> {
    if m.id.is_empty() || m.id.len() > MAX_KEY_LEN {
        return Ok(MutationOutcome::Rejected {
            code: ErrorCode::InvalidArgument,
            message: format!("a mutation id must be 1 to {MAX_KEY_LEN} characters"),
            winner: None,
        });
    }
    let mut tx = pool.begin().await?;
    let claimed: Option<i32> = sqlx::query_scalar(
        "INSERT INTO applied_mutations (tenant_id, mutation_id, device_id, device_seq, kind, agent_id)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1",
    )
    .bind(&caller.tenant_id)
    .bind(&m.id)
    .bind(device_id)
    .bind(m.seq)
    .bind(&m.kind)
    .bind(&caller.agent_id)
    .fetch_optional(&mut *tx)
    .await?;
    if claimed.is_none() {
        tx.rollback().await?;
        return duplicate(pool, caller, device_id, m).await;
    }

    let mut savepoint = (&mut tx).begin().await?;
    let effect = apply(&mut savepoint, caller, m).await;
    let (outcome, changed) = match effect {
        Ok((effect, changed)) => {
            savepoint.commit().await?;
            (MutationOutcome::Applied { effect }, changed)
        }
        Err(Failure::Rejected {
            code,
            message,
            winner,
        }) => {
            savepoint.rollback().await?;
            tracing::info!(id = %m.id, kind = %m.kind, %code, %message, "mutation rejected");
            (
                MutationOutcome::Rejected {
                    code,
                    message,
                    winner,
                },
                Changed::default(),
            )
        }
        Err(Failure::Internal(e)) => return Err(e),
    };
    let stored = serde_json::to_value(&outcome)
        .map_err(|e| Error::Database(sqlx::Error::Encode(Box::new(e))))?;
    sqlx::query(
        "UPDATE applied_mutations SET outcome = $3 WHERE tenant_id = $1 AND mutation_id = $2",
    )
    .bind(&caller.tenant_id)
    .bind(&m.id)
    .bind(stored)
    .execute(&mut *tx)
    .await?;
    changed.record(&mut tx, &caller.tenant_id).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The outcome stored for a mutation seen before, by id first, else by (device, seq).
async fn duplicate(
    pool: &PgPool,
    caller: &Caller,
    device_id: &str,
    m: &Mutation,
) -> Result<MutationOutcome> {
    let stored: Option<Option<Value>> = sqlx::query_scalar(
        "SELECT outcome FROM applied_mutations
         WHERE tenant_id = $1 AND (mutation_id = $2 OR (device_id = $3 AND device_seq = $4))
         ORDER BY (mutation_id = $2) DESC LIMIT 1",
    )
    .bind(&caller.tenant_id)
    .bind(&m.id)
    .bind(device_id)
    .bind(m.seq)
    .fetch_optional(pool)
    .await?;
    let original = stored
        .flatten()
        .and_then(|v| serde_json::from_value::<MutationOutcome>(v).ok())
        .ok_or_else(|| {
            Error::Database(sqlx::Error::Protocol(
                "a claimed mutation has no readable outcome".into(),
            ))
        })?;
    Ok(MutationOutcome::Duplicate {
        original: Box::new(original),
    })
}

async fn apply(tx: &mut PgConnection, caller: &Caller, m: &Mutation) -> Effect {
    match MutationBody::parse(&m.kind, &m.payload)? {
        MutationBody::SendReply(p) => send_reply(tx, caller, &p, m).await,
        MutationBody::AddNote(p) => add_note(tx, caller, &p).await,
        MutationBody::RaiseEscalation(p) => raise_escalation(tx, caller, &p).await,
        MutationBody::DecideEscalation(p) => decide_escalation(tx, caller, &p).await,
        MutationBody::Assign(p) => assign(tx, caller, &p).await,
        MutationBody::SetStatus(p) => set_status(tx, caller, &p).await,
    }
}

fn body_text(what: &str, body: &str) -> std::result::Result<(), Failure> {
    if body.trim().is_empty() || body.chars().count() > MAX_BODY_CHARS {
        return Err(invalid(format!(
            "{what} must be 1 to {MAX_BODY_CHARS} characters"
        )));
    }
    Ok(())
}

/// Locks the ticket for the rest of the transaction; returns its version.
async fn lock_ticket(
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

fn version_sql(entity: Entity) -> &'static str {
    match entity {
        Entity::Customer => "SELECT version FROM customers WHERE tenant_id = $1 AND id = $2",
        Entity::Subscription => {
            "SELECT version FROM subscriptions WHERE tenant_id = $1 AND id = $2"
        }
        Entity::Invoice => "SELECT version FROM invoices WHERE tenant_id = $1 AND id = $2",
        Entity::Payment => "SELECT version FROM payments WHERE tenant_id = $1 AND id = $2",
        Entity::Wallet => "SELECT version FROM wallets WHERE tenant_id = $1 AND id = $2",
        Entity::Ticket => "SELECT version FROM tickets WHERE tenant_id = $1 AND id = $2",
        Entity::Message => "SELECT version FROM messages WHERE tenant_id = $1 AND id = $2",
        Entity::Escalation => "SELECT version FROM escalations WHERE tenant_id = $1 AND id = $2",
        Entity::KbArticle => "SELECT version FROM kb_articles WHERE tenant_id = $1 AND id = $2",
    }
}

/// Invariant 2 at the platform: the reply is `stale` if the customer wrote on the ticket after
/// the version the person saw, or a record the reply cites has changed since.
async fn check_not_stale(
    tx: &mut PgConnection,
    tenant_id: &str,
    ticket_id: &str,
    ticket_version: i64,
    m: &Mutation,
) -> Result<(), Failure> {
    let ticket_key = format!("ticket:{ticket_id}");
    let seen = *m.based_on.get(&ticket_key).ok_or_else(|| {
        invalid(format!(
            "based_on must hold {ticket_key:?}: the ticket version the reply was approved on"
        ))
    })?;
    if seen > ticket_version {
        return Err(invalid(format!(
            "based_on says ticket version {seen}, but the ticket is at {ticket_version}"
        )));
    }
    let newer: Option<(String, i64)> = sqlx::query_as(
        "SELECT id, ticket_version FROM messages
         WHERE tenant_id = $1 AND ticket_id = $2 AND author_kind = 'customer' AND ticket_version > $3
         ORDER BY ticket_version LIMIT 1",
    )
    .bind(tenant_id)
    .bind(ticket_id)
    .bind(seen)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((message, at)) = newer {
        return Err(reject(
            ErrorCode::Stale,
            format!(
                "the customer wrote again ({message}, ticket version {at}) after the version the reply was approved on ({seen})"
            ),
        ));
    }
    for (key, &seen) in m.based_on.iter().filter(|(k, _)| **k != ticket_key) {
        let (entity, id) = key
            .split_once(':')
            .ok_or_else(|| invalid(format!("based_on key {key:?} is not \"<entity>:<id>\"")))?;
        let entity: Entity = serde_json::from_value(Value::String(entity.into()))
            .map_err(|_| invalid(format!("based_on key {key:?} names an unknown entity")))?;
        let now: Option<i64> = sqlx::query_scalar(version_sql(entity))
            .bind(tenant_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        match now {
            None => return Err(Error::not_found("cited record", key).into()),
            Some(now) if now > seen => {
                return Err(reject(
                    ErrorCode::Stale,
                    format!(
                        "{key} changed since the reply was approved (version {seen}, now {now})"
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
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

async fn raise_escalation(tx: &mut PgConnection, caller: &Caller, p: &RaiseEscalation) -> Effect {
    EscalationId::parse(&p.escalation_id)?;
    body_text("reason", &p.reason)?;
    if !matches!(
        p.proposed_action.as_str(),
        "refund" | "credit_note" | "void_invoice" | "waive_fee" | "other"
    ) {
        return Err(invalid(format!(
            "proposed_action must be refund, credit_note, void_invoice, waive_fee or other, got {:?}",
            p.proposed_action
        )));
    }
    if p.amount.is_some_and(|a| a.is_negative()) {
        return Err(invalid("amount must not be negative"));
    }
    let t = &caller.tenant_id;
    lock_ticket(tx, t, &p.ticket_id).await?;
    if let Some(invoice) = &p.invoice_id {
        InvoiceId::parse(invoice)?;
        let exists: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM invoices WHERE tenant_id = $1 AND id = $2)",
        )
        .bind(t)
        .bind(invoice)
        .fetch_one(&mut *tx)
        .await?;
        if !exists {
            return Err(Error::not_found("invoice", invoice).into());
        }
    }
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO escalations (tenant_id, id, ticket_id, reason, proposed_action, invoice_id,
                                  currency, amount, status, raised_by, created_at, raised_by_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, now(), $10)
         ON CONFLICT DO NOTHING RETURNING version",
    )
    .bind(t)
    .bind(&p.escalation_id)
    .bind(&p.ticket_id)
    .bind(p.reason.trim())
    .bind(&p.proposed_action)
    .bind(&p.invoice_id)
    .bind(p.amount.map(|a| a.currency().to_string()))
    .bind(p.amount.map(|a| a.minor()))
    .bind(&caller.agent_name)
    .bind(&caller.agent_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(version) = inserted else {
        return Err(reject(
            ErrorCode::Conflict,
            format!("escalation {} already exists", p.escalation_id),
        ));
    };
    let mut changed = Changed::default();
    changed.push(Entity::Escalation, &p.escalation_id);
    Ok((
        json!({"escalation_id": p.escalation_id, "status": "pending", "version": version}),
        changed,
    ))
}

async fn decide_escalation(tx: &mut PgConnection, caller: &Caller, p: &DecideEscalation) -> Effect {
    // The role is the token's agent's, never anything the payload says.
    if caller.role != Role::Supervisor {
        return Err(reject(
            ErrorCode::Forbidden,
            format!(
                "only a supervisor decides an escalation; {} is an agent",
                caller.agent_name
            ),
        ));
    }
    EscalationId::parse(&p.escalation_id)?;
    let status = match p.decision.as_str() {
        "approve" => "approved",
        "deny" => "denied",
        other => {
            return Err(invalid(format!(
                "decision must be approve or deny, got {other:?}"
            )));
        }
    };
    let t = &caller.tenant_id;
    // First decision wins: the row lock makes a concurrent second one re-check `pending` and
    // find it gone.
    let decided: Option<i64> = sqlx::query_scalar(
        "UPDATE escalations SET status = $3, decided_by = $4, decided_at = now(), decision_note = $5,
                decided_by_agent = $6, version = version + 1
         WHERE tenant_id = $1 AND id = $2 AND status = 'pending' RETURNING version",
    )
    .bind(t)
    .bind(&p.escalation_id)
    .bind(status)
    .bind(&caller.agent_name)
    .bind(p.note.trim())
    .bind(&caller.agent_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(version) = decided {
        let mut changed = Changed::default();
        changed.push(Entity::Escalation, &p.escalation_id);
        return Ok((
            json!({"escalation_id": p.escalation_id, "status": status, "version": version}),
            changed,
        ));
    }
    let winner: Option<Value> = sqlx::query_scalar(
        "SELECT jsonb_build_object('escalation_id', id, 'status', status,
                    'decision', CASE status WHEN 'approved' THEN 'approve' ELSE 'deny' END,
                    'decided_by', decided_by, 'decided_at', decided_at,
                    'decision_note', decision_note, 'version', version)
         FROM escalation_rows WHERE tenant_id = $1 AND id = $2",
    )
    .bind(t)
    .bind(&p.escalation_id)
    .fetch_optional(&mut *tx)
    .await?;
    match winner {
        None => Err(Error::not_found("escalation", &p.escalation_id).into()),
        Some(winner) => Err(Failure::Rejected {
            code: ErrorCode::Conflict,
            message: format!(
                "escalation {} was already decided by {}",
                p.escalation_id,
                winner["decided_by"].as_str().unwrap_or("someone else")
            ),
            winner: Some(winner),
        }),
    }
}

async fn assign(tx: &mut PgConnection, caller: &Caller, p: &Assign) -> Effect {
    if let Some(a) = &p.assignee
        && (a.trim().is_empty() || a.chars().count() > 200)
    {
        return Err(invalid(
            "assignee must be 1 to 200 characters, or null to unassign",
        ));
    }
    let t = &caller.tenant_id;
    lock_ticket(tx, t, &p.ticket_id).await?;
    let version: i64 = sqlx::query_scalar(
        "UPDATE tickets SET assignee = $3, version = version + 1, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 RETURNING version",
    )
    .bind(t)
    .bind(&p.ticket_id)
    .bind(p.assignee.as_deref().map(str::trim))
    .fetch_one(&mut *tx)
    .await?;
    let mut changed = Changed::default();
    changed.push(Entity::Ticket, &p.ticket_id);
    Ok((
        json!({"ticket_id": p.ticket_id, "assignee": p.assignee, "ticket_version": version}),
        changed,
    ))
}

async fn set_status(tx: &mut PgConnection, caller: &Caller, p: &SetStatus) -> Effect {
    if !matches!(p.status.as_str(), "open" | "pending" | "solved" | "closed") {
        return Err(invalid(format!(
            "status must be open, pending, solved or closed, got {:?}",
            p.status
        )));
    }
    let t = &caller.tenant_id;
    lock_ticket(tx, t, &p.ticket_id).await?;
    let version: i64 = sqlx::query_scalar(
        "UPDATE tickets SET status = $3, version = version + 1, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 RETURNING version",
    )
    .bind(t)
    .bind(&p.ticket_id)
    .bind(&p.status)
    .fetch_one(&mut *tx)
    .await?;
    let mut changed = Changed::default();
    changed.push(Entity::Ticket, &p.ticket_id);
    Ok((
        json!({"ticket_id": p.ticket_id, "status": p.status, "ticket_version": version}),
        changed,
    ))
}
