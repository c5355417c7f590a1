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
use countersign_model::sync::{Change, ChangesPage, Entity};
use sqlx::{PgConnection, PgPool};

/// The LISTEN/NOTIFY channel; payload `"<tenant_id> <cursor>"`.
pub const CHANNEL: &str = "countersign_changes";
pub const DEFAULT_LIMIT: i64 = 500;
pub const MAX_LIMIT: i64 = 5000;

macro_rules! record_sql {
    ($entity:literal, $view:literal) => {
        concat!(
            "WITH alloc AS (
                 UPDATE tenants SET change_seq = change_seq + cardinality($2::text[])
                 WHERE id = $1 RETURNING change_seq - cardinality($2::text[]) AS base)
             INSERT INTO changes (tenant_id, seq, entity, entity_id, version, data)
             SELECT $1, alloc.base + i.ord, '",
            $entity,
            "', v.id, v.version, to_jsonb(v) - 'tenant_id'
             FROM alloc
             CROSS JOIN unnest($2::text[]) WITH ORDINALITY AS i (id, ord)
             JOIN ",
            $view,
            " v ON v.tenant_id = $1 AND v.id = i.id
             RETURNING seq"
        )
    };
}

fn record_sql(entity: Entity) -> &'static str {
    match entity {
        Entity::Customer => record_sql!("customer", "customer_rows"),
        Entity::Subscription => record_sql!("subscription", "subscription_rows"),
        Entity::Invoice => record_sql!("invoice", "invoice_rows"),
        Entity::Payment => record_sql!("payment", "payment_rows"),
        Entity::Wallet => record_sql!("wallet", "wallet_rows"),
        Entity::Ticket => record_sql!("ticket", "ticket_rows"),
        Entity::Message => record_sql!("message", "message_rows"),
        Entity::Escalation => record_sql!("escalation", "escalation_rows"),
        Entity::KbArticle => record_sql!("kb_article", "kb_article_rows"),
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

    /// Writes the change rows (each record's state now) and queues the notification. Returns the
    /// tenant's new cursor, or `None` when nothing changed. Call last, just before commit: from
    /// here on the tenant is locked until the transaction ends.
    pub async fn record(self, tx: &mut PgConnection, tenant_id: &str) -> Result<Option<i64>> {
        let mut cursor = None;
        let mut rest = self.0.as_slice();
        while let Some((entity, _)) = rest.first() {
            let run = rest.iter().take_while(|(e, _)| e == entity).count();
            let ids: Vec<&str> = rest[..run].iter().map(|(_, id)| id.as_str()).collect();
            let seqs: Vec<i64> = sqlx::query_scalar(record_sql(*entity))
                .bind(tenant_id)
                .bind(&ids)
                .fetch_all(&mut *tx)
                .await?;
            cursor = seqs.into_iter().max().or(cursor);
            rest = &rest[run..];
        }
        if let Some(cursor) = cursor {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(format!("{tenant_id} {cursor}"))
                .execute(&mut *tx)
                .await?;
        }
        Ok(cursor)
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
pub async fn page(pool: &PgPool, tenant_id: &str, after: i64, limit: i64) -> Result<ChangesPage> {
    let rows: Vec<(i64, String, String, i64, serde_json::Value)> = sqlx::query_as(
        "SELECT seq, entity, entity_id, version, data FROM changes
         WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(tenant_id)
    .bind(after)
    .bind(limit + 1)
    .fetch_all(pool)
    .await?;
    let has_more = rows.len() as i64 > limit;
    let changes = rows
        .into_iter()
        .take(limit as usize)
        .map(|(seq, entity, id, version, data)| {
            let entity = serde_json::from_value(serde_json::Value::String(entity))
                .map_err(|e| Error::Database(sqlx::Error::Decode(Box::new(e))))?;
            Ok(Change {
                seq,
                entity,
                id,
                version,
                data,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let cursor = changes.last().map_or(after, |c| c.seq);
    Ok(ChangesPage {
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
) -> Result<Json<ChangesPage>> {
    let (after, limit) = parse_query(query.as_deref())?;
    Ok(Json(
        page(&state.pool, &caller.tenant_id, after, limit).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

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
