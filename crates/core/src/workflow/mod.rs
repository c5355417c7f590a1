//! The review workflow: assistants propose (drafts, escalations, internal notes); people decide
//! (approve, edit, reject, re-review, approve or deny). Every proposal and decision is written
//! with its audit row and, when the platform must learn of it, its outbox row, in one transaction.

pub mod drafts;
pub mod escalations;
pub mod merge;
pub mod notes;
pub mod replies;
pub(crate) mod staleness;
pub mod ticket_actions;

use crate::audit::{self, ActorKind};
use crate::store::{Tx, now, ts};
use crate::{Error, Result};
use countersign_model::Problem;
use countersign_model::TokenId;
use countersign_model::problem::TextField;
use countersign_model::sync::MutationBody;
use countersign_model::workflow::{Person, TokenScope};
use futures_util::future::BoxFuture;
use serde_json::Value;
use sqlx::SqliteConnection;
use std::time::Instant;

/// The longest text (reply, note, reason) accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// An assistant's call through MCP: who it is, what it may do, and what it asked.
#[derive(Debug, Clone)]
pub struct AssistantCall {
    /// The MCP client's name (`clientInfo.name`, or the token's name over HTTP).
    pub client: String,
    pub model: Option<String>,
    pub token_id: Option<TokenId>,
    pub scope: TokenScope,
    /// The tool called.
    pub tool: String,
    /// The tool's arguments as sent (redacted when audited).
    pub arguments: Value,
    pub started: Instant,
}

impl AssistantCall {
    /// A call starting now, by `client`, with no model or token named.
    pub fn new(
        client: impl Into<String>,
        scope: TokenScope,
        tool: impl Into<String>,
        arguments: Value,
    ) -> Self {
        Self {
            client: client.into(),
            model: None,
            token_id: None,
            scope,
            tool: tool.into(),
            arguments,
            started: Instant::now(),
        }
    }

    /// Refuses a proposal from a token that may only read.
    pub fn require_draft_scope(&self) -> Result<()> {
        match self.scope {
            TokenScope::Draft => Ok(()),
            TokenScope::Read => Err(Error::Forbidden(format!(
                "`{}` needs a token with the `draft` scope; this one may only read",
                self.tool
            ))),
        }
    }

    fn elapsed_us(&self) -> i64 {
        i64::try_from(self.started.elapsed().as_micros()).unwrap_or(i64::MAX)
    }

    fn record<'a>(&'a self, subject: Option<&'a str>, outcome: &'a str) -> audit::Record<'a> {
        audit::Record {
            actor_kind: ActorKind::Assistant,
            actor: &self.client,
            token_id: self.token_id.as_ref().map(|t| t.as_str()),
            action: &self.tool,
            subject,
            arguments: &self.arguments,
            outcome,
            duration_us: Some(self.elapsed_us()),
        }
    }

    /// Appends this call's audit row with `outcome` inside `tx`.
    pub(crate) async fn audit(
        &self,
        tx: &mut Tx,
        subject: Option<&str>,
        outcome: &str,
    ) -> Result<()> {
        audit::append(tx, &self.record(subject, outcome)).await?;
        Ok(())
    }
}

/// Who proposes: an assistant through MCP, or a person writing by hand.
#[derive(Debug, Clone)]
pub enum Proposer<'a> {
    Assistant(&'a AssistantCall),
    Person(&'a Person),
}

impl Proposer<'_> {
    pub(crate) fn name(&self) -> &str {
        match self {
            Self::Assistant(c) => &c.client,
            Self::Person(p) => &p.name,
        }
    }
}

/// Appends a person's decision to the audit log inside `tx`.
pub(crate) async fn audit_person(
    tx: &mut Tx,
    person: &Person,
    action: &str,
    subject: &str,
    arguments: &Value,
    outcome: &str,
) -> Result<()> {
    audit::append(
        tx,
        &audit::Record {
            actor_kind: ActorKind::Human,
            actor: &person.name,
            token_id: None,
            action,
            subject: Some(subject),
            arguments,
            outcome,
            duration_us: None,
        },
    )
    .await?;
    Ok(())
}

/// Queues a mutation for the platform inside `tx`. It is built as the model's typed payload, the
/// one the platform parses, so a desk cannot queue a shape the platform refuses.
pub(crate) async fn enqueue(tx: &mut Tx, body: &MutationBody, based_on: &Value) -> Result<()> {
    insert_outbox(tx, body, based_on, None).await
}

/// [`enqueue`] for a change to a ticket's own field, with what it replaced (`undo`: the
/// ticket, the column, the value set and the value it was), for a refusal to put back.
pub(crate) async fn enqueue_undoable(
    tx: &mut Tx,
    body: &MutationBody,
    based_on: &Value,
    undo: &Value,
) -> Result<()> {
    insert_outbox(tx, body, based_on, Some(undo)).await
}

/// What queued mutation `mutation_id` replaced, as [`enqueue_undoable`] kept it; `None` when it
/// kept nothing (or nothing of that shape).
pub(crate) async fn queued_undo<T: serde::de::DeserializeOwned>(
    tx: &mut Tx,
    mutation_id: &str,
) -> Result<Option<T>> {
    let undo: Option<String> = sqlx::query_scalar("SELECT undo FROM outbox WHERE mutation_id = ?")
        .bind(mutation_id)
        .fetch_optional(&mut **tx)
        .await?
        .flatten();
    Ok(undo.and_then(|u| serde_json::from_str(&u).ok()))
}

async fn insert_outbox(
    tx: &mut Tx,
    body: &MutationBody,
    based_on: &Value,
    undo: Option<&Value>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (mutation_id, kind, payload, based_on, created_at, undo) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(crate::new_id("mut_"))
    .bind(body.kind().as_str())
    .bind(body.payload().to_string())
    .bind(based_on.to_string())
    .bind(ts(now()))
    .bind(undo.map(Value::to_string))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Checks a person-or-assistant supplied text: non-blank and bounded.
pub(crate) fn check_text(field: TextField, text: &str) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::Refused(Problem::Required { field }));
    }
    let chars = t.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(Error::Refused(Problem::TooLong {
            field,
            chars,
            max: MAX_TEXT_CHARS,
        }));
    }
    if t.contains('\0') {
        return Err(Error::invalid(format!(
            "`{}` contains a NUL character",
            field.as_str()
        )));
    }
    Ok(t.to_owned())
}

/// A connection to the desk, as [`audited_read`] lends it to a read.
pub type Connection = SqliteConnection;

/// A read running on a lent [`Connection`].
pub type ReadFuture<'c, T> = BoxFuture<'c, Result<T>>;

/// Runs an assistant's read and audits it, whatever its outcome, before the result can be
/// shown; a read that cannot be audited is refused. Both run on one connection: SQLite drops a
/// connection's page cache when another connection has written since its last read, so
/// auditing on a second connection would leave the next read a cold cache; and it spares a
/// hand-off to and from SQLite's thread.
pub async fn audited_read<T, F>(
    store: &crate::Store,
    call: &AssistantCall,
    subject: Option<&str>,
    read: F,
) -> Result<T>
where
    F: for<'c> FnOnce(&'c mut Connection) -> ReadFuture<'c, T>,
{
    let mut conn = store.pool().acquire().await?;
    let result = read(&mut conn).await;
    let outcome = match &result {
        Ok(_) => "ok",
        Err(e) => e.code().as_str(),
    };
    let record = call.record(subject, outcome);
    if let Err(e) = audit::append_now_on(&mut conn, store, &record).await {
        tracing::error!(error = %e, tool = %call.tool, "cannot audit an assistant's read; refusing it");
        return Err(e);
    }
    result
}

/// Audits an assistant call that wrote nothing else (a refused proposal), on its own: one
/// guarded insert in the common case.
pub async fn record_call(
    store: &crate::Store,
    call: &AssistantCall,
    subject: Option<&str>,
    outcome: &str,
) -> Result<()> {
    audit::append_now(store, &call.record(subject, outcome)).await?;
    Ok(())
}
