//! The escalation queue: escalations with the context a supervisor decides on — the ticket's
//! subject, the customer, the invoice's printed number, the other escalations pending on the
//! same invoice — in one query.

use crate::Result;
use crate::workflow::escalations;
use countersign_model::ipc::EscalationRow;
use countersign_model::workflow::EscalationStatus;
use sqlx::{Row, SqlitePool};
use std::collections::HashMap;

/// The most escalations the queue shows.
pub const QUEUE_LIMIT: i64 = 100;

/// Escalations in `status` (all when `None`), oldest first, with their context.
pub async fn list(
    pool: &SqlitePool,
    status: Option<EscalationStatus>,
) -> Result<Vec<EscalationRow>> {
    let items = escalations::list(pool, status, QUEUE_LIMIT).await?;
    let ids: Vec<&str> = items.iter().map(|e| e.id.as_str()).collect();
    // One statement for the context of every row (no N+1): ids travel as a JSON array.
    let rows = sqlx::query(
        "SELECT e.id, t.subject, c.name, i.invoice_number, \
           (SELECT COUNT(*) FROM escalations o WHERE o.invoice_id = e.invoice_id AND o.id <> e.id \
              AND o.status = 'pending') AS others FROM escalations e \
         JOIN tickets t ON t.id = e.ticket_id JOIN customers c ON c.id = t.customer_id \
         LEFT JOIN invoices i ON i.id = e.invoice_id \
         WHERE e.id IN (SELECT value FROM json_each(?))",
    )
    .bind(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()))
    .fetch_all(pool)
    .await?;
    let mut context: HashMap<String, (String, String, Option<String>, i64)> = HashMap::new();
    for row in &rows {
        context.insert(
            row.try_get("id")?,
            (
                row.try_get("subject")?,
                row.try_get("name")?,
                row.try_get("invoice_number")?,
                row.try_get("others")?,
            ),
        );
    }
    Ok(items
        .into_iter()
        .map(|escalation| {
            let (ticket_subject, customer_name, invoice_number, others_pending_on_invoice) =
                context.remove(escalation.id.as_str()).unwrap_or_default();
            EscalationRow {
                escalation,
                ticket_subject,
                customer_name,
                invoice_number,
                others_pending_on_invoice,
            }
        })
        .collect())
}
