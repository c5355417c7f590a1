//! A person merges a customer's ticket into another of theirs: the thread, the drafts and the
//! escalations move to the survivor, and the merged ticket is closed, pointing to it. A decision
//! like a reply: checked here by the platform's rule (not itself, same customer, neither merged
//! nor closed), bound to both tickets as the person saw them, shown at once, audited and queued
//! in one transaction. What moved is kept with the queued change, so a refusal by the platform
//! moves it back ([`undo`]).

use super::{audit_person, enqueue_undoable};
use crate::store::{Tx, now, ts};
use crate::{Error, Result, Store};
use countersign_model::TicketId;
use countersign_model::problem::{MergeRefusal, Problem};
use countersign_model::sync::{MergeTickets, MutationBody};
use countersign_model::workflow::Person;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What a merge moved on this desk, kept to put it back if the platform refuses it.
#[derive(Debug, Serialize, Deserialize)]
struct Moved {
    ticket_id: String,
    into: String,
    was_status: String,
    was_snoozed_until: Option<String>,
    messages: Vec<String>,
    drafts: Vec<String>,
    escalations: Vec<String>,
    /// Tickets merged into the merged one before: they now point to the survivor.
    earlier: Vec<String>,
    /// The survivor's version before: the platform moves it on by one with the merge (its
    /// thread grew), and so does the desk at once, so that a reply on the survivor queued after
    /// the merge is bound to the version it will have.
    #[serde(default)]
    into_version: i64,
}

#[derive(sqlx::FromRow)]
struct State {
    customer_id: String,
    status: String,
    snoozed_until: Option<String>,
    merged_into: Option<String>,
    version: i64,
}

async fn state(tx: &mut Tx, ticket: &TicketId, seen: i64) -> Result<State> {
    let s: State = sqlx::query_as(
        "SELECT customer_id, status, snoozed_until, merged_into, version FROM tickets WHERE id = ?",
    )
    .bind(ticket.as_str())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| Error::not_found("ticket", ticket))?;
    if s.version != seen {
        return Err(Error::Refused(Problem::TicketChanged {
            ticket: ticket.clone(),
            seen,
            now: s.version,
        }));
    }
    Ok(s)
}

async fn ids(tx: &mut Tx, sql: &'static str, ticket: &TicketId) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(sql)
        .bind(ticket.as_str())
        .fetch_all(&mut **tx)
        .await?)
}

/// Merges `ticket` (seen at `seen`) into `into` (seen at `into_seen`).
pub async fn merge(
    store: &Store,
    person: &Person,
    ticket: &TicketId,
    seen: i64,
    into: &TicketId,
    into_seen: i64,
) -> Result<()> {
    let refuse = |why| {
        Error::Refused(Problem::CannotMerge {
            ticket: ticket.clone(),
            into: into.clone(),
            why,
        })
    };
    if ticket == into {
        return Err(refuse(MergeRefusal::SameTicket));
    }
    let mut tx = store.write().await?;
    let from = state(&mut tx, ticket, seen).await?;
    let to = state(&mut tx, into, into_seen).await?;
    if from.merged_into.is_some() || to.merged_into.is_some() {
        return Err(refuse(MergeRefusal::AlreadyMerged));
    }
    if from.customer_id != to.customer_id {
        return Err(refuse(MergeRefusal::OtherCustomer));
    }
    if from.status == "closed" || to.status == "closed" {
        return Err(refuse(MergeRefusal::Closed));
    }
    let moved = Moved {
        ticket_id: ticket.to_string(),
        into: into.to_string(),
        was_status: from.status,
        was_snoozed_until: from.snoozed_until,
        messages: ids(
            &mut tx,
            "SELECT id FROM messages WHERE ticket_id = ?",
            ticket,
        )
        .await?,
        drafts: ids(&mut tx, "SELECT id FROM drafts WHERE ticket_id = ?", ticket).await?,
        escalations: ids(
            &mut tx,
            "SELECT id FROM escalations WHERE ticket_id = ?",
            ticket,
        )
        .await?,
        earlier: ids(
            &mut tx,
            "SELECT id FROM tickets WHERE merged_into = ?",
            ticket,
        )
        .await?,
        into_version: into_seen,
    };
    let at = ts(now());
    for sql in [
        "UPDATE messages SET ticket_id = ?1 WHERE ticket_id = ?2",
        "UPDATE drafts SET ticket_id = ?1 WHERE ticket_id = ?2",
        "UPDATE escalations SET ticket_id = ?1 WHERE ticket_id = ?2",
        "UPDATE tickets SET merged_into = ?1 WHERE merged_into = ?2",
    ] {
        sqlx::query(sql)
            .bind(into.as_str())
            .bind(ticket.as_str())
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE tickets SET status = 'closed', merged_into = ?, snoozed_until = NULL, \
         updated_at = ? WHERE id = ?",
    )
    .bind(into.as_str())
    .bind(&at)
    .bind(ticket.as_str())
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE tickets SET updated_at = ?, version = version + 1 WHERE id = ?")
        .bind(&at)
        .bind(into.as_str())
        .execute(&mut *tx)
        .await?;
    // A draft written for the merged ticket answers a thread that is now part of another.
    sqlx::query(
        "UPDATE drafts SET status = 'stale', stale_reason = ? \
         WHERE ticket_id = ? AND status = 'pending_review' AND id IN (SELECT value FROM json_each(?))",
    )
    .bind(format!(
        "its ticket {ticket} was merged into {into}; re-review it against that thread"
    ))
    .bind(into.as_str())
    .bind(serde_json::to_string(&moved.drafts).map_err(|e| Error::Internal(e.to_string()))?)
    .execute(&mut *tx)
    .await?;
    let body = MutationBody::MergeTickets(MergeTickets {
        ticket_id: ticket.to_string(),
        into: into.to_string(),
    });
    let based_on = json!({
        format!("ticket:{ticket}"): seen,
        format!("ticket:{into}"): into_seen,
    });
    let undo = serde_json::to_value(&moved).map_err(|e| Error::Internal(e.to_string()))?;
    enqueue_undoable(&mut tx, &body, &based_on, &undo).await?;
    audit_person(
        &mut tx,
        person,
        "merge_tickets",
        ticket.as_str(),
        &json!({"into": into, "messages": moved.messages.len(), "drafts": moved.drafts.len(),
                "escalations": moved.escalations.len()}),
        "ok",
    )
    .await?;
    tx.commit().await?;
    tracing::info!(ticket = %ticket, into = %into, by = %person.name, "tickets merged");
    Ok(())
}

/// Puts back what the refused merge `mutation_id` moved: what is still on the survivor returns
/// to the merged ticket, which is reopened as it was, unless the feed has moved it on since.
/// Returns whether the merge was found to undo.
pub(crate) async fn undo(tx: &mut Tx, mutation_id: &str) -> Result<bool> {
    let Some(m) = super::queued_undo::<Moved>(tx, mutation_id).await? else {
        return Ok(false);
    };
    // One statement per table, over the ids the merge moved (a thread may hold hundreds).
    for (sql, ids) in [
        (
            "UPDATE messages SET ticket_id = ?1 WHERE ticket_id = ?3 AND id IN (SELECT value FROM json_each(?2))",
            &m.messages,
        ),
        (
            "UPDATE drafts SET ticket_id = ?1 WHERE ticket_id = ?3 AND id IN (SELECT value FROM json_each(?2))",
            &m.drafts,
        ),
        (
            "UPDATE escalations SET ticket_id = ?1 WHERE ticket_id = ?3 AND id IN (SELECT value FROM json_each(?2))",
            &m.escalations,
        ),
        (
            "UPDATE tickets SET merged_into = ?1 WHERE merged_into = ?3 AND id IN (SELECT value FROM json_each(?2))",
            &m.earlier,
        ),
    ] {
        let ids = serde_json::to_string(ids).map_err(|e| Error::Internal(e.to_string()))?;
        sqlx::query(sql)
            .bind(&m.ticket_id)
            .bind(ids)
            .bind(&m.into)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE tickets SET version = ? WHERE id = ? AND version = ?")
        .bind(m.into_version)
        .bind(&m.into)
        .bind(m.into_version + 1)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE tickets SET status = ?, snoozed_until = ?, merged_into = NULL \
         WHERE id = ? AND merged_into = ?",
    )
    .bind(&m.was_status)
    .bind(&m.was_snoozed_until)
    .bind(&m.ticket_id)
    .bind(&m.into)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use countersign_model::workflow::Role;

    /// A refused merge puts the thread back and reopens the ticket as it was; what the feed
    /// moved on since stays.
    #[tokio::test]
    async fn a_refused_merge_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        let mut cfg = crate::demo::DemoConfig::small(chrono::Utc::now().date_naive());
        (cfg.customers, cfg.invoices, cfg.tickets) = (2, 8, 8);
        crate::demo::seed(&store, &cfg, &mut |_, _, _| {})
            .await
            .unwrap();
        let (a, va, was, b, vb): (String, i64, String, String, i64) = sqlx::query_as(
            "SELECT a.id, a.version, a.status, b.id, b.version FROM tickets a JOIN tickets b \
             ON a.customer_id = b.customer_id AND a.id < b.id \
             WHERE a.status <> 'closed' AND b.status <> 'closed' ORDER BY a.id LIMIT 1",
        )
        .fetch_one(store.pool())
        .await
        .expect("a customer with two tickets");
        let thread = |t: String| {
            let store = store.clone();
            async move {
                sqlx::query_scalar::<_, String>(
                    "SELECT id FROM messages WHERE ticket_id = ? ORDER BY id",
                )
                .bind(t)
                .fetch_all(store.pool())
                .await
                .unwrap()
            }
        };
        let (a_thread, b_thread) = (thread(a.clone()).await, thread(b.clone()).await);
        let person = Person {
            id: "agt_alex".into(),
            name: "Alex Morgan".into(),
            role: Role::Agent,
        };
        let (ta, tb) = (TicketId::parse(&a).unwrap(), TicketId::parse(&b).unwrap());
        merge(&store, &person, &ta, va, &tb, vb).await.unwrap();
        assert!(thread(a.clone()).await.is_empty());
        let mutation: String =
            sqlx::query_scalar("SELECT mutation_id FROM outbox WHERE kind = 'merge_tickets'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        let mut tx = store.write().await.unwrap();
        assert!(undo(&mut tx, &mutation).await.unwrap());
        tx.commit().await.unwrap();
        assert_eq!(thread(a.clone()).await, a_thread, "the thread is back");
        assert_eq!(
            thread(b.clone()).await,
            b_thread,
            "the survivor's own stays"
        );
        let (status, merged): (String, Option<String>) =
            sqlx::query_as("SELECT status, merged_into FROM tickets WHERE id = ?")
                .bind(&a)
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!((status, merged), (was, None), "reopened as it was");
        let v: i64 = sqlx::query_scalar("SELECT version FROM tickets WHERE id = ?")
            .bind(&b)
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(v, vb, "the survivor's version as it was");
    }
}
