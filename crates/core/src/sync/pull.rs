//! Pull: the tenant's change feed into the desk. Each page is applied in one SQLite transaction
//! together with the new cursor, so a crash never leaves a cursor ahead of its data. A record is
//! replaced only by the same or a newer version, so replaying a page changes nothing.

use super::state;
use crate::store::{Tx, now, ts};
use crate::{Error, Result, Store};
use countersign_model::sync::{Change, ChangesPage, Entity};
use serde_json::Value;

/// The desk table and the columns the feed fills, per entity (`id` and `version` included).
fn columns(entity: Entity) -> (&'static str, &'static [&'static str]) {
    match entity {
        Entity::Customer => (
            "customers",
            &[
                "id",
                "external_id",
                "name",
                "email",
                "phone",
                "company",
                "address_line1",
                "address_line2",
                "address_city",
                "address_state",
                "address_postal_code",
                "address_country",
                "timezone",
                "status",
                "metadata",
                "created_at",
                "updated_at",
                "version",
            ],
        ),
        Entity::Subscription => (
            "subscriptions",
            &[
                "id",
                "customer_id",
                "plan_name",
                "status",
                "currency",
                "price",
                "billing_period",
                "current_period_start",
                "current_period_end",
                "cancel_at_period_end",
                "started_at",
                "cancelled_at",
                "updated_at",
                "version",
            ],
        ),
        Entity::Invoice => (
            "invoices",
            &[
                "id",
                "invoice_number",
                "customer_id",
                "subscription_id",
                "invoice_status",
                "payment_status",
                "invoice_type",
                "billing_reason",
                "currency",
                "amount_due",
                "amount_paid",
                "amount_remaining",
                "refunded_amount",
                "subtotal",
                "total_tax",
                "total",
                "issue_date",
                "due_date",
                "paid_at",
                "voided_at",
                "period_start",
                "period_end",
                "updated_at",
                "version",
            ],
        ),
        Entity::Payment => (
            "payments",
            &[
                "id",
                "customer_id",
                "invoice_id",
                "currency",
                "amount",
                "method",
                "payment_status",
                "error_message",
                "attempts",
                "refunded_amount",
                "created_at",
                "succeeded_at",
                "failed_at",
                "updated_at",
                "version",
            ],
        ),
        Entity::Wallet => (
            "wallets",
            &[
                "id",
                "customer_id",
                "currency",
                "balance",
                "status",
                "updated_at",
                "version",
            ],
        ),
        Entity::Ticket => (
            "tickets",
            &[
                "id",
                "customer_id",
                "subject",
                "status",
                "priority",
                "channel",
                "assignee",
                "language",
                "sla_due_at",
                "created_at",
                "updated_at",
                "version",
            ],
        ),
        Entity::Message => (
            "messages",
            &[
                "id",
                "ticket_id",
                "author_kind",
                "author_name",
                "body",
                "visibility",
                "created_at",
                "version",
            ],
        ),
        Entity::KbArticle => (
            "kb_articles",
            &[
                "id",
                "title",
                "body",
                "language",
                "tags",
                "updated_at",
                "version",
            ],
        ),
        Entity::Escalation => (
            "escalations",
            &[
                "id",
                "ticket_id",
                "reason",
                "proposed_action",
                "invoice_id",
                "currency",
                "amount",
                "status",
                "raised_by",
                "created_at",
                "decided_by",
                "decided_at",
                "decision_note",
                "version",
            ],
        ),
    }
}

fn upsert_sql(table: &str, cols: &[&str]) -> String {
    let marks = vec!["?"; cols.len() + 1].join(", ");
    let set: Vec<String> = cols
        .iter()
        .filter(|c| **c != "id")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO {table} ({}, synced_at) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET {}, \
         synced_at = excluded.synced_at WHERE excluded.version >= {table}.version",
        cols.join(", "),
        set.join(", ")
    )
}

/// Applies one change; returns whether the desk's row changed.
async fn apply(tx: &mut Tx, change: &Change, synced_at: &str) -> Result<bool> {
    let (table, cols) = columns(change.entity);
    let data = change.data.as_object().ok_or_else(|| {
        Error::Unavailable(format!(
            "the platform sent change {} without a record",
            change.seq
        ))
    })?;
    let sql = upsert_sql(table, cols);
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for c in cols {
        q = match data.get(*c) {
            None | Some(Value::Null) => q.bind(None::<String>),
            Some(Value::String(s)) => q.bind(s.clone()),
            Some(Value::Bool(b)) => q.bind(i64::from(*b)),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => q.bind(i),
                None => q.bind(n.as_f64()),
            },
            Some(v) => q.bind(v.to_string()),
        };
    }
    let changed = q
        .bind(synced_at)
        .execute(&mut **tx)
        .await
        .map_err(|e| {
            Error::Unavailable(format!(
                "cannot apply the platform's {} {} (change {}): {e}",
                table, change.id, change.seq
            ))
        })?
        .rows_affected()
        > 0;
    if changed && change.entity == Entity::Invoice {
        replace_line_items(tx, &change.id, data.get("line_items")).await?;
    }
    Ok(changed)
}

async fn replace_line_items(tx: &mut Tx, invoice: &str, items: Option<&Value>) -> Result<()> {
    sqlx::query("DELETE FROM invoice_line_items WHERE invoice_id = ?")
        .bind(invoice)
        .execute(&mut **tx)
        .await?;
    for item in items.and_then(Value::as_array).into_iter().flatten() {
        let s = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_owned);
        sqlx::query(
            "INSERT INTO invoice_line_items (id, invoice_id, description, quantity, unit_amount, \
             amount, period_start, period_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(s("id"))
        .bind(invoice)
        .bind(s("description"))
        .bind(s("quantity"))
        .bind(s("unit_amount"))
        .bind(item.get("amount").and_then(Value::as_i64))
        .bind(s("period_start"))
        .bind(s("period_end"))
        .execute(&mut **tx)
        .await
        .map_err(|e| {
            Error::Unavailable(format!(
                "cannot apply a line item of invoice {invoice}: {e}"
            ))
        })?;
    }
    Ok(())
}

/// Applies one page and moves the cursor, in one transaction. Returns the rows that changed.
pub(crate) async fn apply_page(store: &Store, page: &ChangesPage) -> Result<u64> {
    let mut tx = store.write().await?;
    // Within a page a record may arrive before one it references (the feed orders by commit,
    // not by reference); the checks run at commit.
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *tx)
        .await?;
    let at = ts(now());
    let mut changed = 0;
    for change in &page.changes {
        changed += u64::from(apply(&mut tx, change, &at).await?);
    }
    state::put(&mut *tx, state::CURSOR, &page.cursor.to_string()).await?;
    state::put(&mut *tx, state::LAST_PULL, &at).await?;
    tx.commit().await?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
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
}
