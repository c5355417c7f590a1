//! Escalations: a request that someone with authority acts — refund, credit note, void, waive a
//! fee, or anything else. Assistants and agents raise them; supervisors decide them. An agent
//! may approve a money-moving escalation only up to the profile's agent refund cap (0 by
//! default: then only supervisors decide).

use super::{Proposer, audit_person, check_text, enqueue, enqueue_undoable};
use crate::records::invoices::InvoiceRef;
use crate::records::{int, opt_text, parse, text};
use crate::settings;
use crate::store::{Store, Tx, now, parse_ts, parse_ts_opt, ts};
use crate::{Error, Result, new_id};
use countersign_model::Problem;
use countersign_model::escalation_rules as rules;
use countersign_model::problem::Decided;
use countersign_model::problem::TextField;
use countersign_model::sync::{DecideEscalation, MutationBody, RaiseEscalation, RetryExecution};
use countersign_model::workflow::{
    Decision, Escalation, EscalationStatus, Execution, ExecutionReport, Person, ProposedAction,
    Role,
};
use countersign_model::{Currency, EscalationId, InvoiceId, Money, TicketId};
use serde_json::json;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor, SqlitePool};

/// What is asked for.
#[derive(Debug, Clone)]
pub struct NewEscalation {
    pub ticket_id: TicketId,
    pub reason: String,
    pub proposed_action: ProposedAction,
    /// The invoice concerned, by id or by its printed number.
    pub invoice: Option<InvoiceRef>,
    /// A decimal string in the invoice's currency, e.g. "19.99".
    pub amount: Option<String>,
}

/// What raising an escalation checks about its invoice.
macro_rules! invoice_facts {
    () => {
        "SELECT id, customer_id, currency, invoice_status, total, amount_paid, refunded_amount \
         FROM invoices "
    };
}

macro_rules! escalation_columns {
    () => {
        "SELECT id, ticket_id, reason, proposed_action, invoice_id, currency, amount, status, \
         raised_by, created_at, decided_by, decided_at, decision_note, decided_by_id, execution, \
         execution_ref, execution_error, execution_at, first_approved_by, first_approved_by_id, \
         raised_by_id FROM escalations "
    };
}

fn escalation_from_row(row: &SqliteRow) -> Result<Escalation> {
    let amount = match (
        opt_text(row, "currency")?,
        row.try_get::<Option<i64>, _>("amount")?,
    ) {
        (Some(c), Some(a)) => Some(Money::from_minor(a, parse(Currency::parse(&c))?)),
        _ => None,
    };
    Ok(Escalation {
        id: parse(EscalationId::parse(&text(row, "id")?))?,
        ticket_id: parse(TicketId::parse(&text(row, "ticket_id")?))?,
        reason: text(row, "reason")?,
        proposed_action: parse(ProposedAction::parse(&text(row, "proposed_action")?))?,
        invoice_id: opt_text(row, "invoice_id")?
            .map(|s| parse(InvoiceId::parse(&s)))
            .transpose()?,
        amount,
        status: parse(EscalationStatus::parse(&text(row, "status")?))?,
        raised_by: text(row, "raised_by")?,
        raised_by_id: opt_text(row, "raised_by_id")?,
        created_at: parse_ts(&text(row, "created_at")?)?,
        decided_by: opt_text(row, "decided_by")?,
        decided_at: parse_ts_opt(opt_text(row, "decided_at")?.as_deref())?,
        decision_note: opt_text(row, "decision_note")?,
        decided_by_id: opt_text(row, "decided_by_id")?,
        first_approved_by: opt_text(row, "first_approved_by")?,
        first_approved_by_id: opt_text(row, "first_approved_by_id")?,
        execution: opt_text(row, "execution")?
            .map(|state| -> Result<ExecutionReport> {
                Ok(ExecutionReport {
                    state: parse(Execution::parse(&state))?,
                    reference: opt_text(row, "execution_ref")?,
                    error: opt_text(row, "execution_error")?,
                    at: parse_ts_opt(opt_text(row, "execution_at")?.as_deref())?,
                })
            })
            .transpose()?,
    })
}

/// A refusal of the escalation rules, as the desk's error.
fn refused(r: rules::Refusal) -> Error {
    match r {
        rules::Refusal::Invalid(m) => Error::invalid(m),
        rules::Refusal::Problem(p) => Error::Refused(p),
    }
}

/// Raises an escalation after checking that the action, invoice and amount fit together.
pub async fn raise(store: &Store, by: Proposer<'_>, input: &NewEscalation) -> Result<Escalation> {
    if let Proposer::Assistant(call) = by {
        call.require_draft_scope()?;
    }
    // An assistant raises for the desk's person, as the platform records it (the agent whose
    // desk pushes it).
    let for_whom = match by {
        Proposer::Person(p) => p.id.clone(),
        Proposer::Assistant(_) => crate::settings::person(store.pool()).await?.id,
    };
    let mut tx = store.write().await?;
    let id = raise_in(&mut tx, by, &for_whom, input).await?;
    tx.commit().await?;
    find(store.pool(), &id).await
}

/// Raises an escalation inside `tx`, with its outbox and audit rows: for a decision that raises
/// one as part of itself (approving a draft whose reply promises a refund). `for_whom` is the
/// agent id it is raised for (see [`Escalation::raised_by_id`]).
pub(crate) async fn raise_in(
    tx: &mut Tx,
    by: Proposer<'_>,
    for_whom: &str,
    input: &NewEscalation,
) -> Result<EscalationId> {
    let reason = check_text(TextField::Reason, &input.reason)?;
    let action = input.proposed_action;
    rules::check_shape(action, input.invoice.is_some(), input.amount.is_some()).map_err(refused)?;
    let ticket_customer: String =
        sqlx::query_scalar("SELECT customer_id FROM tickets WHERE id = ?")
            .bind(input.ticket_id.as_str())
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| Error::not_found("ticket", &input.ticket_id))?;
    let mut money = None;
    let mut invoice_id = None;
    if let Some(by) = &input.invoice {
        let row = match by {
            InvoiceRef::Id(id) => {
                sqlx::query(concat!(invoice_facts!(), "WHERE id = ?"))
                    .bind(id.as_str())
                    .fetch_optional(&mut **tx)
                    .await?
            }
            InvoiceRef::Number(n) => {
                sqlx::query(concat!(invoice_facts!(), "WHERE invoice_number = ?"))
                    .bind(n.trim())
                    .fetch_optional(&mut **tx)
                    .await?
            }
        }
        .ok_or_else(|| Error::not_found("invoice", by))?;
        let facts = rules::InvoiceFacts {
            id: text(&row, "id")?,
            customer_id: text(&row, "customer_id")?,
            currency: parse(Currency::parse(&text(&row, "currency")?))?,
            invoice_status: text(&row, "invoice_status")?,
            total: int(&row, "total")?,
            amount_paid: int(&row, "amount_paid")?,
            refunded_amount: int(&row, "refunded_amount")?,
        };
        invoice_id = Some(parse(InvoiceId::parse(&facts.id))?);
        money = input
            .amount
            .as_ref()
            .map(|a| Money::parse(a, facts.currency))
            .transpose()?;
        rules::check_against_invoice(
            action,
            input.ticket_id.as_str(),
            &ticket_customer,
            &facts,
            money,
        )
        .map_err(refused)?;
    }
    let id = EscalationId::from_suffix(new_id(""));
    let created_at = now();
    let token_id = match by {
        Proposer::Assistant(c) => c.token_id.as_ref().map(|t| t.to_string()),
        Proposer::Person(_) => None,
    };
    sqlx::query(
        "INSERT INTO escalations (id, ticket_id, reason, proposed_action, invoice_id, currency, amount, \
         status, raised_by, token_id, created_at, raised_by_id) \
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
    )
    .bind(id.as_str())
    .bind(input.ticket_id.as_str())
    .bind(&reason)
    .bind(action.as_str())
    .bind(invoice_id.as_ref().map(|i| i.as_str()))
    .bind(money.map(|m| m.currency().to_string()))
    .bind(money.map(|m| m.minor()))
    .bind(by.name())
    .bind(token_id)
    .bind(ts(created_at))
    .bind(for_whom)
    .execute(&mut **tx)
    .await?;
    enqueue(
        tx,
        &MutationBody::RaiseEscalation(RaiseEscalation {
            escalation_id: id.to_string(),
            ticket_id: input.ticket_id.to_string(),
            reason: reason.clone(),
            proposed_action: action.as_str().to_owned(),
            invoice_id: invoice_id.as_ref().map(ToString::to_string),
            amount: money,
        }),
        &json!({}),
    )
    .await?;
    match by {
        Proposer::Assistant(call) => call.audit(tx, Some(id.as_str()), "ok").await?,
        Proposer::Person(p) => {
            audit_person(
                tx,
                p,
                "raise_escalation",
                id.as_str(),
                &json!({"proposed_action": action, "amount": money}),
                "ok",
            )
            .await?;
        }
    }
    Ok(id)
}

/// Whether `person` raised `e` (or their assistant did), told by agent id as the platform tells
/// it; an escalation from before ids were kept is told by name until the feed brings it again.
fn raised_by_me(e: &Escalation, person: &Person) -> bool {
    match &e.raised_by_id {
        Some(id) => *id == person.id,
        None => e.raised_by == person.name,
    }
}

/// Whether `person` may take `decision` on `e` under the escalation policy the desk holds: a
/// denial is a supervisor's; an approval is whoever the policy lets approve it, and above the
/// two-person threshold it may be the first of two ([`rules::may_approve`], the platform's rule).
fn authorize(
    person: &Person,
    e: &Escalation,
    decision: Decision,
    policy: &rules::Policy,
) -> Result<rules::Approval> {
    if decision == Decision::Deny {
        if person.role == Role::Supervisor {
            return Ok(rules::Approval::Final);
        }
        return Err(Error::Refused(Problem::SupervisorOnly {
            decision,
            action: e.proposed_action,
            amount: e.amount,
            cap: None,
        }));
    }
    rules::may_approve(
        policy,
        person.role,
        &person.id,
        raised_by_me(e, person),
        e.proposed_action,
        e.amount,
        e.first_approved_by_id.as_deref(),
    )
    .map_err(Error::Refused)
}

/// A person decides an escalation. Refused if it was already decided (with the decision that
/// won), or if the person's role does not allow it; both outcomes are audited.
pub async fn decide(
    store: &Store,
    person: &Person,
    id: &EscalationId,
    decision: Decision,
    note: Option<&str>,
) -> Result<Escalation> {
    let note = note.map(|n| check_text(TextField::Note, n)).transpose()?;
    if decision == Decision::Deny && note.is_none() {
        return Err(Error::Refused(Problem::Required {
            field: TextField::Note,
        }));
    }
    let mut tx = store.write().await?;
    let row = sqlx::query(concat!(escalation_columns!(), "WHERE id = ?"))
        .bind(id.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("escalation", id))?;
    let e = escalation_from_row(&row)?;
    if e.status != EscalationStatus::Pending {
        return Err(Error::Refused(Problem::AlreadyDecided {
            what: Decided::Escalation,
            id: id.to_string(),
            status: e.status.to_string(),
            by: e.decided_by.unwrap_or_else(|| "someone".into()),
            at: e.decided_at,
        }));
    }
    let policy = settings::escalation_policy(&mut tx, e.amount.map(|a| a.currency())).await?;
    let args = json!({"decision": decision, "note": note});
    let approval = authorize(person, &e, decision, &policy);
    if let Err(err) = approval {
        audit_person(
            &mut tx,
            person,
            "decide_escalation",
            id.as_str(),
            &args,
            "forbidden",
        )
        .await?;
        tx.commit().await?;
        return Err(err);
    }
    // When this desk decided, as written on the row: a refusal takes back only this desk's own
    // decision (see `sync::refusal`), never one the feed brought meanwhile.
    let at = ts(now());
    if approval? == rules::Approval::FirstOfTwo {
        // Above the two-person threshold: kept as the first approval, still pending, until
        // another supervisor gives the second (the platform holds the same).
        sqlx::query(
            "UPDATE escalations SET first_approved_by = ?, first_approved_by_id = ?, \
             first_approved_at = ? WHERE id = ? AND status = 'pending'",
        )
        .bind(&person.name)
        .bind(&person.id)
        .bind(&at)
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    } else {
        let status = match decision {
            Decision::Approve => EscalationStatus::Approved,
            Decision::Deny => EscalationStatus::Denied,
        };
        sqlx::query(
            "UPDATE escalations SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?, \
             decided_by_id = ? WHERE id = ? AND status = 'pending'",
        )
        .bind(status.as_str())
        .bind(&person.name)
        .bind(&at)
        .bind(&note)
        .bind(&person.id)
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    }
    // Bound to the invoice as the person saw it: approved on one that changed on the platform
    // since, the decision comes back `stale`.
    let mut based_on = json!({});
    if let Some(invoice) = &e.invoice_id {
        let version: Option<i64> = sqlx::query_scalar("SELECT version FROM invoices WHERE id = ?")
            .bind(invoice.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(v) = version {
            based_on[format!("invoice:{invoice}")] = json!(v);
        }
    }
    enqueue_undoable(
        &mut tx,
        &MutationBody::DecideEscalation(DecideEscalation {
            escalation_id: id.to_string(),
            decision: decision.as_str().to_owned(),
            note: note.clone().unwrap_or_default(),
            decided_by: person.name.clone(),
        }),
        &based_on,
        &json!({"by_id": person.id, "at": at}),
    )
    .await?;
    audit_person(
        &mut tx,
        person,
        "decide_escalation",
        id.as_str(),
        &args,
        "ok",
    )
    .await?;
    tx.commit().await?;
    find(store.pool(), id).await
}

/// A supervisor asks the platform to try a failed execution again, or to send one approved
/// while the tenant had no billing connector: shown as queued at once; after an earlier attempt
/// the platform asks the billing system what was done before it sends anything.
pub async fn retry_execution(
    store: &Store,
    person: &Person,
    id: &EscalationId,
) -> Result<Escalation> {
    let args = json!({"escalation_id": id});
    let mut tx = store.write().await?;
    if person.role != Role::Supervisor {
        audit_person(
            &mut tx,
            person,
            "retry_execution",
            id.as_str(),
            &args,
            "forbidden",
        )
        .await?;
        tx.commit().await?;
        return Err(Error::Forbidden(format!(
            "only a supervisor retries an execution in the billing system; {} is an agent",
            person.name
        )));
    }
    let queued = sqlx::query(
        "UPDATE escalations SET execution = 'queued', execution_error = NULL \
         WHERE id = ? AND execution IN ('failed', 'unconnected')",
    )
    .bind(id.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if queued == 0 {
        let e = find(store.pool(), id).await?;
        let state = e
            .execution
            .map_or("not executed in the billing system", |x| x.state.as_str());
        return Err(Error::Conflict(format!(
            "escalation {id} is {state}; only a failed or never sent execution is tried again"
        )));
    }
    enqueue(
        &mut tx,
        &MutationBody::RetryExecution(RetryExecution {
            escalation_id: id.to_string(),
            requested_by: person.name.clone(),
        }),
        &json!({}),
    )
    .await?;
    audit_person(&mut tx, person, "retry_execution", id.as_str(), &args, "ok").await?;
    tx.commit().await?;
    find(store.pool(), id).await
}

pub async fn find(pool: &SqlitePool, id: &EscalationId) -> Result<Escalation> {
    let row = sqlx::query(concat!(escalation_columns!(), "WHERE id = ?"))
        .bind(id.as_str())
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| Error::not_found("escalation", id))?;
    escalation_from_row(&row)
}

pub async fn for_ticket(db: impl SqliteExecutor<'_>, ticket: &TicketId) -> Result<Vec<Escalation>> {
    sqlx::query(concat!(
        escalation_columns!(),
        "WHERE ticket_id = ? ORDER BY created_at DESC, id DESC"
    ))
    .bind(ticket.as_str())
    .fetch_all(db)
    .await?
    .iter()
    .map(escalation_from_row)
    .collect()
}

/// Escalations in `status`, oldest first.
pub async fn list(
    pool: &SqlitePool,
    status: Option<EscalationStatus>,
    limit: i64,
) -> Result<Vec<Escalation>> {
    sqlx::query(concat!(
        escalation_columns!(),
        "WHERE (?1 IS NULL OR status = ?1) ORDER BY created_at, id LIMIT ?2"
    ))
    .bind(status.map(|s| s.as_str()))
    .bind(crate::records::clamp_limit(limit))
    .fetch_all(pool)
    .await?
    .iter()
    .map(escalation_from_row)
    .collect()
}
