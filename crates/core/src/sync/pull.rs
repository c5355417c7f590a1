//! Pull: the tenant's change feed into the desk. Each page is applied in one SQLite transaction
//! together with the new cursor, so a crash never leaves a cursor ahead of its data. A record is
//! replaced only by the same or a newer version, so replaying a page changes nothing.
//!
//! A page is applied set-wise: each record is read into its columns' values once, in Rust
//! ([`super::records`]), and per entity a few multi-row `INSERT … ON CONFLICT DO UPDATE`
//! statements write them, so a page of a thousand changes costs about a dozen statements on the
//! desk's single SQLite writer, not one round trip per row.

use super::columns::{LINE_ITEM_COLUMNS, columns};
use super::records::{
    Cell, insert_sql, read_line_items, read_row, rows_per_statement, upsert_tail,
};
use super::state;
use crate::store::{Tx, now, ts};
use crate::{Error, Result, Store};
use countersign_model::sync::Entity;
use countersign_model::sync::{RawChange, RawChangesPage};
use std::collections::HashMap;

/// The page's records grouped by entity, each record once: its newest state in the page.
fn latest_by_entity(changes: &[RawChange]) -> Result<Vec<(Entity, Vec<&RawChange>)>> {
    let mut newest: HashMap<(Entity, &str), &RawChange> = HashMap::with_capacity(changes.len());
    for c in changes {
        if !c.data.get().trim_start().starts_with('{') {
            return Err(Error::Unavailable(format!(
                "the platform sent change {} without a record",
                c.seq
            )));
        }
        let slot = newest.entry((c.entity, c.id.as_str())).or_insert(c);
        if (c.version, c.seq) > (slot.version, slot.seq) {
            *slot = c;
        }
    }
    // In feed order within each entity, for a stable result.
    let mut kept: Vec<&RawChange> = newest.into_values().collect();
    kept.sort_by_key(|c| c.seq);
    // Entities in reference order (see `Entity::ALL`): within a page a record may come before
    // one it references, since the feed orders by commit.
    Ok(Entity::ALL
        .iter()
        .map(|e| {
            (
                *e,
                kept.iter()
                    .copied()
                    .filter(|c| c.entity == *e)
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, records)| !records.is_empty())
        .collect())
}

/// Writes `rows` into `table` with as few statements as [`rows_per_statement`] allows; `tail`
/// ends each (`RETURNING id` makes it return the ids it wrote). Returns the rows written and,
/// with `RETURNING id`, their ids.
async fn insert_rows(
    tx: &mut Tx,
    table: &str,
    cols: &[&str],
    rows: Vec<Vec<Cell>>,
    synced_at: Option<&str>,
    tail: &str,
) -> sqlx::Result<(u64, Vec<String>)> {
    let per = rows_per_statement(cols.len() + 1);
    let returning = tail.contains("RETURNING");
    let (mut written, mut ids) = (0, vec![]);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Cell>> = rows.by_ref().take(per).collect();
        let sql = insert_sql(table, cols, chunk.len(), synced_at.is_some(), tail);
        // Full chunks repeat page after page; keep only those prepared.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(chunk.len() == per);
        for row in chunk {
            for cell in row {
                query = cell.bind(query);
            }
            if let Some(at) = synced_at {
                query = query.bind(at.to_owned());
            }
        }
        if returning {
            let returned: Vec<String> = query
                .fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| sqlx::Row::try_get(r, 0))
                .collect::<sqlx::Result<_>>()?;
            written += returned.len() as u64;
            ids.extend(returned);
        } else {
            written += query.execute(&mut **tx).await?.rows_affected();
        }
    }
    Ok((written, ids))
}

/// Applies one entity's records; returns how many desk rows changed.
async fn apply_group(tx: &mut Tx, entity: Entity, records: &[&RawChange], at: &str) -> Result<u64> {
    let (table, cols) = columns(entity);
    let failed = |e: sqlx::Error| {
        Error::Unavailable(format!(
            "cannot apply the platform's {table} (changes {} to {}): {e}",
            records.first().map_or(0, |c| c.seq),
            records.last().map_or(0, |c| c.seq)
        ))
    };
    let rows = records
        .iter()
        .map(|c| read_row(c.data.get(), cols))
        .collect::<Result<Vec<_>>>()?;
    if entity != Entity::Invoice {
        let cells = rows.into_iter().map(|r| r.cells).collect();
        let tail = upsert_tail(table, cols);
        let (changed, _) = insert_rows(tx, table, cols, cells, Some(at), &tail)
            .await
            .map_err(failed)?;
        return Ok(changed);
    }
    // An invoice the desk now holds at the page's version gets the page's line items
    // (replaying the same version writes the same items); one it kept newer keeps its own.
    let mut items: HashMap<String, &serde_json::value::RawValue> = HashMap::new();
    let mut cells = Vec::with_capacity(rows.len());
    for row in rows {
        if let (Some(raw), Cell::Text(id)) = (row.line_items, &row.cells[0]) {
            items.insert(id.clone(), raw);
        }
        cells.push(row.cells);
    }
    let tail = format!("{} RETURNING id", upsert_tail(table, cols));
    let (changed, applied) = insert_rows(tx, table, cols, cells, Some(at), &tail)
        .await
        .map_err(failed)?;
    if applied.is_empty() {
        return Ok(changed);
    }
    sqlx::query(
        "DELETE FROM invoice_line_items WHERE invoice_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(serde_json::to_string(&applied).map_err(|e| Error::Internal(e.to_string()))?)
    .execute(&mut **tx)
    .await
    .map_err(failed)?;
    let mut item_rows = vec![];
    for invoice in applied {
        let Some(raw) = items.get(invoice.as_str()) else {
            continue;
        };
        for mut item in read_line_items(raw)? {
            item[1] = Cell::Text(invoice.clone());
            item_rows.push(item);
        }
    }
    insert_rows(
        tx,
        "invoice_line_items",
        LINE_ITEM_COLUMNS,
        item_rows,
        None,
        "",
    )
    .await
    .map_err(failed)?;
    Ok(changed)
}

/// Applies one page and moves the cursor, in one transaction. Returns the rows that changed.
pub(crate) async fn apply_page(store: &Store, page: &RawChangesPage) -> Result<u64> {
    let groups = latest_by_entity(&page.changes)?;
    // Groups come in reference order, so foreign keys hold statement by statement. (Deferring
    // them with a pragma instead expires every statement the connection has prepared, and the
    // page's big inserts would be compiled again on every page.)
    let mut tx = store.write().await?;
    let at = ts(now());
    let mut changed = 0;
    for (entity, records) in &groups {
        changed += apply_group(&mut tx, *entity, records, &at).await?;
    }
    state::put(&mut *tx, state::CURSOR, &page.cursor.to_string()).await?;
    state::put(&mut *tx, state::LAST_PULL, &at).await?;
    tx.commit().await?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(seq: i64, entity: Entity, id: &str, version: i64, data: &str) -> RawChange {
        RawChange {
            seq,
            entity,
            id: id.into(),
            version,
            data: serde_json::value::RawValue::from_string(data.into()).unwrap(),
        }
    }

    #[test]
    fn a_page_keeps_each_records_newest_state_once() {
        let page = [
            change(1, Entity::Ticket, "tkt_a", 1, r#"{"v":1}"#),
            change(2, Entity::Message, "msg_a", 1, r#"{"m":1}"#),
            change(3, Entity::Ticket, "tkt_a", 2, r#"{"v":2}"#),
            change(4, Entity::Ticket, "tkt_b", 1, r#"{"b":1}"#),
        ];
        let groups = latest_by_entity(&page).unwrap();
        let seqs: Vec<(Entity, Vec<i64>)> = groups
            .iter()
            .map(|(e, v)| (*e, v.iter().map(|c| c.seq).collect()))
            .collect();
        assert_eq!(
            seqs,
            vec![(Entity::Ticket, vec![3, 4]), (Entity::Message, vec![2])],
            "tkt_a once, at version 2; tickets before the messages that reference them"
        );
    }

    #[test]
    fn a_change_without_a_record_is_refused() {
        let page = [change(9, Entity::Customer, "cus_a", 1, "null")];
        assert!(latest_by_entity(&page).is_err());
    }

    fn page(cursor: i64, changes: Vec<RawChange>) -> RawChangesPage {
        RawChangesPage {
            changes,
            cursor,
            has_more: false,
        }
    }

    fn invoice(seq: i64, version: i64, status: &str, items: &[(&str, i64)]) -> RawChange {
        let items: Vec<serde_json::Value> = items
            .iter()
            .map(|(id, amount)| {
                serde_json::json!({"id": id, "description": "Team plan", "quantity": "1",
                                   "unit_amount": "41.18", "amount": amount})
            })
            .collect();
        let data = serde_json::json!({
            "id": "inv_p1", "invoice_number": "INV-P1", "customer_id": "cus_p", "subscription_id": null,
            "invoice_status": "FINALIZED", "payment_status": status, "invoice_type": "SUBSCRIPTION",
            "billing_reason": "SUBSCRIPTION_CYCLE", "currency": "EUR", "amount_due": 4900,
            "amount_paid": 0, "amount_remaining": 4900, "refunded_amount": 0, "subtotal": 4118,
            "total_tax": 782, "total": 4900, "issue_date": "2025-02-01", "due_date": "2025-02-15",
            "paid_at": null, "voided_at": null, "period_start": null, "period_end": null,
            "line_items": items, "updated_at": "2025-02-01T00:00:00.000Z", "version": version
        });
        change(seq, Entity::Invoice, "inv_p1", version, &data.to_string())
    }

    fn customer(seq: i64) -> RawChange {
        let data = serde_json::json!({
            "id": "cus_p", "external_id": "ext-p", "name": "Anna Schmidt", "email": "anna@example.com",
            "phone": null, "company": "Schmidt GmbH", "address_line1": null, "address_line2": null,
            "address_city": null, "address_state": null, "address_postal_code": null,
            "address_country": "DE", "timezone": null, "status": "active", "metadata": "{}",
            "created_at": "2025-01-01T00:00:00.000Z", "updated_at": "2025-01-01T00:00:00.000Z",
            "version": 1
        });
        change(seq, Entity::Customer, "cus_p", 1, &data.to_string())
    }

    async fn invoice_now(store: &Store) -> (i64, String, Vec<(String, i64)>) {
        let (version, status): (i64, String) =
            sqlx::query_as("SELECT version, payment_status FROM invoices WHERE id = 'inv_p1'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        let items = sqlx::query_as(
            "SELECT id, amount FROM invoice_line_items WHERE invoice_id = 'inv_p1' ORDER BY id",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        (version, status, items)
    }

    #[tokio::test]
    async fn pages_apply_newer_versions_with_their_line_items_and_never_go_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        // The invoice arrives before its customer within the page: customers are applied first.
        let first = page(
            2,
            vec![invoice(1, 1, "PENDING", &[("li_a", 4118)]), customer(2)],
        );
        assert_eq!(apply_page(&store, &first).await.unwrap(), 2);
        assert_eq!(
            invoice_now(&store).await,
            (1, "PENDING".into(), vec![("li_a".into(), 4118)])
        );
        assert_eq!(
            state::get(store.pool(), state::CURSOR)
                .await
                .unwrap()
                .as_deref(),
            Some("2"),
            "the cursor moves with its page"
        );

        // Twice in one page: the newest state wins, its items replace the old ones.
        let newer = page(
            4,
            vec![
                invoice(3, 2, "FAILED", &[("li_a", 4118)]),
                invoice(4, 3, "SUCCEEDED", &[("li_b", 100), ("li_c", 4018)]),
            ],
        );
        assert_eq!(apply_page(&store, &newer).await.unwrap(), 1);
        let latest = (
            3,
            "SUCCEEDED".to_owned(),
            vec![("li_b".to_owned(), 100), ("li_c".to_owned(), 4018)],
        );
        assert_eq!(invoice_now(&store).await, latest);

        // An older version replayed changes nothing, items included; the same one is harmless.
        let older = page(5, vec![invoice(3, 2, "FAILED", &[("li_a", 4118)])]);
        assert_eq!(apply_page(&store, &older).await.unwrap(), 0);
        assert_eq!(invoice_now(&store).await, latest, "never back a version");
        let again = page(
            6,
            vec![invoice(4, 3, "SUCCEEDED", &[("li_b", 100), ("li_c", 4018)])],
        );
        apply_page(&store, &again).await.unwrap();
        assert_eq!(invoice_now(&store).await, latest, "a replay is idempotent");

        // A page that cannot apply leaves the desk and its cursor as they were.
        let broken = page(
            7,
            vec![change(
                7,
                Entity::Payment,
                "pay_x",
                1,
                r#"{"id": "pay_x", "version": 1}"#,
            )],
        );
        assert!(
            apply_page(&store, &broken).await.is_err(),
            "a payment without its columns is refused"
        );
        assert_eq!(
            state::get(store.pool(), state::CURSOR)
                .await
                .unwrap()
                .as_deref(),
            Some("6"),
            "a failed page does not move the cursor"
        );
    }
}
