//! The monthly invoices of every account with their line items and payments. Amounts are
//! integer minor units: line items add up to the subtotal, tax is rounded half up, and
//! `subtotal + total_tax = total` and `amount_due = amount_paid + amount_remaining` hold exactly.

use super::accounts::{Account, InvoiceRef, Method, cycle_date};
use super::collection::{Outcome, outcome};
use super::load::{Sink, Stopped, Table};
use super::plans::{ONBOARDING, Period, Prices, USAGE};
use super::rows::{InvoiceRow, LineItemRow, PaymentRow, Text};
use super::{DemoConfig, SeedReport, chance, day_text, stamp, stream};
use chrono::{Datelike, Days, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::hash::Hash;

/// The human-facing number of invoice `seq`, unique because `seq` is. The invoices row has
/// SQLite format it (`printf('INV-%d-%06d', year, seq)`); tickets quote it with this.
pub(super) fn invoice_number(seq: u32, issue: NaiveDate) -> String {
    format!("INV-{}-{seq:06}", issue.year())
}

/// Text many rows share, made once: dates, small quantities.
struct Interned<K>(HashMap<K, Text>);

impl<K: Hash + Eq + Copy> Interned<K> {
    fn get(&mut self, key: K, make: impl FnOnce(K) -> String) -> Text {
        self.0
            .entry(key)
            .or_insert_with(|| make(key).into())
            .clone()
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
        let subscription: Text = format!("sub_{:06}", account.seq).into();
        for j in 0..account.invoices {
            invoice(&mut rng, cfg.today, account, &subscription, j, &mut ledger);
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

/// The `j`-th invoice of `a`.
fn invoice(
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    a: &mut Account,
    subscription: &Text,
    j: u32,
    ledger: &mut Ledger,
) {
    ledger.invoice_seq += 1;
    let seq = ledger.invoice_seq;
    let cur = a.currency().index();
    let month = a.first_month(today) + j as i32;
    let issue = cycle_date(month, a.billing_day);
    let plan = a.plan;
    let one_off = j > 0 && chance(rng, 15);
    let anniversary = plan.period == Period::Monthly || j.is_multiple_of(12);
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
            seq: ledger.line_seq,
            invoice: seq,
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
        stamp(
            d,
            rng.random_range(21_600..79_200),
            rng.random_range(0..1000),
        )
        .into()
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
            payment_status = if amount == total {
                "REFUNDED"
            } else {
                "PARTIALLY_REFUNDED"
            };
            updated = at(on, rng);
            payment = Some((payment_status, 1, None, Some(paid_on), None, amount));
        }
        Outcome::Failed {
            on,
            attempts,
            error,
        } => {
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
    let remaining = if invoice_status == "VOIDED" {
        0
    } else {
        total - paid
    };
    if let Some((status, attempts, error_message, succeeded_at, failed_at, refunded_amount)) =
        payment
    {
        ledger.payment_seq += 1;
        ledger.payments.push(PaymentRow {
            seq: ledger.payment_seq,
            customer: a.seq,
            invoice: seq,
            currency: a.currency().code(),
            amount: total,
            method: a.method.as_str(),
            status,
            error_message,
            attempts,
            refunded_amount,
            created_at: stamp(
                issue,
                3_600 + rng.random_range(0..3_600),
                rng.random_range(0..1000),
            ),
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
        let r = InvoiceRef {
            seq,
            total,
            issue,
            due,
            error,
        };
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
        seq,
        year: issue.year(),
        customer: a.seq,
        subscription_id: (!one_off).then(|| subscription.clone()),
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
        issue_date: start,
        due_date: ledger.dates.get(due, day_text),
        paid_at,
        voided_at,
        period_end: end,
        updated_at: updated,
    });
}
