//! The per-tenant change feed. A write records the state of each record it changed as a row of
//! `changes`, with a `seq` taken from `tenants.change_seq` by an `UPDATE … RETURNING` inside the
//! writing transaction. That row-locks the tenant until commit, so a tenant's writers commit in
//! `seq` order: once a reader has seen `seq = N`, every change with a smaller seq is already
//! visible, and a reader at cursor N never misses a change that commits later. The transaction
//! ends with `pg_notify`, which PostgreSQL delivers only if and when it commits.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{Error, Result};
use axum::Json;
use axum::extract::{RawQuery, State};
use countersign_model::sync::{Entity, RawChange, RawChangesPage};
use serde_json::value::RawValue;
use sqlx::{PgConnection, PgPool};

/// The LISTEN/NOTIFY channel; payload `"<tenant_id> <cursor>"`.
pub const CHANNEL: &str = "countersign_changes";
pub const DEFAULT_LIMIT: i64 = 500;
pub const MAX_LIMIT: i64 = 5000;

/// One branch of [`RECORD_SQL`]: the changed records of one entity, as the desk's rows.
macro_rules! state_of {
    ($entity:literal, $view:literal) => {
        concat!(
            "SELECT i.ord, i.entity, v.id, v.version, to_jsonb(v) - 'tenant_id' AS data
             FROM input i JOIN ",
            $view,
            " v ON i.entity = '",
            $entity,
            "' AND v.tenant_id = $1 AND v.id = i.id"
        )
    };
}

/// Records the state of every changed record (`$2` entities, `$3` ids, in order) as change rows
/// and queues the notification (`$4` channel), in one statement: the tenant's row lock is taken
/// here and held only until the commit that follows. Returns the new cursor, or no row when
/// none of the records exists.
const RECORD_SQL: &str = concat!(
    "WITH alloc AS (
         UPDATE tenants SET change_seq = change_seq + cardinality($2::text[])
         WHERE id = $1 RETURNING change_seq - cardinality($2::text[]) AS base),
     input AS (SELECT * FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS i (entity, id, ord)),
     state AS (",
    state_of!("customer", "customer_rows"),
    " UNION ALL ",
    state_of!("subscription", "subscription_rows"),
    " UNION ALL ",
    state_of!("invoice", "invoice_rows"),
    " UNION ALL ",
    state_of!("payment", "payment_rows"),
    " UNION ALL ",
    state_of!("wallet", "wallet_rows"),
    " UNION ALL ",
    state_of!("ticket", "ticket_rows"),
    " UNION ALL ",
    state_of!("message", "message_rows"),
    " UNION ALL ",
    state_of!("escalation", "escalation_rows"),
    " UNION ALL ",
    state_of!("kb_article", "kb_article_rows"),
    "),
     ins AS (
         INSERT INTO changes (tenant_id, seq, entity, entity_id, version, data)
         SELECT $1, alloc.base + s.ord, s.entity, s.id, s.version, s.data
         FROM alloc CROSS JOIN state s
         RETURNING seq)
     SELECT c.cursor, pg_notify($4, $1 || ' ' || c.cursor)
     FROM (SELECT max(seq) AS cursor FROM ins) c WHERE c.cursor IS NOT NULL"
);

/// The name an entity has in the feed (`changes.entity`, the views' branches above).
fn entity_name(entity: Entity) -> &'static str {
    match entity {
        Entity::Customer => "customer",
        Entity::Subscription => "subscription",
        Entity::Invoice => "invoice",
        Entity::Payment => "payment",
        Entity::Wallet => "wallet",
        Entity::Ticket => "ticket",
        Entity::Message => "message",
        Entity::Escalation => "escalation",
        Entity::KbArticle => "kb_article",
    }
}

/// The records one transaction changed, in the order the desk should apply them (a customer
/// before its ticket, a ticket before its messages).
#[derive(Debug, Default)]
pub struct Changed(Vec<(Entity, String)>);

impl Changed {
    pub fn push(&mut self, entity: Entity, id: impl Into<String>) {
        self.0.push((entity, id.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds every record another set changed, after this set's own.
    pub fn extend(&mut self, other: Changed) {
        self.0.extend(other.0);
    }

    /// Writes the change rows (each record's state now) and queues the notification. Returns the
    /// tenant's new cursor, or `None` when nothing changed. Call last, just before commit: from
    /// here on the tenant is locked until the transaction ends.
    pub async fn record(self, tx: &mut PgConnection, tenant_id: &str) -> Result<Option<i64>> {
        if self.0.is_empty() {
            return Ok(None);
        }
        let (entities, ids): (Vec<&str>, Vec<&str>) = self
            .0
            .iter()
            .map(|(e, id)| (entity_name(*e), id.as_str()))
            .unzip();
        Ok(sqlx::query_scalar(RECORD_SQL)
            .bind(tenant_id)
            .bind(&entities)
            .bind(&ids)
            .bind(CHANNEL)
            .fetch_optional(&mut *tx)
            .await?)
    }
}

/// The tenant's cursor now: the last seq handed out.
pub async fn current_cursor(pool: &PgPool, tenant_id: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT change_seq FROM tenants WHERE id = $1")
            .bind(tenant_id)
            .fetch_optional(pool)
            .await?
            .unwrap_or(0),
    )
}

/// Up to `limit` changes after `after`, in seq order.
pub async fn page(
    pool: &PgPool,
    tenant_id: &str,
    after: i64,
    limit: i64,
) -> Result<RawChangesPage> {
    let rows: Vec<(i64, String, String, i64, String)> = sqlx::query_as(
        "SELECT seq, entity, entity_id, version, data::text FROM changes
         WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(tenant_id)
    .bind(after)
    .bind(limit + 1)
    .fetch_all(pool)
    .await?;
    let has_more = rows.len() as i64 > limit;
    let corrupt = |e: serde_json::Error| Error::Database(sqlx::Error::Decode(Box::new(e)));
    let changes = rows
        .into_iter()
        .take(limit as usize)
        .map(|(seq, entity, id, version, data)| {
            Ok(RawChange {
                seq,
                entity: serde_json::from_value(serde_json::Value::String(entity))
                    .map_err(corrupt)?,
                id,
                version,
                data: RawValue::from_string(data).map_err(corrupt)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let cursor = changes.last().map_or(after, |c| c.seq);
    Ok(RawChangesPage {
        changes,
        cursor,
        has_more,
    })
}

/// Parses `after` and `limit` from a query string; anything else in it is ignored.
pub fn parse_query(query: Option<&str>) -> Result<(i64, i64)> {
    let (mut after, mut limit) = (0, DEFAULT_LIMIT);
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let number = |what: &str| -> Result<i64> {
            value
                .parse::<i64>()
                .map_err(|_| Error::invalid(format!("{what} must be an integer, got {value:?}")))
        };
        match key {
            "after" => {
                after = number("after")?;
                if after < 0 {
                    return Err(Error::invalid(
                        "after must be 0 or a cursor from a previous page",
                    ));
                }
            }
            "limit" => {
                limit = number("limit")?;
                if !(1..=MAX_LIMIT).contains(&limit) {
                    return Err(Error::invalid(format!(
                        "limit must be between 1 and {MAX_LIMIT}, got {limit}"
                    )));
                }
            }
            _ => {}
        }
    }
    Ok((after, limit))
}

/// `GET /v1/sync/changes?after=N&limit=M`.
pub async fn get_changes(
    caller: Caller,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<RawChangesPage>> {
    let (after, limit) = parse_query(query.as_deref())?;
    Ok(Json(
        page(&state.pool, &caller.tenant_id, after, limit).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entity_has_a_branch_in_the_record_statement() {
        for e in Entity::ALL {
            let name = entity_name(e);
            assert_eq!(
                serde_json::to_value(e).unwrap(),
                name,
                "the feed's name of {e:?} is its wire name"
            );
            assert!(
                RECORD_SQL.contains(&format!("i.entity = '{name}'")),
                "{name} has no branch"
            );
        }
    }

    #[test]
    fn query_defaults_and_bounds() {
        assert_eq!(parse_query(None).unwrap(), (0, DEFAULT_LIMIT));
        assert_eq!(parse_query(Some("after=7&limit=2")).unwrap(), (7, 2));
        for bad in [
            "after=-1",
            "after=x",
            "limit=0",
            "limit=5001",
            "limit=",
            "after=1.5",
        ] {
            assert!(parse_query(Some(bad)).is_err(), "{bad} must be refused");
        }
    }
}
