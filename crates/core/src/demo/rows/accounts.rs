//! Rows of customers, their subscriptions and their wallets.

use super::{Binder, Col, Insert};

pub(in crate::demo) struct CustomerRow {
    pub seq: u32,
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
    const TABLE: &'static str = "customers";
    const COLUMNS: &'static [(&'static str, Col)] = &[
        ("id", Col::Printf("cus_%06d", 1)),
        ("external_id", Col::Value),
        ("name", Col::Value),
        ("email", Col::Value),
        ("phone", Col::Value),
        ("company", Col::Value),
        ("address_line1", Col::Value),
        ("address_line2", Col::Value),
        ("address_city", Col::Value),
        ("address_state", Col::Value),
        ("address_postal_code", Col::Value),
        ("address_country", Col::Value),
        ("timezone", Col::Value),
        ("status", Col::Value),
        ("metadata", Col::Value),
        ("created_at", Col::Value),
        ("updated_at", Col::Value),
        ("synced_at", Col::Synced),
    ];
    fn bind(self, b: &mut Binder<'_>) {
        b.int(self.seq.into())
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

pub(in crate::demo) struct SubscriptionRow {
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
    const TABLE: &'static str = "subscriptions";
    const COLUMNS: &'static [(&'static str, Col)] = &[
        ("id", Col::Printf("sub_%06d", 1)),
        ("customer_id", Col::Printf("cus_%06d", 1)),
        ("plan_name", Col::Value),
        ("status", Col::Value),
        ("currency", Col::Value),
        ("price", Col::Value),
        ("billing_period", Col::Value),
        ("current_period_start", Col::Value),
        ("current_period_end", Col::Value),
        ("cancel_at_period_end", Col::Value),
        ("started_at", Col::Value),
        ("cancelled_at", Col::Value),
        ("updated_at", Col::Value),
        ("synced_at", Col::Synced),
    ];
    fn parent(&self) -> u64 {
        u64::from(self.customer)
    }
    fn bind(self, b: &mut Binder<'_>) {
        b.int(self.customer.into())
            .int(self.customer.into())
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

pub(in crate::demo) struct WalletRow {
    pub seq: u32,
    pub customer: u32,
    pub currency: &'static str,
    pub balance: i64,
    pub status: &'static str,
    pub updated_at: String,
}

impl Insert for WalletRow {
    const TABLE: &'static str = "wallets";
    const COLUMNS: &'static [(&'static str, Col)] = &[
        ("id", Col::Printf("wal_%06d", 1)),
        ("customer_id", Col::Printf("cus_%06d", 1)),
        ("currency", Col::Value),
        ("balance", Col::Value),
        ("status", Col::Value),
        ("updated_at", Col::Value),
        ("synced_at", Col::Synced),
    ];
    fn parent(&self) -> u64 {
        u64::from(self.customer)
    }
    fn bind(self, b: &mut Binder<'_>) {
        b.int(self.seq.into())
            .int(self.customer.into())
            .stat(self.currency)
            .int(self.balance)
            .stat(self.status)
            .string(self.updated_at);
    }
}
