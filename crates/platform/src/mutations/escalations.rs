//! Escalations: an agent raises one for a supervisor; a supervisor decides it, first decision
//! wins.

use super::effects::{Effect, Failure, body_text, invalid, lock_ticket, reject};
use crate::auth::Caller;
use crate::error::Error;
use crate::feed::Changed;
use countersign_model::sync::{DecideEscalation, Entity, RaiseEscalation};
use countersign_model::workflow::Role;
use countersign_model::{ErrorCode, EscalationId, InvoiceId};
use serde_json::{Value, json};
use sqlx::PgConnection;

pub(super) async fn raise_escalation(
    tx: &mut PgConnection,
    caller: &Caller,
    p: &RaiseEscalation,
) -> Effect {
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

pub(super) async fn decide_escalation(
    tx: &mut PgConnection,
    caller: &Caller,
    p: &DecideEscalation,
) -> Effect {
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
