//! Service levels on the desk: each open ticket carries when its SLA breaks (`sla_due_at`, set by
//! the platform). The inbox can list what breaks next first ([`crate::inbox`]); this module says
//! which of the person's own tickets break soon, so the desktop can warn them once before each
//! breach.

use crate::store::{Store, now, ts};
use crate::{Result, store};
use chrono::{DateTime, TimeDelta, Utc};
use countersign_model::TicketId;
use countersign_model::workflow::Person;
use std::collections::HashSet;

/// How long before a breach the person is warned.
pub const WARN_BEFORE: TimeDelta = TimeDelta::minutes(15);

/// One of the person's tickets whose SLA breaks soon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breaking {
    pub ticket: TicketId,
    pub subject: String,
    pub due: DateTime<Utc>,
}

impl Breaking {
    /// Whole minutes until it breaks, at least 1.
    pub fn minutes_left(&self) -> i64 {
        (self.due - now()).num_minutes().max(1)
    }
}

/// The person's open tickets (not snoozed, not merged) whose SLA breaks within `within` from now
/// and has not broken yet, the soonest first.
pub async fn breaking_soon(
    store: &Store,
    person: &Person,
    within: TimeDelta,
) -> Result<Vec<Breaking>> {
    let at = now();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, subject, sla_due_at FROM tickets \
         WHERE assignee = ? AND status = 'open' AND merged_into IS NULL \
           AND sla_due_at > ? AND sla_due_at <= ? \
           AND (snoozed_until IS NULL OR snoozed_until <= ?) \
         ORDER BY sla_due_at, id",
    )
    .bind(&person.id)
    .bind(ts(at))
    .bind(ts(at + within))
    .bind(ts(at))
    .fetch_all(store.pool())
    .await?;
    rows.into_iter()
        .map(|(id, subject, due)| {
            Ok(Breaking {
                ticket: TicketId::parse(&id).map_err(store::corrupt)?,
                subject,
                due: store::parse_ts(&due)?,
            })
        })
        .collect()
}

/// The breaches already warned of, so each is warned of once (a new due time is a new breach).
#[derive(Debug, Default)]
pub struct Warned(HashSet<(TicketId, DateTime<Utc>)>);

impl Warned {
    /// Those of `soon` not warned of yet, now remembered.
    pub fn fresh(&mut self, soon: Vec<Breaking>) -> Vec<Breaking> {
        soon.into_iter()
            .filter(|b| self.0.insert((b.ticket.clone(), b.due)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use countersign_model::workflow::Role;

    #[tokio::test]
    async fn the_persons_tickets_breaking_soon_are_warned_of_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        let at = |mins: i64| ts(now() + TimeDelta::minutes(mins));
        sqlx::query(
            "INSERT INTO customers (id, external_id, name, email, status, created_at, updated_at) \
             VALUES ('cus_1', 'e1', 'Ann', 'ann@example.com', 'active', ?1, ?1)",
        )
        .bind(at(0))
        .execute(store.pool())
        .await
        .unwrap();
        for (id, assignee, status, due, snoozed) in [
            ("tkt_soon", "agt_me", "open", Some(10), None),
            ("tkt_sooner", "agt_me", "open", Some(5), None),
            ("tkt_later", "agt_me", "open", Some(60), None),
            ("tkt_broken", "agt_me", "open", Some(-5), None),
            ("tkt_theirs", "agt_sue", "open", Some(5), None),
            ("tkt_waiting", "agt_me", "pending", Some(5), None),
            ("tkt_asleep", "agt_me", "open", Some(5), Some(120)),
            ("tkt_none", "agt_me", "open", None, None),
        ] {
            sqlx::query(
                "INSERT INTO tickets (id, customer_id, subject, status, priority, channel, assignee, \
                 language, sla_due_at, snoozed_until, created_at, updated_at) \
                 VALUES (?, 'cus_1', ?, ?, 'normal', 'email', ?, 'en', ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(format!("subject of {id}"))
            .bind(status)
            .bind(assignee)
            .bind(due.map(at))
            .bind(snoozed.map(at))
            .bind(at(-60))
            .bind(at(-60))
            .execute(store.pool())
            .await
            .unwrap();
        }
        let me = Person {
            id: "agt_me".into(),
            name: "Me".into(),
            role: Role::Agent,
        };
        let soon = breaking_soon(&store, &me, WARN_BEFORE).await.unwrap();
        assert_eq!(
            soon.iter().map(|b| b.ticket.as_str()).collect::<Vec<_>>(),
            ["tkt_sooner", "tkt_soon"],
            "mine, open, awake, not broken yet, within the warning, soonest first"
        );
        let mut warned = Warned::default();
        assert_eq!(warned.fresh(soon.clone()).len(), 2);
        assert!(warned.fresh(soon.clone()).is_empty(), "each warned of once");
        let mut moved = soon;
        moved[0].due += TimeDelta::minutes(1);
        assert_eq!(
            warned.fresh(moved).len(),
            1,
            "a new due time is a new breach"
        );
    }
}
