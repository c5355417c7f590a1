//! The rows the demo generator writes, one struct per table, and how each binds its values.
//!
//! Binding is the generator's hot path (tens of millions of values for a large demo), so text
//! that many rows share (ids referenced by other rows, dates, enum values) is an `Arc<str>`
//! bound by reference count rather than copied. `version` keeps its default (1); `synced_at`,
//! the same for every row of a seeding, is part of the statement's SQL (see [`super::load`]).

use sqlx::Arguments;
use sqlx::error::BoxDynError;
use sqlx::sqlite::SqliteArguments;
use std::collections::HashMap;
use std::sync::Arc;

/// Shared text.
pub(super) type Text = Arc<str>;

/// One row of a table the generator fills.
pub(super) trait Insert {
    /// `INSERT INTO table (columns) `; the VALUES follow.
    const INTO: &'static str;
    /// Values bound per row.
    const BINDS: usize;
    /// Whether the last column is `synced_at` (written as a literal after the bound values).
    const SYNCED: bool = true;
    /// The 1-based sequence number of the row this one references, which must be written
    /// first; 0 when every referenced row is written before this table starts.
    fn parent(&self) -> u64 {
        0
    }
    fn bind(self, b: &mut Binder<'_>);
}

/// `Arc<str>` copies of `&'static str` values, made once per table.
#[derive(Debug, Default)]
pub(super) struct Statics(HashMap<(usize, usize), Text>);

impl Statics {
    fn get(&mut self, s: &'static str) -> Text {
        let key = (s.as_ptr() as usize, s.len());
        self.0.entry(key).or_insert_with(|| Arc::from(s)).clone()
    }
}

/// Binds a statement's values in order; keeps the first encoding error.
pub(super) struct Binder<'a> {
    args: SqliteArguments,
    statics: &'a mut Statics,
    failed: Option<BoxDynError>,
}

impl<'a> Binder<'a> {
    pub(super) fn new(values: usize, statics: &'a mut Statics) -> Self {
        let mut args = SqliteArguments::default();
        args.reserve(values, 0);
        Self {
            args,
            statics,
            failed: None,
        }
    }

    pub(super) fn finish(self) -> Result<SqliteArguments, BoxDynError> {
        match self.failed {
            Some(e) => Err(e),
            None => Ok(self.args),
        }
    }

    fn add<'t, T: sqlx::Encode<'t, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(
        &mut self,
        value: T,
    ) -> &mut Self {
        if let Err(e) = self.args.add(value)
            && self.failed.is_none()
        {
            self.failed = Some(e);
        }
        self
    }

    pub(super) fn text(&mut self, value: Text) -> &mut Self {
        self.add(value)
    }

    pub(super) fn opt_text(&mut self, value: Option<Text>) -> &mut Self {
        self.add(value)
    }

    pub(super) fn string(&mut self, value: String) -> &mut Self {
        self.add(value)
    }

    pub(super) fn opt_string(&mut self, value: Option<String>) -> &mut Self {
        self.add(value)
    }

    pub(super) fn stat(&mut self, value: &'static str) -> &mut Self {
        let value = self.statics.get(value);
        self.add(value)
    }

    pub(super) fn opt_stat(&mut self, value: Option<&'static str>) -> &mut Self {
        let value = value.map(|v| self.statics.get(v));
        self.add(value)
    }

    pub(super) fn int(&mut self, value: i64) -> &mut Self {
        self.add(value)
    }
}

pub(super) struct CustomerRow {
    pub id: String,
    pub external_id: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: &'static str,
    pub state: Option<&'static str>,
    pub postal_code: String,
    pub country: &'static str,
    pub timezone: &'static str,
    pub status: &'static str,
    pub metadata: String,
    pub created_at: String,
    pub updated_at: String,
}

impl Insert for CustomerRow {
    const INTO: &'static str = "INSERT INTO customers (id, external_id, name, email, phone, company, \
        address_line1, address_line2, address_city, address_state, address_postal_code, \
        address_country, timezone, status, metadata, created_at, updated_at, synced_at) ";
    const BINDS: usize = 17;
    fn bind(self, b: &mut Binder<'_>) {
        b.string(self.id)
            .string(self.external_id)
            .string(self.name)
            .string(self.email)
            .opt_string(self.phone)
            .opt_string(self.company)
            .string(self.line1)
            .opt_string(self.line2)
            .stat(self.city)
            .opt_stat(self.state)
            .string(self.postal_code)
            .stat(self.country)
            .stat(self.timezone)
            .stat(self.status)
            .string(self.metadata)
            .string(self.created_at)
            .string(self.updated_at);
    }
}

pub(super) struct SubscriptionRow {
    pub customer: u32,
    pub plan_name: &'static str,
    pub status: &'static str,
    pub currency: &'static str,
    pub price: i64,
    pub billing_period: &'static str,
    pub period_start: String,
    pub period_end: String,
    pub cancel_at_period_end: bool,
    pub started_at: String,
    pub cancelled_at: Option<String>,
    pub updated_at: String,
}

impl Insert for SubscriptionRow {
    const INTO: &'static str = "INSERT INTO subscriptions (id, customer_id, plan_name, status, \
        currency, price, billing_period, current_period_start, current_period_end, \
        cancel_at_period_end, started_at, cancelled_at, updated_at, synced_at) ";
    const BINDS: usize = 13;
    fn parent(&self) -> u64 {
        u64::from(self.customer)
    }
    fn bind(self, b: &mut Binder<'_>) {
        b.string(subscription_id(self.customer))
            .string(customer_id(self.customer))
            .stat(self.plan_name)
            .stat(self.status)
            .stat(self.currency)
            .int(self.price)
            .stat(self.billing_period)
            .string(self.period_start)
            .string(self.period_end)
            .int(i64::from(self.cancel_at_period_end))
            .string(self.started_at)
            .opt_string(self.cancelled_at)
            .string(self.updated_at);
    }
}

pub(super) struct WalletRow {
    pub seq: u32,
    pub customer: u32,
    pub currency: &'static str,
    pub balance: i64,
    pub status: &'static str,
    pub updated_at: String,
}

impl Insert for WalletRow {
    const INTO: &'static str = "INSERT INTO wallets (id, customer_id, currency, balance, status, \
        updated_at, synced_at) ";
    const BINDS: usize = 6;
    fn parent(&self) -> u64 {
        u64::from(self.customer)
    }
    fn bind(self, b: &mut Binder<'_>) {
        b.string(format!("wal_{:06}", self.seq))
            .string(customer_id(self.customer))
            .stat(self.currency)
            .int(self.balance)
            .stat(self.status)
            .string(self.updated_at);
    }
}

pub(super) struct InvoiceRow {
    pub id: Text,
    pub number: String,
    pub customer_id: Text,
    pub subscription_id: Option<Text>,
    pub invoice_status: &'static str,
    pub payment_status: &'static str,
    pub invoice_type: &'static str,
    pub billing_reason: &'static str,
    pub currency: &'static str,
    pub amount_due: i64,
    pub amount_paid: i64,
    pub amount_remaining: i64,
    pub refunded_amount: i64,
    pub subtotal: i64,
    pub total_tax: i64,
    pub total: i64,
    pub issue_date: Text,
    pub due_date: Text,
    pub paid_at: Option<Text>,
    pub voided_at: Option<Text>,
    pub period_start: Text,
    pub period_end: Text,
    pub updated_at: Text,
}

impl Insert for InvoiceRow {
    const INTO: &'static str = "INSERT INTO invoices (id, invoice_number, customer_id, \
        subscription_id, invoice_status, payment_status, invoice_type, billing_reason, currency, \
        amount_due, amount_paid, amount_remaining, refunded_amount, subtotal, total_tax, total, \
        issue_date, due_date, paid_at, voided_at, period_start, period_end, updated_at, synced_at) ";
    const BINDS: usize = 23;
    fn bind(self, b: &mut Binder<'_>) {
        b.text(self.id)
            .string(self.number)
            .text(self.customer_id)
            .opt_text(self.subscription_id)
            .stat(self.invoice_status)
            .stat(self.payment_status)
            .stat(self.invoice_type)
            .stat(self.billing_reason)
            .stat(self.currency)
            .int(self.amount_due)
            .int(self.amount_paid)
            .int(self.amount_remaining)
            .int(self.refunded_amount)
            .int(self.subtotal)
            .int(self.total_tax)
            .int(self.total)
            .text(self.issue_date)
            .text(self.due_date)
            .opt_text(self.paid_at)
            .opt_text(self.voided_at)
            .text(self.period_start)
            .text(self.period_end)
            .text(self.updated_at);
    }
}

pub(super) struct LineItemRow {
    pub id: String,
    /// The invoice's sequence number (see [`Insert::parent`]).
    pub invoice: u32,
    pub invoice_id: Text,
    pub description: &'static str,
    pub quantity: Text,
    pub unit_amount: &'static str,
    pub amount: i64,
    pub period_start: Text,
    pub period_end: Text,
}

impl Insert for LineItemRow {
    const INTO: &'static str = "INSERT INTO invoice_line_items (id, invoice_id, description, \
        quantity, unit_amount, amount, period_start, period_end) ";
    const BINDS: usize = 8;
    const SYNCED: bool = false;
    fn parent(&self) -> u64 {
        u64::from(self.invoice)
    }
    fn bind(self, b: &mut Binder<'_>) {
        b.string(self.id)
            .text(self.invoice_id)
            .stat(self.description)
            .text(self.quantity)
            .stat(self.unit_amount)
            .int(self.amount)
            .text(self.period_start)
            .text(self.period_end);
    }
}

pub(super) struct PaymentRow {
    pub id: String,
    pub customer_id: Text,
    /// The invoice's sequence number (see [`Insert::parent`]).
    pub invoice: u32,
    pub invoice_id: Text,
    pub currency: &'static str,
    pub amount: i64,
    pub method: &'static str,
    pub status: &'static str,
    pub error_message: Option<&'static str>,
    pub attempts: i64,
    pub refunded_amount: i64,
    pub created_at: String,
    pub succeeded_at: Option<Text>,
    pub failed_at: Option<Text>,
    pub updated_at: Text,
}

impl Insert for PaymentRow {
    const INTO: &'static str = "INSERT INTO payments (id, customer_id, invoice_id, currency, amount, \
        method, payment_status, error_message, attempts, refunded_amount, created_at, succeeded_at, \
        failed_at, updated_at, synced_at) ";
    const BINDS: usize = 14;
    fn parent(&self) -> u64 {
        u64::from(self.invoice)
    }
    fn bind(self, b: &mut Binder<'_>) {
        b.string(self.id)
            .text(self.customer_id)
            .text(self.invoice_id)
            .stat(self.currency)
            .int(self.amount)
            .stat(self.method)
            .stat(self.status)
            .opt_stat(self.error_message)
            .int(self.attempts)
            .int(self.refunded_amount)
            .string(self.created_at)
            .opt_text(self.succeeded_at)
            .opt_text(self.failed_at)
            .text(self.updated_at);
    }
}

pub(super) struct TicketRow {
    pub seq: u32,
    pub customer: u32,
    pub subject: String,
    pub status: &'static str,
    pub priority: &'static str,
    pub channel: &'static str,
    pub assignee: Option<&'static str>,
    pub language: &'static str,
    pub sla_due_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl Insert for TicketRow {
    const INTO: &'static str = "INSERT INTO tickets (id, customer_id, subject, status, priority, \
        channel, assignee, language, sla_due_at, created_at, updated_at, synced_at) ";
    const BINDS: usize = 11;
    fn bind(self, b: &mut Binder<'_>) {
        b.string(ticket_id(self.seq))
            .string(customer_id(self.customer))
            .string(self.subject)
            .stat(self.status)
            .stat(self.priority)
            .stat(self.channel)
            .opt_stat(self.assignee)
            .stat(self.language)
            .opt_string(self.sla_due_at)
            .string(self.created_at)
            .string(self.updated_at);
    }
}

pub(super) struct MessageRow {
    pub seq: u32,
    pub ticket: u32,
    pub author_kind: &'static str,
    pub author_name: String,
    pub body: String,
    pub visibility: &'static str,
    pub created_at: String,
}

impl Insert for MessageRow {
    const INTO: &'static str = "INSERT INTO messages (id, ticket_id, author_kind, author_name, body, \
        visibility, created_at, synced_at) ";
    const BINDS: usize = 7;
    fn parent(&self) -> u64 {
        u64::from(self.ticket)
    }
    fn bind(self, b: &mut Binder<'_>) {
        b.string(format!("msg_{:07}", self.seq))
            .string(ticket_id(self.ticket))
            .stat(self.author_kind)
            .string(self.author_name)
            .string(self.body)
            .stat(self.visibility)
            .string(self.created_at);
    }
}

pub(super) struct ArticleRow {
    pub seq: u32,
    pub title: &'static str,
    pub body: &'static str,
    pub language: &'static str,
    pub tags: &'static str,
    pub updated_at: String,
}

impl Insert for ArticleRow {
    const INTO: &'static str =
        "INSERT INTO kb_articles (id, title, body, language, tags, updated_at, synced_at) ";
    const BINDS: usize = 6;
    fn bind(self, b: &mut Binder<'_>) {
        b.string(format!("kb_{:04}", self.seq))
            .stat(self.title)
            .stat(self.body)
            .stat(self.language)
            .stat(self.tags)
            .string(self.updated_at);
    }
}

pub(super) fn customer_id(seq: u32) -> String {
    format!("cus_{seq:06}")
}

pub(super) fn subscription_id(customer: u32) -> String {
    format!("sub_{customer:06}")
}

pub(super) fn invoice_id(seq: u32) -> String {
    format!("inv_{seq:07}")
}

pub(super) fn ticket_id(seq: u32) -> String {
    format!("tkt_{seq:06}")
}
