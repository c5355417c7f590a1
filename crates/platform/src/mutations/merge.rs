//! `merge_tickets`: a customer's ticket joins another of theirs. Its messages and escalations
//! move to the survivor, which takes a new version (a reply approved on the survivor as it was
//! before is stale: its thread grew); the merged ticket is closed and points to the survivor,
//! as do tickets merged into it before, so a customer writing on any of their threads reaches it.

use super::effects::{Effect, Failure, lock_ticket, reject};
use super::stale::check_not_stale;
use crate::auth::Caller;
use crate::feed::Changed;
use countersign_model::problem::{MergeRefusal, Problem};
use countersign_model::sync::{Entity, MergeTickets, Mutation};
use countersign_model::{ErrorCode, TicketId};
use serde_json::json;
use sqlx::PgConnection;

fn refused(p: &MergeTickets, why: MergeRefusal) -> Result<Failure, Failure> {
    let problem = Problem::CannotMerge {
        ticket: TicketId::parse(&p.ticket_id)?,
        into: TicketId::parse(&p.into)?,
        why,
    };
    let code = match why {
        MergeRefusal::AlreadyMerged | MergeRefusal::Closed => ErrorCode::Conflict,
        _ => problem.code(),
    };
    Ok(reject(code, problem.to_string()))
}

pub(super) async fn merge_tickets(
    tx: &mut PgConnection,
    caller: &Caller,
    p: &MergeTickets,
    m: &Mutation,
) -> Effect {
    let t = &caller.tenant_id;
    if p.ticket_id == p.into {
        return Err(refused(p, MergeRefusal::SameTicket)?);
    }
    // Both locked, in one order whoever merges which into which.
    let (first, second) = if p.ticket_id < p.into {
        (&p.ticket_id, &p.into)
    } else {
        (&p.into, &p.ticket_id)
    };
    let v1 = lock_ticket(tx, t, first).await?;
    let v2 = lock_ticket(tx, t, second).await?;
    let (from_version, into_version) = if first == &p.ticket_id {
        (v1, v2)
    } else {
        (v2, v1)
    };
    let state = |id: &str| {
        sqlx::query_as::<_, (String, String, Option<String>)>(
            "SELECT customer_id, status, merged_into FROM tickets WHERE tenant_id = $1 AND id = $2",
        )
        .bind(t.as_str())
        .bind(id.to_owned())
    };
    let (from_customer, from_status, from_merged) = state(&p.ticket_id).fetch_one(&mut *tx).await?;
    let (into_customer, into_status, into_merged) = state(&p.into).fetch_one(&mut *tx).await?;
    if from_merged.is_some() || into_merged.is_some() {
        return Err(refused(p, MergeRefusal::AlreadyMerged)?);
    }
    if from_customer != into_customer {
        return Err(refused(p, MergeRefusal::OtherCustomer)?);
    }
    if from_status == "closed" || into_status == "closed" {
        return Err(refused(p, MergeRefusal::Closed)?);
    }
    // Merging a thread the customer wrote on since the person read it would bury what they wrote:
    // a merge says which versions of both tickets it was decided on.
    for (id, version) in [(&p.ticket_id, from_version), (&p.into, into_version)] {
        if !m.based_on.contains_key(&format!("ticket:{id}")) {
            return Err(super::effects::invalid(format!(
                "a merge must say the version of ticket {id} it was decided on (based_on \"ticket:{id}\")"
            )));
        }
        check_not_stale(tx, t, id, version, m).await?;
    }
    let into_version: i64 = sqlx::query_scalar(
        "UPDATE tickets SET version = version + 1, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 RETURNING version",
    )
    .bind(t)
    .bind(&p.into)
    .fetch_one(&mut *tx)
    .await?;
    let messages: Vec<String> = sqlx::query_scalar(
        "UPDATE messages SET ticket_id = $3, ticket_version = $4, version = version + 1
         WHERE tenant_id = $1 AND ticket_id = $2 RETURNING id",
    )
    .bind(t)
    .bind(&p.ticket_id)
    .bind(&p.into)
    .bind(into_version)
    .fetch_all(&mut *tx)
    .await?;
    let escalations: Vec<String> = sqlx::query_scalar(
        "UPDATE escalations SET ticket_id = $3, version = version + 1
         WHERE tenant_id = $1 AND ticket_id = $2 RETURNING id",
    )
    .bind(t)
    .bind(&p.ticket_id)
    .bind(&p.into)
    .fetch_all(&mut *tx)
    .await?;
    let earlier: Vec<String> = sqlx::query_scalar(
        "UPDATE tickets SET merged_into = $3, version = version + 1, updated_at = now()
         WHERE tenant_id = $1 AND merged_into = $2 RETURNING id",
    )
    .bind(t)
    .bind(&p.ticket_id)
    .bind(&p.into)
    .fetch_all(&mut *tx)
    .await?;
    let version: i64 = sqlx::query_scalar(
        "UPDATE tickets SET status = 'closed', merged_into = $3, snoozed_until = NULL,
                version = version + 1, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 RETURNING version",
    )
    .bind(t)
    .bind(&p.ticket_id)
    .bind(&p.into)
    .fetch_one(&mut *tx)
    .await?;
    let mut changed = Changed::default();
    changed.push(Entity::Ticket, &p.into);
    changed.push(Entity::Ticket, &p.ticket_id);
    for id in &earlier {
        changed.push(Entity::Ticket, id);
    }
    for id in &messages {
        changed.push(Entity::Message, id);
    }
    for id in &escalations {
        changed.push(Entity::Escalation, id);
    }
    Ok((
        json!({"ticket_id": p.ticket_id, "into": p.into, "ticket_version": version,
               "into_version": into_version, "messages": messages.len(),
               "escalations": escalations.len()}),
        changed,
    ))
}
