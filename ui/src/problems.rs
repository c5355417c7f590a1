//! A refused command said as a person would, in their language, with its code kept beside it:
//! the refusals a person meets at the desk from their data ([`Problem`]), the rest by their code
//! around the desk's English detail.

use crate::intl;
use crate::labels;
use countersign_model::ErrorCode;
use countersign_model::ipc::IpcError;
use countersign_model::problem::{Decided, MergeRefusal, Problem, TextField};
use countersign_model::records::TicketStatus;
use countersign_model::workflow::{DraftStatus, EscalationStatus};

/// What the window shows for `e`: a sentence, then the code.
pub fn say(e: &IpcError) -> String {
    let text = match &e.problem {
        Some(p) => problem(p),
        None => by_code(e.code, &e.message),
    };
    format!("{text} ({})", e.code)
}

fn problem(p: &Problem) -> String {
    match p {
        Problem::Required { field } => tr!("problem-required", field = field_key(*field)),
        Problem::TooLong { field, chars, max } => tr!(
            "problem-too-long",
            field = field_key(*field),
            chars = *chars,
            max = *max
        ),
        Problem::AlreadyDecided {
            what,
            status,
            by,
            at,
            ..
        } => {
            let status = match what {
                Decided::Draft => DraftStatus::parse(status).map(labels::draft_status),
                Decided::Escalation => {
                    EscalationStatus::parse(status).map(labels::escalation_status)
                }
            }
            .unwrap_or_else(|_| status.clone());
            let at = at.map(intl::date_time).unwrap_or_default();
            let what = match what {
                Decided::Draft => "draft",
                Decided::Escalation => "escalation",
            };
            tr!(
                "problem-already-decided",
                what = what,
                by = by.clone(),
                status = status,
                at = at
            )
        }
        Problem::DraftStale { why, .. } => tr!("problem-draft-stale", why = why.clone()),
        Problem::TicketChanged { .. } => tr!("problem-ticket-changed"),
        Problem::SupervisorOnly {
            action,
            amount: Some(amount),
            cap,
            ..
        } if action.moves_money() => match cap {
            Some(cap) => tr!(
                "problem-over-cap",
                action = labels::proposed_action(*action),
                amount = intl::money(amount),
                cap = intl::money(cap)
            ),
            None => tr!(
                "problem-no-cap",
                action = labels::proposed_action(*action),
                amount = intl::money(amount)
            ),
        },
        Problem::SupervisorOnly { action, .. } => tr!(
            "problem-supervisor-only",
            action = labels::proposed_action(*action)
        ),
        Problem::ApproveOwn { action } => tr!(
            "problem-approve-own",
            action = labels::proposed_action(*action)
        ),
        Problem::OverCap {
            action,
            amount,
            cap,
        } => tr!(
            "problem-role-cap",
            action = labels::proposed_action(*action),
            amount = intl::money(amount),
            cap = intl::money(cap)
        ),
        Problem::SecondApprover { action, amount } => tr!(
            "problem-second-approver",
            action = labels::proposed_action(*action),
            amount = intl::money(amount)
        ),
        Problem::ExceedsInvoice {
            amount,
            invoice,
            allowed,
            ..
        } => tr!(
            "problem-exceeds-invoice",
            amount = intl::money(amount),
            invoice = invoice.clone(),
            allowed = intl::money(allowed)
        ),
        Problem::StatusMove {
            from: TicketStatus::Closed,
            ..
        } => tr!("problem-closed-is-final"),
        Problem::StatusMove {
            to: TicketStatus::Closed,
            ..
        } => tr!("problem-solve-before-closing"),
        Problem::StatusMove { from, to } => tr!(
            "problem-status-move",
            from = labels::ticket_status(*from),
            to = labels::ticket_status(*to)
        ),
        Problem::SamePriority { priority, .. } => {
            tr!(
                "problem-same-priority",
                priority = labels::priority(*priority)
            )
        }
        Problem::TicketClosed { .. } => tr!("problem-ticket-closed"),
        Problem::UnknownAgent { .. } => tr!("problem-unknown-agent"),
        Problem::SnoozeInThePast { .. } => tr!("problem-snooze-in-the-past"),
        Problem::NotSnoozed { .. } => tr!("problem-not-snoozed"),
        Problem::SameAssignee {
            with: Some(name), ..
        } => tr!("problem-already-assigned", name = name.clone()),
        Problem::SameAssignee { with: None, .. } => tr!("problem-already-unassigned"),
        Problem::UnfilledVariable { name } => {
            tr!(
                "problem-unfilled-variable",
                name = format!("{{{{{name}}}}}")
            )
        }
        Problem::UnknownVariable { name } => {
            tr!("problem-unknown-variable", name = format!("{{{{{name}}}}}"))
        }
        Problem::UnknownLanguage { .. } => tr!("problem-unknown-language"),
        Problem::CannotMerge { why, .. } => tr!(
            "problem-cannot-merge",
            why = match why {
                MergeRefusal::SameTicket => "same",
                MergeRefusal::OtherCustomer => "customer",
                MergeRefusal::AlreadyMerged => "merged",
                MergeRefusal::Closed => "closed",
            }
        ),
    }
}

/// The selector value of a text field in the catalogue (`problem-required`, `problem-too-long`).
fn field_key(f: TextField) -> &'static str {
    f.as_str()
}

fn by_code(code: ErrorCode, detail: &str) -> String {
    let detail = detail.to_owned();
    match code {
        ErrorCode::NotFound => tr!("error-not-found", detail = detail),
        ErrorCode::InvalidArgument => tr!("error-invalid", detail = detail),
        ErrorCode::Forbidden => tr!("error-forbidden", detail = detail),
        ErrorCode::Unauthenticated => tr!("error-unauthenticated", detail = detail),
        ErrorCode::Stale => tr!("error-stale", detail = detail),
        ErrorCode::Conflict | ErrorCode::KeyReused | ErrorCode::SequenceReused => {
            tr!("error-conflict", detail = detail)
        }
        ErrorCode::RateLimited => tr!("error-rate-limited"),
        ErrorCode::Unavailable => tr!("error-unavailable", detail = detail),
        ErrorCode::Internal => tr!("error-internal", detail = detail),
    }
}
