//! Invoices with their line items and payments; filtered, cursor-paginated lists.

use super::{Cols, clamp_limit, currency, int, json_records, money, opt_text, parse, text};
use crate::store::{date, now, parse_date, parse_date_opt, parse_ts, parse_ts_opt};
use crate::{Error, Result};
use chrono::NaiveDate;
use countersign_model::records::{
    BillingReason, CustomerStatus, CustomerSummary, Invoice, InvoiceDetail, InvoiceStatus,
    InvoiceSummary, InvoiceType, LineItem, Page, Payment, PaymentMethod, PaymentStatus,
};
use countersign_model::{Currency, CustomerId, InvoiceId, Money, PaymentId, SubscriptionId};
use sqlx::{QueryBuilder, Sqlite, SqliteExecutor, SqlitePool};

/// How a caller names an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceRef {
    Id(InvoiceId),
    Number(String),
}

impl std::fmt::Display for InvoiceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Number(n) => write!(f, "number {n:?}"),
        }
    }
}

/// Filters of an invoice list; all optional.
#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    pub customer_id: Option<CustomerId>,
    pub invoice_status: Option<InvoiceStatus>,
    pub payment_status: Option<PaymentStatus>,
    /// Issued on or after.
    pub issued_from: Option<NaiveDate>,
    /// Issued on or before.
    pub issued_to: Option<NaiveDate>,
    /// Only finalized, unpaid invoices past their due date.
    pub overdue_only: bool,
}

/// Calls `$then!` with the invoice columns [`invoice_from_row`] reads.
macro_rules! with_invoice_columns {
    ($then:ident) => {
        $then!(
            id invoice_number customer_id subscription_id invoice_status payment_status
            invoice_type billing_reason currency amount_due amount_paid amount_remaining
            refunded_amount subtotal total_tax total issue_date due_date paid_at voided_at
            period_start period_end version updated_at synced_at
        )
    };
}

/// `a, b, c` as a literal.
macro_rules! column_list {
    ($first:ident $($col:ident)*) => {
        concat!(stringify!($first) $(, ", ", stringify!($col))*)
    };
}

/// `json_object('a', a, 'b', b)` as a literal.
macro_rules! json_object_of {
    ($first:ident $($col:ident)*) => {
        concat!(
            "json_object('", stringify!($first), "', ", stringify!($first)
            $(, ", '", stringify!($col), "', ", stringify!($col))*, ")"
        )
    };
}

/// Calls `$then!` with the columns [`summary_from_row`] reads.
macro_rules! with_summary_columns {
    ($then:ident) => {
        $then!(
            id invoice_number customer_id invoice_status payment_status billing_reason currency
            total amount_paid amount_remaining refunded_amount issue_date due_date paid_at version
        )
    };
}

macro_rules! invoice_fields {
    () => {
        with_invoice_columns!(column_list)
    };
}

macro_rules! invoice_columns {
    () => {
        concat!("SELECT ", invoice_fields!(), " FROM invoices ")
    };
}

/// The invoice, its customer, line items and payments in one statement: the related rows come
/// back as JSON arrays, so a detail read crosses to SQLite's thread once, not four times.
macro_rules! invoice_detail {
    ($where:literal) => {
        concat!(
            "SELECT ",
            invoice_fields!(),
            ", (SELECT json_array(c.external_id, c.name, c.email, c.company, c.status) \
                FROM customers c WHERE c.id = invoices.customer_id) AS customer_json, \
              (SELECT json_group_array(json_array(id, description, quantity, unit_amount, amount, \
                      period_start, period_end)) \
                 FROM (SELECT * FROM invoice_line_items WHERE invoice_id = invoices.id \
                       ORDER BY rowid)) AS line_items_json, \
              (SELECT json_group_array(json_array(id, customer_id, invoice_id, currency, amount, \
                      method, payment_status, error_message, attempts, refunded_amount, \
                      created_at, succeeded_at, failed_at, version)) \
                 FROM (SELECT * FROM payments WHERE invoice_id = invoices.id \
                       ORDER BY created_at, id)) AS payments_json \
             FROM invoices ",
            $where
        )
    };
}

fn invoice_from_row(row: &impl Cols, today: NaiveDate) -> Result<Invoice> {
    let cur = currency(row, "currency")?;
    let invoice_status = parse(InvoiceStatus::parse(&text(row, "invoice_status")?))?;
    let amount_remaining = money(row, "amount_remaining", cur)?;
    let due_date = parse_date(&text(row, "due_date")?)?;
    Ok(Invoice {
        id: parse(InvoiceId::parse(&text(row, "id")?))?,
        invoice_number: text(row, "invoice_number")?,
        customer_id: parse(CustomerId::parse(&text(row, "customer_id")?))?,
        subscription_id: opt_text(row, "subscription_id")?
            .map(|s| parse(SubscriptionId::parse(&s)))
            .transpose()?,
        invoice_status,
        payment_status: parse(PaymentStatus::parse(&text(row, "payment_status")?))?,
        invoice_type: parse(InvoiceType::parse(&text(row, "invoice_type")?))?,
        billing_reason: parse(BillingReason::parse(&text(row, "billing_reason")?))?,
        currency: cur,
        amount_due: money(row, "amount_due", cur)?,
        amount_paid: money(row, "amount_paid", cur)?,
        amount_remaining,
        refunded_amount: money(row, "refunded_amount", cur)?,
        subtotal: money(row, "subtotal", cur)?,
        total_tax: money(row, "total_tax", cur)?,
        total: money(row, "total", cur)?,
        issue_date: parse_date(&text(row, "issue_date")?)?,
        due_date,
        paid_at: parse_ts_opt(opt_text(row, "paid_at")?.as_deref())?,
        voided_at: parse_ts_opt(opt_text(row, "voided_at")?.as_deref())?,
        period_start: parse_date_opt(opt_text(row, "period_start")?.as_deref())?,
        period_end: parse_date_opt(opt_text(row, "period_end")?.as_deref())?,
        overdue: overdue(invoice_status, amount_remaining, due_date, today),
        version: int(row, "version")?,
        updated_at: parse_ts(&text(row, "updated_at")?)?,
        synced_at: parse_ts_opt(opt_text(row, "synced_at")?.as_deref())?,
    })
}

/// Finalized, not fully paid, and past its due date.
fn overdue(status: InvoiceStatus, remaining: Money, due_date: NaiveDate, today: NaiveDate) -> bool {
    status == InvoiceStatus::Finalized && remaining.minor() > 0 && due_date < today
}

fn summary_from_row(row: &impl Cols, today: NaiveDate) -> Result<InvoiceSummary> {
    let cur = currency(row, "currency")?;
    let invoice_status = parse(InvoiceStatus::parse(&text(row, "invoice_status")?))?;
    let amount_remaining = money(row, "amount_remaining", cur)?;
    let due_date = parse_date(&text(row, "due_date")?)?;
    Ok(InvoiceSummary {
        id: parse(InvoiceId::parse(&text(row, "id")?))?,
        invoice_number: text(row, "invoice_number")?,
        customer_id: parse(CustomerId::parse(&text(row, "customer_id")?))?,
        invoice_status,
        payment_status: parse(PaymentStatus::parse(&text(row, "payment_status")?))?,
        billing_reason: parse(BillingReason::parse(&text(row, "billing_reason")?))?,
        total: money(row, "total", cur)?,
        amount_paid: money(row, "amount_paid", cur)?,
        amount_remaining,
        refunded_amount: money(row, "refunded_amount", cur)?,
        issue_date: parse_date(&text(row, "issue_date")?)?,
        due_date,
        paid_at: parse_ts_opt(opt_text(row, "paid_at")?.as_deref())?,
        overdue: overdue(invoice_status, amount_remaining, due_date, today),
        version: int(row, "version")?,
    })
}

/// One invoice, by id or invoice number.
pub async fn find(pool: &SqlitePool, by: &InvoiceRef) -> Result<Invoice> {
    let row = match by {
        InvoiceRef::Id(id) => {
            sqlx::query(concat!(invoice_columns!(), "WHERE id = ?"))
                .bind(id.as_str())
                .fetch_optional(pool)
                .await?
        }
        InvoiceRef::Number(n) => {
            sqlx::query(concat!(invoice_columns!(), "WHERE invoice_number = ?"))
                .bind(n.trim())
                .fetch_optional(pool)
                .await?
        }
    };
    let row = row.ok_or_else(|| Error::not_found("invoice", by))?;
    invoice_from_row(&row, now().date_naive())
}

/// An invoice with its customer, line items and payment attempts.
pub async fn detail(db: impl SqliteExecutor<'_>, by: &InvoiceRef) -> Result<InvoiceDetail> {
    let query = match by {
        InvoiceRef::Id(id) => sqlx::query(invoice_detail!("WHERE id = ?")).bind(id.as_str()),
        InvoiceRef::Number(n) => {
            sqlx::query(invoice_detail!("WHERE invoice_number = ?")).bind(n.trim())
        }
    };
    let row = query.fetch_optional(db).await?;
    let row = row.ok_or_else(|| Error::not_found("invoice", by))?;
    let invoice = invoice_from_row(&row, now().date_naive())?;
    let cur = invoice.currency;
    let json = |col: &str| -> Result<String> { text(&row, col) };
    let (external_id, name, email, company, status): CustomerTuple =
        parse(serde_json::from_str(&json("customer_json")?))?;
    let customer = CustomerSummary {
        id: invoice.customer_id.clone(),
        external_id,
        name,
        email,
        company,
        status: parse(CustomerStatus::parse(&status))?,
    };
    let line_items = parse(serde_json::from_str::<Vec<LineItemTuple>>(&json(
        "line_items_json",
    )?))?
    .into_iter()
    .map(
        |(id, description, quantity, unit_amount, amount, from, to)| {
            Ok(LineItem {
                id,
                description,
                quantity,
                unit_amount,
                amount: Money::from_minor(amount, cur),
                period_start: parse_date_opt(from.as_deref())?,
                period_end: parse_date_opt(to.as_deref())?,
            })
        },
    )
    .collect::<Result<Vec<_>>>()?;
    let payments = parse(serde_json::from_str::<Vec<PaymentTuple>>(&json(
        "payments_json",
    )?))?
    .into_iter()
    .map(payment_from_tuple)
    .collect::<Result<Vec<_>>>()?;
    Ok(InvoiceDetail {
        invoice,
        customer,
        line_items,
        payments,
    })
}

/// A customer summary as `json_array(external_id, name, email, company, status)`.
type CustomerTuple = (String, String, String, Option<String>, String);
/// A line item as `json_array(id, description, quantity, unit_amount, amount, period_start,
/// period_end)`.
type LineItemTuple = (
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
);
/// A payment as the `json_array` of [`invoice_detail!`], in `payments`' column order.
type PaymentTuple = (
    String,
    String,
    Option<String>,
    String,
    i64,
    String,
    String,
    Option<String>,
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    i64,
);

fn payment_from_tuple(p: PaymentTuple) -> Result<Payment> {
    let (id, customer, invoice, cur, amount, method, status, error_message, attempts, refunded) =
        (p.0, p.1, p.2, p.3, p.4, p.5, p.6, p.7, p.8, p.9);
    let cur = parse(Currency::parse(&cur))?;
    Ok(Payment {
        id: parse(PaymentId::parse(&id))?,
        customer_id: parse(CustomerId::parse(&customer))?,
        invoice_id: invoice.map(|s| parse(InvoiceId::parse(&s))).transpose()?,
        amount: Money::from_minor(amount, cur),
        method: parse(PaymentMethod::parse(&method))?,
        payment_status: parse(PaymentStatus::parse(&status))?,
        error_message,
        attempts,
        refunded_amount: Money::from_minor(refunded, cur),
        created_at: parse_ts(&p.10)?,
        succeeded_at: parse_ts_opt(p.11.as_deref())?,
        failed_at: parse_ts_opt(p.12.as_deref())?,
        version: p.13,
    })
}

/// A page cursor: the sort key of the last row returned (`issue_date`, `id`).
fn encode_cursor(issue_date: NaiveDate, id: &InvoiceId) -> String {
    format!("{}.{}", date(issue_date), id)
}

fn decode_cursor(cursor: &str) -> Result<(String, String)> {
    let bad = || Error::invalid(format!("cursor {cursor:?} is not one this desk issued"));
    let (d, id) = cursor.split_once('.').ok_or_else(bad)?;
    let d = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| bad())?;
    let id = InvoiceId::parse(id).map_err(|_| bad())?;
    Ok((date(d), id.to_string()))
}

/// Invoices matching `filter`, newest issue date first, `limit` at a time, as summaries.
pub async fn list(
    db: impl SqliteExecutor<'_>,
    filter: &InvoiceFilter,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<InvoiceSummary>> {
    let limit = clamp_limit(limit);
    if let (Some(from), Some(to)) = (filter.issued_from, filter.issued_to)
        && from > to
    {
        return Err(Error::invalid(format!(
            "date range is empty: from {from} is after to {to}"
        )));
    }
    let today = now().date_naive();
    // One row: the page as a JSON array (see `Cols`), in the page's order.
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(concat!(
        "SELECT json_group_array(",
        with_summary_columns!(json_object_of),
        " ORDER BY issue_date DESC, id DESC) AS page FROM (SELECT ",
        with_summary_columns!(column_list),
        " FROM invoices "
    ));
    q.push("WHERE 1 = 1");
    if let Some(c) = &filter.customer_id {
        q.push(" AND customer_id = ").push_bind(c.to_string());
    }
    if let Some(s) = filter.invoice_status {
        q.push(" AND invoice_status = ").push_bind(s.as_str());
    }
    if let Some(s) = filter.payment_status {
        q.push(" AND payment_status = ").push_bind(s.as_str());
    }
    if let Some(d) = filter.issued_from {
        q.push(" AND issue_date >= ").push_bind(date(d));
    }
    if let Some(d) = filter.issued_to {
        q.push(" AND issue_date <= ").push_bind(date(d));
    }
    if filter.overdue_only {
        q.push(" AND invoice_status = 'FINALIZED' AND amount_remaining > 0 AND due_date < ")
            .push_bind(date(today));
    }
    if let Some(cursor) = cursor {
        let (d, id) = decode_cursor(cursor)?;
        q.push(" AND (issue_date, id) < (")
            .push_bind(d)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    // The limit is written, not bound (see `clamp_limit`).
    q.push(" ORDER BY issue_date DESC, id DESC LIMIT ")
        .push(limit + 1)
        .push(")");
    let row = q.build().fetch_one(db).await?;
    let mut items = json_records(&row, "page")?
        .iter()
        .map(|r| summary_from_row(r, today))
        .collect::<Result<Vec<_>>>()?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|i| encode_cursor(i.issue_date, &i.id))
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}
