//! The inbox on a desk of 10 000 tickets: keyset pages of 50 visit every ticket exactly once,
//! newest-updated first, with every filter; a page costs the same at the start and the end.

use crate::support::*;
use countersign_core::demo::{self, DemoConfig};
use countersign_core::inbox;
use countersign_model::ipc::{InboxQuery, InboxScope};
use countersign_model::records::TicketStatus;
use std::collections::HashSet;
use std::time::{Duration, Instant};

const TICKETS: u32 = 10_000;

/// Walks every page of `q`; returns the ticket ids in order and the slowest page's time.
async fn walk(d: &TestDesk, q: &InboxQuery) -> (Vec<(String, String)>, Duration) {
    let mut q = q.clone();
    let (mut seen, mut slowest) = (Vec::new(), Duration::ZERO);
    loop {
        let started = Instant::now();
        let page = inbox::page(d.store.pool(), &agent(), &q)
            .await
            .expect("a page");
        slowest = slowest.max(started.elapsed());
        assert!(
            page.items.len() as i64 <= q.limit,
            "a page holds at most its limit"
        );
        seen.extend(
            page.items
                .iter()
                .map(|r| (r.ticket.updated_at.to_rfc3339(), r.ticket.id.to_string())),
        );
        match page.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => return (seen, slowest),
        }
    }
}

async fn count_where(d: &TestDesk, sql: &'static str) -> usize {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(d.store.pool())
        .await
        .expect("count") as usize
}

#[tokio::test]
async fn paging_through_ten_thousand_tickets_visits_each_once_in_order() {
    let d = empty_desk().await;
    let mut cfg = DemoConfig::small(chrono::Utc::now().date_naive());
    (cfg.customers, cfg.invoices, cfg.tickets) = (1_000, 2_000, TICKETS);
    demo::seed(&d.store, &cfg, &mut |_, _, _| {})
        .await
        .expect("seed");
    // The demo agent with the most tickets, for "Mine".
    let mine: String = sqlx::query_scalar(
        "SELECT assignee FROM tickets WHERE assignee IS NOT NULL GROUP BY assignee ORDER BY COUNT(*) DESC LIMIT 1",
    )
    .fetch_one(d.store.pool())
    .await
    .unwrap();
    let all = InboxQuery {
        limit: 50,
        ..InboxQuery::default()
    };
    let (seen, slowest) = walk(&d, &all).await;
    eprintln!("inbox, all {TICKETS} tickets in pages of 50: slowest page {slowest:?}");
    assert_eq!(seen.len(), TICKETS as usize, "every ticket is listed");
    let unique: HashSet<&String> = seen.iter().map(|(_, id)| id).collect();
    assert_eq!(unique.len(), seen.len(), "no ticket appears on two pages");
    assert!(
        seen.windows(2).all(|w| w[0] >= w[1]),
        "newest-updated first, ties by id, across page boundaries"
    );

    let open = InboxQuery {
        status: Some(TicketStatus::Open),
        ..all.clone()
    };
    let (seen, _) = walk(&d, &open).await;
    assert_eq!(
        seen.len(),
        count_where(&d, "SELECT COUNT(*) FROM tickets WHERE status = 'open'").await,
        "the status filter pages through all its tickets"
    );

    let unassigned = InboxQuery {
        scope: InboxScope::Unassigned,
        ..all.clone()
    };
    let (seen, _) = walk(&d, &unassigned).await;
    assert_eq!(
        seen.len(),
        count_where(&d, "SELECT COUNT(*) FROM tickets WHERE assignee IS NULL").await,
        "the unassigned filter pages through all its tickets"
    );

    // "Mine" is the person at the desk.
    let person = countersign_model::workflow::Person {
        name: mine.clone(),
        role: countersign_model::workflow::Role::Agent,
    };
    let mut q = InboxQuery {
        scope: InboxScope::Mine,
        ..all.clone()
    };
    let mut n = 0;
    loop {
        let page = inbox::page(d.store.pool(), &person, &q).await.unwrap();
        assert!(
            page.items
                .iter()
                .all(|r| r.ticket.assignee.as_deref() == Some(mine.as_str())),
            "Mine lists only the person's tickets"
        );
        n += page.items.len();
        match page.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    let expected: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE assignee = ?")
        .bind(&mine)
        .fetch_one(d.store.pool())
        .await
        .unwrap();
    assert_eq!(
        n as i64, expected,
        "Mine pages through all the person's tickets"
    );
}
