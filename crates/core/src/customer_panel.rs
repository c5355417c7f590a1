//! The customer panel beside a ticket: the customer's billing summary, newest invoices (overdue
//! flagged) and newest payments with the processor's failure reasons. Three bounded queries.

use crate::Result;
use crate::records::customers::{self, CustomerRef};
use crate::records::invoices::{self, InvoiceFilter};
use crate::records::{currency, int, money, opt_text, parse, text};
use crate::store::{parse_ts, parse_ts_opt};
use countersign_model::ipc::CustomerPanel;
use countersign_model::records::{Payment, PaymentMethod, PaymentStatus};
use countersign_model::{CustomerId, InvoiceId, PaymentId};
use sqlx::SqlitePool;
use sqlx::sqlite::SqliteRow;

/// How many invoices and payments the panel lists.
pub const PANEL_ROWS: i64 = 12;

pub async fn load(pool: &SqlitePool, id: &CustomerId) -> Result<CustomerPanel> {
    let filter = InvoiceFilter {
        customer_id: Some(id.clone()),
        ..InvoiceFilter::default()
    };
    let by = CustomerRef::Id(id.clone());
    let (detail, invoices, payments) = tokio::try_join!(
        customers::detail(pool, &by),
        invoices::list(pool, &filter, None, PANEL_ROWS),
        payments(pool, id, PANEL_ROWS),
    )?;
    Ok(CustomerPanel {
        detail,
        invoices: invoices.items,
        payments,
    })
}

/// The customer's newest payments.
pub async fn payments(pool: &SqlitePool, id: &CustomerId, limit: i64) -> Result<Vec<Payment>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, customer_id, invoice_id, currency, amount, method, payment_status, error_message, \
         attempts, refunded_amount, created_at, succeeded_at, failed_at, version \
         FROM payments WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT {}",
        crate::records::clamp_limit(limit)
    )))
    .bind(id.as_str())
    .fetch_all(pool)
    .await?
    .iter()
    .map(payment_from_row)
    .collect()
}

fn payment_from_row(row: &SqliteRow) -> Result<Payment> {
    let cur = currency(row, "currency")?;
    Ok(Payment {
        id: parse(PaymentId::parse(&text(row, "id")?))?,
        customer_id: parse(CustomerId::parse(&text(row, "customer_id")?))?,
        invoice_id: opt_text(row, "invoice_id")?
            .map(|s| parse(InvoiceId::parse(&s)))
            .transpose()?,
        amount: money(row, "amount", cur)?,
        method: parse(PaymentMethod::parse(&text(row, "method")?))?,
        payment_status: parse(PaymentStatus::parse(&text(row, "payment_status")?))?,
        error_message: opt_text(row, "error_message")?,
        attempts: int(row, "attempts")?,
        refunded_amount: money(row, "refunded_amount", cur)?,
        created_at: parse_ts(&text(row, "created_at")?)?,
        succeeded_at: parse_ts_opt(opt_text(row, "succeeded_at")?.as_deref())?,
        failed_at: parse_ts_opt(opt_text(row, "failed_at")?.as_deref())?,
        version: int(row, "version")?,
    })
}
