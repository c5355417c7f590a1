//! A person's decisions on a draft: approve (as is or edited), reject, re-review when stale.

use super::load;
use crate::records::invoices::InvoiceRef;
use crate::store::{Store, now, ts};
use crate::workflow::escalations::{self, NewEscalation};
use crate::workflow::replies::{self, Origin};
use crate::workflow::{Proposer, audit_person, check_text};
use crate::{Error, Result};
use countersign_model::DraftId;
use countersign_model::Problem;
use countersign_model::problem::Decided;
use countersign_model::problem::TextField;
use countersign_model::workflow::{Draft, DraftStatus, Person};
use serde_json::json;

fn already_decided(d: &Draft) -> Error {
    Error::Refused(Problem::AlreadyDecided {
        what: Decided::Draft,
        id: d.id.to_string(),
        status: d.status.to_string(),
        by: d.decided_by.clone().unwrap_or_else(|| "someone".into()),
        at: d.decided_at,
    })
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
    let edited = edited_body
        .map(|b| check_text(TextField::Body, b))
        .transpose()?;
    let mut tx = store.write().await?;
    let draft = load(&mut tx, id).await?;
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
            return Err(Error::Refused(Problem::DraftStale {
                id: id.to_string(),
                why,
            }));
        }
        DraftStatus::PendingReview => {}
    }
    let final_body = edited.clone().unwrap_or_else(|| draft.body.clone());
    sqlx::query(
        "UPDATE drafts SET status = 'approved', decided_by = ?, decided_at = ?, final_body = ? WHERE id = ?",
    )
    .bind(&person.name)
    .bind(ts(now()))
    .bind(&final_body)
    .bind(id.as_str())
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
    let origin = Origin::Draft {
        id,
        edited: edited.is_some(),
    };
    let message_id = replies::queue(
        &mut tx,
        person,
        &draft.ticket_id,
        &final_body,
        origin,
        &serde_json::Value::Object(based_on),
    )
    .await?;
    // The escalation the reply promises, unless the ticket already has the same one open or
    // approved (the customer chased, and the new reply repeats the promise): raising it again
    // would ask for the same money twice.
    let escalation = match &draft.suggested_escalation {
        Some(s) if already_raised(&mut tx, &draft.ticket_id, s).await? => None,
        Some(s) => {
            let input = NewEscalation {
                ticket_id: draft.ticket_id.clone(),
                reason: s.reason.clone(),
                proposed_action: s.proposed_action,
                invoice: Some(InvoiceRef::Id(s.invoice_id.clone())),
                amount: s
                    .proposed_action
                    .moves_money()
                    .then(|| s.amount.amount_string()),
            };
            Some(
                escalations::raise_in(&mut tx, Proposer::Person(person), &person.id, &input)
                    .await?,
            )
        }
        None => None,
    };
    audit_person(
        &mut tx,
        person,
        "approve_draft",
        id.as_str(),
        &json!({"edited": edited.is_some(), "message_id": message_id, "escalation_id": escalation}),
        "ok",
    )
    .await?;
    tx.commit().await?;
    tracing::info!(draft = %id, by = %person.name, edited = edited.is_some(), "draft approved");
    super::find(store.pool(), id).await
}

/// Whether the ticket has a pending or approved escalation with the same action on the same
/// invoice.
async fn already_raised(
    tx: &mut crate::store::Tx,
    ticket: &countersign_model::TicketId,
    s: &countersign_model::workflow::SuggestedEscalation,
) -> crate::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM escalations WHERE ticket_id = ? AND invoice_id = ? \
         AND proposed_action = ? AND status IN ('pending', 'approved')",
    )
    .bind(ticket.as_str())
    .bind(s.invoice_id.as_str())
    .bind(s.proposed_action.as_str())
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

/// A person rejects a draft with a reason.
pub async fn reject(store: &Store, person: &Person, id: &DraftId, reason: &str) -> Result<Draft> {
    let reason = check_text(TextField::Reason, reason)?;
    let mut tx = store.write().await?;
    let draft = load(&mut tx, id).await?;
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
    super::find(store.pool(), id).await
}

/// A person has re-read a stale draft against the current records: it is bound to what is
/// there now and goes back to `pending_review`.
pub async fn rereview(store: &Store, person: &Person, id: &DraftId) -> Result<Draft> {
    let mut tx = store.write().await?;
    let draft = load(&mut tx, id).await?;
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
    super::find(store.pool(), id).await
}
