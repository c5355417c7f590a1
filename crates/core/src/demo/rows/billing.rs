//! Rows of invoices, their line items and their payments.

use super::{
    BILLING_REASONS, Binder, CURRENCIES, Col, INVOICE_STATUSES, INVOICE_TYPES, Insert,
    PAYMENT_METHODS, PAYMENT_STATUSES, Text,
};

pub(in crate::demo) struct InvoiceRow {
    pub seq: u32,
    pub year: i32,
    pub customer: u32,
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
    pub period_end: Text,
    pub updated_at: Text,
}

impl Insert for InvoiceRow {
    const TABLE: &'static str = "invoices";
    const COLUMNS: &'static [(&'static str, Col)] = &[
        ("id", Col::Printf("inv_%07d", 1)),
        // Year and sequence number, as `demo::billing::invoice_number` writes it.
        ("invoice_number", Col::Printf("INV-%d-%06d", 2)),
        ("customer_id", Col::Printf("cus_%06d", 1)),
        ("subscription_id", Col::Value),
        ("invoice_status", Col::OneOf(INVOICE_STATUSES)),
        ("payment_status", Col::OneOf(PAYMENT_STATUSES)),
        ("invoice_type", Col::OneOf(INVOICE_TYPES)),
        ("billing_reason", Col::OneOf(BILLING_REASONS)),
        ("currency", Col::OneOf(CURRENCIES)),
        ("amount_due", Col::Value),
        ("amount_paid", Col::Value),
        ("amount_remaining", Col::Value),
        ("refunded_amount", Col::Value),
        ("subtotal", Col::Value),
        ("total_tax", Col::Value),
        ("total", Col::Value),
        ("issue_date", Col::Value),
        ("due_date", Col::Value),
        ("paid_at", Col::Value),
        ("voided_at", Col::Value),
        ("period_start", Col::Value),
        ("period_end", Col::Value),
        ("updated_at", Col::Value),
        ("synced_at", Col::Synced),
    ];
    fn bind(self, b: &mut Binder<'_>) {
        b.int(self.seq.into())
            .int(self.year.into())
            .int(self.seq.into())
            .int(self.customer.into())
            .opt_text(self.subscription_id)
            .one_of(self.invoice_status, INVOICE_STATUSES)
            .one_of(self.payment_status, PAYMENT_STATUSES)
            .one_of(self.invoice_type, INVOICE_TYPES)
            .one_of(self.billing_reason, BILLING_REASONS)
            .one_of(self.currency, CURRENCIES)
            .int(self.amount_due)
            .int(self.amount_paid)
            .int(self.amount_remaining)
            .int(self.refunded_amount)
            .int(self.subtotal)
            .int(self.total_tax)
            .int(self.total)
            .text(self.issue_date.clone())
            .text(self.due_date)
            .opt_text(self.paid_at)
            .opt_text(self.voided_at)
            .text(self.issue_date)
            .text(self.period_end)
            .text(self.updated_at);
    }
}

pub(in crate::demo) struct LineItemRow {
    pub seq: u64,
    pub invoice: u32,
    pub description: &'static str,
    pub quantity: Text,
    pub unit_amount: &'static str,
    pub amount: i64,
    pub period_start: Text,
    pub period_end: Text,
}

impl Insert for LineItemRow {
    const TABLE: &'static str = "invoice_line_items";
    const COLUMNS: &'static [(&'static str, Col)] = &[
        ("id", Col::Printf("li_%08d", 1)),
        ("invoice_id", Col::Printf("inv_%07d", 1)),
        ("description", Col::Value),
        ("quantity", Col::Value),
        ("unit_amount", Col::Value),
        ("amount", Col::Value),
        ("period_start", Col::Value),
        ("period_end", Col::Value),
    ];
    fn parent(&self) -> u64 {
        u64::from(self.invoice)
    }
    fn bind(self, b: &mut Binder<'_>) {
        b.int(self.seq as i64)
            .int(self.invoice.into())
            .stat(self.description)
            .text(self.quantity)
            .stat(self.unit_amount)
            .int(self.amount)
            .text(self.period_start)
            .text(self.period_end);
    }
}

pub(in crate::demo) struct PaymentRow {
    pub seq: u32,
    pub customer: u32,
    pub invoice: u32,
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
    const TABLE: &'static str = "payments";
    const COLUMNS: &'static [(&'static str, Col)] = &[
        ("id", Col::Printf("pay_%07d", 1)),
        ("customer_id", Col::Printf("cus_%06d", 1)),
        ("invoice_id", Col::Printf("inv_%07d", 1)),
        ("currency", Col::OneOf(CURRENCIES)),
        ("amount", Col::Value),
        ("method", Col::OneOf(PAYMENT_METHODS)),
        ("payment_status", Col::OneOf(PAYMENT_STATUSES)),
        ("error_message", Col::Value),
        ("attempts", Col::Value),
        ("refunded_amount", Col::Value),
        ("created_at", Col::Value),
        ("succeeded_at", Col::Value),
        ("failed_at", Col::Value),
        ("updated_at", Col::Value),
        ("synced_at", Col::Synced),
    ];
    fn parent(&self) -> u64 {
        u64::from(self.invoice)
    }
    fn bind(self, b: &mut Binder<'_>) {
        b.int(self.seq.into())
            .int(self.customer.into())
            .int(self.invoice.into())
            .one_of(self.currency, CURRENCIES)
            .int(self.amount)
            .one_of(self.method, PAYMENT_METHODS)
            .one_of(self.status, PAYMENT_STATUSES)
            .opt_stat(self.error_message)
            .int(self.attempts)
            .int(self.refunded_amount)
            .string(self.created_at)
            .opt_text(self.succeeded_at)
            .opt_text(self.failed_at)
            .text(self.updated_at);
    }
}
