//! The feed and its streams: bounded text and pages, revoked tokens' streams closed
//! (items 13 and 15).

use super::note;
use crate::events::Events;
use crate::support::{ADMIN_TOKEN, spawn_app};
use serde_json::{Value, json};
use std::time::Duration;

/// Item 13: every text is bounded, and a feed page is bounded in bytes.
#[tokio::test]
async fn oversized_text_is_refused_and_a_feed_page_stays_small() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    let huge = "x".repeat(2_000_000);
    let r = app
        .post(
            "/v1/ingest/messages",
            &t.ingest,
            json!({"customer": {"email": "big@example.com", "name": huge}, "subject": "s", "body": "b"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_argument"),
        "a 2M-character customer name"
    );
    let r = app
        .post(
            "/v1/ingest/messages",
            &t.ingest,
            json!({"customer": {"email": "big@example.com"}, "subject": "s", "body": "b",
                   "language": "x".repeat(5000)}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_argument"),
        "a 5000-character language"
    );
    let mut author = note(1, "mut_1", &ticket, "ok");
    author["payload"]["author"] = json!("x".repeat(100_000));
    let decided_by = json!({"seq": 2, "id": "mut_2", "kind": "decide_escalation",
        "payload": {"escalation_id": "esc_1", "decision": "approve", "note": "x".repeat(100_001),
                    "decided_by": "Sue"}});
    let r = app
        .push(&t.agent, "dev-a", json!([author, decided_by]))
        .await;
    for r in &r {
        assert_eq!(r["code"], "invalid_argument", "{:.200}", r.to_string());
    }

    // A hundred 90 000-character notes (~9 MB of records): no page is over the byte bound.
    let body = "n".repeat(90_000);
    let notes: Vec<Value> = (0..100)
        .map(|i| note(10 + i, &format!("mut_n{i}"), &ticket, &body))
        .collect();
    for chunk in notes.chunks(20) {
        let r = app.push(&t.agent, "dev-a", json!(chunk)).await;
        assert!(r.iter().all(|r| r["status"] == "applied"));
    }
    let (mut after, mut seen, mut largest) = (0, 0, 0);
    loop {
        let res = app
            .http
            .get(app.url(&format!("/v1/sync/changes?after={after}&limit=5000")))
            .bearer_auth(&t.agent)
            .send()
            .await
            .unwrap();
        let text = res.text().await.unwrap();
        largest = largest.max(text.len());
        let page: Value = serde_json::from_str(&text).unwrap();
        seen += page["changes"].as_array().unwrap().len();
        after = page["cursor"].as_i64().unwrap();
        if page["has_more"] != true {
            break;
        }
    }
    assert!(
        largest <= countersign_platform::feed::MAX_PAGE_BYTES,
        "a page of {largest} bytes"
    );
    assert!(
        seen >= 200,
        "every change still arrives, page after page ({seen})"
    );
}

/// Item 15: revoking a token closes its open event stream, on every instance of the platform.
#[tokio::test]
async fn a_revoked_tokens_event_stream_is_closed() {
    let first = spawn_app().await;
    let t = first.tenant("acme").await;
    // The streams are open on another instance than the one the revocation goes through.
    let app = first.another_instance().await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    let token_id: String = sqlx::query_scalar(
        "SELECT t.id FROM api_tokens t JOIN agents a ON a.id = t.agent_id
         WHERE a.tenant_id = $1 AND a.role = 'supervisor' ORDER BY a.email LIMIT 1",
    )
    .bind(&t.id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut revoked = Events::open(&app, &t.supervisor).await;
    let mut other = Events::open(&app, &t.supervisor2).await;
    assert!(revoked.next_cursor(Duration::from_secs(5)).await.is_some());
    assert!(other.next_cursor(Duration::from_secs(5)).await.is_some());

    let r = first
        .post(
            &format!("/v1/admin/tokens/{token_id}/revoke"),
            ADMIN_TOKEN,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        revoked.ended(Duration::from_secs(5)).await,
        "the revoked token's stream is closed"
    );
    app.customer_writes(&t.ingest, "anna@example.com", Some(&ticket), "Any news?")
        .await;
    assert!(
        other.next_cursor(Duration::from_secs(5)).await.is_some(),
        "another token's stream goes on"
    );
    let r = app.get("/v1/sync/events", &t.supervisor).await;
    assert_eq!(r.status, 401, "and it cannot open another");
}

/// Item 15, when the platform's LISTEN connection is lost as a token is revoked: the
/// notification is gone, but the stream still closes (every stream checks its token when the
/// listener reconnects, and on its own every 30 s).
#[tokio::test]
async fn a_revocation_during_a_lost_listen_connection_still_closes_the_stream() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let token_id: String = sqlx::query_scalar(
        "SELECT t.id FROM api_tokens t JOIN agents a ON a.id = t.agent_id
         WHERE a.tenant_id = $1 AND a.role = 'supervisor' ORDER BY a.email LIMIT 1",
    )
    .bind(&t.id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut events = Events::open(&app, &t.supervisor).await;
    assert!(events.next_cursor(Duration::from_secs(5)).await.is_some());
    let killed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%') k",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(killed >= 1, "the platform's LISTEN connection was found");
    sqlx::query("UPDATE api_tokens SET revoked_at = now() WHERE id = $1")
        .bind(&token_id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(
        events.ended(Duration::from_secs(40)).await,
        "the revoked token's stream is closed though its notification was never heard"
    );
}
