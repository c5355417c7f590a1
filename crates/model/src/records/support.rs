//! The help desk's records: tickets, their messages and attachments, knowledge-base articles.

use super::*;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Ticket {
    pub id: TicketId,
    pub customer_id: CustomerId,
    pub subject: String,
    pub status: TicketStatus,
    pub priority: TicketPriority,
    pub channel: Channel,
    pub assignee: Option<String>,
    /// BCP 47 language of the customer's messages, e.g. "en", "es".
    pub language: String,
    pub sla_due_at: Option<DateTime<Utc>>,
    /// Set aside until then: out of the inbox until the time comes or the customer writes.
    #[serde(default)]
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Merged into that ticket of the same customer: closed, its thread moved there.
    #[serde(default)]
    pub merged_into: Option<TicketId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    pub synced_at: Option<DateTime<Utc>>,
}

/// A ticket as a row of the inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TicketRow {
    pub ticket: Ticket,
    pub customer_name: String,
    /// Drafts waiting for a person's review.
    pub pending_drafts: i64,
    /// Drafts that went stale and need a re-review.
    pub stale_drafts: i64,
    pub open_escalations: i64,
    /// Colleagues on the ticket now (names), as the platform last said.
    #[serde(default)]
    pub present: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Message {
    pub id: MessageId,
    pub ticket_id: TicketId,
    pub author_kind: AuthorKind,
    pub author_name: String,
    pub body: String,
    pub visibility: Visibility,
    pub created_at: DateTime<Utc>,
    /// A reply's delivery to the customer, as the platform reports it; absent on messages that
    /// are not replies, and on a reply the platform has not reported on yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
}

/// What became of a reply on its way to the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Delivery {
    pub state: DeliveryState,
    /// The mail server's answer once sent, why it failed, or the last temporary failure while
    /// it is tried again.
    pub detail: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// A file a customer sent with a message, as a desk knows it: what it is, never its bytes. The
/// bytes stay on the platform and are fetched from there only when a person saves the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Attachment {
    pub id: String,
    pub message_id: MessageId,
    /// The file's name as sent, made safe (no directories, no control characters).
    pub name: String,
    /// The type the sender declared (`application/pdf`); shown, never trusted to open it.
    pub content_type: String,
    /// In bytes.
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Article {
    pub id: ArticleId,
    pub title: String,
    pub body: String,
    pub language: String,
    pub tags: Vec<String>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A knowledge-base search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleHit {
    pub id: ArticleId,
    pub title: String,
    pub language: String,
    /// The matching passage, with matches between « and ».
    pub snippet: String,
}
