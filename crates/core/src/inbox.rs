//! The desktop inbox: the ticket list seen by the person at the desk — theirs, unassigned or
//! all, by status, by words, paged by cursor so a desk of any size stays quick. A row's
//! "stale draft" badge is evaluated now, by the rule the ticket view applies
//! (`workflow::staleness`): a pending draft whose customer wrote again or whose cited records
//! changed counts as stale.

use crate::Result;
use crate::records::tickets::{self, TicketFilter};
use countersign_model::ipc::{InboxQuery, InboxScope, InboxSort};
use countersign_model::records::{Page, TicketRow};
use countersign_model::workflow::Person;
use sqlx::SqlitePool;

/// One page of the inbox for `person`, most recently updated first.
pub async fn page(pool: &SqlitePool, person: &Person, q: &InboxQuery) -> Result<Page<TicketRow>> {
    let filter = TicketFilter {
        status: q.status,
        customer_id: None,
        assignee: (q.scope == InboxScope::Mine).then(|| person.id.clone()),
        unassigned: q.scope == InboxScope::Unassigned,
        query: q.text.clone().filter(|t| !t.trim().is_empty()),
        needs_review: q.needs_review,
        // The inbox is what needs the person now: a ticket set aside waits in its own list.
        snoozed: Some(q.snoozed),
        breaks_next: q.sort == InboxSort::BreaksNext,
    };
    let mut page = tickets::list(pool, &filter, q.cursor.as_deref(), q.limit).await?;
    with_colleagues(pool, person, &mut page.items).await?;
    Ok(page)
}

/// Names on each row the colleagues on its ticket now (one read of the desk's small list).
async fn with_colleagues(pool: &SqlitePool, person: &Person, rows: &mut [TicketRow]) -> Result<()> {
    let ids: Vec<&str> = rows.iter().map(|r| r.ticket.id.as_str()).collect();
    let ids = serde_json::to_string(&ids).map_err(|e| crate::Error::Internal(e.to_string()))?;
    let present: Vec<(String, String)> = sqlx::query_as(
        "SELECT ticket_id, agent_name FROM presence WHERE agent_id <> ? AND until > ? \
         AND ticket_id IN (SELECT value FROM json_each(?)) ORDER BY agent_name",
    )
    .bind(&person.id)
    .bind(crate::store::ts(crate::store::now()))
    .bind(ids)
    .fetch_all(pool)
    .await?;
    for (ticket, name) in present {
        if let Some(row) = rows.iter_mut().find(|r| r.ticket.id.as_str() == ticket) {
            row.present.push(name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use crate::workflow::AssistantCall;
    use crate::workflow::drafts::NewDraft;
    use countersign_model::TicketId;
    use countersign_model::workflow::{Role, TokenScope};

    #[tokio::test]
    async fn a_draft_whose_customer_wrote_again_shows_as_stale_in_the_inbox() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        let mut cfg = crate::demo::DemoConfig::small(chrono::Utc::now().date_naive());
        (cfg.customers, cfg.invoices, cfg.tickets) = (5, 20, 5);
        crate::demo::seed(&store, &cfg, &mut |_, _, _| {})
            .await
            .unwrap();
        let person = Person {
            id: "agt_alex".into(),
            name: "Alex Morgan".into(),
            role: Role::Agent,
        };
        let q = InboxQuery::default();
        let first = page(store.pool(), &person, &q).await.unwrap().items[0].clone();
        let call = AssistantCall::new(
            "test",
            TokenScope::Draft,
            "draft_reply",
            serde_json::json!({}),
        );
        let ticket: TicketId = first.ticket.id.clone();
        let input = NewDraft {
            ticket_id: ticket.clone(),
            body: "Hello".into(),
            confidence: 0.5,
            citations: vec![],
        };
        crate::workflow::drafts::propose(&store, &call, &input)
            .await
            .unwrap();
        let row = |p: Page<TicketRow>| p.items.into_iter().find(|r| r.ticket.id == ticket).unwrap();
        let before = row(page(store.pool(), &person, &q).await.unwrap());
        assert_eq!(
            (before.pending_drafts, before.stale_drafts),
            (1, 0),
            "fresh draft waits"
        );

        crate::demo::customer_message(&store, &ticket, "Any news?")
            .await
            .unwrap();
        let after = row(page(store.pool(), &person, &q).await.unwrap());
        assert_eq!(
            (after.pending_drafts, after.stale_drafts),
            (0, 1),
            "the customer wrote again: the inbox must say the draft is stale, as the ticket view does"
        );
    }
}
