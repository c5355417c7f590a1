//! The review workflow: who may decide, what an assistant proposed, and what a person decided.

use crate::ids::*;
use crate::money::Money;
use crate::records::{CustomerSummary, Message, Ticket};
use crate::string_enum;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

string_enum!(
    /// A person's role on the desk. Only supervisors decide escalations beyond an agent's cap.
    Role { Agent = "agent", Supervisor = "supervisor" }
);
string_enum!(
    /// Where a draft stands.
    DraftStatus {
        PendingReview = "pending_review",
        Stale = "stale",
        Approved = "approved",
        Rejected = "rejected",
    }
);
string_enum!(
    /// Kinds of record a draft may cite as evidence.
    CitedKind {
        Customer = "customer",
        Invoice = "invoice",
        Payment = "payment",
        Message = "message",
        KbArticle = "kb_article",
    }
);
string_enum!(
    /// What an escalation asks a supervisor to do.
    ProposedAction {
        Refund = "refund",
        CreditNote = "credit_note",
        VoidInvoice = "void_invoice",
        WaiveFee = "waive_fee",
        Other = "other",
    }
);
string_enum!(
    /// What a sentence of a draft states that a record must back.
    ClaimKind { Amount = "amount", InvoiceNumber = "invoice_number", Date = "date" }
);
string_enum!(EscalationStatus { Pending = "pending", Approved = "approved", Denied = "denied" });
string_enum!(
    /// What became of an approved escalation in the billing system: `unconnected` when the
    /// tenant has no billing connector (nothing was sent anywhere), `queued` while the platform
    /// is at it, `executed` or `failed`.
    Execution { Unconnected = "unconnected", Queued = "queued", Executed = "executed", Failed = "failed" }
);
string_enum!(
    /// A person's decision on an escalation.
    Decision { Approve = "approve", Deny = "deny" }
);
string_enum!(
    /// What an MCP token allows: `read` the desk, or read and `draft` proposals.
    TokenScope { Read = "read", Draft = "draft" }
);

impl ProposedAction {
    /// Actions that move money name an invoice and an amount.
    pub const fn moves_money(self) -> bool {
        matches!(self, Self::Refund | Self::CreditNote | Self::WaiveFee)
    }

    /// What the billing system is asked to do once a person with the authority approved the
    /// action, if anything: money back or off an invoice is a credit note (the billing system
    /// makes it a refund when the invoice was paid), a void is a void; "other" is done by hand.
    pub const fn billing_effect(self) -> Option<BillingEffect> {
        match self {
            Self::Refund | Self::CreditNote | Self::WaiveFee => Some(BillingEffect::CreditNote),
            Self::VoidInvoice => Some(BillingEffect::Void),
            Self::Other => None,
        }
    }
}

/// What an approved escalation becomes in the billing system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillingEffect {
    /// A credit note on the escalation's invoice for its amount.
    CreditNote,
    /// The escalation's invoice voided.
    Void,
}

/// A record a draft cites, with the version the assistant saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Citation {
    pub kind: CitedKind,
    pub id: String,
    /// The record's version when the draft was filed.
    pub version: i64,
    /// The record's version now, when it differs (the draft is then stale).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

/// Which assistant wrote something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AssistantInfo {
    /// The MCP client's name, e.g. "Claude Desktop".
    pub client: String,
    /// The model, when the client says.
    pub model: Option<String>,
}

/// A figure a draft states (an amount, an invoice number, a date), and whether a record in the
/// ticket's context backs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Claim {
    pub kind: ClaimKind,
    /// As written in the draft, e.g. `1.990,00 €`.
    pub text: String,
    pub grounded: bool,
}

/// How a draft was produced by a provider or the offline drafter (absent for an assistant's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Generation {
    /// Wall time from asking to filing, in milliseconds.
    pub duration_ms: i64,
    /// Tokens read and written, when the provider reports them.
    pub input_tokens: Option<i64>,
    pub output_tokens: Option<i64>,
    /// The request the drafter recognised, e.g. `duplicate_charge`.
    pub intent: Option<String>,
    /// What went wrong with the providers tried before the one that answered, in order.
    #[serde(default)]
    pub fallbacks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Draft {
    pub id: DraftId,
    pub ticket_id: TicketId,
    pub body: String,
    /// The assistant's confidence, 0 to 1.
    pub confidence: f64,
    pub status: DraftStatus,
    pub author: AssistantInfo,
    pub citations: Vec<Citation>,
    /// The ticket version the draft answered.
    pub ticket_version: i64,
    pub created_at: DateTime<Utc>,
    /// Why the draft is stale, when it is.
    pub stale_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    /// The text actually sent: the body, or the reviewer's edit of it.
    pub final_body: Option<String>,
    /// Every figure the body states, each checked against the records (the grounding check).
    #[serde(default)]
    pub claims: Vec<Claim>,
    /// How the draft was generated, when the desk wrote it.
    #[serde(default)]
    pub generation: Option<Generation>,
    /// The escalation approving this draft raises, because the reply promises that money moves.
    #[serde(default)]
    pub suggested_escalation: Option<SuggestedEscalation>,
}

/// An AI provider of the profile's drafting chain, as a person sees it (never its key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProviderInfo {
    /// The name a person gave it.
    pub name: String,
    /// `openai-compatible` or `anthropic`.
    pub kind: String,
    pub base_url: String,
    pub model: String,
    pub timeout_secs: i64,
    /// 1 is tried first; the offline drafter comes after the last.
    pub position: i64,
    /// Whether a key is kept for it in the OS keyring.
    pub has_key: bool,
    /// Who its drafts are signed as, e.g. `openai-compatible/gpt-4o-mini`.
    pub author: String,
}

/// An escalation a draft's reply depends on ("I have asked for a refund of …"): raised by the
/// person who approves the draft, in the same transaction, never by the drafter itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SuggestedEscalation {
    pub proposed_action: ProposedAction,
    pub invoice_id: InvoiceId,
    pub amount: Money,
    pub reason: String,
}

impl Draft {
    /// The figures the records do not back.
    pub fn ungrounded(&self) -> impl Iterator<Item = &Claim> {
        self.claims.iter().filter(|c| !c.grounded)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Escalation {
    pub id: EscalationId,
    pub ticket_id: TicketId,
    pub reason: String,
    pub proposed_action: ProposedAction,
    pub invoice_id: Option<InvoiceId>,
    pub amount: Option<Money>,
    pub status: EscalationStatus,
    /// Who raised it: an assistant's client name or a person.
    pub raised_by: String,
    /// The agent id it was raised for (the person, or the person whose assistant raised it),
    /// as the platform records it: what "raised by me" is told by. Absent on rows from before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raised_by_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    /// Who decided it, as an agent id (the platform's; absent for a local decision not yet
    /// synced): a failed execution is their notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by_id: Option<String>,
    /// Above the tenant's two-person threshold: who gave the first approval (it stays pending
    /// until another supervisor gives the second).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_approved_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_approved_by_id: Option<String>,
    /// What became of it in the billing system, once approved, as the platform reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution: Option<ExecutionReport>,
}

/// What became of an approved escalation in the billing system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExecutionReport {
    pub state: Execution,
    /// The billing system's id of what it did (a credit note's id, the voided invoice's id).
    pub reference: Option<String>,
    /// Why it failed, or why the last attempt had no definite answer.
    pub error: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// A ticket with its thread, customer, drafts and escalations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TicketDetail {
    pub ticket: Ticket,
    pub customer: CustomerSummary,
    pub thread: Vec<Message>,
    /// The files sent with the thread's messages, by `message_id`.
    #[serde(default)]
    pub attachments: Vec<crate::records::Attachment>,
    pub drafts: Vec<Draft>,
    pub escalations: Vec<Escalation>,
}

/// A person acting on the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Person {
    /// Their agent id on the platform (a ticket's `assignee`): "mine" matches this, never a
    /// display name, which two colleagues may share.
    pub id: String,
    pub name: String,
    pub role: Role,
}

/// One of the tenant's agents, as every desk knows them (to assign a ticket to a colleague and
/// to show whose a ticket is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub role: Role,
}

/// One row of the append-only, hash-chained audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// `human`, `assistant` or `system`.
    pub actor_kind: String,
    pub actor: String,
    pub token_id: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    /// Arguments as given, secrets redacted.
    pub arguments: serde_json::Value,
    /// `ok` or an error code.
    pub outcome: String,
    pub duration_us: Option<i64>,
    pub hash: String,
}

/// An MCP client token's public record; the secret is shown once and stored only as a hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TokenInfo {
    pub id: TokenId,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}
