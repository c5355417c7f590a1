//! The per-tenant change feed. A write records the state of each record it changed as a row of
//! `changes`, with a `seq` taken from `tenants.change_seq` by an `UPDATE … RETURNING` inside the
//! writing transaction. That row-locks the tenant until commit, so a tenant's writers commit in
//! `seq` order: once a reader has seen `seq = N`, every change with a smaller seq is already
//! visible, and a reader at cursor N never misses a change that commits later. The transaction
//! ends with `pg_notify`, which PostgreSQL delivers only if and when it commits.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{Error, Result};
use axum::extract::{RawQuery, State};
use countersign_model::sync::Entity;
use sqlx::{PgConnection, PgPool};

/// The LISTEN/NOTIFY channel; payload `"<tenant_id> <cursor>"`.
pub const CHANNEL: &str = "countersign_changes";
pub const DEFAULT_LIMIT: i64 = 500;
pub const MAX_LIMIT: i64 = 5000;
/// A page ends before the change that would take its body past this many bytes (a page always
/// holds at least one change): every desk downloads every page, so a page is bounded in bytes as
/// well as in count, whatever its records hold.
pub const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

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
    state_of!("agent", "agent_rows"),
    " UNION ALL ",
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
    state_of!("attachment", "attachment_rows"),
    " UNION ALL ",
    state_of!("escalation", "escalation_rows"),
    " UNION ALL ",
    state_of!("kb_article", "kb_article_rows"),
    " UNION ALL ",
    state_of!("saved_reply", "saved_reply_rows"),
    " UNION ALL ",
    state_of!("policy", "policy_rows"),
    "),
     ins AS (
         INSERT INTO changes (tenant_id, seq, entity, entity_id, version, data)
         SELECT $1, alloc.base + s.ord, s.entity, s.id, s.version, s.data::json
         FROM alloc CROSS JOIN state s
         RETURNING seq)
     SELECT c.cursor, pg_notify($4, $1 || ' ' || c.cursor)
     FROM (SELECT max(seq) AS cursor FROM ins) c WHERE c.cursor IS NOT NULL"
);

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
    ///
    /// Every ticket in the set has its SLA settled first ([`crate::sla::settle`]), so whatever
    /// changed a ticket (a status, a priority, a reply, a customer's message, an import, a
    /// merge) also brought its due time along, in the same transaction.
    pub async fn record(self, tx: &mut PgConnection, tenant_id: &str) -> Result<Option<i64>> {
        if self.0.is_empty() {
            return Ok(None);
        }
        let tickets: Vec<&str> = self
            .0
            .iter()
            .filter(|(e, _)| *e == Entity::Ticket)
            .map(|(_, id)| id.as_str())
            .collect();
        if !tickets.is_empty() {
            crate::sla::settle(tx, tenant_id, Some(&tickets)).await?;
        }
        let (entities, ids): (Vec<&str>, Vec<&str>) =
            self.0.iter().map(|(e, id)| (e.name(), id.as_str())).unzip();
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

/// One row of `changes` as the feed reads it: seq, entity, id, version, record (JSON text).
type ChangeRow = (i64, String, String, i64, String);

/// Up to `limit` changes after `after`, in seq order, as the JSON body of a
/// [`countersign_model::sync::RawChangesPage`].
pub async fn page(pool: &PgPool, tenant_id: &str, after: i64, limit: i64) -> Result<String> {
    // The byte bound is applied in the query too, so that the platform never holds more than a
    // page's worth of records in memory: of the next `limit + 1` changes, those that start
    // within the budget (the first always does); `total` says how many there were.
    let rows: Vec<(i64, String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT seq, entity, entity_id, version, data, total FROM (
             SELECT w.*, sum(octet_length(w.data)) OVER (ORDER BY w.seq) AS upto,
                    count(*) OVER () AS total
             FROM (SELECT seq, entity, entity_id, version, data::text AS data FROM changes
                   WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3) w) p
         WHERE p.upto - octet_length(p.data) < $4
         ORDER BY seq",
    )
    .bind(tenant_id)
    .bind(after)
    .bind(limit + 1)
    .bind(MAX_PAGE_BYTES as i64)
    .fetch_all(pool)
    .await?;
    let cut = rows.first().is_some_and(|r| (rows.len() as i64) < r.5);
    let rows: Vec<ChangeRow> = rows
        .into_iter()
        .map(|(seq, entity, id, version, data, _)| (seq, entity, id, version, data))
        .collect();
    page_body(rows, after, limit, MAX_PAGE_BYTES, cut)
}

/// Writes the page's body. The records go in as PostgreSQL stored them: a `json` column holds
/// only valid JSON, so they are neither parsed nor rendered again here.
/// `cut`: changes after `rows` were left out already (by the query's byte bound).
fn page_body(
    rows: Vec<ChangeRow>,
    after: i64,
    limit: i64,
    max_bytes: usize,
    cut: bool,
) -> Result<String> {
    use std::fmt::Write;
    let corrupt = |what: String| Error::Database(sqlx::Error::Decode(what.into()));
    let mut has_more = cut || rows.len() as i64 > limit;
    let mut rows = &rows[..rows.len().min(limit as usize)];
    // The changes that fit in `max_bytes` (each row's envelope is under 200 bytes more than its
    // record and id).
    let mut size = 64;
    for (i, row) in rows.iter().enumerate() {
        size += row.4.len() + row.2.len() * 2 + 200;
        if i > 0 && size > max_bytes {
            rows = &rows[..i];
            has_more = true;
            break;
        }
    }
    let mut body = String::with_capacity(size.min(max_bytes + 64));
    body.push_str(r#"{"changes":["#);
    for (i, (seq, entity, id, version, data)) in rows.iter().enumerate() {
        // A known entity's name needs no escaping; anything else is not the desk's to read.
        if !Entity::ALL.into_iter().any(|e| e.name() == entity) {
            return Err(corrupt(format!(
                "change {seq} has an unknown entity {entity:?}"
            )));
        }
        let id = serde_json::to_string(id).map_err(|e| corrupt(e.to_string()))?;
        let comma = if i == 0 { "" } else { "," };
        let _ = write!(
            body,
            r#"{comma}{{"seq":{seq},"entity":"{entity}","id":{id},"version":{version},"data":{data}}}"#
        );
    }
    let cursor = rows.last().map_or(after, |r| r.0);
    let _ = write!(body, r#"],"cursor":{cursor},"has_more":{has_more}}}"#);
    Ok(body)
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

/// `GET /v1/sync/changes?after=N&limit=M`: a [`countersign_model::sync::RawChangesPage`].
pub async fn get_changes(
    caller: Caller,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<impl axum::response::IntoResponse> {
    let (after, limit) = parse_query(query.as_deref())?;
    let body = page(&state.pool, &caller.tenant_id, after, limit).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use countersign_model::sync::RawChangesPage;

    #[test]
    fn a_page_body_is_the_page_the_desk_reads() {
        let row = |seq: i64, entity: &str, id: &str, data: &str| {
            (seq, entity.to_owned(), id.to_owned(), 2, data.to_owned())
        };
        let rows = vec![
            row(
                7,
                "customer",
                "cus_\"q\"",
                r#"{"id": "cus_\"q\"", "name": "Zoë"}"#,
            ),
            row(8, "kb_article", "kb_1", r#"{"id": "kb_1", "tags": "[]"}"#),
            row(9, "ticket", "tkt_1", "{}"),
        ];
        let page: RawChangesPage =
            serde_json::from_str(&page_body(rows.clone(), 6, 2, MAX_PAGE_BYTES, false).unwrap())
                .unwrap();
        assert_eq!(
            (page.cursor, page.has_more, page.changes.len()),
            (8, true, 2)
        );
        let first = &page.changes[0];
        assert_eq!(
            (first.seq, first.entity, first.id.as_str(), first.version),
            (7, Entity::Customer, "cus_\"q\"", 2)
        );
        assert_eq!(first.data.get(), rows[0].4, "the record as stored");
        assert_eq!(page.changes[1].entity, Entity::KbArticle);

        let last: RawChangesPage =
            serde_json::from_str(&page_body(vec![], 9, 2, MAX_PAGE_BYTES, false).unwrap()).unwrap();
        assert_eq!(
            (last.cursor, last.has_more, last.changes.len()),
            (9, false, 0)
        );
        assert!(
            page_body(
                vec![row(1, "refund", "x", "{}")],
                0,
                5,
                MAX_PAGE_BYTES,
                false
            )
            .is_err()
        );

        // Bounded in bytes: a page stops before the change that would overflow it, and says
        // there is more; a single change larger than the bound still travels, alone.
        let big = format!(r#"{{"body": "{}"}}"#, "x".repeat(1000));
        let rows: Vec<ChangeRow> = (1..=5)
            .map(|seq| {
                (
                    seq,
                    "message".to_owned(),
                    format!("msg_{seq}"),
                    1,
                    big.clone(),
                )
            })
            .collect();
        let page: RawChangesPage =
            serde_json::from_str(&page_body(rows.clone(), 0, 10, 2600, false).unwrap()).unwrap();
        assert_eq!(
            (page.changes.len(), page.cursor, page.has_more),
            (2, 2, true)
        );
        let page: RawChangesPage =
            serde_json::from_str(&page_body(rows, 0, 10, 10, false).unwrap()).unwrap();
        assert_eq!(
            (page.changes.len(), page.cursor, page.has_more),
            (1, 1, true)
        );
        let one = vec![(1, "message".to_owned(), "msg_1".to_owned(), 1, big.clone())];
        let page: RawChangesPage =
            serde_json::from_str(&page_body(one, 0, 10, MAX_PAGE_BYTES, true).unwrap()).unwrap();
        assert_eq!(
            (page.changes.len(), page.cursor, page.has_more),
            (1, 1, true),
            "a page the query cut by bytes says there is more, and still moves on"
        );
    }

    #[test]
    fn every_entity_has_a_branch_in_the_record_statement() {
        for e in Entity::ALL {
            let name = e.name();
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
