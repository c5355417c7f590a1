//! The billing records, shaped after FlexPrice: customers, subscriptions, wallets, invoices
//! with their line items, payments.

use super::*;
use crate::money::{Currency, Money};
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A postal address (FlexPrice's `address_*` fields).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Address {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Customer {
    pub id: CustomerId,
    pub external_id: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub address: Address,
    pub timezone: Option<String>,
    pub status: CustomerStatus,
    /// Free-form key/value pairs from the billing system.
    pub metadata: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    pub synced_at: Option<DateTime<Utc>>,
}

/// A customer as a search result or a reference from another record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CustomerSummary {
    pub id: CustomerId,
    pub external_id: String,
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub status: CustomerStatus,
}

/// Customers matching a search, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CustomerHits {
    pub customers: Vec<CustomerSummary>,
    /// More customers match than were ranked (the search ranks the first
    /// 256 matches): narrow the query with a first name, an e-mail or a company.
    pub more_matches: bool,
}

/// What a customer owes in one currency, computed by the store in SQL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Outstanding {
    pub currency: Currency,
    /// Finalized invoices not yet fully paid.
    pub unpaid_count: i64,
    pub unpaid_total: Money,
    /// The unpaid invoices whose due date has passed.
    pub overdue_count: i64,
    pub overdue_total: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub customer_id: CustomerId,
    pub plan_name: String,
    pub status: SubscriptionStatus,
    pub price: Money,
    pub billing_period: BillingPeriod,
    pub current_period_start: NaiveDate,
    pub current_period_end: NaiveDate,
    pub cancel_at_period_end: bool,
    pub started_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Wallet {
    pub id: WalletId,
    pub customer_id: CustomerId,
    pub balance: Money,
    pub status: String,
    pub version: i64,
}

/// A customer with everything an agent looks at first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CustomerDetail {
    pub customer: Customer,
    /// Unpaid and overdue totals, one entry per currency with unpaid invoices.
    pub outstanding: Vec<Outstanding>,
    /// The current subscription (active, trialing, past due or paused), if any.
    pub subscription: Option<Subscription>,
    pub wallets: Vec<Wallet>,
    pub open_tickets: i64,
}

/// An invoice as a list shows it: which one, where it stands, what is owed. `get_invoice` (or
/// the desk's invoice view) gives the whole record with its line items and payments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InvoiceSummary {
    pub id: InvoiceId,
    pub invoice_number: String,
    pub customer_id: CustomerId,
    pub invoice_status: InvoiceStatus,
    pub payment_status: PaymentStatus,
    pub billing_reason: BillingReason,
    pub total: Money,
    pub amount_paid: Money,
    pub amount_remaining: Money,
    pub refunded_amount: Money,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub paid_at: Option<DateTime<Utc>>,
    /// Finalized, not fully paid, and past its due date (computed at read time).
    pub overdue: bool,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Invoice {
    pub id: InvoiceId,
    pub invoice_number: String,
    pub customer_id: CustomerId,
    pub subscription_id: Option<SubscriptionId>,
    pub invoice_status: InvoiceStatus,
    pub payment_status: PaymentStatus,
    pub invoice_type: InvoiceType,
    pub billing_reason: BillingReason,
    pub currency: Currency,
    pub amount_due: Money,
    pub amount_paid: Money,
    pub amount_remaining: Money,
    pub refunded_amount: Money,
    pub subtotal: Money,
    pub total_tax: Money,
    pub total: Money,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub paid_at: Option<DateTime<Utc>>,
    pub voided_at: Option<DateTime<Utc>>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// Finalized, not fully paid, and past its due date (computed at read time).
    pub overdue: bool,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub synced_at: Option<DateTime<Utc>>,
}

impl Invoice {
    /// The invoice as a list shows it.
    pub fn summary(&self) -> InvoiceSummary {
        InvoiceSummary {
            id: self.id.clone(),
            invoice_number: self.invoice_number.clone(),
            customer_id: self.customer_id.clone(),
            invoice_status: self.invoice_status,
            payment_status: self.payment_status,
            billing_reason: self.billing_reason,
            total: self.total,
            amount_paid: self.amount_paid,
            amount_remaining: self.amount_remaining,
            refunded_amount: self.refunded_amount,
            issue_date: self.issue_date,
            due_date: self.due_date,
            paid_at: self.paid_at,
            overdue: self.overdue,
            version: self.version,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LineItem {
    pub id: String,
    pub description: String,
    /// Exact decimal string.
    pub quantity: String,
    /// Exact decimal string in the invoice currency; may have more places than the currency.
    pub unit_amount: String,
    pub amount: Money,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Payment {
    pub id: PaymentId,
    pub customer_id: CustomerId,
    pub invoice_id: Option<InvoiceId>,
    pub amount: Money,
    pub method: PaymentMethod,
    pub payment_status: PaymentStatus,
    /// Why the processor declined it, when it failed.
    pub error_message: Option<String>,
    pub attempts: i64,
    pub refunded_amount: Money,
    pub created_at: DateTime<Utc>,
    pub succeeded_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InvoiceDetail {
    pub invoice: Invoice,
    pub customer: CustomerSummary,
    pub line_items: Vec<LineItem>,
    pub payments: Vec<Payment>,
}
