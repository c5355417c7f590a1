//! The change feed: order, cursors, paging, and no skipped change under concurrent writers.

use crate::support::{AGENTS, spawn_app};
use std::collections::BTreeSet;

#[tokio::test]
async fn changes_come_in_seq_order_with_cursors_and_pages() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let new = app.changes(&t.agent, 0, 10).await;
    assert_eq!(
        new["cursor"], AGENTS,
        "a new tenant's feed holds its agents"
    );
    assert_eq!(new["has_more"], false);
    let empty = app.changes(&t.agent, AGENTS as i64, 10).await;
    assert_eq!(empty["cursor"], AGENTS, "an empty page keeps the cursor");
    assert_eq!(empty["changes"], serde_json::json!([]));

    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    app.customer_writes(&t.ingest, "anna@example.com", Some(&ticket), "Hello?")
        .await;
    let all = app.all_changes(&t.agent).await;
    let all = &all[AGENTS..];
    let kinds: Vec<&str> = all.iter().map(|c| c["entity"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["customer", "ticket", "message", "ticket", "message"],
        "a customer before its ticket, a ticket before its message"
    );
    let seqs: Vec<i64> = all.iter().map(|c| c["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [4, 5, 6, 7, 8]);
    assert_eq!(all[3]["version"], 2, "the second message bumped the ticket");
    assert_eq!(all[3]["data"]["id"], ticket.as_str());
    assert!(
        all[3]["data"].get("tenant_id").is_none(),
        "data is the desk row, without the tenant"
    );
    assert!(
        all[3]["data"].get("thread_key").is_none(),
        "platform-only columns stay out"
    );
    let created = all[1]["data"]["created_at"].as_str().unwrap();
    assert!(
        created.ends_with('Z') && created.len() == 24,
        "timestamps as the desk stores them: {created}"
    );

    let page = app.changes(&t.agent, 4, 2).await;
    assert_eq!(page["cursor"], 6);
    assert_eq!(page["has_more"], true);
    let page = app.changes(&t.agent, 6, 2).await;
    assert_eq!(
        (page["cursor"].as_i64(), page["has_more"].as_bool()),
        (Some(8), Some(false))
    );
    let past = app.changes(&t.agent, 8, 2).await;
    assert_eq!(
        (
            past["cursor"].as_i64(),
            past["changes"].as_array().unwrap().len()
        ),
        (Some(8), 0)
    );
}

#[tokio::test]
async fn a_reader_never_skips_a_change_while_writers_commit_concurrently() {
    let app = std::sync::Arc::new(spawn_app().await);
    let t = app.tenant("acme").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    const WRITERS: usize = 4;
    const EACH: usize = 15;
    let mut writers = vec![];
    for w in 0..WRITERS {
        let (app, token, ticket) = (app.clone(), t.ingest.clone(), ticket.clone());
        writers.push(tokio::spawn(async move {
            for i in 0..EACH {
                app.customer_writes(
                    &token,
                    "anna@example.com",
                    Some(&ticket),
                    &format!("writer {w} message {i}"),
                )
                .await;
            }
        }));
    }
    // Read while they write: every page continues exactly where the last one ended.
    let (mut cursor, mut seen) = (0i64, Vec::new());
    let expected = AGENTS + 3 + WRITERS * EACH * 2;
    loop {
        // Checked before the read: once all writers are done, an empty page means the end.
        let done = writers.iter().all(|w| w.is_finished());
        let page = app.changes(&t.agent, cursor, 7).await;
        let changes = page["changes"].as_array().unwrap();
        seen.extend(changes.iter().map(|c| c["seq"].as_i64().unwrap()));
        cursor = page["cursor"].as_i64().unwrap();
        if done && changes.is_empty() {
            break;
        }
    }
    for w in writers {
        w.await.unwrap();
    }
    let all: Vec<i64> = app
        .all_changes(&t.agent)
        .await
        .iter()
        .map(|c| c["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(all.len(), expected, "every write produced its changes");
    assert_eq!(
        seen, all,
        "the reader saw every change, once, in order, although writers committed while it read"
    );
    let distinct: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(distinct.len(), all.len());
    assert_eq!(
        all,
        (1..=expected as i64).collect::<Vec<_>>(),
        "seqs have no gaps"
    );
}
