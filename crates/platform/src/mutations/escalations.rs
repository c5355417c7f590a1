//! Escalations: an agent raises one for a supervisor; a supervisor decides it, first decision
//! wins.

use super::effects::{Effect, Failure, body_text, invalid, lock_ticket, reject};
use super::stale::check_seen;
use crate::auth::Caller;
use crate::error::Error;
use crate::feed::Changed;
use countersign_model::escalation_rules as rules;
use countersign_model::sync::{
    DecideEscalation, Entity, Mutation, RaiseEscalation, RetryExecution,
};
use countersign_model::workflow::{ProposedAction, Role};
use countersign_model::{Currency, ErrorCode, EscalationId, InvoiceId, Money};
use serde_json::{Value, json};
use sqlx::PgConnection;

pub(super) async fn raise_escalation(
    tx: &mut PgConnection,
    caller: &Caller,
    p: &RaiseEscalation,
) -> Effect {
    EscalationId::parse(&p.escalation_id)?;
    body_text("reason", &p.reason)?;
    let action = ProposedAction::parse(&p.proposed_action).map_err(|_| {
        invalid(format!(
            "proposed_action must be refund, credit_note, void_invoice, waive_fee or other, got {:?}",
            p.proposed_action
        ))
    })?;
    // The rules the desk applied before queueing it, checked again on the records as the
    // platform holds them: a desk's view may be old, and a raw HTTP caller is no desk.
    rules::check_shape(action, p.invoice_id.is_some(), p.amount.is_some()).map_err(refused)?;
    let t = &caller.tenant_id;
    lock_ticket(tx, t, &p.ticket_id).await?;
    if let Some(invoice) = &p.invoice_id {
        InvoiceId::parse(invoice)?;
        let facts = invoice_facts(tx, t, invoice).await?;
        let customer = ticket_customer(tx, t, &p.ticket_id).await?;
        rules::check_against_invoice(action, &p.ticket_id, &customer, &facts, p.amount)
            .map_err(refused)?;
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
    crate::hooks::emit(
        tx,
        t,
        "escalation.raised",
        json!({"escalation_id": p.escalation_id, "ticket_id": p.ticket_id, "reason": p.reason.trim(),
               "proposed_action": p.proposed_action, "invoice_id": p.invoice_id,
               "amount": p.amount.map(|a| json!({"amount": a.amount_string(), "currency": a.currency().to_string()})),
               "raised_by": caller.agent_name}),
    )
    .await?;
    let mut changed = Changed::default();
    changed.push(Entity::Escalation, &p.escalation_id);
    Ok((
        json!({"escalation_id": p.escalation_id, "status": "pending", "version": version}),
        changed,
    ))
}

pub(super) async fn decide_escalation(
    tx: &mut PgConnection,
    caller: &Caller,
    p: &DecideEscalation,
    m: &Mutation,
) -> Effect {
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
    // The role is the token's agent's, never anything the payload says: a denial is a
    // supervisor's; an approval is whoever the tenant's policy lets approve it.
    if status == "denied" {
        if caller.role != Role::Supervisor {
            return Err(reject(
                ErrorCode::Forbidden,
                format!(
                    "only a supervisor denies an escalation; {} is an agent",
                    caller.agent_name
                ),
            ));
        }
        if p.note.trim().is_empty() {
            return Err(invalid(
                "a denial needs a note saying why: the agent and the customer are told",
            ));
        }
    }
    if status == "approved"
        && check_approval(tx, caller, p, m).await? == Some(rules::Approval::FirstOfTwo)
    {
        // The first of two: kept, still pending, until another supervisor approves.
        let version: i64 = sqlx::query_scalar(
            "UPDATE escalations SET first_approved_by = $3, first_approved_by_agent = $4,
                    first_approved_at = now(), version = version + 1
             WHERE tenant_id = $1 AND id = $2 AND status = 'pending' RETURNING version",
        )
        .bind(t)
        .bind(&p.escalation_id)
        .bind(&caller.agent_name)
        .bind(&caller.agent_id)
        .fetch_one(&mut *tx)
        .await?;
        let mut changed = Changed::default();
        changed.push(Entity::Escalation, &p.escalation_id);
        return Ok((
            json!({"escalation_id": p.escalation_id, "status": "pending",
                   "first_approved_by": caller.agent_name, "version": version}),
            changed,
        ));
    }
    // First decision wins: the row lock makes a concurrent second one re-check `pending` and
    // find it gone.
    // An approval of what the billing system does is queued for it in the same transaction
    // (crate::billing::executor), or labelled as not executed when the tenant has no connector.
    let executed: Vec<&str> = ProposedAction::ALL
        .iter()
        .filter(|a| a.billing_effect().is_some())
        .map(|a| a.as_str())
        .collect();
    let decided: Option<(i64, Option<String>)> = sqlx::query_as(
        "UPDATE escalations SET status = $3, decided_by = $4, decided_at = now(), decision_note = $5,
                decided_by_agent = $6, version = version + 1,
                execution = CASE WHEN $3 = 'approved' AND proposed_action = ANY($7) THEN
                    CASE WHEN EXISTS (SELECT 1 FROM billing_connectors c WHERE c.tenant_id = $1)
                         THEN 'queued' ELSE 'unconnected' END END,
                execution_at = CASE WHEN $3 = 'approved' AND proposed_action = ANY($7) THEN now() END
         WHERE tenant_id = $1 AND id = $2 AND status = 'pending' RETURNING version, execution",
    )
    .bind(t)
    .bind(&p.escalation_id)
    .bind(status)
    .bind(&caller.agent_name)
    .bind(p.note.trim())
    .bind(&caller.agent_id)
    .bind(&executed)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((version, execution)) = decided {
        if execution.as_deref() == Some("queued") {
            crate::billing::executor::poke(tx, t).await?;
        }
        crate::hooks::emit(
            tx,
            t,
            "escalation.decided",
            json!({"escalation_id": p.escalation_id, "status": status,
                   "decided_by": caller.agent_name, "note": p.note.trim(), "execution": execution}),
        )
        .await?;
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

/// A supervisor queues a failed execution again, or one approved while the tenant had no
/// connector. After an earlier attempt, the next one asks the billing system what was done
/// before it sends anything.
pub(super) async fn retry_execution(
    tx: &mut PgConnection,
    caller: &Caller,
    p: &RetryExecution,
) -> Effect {
    if caller.role != Role::Supervisor {
        return Err(reject(
            ErrorCode::Forbidden,
            format!(
                "only a supervisor retries an execution; {} is an agent",
                caller.agent_name
            ),
        ));
    }
    EscalationId::parse(&p.escalation_id)?;
    let t = &caller.tenant_id;
    let version: Option<i64> = sqlx::query_scalar(
        "UPDATE escalations SET execution = 'queued', execution_error = NULL,
                execution_lease = NULL, execution_retry_base = execution_attempts,
                version = version + 1
         WHERE tenant_id = $1 AND id = $2 AND execution IN ('failed', 'unconnected')
         RETURNING version",
    )
    .bind(t)
    .bind(&p.escalation_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(version) = version else {
        let now: Option<Option<String>> = sqlx::query_scalar(
            "SELECT execution FROM escalations WHERE tenant_id = $1 AND id = $2",
        )
        .bind(t)
        .bind(&p.escalation_id)
        .fetch_optional(&mut *tx)
        .await?;
        return Err(match now {
            None => Error::not_found("escalation", &p.escalation_id).into(),
            Some(state) => reject(
                ErrorCode::Conflict,
                format!(
                    "escalation {} is {}; only a failed or never sent execution is tried again",
                    p.escalation_id,
                    state
                        .as_deref()
                        .unwrap_or("not executed in the billing system")
                ),
            ),
        });
    };
    crate::billing::executor::poke(tx, t).await?;
    let mut changed = Changed::default();
    changed.push(Entity::Escalation, &p.escalation_id);
    Ok((
        json!({"escalation_id": p.escalation_id, "execution": "queued", "version": version}),
        changed,
    ))
}

/// An escalation as the platform holds it, for its approval.
#[derive(sqlx::FromRow)]
struct Held {
    ticket_id: String,
    proposed_action: String,
    invoice_id: Option<String>,
    currency: Option<String>,
    amount: Option<i64>,
    raised_by_agent: Option<String>,
    first_approved_by_agent: Option<String>,
    status: String,
}

/// What an approval must hold to: the tenant's policy for the caller's role and this amount
/// (caps, the two-person rule, approving one's own); the records the person saw (`based_on`)
/// unchanged; and the invoice, as it is now, still allowing the amount (a refund approved after
/// the invoice was refunded is not). `None` when the escalation is not pending (or not found):
/// the decision itself says which.
async fn check_approval(
    tx: &mut PgConnection,
    caller: &Caller,
    p: &DecideEscalation,
    m: &Mutation,
) -> Result<Option<rules::Approval>, Failure> {
    let t = &caller.tenant_id;
    let row: Option<Held> = sqlx::query_as(
        "SELECT ticket_id, proposed_action, invoice_id, currency, amount, raised_by_agent,
                first_approved_by_agent, status
         FROM escalations WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(t)
    .bind(&p.escalation_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(held) = row.filter(|h| h.status == "pending") else {
        return Ok(None);
    };
    let action = ProposedAction::parse(&held.proposed_action)?;
    let amount = match (&held.currency, held.amount) {
        (Some(c), Some(minor)) => Some(Money::from_minor(minor, Currency::parse(c)?)),
        _ => None,
    };
    let policy = crate::policy::of(tx, t).await?;
    let approval = rules::may_approve(
        &policy,
        caller.role,
        &caller.agent_id,
        held.raised_by_agent.as_deref() == Some(caller.agent_id.as_str()),
        action,
        amount,
        held.first_approved_by_agent.as_deref(),
    )
    .map_err(|problem| refused(rules::Refusal::Problem(problem)))?;
    check_seen(tx, t, m).await?;
    if let Some(invoice) = held.invoice_id {
        let facts = invoice_facts(tx, t, &invoice).await?;
        let customer = ticket_customer(tx, t, &held.ticket_id).await?;
        rules::check_against_invoice(action, &held.ticket_id, &customer, &facts, amount).map_err(
            |r| {
                reject(
                    ErrorCode::Stale,
                    format!("invoice {invoice} changed since the escalation was raised: {r}"),
                )
            },
        )?;
    }
    Ok(Some(approval))
}

/// A refusal of the escalation rules, as this mutation's rejection.
fn refused(r: rules::Refusal) -> Failure {
    match r {
        rules::Refusal::Invalid(m) => invalid(m),
        rules::Refusal::Problem(p) => reject(p.code(), p.to_string()),
    }
}

async fn ticket_customer(
    tx: &mut PgConnection,
    tenant_id: &str,
    ticket_id: &str,
) -> Result<String, Failure> {
    Ok(
        sqlx::query_scalar("SELECT customer_id FROM tickets WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(ticket_id)
            .fetch_one(&mut *tx)
            .await?,
    )
}

/// The invoice as the escalation rules measure it, locked until the transaction ends (a
/// re-ingest waits for the decision, or the decision sees the re-ingest).
async fn invoice_facts(
    tx: &mut PgConnection,
    tenant_id: &str,
    invoice_id: &str,
) -> Result<rules::InvoiceFacts, Failure> {
    let row: Option<(String, String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, customer_id, currency, invoice_status, total, amount_paid, refunded_amount
         FROM invoices WHERE tenant_id = $1 AND id = $2 FOR SHARE",
    )
    .bind(tenant_id)
    .bind(invoice_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (id, customer_id, currency, invoice_status, total, amount_paid, refunded_amount) =
        row.ok_or_else(|| Failure::from(Error::not_found("invoice", invoice_id)))?;
    Ok(rules::InvoiceFacts {
        id,
        customer_id,
        currency: Currency::parse(&currency)?,
        invoice_status,
        total,
        amount_paid,
        refunded_amount,
    })
}
