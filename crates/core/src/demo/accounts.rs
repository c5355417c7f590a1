//! The accounts behind the demo customers. First a plan for every customer (locale, plan,
//! subscription state, payment method, billing day and how many monthly invoices it gets, the
//! invoices spread over customers by random weights), then the customers, subscriptions and
//! wallets rows, written in foreign-key order.

use super::load::{Sink, Stopped, Table};
use super::people::{self, Cur, EmailBook, Locale};
use super::plans::{self, Period, Plan};
use super::rows::{CustomerRow, SubscriptionRow, WalletRow};
use super::{DemoConfig, SeedReport, chance, day_text, pick, stamp, stream, weighted};
use chrono::{Datelike, Days, NaiveDate};
use rand::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SubStatus {
    Active,
    Trialing,
    PastDue,
    Paused,
    Cancelled,
}

impl SubStatus {
    const fn as_str(self) -> &'static str {
        match self {
            SubStatus::Active => "active",
            SubStatus::Trialing => "trialing",
            SubStatus::PastDue => "past_due",
            SubStatus::Paused => "paused",
            SubStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Card,
    Sepa,
    Transfer,
    Wallet,
}

impl Method {
    pub(super) const fn as_str(self) -> &'static str {
        match self {
            Method::Card => "card",
            Method::Sepa => "sepa_debit",
            Method::Transfer => "bank_transfer",
            Method::Wallet => "wallet",
        }
    }
}

/// An invoice a ticket can talk about.
#[derive(Debug, Clone)]
pub(super) struct InvoiceRef {
    pub seq: u32,
    pub total: i64,
    pub issue: NaiveDate,
    pub due: NaiveDate,
    /// Why its payment failed, when it did.
    pub error: Option<&'static str>,
}

impl InvoiceRef {
    pub(super) fn number(&self) -> String {
        super::billing::invoice_number(self.seq, self.issue)
    }
}

/// The newest invoices of each kind a customer has, filled in while invoices are generated.
#[derive(Debug, Clone, Default)]
pub(super) struct InvoiceRefs {
    pub latest: Option<InvoiceRef>,
    pub paid: Option<InvoiceRef>,
    pub failed: Option<InvoiceRef>,
    pub overdue: Option<InvoiceRef>,
}

#[derive(Debug)]
pub(super) struct Account {
    pub seq: u32,
    pub locale: &'static Locale,
    pub plan: &'static Plan,
    pub status: SubStatus,
    pub method: Method,
    /// Day of the month invoices are issued, 1–28.
    pub billing_day: u32,
    /// How many invoices the customer has.
    pub invoices: u32,
    /// Months between the latest billing cycle and the customer's last invoice (cancelled or
    /// paused customers stopped being billed).
    pub end_offset: u32,
    /// How many of the newest invoices went unpaid (past-due and some churned customers).
    pub failing_tail: u32,
    pub extra_seats: u32,
    pub wallet: bool,
    weight: u64,
    pub first: &'static str,
    pub name: String,
    pub refs: InvoiceRefs,
}

impl Account {
    pub(super) fn currency(&self) -> Cur {
        self.locale.currency
    }

    /// The month (see [`month_index`]) of the customer's last invoice.
    pub(super) fn last_month(&self, today: NaiveDate) -> i32 {
        let latest_cycle = month_index(today) - i32::from(self.billing_day >= today.day());
        latest_cycle - self.end_offset as i32
    }

    /// The month of the customer's first invoice.
    pub(super) fn first_month(&self, today: NaiveDate) -> i32 {
        self.last_month(today) - self.invoices.saturating_sub(1) as i32
    }
}

/// Months since year 0: `year * 12 + month0`.
pub(super) fn month_index(d: NaiveDate) -> i32 {
    d.year() * 12 + d.month0() as i32
}

/// The billing date `day` (1–28) of month `index`.
pub(super) fn cycle_date(index: i32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, day)
        .unwrap_or_default()
}

/// Decides every customer's account, and spreads `cfg.invoices` over them.
pub(super) fn plan(cfg: &DemoConfig) -> Vec<Account> {
    use SubStatus::*;
    let mut rng = stream(cfg.seed, 1);
    let mut accounts = Vec::with_capacity(cfg.customers as usize);
    for seq in 1..=cfg.customers {
        let locale = people::locale(&mut rng);
        let plan = plans::plan(&mut rng);
        let status = *weighted(
            &mut rng,
            &[
                (Active, 780),
                (Trialing, 40),
                (PastDue, 60),
                (Paused, 30),
                (Cancelled, 90),
            ],
        );
        let method = *match locale.currency {
            Cur::Eur => weighted(
                &mut rng,
                &[
                    (Method::Card, 600),
                    (Method::Sepa, 300),
                    (Method::Transfer, 70),
                    (Method::Wallet, 30),
                ],
            ),
            Cur::Usd | Cur::Gbp => weighted(
                &mut rng,
                &[
                    (Method::Card, 870),
                    (Method::Transfer, 100),
                    (Method::Wallet, 30),
                ],
            ),
        };
        let end_offset = match status {
            Cancelled => rng.random_range(1..=8),
            Paused => rng.random_range(1..=3),
            _ => 0,
        };
        let failing_tail = match status {
            PastDue => rng.random_range(1..=2),
            Cancelled if chance(&mut rng, 300) => 1,
            _ => 0,
        };
        let extra_seats = match plan.seats {
            Some(_) if chance(&mut rng, 550) => rng.random_range(1..=12),
            _ => 0,
        };
        accounts.push(Account {
            seq,
            locale,
            plan,
            status,
            method,
            billing_day: rng.random_range(1..=28),
            invoices: 0,
            end_offset,
            failing_tail,
            extra_seats,
            wallet: method == Method::Wallet || chance(&mut rng, 120),
            weight: if status == Trialing {
                0
            } else {
                rng.random_range(20..=200)
            },
            first: "",
            name: String::new(),
            refs: InvoiceRefs::default(),
        });
    }
    spread_invoices(&mut accounts, u64::from(cfg.invoices));
    accounts
}

/// Gives each account a share of `total` invoices proportional to its weight; the shares add
/// up to `total` exactly. Trialing accounts get none (unless every account is trialing).
fn spread_invoices(accounts: &mut [Account], total: u64) {
    let mut sum: u64 = accounts.iter().map(|a| a.weight).sum();
    if sum == 0 && total > 0 {
        for a in accounts.iter_mut() {
            a.status = SubStatus::Active;
            a.weight = 1;
        }
        sum = accounts.len() as u64;
    }
    let (mut running, mut given) = (0u64, 0u64);
    for a in accounts.iter_mut() {
        running += a.weight;
        let due = (u128::from(total) * u128::from(running) / u128::from(sum.max(1))) as u64;
        a.invoices = (due - given) as u32;
        given = due;
    }
}

/// Writes the customers with their subscriptions and wallets, and fills in their names.
pub(super) fn emit(
    cfg: &DemoConfig,
    accounts: &mut [Account],
    synced: &str,
    sink: &Sink,
    report: &mut SeedReport,
) -> Result<(), Stopped> {
    let mut rng = stream(cfg.seed, 2);
    let mut book = EmailBook::default();
    let mut customers = Table::<CustomerRow>::new(synced);
    let mut subscriptions = Table::<SubscriptionRow>::new(synced);
    let mut wallets = Table::<WalletRow>::new(synced);
    let total = accounts.len() as u64;
    let mut wallet_seq = 0;
    let today = cfg.today;
    for a in accounts.iter_mut() {
        let person = people::person(&mut rng, a.locale, &mut book);
        let (first_month, last_month) = (a.first_month(today), a.last_month(today));
        let started = if a.status == SubStatus::Trialing {
            today - Days::new(rng.random_range(1..=13))
        } else {
            cycle_date(first_month, a.billing_day)
        };
        let (period_start, mut period_end) = match (a.status, a.plan.period) {
            (SubStatus::Trialing, _) => (started, started + Days::new(14)),
            (_, Period::Monthly) => (
                cycle_date(last_month, a.billing_day),
                cycle_date(last_month + 1, a.billing_day),
            ),
            (_, Period::Annual) => {
                let anniversary = first_month + (a.invoices.saturating_sub(1) / 12 * 12) as i32;
                (
                    cycle_date(anniversary, a.billing_day),
                    cycle_date(anniversary + 12, a.billing_day),
                )
            }
        };
        let cancelled = (a.status == SubStatus::Cancelled).then(|| {
            period_end = period_end.min(cycle_date(last_month + 1, a.billing_day));
            stamp(
                period_end,
                rng.random_range(0..86_400),
                rng.random_range(0..1000),
            )
        });
        let created = started - Days::new(rng.random_range(0..=20));
        let created_at = stamp(
            created,
            rng.random_range(25_200..72_000),
            rng.random_range(0..1000),
        );
        let updated_at = match &cancelled {
            Some(at) => at.clone(),
            None => stamp(period_start.max(created), 21_600, 0),
        };
        let segment = match (a.plan.segment, &person.company) {
            (_, None) => "self_serve",
            ("enterprise", Some(_)) if chance(&mut rng, 400) => "enterprise",
            (s, Some(_)) => s,
        };
        let source = *pick(&mut rng, &["web", "web", "sales", "partner", "referral"]);
        customers.push(CustomerRow {
            seq: a.seq,
            external_id: format!("CRM-{:06}", 100_000 + a.seq),
            name: person.name.clone(),
            email: person.email,
            phone: person.phone,
            company: person.company,
            line1: person.line1,
            line2: person.line2,
            city: person.city.name,
            state: person.city.state,
            postal_code: person.postal_code,
            country: a.locale.country,
            timezone: person.city.timezone,
            status: if a.status == SubStatus::Cancelled && chance(&mut rng, 400) {
                "archived"
            } else {
                "active"
            },
            metadata: format!(r#"{{"segment":"{segment}","source":"{source}"}}"#),
            created_at,
            updated_at: updated_at.clone(),
        });
        let cur = a.currency();
        subscriptions.push(SubscriptionRow {
            customer: a.seq,
            plan_name: a.plan.name,
            status: a.status.as_str(),
            currency: cur.code(),
            price: a.plan.price[cur.index()],
            billing_period: a.plan.period.as_str(),
            period_start: day_text(period_start),
            period_end: day_text(period_end),
            cancel_at_period_end: a.status == SubStatus::Active && chance(&mut rng, 30),
            started_at: stamp(
                started,
                rng.random_range(25_200..72_000),
                rng.random_range(0..1000),
            ),
            cancelled_at: cancelled,
            updated_at: updated_at.clone(),
        });
        if a.wallet {
            wallet_seq += 1;
            let balance = if chance(&mut rng, 250) {
                0
            } else {
                rng.random_range(5..=400) * 500
            };
            wallets.push(WalletRow {
                seq: wallet_seq,
                customer: a.seq,
                currency: cur.code(),
                balance,
                status: if a.status == SubStatus::Cancelled {
                    "inactive"
                } else {
                    "active"
                },
                updated_at,
            });
        }
        a.first = person.first;
        a.name = person.name;
        if customers.is_full() {
            flush(
                &mut customers,
                &mut subscriptions,
                &mut wallets,
                false,
                sink,
                total,
            )?;
        }
    }
    flush(
        &mut customers,
        &mut subscriptions,
        &mut wallets,
        true,
        sink,
        total,
    )?;
    report.customers = customers.written();
    report.subscriptions = subscriptions.written();
    report.wallets = wallets.written();
    Ok(())
}

fn flush(
    customers: &mut Table<CustomerRow>,
    subscriptions: &mut Table<SubscriptionRow>,
    wallets: &mut Table<WalletRow>,
    all: bool,
    sink: &Sink,
    total: u64,
) -> Result<(), Stopped> {
    let mut statements = Vec::new();
    customers.flush(0, all, &mut statements)?;
    let done = customers.written();
    subscriptions.flush(done, all, &mut statements)?;
    wallets.flush(done, all, &mut statements)?;
    sink.send("customers", done, total, statements)
}
