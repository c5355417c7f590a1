//! Invariant 2, "decisions are bound to the data they saw", as one rule the desk and the platform
//! both apply (like [`crate::records::TicketStatus::may_become`]): what makes a draft, or a reply
//! approved from it, stale. The desk evaluates it on its cache (`countersign_core::workflow::
//! staleness`), the platform on its records when the decision arrives; neither words it alone.
//!
//! - The customer wrote on the ticket after the version seen.
//! - A payment or invoice of the ticket's customer changed after the draft was written, cited or
//!   not (desk only: a payment or refund came in while the draft waited).
//! - A cited record is current only at exactly the version seen: a newer version (it changed), an
//!   older one (it was restored), or no record at all (it was deleted) make what cited it stale.
//!   A desk can lose a record (a refused reply or note is taken back); the platform deletes
//!   nothing, so a cited record it does not hold was never there, and it answers `not_found`
//!   (another tenant's id must look absent), not staleness.

use std::fmt;

/// One reason a decision no longer matches the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// The customer wrote after the version seen; `message` names the message when known.
    CustomerWrote { message: Option<String> },
    /// A cited record is at another version than the one seen.
    Changed {
        kind: String,
        id: String,
        seen: i64,
        now: i64,
    },
    /// A cited record no longer exists.
    Gone { kind: String, id: String },
    /// A payment or invoice of the ticket's customer changed after the draft was written (a
    /// payment or a refund came in), whether or not the draft cites it: what the draft says
    /// about the customer's money may no longer hold.
    BillingMoved { kind: String, id: String },
}

impl Cause {
    /// The rule for one cited record of `kind` and `id`, seen at `seen`, at `now` today (`None`:
    /// deleted): `None` while it is exactly as seen.
    pub fn of_cited(kind: &str, id: &str, seen: i64, now: Option<i64>) -> Option<Cause> {
        match now {
            Some(now) if now == seen => None,
            Some(now) => Some(Cause::Changed {
                kind: kind.to_owned(),
                id: id.to_owned(),
                seen,
                now,
            }),
            None => Some(Cause::Gone {
                kind: kind.to_owned(),
                id: id.to_owned(),
            }),
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::CustomerWrote { message: None } => {
                write!(f, "the customer wrote again after it was written")
            }
            Cause::CustomerWrote { message: Some(m) } => {
                write!(f, "the customer wrote again ({m}) after it was written")
            }
            Cause::Changed {
                kind,
                id,
                seen,
                now,
            } => write!(f, "cited {kind} {id} changed (version {seen} → {now})"),
            Cause::Gone { kind, id } => write!(f, "cited {kind} {id} no longer exists"),
            Cause::BillingMoved { kind, id } => write!(
                f,
                "the customer's {kind} {id} changed after it was written (a payment or refund came in)"
            ),
        }
    }
}

/// Every cause in one sentence, `None` when there is none (the decision stands).
pub fn reason(causes: &[Cause]) -> Option<String> {
    (!causes.is_empty()).then(|| {
        causes
            .iter()
            .map(Cause::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cited_record_is_current_only_at_the_version_seen() {
        assert_eq!(Cause::of_cited("invoice", "inv_1", 3, Some(3)), None);
        assert_eq!(
            Cause::of_cited("invoice", "inv_1", 3, Some(4)).map(|c| c.to_string()),
            Some("cited invoice inv_1 changed (version 3 → 4)".into())
        );
        // Restored to an older version: not what was seen either.
        assert!(Cause::of_cited("invoice", "inv_1", 3, Some(2)).is_some());
        assert_eq!(
            Cause::of_cited("payment", "pay_9", 1, None).map(|c| c.to_string()),
            Some("cited payment pay_9 no longer exists".into())
        );
    }

    #[test]
    fn the_causes_make_one_reason() {
        assert_eq!(reason(&[]), None);
        let causes = [
            Cause::CustomerWrote { message: None },
            Cause::of_cited("customer", "cus_1", 1, None).unwrap(),
        ];
        assert_eq!(
            reason(&causes).unwrap(),
            "the customer wrote again after it was written; cited customer cus_1 no longer exists"
        );
    }
}
