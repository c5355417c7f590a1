//! Invariant 2 at the platform: a reply approved on an outdated view of the ticket or of the
//! records it cites is refused as `stale`, by the rule the desks apply
//! (`countersign_model::staleness`).

use super::effects::{Failure, invalid, reject};
use crate::error::Error;
use countersign_model::ErrorCode;
use countersign_model::staleness::{self, Cause};
use countersign_model::sync::{Entity, Mutation};
use serde_json::Value;
use sqlx::PgConnection;

fn version_sql(entity: Entity) -> &'static str {
    match entity {
        Entity::Agent => "SELECT version FROM agents WHERE tenant_id = $1 AND id = $2",
        Entity::Customer => "SELECT version FROM customers WHERE tenant_id = $1 AND id = $2",
        Entity::Subscription => {
            "SELECT version FROM subscriptions WHERE tenant_id = $1 AND id = $2"
        }
        Entity::Invoice => "SELECT version FROM invoices WHERE tenant_id = $1 AND id = $2",
        Entity::Payment => "SELECT version FROM payments WHERE tenant_id = $1 AND id = $2",
        Entity::Wallet => "SELECT version FROM wallets WHERE tenant_id = $1 AND id = $2",
        Entity::Ticket => "SELECT version FROM tickets WHERE tenant_id = $1 AND id = $2",
        Entity::Message => "SELECT version FROM messages WHERE tenant_id = $1 AND id = $2",
        Entity::Attachment => "SELECT version FROM attachments WHERE tenant_id = $1 AND id = $2",
        Entity::Escalation => "SELECT version FROM escalations WHERE tenant_id = $1 AND id = $2",
        Entity::KbArticle => "SELECT version FROM kb_articles WHERE tenant_id = $1 AND id = $2",
        Entity::SavedReply => "SELECT version FROM saved_replies WHERE tenant_id = $1 AND id = $2",
        Entity::Policy => "SELECT version FROM policy_rows WHERE tenant_id = $1 AND id = $2",
    }
}

/// Invariant 2 at the platform: the reply is `stale` if the customer wrote on the ticket after
/// the version the person saw, or a record the reply cites is at another version; `not_found`
/// if it cites a record the tenant never had.
pub(super) async fn check_not_stale(
    tx: &mut PgConnection,
    tenant_id: &str,
    ticket_id: &str,
    ticket_version: i64,
    m: &Mutation,
) -> Result<(), Failure> {
    let ticket_key = format!("ticket:{ticket_id}");
    let seen = *m.based_on.get(&ticket_key).ok_or_else(|| {
        invalid(format!(
            "based_on must hold {ticket_key:?}: the ticket version the reply was approved on"
        ))
    })?;
    if seen > ticket_version {
        return Err(invalid(format!(
            "based_on says ticket version {seen}, but the ticket is at {ticket_version}"
        )));
    }
    let newer: Option<(String, i64)> = sqlx::query_as(
        "SELECT id, ticket_version FROM messages
         WHERE tenant_id = $1 AND ticket_id = $2 AND author_kind = 'customer' AND ticket_version > $3
         ORDER BY ticket_version LIMIT 1",
    )
    .bind(tenant_id)
    .bind(ticket_id)
    .bind(seen)
    .fetch_optional(&mut *tx)
    .await?;
    let mut causes = Vec::new();
    if let Some((message, _)) = newer {
        causes.push(Cause::CustomerWrote {
            message: Some(message),
        });
    }
    causes.extend(cited_causes(tx, tenant_id, m, &ticket_key).await?);
    match staleness::reason(&causes) {
        Some(why) => Err(reject(ErrorCode::Stale, why)),
        None => Ok(()),
    }
}

/// A decision on records (an escalation's approval) is `stale` if any record it says it saw
/// (`based_on`) is at another version now.
pub(super) async fn check_seen(
    tx: &mut PgConnection,
    tenant_id: &str,
    m: &Mutation,
) -> Result<(), Failure> {
    let causes = cited_causes(tx, tenant_id, m, "").await?;
    match staleness::reason(&causes) {
        Some(why) => Err(reject(ErrorCode::Stale, why)),
        None => Ok(()),
    }
}

/// Why the records `m` says it saw (all but `except`) are not as it saw them.
async fn cited_causes(
    tx: &mut PgConnection,
    tenant_id: &str,
    m: &Mutation,
    except: &str,
) -> Result<Vec<Cause>, Failure> {
    let mut causes = Vec::new();
    for (key, &seen) in m.based_on.iter().filter(|(k, _)| k.as_str() != except) {
        let (entity, id) = key
            .split_once(':')
            .ok_or_else(|| invalid(format!("based_on key {key:?} is not \"<entity>:<id>\"")))?;
        let entity: Entity = serde_json::from_value(Value::String(entity.into()))
            .map_err(|_| invalid(format!("based_on key {key:?} names an unknown entity")))?;
        let now: Option<i64> = sqlx::query_scalar(version_sql(entity))
            .bind(tenant_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        // The platform deletes nothing: a cited record it does not hold never existed in this
        // tenant (a made-up id, or another tenant's, which must look absent): not staleness.
        let Some(now) = now else {
            return Err(Error::not_found("cited record", key).into());
        };
        causes.extend(Cause::of_cited(entity.name(), id, seen, Some(now)));
    }
    Ok(causes)
}
