//! The records a desk caches from the support platform, shaped after FlexPrice's public billing
//! API (customers, invoices with line items, payments, subscriptions, wallets) and a help desk's
//! tickets and messages. Every synced record carries its `version`.

use crate::ids::*;
use crate::money::{Currency, Money};
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares a closed set of lower- or upper-case string values with parse/as_str.
#[macro_export]
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            pub fn parse(s: &str) -> Result<Self, $crate::ParseError> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::ParseError::new(
                        stringify!($name),
                        format!("expected one of {}, got {s:?}", [$($text),+].join(", ")),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::parse(s) }
        }
    };
}

string_enum!(CustomerStatus { Active = "active", Archived = "archived" });
string_enum!(InvoiceStatus { Draft = "DRAFT", Finalized = "FINALIZED", Voided = "VOIDED", Skipped = "SKIPPED" });
string_enum!(PaymentStatus {
    Pending = "PENDING", Processing = "PROCESSING", Succeeded = "SUCCEEDED", Failed = "FAILED",
    Refunded = "REFUNDED", PartiallyRefunded = "PARTIALLY_REFUNDED", Overpaid = "OVERPAID", Voided = "VOIDED",
});
string_enum!(InvoiceType { Subscription = "SUBSCRIPTION", OneOff = "ONE_OFF", Credit = "CREDIT" });
string_enum!(BillingReason {
    SubscriptionCreate = "SUBSCRIPTION_CREATE", SubscriptionCycle = "SUBSCRIPTION_CYCLE",
    SubscriptionUpdate = "SUBSCRIPTION_UPDATE", Manual = "MANUAL",
});
string_enum!(SubscriptionStatus {
    Active = "active", Trialing = "trialing", PastDue = "past_due", Paused = "paused", Cancelled = "cancelled",
});
string_enum!(BillingPeriod { Monthly = "monthly", Annual = "annual" });
string_enum!(PaymentMethod { Card = "card", SepaDebit = "sepa_debit", BankTransfer = "bank_transfer", Wallet = "wallet" });
string_enum!(TicketStatus { Open = "open", Pending = "pending", Solved = "solved", Closed = "closed" });
string_enum!(TicketPriority { Low = "low", Normal = "normal", High = "high", Urgent = "urgent" });

impl TicketStatus {
    /// Whether a person may move a ticket from this status to `next`: open, pending (waiting on
    /// the customer) and solved move among themselves (solved → open reopens); only a solved
    /// ticket closes; a closed ticket is final (a customer writing again starts a new one).
    /// The one rule the desk checks before queueing a change and the platform before applying it.
    pub fn may_become(self, next: TicketStatus) -> bool {
        use TicketStatus::*;
        match (self, next) {
            (a, b) if a == b => false,
            (Closed, _) => false,
            (Solved, Closed) => true,
            (_, Closed) => false,
            _ => true,
        }
    }
}
string_enum!(Channel { Email = "email", Chat = "chat", Web = "web", Phone = "phone" });
string_enum!(AuthorKind { Customer = "customer", Agent = "agent", Ai = "ai", System = "system" });
string_enum!(Visibility { Public = "public", Internal = "internal" });

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Ticket {
    pub id: TicketId,
    pub customer_id: CustomerId,
    pub subject: String,
    pub status: TicketStatus,
    pub priority: TicketPriority,
    pub channel: Channel,
    pub assignee: Option<String>,
    /// BCP 47 language of the customer's messages, e.g. "en", "es".
    pub language: String,
    pub sla_due_at: Option<DateTime<Utc>>,
    /// Set aside until then: out of the inbox until the time comes or the customer writes.
    #[serde(default)]
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Merged into that ticket of the same customer: closed, its thread moved there.
    #[serde(default)]
    pub merged_into: Option<TicketId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    pub synced_at: Option<DateTime<Utc>>,
}

/// A ticket as a row of the inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TicketRow {
    pub ticket: Ticket,
    pub customer_name: String,
    /// Drafts waiting for a person's review.
    pub pending_drafts: i64,
    /// Drafts that went stale and need a re-review.
    pub stale_drafts: i64,
    pub open_escalations: i64,
    /// Colleagues on the ticket now (names), as the platform last said.
    #[serde(default)]
    pub present: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Message {
    pub id: MessageId,
    pub ticket_id: TicketId,
    pub author_kind: AuthorKind,
    pub author_name: String,
    pub body: String,
    pub visibility: Visibility,
    pub created_at: DateTime<Utc>,
}

/// A file a customer sent with a message, as a desk knows it: what it is, never its bytes. The
/// bytes stay on the platform and are fetched from there only when a person saves the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Attachment {
    pub id: String,
    pub message_id: MessageId,
    /// The file's name as sent, made safe (no directories, no control characters).
    pub name: String,
    /// The type the sender declared (`application/pdf`); shown, never trusted to open it.
    pub content_type: String,
    /// In bytes.
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Article {
    pub id: ArticleId,
    pub title: String,
    pub body: String,
    pub language: String,
    pub tags: Vec<String>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A knowledge-base search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleHit {
    pub id: ArticleId,
    pub title: String,
    pub language: String,
    /// The matching passage, with matches between « and ».
    pub snippet: String,
}

/// One page of a list; pass `next_cursor` back as `cursor` for the next page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::TicketStatus::{self, *};

    #[test]
    fn a_ticket_moves_open_pending_solved_then_closes_and_closed_is_final() {
        let may = |a: TicketStatus, b: TicketStatus| a.may_become(b);
        for (a, b) in [
            (Open, Pending),
            (Pending, Open),
            (Open, Solved),
            (Pending, Solved),
            (Solved, Open),
            (Solved, Pending),
            (Solved, Closed),
        ] {
            assert!(may(a, b), "{a} → {b}");
        }
        for (a, b) in [
            (Open, Closed),
            (Pending, Closed),
            (Closed, Open),
            (Closed, Solved),
        ] {
            assert!(!may(a, b), "{a} → {b} must be refused");
        }
        for s in TicketStatus::ALL {
            assert!(!may(*s, *s), "{s} → {s} changes nothing");
        }
    }
}
