//! Who else is on a ticket now. The desk tells the platform where its person is (the ticket
//! open, reading or replying; [`announce`]), and keeps the tenant's list the platform's event
//! stream sends ([`store_list`]) so the window can show a colleague on the same ticket before two
//! people answer one customer. A desk without a platform has no colleagues: announcing is a no-op.

use super::{connect, state};
use crate::store::{Store, now, ts};
use crate::{Error, Result};
use countersign_model::TicketId;
use countersign_model::sync::{PresenceEntry, PresenceEvent, PresenceUpdate};
use countersign_model::workflow::Person;
use sqlx::Row;

/// How long before an entry would lapse the list is written again though it says the same.
const RENEW_WITHIN: chrono::TimeDelta = chrono::TimeDelta::seconds(20);

/// Tells the platform the person is on `ticket` now (reading, or `replying`), or on none.
/// Returns whether a platform was told (false for a desk that syncs with none).
pub async fn announce(store: &Store, ticket: Option<&TicketId>, replying: bool) -> Result<bool> {
    if state::get(store.pool(), state::URL).await?.is_none() {
        return Ok(false);
    }
    let (client, _) = connect(store).await?;
    let list = client
        .presence(&PresenceUpdate {
            ticket_id: ticket.map(ToString::to_string),
            replying,
        })
        .await?;
    store_list(store, &list).await?;
    Ok(true)
}

/// Keeps the tenant's list as the platform last sent it. Each colleague's desk repeats its
/// presence every few seconds, and every write wakes the window: a list that says what the desk
/// holds already is written only when what it holds would lapse within [`RENEW_WITHIN`].
pub async fn store_list(store: &Store, list: &PresenceEvent) -> Result<()> {
    // Checked and written under the desk's write lock: two lists stored at once (an
    // announcement's answer, a stream event) cannot both pass the check.
    let mut tx = store.write().await?;
    // A list older than the one held arrived late (the two roads race): it is not news.
    let held_as_of = state::get(&mut *tx, state::PRESENCE_AS_OF).await?;
    if let (Some(new), Some(held)) = (list.as_of, held_as_of)
        && ts(new) < held
    {
        return Ok(());
    }
    let held: Vec<(String, String, String, bool, String)> = sqlx::query_as(
        "SELECT agent_id, agent_name, ticket_id, replying, until FROM presence ORDER BY agent_id",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut new: Vec<(&str, &str, &str, bool)> = list
        .present
        .iter()
        .map(|p| {
            (
                p.agent_id.as_str(),
                p.agent_name.as_str(),
                p.ticket_id.as_str(),
                p.replying,
            )
        })
        .collect();
    new.sort_unstable();
    let renew_by = ts(now() + RENEW_WITHIN);
    let same = held.len() == new.len()
        && held
            .iter()
            .zip(&new)
            .all(|(h, n)| (h.0.as_str(), h.1.as_str(), h.2.as_str(), h.3) == *n && h.4 > renew_by);
    if same {
        return Ok(());
    }
    if let Some(as_of) = list.as_of {
        state::put(&mut *tx, state::PRESENCE_AS_OF, &ts(as_of)).await?;
    }
    sqlx::query("DELETE FROM presence")
        .execute(&mut *tx)
        .await?;
    for p in &list.present {
        sqlx::query(
            "INSERT OR REPLACE INTO presence (agent_id, agent_name, ticket_id, replying, until) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&p.agent_id)
        .bind(&p.agent_name)
        .bind(&p.ticket_id)
        .bind(p.replying)
        .bind(ts(p.until))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Forgets the list (the stream ended: it may be out of date).
pub(super) async fn forget(store: &Store) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM presence")
        .execute(&mut *tx)
        .await?;
    state::delete(&mut *tx, state::PRESENCE_AS_OF).await?;
    tx.commit().await?;
    Ok(())
}

/// The person's colleagues on `ticket` now, by name.
pub async fn on_ticket(
    store: &Store,
    person: &Person,
    ticket: &TicketId,
) -> Result<Vec<PresenceEntry>> {
    let rows = sqlx::query(
        "SELECT agent_id, agent_name, ticket_id, replying, until FROM presence \
         WHERE ticket_id = ? AND agent_id <> ? AND until > ? ORDER BY agent_name, agent_id",
    )
    .bind(ticket.as_str())
    .bind(&person.id)
    .bind(ts(now()))
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PresenceEntry {
                agent_id: r.try_get("agent_id")?,
                agent_name: r.try_get("agent_name")?,
                ticket_id: r.try_get("ticket_id")?,
                replying: r.try_get::<i64, _>("replying")? != 0,
                until: crate::store::parse_ts(&r.try_get::<String, _>("until")?)
                    .map_err(|e| Error::Internal(e.to_string()))?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use countersign_model::workflow::Role;

    fn entry(agent: &str, ticket: &str, replying: bool, secs: i64) -> PresenceEntry {
        PresenceEntry {
            agent_id: agent.into(),
            agent_name: format!("{agent} name"),
            ticket_id: ticket.into(),
            replying,
            until: now() + chrono::TimeDelta::seconds(secs),
        }
    }

    #[tokio::test]
    async fn colleagues_are_kept_as_the_platform_says_and_lapse() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        let me = Person {
            id: "agt_me".into(),
            name: "Me".into(),
            role: Role::Agent,
        };
        let ticket = TicketId::parse("tkt_1").unwrap();
        let list = PresenceEvent {
            present: vec![
                entry("agt_me", "tkt_1", true, 45),
                entry("agt_sue", "tkt_1", true, 45),
                entry("agt_old", "tkt_1", false, -1),
                entry("agt_bob", "tkt_2", false, 45),
            ],
            as_of: None,
        };
        store_list(&store, &list).await.unwrap();
        let on = on_ticket(&store, &me, &ticket).await.unwrap();
        assert_eq!(
            on.iter()
                .map(|p| (p.agent_id.as_str(), p.replying))
                .collect::<Vec<_>>(),
            [("agt_sue", true)],
            "not me, not lapsed, not another ticket"
        );
        // What the platform sends (no lapsed entry), then the same again (a colleague's
        // repeat): the repeat writes nothing, so nothing wakes the window.
        let mut list = list;
        list.present.retain(|p| p.agent_id != "agt_old");
        store_list(&store, &list).await.unwrap();
        let mut watch = crate::changes::ChangeWatch::open(&store).await.unwrap();
        store_list(&store, &list).await.unwrap();
        assert!(
            watch.poll().await.unwrap().is_none(),
            "an unchanged list is not written"
        );
        let mut moved = list.clone();
        moved.present[1].replying = false;
        store_list(&store, &moved).await.unwrap();
        assert!(watch.poll().await.unwrap().is_some(), "a change is");
        forget(&store).await.unwrap();
        assert!(on_ticket(&store, &me, &ticket).await.unwrap().is_empty());

        // Two desks, session 14: an announcement's answer and a stream event raced, and the
        // older list, stored last, hid a colleague who had joined. The newest list wins.
        let mut newer = list.clone();
        newer.as_of = Some(now());
        let mut older = list.clone();
        older.as_of = Some(now() - chrono::TimeDelta::seconds(1));
        older.present.retain(|p| p.agent_id != "agt_sue");
        store_list(&store, &newer).await.unwrap();
        store_list(&store, &older).await.unwrap();
        let on = on_ticket(&store, &me, &ticket).await.unwrap();
        assert_eq!(on.len(), 1, "Sue is still there: {on:?}");
    }
}
