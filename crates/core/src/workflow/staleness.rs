//! Invariant 2 on the desk, in one place: when a draft no longer matches the records it was
//! written from. The rule itself is `countersign_model::staleness` (the platform applies the same
//! one when a reply arrives); this module evaluates it on the cache, in Rust for a draft read
//! whole and as SQL for the lists that count drafts (the inbox, the MCP's `list_tickets`, the
//! drafter looking for tickets to answer), so every view agrees.
//!
//! A draft binds the newest customer message it answered (`drafts.seen_customer_message`, a
//! message rowid) and each cited record's version (`draft_citations.record_version`).

use countersign_model::staleness::{self, Cause};
use countersign_model::workflow::Citation;

/// The version a citation `c` (a `draft_citations` row) has now; NULL when the record is gone.
macro_rules! cited_version_now {
    () => {
        "(CASE c.kind \
           WHEN 'customer' THEN (SELECT version FROM customers WHERE id = c.record_id) \
           WHEN 'invoice' THEN (SELECT version FROM invoices WHERE id = c.record_id) \
           WHEN 'payment' THEN (SELECT version FROM payments WHERE id = c.record_id) \
           WHEN 'message' THEN (SELECT version FROM messages WHERE id = c.record_id) \
           WHEN 'kb_article' THEN (SELECT version FROM kb_articles WHERE id = c.record_id) END)"
    };
}

/// The rowid of the newest customer message on draft `d`'s ticket.
macro_rules! newest_customer_message {
    () => {
        "(SELECT MAX(m.rowid) FROM messages m WHERE m.ticket_id = d.ticket_id AND m.author_kind = 'customer')"
    };
}

/// The newest payment or invoice of draft `d`'s customer that reached the desk from the platform
/// after `d` was written, as `"payment pay_…"`; NULL when none did.
macro_rules! billing_moved {
    () => {
        "(SELECT b.kind || ' ' || b.id FROM ( \
             SELECT 'payment' AS kind, p.id, p.synced_at FROM payments p \
             WHERE p.customer_id = (SELECT t.customer_id FROM tickets t WHERE t.id = d.ticket_id) \
               AND p.synced_at > d.created_at \
             UNION ALL \
             SELECT 'invoice', i.id, i.synced_at FROM invoices i \
             WHERE i.customer_id = (SELECT t.customer_id FROM tickets t WHERE t.id = d.ticket_id) \
               AND i.synced_at > d.created_at) b \
           ORDER BY b.synced_at DESC LIMIT 1)"
    };
}

/// True when draft `d` answered the newest customer message of its ticket.
macro_rules! answers_newest_message {
    () => {
        concat!(
            "(COALESCE(d.seen_customer_message, 0) >= COALESCE(",
            $crate::workflow::staleness::newest_customer_message!(),
            ", 0))"
        )
    };
}

/// True when draft `d` is stale now: the customer wrote after it, a cited record is at another
/// version or gone (`IS NOT` holds for NULL, a deleted record), or the customer's billing moved
/// after it was written.
macro_rules! is_stale_now {
    () => {
        concat!(
            "(NOT ",
            $crate::workflow::staleness::answers_newest_message!(),
            " OR EXISTS (SELECT 1 FROM draft_citations c WHERE c.draft_id = d.id \
               AND c.record_version IS NOT ",
            $crate::workflow::staleness::cited_version_now!(),
            ") OR ",
            $crate::workflow::staleness::billing_moved!(),
            " IS NOT NULL)"
        )
    };
}

pub(crate) use {
    answers_newest_message, billing_moved, cited_version_now, is_stale_now, newest_customer_message,
};

/// Why a draft read whole is stale now, if it is: `newest` and `seen` are the newest customer
/// message's rowid and the one the draft answered; each citation carries its version now
/// (`current_version`: `None` while unchanged, `Some(0)` for a deleted record); `billing` is
/// [`billing_moved`]'s `"payment pay_…"`.
pub(crate) fn reason(
    seen: Option<i64>,
    newest: Option<i64>,
    citations: &[Citation],
    billing: Option<&str>,
) -> Option<String> {
    let mut causes = Vec::new();
    if newest.unwrap_or(0) > seen.unwrap_or(0) {
        causes.push(Cause::CustomerWrote { message: None });
    }
    if let Some((kind, id)) = billing.and_then(|b| b.split_once(' ')) {
        causes.push(Cause::BillingMoved {
            kind: kind.to_owned(),
            id: id.to_owned(),
        });
    }
    for c in citations {
        let now = match c.current_version {
            None => Some(c.version),
            Some(0) => None,
            Some(v) => Some(v),
        };
        causes.extend(Cause::of_cited(c.kind.as_str(), &c.id, c.version, now));
    }
    staleness::reason(&causes)
}

/// What a citation says about its record now, from the version seen and the one read
/// ([`cited_version_now`]): `None` while unchanged, else the version now, 0 for a deleted record.
pub(crate) fn current_version(seen: i64, now: Option<i64>) -> Option<i64> {
    match Cause::of_cited("", "", seen, now)? {
        Cause::Changed { now, .. } => Some(now),
        _ => Some(0),
    }
}
