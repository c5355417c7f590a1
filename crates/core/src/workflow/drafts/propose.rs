//! Filing a draft: checked, bound to the versions of the ticket and of every cited record.

use super::{CitationRef, MAX_CITATIONS, NewDraft};
use crate::drafting::context;
use crate::store::{Store, Tx, now, ts};
use crate::workflow::{AssistantCall, check_text};
use crate::{Error, Result, new_id};
use countersign_drafting::grounding;
use countersign_model::DraftId;
use countersign_model::Problem;
use countersign_model::problem::TextField;
use countersign_model::workflow::CitedKind;
use countersign_model::workflow::{
    AssistantInfo, Citation, Draft, DraftStatus, Generation, SuggestedEscalation,
};
use sqlx::{QueryBuilder, Row, Sqlite};

/// A cited record as it is now: its version and the customer it belongs to (if any).
struct CitedNow {
    version: i64,
    customer_id: Option<String>,
    ticket_id: Option<String>,
}

/// Every cited record as it is now, in the order given (`None` where it does not exist): one
/// query, whatever the number of citations.
async fn cited_now(tx: &mut Tx, refs: &[&CitationRef]) -> Result<Vec<Option<CitedNow>>> {
    let mut found: Vec<Option<CitedNow>> = refs.iter().map(|_| None).collect();
    if refs.is_empty() {
        return Ok(found);
    }
    let mut q = QueryBuilder::<Sqlite>::new("");
    for (pos, c) in refs.iter().enumerate() {
        // Fixed table and column names per kind; only the id is a bound value.
        let (columns, table) = match c.kind {
            CitedKind::Customer => ("id AS customer_id, NULL AS ticket_id", "customers"),
            CitedKind::Invoice => ("customer_id, NULL AS ticket_id", "invoices"),
            CitedKind::Payment => ("customer_id, NULL AS ticket_id", "payments"),
            CitedKind::Message => ("NULL AS customer_id, ticket_id", "messages"),
            CitedKind::KbArticle => ("NULL AS customer_id, NULL AS ticket_id", "kb_articles"),
        };
        if pos > 0 {
            q.push(" UNION ALL ");
        }
        q.push(format!(
            "SELECT {pos} AS pos, version, {columns} FROM {table} WHERE id = "
        ))
        .push_bind(c.id.clone());
    }
    for r in q.build().fetch_all(&mut **tx).await? {
        let pos: i64 = r.try_get("pos")?;
        if let Some(slot) = usize::try_from(pos).ok().and_then(|p| found.get_mut(p)) {
            *slot = Some(CitedNow {
                version: r.try_get("version")?,
                customer_id: r.try_get("customer_id")?,
                ticket_id: r.try_get("ticket_id")?,
            });
        }
    }
    Ok(found)
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

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(format!("cannot encode a draft: {e}")))
}

fn check_draft(input: &NewDraft) -> Result<String> {
    let body = check_text(TextField::Body, &input.body)?;
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

/// What the desk's own drafting adds to a draft: how it was made, and the escalation its
/// approval raises.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub generation: Option<Generation>,
    pub suggested_escalation: Option<SuggestedEscalation>,
    /// What the drafter saw when it started (ticket version, newest customer message): a draft
    /// that took a provider seconds is bound to that, not to what arrived meanwhile — if the
    /// customer wrote in between, the draft is stale as soon as it is filed.
    pub seen: Option<Seen>,
}

/// A ticket as the drafter read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub ticket_version: i64,
    pub last_customer_message: Option<i64>,
}

impl Seen {
    /// The ticket `id` as it is now.
    pub async fn now(pool: &sqlx::SqlitePool, id: &str) -> Result<Seen> {
        let mut conn = pool.acquire().await?;
        let row = sqlx::query(
            "SELECT version, (SELECT MAX(rowid) FROM messages WHERE ticket_id = t.id AND author_kind = 'customer') AS last \
             FROM tickets t WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found("ticket", id))?;
        Ok(Seen {
            ticket_version: row.try_get("version")?,
            last_customer_message: row.try_get("last")?,
        })
    }
}

/// Files an assistant's draft reply as `pending_review`.
pub async fn propose(store: &Store, call: &AssistantCall, input: &NewDraft) -> Result<Draft> {
    call.require_draft_scope()?;
    file(store, call, input, Extras::default()).await
}

/// Files a draft, whoever wrote it, after the grounding check: every amount, invoice number and
/// date the body states is checked against the ticket's records. A draft whose claims do not
/// all hold is filed with them flagged and its confidence lowered to at most
/// [`grounding::UNGROUNDED_CONFIDENCE`]; a draft citing another customer's record is refused.
pub(crate) async fn file(
    store: &Store,
    call: &AssistantCall,
    input: &NewDraft,
    extras: Extras,
) -> Result<Draft> {
    let body = check_draft(input)?;
    let mut tx = store.write().await?;
    let mut ticket = ticket_now(&mut tx, input.ticket_id.as_str())
        .await?
        .ok_or_else(|| Error::not_found("ticket", &input.ticket_id))?;
    if let Some(seen) = extras.seen {
        ticket.version = seen.ticket_version;
        ticket.last_customer_message = seen.last_customer_message;
    }
    if ticket.status == "closed" {
        return Err(Error::Refused(Problem::TicketClosed {
            ticket: input.ticket_id.clone(),
        }));
    }
    let mut citations = Vec::with_capacity(input.citations.len());
    let mut unique: Vec<&CitationRef> = Vec::with_capacity(input.citations.len());
    for c in &input.citations {
        if !unique.iter().any(|x| x.kind == c.kind && x.id == c.id) {
            unique.push(c);
        }
    }
    let now_cited = cited_now(&mut tx, &unique).await?;
    for (c, cited) in unique.into_iter().zip(now_cited) {
        let cited = cited.ok_or_else(|| Error::not_found(c.kind.as_str(), &c.id))?;
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
    let cited: Vec<&str> = citations.iter().map(|c| c.id.as_str()).collect();
    let ctx = context::load(&mut tx, input.ticket_id.as_str(), &body, &cited).await?;
    let claims = grounding::check(&ctx, &body);
    let confidence = if grounding::holds(&claims) {
        input.confidence
    } else {
        input.confidence.min(grounding::UNGROUNDED_CONFIDENCE)
    };
    let id = DraftId::from_suffix(new_id(""));
    let created_at = now();
    sqlx::query(
        "INSERT INTO drafts (id, ticket_id, body, confidence, status, author_client, author_model, \
         token_id, ticket_version, seen_customer_message, created_at, claims, generation, \
         suggested_escalation) \
         VALUES (?, ?, ?, ?, 'pending_review', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.as_str())
    .bind(input.ticket_id.as_str())
    .bind(&body)
    .bind(confidence)
    .bind(&call.client)
    .bind(&call.model)
    .bind(call.token_id.as_ref().map(|t| t.as_str()))
    .bind(ticket.version)
    .bind(ticket.last_customer_message)
    .bind(ts(created_at))
    .bind(to_json(&claims)?)
    .bind(extras.generation.as_ref().map(to_json).transpose()?)
    .bind(
        extras
            .suggested_escalation
            .as_ref()
            .map(to_json)
            .transpose()?,
    )
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
        confidence,
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
        claims,
        generation: extras.generation,
        suggested_escalation: extras.suggested_escalation,
    })
}
