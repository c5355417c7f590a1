//! Pull: the tenant's change feed into the desk. Each page is applied in one SQLite transaction
//! together with the new cursor, so a crash never leaves a cursor ahead of its data. A record is
//! replaced only by the same or a newer version, so replaying a page changes nothing.
//!
//! A page is applied set-wise: per entity, one statement inserts or updates every record of the
//! page from a JSON array (SQLite's `jsonb_each`: the array is parsed once, and each column is
//! read from the parsed record, where `json_each` would render the record back to text for every
//! column read), so a page of thousands of changes costs a handful of statements, not one round
//! trip per row. Records stay JSON text from the HTTP body to SQLite; the desk never builds them
//! as values.

use super::columns::columns;
use super::state;
use crate::store::{Tx, now, ts};
use crate::{Error, Result, Store};
use countersign_model::sync::Entity;
use countersign_model::sync::{RawChange, RawChangesPage};
use std::collections::HashMap;

/// Every record of a JSON array (`?1`) into `table`, unless the desk has a newer version.
fn upsert_sql(table: &str, cols: &[&str]) -> String {
    let values: Vec<String> = cols.iter().map(|c| format!("value ->> '$.{c}'")).collect();
    let set: Vec<String> = cols
        .iter()
        .filter(|c| **c != "id")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    // `WHERE true` keeps SQLite from reading `ON CONFLICT` as part of the join.
    format!(
        "INSERT INTO {table} ({}, synced_at) SELECT {}, ?2 FROM jsonb_each(?1) WHERE true \
         ON CONFLICT (id) DO UPDATE SET {}, synced_at = excluded.synced_at \
         WHERE excluded.version >= {table}.version",
        cols.join(", "),
        values.join(", "),
        set.join(", ")
    )
}

/// The invoices of a JSON array (`?1`) whose version the desk now holds: their line items are
/// the ones in the array (replaying the same version writes the same items).
const APPLIED_INVOICES: &str = "jsonb_each(?1) j JOIN invoices i \
     ON i.id = j.value ->> '$.id' AND i.version = j.value ->> '$.version'";

fn line_items_sql() -> [String; 2] {
    [
        format!(
            "DELETE FROM invoice_line_items WHERE invoice_id IN (SELECT i.id FROM {APPLIED_INVOICES})"
        ),
        format!(
            "INSERT INTO invoice_line_items (id, invoice_id, description, quantity, unit_amount, \
             amount, period_start, period_end) \
             SELECT li.value ->> '$.id', i.id, li.value ->> '$.description', \
             li.value ->> '$.quantity', li.value ->> '$.unit_amount', li.value ->> '$.amount', \
             li.value ->> '$.period_start', li.value ->> '$.period_end' \
             FROM {APPLIED_INVOICES} JOIN jsonb_each(j.value, '$.line_items') li"
        ),
    ]
}

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
    // Entities in reference order (see `Entity`): within a page a record may come before one it
    // references, since the feed orders by commit. Each entity's records in feed order.
    let mut kept: Vec<&RawChange> = newest.into_values().collect();
    kept.sort_by_key(|c| (c.entity, c.seq));
    Ok(kept
        .chunk_by(|a, b| a.entity == b.entity)
        .map(|group| (group[0].entity, group.to_vec()))
        .collect())
}

fn json_array(records: &[&RawChange]) -> String {
    let mut out = String::with_capacity(
        records
            .iter()
            .map(|c| c.data.get().len() + 1)
            .sum::<usize>()
            + 2,
    );
    out.push('[');
    for (i, c) in records.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(c.data.get());
    }
    out.push(']');
    out
}

/// Applies one entity's records; returns how many desk rows changed.
async fn apply_group(tx: &mut Tx, entity: Entity, records: &[&RawChange], at: &str) -> Result<u64> {
    let (table, cols) = columns(entity);
    let json = json_array(records);
    let failed = |e: sqlx::Error| {
        Error::Unavailable(format!(
            "cannot apply the platform's {table} (changes {} to {}): {e}",
            records.first().map_or(0, |c| c.seq),
            records.last().map_or(0, |c| c.seq)
        ))
    };
    if entity != Entity::Invoice {
        return Ok(sqlx::query(sqlx::AssertSqlSafe(upsert_sql(table, cols)))
            .bind(&json)
            .bind(at)
            .execute(&mut **tx)
            .await
            .map_err(failed)?
            .rows_affected());
    }
    // Invoices take three statements over the same array (the invoices, then their line
    // items out and in): SQLite parses the text into its binary JSON once, not three times.
    let jsonb: Vec<u8> = sqlx::query_scalar("SELECT jsonb(?1)")
        .bind(&json)
        .fetch_one(&mut **tx)
        .await
        .map_err(failed)?;
    let changed = sqlx::query(sqlx::AssertSqlSafe(upsert_sql(table, cols)))
        .bind(&jsonb)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(failed)?
        .rows_affected();
    if changed > 0 {
        for sql in line_items_sql() {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(&jsonb)
                .execute(&mut **tx)
                .await
                .map_err(failed)?;
        }
    }
    Ok(changed)
}

/// Applies one page of the feed and moves the cursor to the page's, in one transaction.
/// Returns the desk rows that changed.
pub async fn apply_page(store: &Store, page: &RawChangesPage) -> Result<u64> {
    let groups = latest_by_entity(&page.changes)?;
    // Groups come in reference order, so foreign keys hold statement by statement. (Deferring
    // them with a pragma instead expires every statement the connection has prepared, so each
    // page's statements would be compiled again.)
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
/// Feed changes as the platform sends them, for the tests of pulling.
pub(super) mod fixtures {
    use countersign_model::sync::{Entity, RawChange, RawChangesPage};

    pub(crate) fn change(
        seq: i64,
        entity: Entity,
        id: &str,
        version: i64,
        data: &str,
    ) -> RawChange {
        RawChange {
            seq,
            entity,
            id: id.into(),
            version,
            data: serde_json::value::RawValue::from_string(data.into()).unwrap(),
        }
    }

    pub(crate) fn page(cursor: i64, changes: Vec<RawChange>) -> RawChangesPage {
        RawChangesPage {
            changes,
            cursor,
            has_more: false,
        }
    }

    pub(crate) fn invoice(
        seq: i64,
        version: i64,
        status: &str,
        items: &[(&str, i64)],
    ) -> RawChange {
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

    pub(crate) fn customer(seq: i64) -> RawChange {
        named_customer(seq, 1, "Anna Schmidt")
    }

    pub(crate) fn named_customer(seq: i64, version: i64, name: &str) -> RawChange {
        let data = serde_json::json!({
            "id": "cus_p", "external_id": "ext-p", "name": name, "email": "anna@example.com",
            "phone": null, "company": "Schmidt GmbH", "address_line1": null, "address_line2": null,
            "address_city": null, "address_state": null, "address_postal_code": null,
            "address_country": "DE", "timezone": null, "status": "active", "metadata": "{}",
            "created_at": "2025-01-01T00:00:00.000Z", "updated_at": "2025-01-01T00:00:00.000Z",
            "version": version
        });
        change(seq, Entity::Customer, "cus_p", version, &data.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn the_upsert_never_goes_back_a_version() {
        let sql = upsert_sql("wallets", columns(Entity::Wallet).1);
        assert!(
            sql.contains("WHERE excluded.version >= wallets.version"),
            "{sql}"
        );
        assert!(
            !sql.contains("id = excluded.id"),
            "the key is not rewritten: {sql}"
        );
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
        assert_eq!(json_array(&groups[0].1), r#"[{"v":2},{"b":1}]"#);
    }

    #[test]
    fn a_change_without_a_record_is_refused() {
        let page = [change(9, Entity::Customer, "cus_a", 1, "null")];
        assert!(latest_by_entity(&page).is_err());
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
