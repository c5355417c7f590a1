//! Drafts: an assistant proposes a reply citing the records it relied on; a person approves it
//! (as is or edited), rejects it, or re-reviews it when it went stale.
//!
//! A draft is bound to what it saw: the ticket version, the newest customer message, and the
//! version of every cited record. If any of those moved on, the draft is stale and cannot be
//! approved until a person re-reviews it.

use super::{AssistantCall, audit_person, check_text, enqueue};
use crate::records::{int, opt_text, parse, text};
use crate::store::{Store, Tx, now, parse_ts, parse_ts_opt, ts};
use crate::{Error, Result, new_id};
use countersign_model::workflow::{AssistantInfo, Citation, CitedKind, Draft, DraftStatus, Person};
use countersign_model::{DraftId, TicketId};
use serde_json::json;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
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

/// A cited record as it is now: its version and the customer it belongs to (if any).
struct CitedNow {
    version: i64,
    customer_id: Option<String>,
    ticket_id: Option<String>,
}

async fn cited_now(tx: &mut Tx, c: &CitationRef) -> Result<Option<CitedNow>> {
    let row = match c.kind {
        CitedKind::Customer => {
            sqlx::query(
                "SELECT version, id AS customer_id, NULL AS ticket_id FROM customers WHERE id = ?",
            )
            .bind(&c.id)
            .fetch_optional(&mut **tx)
            .await?
        }
        CitedKind::Invoice => {
            sqlx::query("SELECT version, customer_id, NULL AS ticket_id FROM invoices WHERE id = ?")
                .bind(&c.id)
                .fetch_optional(&mut **tx)
                .await?
        }
        CitedKind::Payment => {
            sqlx::query("SELECT version, customer_id, NULL AS ticket_id FROM payments WHERE id = ?")
                .bind(&c.id)
                .fetch_optional(&mut **tx)
                .await?
        }
        CitedKind::Message => {
            sqlx::query("SELECT version, NULL AS customer_id, ticket_id FROM messages WHERE id = ?")
                .bind(&c.id)
                .fetch_optional(&mut **tx)
                .await?
        }
        CitedKind::KbArticle => sqlx::query(
            "SELECT version, NULL AS customer_id, NULL AS ticket_id FROM kb_articles WHERE id = ?",
        )
        .bind(&c.id)
        .fetch_optional(&mut **tx)
        .await?,
    };
    row.map(|r| {
        Ok(CitedNow {
            version: r.try_get("version")?,
            customer_id: r.try_get("customer_id")?,
            ticket_id: r.try_get("ticket_id")?,
        })
    })
    .transpose()
}

/// The ticket facts a draft binds to.
struct TicketNow {
    customer_id: String,
    version: i64,
    status: String,
    last_customer_message: Option<i64>,
}

async fn ticket_now(tx: &mut Tx, id: &str) -> Result<Option<TicketNow>> {
    let row = sqlx::query(
        "SELECT customer_id, version, status, \
         (SELECT MAX(rowid) FROM messages WHERE ticket_id = t.id AND author_kind = 'customer') AS last_customer_message \
         FROM tickets t WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok(TicketNow {
            customer_id: r.try_get("customer_id")?,
            version: r.try_get("version")?,
            status: r.try_get("status")?,
            last_customer_message: r.try_get("last_customer_message")?,
        })
    })
    .transpose()
}

fn check_draft(input: &NewDraft) -> Result<String> {
    let body = check_text("body", &input.body)?;
    if !input.confidence.is_finite() || !(0.0..=1.0).contains(&input.confidence) {
        return Err(Error::invalid(format!(
            "`confidence` must be between 0 and 1, got {}",
            input.confidence
        )));
    }
    if input.citations.len() > MAX_CITATIONS {
        return Err(Error::invalid(format!(
            "{} citations; at most {MAX_CITATIONS} are accepted",
            input.citations.len()
        )));
    }
    Ok(body)
}

/// Files an assistant's draft reply as `pending_review`.
pub async fn propose(store: &Store, call: &AssistantCall, input: &NewDraft) -> Result<Draft> {
    call.require_draft_scope()?;
    let body = check_draft(input)?;
    let mut tx = store.write().await?;
    let ticket = ticket_now(&mut tx, input.ticket_id.as_str())
        .await?
        .ok_or_else(|| Error::not_found("ticket", &input.ticket_id))?;
    if ticket.status == "closed" {
        return Err(Error::invalid(format!(
            "ticket {} is closed; reopen it before drafting a reply",
            input.ticket_id
        )));
    }
    let mut citations = Vec::with_capacity(input.citations.len());
    for c in &input.citations {
        if citations
            .iter()
            .any(|x: &Citation| x.kind == c.kind && x.id == c.id)
        {
            continue;
        }
        let cited = cited_now(&mut tx, c)
            .await?
            .ok_or_else(|| Error::not_found(c.kind.as_str(), &c.id))?;
        if cited
            .customer_id
            .as_ref()
            .is_some_and(|cust| *cust != ticket.customer_id)
        {
            return Err(Error::invalid(format!(
                "{} {} belongs to another customer than ticket {}; a reply may only cite this customer's records",
                c.kind, c.id, input.ticket_id
            )));
        }
        if cited
            .ticket_id
            .as_ref()
            .is_some_and(|t| t != input.ticket_id.as_str())
        {
            return Err(Error::invalid(format!(
                "message {} is not part of ticket {}",
                c.id, input.ticket_id
            )));
        }
        citations.push(Citation {
            kind: c.kind,
            id: c.id.clone(),
            version: cited.version,
            current_version: None,
        });
    }
    let id = DraftId::from_suffix(new_id(""));
    let created_at = now();
    sqlx::query(
        "INSERT INTO drafts (id, ticket_id, body, confidence, status, author_client, author_model, \
         token_id, ticket_version, seen_customer_message, created_at) \
         VALUES (?, ?, ?, ?, 'pending_review', ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.as_str())
    .bind(input.ticket_id.as_str())
    .bind(&body)
    .bind(input.confidence)
    .bind(&call.client)
    .bind(&call.model)
    .bind(call.token_id.as_ref().map(|t| t.as_str()))
    .bind(ticket.version)
    .bind(ticket.last_customer_message)
    .bind(ts(created_at))
    .execute(&mut *tx)
    .await?;
    if !citations.is_empty() {
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO draft_citations (draft_id, kind, record_id, record_version) ",
        );
        q.push_values(&citations, |mut b, c| {
            b.push_bind(id.as_str())
                .push_bind(c.kind.as_str())
                .push_bind(c.id.clone())
                .push_bind(c.version);
        });
        q.build().execute(&mut *tx).await?;
    }
    call.audit(&mut tx, Some(id.as_str()), "ok").await?;
    tx.commit().await?;
    tracing::info!(draft = %id, ticket = %input.ticket_id, client = %call.client, "draft proposed");
    Ok(Draft {
        id,
        ticket_id: input.ticket_id.clone(),
        body,
        confidence: input.confidence,
        status: DraftStatus::PendingReview,
        author: AssistantInfo {
            client: call.client.clone(),
            model: call.model.clone(),
        },
        citations,
        ticket_version: ticket.version,
        created_at,
        stale_reason: None,
        decided_by: None,
        decided_at: None,
        decision_note: None,
        final_body: None,
    })
}

macro_rules! draft_columns {
    () => {
        "SELECT d.id, d.ticket_id, d.body, d.confidence, d.status, d.author_client, d.author_model, \
         d.ticket_version, d.seen_customer_message, d.created_at, d.stale_reason, d.decided_by, \
         d.decided_at, d.decision_note, d.final_body, \
         (SELECT MAX(rowid) FROM messages m WHERE m.ticket_id = d.ticket_id AND m.author_kind = 'customer') AS last_customer_message \
         FROM drafts d "
    };
}

macro_rules! citation_columns {
    () => {
        "SELECT c.draft_id, c.kind, c.record_id, c.record_version, CASE c.kind \
           WHEN 'customer' THEN (SELECT version FROM customers WHERE id = c.record_id) \
           WHEN 'invoice' THEN (SELECT version FROM invoices WHERE id = c.record_id) \
           WHEN 'payment' THEN (SELECT version FROM payments WHERE id = c.record_id) \
           WHEN 'message' THEN (SELECT version FROM messages WHERE id = c.record_id) \
           WHEN 'kb_article' THEN (SELECT version FROM kb_articles WHERE id = c.record_id) END AS current_version \
         FROM draft_citations c "
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
            // A deleted record reads as version 0: changed.
            current_version: match current {
                Some(v) if v == version => None,
                other => Some(other.unwrap_or(0)),
            },
        },
    ))
}

/// Why a draft is stale now, if it is: a newer customer message, or a cited record that changed.
fn staleness(row: &SqliteRow, citations: &[Citation]) -> Result<Option<String>> {
    let seen: Option<i64> = row.try_get("seen_customer_message")?;
    let last: Option<i64> = row.try_get("last_customer_message")?;
    let mut reasons = Vec::new();
    if last > seen {
        reasons.push("the customer wrote again after this draft".to_owned());
    }
    for c in citations {
        match c.current_version {
            Some(0) => reasons.push(format!("cited {} {} no longer exists", c.kind, c.id)),
            Some(v) => reasons.push(format!(
                "cited {} {} changed (version {} → {v})",
                c.kind, c.id, c.version
            )),
            None => {}
        }
    }
    Ok((!reasons.is_empty()).then(|| reasons.join("; ")))
}

fn draft_from_row(row: &SqliteRow, citations: Vec<Citation>) -> Result<Draft> {
    let mut status = parse(DraftStatus::parse(&text(row, "status")?))?;
    let mut stale_reason = opt_text(row, "stale_reason")?;
    if status == DraftStatus::PendingReview
        && let Some(why) = staleness(row, &citations)?
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
    })
}

/// The drafts of a ticket, newest first, with staleness evaluated now. Two queries.
pub async fn for_ticket(pool: &SqlitePool, ticket: &TicketId) -> Result<Vec<Draft>> {
    let rows = sqlx::query(concat!(
        draft_columns!(),
        "WHERE d.ticket_id = ? ORDER BY d.created_at DESC, d.id DESC"
    ))
    .bind(ticket.as_str())
    .fetch_all(pool)
    .await?;
    let cits = sqlx::query(concat!(
        citation_columns!(),
        "WHERE c.draft_id IN (SELECT id FROM drafts WHERE ticket_id = ?)"
    ))
    .bind(ticket.as_str())
    .fetch_all(pool)
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
    let row = sqlx::query(concat!(draft_columns!(), "WHERE d.id = ?"))
        .bind(id.as_str())
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| Error::not_found("draft", id))?;
    let cits = sqlx::query(concat!(citation_columns!(), "WHERE c.draft_id = ?"))
        .bind(id.as_str())
        .fetch_all(pool)
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

/// Reads a draft inside a write transaction (so the decision sees what it decides on).
async fn find_in(tx: &mut Tx, id: &DraftId) -> Result<Draft> {
    let row = sqlx::query(concat!(draft_columns!(), "WHERE d.id = ?"))
        .bind(id.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| Error::not_found("draft", id))?;
    let cits = sqlx::query(concat!(citation_columns!(), "WHERE c.draft_id = ?"))
        .bind(id.as_str())
        .fetch_all(&mut **tx)
        .await?;
    Ok(assemble(vec![row], cits)?.remove(0))
}

fn already_decided(d: &Draft) -> Error {
    Error::Conflict(format!(
        "draft {} was already {} by {} at {}",
        d.id,
        d.status,
        d.decided_by.as_deref().unwrap_or("someone"),
        d.decided_at.map(ts).unwrap_or_default()
    ))
}

/// A person approves a draft, optionally with an edited text. The reply joins the thread as
/// queued, an outbox row carries it to the platform, and the decision is audited — one
/// transaction. A stale draft is marked stale and refused.
pub async fn approve(
    store: &Store,
    person: &Person,
    id: &DraftId,
    edited_body: Option<&str>,
) -> Result<Draft> {
    let edited = edited_body.map(|b| check_text("body", b)).transpose()?;
    let mut tx = store.write().await?;
    let draft = find_in(&mut tx, id).await?;
    match draft.status {
        DraftStatus::Approved | DraftStatus::Rejected => return Err(already_decided(&draft)),
        DraftStatus::Stale => {
            let why = draft.stale_reason.clone().unwrap_or_else(|| "stale".into());
            sqlx::query("UPDATE drafts SET status = 'stale', stale_reason = ? WHERE id = ?")
                .bind(&why)
                .bind(id.as_str())
                .execute(&mut *tx)
                .await?;
            audit_person(
                &mut tx,
                person,
                "approve_draft",
                id.as_str(),
                &json!({"edited": edited.is_some()}),
                "stale",
            )
            .await?;
            tx.commit().await?;
            return Err(Error::Stale(format!(
                "draft {id} is stale ({why}); re-review it before approving"
            )));
        }
        DraftStatus::PendingReview => {}
    }
    let final_body = edited.clone().unwrap_or_else(|| draft.body.clone());
    let at = now();
    sqlx::query(
        "UPDATE drafts SET status = 'approved', decided_by = ?, decided_at = ?, final_body = ? WHERE id = ?",
    )
    .bind(&person.name)
    .bind(ts(at))
    .bind(&final_body)
    .bind(id.as_str())
    .execute(&mut *tx)
    .await?;
    let message_id = format!("msg_{}", new_id(""));
    sqlx::query(
        "INSERT INTO messages (id, ticket_id, author_kind, author_name, body, visibility, created_at) \
         VALUES (?, ?, 'agent', ?, ?, 'public', ?)",
    )
    .bind(&message_id)
    .bind(draft.ticket_id.as_str())
    .bind(&person.name)
    .bind(&final_body)
    .bind(ts(at))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE tickets SET status = 'pending', updated_at = ? WHERE id = ? AND status = 'open'",
    )
    .bind(ts(at))
    .bind(draft.ticket_id.as_str())
    .execute(&mut *tx)
    .await?;
    let based_on: serde_json::Map<String, serde_json::Value> = std::iter::once((
        format!("ticket:{}", draft.ticket_id),
        json!(draft.ticket_version),
    ))
    .chain(
        draft
            .citations
            .iter()
            .map(|c| (format!("{}:{}", c.kind, c.id), json!(c.version))),
    )
    .collect();
    enqueue(
        &mut tx,
        "send_reply",
        &json!({
            "ticket_id": draft.ticket_id, "message_id": message_id, "draft_id": id,
            "body": final_body, "edited": edited.is_some(), "approved_by": person.name,
        }),
        &serde_json::Value::Object(based_on),
    )
    .await?;
    audit_person(
        &mut tx,
        person,
        "approve_draft",
        id.as_str(),
        &json!({"edited": edited.is_some(), "message_id": message_id}),
        "ok",
    )
    .await?;
    tx.commit().await?;
    tracing::info!(draft = %id, by = %person.name, edited = edited.is_some(), "draft approved");
    find(store.pool(), id).await
}

/// A person rejects a draft with a reason.
pub async fn reject(store: &Store, person: &Person, id: &DraftId, reason: &str) -> Result<Draft> {
    let reason = check_text("reason", reason)?;
    let mut tx = store.write().await?;
    let draft = find_in(&mut tx, id).await?;
    if matches!(draft.status, DraftStatus::Approved | DraftStatus::Rejected) {
        return Err(already_decided(&draft));
    }
    sqlx::query(
        "UPDATE drafts SET status = 'rejected', decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?",
    )
    .bind(&person.name)
    .bind(ts(now()))
    .bind(&reason)
    .bind(id.as_str())
    .execute(&mut *tx)
    .await?;
    audit_person(
        &mut tx,
        person,
        "reject_draft",
        id.as_str(),
        &json!({"reason": reason}),
        "ok",
    )
    .await?;
    tx.commit().await?;
    find(store.pool(), id).await
}

/// A person has re-read a stale draft against the current records: it is bound to what is
/// there now and goes back to `pending_review`.
pub async fn rereview(store: &Store, person: &Person, id: &DraftId) -> Result<Draft> {
    let mut tx = store.write().await?;
    let draft = find_in(&mut tx, id).await?;
    match draft.status {
        DraftStatus::Approved | DraftStatus::Rejected => return Err(already_decided(&draft)),
        DraftStatus::PendingReview => {
            return Err(Error::invalid(format!(
                "draft {id} is not stale; there is nothing to re-review"
            )));
        }
        DraftStatus::Stale => {}
    }
    sqlx::query(
        "UPDATE drafts SET status = 'pending_review', stale_reason = NULL, \
         ticket_version = (SELECT version FROM tickets WHERE id = drafts.ticket_id), \
         seen_customer_message = (SELECT MAX(rowid) FROM messages WHERE ticket_id = drafts.ticket_id AND author_kind = 'customer') \
         WHERE id = ?",
    )
    .bind(id.as_str())
    .execute(&mut *tx)
    .await?;
    for c in draft
        .citations
        .iter()
        .filter(|c| c.current_version.is_some())
    {
        match c.current_version {
            Some(0) => {
                sqlx::query(
                    "DELETE FROM draft_citations WHERE draft_id = ? AND kind = ? AND record_id = ?",
                )
                .bind(id.as_str())
                .bind(c.kind.as_str())
                .bind(&c.id)
                .execute(&mut *tx)
                .await?;
            }
            Some(v) => {
                sqlx::query("UPDATE draft_citations SET record_version = ? WHERE draft_id = ? AND kind = ? AND record_id = ?")
                    .bind(v)
                    .bind(id.as_str())
                    .bind(c.kind.as_str())
                    .bind(&c.id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {}
        }
    }
    audit_person(
        &mut tx,
        person,
        "rereview_draft",
        id.as_str(),
        &json!({"was_stale_because": draft.stale_reason}),
        "ok",
    )
    .await?;
    tx.commit().await?;
    find(store.pool(), id).await
}
