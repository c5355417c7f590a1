//! The sync protocol between a desktop and the central platform (JSON over HTTP).
//!
//! A desktop **pushes** the mutations its people made (its outbox, in order) with
//! `POST /v1/sync/mutations` and **pulls** what changed for its tenant with
//! `GET /v1/sync/changes?after=CURSOR&limit=N`. `GET /v1/sync/events` is a Server-Sent Events stream
//! whose `change` events (data: [`ChangeEvent`]) tell a connected desktop to pull now.
//!
//! Mutations travel with their payload as raw JSON so that one malformed mutation is rejected on
//! its own (`invalid`) instead of failing the whole batch; [`MutationBody::parse`] turns it into a
//! typed value.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{ErrorCode, ParseError, workflow::Role};

mod feed;
mod payloads;
pub use feed::{
    Change, ChangeEvent, ChangesPage, Entity, PRESENCE_TTL_SECS, PresenceEntry, PresenceEvent,
    PresenceUpdate, RawChange, RawChangesPage,
};
pub use payloads::{
    AddNote, Assign, DecideEscalation, MergeTickets, RaiseEscalation, RetryExecution, SendReply,
    SetPriority, SetStatus, Snooze,
};

/// `GET /v1/me`: who the token belongs to. A connected desktop takes its role from here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub agent: AgentInfo,
    pub tenant: TenantInfo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentInfo {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantInfo {
    pub id: String,
    pub name: String,
}

/// `POST /v1/sync/mutations` request: one device's mutations, in its outbox order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutationBatch {
    /// Stable per desktop profile; `(device_id, seq)` is a dedup key.
    pub device_id: String,
    pub mutations: Vec<Mutation>,
}

/// One mutation as it travels. `id` is globally unique and the second dedup key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    /// The desktop's outbox sequence number (strictly increasing per device).
    pub seq: i64,
    pub id: String,
    /// One of [`MutationKind`]'s names; kept as text so an unknown kind is rejected on its own.
    pub kind: String,
    pub payload: Value,
    /// The versions the person saw, keyed `"<entity>:<id>"` (e.g. `"ticket:tkt_…"`,
    /// `"invoice:inv_…"`). The platform rejects the mutation as `stale` if a customer wrote on the
    /// ticket after that version, or a cited record has a newer version.
    #[serde(default)]
    pub based_on: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MutationKind {
    SendReply,
    AddNote,
    RaiseEscalation,
    DecideEscalation,
    Assign,
    SetStatus,
    SetPriority,
    Snooze,
    MergeTickets,
    RetryExecution,
}

impl MutationKind {
    pub const ALL: [MutationKind; 10] = [
        Self::SendReply,
        Self::AddNote,
        Self::RaiseEscalation,
        Self::DecideEscalation,
        Self::Assign,
        Self::SetStatus,
        Self::SetPriority,
        Self::Snooze,
        Self::MergeTickets,
        Self::RetryExecution,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SendReply => "send_reply",
            Self::AddNote => "add_note",
            Self::RaiseEscalation => "raise_escalation",
            Self::DecideEscalation => "decide_escalation",
            Self::Assign => "assign",
            Self::SetStatus => "set_status",
            Self::SetPriority => "set_priority",
            Self::Snooze => "snooze",
            Self::MergeTickets => "merge_tickets",
            Self::RetryExecution => "retry_execution",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| ParseError::new("kind", format!("unknown mutation kind {s:?}")))
    }
}

/// A mutation's payload, parsed by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum MutationBody {
    SendReply(SendReply),
    AddNote(AddNote),
    RaiseEscalation(RaiseEscalation),
    DecideEscalation(DecideEscalation),
    Assign(Assign),
    SetStatus(SetStatus),
    SetPriority(SetPriority),
    Snooze(Snooze),
    MergeTickets(MergeTickets),
    RetryExecution(RetryExecution),
}

impl MutationBody {
    pub fn parse(kind: &str, payload: &Value) -> Result<Self, ParseError> {
        fn typed<T: serde::de::DeserializeOwned>(payload: &Value) -> Result<T, ParseError> {
            T::deserialize(payload).map_err(|e| ParseError::new("payload", e.to_string()))
        }
        Ok(match MutationKind::parse(kind)? {
            MutationKind::SendReply => Self::SendReply(typed(payload)?),
            MutationKind::AddNote => Self::AddNote(typed(payload)?),
            MutationKind::RaiseEscalation => Self::RaiseEscalation(typed(payload)?),
            MutationKind::DecideEscalation => Self::DecideEscalation(typed(payload)?),
            MutationKind::Assign => Self::Assign(typed(payload)?),
            MutationKind::SetStatus => Self::SetStatus(typed(payload)?),
            MutationKind::SetPriority => Self::SetPriority(typed(payload)?),
            MutationKind::Snooze => Self::Snooze(typed(payload)?),
            MutationKind::MergeTickets => Self::MergeTickets(typed(payload)?),
            MutationKind::RetryExecution => Self::RetryExecution(typed(payload)?),
        })
    }

    /// The payload as it travels: the one shape both the desk that writes it and the platform
    /// that parses it use.
    pub fn payload(&self) -> Value {
        let v = match self {
            Self::SendReply(p) => serde_json::to_value(p),
            Self::AddNote(p) => serde_json::to_value(p),
            Self::RaiseEscalation(p) => serde_json::to_value(p),
            Self::DecideEscalation(p) => serde_json::to_value(p),
            Self::Assign(p) => serde_json::to_value(p),
            Self::SetStatus(p) => serde_json::to_value(p),
            Self::SetPriority(p) => serde_json::to_value(p),
            Self::Snooze(p) => serde_json::to_value(p),
            Self::MergeTickets(p) => serde_json::to_value(p),
            Self::RetryExecution(p) => serde_json::to_value(p),
        };
        // Plain structs of strings, numbers and options always serialise.
        v.unwrap_or(Value::Null)
    }

    pub fn kind(&self) -> MutationKind {
        match self {
            Self::SendReply(_) => MutationKind::SendReply,
            Self::AddNote(_) => MutationKind::AddNote,
            Self::RaiseEscalation(_) => MutationKind::RaiseEscalation,
            Self::DecideEscalation(_) => MutationKind::DecideEscalation,
            Self::Assign(_) => MutationKind::Assign,
            Self::SetStatus(_) => MutationKind::SetStatus,
            Self::SetPriority(_) => MutationKind::SetPriority,
            Self::Snooze(_) => MutationKind::Snooze,
            Self::MergeTickets(_) => MutationKind::MergeTickets,
            Self::RetryExecution(_) => MutationKind::RetryExecution,
        }
    }
}

/// Every mutation kind with each optional field present and absent, for the tests that
/// round-trip them from the desk's queue through the platform. An exhaustive match: a new kind
/// cannot be left out.
#[doc(hidden)]
pub fn examples(kind: MutationKind, ticket: &str, escalation: &str) -> Vec<MutationBody> {
    let t = ticket.to_owned();
    let e = escalation.to_owned();
    match kind {
        MutationKind::SendReply => [None, Some("drf_1".to_owned())]
            .into_iter()
            .map(|draft_id| {
                MutationBody::SendReply(SendReply {
                    ticket_id: t.clone(),
                    message_id: format!("msg_{}", draft_id.is_some()),
                    edited: draft_id.is_some(),
                    draft_id,
                    body: "Hello Anna".into(),
                    approved_by: "Sam".into(),
                })
            })
            .collect(),
        MutationKind::AddNote => vec![MutationBody::AddNote(AddNote {
            ticket_id: t,
            message_id: "msg_note".into(),
            body: "Checked the bank statement".into(),
            author: "Sam".into(),
            author_kind: "agent".into(),
        })],
        MutationKind::RaiseEscalation => [false, true]
            .into_iter()
            .map(|money| {
                MutationBody::RaiseEscalation(RaiseEscalation {
                    escalation_id: format!("{e}_{money}"),
                    ticket_id: t.clone(),
                    reason: "double charge".into(),
                    proposed_action: if money { "refund" } else { "other" }.into(),
                    invoice_id: money.then(|| "inv_1".to_owned()),
                    amount: money.then(|| {
                        crate::Money::from_minor(1250, crate::Currency::parse("EUR").unwrap())
                    }),
                })
            })
            .collect(),
        MutationKind::DecideEscalation => ["", "Duplicate confirmed"]
            .into_iter()
            .map(|note| {
                MutationBody::DecideEscalation(DecideEscalation {
                    escalation_id: e.clone(),
                    decision: "approve".into(),
                    note: note.into(),
                    decided_by: "Sue".into(),
                })
            })
            .collect(),
        MutationKind::Assign => [None, Some("agt_1".to_owned())]
            .into_iter()
            .map(|assignee| {
                MutationBody::Assign(Assign {
                    ticket_id: t.clone(),
                    assignee,
                })
            })
            .collect(),
        MutationKind::SetStatus => vec![MutationBody::SetStatus(SetStatus {
            ticket_id: t,
            status: "pending".into(),
        })],
        MutationKind::SetPriority => vec![MutationBody::SetPriority(SetPriority {
            ticket_id: t,
            priority: "high".into(),
        })],
        MutationKind::Snooze => [None, chrono::DateTime::from_timestamp(4_102_444_800, 0)]
            .into_iter()
            .map(|until| {
                MutationBody::Snooze(Snooze {
                    ticket_id: t.clone(),
                    until,
                })
            })
            .collect(),
        MutationKind::MergeTickets => vec![MutationBody::MergeTickets(MergeTickets {
            ticket_id: t,
            into: "tkt_other".into(),
        })],
        MutationKind::RetryExecution => vec![MutationBody::RetryExecution(RetryExecution {
            escalation_id: e,
            requested_by: "Sue".into(),
        })],
    }
}

/// `POST /v1/sync/mutations` response: one result per mutation, in request order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutationResults {
    pub results: Vec<MutationResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutationResult {
    pub seq: i64,
    pub id: String,
    #[serde(flatten)]
    pub outcome: MutationOutcome,
}

/// What happened to a mutation. A rejected mutation never blocks the ones after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum MutationOutcome {
    /// Applied now. `effect` names what it created or changed (e.g. `{"message_id": …}`).
    Applied { effect: Value },
    /// Seen before (same `(device_id, seq)` or same `id`): nothing was done again; `original` is
    /// the outcome recorded the first time.
    Duplicate { original: Box<MutationOutcome> },
    /// Refused: `forbidden`, `conflict`, `stale`, `invalid_argument` or `not_found`.
    /// On `conflict`, `winner` holds the state that won (e.g. the other supervisor's decision).
    Rejected {
        code: ErrorCode,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        winner: Option<Value>,
    },
}

/// A desk's sync state, for the status bar and `countersign sync status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SyncStatus {
    /// The platform this profile syncs with; `None` for an offline (demo) profile.
    pub platform: Option<String>,
    /// Who the platform says this desk is, once signed in.
    pub me: Option<Me>,
    /// Whether a token is in the OS keyring (`None` when the keyring could not be asked).
    pub signed_in: Option<bool>,
    /// Whether the last exchange with the platform succeeded (`None`: never tried).
    pub online: Option<bool>,
    /// The change-feed position the desk has applied up to.
    pub cursor: i64,
    /// Local decisions not yet delivered to the platform.
    pub outbox_depth: i64,
    pub last_pull_at: Option<String>,
    pub last_push_at: Option<String>,
    pub last_error: Option<String>,
    /// Since when the platform's event stream is open (changes arrive live); `None` when no
    /// process of this desk is watching.
    pub live_since: Option<String>,
    /// Refusals and conflicts from the platform a person has not acknowledged yet.
    pub unread_notices: i64,
    /// A first sync has not caught up yet: the desk's indexes are set aside until it has, and
    /// searches find nothing from the platform meanwhile.
    #[serde(default)]
    pub first_sync_loading: bool,
}

/// Something the platform refused or decided otherwise, that a person must see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncNotice {
    pub id: i64,
    pub at: String,
    /// The platform's code: stale, conflict, forbidden, invalid_argument, not_found.
    pub code: String,
    /// What it is about, e.g. `draft dft_…` or `escalation esc_…`.
    pub subject: String,
    pub message: String,
    pub read: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_result_is_flat_with_a_status_tag() {
        let r = MutationResult {
            seq: 3,
            id: "mut_1".into(),
            outcome: MutationOutcome::Duplicate {
                original: Box::new(MutationOutcome::Rejected {
                    code: ErrorCode::Stale,
                    message: "customer wrote again".into(),
                    winner: None,
                }),
            },
        };
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(
            v,
            json!({"seq": 3, "id": "mut_1", "status": "duplicate",
                   "original": {"status": "rejected", "code": "stale", "message": "customer wrote again"}})
        );
        assert_eq!(serde_json::from_value::<MutationResult>(v).unwrap(), r);
    }

    #[test]
    fn an_approval_without_a_note_parses_whether_the_note_is_missing_or_null() {
        for payload in [
            json!({"escalation_id": "esc_1", "decision": "approve", "decided_by": "Sue"}),
            json!({"escalation_id": "esc_1", "decision": "approve", "note": null, "decided_by": "Sue"}),
        ] {
            let MutationBody::DecideEscalation(d) =
                MutationBody::parse("decide_escalation", &payload)
                    .unwrap_or_else(|e| panic!("{payload}: {e}"))
            else {
                panic!("a decide_escalation payload is one")
            };
            assert_eq!(d.note, "", "{payload}");
        }
    }

    #[test]
    fn every_mutation_kind_round_trips_with_its_optional_fields_present_and_absent() {
        for kind in MutationKind::ALL {
            let examples = examples(kind, "tkt_1", "esc_1");
            assert!(!examples.is_empty(), "{kind:?}");
            for body in examples {
                assert_eq!(body.kind(), kind);
                let payload = body.payload();
                // As it travels: text in the desk's outbox, parsed by the platform.
                let text = serde_json::to_string(&payload).unwrap();
                let back =
                    MutationBody::parse(kind.as_str(), &serde_json::from_str(&text).unwrap())
                        .unwrap_or_else(|e| panic!("{kind:?} {payload}: {e}"));
                assert_eq!(back, body, "{kind:?}");
                // An absent optional field reads as one sent as null.
                let mut sparse = payload.clone();
                sparse.as_object_mut().unwrap().retain(|_, v| !v.is_null());
                assert_eq!(
                    MutationBody::parse(kind.as_str(), &sparse).unwrap(),
                    body,
                    "{kind:?}"
                );
            }
        }
    }

    #[test]
    fn payloads_parse_by_kind_and_bad_ones_are_refused_alone() {
        let ok = MutationBody::parse(
            "raise_escalation",
            &json!({"escalation_id": "esc_1", "ticket_id": "tkt_1", "reason": "double charge",
                    "proposed_action": "refund", "invoice_id": "inv_1",
                    "amount": {"amount": "12.50", "currency": "EUR"}}),
        )
        .unwrap();
        assert_eq!(ok.kind(), MutationKind::RaiseEscalation);
        assert!(MutationBody::parse("launch_rockets", &json!({})).is_err());
        assert!(
            MutationBody::parse("send_reply", &json!({"ticket_id": 5})).is_err(),
            "a wrongly typed payload must not parse"
        );
        assert!(
            MutationBody::parse(
                "raise_escalation",
                &json!({"escalation_id": "e", "ticket_id": "t", "reason": "r", "proposed_action": "refund",
                        "amount": {"amount": "1.5e3", "currency": "EUR"}})
            )
            .is_err(),
            "amounts are exact decimals, never floats"
        );
    }
}
