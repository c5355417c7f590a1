//! Why a person's request was refused, as data: the window says it in the person's language from
//! these fields, and every boundary carries the one English rendering ([`fmt::Display`]) for
//! assistants, the CLI and the logs. Only refusals a person meets at the desk are here; the rest
//! keep a code and an English message.

use crate::error::ErrorCode;
use crate::records::{TicketPriority, TicketStatus};
use crate::workflow::{Decision, ProposedAction};
use crate::{Money, TicketId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A text a person or an assistant gives: the ones a refusal may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    /// A reply's text.
    Body,
    /// Why a draft is rejected.
    Reason,
    /// A decision's note (why an escalation is denied).
    Note,
    /// A saved reply's title.
    Title,
}

impl TextField {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Body => "body",
            Self::Reason => "reason",
            Self::Note => "note",
            Self::Title => "title",
        }
    }
}

/// What was decided first, when a decision comes second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decided {
    Draft,
    Escalation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// A text that must be given is blank.
    Required { field: TextField },
    /// A text is longer than accepted.
    TooLong {
        field: TextField,
        chars: usize,
        max: usize,
    },
    /// Someone decided first; what they decided wins.
    AlreadyDecided {
        what: Decided,
        id: String,
        status: String,
        by: String,
        at: Option<DateTime<Utc>>,
    },
    /// A draft's records changed after it was written.
    DraftStale { id: String, why: String },
    /// The ticket changed after the person opened it.
    TicketChanged {
        ticket: TicketId,
        seen: i64,
        now: i64,
    },
    /// A decision only a supervisor may take (`amount` and `cap` when money moves).
    SupervisorOnly {
        decision: Decision,
        action: ProposedAction,
        amount: Option<Money>,
        cap: Option<Money>,
    },
    /// A supervisor approving a money escalation they raised themselves: another one must.
    ApproveOwn { action: ProposedAction },
    /// An amount above what the person's role approves under the tenant's policy.
    OverCap {
        action: ProposedAction,
        amount: Money,
        cap: Money,
    },
    /// Above the tenant's two-person threshold, the first approval was this person's: another
    /// supervisor gives the second.
    SecondApprover {
        action: ProposedAction,
        amount: Money,
    },
    /// An amount above what the invoice allows (paid and not yet refunded, or its total).
    ExceedsInvoice {
        action: ProposedAction,
        amount: Money,
        invoice: String,
        allowed: Money,
    },
    /// A move the ticket's status does not allow.
    StatusMove {
        from: TicketStatus,
        to: TicketStatus,
    },
    /// The ticket already has the priority asked for.
    SamePriority {
        ticket: TicketId,
        priority: TicketPriority,
    },
    /// A closed ticket takes no more replies.
    TicketClosed { ticket: TicketId },
    /// A ticket goes only to one of the tenant's agents.
    UnknownAgent { agent: String },
    /// A snooze ends at a time to come.
    SnoozeInThePast { ticket: TicketId },
    /// Only a snoozed ticket can be woken.
    NotSnoozed { ticket: TicketId },
    /// The ticket is already with that agent (by name), or already with nobody.
    SameAssignee {
        ticket: TicketId,
        with: Option<String>,
    },
    /// A reply still holds a saved reply's variable the records had no value for.
    UnfilledVariable { name: String },
    /// A saved reply names a variable there is none of.
    UnknownVariable { name: String },
    /// A saved reply in a language the desk does not write.
    UnknownLanguage { language: String },
    /// Two tickets that cannot be merged, and why.
    CannotMerge {
        ticket: TicketId,
        into: TicketId,
        why: MergeRefusal,
    },
}

/// Why two tickets cannot be merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeRefusal {
    /// A ticket merges into another one, not itself.
    SameTicket,
    /// Only tickets of one customer merge.
    OtherCustomer,
    /// One of them was merged already.
    AlreadyMerged,
    /// One of them is closed, which is final.
    Closed,
}

impl Problem {
    pub const fn code(&self) -> ErrorCode {
        match self {
            Self::Required { .. }
            | Self::TooLong { .. }
            | Self::ExceedsInvoice { .. }
            | Self::StatusMove { .. }
            | Self::SamePriority { .. }
            | Self::TicketClosed { .. }
            | Self::UnknownAgent { .. }
            | Self::SnoozeInThePast { .. }
            | Self::NotSnoozed { .. }
            | Self::SameAssignee { .. }
            | Self::UnfilledVariable { .. }
            | Self::UnknownVariable { .. }
            | Self::UnknownLanguage { .. }
            | Self::CannotMerge { .. } => ErrorCode::InvalidArgument,
            Self::AlreadyDecided { .. } => ErrorCode::Conflict,
            Self::DraftStale { .. } | Self::TicketChanged { .. } => ErrorCode::Stale,
            Self::SupervisorOnly { .. }
            | Self::ApproveOwn { .. }
            | Self::OverCap { .. }
            | Self::SecondApprover { .. } => ErrorCode::Forbidden,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required {
                field: TextField::Note,
            } => f.write_str("denying needs a `note` saying why"),
            Self::Required { field } => write!(f, "`{}` must not be empty", field.as_str()),
            Self::TooLong { field, chars, max } => write!(
                f,
                "`{}` is {chars} characters; at most {max} are accepted",
                field.as_str()
            ),
            Self::AlreadyDecided {
                what,
                id,
                status,
                by,
                at,
            } => {
                let what = match what {
                    Decided::Draft => "draft",
                    Decided::Escalation => "escalation",
                };
                let at = at
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
                    .unwrap_or_default();
                write!(f, "{what} {id} was already {status} by {by} at {at}")
            }
            Self::DraftStale { id, why } => {
                write!(
                    f,
                    "draft {id} is stale ({why}); re-review it before approving"
                )
            }
            Self::TicketChanged { ticket, seen, now } => write!(
                f,
                "ticket {ticket} changed since it was opened (version {seen}, now {now}); \
                 read it again, then decide"
            ),
            Self::SupervisorOnly {
                action,
                amount: Some(amount),
                cap,
                decision: Decision::Approve,
            } if action.moves_money() => {
                write!(
                    f,
                    "an agent may not approve a {action} of {amount}{}; a supervisor must decide",
                    cap.map(|c| format!(" (agent cap {c})")).unwrap_or_default()
                )
            }
            Self::SupervisorOnly {
                decision, action, ..
            } => write!(f, "only a supervisor may {decision} a {action} escalation"),
            Self::ApproveOwn { action } => write!(
                f,
                "you raised this {action} escalation; another supervisor approves it (two \
                 people see every money movement)"
            ),
            Self::OverCap {
                action,
                amount,
                cap,
            } => write!(
                f,
                "a {action} of {amount} is above the {cap} your role approves under the team's policy"
            ),
            Self::SecondApprover { action, amount } => write!(
                f,
                "you gave the first approval of this {action} of {amount}; above the team's \
                 two-person threshold another supervisor gives the second"
            ),
            Self::ExceedsInvoice {
                action,
                amount,
                invoice,
                allowed,
            } => write!(
                f,
                "{action} of {amount} exceeds what invoice {invoice} allows ({allowed})"
            ),
            Self::StatusMove { from, to } => write!(
                f,
                "a {from} ticket cannot be moved to {to}{}",
                match from {
                    TicketStatus::Closed => ": a closed ticket is final",
                    _ if *to == TicketStatus::Closed => ": solve it first",
                    _ => "",
                }
            ),
            Self::SamePriority { ticket, priority } => {
                write!(f, "ticket {ticket} is already {priority} priority")
            }
            Self::SnoozeInThePast { ticket } => {
                write!(
                    f,
                    "ticket {ticket} cannot be snoozed until a time already past"
                )
            }
            Self::NotSnoozed { ticket } => write!(f, "ticket {ticket} is not snoozed"),
            Self::UnknownAgent { agent } => {
                write!(f, "{agent:?} is not one of this tenant's agents")
            }
            Self::SameAssignee { ticket, with } => match with {
                Some(name) => write!(f, "ticket {ticket} is already assigned to {name}"),
                None => write!(f, "ticket {ticket} is already unassigned"),
            },
            Self::TicketClosed { ticket } => {
                write!(
                    f,
                    "ticket {ticket} is closed and takes no reply (when the customer writes \
                     again, a new ticket opens)"
                )
            }
            Self::UnfilledVariable { name } => write!(
                f,
                "the reply still holds {{{{{name}}}}}; write in what it stands for before sending"
            ),
            Self::UnknownVariable { name } => write!(
                f,
                "{{{{{name}}}}} is not a variable a saved reply can use (known: {})",
                crate::saved_replies::VARIABLES.join(", ")
            ),
            Self::CannotMerge { ticket, into, why } => {
                let why = match why {
                    MergeRefusal::SameTicket => "a ticket merges into another one",
                    MergeRefusal::OtherCustomer => "only tickets of one customer merge",
                    MergeRefusal::AlreadyMerged => "one of them was merged already",
                    MergeRefusal::Closed => "one of them is closed, which is final",
                };
                write!(f, "ticket {ticket} cannot be merged into {into}: {why}")
            }
            Self::UnknownLanguage { language } => write!(
                f,
                "`language` must be one of {}, got {language:?}",
                crate::saved_replies::LANGUAGES.join(", ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window reads the fields; the shape on the wire is a tag plus the fields.
    #[test]
    fn a_problem_travels_as_a_tag_and_its_fields() {
        let p = Problem::Required {
            field: TextField::Reason,
        };
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"problem": "required", "field": "reason"})
        );
        assert_eq!(serde_json::from_value::<Problem>(v).unwrap(), p);
        assert_eq!(p.to_string(), "`reason` must not be empty");
        assert_eq!(p.code(), ErrorCode::InvalidArgument);
    }
}
