//! Each kind of mutation's payload, as a desk queues it and the platform parses it.

use crate::Money;
use serde::{Deserialize, Serialize};

/// `send_reply`: a person approved (maybe edited) a draft, or wrote a reply; send it to the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendReply {
    pub ticket_id: String,
    /// Created by the desktop; the platform keeps it so a redelivery can never send twice.
    pub message_id: String,
    #[serde(default)]
    pub draft_id: Option<String>,
    pub body: String,
    #[serde(default)]
    pub edited: bool,
    pub approved_by: String,
}

/// `add_note`: an internal note on a ticket (never shown to the customer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddNote {
    pub ticket_id: String,
    pub message_id: String,
    pub body: String,
    pub author: String,
    /// `agent` or `ai`.
    pub author_kind: String,
}

/// `raise_escalation`: ask a supervisor to decide an action (refund, credit note, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaiseEscalation {
    pub escalation_id: String,
    pub ticket_id: String,
    pub reason: String,
    /// refund | credit_note | void_invoice | waive_fee | other
    pub proposed_action: String,
    #[serde(default)]
    pub invoice_id: Option<String>,
    #[serde(default)]
    pub amount: Option<Money>,
}

/// `decide_escalation`: a supervisor's approve/deny. The platform checks the role of the token's
/// agent, not anything in the payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecideEscalation {
    pub escalation_id: String,
    /// approve | deny
    pub decision: String,
    /// Why; empty when an approval gives no reason. `null` is read as empty: desks before this
    /// field was typed on both sides sent it so, and such a decision must not be stuck.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub note: String,
    pub decided_by: String,
}

/// `retry_execution`: a supervisor asks the platform to try a failed execution of an approved
/// escalation again. The platform first asks the billing system what earlier attempts did, and
/// sends only when nothing was done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryExecution {
    pub escalation_id: String,
    pub requested_by: String,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// `assign`: give a ticket to an agent (`None` = unassign).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assign {
    pub ticket_id: String,
    pub assignee: Option<String>,
}

/// `set_status`: open | pending | solved | closed, as [`TicketStatus::may_become`] allows.
///
/// [`TicketStatus::may_become`]: crate::records::TicketStatus::may_become
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetStatus {
    pub ticket_id: String,
    pub status: String,
}

/// `set_priority`: low | normal | high | urgent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetPriority {
    pub ticket_id: String,
    pub priority: String,
}

/// `snooze`: set a ticket aside until a time (`None`: wake it now). It comes back by itself then,
/// or as soon as the customer writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snooze {
    pub ticket_id: String,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
}

/// `merge_tickets`: ticket `ticket_id` of a customer joins `into`, another ticket of the same
/// customer: its thread and escalations move there, and it is closed, pointing to `into`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeTickets {
    pub ticket_id: String,
    pub into: String,
}
