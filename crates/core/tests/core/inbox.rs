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

    // "Mine" is the person at the desk, by id: the name is not what tickets hold.
    let name: String = sqlx::query_scalar("SELECT name FROM agents WHERE id = ?")
        .bind(&mine)
        .fetch_one(d.store.pool())
        .await
        .unwrap();
    assert_ne!(name, mine, "a ticket holds the agent's id, not their name");
    let person = countersign_model::workflow::Person {
        id: mine.clone(),
        name,
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

/// The inbox ids found for `text`.
async fn search(d: &TestDesk, text: &str) -> HashSet<String> {
    let q = InboxQuery {
        text: Some(text.into()),
        limit: 100,
        ..InboxQuery::default()
    };
    let (rows, _) = walk(d, &q).await;
    rows.into_iter().map(|(_, id)| id).collect()
}

/// The tickets of the customers `sql` picks (one customer id per row).
async fn tickets_of(d: &TestDesk, sql: &'static str, bind: &str) -> HashSet<String> {
    let customers: Vec<String> = sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_all(d.store.pool())
        .await
        .expect("customers");
    let mut out = HashSet::new();
    for c in customers {
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM tickets WHERE customer_id = ?")
            .bind(&c)
            .fetch_all(d.store.pool())
            .await
            .expect("tickets");
        out.extend(ids);
    }
    out
}

/// Issue 15: "Edwards" and "Ibáñez" found nothing, and only the subject and messages were
/// searched. A customer's name (with or without its accents), e-mail, and invoice number find
/// their tickets; words from different places narrow the search together.
#[tokio::test]
async fn the_inbox_finds_tickets_by_customer_name_email_invoice_number_and_text() {
    let d = empty_desk().await;
    let mut cfg = DemoConfig::small(chrono::Utc::now().date_naive());
    (cfg.customers, cfg.invoices, cfg.tickets) = (300, 900, 600);
    demo::seed(&d.store, &cfg, &mut |_, _, _| {})
        .await
        .expect("seed");
    let pool = d.store.pool();

    // A customer with tickets whose surname carries an accent.
    let (customer, name, email): (String, String, String) = sqlx::query_as(
        "SELECT c.id, c.name, c.email FROM customers c WHERE EXISTS (SELECT 1 FROM tickets t WHERE t.customer_id = c.id) \
         AND (c.name LIKE '%á%' OR c.name LIKE '%é%' OR c.name LIKE '%ñ%' OR c.name LIKE '%ü%' OR c.name LIKE '%ö%') \
         ORDER BY c.id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("the demo has customers with accented names and tickets");
    let surname = name.rsplit(' ').next().unwrap().to_owned();
    let same_surname = tickets_of(
        &d,
        "SELECT id FROM customers WHERE name LIKE '%' || ?",
        &surname,
    )
    .await;
    let found = search(&d, &surname).await;
    assert!(
        !found.is_empty() && found.is_superset(&same_surname),
        "{surname:?}: every ticket of every customer so named is found ({} of {})",
        found.intersection(&same_surname).count(),
        same_surname.len()
    );
    let plain: String = surname
        .chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            'ö' => 'o',
            other => other,
        })
        .collect();
    assert_ne!(plain, surname);
    assert_eq!(
        search(&d, &plain).await,
        found,
        "{plain:?} typed without accents finds the same tickets as {surname:?}"
    );
    let lower = surname.to_lowercase();
    let prefix: String = lower.chars().take(lower.chars().count() - 1).collect();
    assert!(
        search(&d, &prefix).await.is_superset(&same_surname),
        "a prefix, in lower case, finds them as it is typed"
    );

    let theirs = tickets_of(&d, "SELECT ?", &customer).await;
    assert_eq!(
        search(&d, &email).await,
        theirs,
        "the e-mail address finds exactly that customer's tickets"
    );

    let number: String =
        sqlx::query_scalar("SELECT invoice_number FROM invoices WHERE customer_id = ? LIMIT 1")
            .bind(&customer)
            .fetch_one(pool)
            .await
            .expect("the customer has an invoice");
    assert_eq!(
        search(&d, &number).await,
        theirs,
        "{number}: an invoice number finds its customer's tickets"
    );
    assert_eq!(
        search(&d, &number.to_lowercase()).await,
        theirs,
        "typed in lower case too"
    );

    // A name and a word of a subject together: only that customer's tickets about it.
    let subject: String =
        sqlx::query_scalar("SELECT subject FROM tickets WHERE customer_id = ? LIMIT 1")
            .bind(&customer)
            .fetch_one(pool)
            .await
            .unwrap();
    let word = subject
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_owned();
    let both = search(&d, &format!("{surname} {word}")).await;
    assert!(!both.is_empty(), "{surname} {word}");
    assert!(
        both.is_subset(&found) && both.is_subset(&search(&d, &word).await),
        "every word must match somewhere"
    );
    assert!(
        search(&d, "zzqxv").await.is_empty(),
        "a word found nowhere finds nothing"
    );
}

/// Issue 15 (SLA): "Breaks next" pages through exactly the open tickets with an SLA running,
/// the one that breaks next first (overdue ones at the top), each once across pages.
#[tokio::test]
async fn what_breaks_next_comes_first_across_pages() {
    let d = empty_desk().await;
    let mut cfg = DemoConfig::small(chrono::Utc::now().date_naive());
    (cfg.customers, cfg.invoices, cfg.tickets) = (200, 400, 1_000);
    demo::seed(&d.store, &cfg, &mut |_, _, _| {})
        .await
        .expect("seed");
    let mut q = InboxQuery {
        sort: countersign_model::ipc::InboxSort::BreaksNext,
        limit: 20,
        ..InboxQuery::default()
    };
    let mut seen = Vec::new();
    loop {
        let page = inbox::page(d.store.pool(), &agent(), &q).await.unwrap();
        for r in &page.items {
            assert_eq!(r.ticket.status, TicketStatus::Open, "open tickets only");
            seen.push((
                r.ticket.sla_due_at.expect("an SLA running"),
                r.ticket.id.to_string(),
            ));
        }
        match page.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    let want = count_where(
        &d,
        "SELECT COUNT(*) FROM tickets WHERE status = 'open' AND sla_due_at IS NOT NULL \
         AND (snoozed_until IS NULL OR snoozed_until <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    )
    .await;
    assert!(want > 20, "more than one page to walk ({want})");
    assert_eq!(seen.len(), want, "every open ticket with an SLA, once");
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "soonest first, ties by id, across page boundaries"
    );
    assert!(
        seen[0].0 < chrono::Utc::now(),
        "the demo has overdue tickets, and they come first"
    );
}
