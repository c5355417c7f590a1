//! What the platform told the desk about a mutation it did not apply, and the desk's side of
//! it: a refused decision is put back to what the platform holds (a decision to pending or to
//! the one that won, a refused escalation or note removed, a refused reply's draft back to
//! review), an unconfirmed one is left as it is; each with a sync notice and an audit row, in
//! the transaction that records the answer.

use crate::Result;
use crate::audit::{self, ActorKind};
use crate::store::Tx;
use countersign_model::ErrorCode;
use countersign_model::sync::Mutation;
use serde_json::{Value, json};

/// A decision the platform neither applied nor refused as such (`key_reused`): kept as the desk
/// shows it, with a notice to check it on the platform.
pub(super) async fn unconfirmed(tx: &mut Tx, m: &Mutation, message: &str, at: &str) -> Result<()> {
    let subject = format!("{} {}", m.kind, m.id);
    tell(
        tx,
        &Told {
            at,
            code: ErrorCode::KeyReused,
            subject: &subject,
            message: &format!(
                "The platform could not confirm this decision: {message}. It may have been \
                 applied under another sign-in of this desk; check the ticket before acting again."
            ),
            action: "sync_unconfirmed",
            arguments: &json!({"mutation_id": m.id, "kind": m.kind, "message": message}),
        },
    )
    .await
}

/// Puts a refused change to a ticket's `column` back to what it replaced, unless the ticket has
/// moved on since (a later change or the platform's own value stays). Returns the value put back
/// (`Some(None)`: back to none, as an unassigned ticket).
async fn undo_ticket_change(
    tx: &mut Tx,
    mutation_id: &str,
    column: &str,
) -> Result<Option<Option<String>>> {
    let Some(undo) = crate::workflow::queued_undo::<Value>(tx, mutation_id).await? else {
        return Ok(None);
    };
    let value = |k: &str| undo.get(k).and_then(Value::as_str).map(str::to_owned);
    if value("column").as_deref() != Some(column) {
        return Ok(None);
    }
    // The column is one of four names, never text from outside; `IS` compares a none too.
    let sql = match column {
        "snoozed_until" => {
            "UPDATE tickets SET snoozed_until = ?1 WHERE id = ?2 AND snoozed_until IS ?3"
        }
        "status" => "UPDATE tickets SET status = ?1 WHERE id = ?2 AND status IS ?3",
        "priority" => "UPDATE tickets SET priority = ?1 WHERE id = ?2 AND priority IS ?3",
        _ => "UPDATE tickets SET assignee = ?1 WHERE id = ?2 AND assignee IS ?3",
    };
    let done = sqlx::query(sql)
        .bind(value("was"))
        .bind(value("ticket_id"))
        .bind(value("set"))
        .execute(&mut **tx)
        .await?;
    Ok((done.rows_affected() == 1).then(|| value("was")))
}

/// Takes back this desk's own refused decision on escalation `id`, as it wrote it: the final
/// decision, or the first of two approvals. Matched by who (agent id) and when (the time this
/// desk wrote), kept with the queued mutation: a decision or a first approval the feed brought
/// meanwhile is what the platform holds and stays. A mutation queued before that was kept is
/// matched by the decider's name.
async fn undo_own_decision(
    tx: &mut Tx,
    m: &Mutation,
    id: &str,
    decision: Option<&str>,
) -> Result<()> {
    let decided = match decision {
        Some("approve") => "approved",
        _ => "denied",
    };
    let own = crate::workflow::queued_undo::<Value>(tx, &m.id).await?;
    let own = own.as_ref().and_then(|u| {
        Some((
            u.get("by_id")?.as_str()?.to_owned(),
            u.get("at")?.as_str()?.to_owned(),
        ))
    });
    // ?3 who, ?4 when: by agent id and time when kept, else by name.
    let final_sql = "UPDATE escalations SET status = 'pending', decided_by = NULL, \
                     decided_at = NULL, decision_note = NULL, decided_by_id = NULL \
                     WHERE id = ?1 AND status = ?2 AND CASE WHEN ?4 IS NULL \
                     THEN decided_by IS ?3 ELSE decided_by_id IS ?3 AND decided_at IS ?4 END";
    let first_sql = "UPDATE escalations SET first_approved_by = NULL, \
                     first_approved_by_id = NULL, first_approved_at = NULL \
                     WHERE id = ?1 AND status = 'pending' AND ?2 = 'approved' AND CASE \
                     WHEN ?4 IS NULL THEN first_approved_by IS ?3 \
                     ELSE first_approved_by_id IS ?3 AND first_approved_at IS ?4 END";
    let (who, when) = match own {
        Some((by_id, at)) => (Some(by_id), Some(at)),
        None => (
            m.payload
                .get("decided_by")
                .and_then(Value::as_str)
                .map(str::to_owned),
            None,
        ),
    };
    for sql in [final_sql, first_sql] {
        sqlx::query(sql)
            .bind(id)
            .bind(decided)
            .bind(&who)
            .bind(&when)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The local side of a refusal: undo what the desk showed as done, tell the person, audit it.
pub(super) async fn refused(
    tx: &mut Tx,
    m: &Mutation,
    code: ErrorCode,
    message: &str,
    winner: Option<&Value>,
    at: &str,
) -> Result<()> {
    let field = |k: &str| m.payload.get(k).and_then(Value::as_str).map(str::to_owned);
    let (subject, notice) = match m.kind.as_str() {
        "send_reply" => {
            // The reply was never sent: remove it from the thread and put its draft back to a
            // person, with the platform's reason.
            if let Some(message_id) = field("message_id") {
                sqlx::query("DELETE FROM messages WHERE id = ?")
                    .bind(message_id)
                    .execute(&mut **tx)
                    .await?;
            }
            let draft = field("draft_id");
            if let Some(draft) = &draft {
                sqlx::query(
                    "UPDATE drafts SET status = 'stale', stale_reason = ?, decided_by = NULL, \
                     decided_at = NULL, final_body = NULL WHERE id = ?",
                )
                .bind(format!(
                    "the platform did not send the approved reply: {message}"
                ))
                .bind(draft)
                .execute(&mut **tx)
                .await?;
            }
            (
                draft.map(|d| format!("draft {d}")).unwrap_or_else(|| {
                    format!("reply on ticket {}", field("ticket_id").unwrap_or_default())
                }),
                format!("The reply was not sent: {message}. The draft is back for review."),
            )
        }
        "decide_escalation" => {
            // Back to what the platform holds: the decision that won, or still pending, so a
            // person can decide again.
            let id = field("escalation_id").unwrap_or_default();
            let shown = match winner {
                Some(w) => {
                    sqlx::query(
                        "UPDATE escalations SET status = ?, decided_by = ?, decided_at = ?, \
                         decision_note = ?, decided_by_id = NULL, version = max(version, ?) \
                         WHERE id = ?",
                    )
                    .bind(w.get("status").and_then(Value::as_str).unwrap_or("pending"))
                    .bind(w.get("decided_by").and_then(Value::as_str))
                    .bind(w.get("decided_at").and_then(Value::as_str))
                    .bind(w.get("decision_note").and_then(Value::as_str))
                    .bind(w.get("version").and_then(Value::as_i64).unwrap_or(1))
                    .bind(&id)
                    .execute(&mut **tx)
                    .await?;
                    let by = w
                        .get("decided_by")
                        .and_then(Value::as_str)
                        .unwrap_or("someone");
                    let status = w.get("status").and_then(Value::as_str).unwrap_or("decided");
                    format!("It was {status} by {by}.")
                }
                None => {
                    undo_own_decision(tx, m, &id, field("decision").as_deref()).await?;
                    "It is pending again; decide it again.".to_owned()
                }
            };
            (
                format!("escalation {id}"),
                format!("Your decision was not recorded: {message}. {shown}"),
            )
        }
        "raise_escalation" => {
            // The platform has no such escalation: the desk must not show one.
            let id = field("escalation_id").unwrap_or_default();
            // Whatever this desk did with it since (decided it offline, say): the platform has
            // no such escalation, and a decision on it is refused in turn.
            if code != ErrorCode::Conflict {
                sqlx::query("DELETE FROM escalations WHERE id = ?")
                    .bind(&id)
                    .execute(&mut **tx)
                    .await?;
            }
            (
                format!("escalation {id}"),
                format!(
                    "The escalation ({}) was not raised: {message}. Raise it again if it is still needed.",
                    field("reason").unwrap_or_default()
                ),
            )
        }
        "add_note" => {
            // The note is not on the ticket anywhere else: take it off this desk's thread too.
            let id = field("message_id").unwrap_or_default();
            sqlx::query("DELETE FROM messages WHERE id = ? AND visibility = 'internal'")
                .bind(&id)
                .execute(&mut **tx)
                .await?;
            (
                format!("note on ticket {}", field("ticket_id").unwrap_or_default()),
                format!(
                    "The internal note was not saved: {message}. Its text: {}",
                    field("body").unwrap_or_default()
                ),
            )
        }
        "set_status" | "set_priority" | "assign" | "snooze" => {
            let column = match m.kind.as_str() {
                "set_status" => "status",
                "set_priority" => "priority",
                "snooze" => "snoozed_until",
                _ => "assignee",
            };
            let put_back = undo_ticket_change(tx, &m.id, column).await?;
            (
                format!("ticket {}", field("ticket_id").unwrap_or_default()),
                match put_back {
                    Some(was) => format!(
                        "The {column} change was not made: {message}. The ticket is back to {}.",
                        was.as_deref().unwrap_or("none")
                    ),
                    None => format!("The {column} change was not made: {message}."),
                },
            )
        }
        "retry_execution" => {
            // Still failed on the platform: shown so again, with why the retry was refused.
            let id = field("escalation_id").unwrap_or_default();
            sqlx::query(
                "UPDATE escalations SET execution = 'failed' WHERE id = ? AND execution = 'queued'",
            )
            .bind(&id)
            .execute(&mut **tx)
            .await?;
            (
                format!("escalation {id}"),
                format!(
                    "The retry of escalation {id} in the billing system was refused: {message}."
                ),
            )
        }
        "merge_tickets" => {
            let put_back = crate::workflow::merge::undo(tx, &m.id).await?;
            let (ticket, into) = (
                field("ticket_id").unwrap_or_default(),
                field("into").unwrap_or_default(),
            );
            (
                format!("ticket {ticket}"),
                format!(
                    "Ticket {ticket} was not merged into {into}: {message}.{}",
                    if put_back {
                        " Its thread is back on it."
                    } else {
                        ""
                    }
                ),
            )
        }
        kind => (
            format!("{kind} {}", m.id),
            format!("The platform refused {kind}: {message}"),
        ),
    };
    tell(
        tx,
        &Told {
            at,
            code,
            subject: &subject,
            message: &notice,
            action: "sync_refused",
            arguments: &json!({"mutation_id": m.id, "kind": m.kind, "message": message, "winner": winner}),
        },
    )
    .await
}

/// What the platform told the desk, for the person: a sync notice, and its audit row.
pub(super) struct Told<'a> {
    pub(super) at: &'a str,
    pub(super) code: ErrorCode,
    pub(super) subject: &'a str,
    pub(super) message: &'a str,
    pub(super) action: &'a str,
    pub(super) arguments: &'a Value,
}

pub(super) async fn tell(tx: &mut Tx, told: &Told<'_>) -> Result<()> {
    sqlx::query("INSERT INTO sync_notices (at, code, subject, message) VALUES (?, ?, ?, ?)")
        .bind(told.at)
        .bind(told.code.as_str())
        .bind(told.subject)
        .bind(told.message)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        &audit::Record {
            actor_kind: ActorKind::System,
            actor: "platform",
            token_id: None,
            action: told.action,
            subject: Some(told.subject),
            arguments: told.arguments,
            outcome: told.code.as_str(),
            duration_us: None,
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
#[path = "refusal_tests.rs"]
mod tests;
