//! `POST /v1/ingest/billing`: upserts customers, subscriptions, invoices (with line items),
//! payments and wallets in FlexPrice's field names, amounts as decimal strings, in one
//! transaction. A record's `version`
//! moves only when something in it changed, and only changed records enter the change feed.

use super::dates::{Date, Timestamp};
use super::sql::{
    UPSERT_CUSTOMERS, UPSERT_INVOICES, UPSERT_PAYMENTS, UPSERT_SUBSCRIPTIONS, UPSERT_WALLETS,
};
use super::{MAX_BATCH_RECORDS, bounded, constraint_error, text, unique_ids};
use crate::AppState;
use crate::JsonBody;
use crate::auth::Integration;
use crate::error::{Error, Result};
use crate::feed::Changed;
use axum::Json;
use axum::extract::State;
use countersign_model::records::{
    BillingPeriod, CustomerStatus, InvoiceStatus, InvoiceType, PaymentMethod, PaymentStatus,
    SubscriptionStatus,
};
use countersign_model::sync::Entity;
use countersign_model::{
    Currency, CustomerId, InvoiceId, Money, PaymentId, SubscriptionId, WalletId,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::PgConnection;

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
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
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
    pub period_start: Option<Date>,
    #[serde(default)]
    pub period_end: Option<Date>,
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
    pub issue_date: Date,
    pub due_date: Date,
    #[serde(default)]
    pub paid_at: Option<Timestamp>,
    #[serde(default)]
    pub voided_at: Option<Timestamp>,
    #[serde(default)]
    pub period_start: Option<Date>,
    #[serde(default)]
    pub period_end: Option<Date>,
    #[serde(default)]
    pub line_items: Vec<LineItemIn>,
    pub updated_at: Timestamp,
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
    pub created_at: Timestamp,
    #[serde(default)]
    pub succeeded_at: Option<Timestamp>,
    #[serde(default)]
    pub failed_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

fn one() -> i32 {
    1
}

/// A subscription as FlexPrice sends it (price as a decimal string).
#[derive(Debug, Deserialize)]
pub struct SubscriptionIn {
    pub id: SubscriptionId,
    pub customer_id: CustomerId,
    pub plan_name: String,
    pub subscription_status: SubscriptionStatus,
    pub currency: Currency,
    pub price: String,
    pub billing_period: BillingPeriod,
    pub current_period_start: Date,
    pub current_period_end: Date,
    #[serde(default)]
    pub cancel_at_period_end: bool,
    pub start_date: Timestamp,
    #[serde(default)]
    pub cancelled_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

/// A customer's prepaid wallet as FlexPrice sends it (balance as a decimal string).
#[derive(Debug, Deserialize)]
pub struct WalletIn {
    pub id: WalletId,
    pub customer_id: CustomerId,
    pub currency: Currency,
    pub balance: String,
    /// FlexPrice's `wallet_status`, e.g. `active`, `frozen`, `closed`.
    pub wallet_status: String,
    pub updated_at: Timestamp,
}

/// `POST /v1/ingest/billing` request.
#[derive(Debug, Deserialize)]
pub struct BillingBatch {
    #[serde(default)]
    pub customers: Vec<CustomerIn>,
    #[serde(default)]
    pub subscriptions: Vec<SubscriptionIn>,
    #[serde(default)]
    pub invoices: Vec<InvoiceIn>,
    #[serde(default)]
    pub payments: Vec<PaymentIn>,
    #[serde(default)]
    pub wallets: Vec<WalletIn>,
}

/// What a billing ingest changed: the ids whose version moved (new or different), per kind.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct BillingIngested {
    pub customers: Vec<String>,
    #[serde(default)]
    pub subscriptions: Vec<String>,
    pub invoices: Vec<String>,
    pub payments: Vec<String>,
    #[serde(default)]
    pub wallets: Vec<String>,
    /// The tenant's cursor after the ingest (unchanged when nothing changed).
    pub cursor: Option<i64>,
}

fn minor(what: &str, amount: &str, currency: Currency) -> Result<i64> {
    Money::parse(amount, currency)
        .map(Money::minor)
        .map_err(|e| Error::invalid(format!("{what}: {e}")))
}

/// An amount the billing system never has below zero (totals, payments, balances, prices).
fn non_negative(what: &str, amount: &str, currency: Currency) -> Result<i64> {
    let m = minor(what, amount, currency)?;
    if m < 0 {
        return Err(Error::invalid(format!(
            "{what} must not be negative, got {amount:?}"
        )));
    }
    Ok(m)
}

/// A decimal that is not money (a quantity, a unit price of metered usage): digits with an
/// optional point, at most 32 characters, not negative.
fn decimal(what: &str, v: &str) -> Result<()> {
    let (whole, fraction) = v.split_once('.').unwrap_or((v, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let ok = v.len() <= 32
        && !whole.is_empty()
        && digits(whole)
        && digits(fraction)
        && !(v.contains('.') && fraction.is_empty());
    if !ok {
        return Err(Error::invalid(format!(
            "{what} must be a non-negative decimal such as \"1\" or \"0.25\", got {v:.40?}"
        )));
    }
    Ok(())
}

fn ordered<T: PartialOrd + std::fmt::Debug>(
    what: &str,
    start: Option<T>,
    end: Option<T>,
) -> Result<()> {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(Error::invalid(format!("{what} ends before it starts")));
    }
    Ok(())
}

fn customer_row(c: &CustomerIn) -> Result<Value> {
    text("customer name", &c.name, 500)?;
    text("customer email", &c.email, 320)?;
    if !c.email.contains('@') {
        return Err(Error::invalid(format!(
            "customer {} email must be an address",
            c.id
        )));
    }
    text("customer external_id", &c.external_id, 200)?;
    for (what, v, max) in [
        ("phone", &c.phone, 50),
        ("company", &c.company, 200),
        ("address_line1", &c.address_line1, 200),
        ("address_line2", &c.address_line2, 200),
        ("address_city", &c.address_city, 100),
        ("address_state", &c.address_state, 100),
        ("address_postal_code", &c.address_postal_code, 20),
        ("address_country", &c.address_country, 100),
        ("timezone", &c.timezone, 64),
    ] {
        bounded(&format!("customer {} {what}", c.id), v.as_deref(), max)?;
    }
    if !c.metadata.is_object() || c.metadata.to_string().len() > MAX_METADATA_BYTES {
        return Err(Error::invalid(format!(
            "customer {} metadata must be an object of at most {MAX_METADATA_BYTES} bytes",
            c.id
        )));
    }
    ordered(
        &format!("customer {} (created_at to updated_at)", c.id),
        Some(c.created_at),
        Some(c.updated_at),
    )?;
    serde_json::to_value(c).map_err(|e| Error::invalid(e.to_string()))
}

/// The largest `metadata` object a customer may carry, as JSON.
const MAX_METADATA_BYTES: usize = 16 * 1024;

fn subscription_row(s: &SubscriptionIn) -> Result<Value> {
    text("subscription plan_name", &s.plan_name, 200)?;
    ordered(
        &format!("subscription {} current period", s.id),
        Some(s.current_period_start),
        Some(s.current_period_end),
    )?;
    let what = format!("subscription {} price", s.id);
    Ok(json!({
        "id": s.id, "customer_id": s.customer_id, "plan_name": s.plan_name,
        "status": s.subscription_status, "currency": s.currency,
        "price": non_negative(&what, &s.price, s.currency)?, "billing_period": s.billing_period,
        "current_period_start": s.current_period_start, "current_period_end": s.current_period_end,
        "cancel_at_period_end": s.cancel_at_period_end, "started_at": s.start_date,
        "cancelled_at": s.cancelled_at, "updated_at": s.updated_at,
    }))
}

fn wallet_row(w: &WalletIn) -> Result<Value> {
    text("wallet_status", &w.wallet_status, 50)?;
    let what = format!("wallet {} balance", w.id);
    Ok(json!({
        "id": w.id, "customer_id": w.customer_id, "currency": w.currency,
        "balance": non_negative(&what, &w.balance, w.currency)?, "status": w.wallet_status,
        "updated_at": w.updated_at,
    }))
}

/// The most line items one invoice may carry.
const MAX_LINE_ITEMS: usize = 1000;

fn invoice_row(i: &InvoiceIn) -> Result<Value> {
    let c = i.currency;
    let what = |field: &str| format!("invoice {} {field}", i.id);
    if i.line_items.len() > MAX_LINE_ITEMS {
        return Err(Error::invalid(format!(
            "invoice {} has {} line items; at most {MAX_LINE_ITEMS}",
            i.id,
            i.line_items.len()
        )));
    }
    let items = i
        .line_items
        .iter()
        .map(|li| {
            text("line item id", &li.id, 64)?;
            text("line item description", &li.description, 1000)?;
            decimal(&what("line item quantity"), &li.quantity)?;
            decimal(&what("line item unit_amount"), &li.unit_amount)?;
            ordered(
                &format!("line item {} period", li.id),
                li.period_start,
                li.period_end,
            )?;
            Ok(json!({
                "id": li.id, "description": li.description, "quantity": li.quantity,
                "unit_amount": li.unit_amount,
                "amount": non_negative(&what("line item amount"), &li.amount, c)?,
                "period_start": li.period_start, "period_end": li.period_end,
            }))
        })
        .collect::<Result<Vec<_>>>()?;
    text("invoice_number", &i.invoice_number, 100)?;
    text("billing_reason", &i.billing_reason, 100)?;
    bounded(&what("subscription_id"), i.subscription_id.as_deref(), 128)?;
    ordered(&what("period"), i.period_start, i.period_end)?;
    let amount = |field: &str, v: &str| non_negative(&what(field), v, c);
    let due = amount("amount_due", &i.amount_due)?;
    let paid = amount("amount_paid", &i.amount_paid)?;
    let remaining = amount("amount_remaining", &i.amount_remaining)?;
    let refunded = amount(
        "refunded_amount",
        i.refunded_amount.as_deref().unwrap_or("0"),
    )?;
    if paid + remaining != due {
        return Err(Error::invalid(format!(
            "invoice {}: amount_paid ({}) and amount_remaining ({}) must add up to amount_due ({})",
            i.id, i.amount_paid, i.amount_remaining, i.amount_due
        )));
    }
    if refunded > paid {
        return Err(Error::invalid(format!(
            "invoice {}: refunded_amount ({}) is more than amount_paid ({})",
            i.id,
            i.refunded_amount.as_deref().unwrap_or("0"),
            i.amount_paid
        )));
    }
    Ok(json!({
        "id": i.id, "invoice_number": i.invoice_number, "customer_id": i.customer_id,
        "subscription_id": i.subscription_id, "invoice_status": i.invoice_status,
        "payment_status": i.payment_status, "invoice_type": i.invoice_type,
        "billing_reason": i.billing_reason, "currency": c,
        "amount_due": due, "amount_paid": paid, "amount_remaining": remaining,
        "refunded_amount": refunded,
        "subtotal": amount("subtotal", &i.subtotal)?,
        "total_tax": amount("total_tax", &i.total_tax)?,
        "total": amount("total", &i.total)?,
        "issue_date": i.issue_date, "due_date": i.due_date, "paid_at": i.paid_at,
        "voided_at": i.voided_at, "period_start": i.period_start, "period_end": i.period_end,
        "line_items": items, "updated_at": i.updated_at,
    }))
}

/// The most attempts a payment may report.
const MAX_ATTEMPTS: i32 = 1000;

fn payment_row(p: &PaymentIn) -> Result<Value> {
    let c = p.currency;
    let what = |field: &str| format!("payment {} {field}", p.id);
    if !(0..=MAX_ATTEMPTS).contains(&p.attempts) {
        return Err(Error::invalid(format!(
            "payment {} attempts must be 0 to {MAX_ATTEMPTS}, got {}",
            p.id, p.attempts
        )));
    }
    bounded(&what("error_message"), p.error_message.as_deref(), 1000)?;
    let amount = non_negative(&what("amount"), &p.amount, c)?;
    let refunded = non_negative(
        &what("refunded_amount"),
        p.refunded_amount.as_deref().unwrap_or("0"),
        c,
    )?;
    if refunded > amount {
        return Err(Error::invalid(format!(
            "payment {}: refunded_amount is more than the amount paid",
            p.id
        )));
    }
    Ok(json!({
        "id": p.id, "customer_id": p.customer_id, "invoice_id": p.invoice_id, "currency": c,
        "amount": amount, "method": p.method,
        "payment_status": p.payment_status, "error_message": p.error_message, "attempts": p.attempts,
        "refunded_amount": refunded,
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
    caller: Integration,
    State(state): State<AppState>,
    JsonBody(b): JsonBody<BillingBatch>,
) -> Result<Json<BillingIngested>> {
    let total = b.customers.len()
        + b.subscriptions.len()
        + b.invoices.len()
        + b.payments.len()
        + b.wallets.len();
    if total > MAX_BATCH_RECORDS {
        return Err(Error::invalid(format!(
            "a billing batch holds at most {MAX_BATCH_RECORDS} records, got {total}"
        )));
    }
    unique_ids("customer", b.customers.iter().map(|c| c.id.as_str()))?;
    unique_ids(
        "subscription",
        b.subscriptions.iter().map(|s| s.id.as_str()),
    )?;
    unique_ids("invoice", b.invoices.iter().map(|i| i.id.as_str()))?;
    unique_ids("payment", b.payments.iter().map(|p| p.id.as_str()))?;
    unique_ids("wallet", b.wallets.iter().map(|w| w.id.as_str()))?;
    let customers = b
        .customers
        .iter()
        .map(customer_row)
        .collect::<Result<Vec<_>>>()?;
    let subscriptions = b
        .subscriptions
        .iter()
        .map(subscription_row)
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
    let wallets = b
        .wallets
        .iter()
        .map(wallet_row)
        .collect::<Result<Vec<_>>>()?;

    let t = caller.tenant_id.as_str();
    let mut tx = state.pool.begin().await?;
    let mut out = BillingIngested {
        customers: upsert(&mut tx, UPSERT_CUSTOMERS, t, customers).await?,
        subscriptions: upsert(&mut tx, UPSERT_SUBSCRIPTIONS, t, subscriptions).await?,
        invoices: upsert(&mut tx, UPSERT_INVOICES, t, invoices).await?,
        payments: upsert(&mut tx, UPSERT_PAYMENTS, t, payments).await?,
        wallets: upsert(&mut tx, UPSERT_WALLETS, t, wallets).await?,
        cursor: None,
    };
    // Referenced records first: the desk applies a page in this order.
    let mut changed = Changed::default();
    for (entity, ids) in [
        (Entity::Customer, &out.customers),
        (Entity::Subscription, &out.subscriptions),
        (Entity::Invoice, &out.invoices),
        (Entity::Payment, &out.payments),
        (Entity::Wallet, &out.wallets),
    ] {
        for id in ids {
            changed.push(entity, id);
        }
    }
    out.cursor = changed.record(&mut tx, t).await?;
    tx.commit().await.map_err(constraint_error)?;
    Ok(Json(out))
}
