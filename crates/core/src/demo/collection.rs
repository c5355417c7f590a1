//! How collecting an invoice went: paid (sometimes after retries), refunded in full or in part,
//! failed with the processor's reason, still collecting (SEPA settling, a bank transfer not yet
//! received), voided, or still a draft.

use super::accounts::{Account, Method, SubStatus};
use super::{chance, pick};
use chrono::{Days, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

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
pub(super) enum Outcome {
    Paid {
        on: NaiveDate,
        attempts: i64,
    },
    Refunded {
        on: NaiveDate,
        amount: i64,
    },
    Failed {
        on: NaiveDate,
        attempts: i64,
        error: &'static str,
    },
    /// Still collecting: SEPA settling (with a payment) or a bank transfer not yet received.
    Open {
        processing: bool,
    },
    Voided {
        on: NaiveDate,
    },
    Draft,
}

/// How collecting the `j`-th invoice of `a`, issued on `issue` (before `today`), went.
pub(super) fn outcome(
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
        let error = *pick(rng, errors);
        Outcome::Failed {
            on: after(3 * (attempts as u64 - 1)),
            attempts,
            error,
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
        0..8 => {
            return Outcome::Voided {
                on: after(rng.random_range(1..=5)),
            };
        }
        8..20 => {
            return Outcome::Refunded {
                on: after(rng.random_range(2..=20)),
                amount: total,
            };
        }
        20..35 => {
            let amount = (total * rng.random_range(10..=60) / 100).max(1);
            return Outcome::Refunded {
                on: after(rng.random_range(2..=20)),
                amount,
            };
        }
        35..50 if a.method != Method::Transfer => return failed(rng),
        _ => {}
    }
    match a.method {
        Method::Card | Method::Wallet => {
            let attempts = if chance(rng, 920) {
                1
            } else {
                rng.random_range(2..=3)
            };
            let retry_days = 2 * (attempts as u64 - 1);
            if retry_days < age {
                Outcome::Paid {
                    on: issue + Days::new(retry_days),
                    attempts,
                }
            } else {
                Outcome::Paid {
                    on: issue,
                    attempts: 1,
                }
            }
        }
        Method::Sepa if age <= 3 => Outcome::Open { processing: true },
        Method::Sepa => Outcome::Paid {
            on: issue + Days::new(3),
            attempts: 1,
        },
        Method::Transfer => {
            let days = if chance(rng, 800) {
                rng.random_range(2..=20)
            } else {
                rng.random_range(21..=50)
            };
            if days < age {
                Outcome::Paid {
                    on: issue + Days::new(days),
                    attempts: 1,
                }
            } else {
                Outcome::Open { processing: false }
            }
        }
    }
}
