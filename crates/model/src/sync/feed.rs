//! The change feed (`GET /v1/sync/changes`) and its event stream (`GET /v1/sync/events`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A page of the change feed as it crosses the wire with each record kept as JSON text: the
/// platform sends the text PostgreSQL renders and the desk hands it to SQLite, so neither side
/// parses a record into a value tree only to write it out again. Same JSON as [`ChangesPage`].
#[derive(Debug, Serialize, Deserialize)]
pub struct RawChangesPage {
    pub changes: Vec<RawChange>,
    pub cursor: i64,
    pub has_more: bool,
}

/// One change of a [`RawChangesPage`]: [`Change`] with `data` as JSON text.
#[derive(Debug, Serialize, Deserialize)]
pub struct RawChange {
    pub seq: i64,
    pub entity: Entity,
    pub id: String,
    pub version: i64,
    pub data: Box<serde_json::value::RawValue>,
}

/// `GET /v1/sync/changes` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangesPage {
    pub changes: Vec<Change>,
    /// Pass as `after` next time. Equals the request's `after` when there was nothing new.
    pub cursor: i64,
    /// More changes are waiting beyond `limit`: pull again at once.
    pub has_more: bool,
}

/// One change in a tenant's feed. `seq` increases by commit order within a tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub seq: i64,
    pub entity: Entity,
    pub id: String,
    pub version: i64,
    /// The record after the change, with the desk schema's column names
    /// (see `migrations/0001_desk.sql`); an invoice carries its `line_items` array.
    pub data: Value,
}

/// A kind of record in the feed. Declared so that each comes after the ones it references;
/// the derived order is the order a desk applies a page in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Agent,
    Customer,
    Subscription,
    Invoice,
    Payment,
    Wallet,
    Ticket,
    Message,
    Attachment,
    Escalation,
    KbArticle,
    SavedReply,
    /// A tenant rule set the desks apply too (`id` `escalations`: the escalation policy).
    Policy,
}

impl Entity {
    /// Every entity, in declaration (reference) order.
    pub const ALL: [Entity; 13] = [
        Entity::Agent,
        Entity::Customer,
        Entity::Subscription,
        Entity::Invoice,
        Entity::Payment,
        Entity::Wallet,
        Entity::Ticket,
        Entity::Message,
        Entity::Attachment,
        Entity::Escalation,
        Entity::KbArticle,
        Entity::SavedReply,
        Entity::Policy,
    ];

    /// Its name in the feed (`changes.entity` on the platform, the JSON of a change).
    pub const fn name(self) -> &'static str {
        match self {
            Entity::Agent => "agent",
            Entity::Customer => "customer",
            Entity::Subscription => "subscription",
            Entity::Invoice => "invoice",
            Entity::Payment => "payment",
            Entity::Wallet => "wallet",
            Entity::Ticket => "ticket",
            Entity::Message => "message",
            Entity::Attachment => "attachment",
            Entity::Escalation => "escalation",
            Entity::KbArticle => "kb_article",
            Entity::SavedReply => "saved_reply",
            Entity::Policy => "policy",
        }
    }

    /// The table that holds it, on a desk and on the platform alike: the one kind→table map.
    pub const fn table(self) -> &'static str {
        match self {
            Entity::Agent => "agents",
            Entity::Customer => "customers",
            Entity::Subscription => "subscriptions",
            Entity::Invoice => "invoices",
            Entity::Payment => "payments",
            Entity::Wallet => "wallets",
            Entity::Ticket => "tickets",
            Entity::Message => "messages",
            Entity::Attachment => "attachments",
            Entity::Escalation => "escalations",
            Entity::KbArticle => "kb_articles",
            Entity::SavedReply => "saved_replies",
            Entity::Policy => "policies",
        }
    }
}

/// Data of an SSE `change` event on `GET /v1/sync/events`: the tenant's feed reached `cursor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEvent {
    pub cursor: i64,
}

/// `POST /v1/presence`: where the person at a desk is now. `ticket_id: null`: on no ticket.
/// A desk repeats it while the person stays (it lapses after [`PRESENCE_TTL_SECS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceUpdate {
    pub ticket_id: Option<String>,
    /// Writing a reply or a note, not only reading.
    #[serde(default)]
    pub replying: bool,
}

/// How long a desk's presence lasts unless repeated.
pub const PRESENCE_TTL_SECS: i64 = 45;

/// One agent of the tenant on a ticket now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceEntry {
    pub agent_id: String,
    pub agent_name: String,
    pub ticket_id: String,
    pub replying: bool,
    /// It lapses then unless the desk repeats it.
    pub until: chrono::DateTime<chrono::Utc>,
}

/// Data of an SSE `presence` event on `GET /v1/sync/events` (and the answer of
/// `POST /v1/presence`): every agent of the tenant on a ticket now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceEvent {
    pub present: Vec<PresenceEntry>,
    /// When the platform read the list. A desk gets lists by two roads (its own announcement's
    /// answer, the event stream) that may arrive out of order: it keeps the newest.
    #[serde(default)]
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_entity_in_declaration_order() {
        assert!(Entity::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn an_entitys_feed_name_is_its_json_name() {
        for e in Entity::ALL {
            assert_eq!(serde_json::to_value(e).unwrap(), e.name());
        }
    }
}
