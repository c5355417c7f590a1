//! Deterministic demo data for an empty desk: customers in English, Spanish, French and German
//! locales, their subscriptions, wallets, monthly invoices with line items and payments, billing
//! support tickets with their threads, and knowledge-base articles that answer them.
//!
//! The same [`DemoConfig`] (seed, sizes and reference day) always produces the same rows: every
//! random choice comes from a seeded ChaCha8 stream and every date is relative to
//! [`DemoConfig::today`]. Only `synced_at` (and [`SeedReport::elapsed`]) reflect the wall clock.
//!
//! Seeding is one write transaction on a connection of its own. A generator thread builds
//! multi-row INSERTs while the transaction writes the previous batch; the seeded tables'
//! secondary indexes are dropped first and rebuilt from their schema SQL at the end (see
//! `load.rs`). The connection loads without foreign-key checks (every parent row is written
//! before its children by construction) and is closed afterwards, so no pooled connection ever
//! runs without them. Durability settings are left alone.

mod accounts;
mod billing;
mod collection;
mod inbound;
mod kb;
mod load;
mod people;
mod phrases;
mod plans;
mod rows;
mod tickets;

#[cfg(test)]
mod seed_tests;

pub use inbound::customer_message;

use crate::store::{Store, now, ts};
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::{Duration, Instant};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    pub customers: u32,
    pub invoices: u32,
    pub tickets: u32,
    pub seed: u64,
    /// The reference day: invoices are issued before it and fall overdue relative to it.
    pub today: NaiveDate,
}

impl DemoConfig {
    /// 500 customers, 10 000 invoices, 300 tickets, seed 42.
    pub fn small(today: NaiveDate) -> Self {
        Self {
            customers: 500,
            invoices: 10_000,
            tickets: 300,
            seed: 42,
            today,
        }
    }
}

/// Rows written by [`seed`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub customers: u64,
    pub invoices: u64,
    pub line_items: u64,
    pub payments: u64,
    pub subscriptions: u64,
    pub wallets: u64,
    pub tickets: u64,
    pub messages: u64,
    pub articles: u64,
    pub elapsed: Duration,
}

/// The most monthly invoices per customer on average: keeps every date within a few decades.
const MAX_INVOICES_PER_CUSTOMER: u64 = 100;

/// Fills an empty desk with demo data. Refuses (`conflict`) if the desk already has customers.
/// `progress(stage, done, total)` is called after every batch written.
pub async fn seed(
    store: &Store,
    cfg: &DemoConfig,
    progress: &mut (dyn FnMut(&str, u64, u64) + Send),
) -> Result<SeedReport> {
    let started = Instant::now();
    if cfg.customers == 0 && (cfg.invoices > 0 || cfg.tickets > 0) {
        return Err(Error::invalid(
            "invoices and tickets need at least one customer",
        ));
    }
    if u64::from(cfg.invoices) > u64::from(cfg.customers) * MAX_INVOICES_PER_CUSTOMER {
        return Err(Error::invalid(format!(
            "at most {MAX_INVOICES_PER_CUSTOMER} invoices per customer on average"
        )));
    }
    let mut conn = store.pool().acquire().await?;
    // This connection loads without foreign-key checks (below), so it must never serve anyone
    // else: it is closed, not returned to the pool, when dropped, even if this future is
    // cancelled half-way.
    conn.close_on_drop();
    // Checked row by row, foreign keys cost roughly 15 % of a large seeding, and the generator
    // writes every parent before its children by construction (the tests run
    // `PRAGMA foreign_key_check`). The pragma is per connection and is a no-op inside a
    // transaction, hence before BEGIN. Durability settings are left alone.
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await?;
    let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
    let populated: Option<i64> = sqlx::query_scalar("SELECT 1 FROM customers LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    if populated.is_some() {
        return Err(Error::Conflict(
            "the desk already has customers; demo data goes into an empty desk".into(),
        ));
    }
    for (id, name) in tickets::AGENTS {
        sqlx::query(
            "INSERT INTO agents (id, name, role, version, synced_at) VALUES (?, ?, 'agent', 1, ?)",
        )
        .bind(id)
        .bind(name)
        .bind(ts(now()))
        .execute(&mut *tx)
        .await?;
    }
    for lang in people::Lang::ALL {
        for (n, reply) in (1..).zip(phrases::phrases(lang).saved_replies) {
            sqlx::query(
                "INSERT INTO saved_replies (id, title, language, body, updated_at, version, synced_at) \
                 VALUES (?, ?, ?, ?, ?, 1, ?)",
            )
            .bind(format!("sr_demo_{}_{n}", lang.code()))
            .bind(reply.title)
            .bind(lang.code())
            .bind(reply.body)
            .bind(ts(now()))
            .bind(ts(now()))
            .execute(&mut *tx)
            .await?;
        }
    }
    let indexes = crate::bulk::drop_secondary_indexes(&mut tx, &[]).await?;

    let (sender, mut batches) = tokio::sync::mpsc::channel(4);
    let generator = {
        let cfg = cfg.clone();
        // `synced_at` as an SQL literal: ts() writes only digits, `-`, `:`, `.`, `T` and `Z`.
        let synced = format!("'{}'", ts(now()));
        tokio::task::spawn_blocking(move || generate(&cfg, &synced, &load::Sink::new(sender)))
    };
    let mut written = Ok(());
    while let Some(batch) = batches.recv().await {
        if let Err(e) = load::execute(&mut tx, batch.statements).await {
            written = Err(e);
            break;
        }
        progress(batch.stage, batch.done, batch.total);
    }
    // Unblocks the generator if writing failed; it then stops at its next batch.
    drop(batches);
    let generated = generator
        .await
        .map_err(|e| Error::Internal(format!("the demo generator failed: {e}")))?;
    written?;
    let mut report = generated.map_err(|stopped| match stopped {
        load::Stopped::WriterGone => {
            Error::Internal("the demo generator stopped before the end".into())
        }
        load::Stopped::Encoding(e) => Error::Internal(format!("cannot bind a demo value: {e}")),
    })?;

    crate::bulk::recreate(&mut tx, &indexes, progress).await?;
    crate::bulk::optimize_search_indexes(&mut tx, progress).await?;
    tx.commit().await?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Generates everything, in foreign-key order, into `sink`.
fn generate(
    cfg: &DemoConfig,
    synced: &str,
    sink: &load::Sink,
) -> std::result::Result<SeedReport, load::Stopped> {
    let mut report = SeedReport::default();
    let mut accounts = accounts::plan(cfg);
    accounts::emit(cfg, &mut accounts, synced, sink, &mut report)?;
    billing::emit(cfg, &mut accounts, synced, sink, &mut report)?;
    tickets::emit(cfg, &accounts, synced, sink, &mut report)?;
    kb::emit(cfg, synced, sink, &mut report)?;
    Ok(report)
}

/// The random source of one part of the generator: `stream` keeps the parts independent.
fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// One item of a non-empty slice.
fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// One item of a non-empty slice of `(item, weight)`, by weight.
fn weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut r = rng.random_range(0..total.max(1));
    for (item, w) in items {
        if r < *w {
            return item;
        }
        r -= w;
    }
    &items[items.len() - 1].0
}

/// True `per_mille` times in a thousand.
fn chance(rng: &mut ChaCha8Rng, per_mille: u32) -> bool {
    rng.random_range(0..1000) < per_mille
}

/// A date as stored: `YYYY-MM-DD`.
fn day_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// A timestamp as [`crate::store::ts`] writes it, `secs` seconds into day `d` (UTC), without
/// going through chrono's formatter (the generator writes millions of them).
fn stamp(d: NaiveDate, secs: u32, millis: u32) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        d.year(),
        d.month(),
        d.day(),
        (secs / 3600) % 24,
        (secs / 60) % 60,
        secs % 60,
        millis % 1000
    )
}

/// Lower-case ASCII for e-mail addresses and domains: accents dropped, German umlauts and ß
/// spelled out, spaces and apostrophes removed, anything else outside `[a-z0-9.-]` dropped.
pub(crate) fn ascii_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'a'..='z' | '0'..='9' | '.' | '-' => {
                out.push(c);
                continue;
            }
            'ä' | 'æ' => "ae",
            'ö' | 'œ' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            'à' | 'á' | 'â' | 'ã' | 'å' => "a",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
            'ù' | 'ú' | 'û' => "u",
            'ý' | 'ÿ' => "y",
            _ => "",
        };
        out.push_str(folded);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn ascii_fold_spells_out_umlauts_and_drops_accents_and_spaces() {
        assert_eq!(ascii_fold("Jürgen"), "juergen");
        assert_eq!(ascii_fold("Weiß"), "weiss");
        assert_eq!(ascii_fold("Núñez"), "nunez");
        assert_eq!(ascii_fold("Élodie"), "elodie");
        assert_eq!(ascii_fold("François"), "francois");
        assert_eq!(ascii_fold("O'Brien"), "obrien");
        assert_eq!(ascii_fold("de la Fuente"), "delafuente");
        assert_eq!(ascii_fold("Zoë Löwe-Gaëlle"), "zoeloewe-gaelle");
        assert!(
            ascii_fold("Ñandú Øre Œuvre").is_ascii(),
            "folding must give ASCII"
        );
    }

    #[test]
    fn stamp_writes_exactly_what_store_ts_writes() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        for (secs, millis) in [(0, 0), (3_661, 7), (86_399, 999), (45_296, 120)] {
            let t =
                NaiveTime::from_num_seconds_from_midnight_opt(secs, millis * 1_000_000).unwrap();
            assert_eq!(
                stamp(d, secs, millis),
                ts(d.and_time(t).and_utc()),
                "at {secs}s {millis}ms"
            );
        }
        assert_eq!(day_text(d), crate::store::date(d));
    }

    #[test]
    fn enum_columns_list_exactly_the_models_values() {
        use countersign_model::records::{
            BillingReason, InvoiceStatus, InvoiceType, PaymentMethod, PaymentStatus,
        };
        fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
            all.iter().map(|v| name(*v)).collect()
        }
        assert_eq!(
            rows::INVOICE_STATUSES,
            names(InvoiceStatus::ALL, InvoiceStatus::as_str)
        );
        assert_eq!(
            rows::PAYMENT_STATUSES,
            names(PaymentStatus::ALL, PaymentStatus::as_str)
        );
        assert_eq!(
            rows::INVOICE_TYPES,
            names(InvoiceType::ALL, InvoiceType::as_str)
        );
        assert_eq!(
            rows::BILLING_REASONS,
            names(BillingReason::ALL, BillingReason::as_str)
        );
        assert_eq!(
            rows::PAYMENT_METHODS,
            names(PaymentMethod::ALL, PaymentMethod::as_str)
        );
    }

    #[test]
    fn amounts_and_dates_read_as_each_language_writes_them() {
        use people::{Cur, Lang};
        use phrases::{date_text, money_text};
        assert_eq!(money_text(Lang::En, Cur::Usd, 199_000), "$1,990.00");
        assert_eq!(money_text(Lang::En, Cur::Gbp, 1_705), "£17.05");
        assert_eq!(
            money_text(Lang::De, Cur::Eur, 123_456_789),
            "1.234.567,89 €"
        );
        assert_eq!(money_text(Lang::Fr, Cur::Eur, 4_900), "49,00 €");
        assert_eq!(money_text(Lang::Es, Cur::Usd, 100_000), "1.000,00 US$");
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(date_text(Lang::En, d), "1 March 2026");
        assert_eq!(date_text(Lang::Es, d), "1 de marzo de 2026");
        assert_eq!(date_text(Lang::Fr, d), "1er mars 2026");
        assert_eq!(date_text(Lang::De, d), "1. März 2026");
    }

    #[test]
    fn weighted_picks_only_items_with_weight() {
        let mut rng = stream(7, 0);
        let items = [("never", 0), ("always", 5)];
        for _ in 0..100 {
            assert_eq!(*weighted(&mut rng, &items), "always");
        }
    }
}
