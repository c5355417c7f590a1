//! `POST /v1/ingest/billing`: upserts customers, subscriptions, invoices (with line items),
//! payments and wallets in FlexPrice's field names, amounts as decimal strings, in one
//! transaction. A record's `version`
//! moves only when something in it changed, and only changed records enter the change feed.

use super::sql::{
    UPSERT_CUSTOMERS, UPSERT_INVOICES, UPSERT_PAYMENTS, UPSERT_SUBSCRIPTIONS, UPSERT_WALLETS,
};
use super::{MAX_BATCH_RECORDS, constraint_error, text, unique_ids};
use crate::AppState;
use crate::JsonBody;
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::feed::Changed;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
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
    pub current_period_start: NaiveDate,
    pub current_period_end: NaiveDate,
    #[serde(default)]
    pub cancel_at_period_end: bool,
    pub start_date: DateTime<Utc>,
    #[serde(default)]
    pub cancelled_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
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
    pub updated_at: DateTime<Utc>,
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

fn subscription_row(s: &SubscriptionIn) -> Result<Value> {
    text("subscription plan_name", &s.plan_name, 200)?;
    if s.current_period_end < s.current_period_start {
        return Err(Error::invalid(format!(
            "subscription {}: current_period_end is before current_period_start",
            s.id
        )));
    }
    let what = format!("subscription {} price", s.id);
    Ok(json!({
        "id": s.id, "customer_id": s.customer_id, "plan_name": s.plan_name,
        "status": s.subscription_status, "currency": s.currency,
        "price": minor(&what, &s.price, s.currency)?, "billing_period": s.billing_period,
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
        "balance": minor(&what, &w.balance, w.currency)?, "status": w.wallet_status,
        "updated_at": w.updated_at,
    }))
}

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
