//! Issue 15: two desks on one platform. An agent merges a customer's ticket into another of hers
//! on one desk; the other desk sees the merged ticket closed and pointing to the survivor, and
//! the whole thread there, after its next sync.

use super::*;

async fn tickets(pool: &SqlitePool) -> Vec<(String, String, Option<String>, i64)> {
    sqlx::query_as(
        "SELECT t.id, t.status, t.merged_into, \
                (SELECT COUNT(*) FROM messages m WHERE m.ticket_id = t.id) \
         FROM tickets t ORDER BY t.created_at, t.id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merge_on_one_desk_is_seen_on_the_other() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let first = platform.ingest_double_charge(&tenant.ingest).await.unwrap();
    let second = platform
        .customer_writes_on(
            &tenant.ingest,
            "mail-anna-copy",
            "Invoice copy",
            "Could you also send me a copy of INV-2026-0002?",
        )
        .await
        .unwrap()["ticket_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first, second);
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.login("sue", &platform.url, &tenant.supervisor);
    desks.ok("sam", &["sync", "now"]);
    desks.ok("sue", &["sync", "now"]);

    let out = desks.ok("sam", &["ticket", "merge", &second, "--into", &first]);
    assert!(out.contains("merged ticket"), "{out}");
    desks.ok("sam", &["sync", "now"]);
    let s = status(&desks, "sam");
    assert_eq!(
        (s["outbox_depth"].as_i64(), s["unread_notices"].as_i64()),
        (Some(0), Some(0)),
        "the platform applied the merge: {s}"
    );

    desks.ok("sue", &["sync", "now"]);
    let seen = tickets(&desks.pool("sue").await).await;
    assert_eq!(
        seen,
        [
            (first.clone(), "open".to_owned(), None, 2),
            (second.clone(), "closed".to_owned(), Some(first.clone()), 0),
        ],
        "the other desk has the merge: the thread on the survivor, the merged one closed"
    );
    assert_eq!(
        tickets(&desks.pool("sam").await).await,
        seen,
        "both desks hold the same"
    );
}
