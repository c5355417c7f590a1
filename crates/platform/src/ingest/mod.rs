//! Ingest from the systems around the platform, with an integration's ingest token (never a desk's),
//! scoped to that token's tenant. Every text is bounded, every date plausible, every amount
//! checked against the shapes of the billing system:
//! - `POST /v1/ingest/messages` ([`messages`]): a channel webhook. A customer's message continues
//!   the ticket named by `ticket_id` or `thread_key` (unless it is closed), else opens a new
//!   ticket; it bumps the ticket's version, which is what makes an older approved reply `stale`.
//! - `POST /v1/ingest/billing` ([`billing`]): upserts customers, subscriptions, invoices (with
//!   line items), payments and wallets in FlexPrice's field names, amounts as decimal strings. A record's `version` moves
//!   only when something in it changed, and only changed records enter the change feed.
//! - `POST /v1/ingest/tickets` ([`tickets`]): imports tickets with their messages in bulk (a
//!   tenant's history from its previous help desk); a ticket already present is left alone.

pub mod billing;
mod dates;
pub mod messages;
mod sql;
pub mod tickets;

pub use billing::{BillingBatch, BillingIngested, post_billing};
pub use messages::{InboundMessage, Ingested, post_message};
pub use tickets::{TicketImport, TicketsImported, post_tickets};

use crate::error::{Error, Result};
use countersign_model::ErrorCode;
use std::collections::HashSet;

/// The most records (of all kinds, messages included) one bulk request may carry.
pub const MAX_BATCH_RECORDS: usize = 10_000;

/// Maps a constraint violation of an ingest to a caller's error; anything else stays internal.
pub(crate) fn constraint_error(e: sqlx::Error) -> Error {
    if let sqlx::Error::Database(d) = &e {
        let detail = d.constraint().unwrap_or("a constraint").to_owned();
        match d.code().as_deref() {
            Some("23505") => {
                return Error::new(
                    ErrorCode::Conflict,
                    format!("a record clashes with another one ({detail})"),
                );
            }
            Some("23503") => {
                return Error::invalid(format!(
                    "a record references one that does not exist ({detail})"
                ));
            }
            Some("23514") => return Error::invalid(format!("a value is out of range ({detail})")),
            _ => {}
        }
    }
    e.into()
}

pub(crate) fn text(what: &str, v: &str, max: usize) -> Result<()> {
    if v.trim().is_empty() || v.chars().count() > max {
        return Err(Error::invalid(format!(
            "{what} must be 1 to {max} characters"
        )));
    }
    Ok(())
}

/// An optional text: absent, or at most `max` characters (empty allowed).
pub(crate) fn bounded(what: &str, v: Option<&str>, max: usize) -> Result<()> {
    match v {
        Some(v) if v.chars().count() > max => Err(Error::invalid(format!(
            "{what} must be at most {max} characters"
        ))),
        _ => Ok(()),
    }
}

/// A language tag as BCP 47 writes them (`en`, `de-CH`, `zh-Hant-TW`): letters, digits and
/// hyphens, 2 to 35 characters.
pub(crate) fn language(what: &str, v: &str) -> Result<()> {
    let ok = (2..=35).contains(&v.len())
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && v.as_bytes()[0].is_ascii_alphabetic();
    if !ok {
        return Err(Error::invalid(format!(
            "{what} must be a language tag such as \"en\" or \"de-CH\", got {:.40?}",
            v
        )));
    }
    Ok(())
}

/// Refuses a batch that names the same id twice.
pub(crate) fn unique_ids<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(Error::invalid(format!(
                "{what} {id} appears twice in one batch"
            )));
        }
    }
    Ok(())
}
