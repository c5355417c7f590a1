//! The rows the demo generator writes, one struct per table, each with its columns and how it
//! binds its values.
//!
//! Binding is the hot path of a large demo (tens of millions of values). Ids are bound as their
//! sequence number and formatted by SQLite (`printf('inv_%07d', ?)`): no id string is built in
//! Rust, and a row that references another binds an integer. Text that many rows share (enum
//! values, dates, an account's subscription id) is an `Arc<str>` bound by reference count, not
//! copied. `version` keeps its default (1); `synced_at`, the same for every row of a seeding,
//! is a literal in the SQL. (Mapping enum values with `CASE ? WHEN 0 THEN …` looks cheaper but
//! is not: SQLite's constant factoring makes preparing such a multi-row statement quadratic.)

use sqlx::Arguments;
use sqlx::error::BoxDynError;
use sqlx::sqlite::SqliteArguments;
use std::collections::HashMap;
use std::sync::Arc;

mod accounts;
mod billing;
mod support;

pub(super) use accounts::{CustomerRow, SubscriptionRow, WalletRow};
pub(super) use billing::{InvoiceRow, LineItemRow, PaymentRow};
pub(super) use support::{ArticleRow, MessageRow, TicketRow};

/// Shared text.
pub(super) type Text = Arc<str>;

/// How a column's value gets into the row.
#[derive(Debug)]
pub(super) enum Col {
    /// One bound value.
    Value,
    /// `printf(format, ?, …)` of this many bound integers.
    Printf(&'static str, usize),
    /// A bound index into these values.
    OneOf(&'static [&'static str]),
    /// The seeding's `synced_at`.
    Synced,
}

/// One row of a table the generator fills.
pub(super) trait Insert {
    const TABLE: &'static str;
    const COLUMNS: &'static [(&'static str, Col)];
    /// The 1-based sequence number of the row this one references, which must be written
    /// first; 0 when every referenced row is written before this table starts.
    fn parent(&self) -> u64 {
        0
    }
    /// Binds the values in column order, as [`Insert::COLUMNS`] describes them.
    fn bind(self, b: &mut Binder<'_>);
}

/// How many values a row of `T` binds.
pub(super) fn binds<T: Insert>() -> usize {
    T::COLUMNS
        .iter()
        .map(|(_, col)| match col {
            Col::Value | Col::OneOf(_) => 1,
            Col::Printf(_, n) => *n,
            Col::Synced => 0,
        })
        .sum()
}

pub(super) const INVOICE_STATUSES: &[&str] = &["DRAFT", "FINALIZED", "VOIDED", "SKIPPED"];
pub(super) const PAYMENT_STATUSES: &[&str] = &[
    "PENDING",
    "PROCESSING",
    "SUCCEEDED",
    "FAILED",
    "REFUNDED",
    "PARTIALLY_REFUNDED",
    "OVERPAID",
    "VOIDED",
];
pub(super) const INVOICE_TYPES: &[&str] = &["SUBSCRIPTION", "ONE_OFF", "CREDIT"];
pub(super) const BILLING_REASONS: &[&str] = &[
    "SUBSCRIPTION_CREATE",
    "SUBSCRIPTION_CYCLE",
    "SUBSCRIPTION_UPDATE",
    "MANUAL",
];
pub(super) const PAYMENT_METHODS: &[&str] = &["card", "sepa_debit", "bank_transfer", "wallet"];
pub(super) const CURRENCIES: &[&str] = &["EUR", "USD", "GBP"];

/// `Arc<str>` copies of `&'static str` values, made once per table.
#[derive(Debug, Default)]
pub(super) struct Statics(HashMap<(usize, usize), Text>);

impl Statics {
    fn get(&mut self, s: &'static str) -> Text {
        let key = (s.as_ptr() as usize, s.len());
        self.0.entry(key).or_insert_with(|| Arc::from(s)).clone()
    }
}

/// Binds a statement's values in order; keeps the first error.
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
        if let Err(e) = self.args.add(value) {
            self.failed.get_or_insert(e);
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

    /// For a [`Col::OneOf`] column: the position of `value` in `list`.
    pub(super) fn one_of(&mut self, value: &str, list: &[&str]) -> &mut Self {
        match list.iter().position(|v| *v == value) {
            Some(i) => self.add(i as i64),
            None => {
                self.failed
                    .get_or_insert_with(|| format!("{value:?} is not one of {list:?}").into());
                self
            }
        }
    }
}
