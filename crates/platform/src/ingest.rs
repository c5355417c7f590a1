//! Ingest from the systems around the platform, scoped to the caller's tenant:
//! - `POST /v1/ingest/messages`: a channel webhook. A customer's message continues the ticket
//!   named by `ticket_id` or `thread_key` (unless it is closed), else opens a new ticket; it bumps
//!   the ticket's version, which is what makes an older approved reply `stale`.
//! - `POST /v1/ingest/billing`: upserts customers, invoices (with line items) and payments in
//!   FlexPrice's field names, amounts as decimal strings. A record's `version` moves only when
//!   something in it changed, and only changed records enter the change feed.

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::feed::Changed;
use crate::{AppState, JsonBody, new_id};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use countersign_model::records::{
    Channel, CustomerStatus, InvoiceStatus, InvoiceType, PaymentMethod, PaymentStatus,
};
use countersign_model::sync::Entity;
use countersign_model::{
    Currency, CustomerId, ErrorCode, InvoiceId, MessageId, Money, PaymentId, TicketId,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::PgConnection;
use std::collections::HashSet;

/// Maps a constraint violation of an ingest to a caller's error; anything else stays internal.
fn constraint_error(e: sqlx::Error) -> Error {
    if let sqlx::Error::Database(d) = &e {
        let detail = d.constraint().unwrap_or("a constraint").to_owned();
        match d.code().as_deref() {
            Some("23505") => {
                return Error::new(
                    ErrorCode::Conflict,
                    format!("a record clashes with another one ({detail})"),
                );
            }
            Some("23503") => {
                return Error::invalid(format!(
                    "a record references one that does not exist ({detail})"
                ));
            }
            Some("23514") => return Error::invalid(format!("a value is out of range ({detail})")),
            _ => {}
        }
    }
    e.into()
}

#[derive(Debug, Deserialize)]
pub struct InboundCustomer {
    pub email: String,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// `POST /v1/ingest/messages` request.
#[derive(Debug, Deserialize)]
pub struct InboundMessage {
    pub customer: InboundCustomer,
    pub subject: String,
    pub body: String,
    /// Continue this ticket.
    #[serde(default)]
    pub ticket_id: Option<String>,
    /// Continue the ticket of this channel thread (e.g. an email's thread id).
    #[serde(default)]
    pub thread_key: Option<String>,
    /// The message's id (`msg_…`); a redelivery with the same id changes nothing.
    #[serde(default)]
    pub message_id: Option<String>,
    #[serde(default = "default_channel")]
    pub channel: Channel,
    #[serde(default)]
    pub language: Option<String>,
}

fn default_channel() -> Channel {
    Channel::Email
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Ingested {
    pub customer_id: String,
    pub ticket_id: String,
    pub message_id: String,
    pub ticket_version: i64,
    pub created_ticket: bool,
    /// The message was delivered before; nothing changed.
    pub duplicate: bool,
}

fn text(what: &str, v: &str, max: usize) -> Result<()> {
    if v.trim().is_empty() || v.chars().count() > max {
        return Err(Error::invalid(format!(
            "{what} must be 1 to {max} characters"
        )));
    }
    Ok(())
}

/// `POST /v1/ingest/messages`.
pub async fn post_message(
    caller: Caller,
    State(state): State<AppState>,
    JsonBody(m): JsonBody<InboundMessage>,
) -> Result<Json<Ingested>> {
    text("customer.email", &m.customer.email, 320)?;
    if !m.customer.email.contains('@') {
        return Err(Error::invalid("customer.email must be an email address"));
    }
    text("subject", &m.subject, 500)?;
    text("body", &m.body, 100_000)?;
    if let Some(id) = &m.ticket_id {
        TicketId::parse(id)?;
    }
    if let Some(id) = &m.message_id {
        MessageId::parse(id)?;
    }
    if let Some(k) = &m.thread_key {
        text("thread_key", k, 500)?;
    }
    let t = caller.tenant_id.as_str();
    let mut tx = state.pool.begin().await?;
    if let Some(id) = &m.message_id {
        let seen: Option<(String, String)> = sqlx::query_as(
            "SELECT m.ticket_id, t.customer_id FROM messages m
             JOIN tickets t ON t.tenant_id = m.tenant_id AND t.id = m.ticket_id
             WHERE m.tenant_id = $1 AND m.id = $2",
        )
        .bind(t)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((ticket_id, customer_id)) = seen {
            let version =
                sqlx::query_scalar("SELECT version FROM tickets WHERE tenant_id = $1 AND id = $2")
                    .bind(t)
                    .bind(&ticket_id)
                    .fetch_one(&mut *tx)
                    .await?;
            return Ok(Json(Ingested {
                customer_id,
                ticket_id,
                message_id: id.clone(),
                ticket_version: version,
                created_ticket: false,
                duplicate: true,
            }));
        }
    }
    let mut changed = Changed::default();
    let (customer_id, customer_name) =
        find_or_create_customer(&mut tx, t, &m.customer, &mut changed).await?;
    let existing: Option<(String, String)> = match (&m.ticket_id, &m.thread_key) {
        (Some(id), _) => Some(
            sqlx::query_as(
                "SELECT id, status FROM tickets WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
            )
            .bind(t)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found("ticket", id))?,
        ),
        (None, Some(key)) => sqlx::query_as(
            "SELECT id, status FROM tickets WHERE tenant_id = $1 AND thread_key = $2 FOR UPDATE",
        )
        .bind(t)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?,
        (None, None) => None,
    };
    let (ticket_id, version, created) = match existing {
        Some((id, status)) if status != "closed" => {
            let version: i64 = sqlx::query_scalar(
                "UPDATE tickets SET status = 'open', version = version + 1, updated_at = now()
                 WHERE tenant_id = $1 AND id = $2 RETURNING version",
            )
            .bind(t)
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
            (id, version, false)
        }
        closed => {
            if let Some((old, _)) = closed {
                // A closed ticket stays closed; the thread moves on to a new ticket.
                sqlx::query(
                    "UPDATE tickets SET thread_key = NULL WHERE tenant_id = $1 AND id = $2",
                )
                .bind(t)
                .bind(&old)
                .execute(&mut *tx)
                .await?;
            }
            let id = new_id("tkt_");
            sqlx::query(
                "INSERT INTO tickets (tenant_id, id, customer_id, subject, status, priority, channel,
                                      language, created_at, updated_at, thread_key)
                 VALUES ($1, $2, $3, $4, 'open', 'normal', $5, $6, now(), now(), $7)",
            )
            .bind(t)
            .bind(&id)
            .bind(&customer_id)
            .bind(m.subject.trim())
            .bind(m.channel.as_str())
            .bind(m.language.as_deref().unwrap_or("en"))
            .bind(&m.thread_key)
            .execute(&mut *tx)
            .await?;
            (id, 1, true)
        }
    };
    let message_id = m.message_id.clone().unwrap_or_else(|| new_id("msg_"));
    sqlx::query(
        "INSERT INTO messages (tenant_id, id, ticket_id, author_kind, author_name, body, visibility,
                               created_at, ticket_version)
         VALUES ($1, $2, $3, 'customer', $4, $5, 'public', now(), $6)",
    )
    .bind(t)
    .bind(&message_id)
    .bind(&ticket_id)
    .bind(&customer_name)
    .bind(&m.body)
    .bind(version)
    .execute(&mut *tx)
    .await
    .map_err(constraint_error)?;
    changed.push(Entity::Ticket, &ticket_id);
    changed.push(Entity::Message, &message_id);
    changed.record(&mut tx, t).await?;
    tx.commit().await.map_err(constraint_error)?;
    Ok(Json(Ingested {
        customer_id,
        ticket_id,
        message_id,
        ticket_version: version,
        created_ticket: created,
        duplicate: false,
    }))
}

async fn find_or_create_customer(
    tx: &mut PgConnection,
    tenant_id: &str,
    c: &InboundCustomer,
    changed: &mut Changed,
) -> Result<(String, String)> {
    let found: Option<(String, String)> =
        match &c.external_id {
            Some(ext) => {
                sqlx::query_as(
                    "SELECT id, name FROM customers WHERE tenant_id = $1 AND external_id = $2",
                )
                .bind(tenant_id)
                .bind(ext)
                .fetch_optional(&mut *tx)
                .await?
            }
            None => sqlx::query_as(
                "SELECT id, name FROM customers WHERE tenant_id = $1 AND lower(email) = lower($2)
                 ORDER BY created_at LIMIT 1",
            )
            .bind(tenant_id)
            .bind(c.email.trim())
            .fetch_optional(&mut *tx)
            .await?,
        };
    if let Some(found) = found {
        return Ok(found);
    }
    let id = new_id("cus_");
    let email = c.email.trim();
    let name = c
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| email.split('@').next().unwrap_or(email))
        .to_owned();
    sqlx::query(
        "INSERT INTO customers (tenant_id, id, external_id, name, email, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'active', now(), now())",
    )
    .bind(tenant_id)
    .bind(&id)
    .bind(c.external_id.as_deref().unwrap_or(email))
    .bind(&name)
    .bind(email)
    .execute(&mut *tx)
    .await
    .map_err(constraint_error)?;
    changed.push(Entity::Customer, &id);
    Ok((id, name))
}

/// A customer as FlexPrice sends it.
#[derive(Debug, Deserialize, Serialize)]
pub struct CustomerIn {
    pub id: CustomerId,
    pub external_id: String,
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub address_line1: Option<String>,
    #[serde(default)]
    pub address_line2: Option<String>,
    #[serde(default)]
    pub address_city: Option<String>,
    #[serde(default)]
    pub address_state: Option<String>,
    #[serde(default)]
    pub address_postal_code: Option<String>,
    #[serde(default)]
    pub address_country: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default = "active")]
    pub status: CustomerStatus,
    #[serde(default = "empty_object")]
    pub metadata: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn active() -> CustomerStatus {
    CustomerStatus::Active
}

fn empty_object() -> Value {
    json!({})
}

/// An invoice line item as FlexPrice sends it (amount as a decimal string).
#[derive(Debug, Deserialize)]
pub struct LineItemIn {
    pub id: String,
    pub description: String,
    pub quantity: String,
    pub unit_amount: String,
    pub amount: String,
    #[serde(default)]
    pub period_start: Option<NaiveDate>,
    #[serde(default)]
    pub period_end: Option<NaiveDate>,
}

/// An invoice as FlexPrice sends it: amounts are decimal strings in `currency`.
#[derive(Debug, Deserialize)]
pub struct InvoiceIn {
    pub id: InvoiceId,
    pub invoice_number: String,
    pub customer_id: CustomerId,
    #[serde(default)]
    pub subscription_id: Option<String>,
    pub invoice_status: InvoiceStatus,
    pub payment_status: PaymentStatus,
    pub invoice_type: InvoiceType,
    pub billing_reason: String,
    pub currency: Currency,
    pub amount_due: String,
    pub amount_paid: String,
    pub amount_remaining: String,
    #[serde(default)]
    pub refunded_amount: Option<String>,
    pub subtotal: String,
    pub total_tax: String,
    pub total: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    #[serde(default)]
    pub paid_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub voided_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub period_start: Option<NaiveDate>,
    #[serde(default)]
    pub period_end: Option<NaiveDate>,
    #[serde(default)]
    pub line_items: Vec<LineItemIn>,
    pub updated_at: DateTime<Utc>,
}

/// A payment as FlexPrice sends it.
#[derive(Debug, Deserialize)]
pub struct PaymentIn {
    pub id: PaymentId,
    pub customer_id: CustomerId,
    #[serde(default)]
    pub invoice_id: Option<InvoiceId>,
    pub currency: Currency,
    pub amount: String,
    pub method: PaymentMethod,
    pub payment_status: PaymentStatus,
    #[serde(default)]
    pub error_message: Option<String>,
    #[serde(default = "one")]
    pub attempts: i32,
    #[serde(default)]
    pub refunded_amount: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub succeeded_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub failed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

fn one() -> i32 {
    1
}

/// `POST /v1/ingest/billing` request.
#[derive(Debug, Deserialize)]
pub struct BillingBatch {
    #[serde(default)]
    pub customers: Vec<CustomerIn>,
    #[serde(default)]
    pub invoices: Vec<InvoiceIn>,
    #[serde(default)]
    pub payments: Vec<PaymentIn>,
}

/// What a billing ingest changed: the ids whose version moved (new or different), per kind.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct BillingIngested {
    pub customers: Vec<String>,
    pub invoices: Vec<String>,
    pub payments: Vec<String>,
    /// The tenant's cursor after the ingest (unchanged when nothing changed).
    pub cursor: Option<i64>,
}

fn minor(what: &str, amount: &str, currency: Currency) -> Result<i64> {
    Money::parse(amount, currency)
        .map(Money::minor)
        .map_err(|e| Error::invalid(format!("{what}: {e}")))
}

fn unique_ids<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(Error::invalid(format!(
                "{what} {id} appears twice in one batch"
            )));
        }
    }
    Ok(())
}

const MAX_BILLING_RECORDS: usize = 10_000;

const UPSERT_CUSTOMERS: &str = "
INSERT INTO customers AS c (tenant_id, id, external_id, name, email, phone, company, address_line1,
    address_line2, address_city, address_state, address_postal_code, address_country, timezone, status,
    metadata, created_at, updated_at)
SELECT $1, r.* FROM jsonb_to_recordset($2) AS r (id text, external_id text, name text, email text,
    phone text, company text, address_line1 text, address_line2 text, address_city text,
    address_state text, address_postal_code text, address_country text, timezone text, status text,
    metadata jsonb, created_at timestamptz, updated_at timestamptz)
ON CONFLICT (tenant_id, id) DO UPDATE SET external_id = EXCLUDED.external_id, name = EXCLUDED.name,
    email = EXCLUDED.email, phone = EXCLUDED.phone, company = EXCLUDED.company,
    address_line1 = EXCLUDED.address_line1, address_line2 = EXCLUDED.address_line2,
    address_city = EXCLUDED.address_city, address_state = EXCLUDED.address_state,
    address_postal_code = EXCLUDED.address_postal_code, address_country = EXCLUDED.address_country,
    timezone = EXCLUDED.timezone, status = EXCLUDED.status, metadata = EXCLUDED.metadata,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, version = c.version + 1
WHERE (c.external_id, c.name, c.email, c.phone, c.company, c.address_line1, c.address_line2,
       c.address_city, c.address_state, c.address_postal_code, c.address_country, c.timezone,
       c.status, c.metadata, c.created_at, c.updated_at)
  IS DISTINCT FROM
      (EXCLUDED.external_id, EXCLUDED.name, EXCLUDED.email, EXCLUDED.phone, EXCLUDED.company,
       EXCLUDED.address_line1, EXCLUDED.address_line2, EXCLUDED.address_city, EXCLUDED.address_state,
       EXCLUDED.address_postal_code, EXCLUDED.address_country, EXCLUDED.timezone, EXCLUDED.status,
       EXCLUDED.metadata, EXCLUDED.created_at, EXCLUDED.updated_at)
RETURNING id";

const UPSERT_INVOICES: &str = "
INSERT INTO invoices AS i (tenant_id, id, invoice_number, customer_id, subscription_id, invoice_status,
    payment_status, invoice_type, billing_reason, currency, amount_due, amount_paid, amount_remaining,
    refunded_amount, subtotal, total_tax, total, issue_date, due_date, paid_at, voided_at, period_start,
    period_end, line_items, updated_at)
SELECT $1, r.* FROM jsonb_to_recordset($2) AS r (id text, invoice_number text, customer_id text,
    subscription_id text, invoice_status text, payment_status text, invoice_type text,
    billing_reason text, currency text, amount_due bigint, amount_paid bigint, amount_remaining bigint,
    refunded_amount bigint, subtotal bigint, total_tax bigint, total bigint, issue_date date,
    due_date date, paid_at timestamptz, voided_at timestamptz, period_start date, period_end date,
    line_items jsonb, updated_at timestamptz)
ON CONFLICT (tenant_id, id) DO UPDATE SET invoice_number = EXCLUDED.invoice_number,
    customer_id = EXCLUDED.customer_id, subscription_id = EXCLUDED.subscription_id,
    invoice_status = EXCLUDED.invoice_status, payment_status = EXCLUDED.payment_status,
    invoice_type = EXCLUDED.invoice_type, billing_reason = EXCLUDED.billing_reason,
    currency = EXCLUDED.currency, amount_due = EXCLUDED.amount_due, amount_paid = EXCLUDED.amount_paid,
    amount_remaining = EXCLUDED.amount_remaining, refunded_amount = EXCLUDED.refunded_amount,
    subtotal = EXCLUDED.subtotal, total_tax = EXCLUDED.total_tax, total = EXCLUDED.total,
    issue_date = EXCLUDED.issue_date, due_date = EXCLUDED.due_date, paid_at = EXCLUDED.paid_at,
    voided_at = EXCLUDED.voided_at, period_start = EXCLUDED.period_start,
    period_end = EXCLUDED.period_end, line_items = EXCLUDED.line_items,
    updated_at = EXCLUDED.updated_at, version = i.version + 1
WHERE (i.invoice_number, i.customer_id, i.subscription_id, i.invoice_status, i.payment_status,
       i.invoice_type, i.billing_reason, i.currency, i.amount_due, i.amount_paid, i.amount_remaining,
       i.refunded_amount, i.subtotal, i.total_tax, i.total, i.issue_date, i.due_date, i.paid_at,
       i.voided_at, i.period_start, i.period_end, i.line_items, i.updated_at)
  IS DISTINCT FROM
      (EXCLUDED.invoice_number, EXCLUDED.customer_id, EXCLUDED.subscription_id,
       EXCLUDED.invoice_status, EXCLUDED.payment_status, EXCLUDED.invoice_type,
       EXCLUDED.billing_reason, EXCLUDED.currency, EXCLUDED.amount_due, EXCLUDED.amount_paid,
       EXCLUDED.amount_remaining, EXCLUDED.refunded_amount, EXCLUDED.subtotal, EXCLUDED.total_tax,
       EXCLUDED.total, EXCLUDED.issue_date, EXCLUDED.due_date, EXCLUDED.paid_at, EXCLUDED.voided_at,
       EXCLUDED.period_start, EXCLUDED.period_end, EXCLUDED.line_items, EXCLUDED.updated_at)
RETURNING id";

const UPSERT_PAYMENTS: &str = "
INSERT INTO payments AS p (tenant_id, id, customer_id, invoice_id, currency, amount, method,
    payment_status, error_message, attempts, refunded_amount, created_at, succeeded_at, failed_at,
    updated_at)
SELECT $1, r.* FROM jsonb_to_recordset($2) AS r (id text, customer_id text, invoice_id text,
    currency text, amount bigint, method text, payment_status text, error_message text, attempts int,
    refunded_amount bigint, created_at timestamptz, succeeded_at timestamptz, failed_at timestamptz,
    updated_at timestamptz)
ON CONFLICT (tenant_id, id) DO UPDATE SET customer_id = EXCLUDED.customer_id,
    invoice_id = EXCLUDED.invoice_id, currency = EXCLUDED.currency, amount = EXCLUDED.amount,
    method = EXCLUDED.method, payment_status = EXCLUDED.payment_status,
    error_message = EXCLUDED.error_message, attempts = EXCLUDED.attempts,
    refunded_amount = EXCLUDED.refunded_amount, created_at = EXCLUDED.created_at,
    succeeded_at = EXCLUDED.succeeded_at, failed_at = EXCLUDED.failed_at,
    updated_at = EXCLUDED.updated_at, version = p.version + 1
WHERE (p.customer_id, p.invoice_id, p.currency, p.amount, p.method, p.payment_status, p.error_message,
       p.attempts, p.refunded_amount, p.created_at, p.succeeded_at, p.failed_at, p.updated_at)
  IS DISTINCT FROM
      (EXCLUDED.customer_id, EXCLUDED.invoice_id, EXCLUDED.currency, EXCLUDED.amount, EXCLUDED.method,
       EXCLUDED.payment_status, EXCLUDED.error_message, EXCLUDED.attempts, EXCLUDED.refunded_amount,
       EXCLUDED.created_at, EXCLUDED.succeeded_at, EXCLUDED.failed_at, EXCLUDED.updated_at)
RETURNING id";

fn invoice_row(i: &InvoiceIn) -> Result<Value> {
    let c = i.currency;
    let what = |field: &str| format!("invoice {} {field}", i.id);
    let items = i
        .line_items
        .iter()
        .map(|li| {
            text("line item id", &li.id, 64)?;
            Ok(json!({
                "id": li.id, "description": li.description, "quantity": li.quantity,
                "unit_amount": li.unit_amount, "amount": minor(&what("line item amount"), &li.amount, c)?,
                "period_start": li.period_start, "period_end": li.period_end,
            }))
        })
        .collect::<Result<Vec<_>>>()?;
    text("invoice_number", &i.invoice_number, 100)?;
    Ok(json!({
        "id": i.id, "invoice_number": i.invoice_number, "customer_id": i.customer_id,
        "subscription_id": i.subscription_id, "invoice_status": i.invoice_status,
        "payment_status": i.payment_status, "invoice_type": i.invoice_type,
        "billing_reason": i.billing_reason, "currency": c,
        "amount_due": minor(&what("amount_due"), &i.amount_due, c)?,
        "amount_paid": minor(&what("amount_paid"), &i.amount_paid, c)?,
        "amount_remaining": minor(&what("amount_remaining"), &i.amount_remaining, c)?,
        "refunded_amount": minor(&what("refunded_amount"), i.refunded_amount.as_deref().unwrap_or("0"), c)?,
        "subtotal": minor(&what("subtotal"), &i.subtotal, c)?,
        "total_tax": minor(&what("total_tax"), &i.total_tax, c)?,
        "total": minor(&what("total"), &i.total, c)?,
        "issue_date": i.issue_date, "due_date": i.due_date, "paid_at": i.paid_at,
        "voided_at": i.voided_at, "period_start": i.period_start, "period_end": i.period_end,
        "line_items": items, "updated_at": i.updated_at,
    }))
}

fn payment_row(p: &PaymentIn) -> Result<Value> {
    let c = p.currency;
    let what = |field: &str| format!("payment {} {field}", p.id);
    Ok(json!({
        "id": p.id, "customer_id": p.customer_id, "invoice_id": p.invoice_id, "currency": c,
        "amount": minor(&what("amount"), &p.amount, c)?, "method": p.method,
        "payment_status": p.payment_status, "error_message": p.error_message, "attempts": p.attempts,
        "refunded_amount": minor(&what("refunded_amount"), p.refunded_amount.as_deref().unwrap_or("0"), c)?,
        "created_at": p.created_at, "succeeded_at": p.succeeded_at, "failed_at": p.failed_at,
        "updated_at": p.updated_at,
    }))
}

async fn upsert(
    tx: &mut PgConnection,
    sql: &'static str,
    tenant_id: &str,
    rows: Vec<Value>,
) -> Result<Vec<String>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    sqlx::query_scalar(sql)
        .bind(tenant_id)
        .bind(Value::Array(rows))
        .fetch_all(&mut *tx)
        .await
        .map_err(constraint_error)
}

/// `POST /v1/ingest/billing`: one transaction for the whole batch.
pub async fn post_billing(
    caller: Caller,
    State(state): State<AppState>,
    JsonBody(b): JsonBody<BillingBatch>,
) -> Result<Json<BillingIngested>> {
    let total = b.customers.len() + b.invoices.len() + b.payments.len();
    if total > MAX_BILLING_RECORDS {
        return Err(Error::invalid(format!(
            "a billing batch holds at most {MAX_BILLING_RECORDS} records, got {total}"
        )));
    }
    unique_ids("customer", b.customers.iter().map(|c| c.id.as_str()))?;
    unique_ids("invoice", b.invoices.iter().map(|i| i.id.as_str()))?;
    unique_ids("payment", b.payments.iter().map(|p| p.id.as_str()))?;
    for c in &b.customers {
        text("customer name", &c.name, 500)?;
        text("customer email", &c.email, 320)?;
        text("customer external_id", &c.external_id, 200)?;
    }
    let customers = b
        .customers
        .iter()
        .map(|c| serde_json::to_value(c).map_err(|e| Error::invalid(e.to_string())))
        .collect::<Result<Vec<_>>>()?;
    let invoices = b
        .invoices
        .iter()
        .map(invoice_row)
        .collect::<Result<Vec<_>>>()?;
    let payments = b
        .payments
        .iter()
        .map(payment_row)
        .collect::<Result<Vec<_>>>()?;

    let t = caller.tenant_id.as_str();
    let mut tx = state.pool.begin().await?;
    let mut out = BillingIngested {
        customers: upsert(&mut tx, UPSERT_CUSTOMERS, t, customers).await?,
        invoices: upsert(&mut tx, UPSERT_INVOICES, t, invoices).await?,
        payments: upsert(&mut tx, UPSERT_PAYMENTS, t, payments).await?,
        cursor: None,
    };
    let mut changed = Changed::default();
    for id in &out.customers {
        changed.push(Entity::Customer, id);
    }
    for id in &out.invoices {
        changed.push(Entity::Invoice, id);
    }
    for id in &out.payments {
        changed.push(Entity::Payment, id);
    }
    out.cursor = changed.record(&mut tx, t).await?;
    tx.commit().await.map_err(constraint_error)?;
    Ok(Json(out))
}
