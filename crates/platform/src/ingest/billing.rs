//! `POST /v1/ingest/billing`: upserts customers, subscriptions, invoices (with line items),
//! payments and wallets in FlexPrice's field names, amounts as decimal strings, in one
//! transaction. A record's `version`
//! moves only when something in it changed, and only changed records enter the change feed.

use super::dates::{Date, Timestamp};
use super::sql::{
    UPSERT_CUSTOMERS, UPSERT_INVOICES, UPSERT_PAYMENTS, UPSERT_SUBSCRIPTIONS, UPSERT_WALLETS,
};
mod rows;

use super::{MAX_BATCH_RECORDS, constraint_error, unique_ids};
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
use countersign_model::{Currency, CustomerId, InvoiceId, PaymentId, SubscriptionId, WalletId};
use rows::{customer_row, invoice_row, payment_row, subscription_row, wallet_row};
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
    let mut tx = state.pool.begin().await?;
    let out = ingest(&mut tx, &caller.tenant_id, &b).await?;
    tx.commit().await.map_err(constraint_error)?;
    Ok(Json(out))
}

/// Checks and upserts a batch inside `tx`, recording the changed records on the tenant's feed
/// (call it last before commit: the tenant is locked from then on). The ingest route, FlexPrice's
/// webhooks and the backfill all come through here.
pub async fn ingest(
    tx: &mut PgConnection,
    tenant_id: &str,
    b: &BillingBatch,
) -> Result<BillingIngested> {
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

    let t = tenant_id;
    let mut out = BillingIngested {
        customers: upsert(tx, UPSERT_CUSTOMERS, t, customers).await?,
        subscriptions: upsert(tx, UPSERT_SUBSCRIPTIONS, t, subscriptions).await?,
        invoices: upsert(tx, UPSERT_INVOICES, t, invoices).await?,
        payments: upsert(tx, UPSERT_PAYMENTS, t, payments).await?,
        wallets: upsert(tx, UPSERT_WALLETS, t, wallets).await?,
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
    out.cursor = changed.record(tx, t).await?;
    Ok(out)
}
