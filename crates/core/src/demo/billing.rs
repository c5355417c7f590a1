//! Plans, and the monthly invoices of every account with their line items and payments. Amounts
//! are integer minor units: line items add up to the subtotal, tax is rounded half up, and
//! `subtotal + total_tax = total` and `amount_due = amount_paid + amount_remaining` hold exactly.

use super::accounts::{Account, InvoiceRef, Method, SubStatus, cycle_date};
use super::load::{Sink, Stopped, Table};
use super::rows::{self, InvoiceRow, LineItemRow, PaymentRow, Text};
use super::{DemoConfig, SeedReport, chance, day_text, pick, stamp, stream, weighted};
use chrono::{Datelike, Days, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::hash::Hash;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Period {
    Monthly,
    Annual,
}

impl Period {
    pub(super) const fn as_str(self) -> &'static str {
        match self {
            Period::Monthly => "monthly",
            Period::Annual => "annual",
        }
    }
}

/// An amount per currency, in the order of [`super::people::Cur`] (EUR, USD, GBP): minor units
/// and the exact decimal text line items show.
pub(super) type Prices = ([i64; 3], [&'static str; 3]);

#[derive(Debug)]
pub(super) struct Plan {
    pub name: &'static str,
    pub line: &'static str,
    pub period: Period,
    pub price: [i64; 3],
    pub price_text: [&'static str; 3],
    /// Price of a seat beyond those included, for plans sold by seat.
    pub seats: Option<Prices>,
    /// Chance (per mille) that a monthly invoice also bills API usage.
    pub usage: u32,
    pub segment: &'static str,
}

const TEAM_SEAT: Prices = ([900, 900, 800], ["9.00", "9.00", "8.00"]);
const BUSINESS_SEAT: Prices = ([1500, 1500, 1300], ["15.00", "15.00", "13.00"]);
const USAGE: Prices = ([40, 40, 35], ["0.40", "0.40", "0.35"]);
const ONBOARDING: Prices = ([15000, 15000, 13000], ["150.00", "150.00", "130.00"]);

#[rustfmt::skip]
static PLANS: [(Plan, u32); 6] = [
    (Plan { name: "Starter", line: "Starter plan (monthly)", period: Period::Monthly,
        price: [1900, 1900, 1700], price_text: ["19.00", "19.00", "17.00"], seats: None, usage: 0,
        segment: "smb" }, 35),
    (Plan { name: "Team", line: "Team plan (monthly)", period: Period::Monthly,
        price: [4900, 4900, 4200], price_text: ["49.00", "49.00", "42.00"], seats: Some(TEAM_SEAT),
        usage: 250, segment: "smb" }, 30),
    (Plan { name: "Business", line: "Business plan (monthly)", period: Period::Monthly,
        price: [19900, 19900, 17500], price_text: ["199.00", "199.00", "175.00"],
        seats: Some(BUSINESS_SEAT), usage: 600, segment: "mid_market" }, 12),
    (Plan { name: "Starter Annual", line: "Starter plan (annual)", period: Period::Annual,
        price: [19000, 19000, 17000], price_text: ["190.00", "190.00", "170.00"], seats: None,
        usage: 0, segment: "smb" }, 8),
    (Plan { name: "Team Annual", line: "Team plan (annual)", period: Period::Annual,
        price: [49000, 49000, 42000], price_text: ["490.00", "490.00", "420.00"],
        seats: Some(TEAM_SEAT), usage: 0, segment: "mid_market" }, 10),
    (Plan { name: "Business Annual", line: "Business plan (annual)", period: Period::Annual,
        price: [199000, 199000, 175000], price_text: ["1990.00", "1990.00", "1750.00"],
        seats: Some(BUSINESS_SEAT), usage: 0, segment: "enterprise" }, 5),
];

/// A plan, by popularity.
pub(super) fn plan(rng: &mut ChaCha8Rng) -> &'static Plan {
    weighted(rng, &PLANS)
}

/// The human-facing number of invoice `seq`: unique because `seq` is.
pub(super) fn invoice_number(seq: u32, issue: NaiveDate) -> String {
    format!("INV-{}-{seq:06}", issue.year())
}

const CARD_ERRORS: &[&str] = &[
    "card_declined: insufficient funds",
    "card_declined: insufficient funds",
    "card_declined: do_not_honor",
    "expired_card",
    "card_declined: generic_decline",
    "authentication_required: 3-D Secure not completed",
];
const SEPA_ERRORS: &[&str] = &[
    "sepa mandate revoked",
    "sepa_debit: insufficient funds (AM04)",
    "sepa_debit: account closed (AC04)",
];
const WALLET_ERRORS: &[&str] = &["wallet: insufficient balance"];

/// How an invoice's collection went.
enum Outcome {
    Paid { on: NaiveDate, attempts: i64 },
    Refunded { on: NaiveDate, amount: i64 },
    Failed { on: NaiveDate, attempts: i64, error: &'static str },
    /// Still collecting: SEPA settling (with a payment) or a bank transfer not yet received.
    Open { processing: bool },
    Voided { on: NaiveDate },
    Draft,
}

/// Text many rows share, made once: dates, small quantities.
struct Interned<K>(HashMap<K, Text>);

impl<K: Hash + Eq + Copy> Interned<K> {
    fn get(&mut self, key: K, make: impl FnOnce(K) -> String) -> Text {
        self.0.entry(key).or_insert_with(|| make(key).into()).clone()
    }
}

/// The working state of the invoices stage.
struct Ledger {
    invoices: Table<InvoiceRow>,
    line_items: Table<LineItemRow>,
    payments: Table<PaymentRow>,
    invoice_seq: u32,
    line_seq: u64,
    payment_seq: u32,
    dates: Interned<NaiveDate>,
    quantities: Interned<i64>,
}

/// Writes every account's invoices, line items and payments, and notes on each account the
/// invoices its tickets can refer to.
pub(super) fn emit(
    cfg: &DemoConfig,
    accounts: &mut [Account],
    synced: &str,
    sink: &Sink,
    report: &mut SeedReport,
) -> Result<(), Stopped> {
    let mut rng = stream(cfg.seed, 3);
    let mut ledger = Ledger {
        invoices: Table::new(synced),
        line_items: Table::new(synced),
        payments: Table::new(synced),
        invoice_seq: 0,
        line_seq: 0,
        payment_seq: 0,
        dates: Interned(HashMap::new()),
        quantities: Interned(HashMap::new()),
    };
    let total = u64::from(cfg.invoices);
    for account in accounts.iter_mut() {
        let ids = AccountIds {
            customer: rows::customer_id(account.seq).into(),
            subscription: rows::subscription_id(account.seq).into(),
        };
        for j in 0..account.invoices {
            invoice(&mut rng, cfg.today, account, &ids, j, &mut ledger);
            if ledger.invoices.is_full() {
                flush(&mut ledger, false, sink, total)?;
            }
        }
    }
    flush(&mut ledger, true, sink, total)?;
    report.invoices = ledger.invoices.written();
    report.line_items = ledger.line_items.written();
    report.payments = ledger.payments.written();
    Ok(())
}

fn flush(ledger: &mut Ledger, all: bool, sink: &Sink, total: u64) -> Result<(), Stopped> {
    let mut statements = Vec::new();
    ledger.invoices.flush(0, all, &mut statements)?;
    let done = ledger.invoices.written();
    ledger.line_items.flush(done, all, &mut statements)?;
    ledger.payments.flush(done, all, &mut statements)?;
    sink.send("invoices", done, total, statements)
}

/// An account's ids, shared by all its invoices and payments.
struct AccountIds {
    customer: Text,
    subscription: Text,
}

/// The `j`-th invoice of `a`.
fn invoice(
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    a: &mut Account,
    ids: &AccountIds,
    j: u32,
    ledger: &mut Ledger,
) {
    ledger.invoice_seq += 1;
    let seq = ledger.invoice_seq;
    let id: Text = rows::invoice_id(seq).into();
    let cur = a.currency().index();
    let month = a.first_month(today) + j as i32;
    let issue = cycle_date(month, a.billing_day);
    let plan = a.plan;
    let one_off = j > 0 && chance(rng, 15);
    let anniversary = plan.period == Period::Monthly || j % 12 == 0;
    let period_end = match (plan.period, anniversary) {
        (Period::Annual, true) => cycle_date(month + 12, a.billing_day),
        _ => cycle_date(month + 1, a.billing_day),
    };
    let start = ledger.dates.get(issue, day_text);
    let end = ledger.dates.get(period_end, day_text);
    let mut subtotal = 0;
    let mut line = |description, quantity: i64, (prices, texts): Prices| {
        ledger.line_seq += 1;
        let amount = quantity * prices[cur];
        subtotal += amount;
        ledger.line_items.push(LineItemRow {
            id: format!("li_{:08}", ledger.line_seq),
            invoice: seq,
            invoice_id: id.clone(),
            description,
            quantity: ledger.quantities.get(quantity, |q| q.to_string()),
            unit_amount: texts[cur],
            amount,
            period_start: start.clone(),
            period_end: end.clone(),
        });
    };
    if one_off {
        line("Onboarding and data migration (one-off)", 1, ONBOARDING);
    } else {
        if anniversary {
            line(plan.line, 1, (plan.price, plan.price_text));
        }
        if let Some(seat) = plan.seats
            && a.extra_seats > 0
            && (plan.period == Period::Monthly || anniversary)
        {
            // Seats drift a little from month to month.
            let seats = (i64::from(a.extra_seats) + rng.random_range(-1..=1)).max(1);
            let months = if plan.period == Period::Annual { 12 } else { 1 };
            line("Additional seats", seats * months, seat);
        }
        if !anniversary || chance(rng, plan.usage) {
            line("API calls (per 1,000)", rng.random_range(50..=4000), USAGE);
        }
    }
    let total_tax = (subtotal * a.locale.tax_bp + 5_000) / 10_000;
    let total = subtotal + total_tax;
    let net_days = match a.method {
        Method::Transfer if plan.segment == "smb" => 14,
        Method::Transfer => 30,
        _ => 7,
    };
    let due = issue + Days::new(net_days);
    let outcome = outcome(rng, today, a, j, issue, total);

    let (mut invoice_status, mut payment_status) = ("FINALIZED", "SUCCEEDED");
    let (mut paid, mut refunded, mut paid_at, mut voided_at) = (total, 0, None, None);
    let mut updated: Text = stamp(issue, 3_600, 0).into();
    let mut payment = None;
    let at = |d: NaiveDate, rng: &mut ChaCha8Rng| -> Text {
        stamp(d, rng.random_range(21_600..79_200), rng.random_range(0..1000)).into()
    };
    match outcome {
        Outcome::Paid { on, attempts } => {
            let t = at(on, rng);
            paid_at = Some(t.clone());
            updated = t.clone();
            payment = Some(("SUCCEEDED", attempts, None, Some(t), None, 0));
        }
        Outcome::Refunded { on, amount } => {
            let paid_on: Text = stamp(issue, 25_200, 0).into();
            paid_at = Some(paid_on.clone());
            refunded = amount;
            payment_status = if amount == total { "REFUNDED" } else { "PARTIALLY_REFUNDED" };
            updated = at(on, rng);
            payment = Some((payment_status, 1, None, Some(paid_on), None, amount));
        }
        Outcome::Failed { on, attempts, error } => {
            let t = at(on, rng);
            payment_status = "FAILED";
            paid = 0;
            updated = t.clone();
            payment = Some(("FAILED", attempts, Some(error), None, Some(t), 0));
        }
        Outcome::Open { processing } => {
            paid = 0;
            payment_status = if processing { "PROCESSING" } else { "PENDING" };
            if processing {
                payment = Some(("PROCESSING", 1, None, None, None, 0));
            }
        }
        Outcome::Voided { on } => {
            let t = at(on, rng);
            (invoice_status, payment_status, paid) = ("VOIDED", "VOIDED", 0);
            voided_at = Some(t.clone());
            updated = t;
        }
        Outcome::Draft => (invoice_status, payment_status, paid) = ("DRAFT", "PENDING", 0),
    }
    let remaining = if invoice_status == "VOIDED" { 0 } else { total - paid };
    if let Some((status, attempts, error_message, succeeded_at, failed_at, refunded_amount)) = payment {
        ledger.payment_seq += 1;
        ledger.payments.push(PaymentRow {
            id: format!("pay_{:07}", ledger.payment_seq),
            customer_id: ids.customer.clone(),
            invoice: seq,
            invoice_id: id.clone(),
            currency: a.currency().code(),
            amount: total,
            method: a.method.as_str(),
            status,
            error_message,
            attempts,
            refunded_amount,
            created_at: stamp(issue, 3_600 + rng.random_range(0..3_600), rng.random_range(0..1000)),
            succeeded_at,
            failed_at,
            updated_at: updated.clone(),
        });
    }
    if invoice_status == "FINALIZED" {
        let error = match outcome {
            Outcome::Failed { error, .. } => Some(error),
            _ => None,
        };
        let r = InvoiceRef { seq, total, issue, due, error };
        if payment_status == "SUCCEEDED" {
            a.refs.paid = Some(r.clone());
        }
        if error.is_some() {
            a.refs.failed = Some(r.clone());
        }
        if remaining > 0 && due < today {
            a.refs.overdue = Some(r.clone());
        }
        a.refs.latest = Some(r);
    }
    ledger.invoices.push(InvoiceRow {
        id,
        number: invoice_number(seq, issue),
        customer_id: ids.customer.clone(),
        subscription_id: (!one_off).then(|| ids.subscription.clone()),
        invoice_status,
        payment_status,
        invoice_type: if one_off { "ONE_OFF" } else { "SUBSCRIPTION" },
        billing_reason: match (one_off, j) {
            (true, _) => "MANUAL",
            (false, 0) => "SUBSCRIPTION_CREATE",
            _ if chance(rng, 30) => "SUBSCRIPTION_UPDATE",
            _ => "SUBSCRIPTION_CYCLE",
        },
        currency: a.currency().code(),
        amount_due: total,
        amount_paid: paid,
        amount_remaining: remaining,
        refunded_amount: refunded,
        subtotal,
        total_tax,
        total,
        issue_date: start.clone(),
        due_date: ledger.dates.get(due, day_text),
        paid_at,
        voided_at,
        period_start: start,
        period_end: end,
        updated_at: updated,
    });
}

/// How collecting the `j`-th invoice of `a`, issued on `issue` (before `today`), went.
fn outcome(
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    a: &Account,
    j: u32,
    issue: NaiveDate,
    total: i64,
) -> Outcome {
    let age = (today - issue).num_days().max(1) as u64;
    // A day after `issue`, at most `days` later and before today.
    let after = |days: u64| issue + Days::new(days.min(age - 1));
    let failing = j + a.failing_tail >= a.invoices;
    let errors = match a.method {
        Method::Sepa => SEPA_ERRORS,
        Method::Wallet => WALLET_ERRORS,
        Method::Card | Method::Transfer => CARD_ERRORS,
    };
    let failed = |rng: &mut ChaCha8Rng| {
        let attempts = rng.random_range(1..=4);
        Outcome::Failed {
            on: after(3 * (attempts as u64 - 1)),
            attempts,
            error: *pick(rng, errors),
        }
    };
    if failing {
        return match a.method {
            Method::Transfer => Outcome::Open { processing: false },
            _ => failed(rng),
        };
    }
    let last = j + 1 == a.invoices;
    if last && a.status == SubStatus::Active && chance(rng, 15) {
        return Outcome::Draft;
    }
    match rng.random_range(0..1000) {
        0..8 => return Outcome::Voided { on: after(rng.random_range(1..=5)) },
        8..20 => return Outcome::Refunded { on: after(rng.random_range(2..=20)), amount: total },
        20..35 => {
            let amount = (total * rng.random_range(10..=60) / 100).max(1);
            return Outcome::Refunded { on: after(rng.random_range(2..=20)), amount };
        }
        35..50 if a.method != Method::Transfer => return failed(rng),
        _ => {}
    }
    match a.method {
        Method::Card | Method::Wallet => {
            let attempts = if chance(rng, 920) { 1 } else { rng.random_range(2..=3) };
            let retry_days = 2 * (attempts as u64 - 1);
            if retry_days < age {
                Outcome::Paid { on: issue + Days::new(retry_days), attempts }
            } else {
                Outcome::Paid { on: issue, attempts: 1 }
            }
        }
        Method::Sepa if age <= 3 => Outcome::Open { processing: true },
        Method::Sepa => Outcome::Paid { on: issue + Days::new(3), attempts: 1 },
        Method::Transfer => {
            let days = if chance(rng, 800) { rng.random_range(2..=20) } else { rng.random_range(21..=50) };
            if days < age {
                Outcome::Paid { on: issue + Days::new(days), attempts: 1 }
            } else {
                Outcome::Open { processing: false }
            }
        }
    }
}
