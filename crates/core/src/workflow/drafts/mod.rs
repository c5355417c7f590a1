//! Drafts: an assistant proposes a reply citing the records it relied on; a person approves it
//! (as is or edited), rejects it, or re-reviews it when it went stale.
//!
//! A draft is bound to what it saw: the ticket version, the newest customer message, and the
//! version of every cited record. If any of those moved on, the draft is stale and cannot be
//! approved until a person re-reviews it.
//!
//! This module files and reads drafts; [`decide`] holds what a person does with them.

mod decide;
mod propose;

pub use decide::{approve, reject, rereview};
pub(crate) use propose::file;
pub use propose::{Extras, Seen, propose};

use crate::records::{int, opt_text, parse, text};
use crate::store::{parse_ts, parse_ts_opt};
use crate::workflow::staleness;
use crate::{Error, Result};
use countersign_model::workflow::{AssistantInfo, Citation, CitedKind, Draft, DraftStatus};
use countersign_model::{DraftId, TicketId};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};
use std::collections::HashMap;

/// The most citations one draft may carry.
pub const MAX_CITATIONS: usize = 50;

/// A record an assistant cites, as it names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationRef {
    pub kind: CitedKind,
    pub id: String,
}

/// What an assistant proposes.
#[derive(Debug, Clone)]
pub struct NewDraft {
    pub ticket_id: TicketId,
    pub body: String,
    pub confidence: f64,
    pub citations: Vec<CitationRef>,
}

macro_rules! draft_columns {
    () => {
        concat!(
            "SELECT d.id, d.ticket_id, d.body, d.confidence, d.status, d.author_client, d.author_model, \
             d.ticket_version, d.seen_customer_message, d.created_at, d.stale_reason, d.decided_by, \
             d.decided_at, d.decision_note, d.final_body, d.claims, d.generation, d.suggested_escalation, ",
            $crate::workflow::staleness::newest_customer_message!(),
            " AS last_customer_message, ",
            $crate::workflow::staleness::billing_moved!(),
            " AS billing_moved FROM drafts d "
        )
    };
}

macro_rules! citation_columns {
    () => {
        concat!(
            "SELECT c.draft_id, c.kind, c.record_id, c.record_version, ",
            $crate::workflow::staleness::cited_version_now!(),
            " AS current_version FROM draft_citations c "
        )
    };
}

fn citation_from_row(row: &SqliteRow) -> Result<(String, Citation)> {
    let version = int(row, "record_version")?;
    let current: Option<i64> = row.try_get("current_version")?;
    Ok((
        text(row, "draft_id")?,
        Citation {
            kind: parse(CitedKind::parse(&text(row, "kind")?))?,
            id: text(row, "record_id")?,
            version,
            current_version: staleness::current_version(version, current),
        },
    ))
}

/// Why a draft is stale now, if it is (the rule: [`staleness`]).
fn why_stale(row: &SqliteRow, citations: &[Citation]) -> Result<Option<String>> {
    Ok(staleness::reason(
        row.try_get("seen_customer_message")?,
        row.try_get("last_customer_message")?,
        citations,
        row.try_get::<Option<String>, _>("billing_moved")?
            .as_deref(),
    ))
}

fn draft_from_row(row: &SqliteRow, citations: Vec<Citation>) -> Result<Draft> {
    let mut status = parse(DraftStatus::parse(&text(row, "status")?))?;
    let mut stale_reason = opt_text(row, "stale_reason")?;
    if status == DraftStatus::PendingReview
        && let Some(why) = why_stale(row, &citations)?
    {
        status = DraftStatus::Stale;
        stale_reason = Some(why);
    }
    Ok(Draft {
        id: parse(DraftId::parse(&text(row, "id")?))?,
        ticket_id: parse(TicketId::parse(&text(row, "ticket_id")?))?,
        body: text(row, "body")?,
        confidence: row.try_get("confidence")?,
        status,
        author: AssistantInfo {
            client: text(row, "author_client")?,
            model: opt_text(row, "author_model")?,
        },
        citations,
        ticket_version: int(row, "ticket_version")?,
        created_at: parse_ts(&text(row, "created_at")?)?,
        stale_reason,
        decided_by: opt_text(row, "decided_by")?,
        decided_at: parse_ts_opt(opt_text(row, "decided_at")?.as_deref())?,
        decision_note: opt_text(row, "decision_note")?,
        final_body: opt_text(row, "final_body")?,
        claims: json_column(row, "claims")?.unwrap_or_default(),
        generation: json_column(row, "generation")?,
        suggested_escalation: json_column(row, "suggested_escalation")?,
    })
}

/// A JSON column the desk wrote; `None` when NULL.
fn json_column<T: serde::de::DeserializeOwned>(row: &SqliteRow, col: &str) -> Result<Option<T>> {
    opt_text(row, col)?
        .map(|json| serde_json::from_str(&json).map_err(crate::store::corrupt))
        .transpose()
}

/// The drafts of a ticket, newest first, with staleness evaluated now. Two queries.
pub async fn for_ticket(conn: &mut SqliteConnection, ticket: &TicketId) -> Result<Vec<Draft>> {
    let rows = sqlx::query(concat!(
        draft_columns!(),
        "WHERE d.ticket_id = ? ORDER BY d.created_at DESC, d.id DESC"
    ))
    .bind(ticket.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let cits = sqlx::query(concat!(
        citation_columns!(),
        "WHERE c.draft_id IN (SELECT id FROM drafts WHERE ticket_id = ?)"
    ))
    .bind(ticket.as_str())
    .fetch_all(&mut *conn)
    .await?;
    assemble(rows, cits)
}

fn assemble(rows: Vec<SqliteRow>, cits: Vec<SqliteRow>) -> Result<Vec<Draft>> {
    let mut by_draft: HashMap<String, Vec<Citation>> = HashMap::new();
    for row in &cits {
        let (draft, c) = citation_from_row(row)?;
        by_draft.entry(draft).or_default().push(c);
    }
    rows.iter()
        .map(|row| {
            let id = text(row, "id")?;
            draft_from_row(row, by_draft.remove(&id).unwrap_or_default())
        })
        .collect()
}

/// One draft, staleness evaluated now.
pub async fn find(pool: &SqlitePool, id: &DraftId) -> Result<Draft> {
    load(&mut *pool.acquire().await?, id).await
}

/// Reads a draft on `conn` — inside a write transaction, the decision sees what it decides on.
pub(super) async fn load(conn: &mut SqliteConnection, id: &DraftId) -> Result<Draft> {
    let row = sqlx::query(concat!(draft_columns!(), "WHERE d.id = ?"))
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found("draft", id))?;
    let cits = sqlx::query(concat!(citation_columns!(), "WHERE c.draft_id = ?"))
        .bind(id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    Ok(assemble(vec![row], cits)?.remove(0))
}

/// Drafts waiting for a person (pending or stale), oldest first.
pub async fn awaiting_review(pool: &SqlitePool, limit: i64) -> Result<Vec<Draft>> {
    let limit = crate::records::clamp_limit(limit);
    let rows = sqlx::query(concat!(
        draft_columns!(),
        "WHERE d.status IN ('pending_review', 'stale') ORDER BY d.created_at, d.id LIMIT ?"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let cits = sqlx::query(concat!(
        citation_columns!(),
        "WHERE c.draft_id IN (SELECT id FROM drafts WHERE status IN ('pending_review', 'stale') \
         ORDER BY created_at, id LIMIT ?)"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    assemble(rows, cits)
}
