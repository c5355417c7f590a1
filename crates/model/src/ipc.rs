//! What crosses the desktop app's IPC boundary between the shell (`src-tauri`) and the wasm32
//! user interface: requests, the views the UI renders, the live-update event and the one error
//! shape every command returns. Plain data; the shell maps core results into these.

use crate::error::ErrorCode;
use crate::records::{CustomerDetail, InvoiceSummary, Payment, TicketPriority, TicketStatus};
use crate::string_enum;
use crate::sync::SyncStatus;
use crate::workflow::{
    AuditEntry, Decision, Escalation, EscalationStatus, Person, ProposedAction, TokenInfo,
    TokenScope,
};
use crate::{DraftId, EscalationId, TicketId, TokenId};
use serde::{Deserialize, Serialize};

/// The event the shell emits when the desk database changed (any process, any connection).
pub const DESK_CHANGED_EVENT: &str = "desk-changed";

/// Every command's error: a stable code the UI may match on and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpcError {
    pub code: ErrorCode,
    /// What went wrong, in English (without the code's words: the code travels beside it).
    pub message: String,
    /// The refusal as data, for the refusals a person meets at the desk: the window says it in
    /// the person's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<crate::Problem>,
}

string_enum!(
    /// Whose tickets the inbox shows.
    InboxScope { Mine = "mine", Unassigned = "unassigned", All = "all" }
);

/// How the inbox is ordered: most recently updated first, or the open tickets whose SLA breaks
/// next first (overdue ones at the top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboxSort {
    #[default]
    Updated,
    BreaksNext,
}

/// One page of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxQuery {
    pub scope: InboxScope,
    pub status: Option<TicketStatus>,
    /// Words that must all appear in the subject or a message.
    pub text: Option<String>,
    /// Only tickets with a draft waiting (pending or stale).
    #[serde(default)]
    pub needs_review: bool,
    /// The tickets set aside until a time to come, instead of the others.
    #[serde(default)]
    pub snoozed: bool,
    #[serde(default)]
    pub sort: InboxSort,
    pub cursor: Option<String>,
    pub limit: i64,
}

impl Default for InboxQuery {
    fn default() -> Self {
        Self {
            scope: InboxScope::All,
            status: None,
            text: None,
            needs_review: false,
            snoozed: false,
            sort: InboxSort::Updated,
            cursor: None,
            limit: 50,
        }
    }
}

/// Approve a draft as filed, or with the reviewer's edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproveDraft {
    pub draft_id: DraftId,
    pub edited_body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectDraft {
    pub draft_id: DraftId,
    pub reason: String,
}

/// Ask the desk to draft a reply to a ticket now ("Draft with AI").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftWithAi {
    pub ticket_id: TicketId,
}

/// A public reply a person writes by hand (no draft).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteReply {
    pub ticket_id: TicketId,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddNote {
    pub ticket_id: TicketId,
    pub body: String,
}

/// A person raises an escalation from a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaiseEscalation {
    pub ticket_id: TicketId,
    pub reason: String,
    pub proposed_action: ProposedAction,
    /// An invoice id (`inv_…`) or its printed number.
    pub invoice: Option<String>,
    /// A decimal amount in the invoice's currency.
    pub amount: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecideEscalation {
    pub escalation_id: EscalationId,
    pub decision: Decision,
    pub note: Option<String>,
}

/// An escalation with the ticket it belongs to, for the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EscalationRow {
    pub escalation: Escalation,
    pub ticket_subject: String,
    pub customer_name: String,
    pub invoice_number: Option<String>,
    /// Other escalations pending on the same invoice (two refunds of one charge, from two
    /// tickets or two agents): the supervisor is warned before approving both.
    #[serde(default)]
    pub others_pending_on_invoice: i64,
}

/// Move a ticket to another status (open, pending, solved, closed), as the person saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetTicketStatus {
    pub ticket_id: TicketId,
    pub status: TicketStatus,
    /// The ticket's version on screen: a customer message since then makes the change stale.
    pub seen_version: i64,
}

/// The tenant's agents a ticket can go to, and which of them is the person at the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// The person's own agent id.
    pub me: String,
    /// By name.
    pub agents: Vec<crate::workflow::Agent>,
}

/// Give a ticket to an agent of the tenant (`None`: to nobody), as the person saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignTicket {
    pub ticket_id: TicketId,
    pub assignee: Option<String>,
    /// The ticket's version on screen: a colleague who took it meanwhile makes this stale.
    pub seen_version: i64,
}

/// Set a ticket aside until a time (`None`: wake it now), as the person saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnoozeTicket {
    pub ticket_id: TicketId,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    pub seen_version: i64,
}

/// Merge a ticket into another of the same customer, both as the person saw them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeTicket {
    pub ticket_id: TicketId,
    pub seen_version: i64,
    pub into: TicketId,
    pub into_version: i64,
}

/// Give a ticket another priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetTicketPriority {
    pub ticket_id: TicketId,
    pub priority: TicketPriority,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationQuery {
    pub status: Option<EscalationStatus>,
}

/// The customer panel beside a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerPanel {
    pub detail: CustomerDetail,
    /// The newest invoices first.
    pub invoices: Vec<InvoiceSummary>,
    /// The newest payments first, failed ones with the processor's reason.
    pub payments: Vec<Payment>,
}

/// The audit log view: the newest rows and whether the hash chain checks out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityView {
    pub entries: Vec<AuditEntry>,
    pub chain_rows: i64,
    /// `None` when the whole chain verifies; otherwise the first broken row and why.
    pub chain_break: Option<String>,
}

/// The in-process MCP endpoint's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpStatus {
    pub enabled: bool,
    pub port: u16,
    /// `http://127.0.0.1:PORT/mcp` while it listens.
    pub url: Option<String>,
    /// Why it is not listening (e.g. the port is taken), for the person to act on.
    pub error: Option<String>,
}

/// What the status bar shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskStatus {
    pub profile: String,
    pub person: Person,
    pub mcp: McpStatus,
    /// Assistants that called the desk over MCP in the last few minutes.
    pub assistants_active: Vec<String>,
    /// The desk's sync with the platform (`platform: None`: a local-only profile), with the
    /// outbox depth and the count of unread sync notices.
    pub sync: SyncStatus,
}

/// The settings page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    pub profile: String,
    pub person: Person,
    /// The agent refund cap as a decimal, `None` when agents may approve no refund.
    pub refund_cap: Option<String>,
    /// The profile is signed in to a platform: the name, role and cap are the platform's and
    /// cannot be changed here.
    #[serde(default)]
    pub platform_owned: bool,
    pub mcp: McpStatus,
    pub tokens: Vec<TokenInfo>,
    /// Whether a desktop notification is raised when a draft arrives.
    pub notifications: bool,
    /// Whether the desk drafts a reply by itself when a customer writes.
    #[serde(default)]
    pub auto_draft: bool,
    /// Whether drafting by itself also asks the AI providers.
    #[serde(default)]
    pub auto_providers: bool,
    /// The AI providers of the drafting chain, first tried first (the offline drafter follows).
    #[serde(default)]
    pub providers: Vec<crate::workflow::ProviderInfo>,
    /// The language the window reads in: `system` (the desktop's) or `en`, `es`, `fr`, `de`.
    #[serde(default = "system_language")]
    pub language: String,
    /// The person has read the window's first-start welcome.
    #[serde(default)]
    pub welcomed: bool,
    /// The desktop's preferred languages, most preferred first (`es_ES.UTF-8`, `fr`…), from
    /// the session's locale settings: what `system` means. Filled by the shell.
    #[serde(default)]
    pub system_languages: Vec<String>,
    /// How each MCP client starts this desk's stdio server (the recommended way: no token, no
    /// server), filled by the shell that knows where `countersign` is.
    #[serde(default)]
    pub connect: Vec<ConfigSnippet>,
}

fn system_language() -> String {
    "system".into()
}

/// Add an AI provider at the end of the chain. The key goes to the OS keyring.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddProvider {
    pub name: String,
    /// `openai-compatible` or `anthropic`.
    pub kind: String,
    /// Empty: the kind's public endpoint.
    pub base_url: String,
    pub model: String,
    pub timeout_secs: Option<u64>,
    /// Empty or absent: no key (a local server).
    pub key: Option<String>,
}

impl std::fmt::Debug for AddProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AddProvider")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("timeout_secs", &self.timeout_secs)
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Change one setting (`person.name`, `person.role`, `agent.refund_cap`, `mcp.port`, `mcp.enabled`,
/// `notifications.enabled`, `drafting.auto`, `drafting.auto_providers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSetting {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateToken {
    pub name: String,
    pub scope: TokenScope,
}

/// A ready-to-paste client configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigSnippet {
    pub client: String,
    pub file: String,
    pub text: String,
}

/// A token just created: its secret is shown this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub info: TokenInfo,
    pub secret: String,
    pub snippets: Vec<ConfigSnippet>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeToken {
    pub token_id: TokenId,
}

/// A draft that arrived since the last change, for the notification and the inbox highlight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftArrived {
    pub draft_id: DraftId,
    pub ticket_id: TicketId,
    pub ticket_subject: String,
    pub priority: TicketPriority,
    pub client: String,
}

/// The payload of [`DESK_CHANGED_EVENT`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskChanged {
    /// Increases with every change the shell saw.
    pub generation: u64,
    pub drafts_arrived: Vec<DraftArrived>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipc_error_serialises_as_code_and_message() {
        let e = IpcError {
            code: ErrorCode::Stale,
            message: "draft is stale".into(),
            problem: None,
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "stale", "message": "draft is stale"}),
            "the UI matches on `code`; the shape is the contract"
        );
        let refused = IpcError {
            problem: Some(crate::Problem::Required {
                field: crate::problem::TextField::Note,
            }),
            ..e
        };
        assert_eq!(
            serde_json::to_value(&refused).unwrap()["problem"],
            serde_json::json!({"problem": "required", "field": "note"}),
        );
    }

    #[test]
    fn inbox_query_accepts_a_minimal_request() {
        let q: InboxQuery = serde_json::from_value(serde_json::json!({
            "scope": "mine", "status": null, "text": null, "cursor": null, "limit": 50
        }))
        .unwrap();
        assert_eq!(q.scope, InboxScope::Mine);
        assert!(!q.needs_review, "needs_review defaults to false");
    }
}
