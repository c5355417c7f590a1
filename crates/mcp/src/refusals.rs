//! Calls the HTTP endpoint refused before the MCP layer saw them (no or a bad token, over the
//! rate), kept as summaries: one audit row per caller, reason and minute with the count, so
//! a flood is on record without growing the log by a row per call. A caller is the token's id,
//! or `unauthenticated` for every request without a valid token (a flood of made-up tokens is
//! one caller, not one row each).

use countersign_core::Store;
use countersign_core::audit::{self, ActorKind};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// Why a call was refused at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    Unauthenticated,
    RateLimited,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::RateLimited => "rate_limited",
        }
    }
}

/// The caller of requests without a valid token.
pub const UNAUTHENTICATED: &str = "unauthenticated";

/// Counts per (minute since the epoch, caller, reason), until written.
#[derive(Debug, Default)]
pub struct Refusals {
    counts: Mutex<BTreeMap<(u64, String, Reason), u64>>,
}

fn minute_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 60)
        .unwrap_or(0)
}

impl Refusals {
    /// Counts one refusal of `caller` (a token id, or [`UNAUTHENTICATED`]).
    pub fn record(&self, caller: &str, reason: Reason) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        *counts
            .entry((minute_now(), caller.to_owned(), reason))
            .or_default() += 1;
    }

    /// Writes the summaries of every minute that has ended (all of them with `everything`),
    /// one audit row each. Rows that cannot be written are kept for the next flush.
    pub async fn flush(&self, store: &Store, everything: bool) {
        let now = minute_now();
        let due: Vec<((u64, String, Reason), u64)> = {
            let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
            let keep = counts.split_off(&(
                if everything { u64::MAX } else { now },
                String::new(),
                Reason::Unauthenticated,
            ));
            std::mem::replace(&mut *counts, keep).into_iter().collect()
        };
        for ((minute, caller, reason), count) in due {
            let at = chrono::DateTime::from_timestamp((minute * 60) as i64, 0)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default();
            let token = (caller != UNAUTHENTICATED).then_some(caller.as_str());
            let record = audit::Record {
                actor_kind: ActorKind::Assistant,
                actor: &caller,
                token_id: token,
                action: "mcp_refused",
                subject: Some(reason.as_str()),
                arguments: &json!({"minute": at, "count": count}),
                outcome: reason.as_str(),
                duration_us: None,
            };
            if let Err(e) = audit::append_now(store, &record).await {
                tracing::error!(error = %e, "cannot write a refusal summary; keeping it for later");
                let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
                *counts.entry((minute, caller, reason)).or_default() += count;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_counted_per_caller_reason_and_minute() {
        let r = Refusals::default();
        for _ in 0..800 {
            r.record("tok_1", Reason::RateLimited);
        }
        r.record(UNAUTHENTICATED, Reason::Unauthenticated);
        r.record(UNAUTHENTICATED, Reason::Unauthenticated);
        let counts = r.counts.lock().unwrap();
        assert_eq!(counts.len(), 2, "{counts:?}");
        assert!(counts.values().any(|c| *c == 800));
        assert!(counts.values().any(|c| *c == 2));
    }
}
