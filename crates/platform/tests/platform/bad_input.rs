//! Bad input: clear 400s with a code, nothing partially applied.

use crate::support::spawn_app;
use serde_json::json;

#[tokio::test]
async fn bad_requests_get_a_400_with_a_code_and_change_nothing() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    for query in [
        "after=-1",
        "after=abc",
        "limit=0",
        "limit=5001",
        "limit=1e3",
    ] {
        let r = app
            .get(&format!("/v1/sync/changes?{query}"), &t.agent)
            .await;
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_argument"),
            "{query}: {}",
            r.body
        );
    }
    let raw = app
        .http
        .post(app.url("/v1/sync/mutations"))
        .bearer_auth(&t.agent)
        .header("content-type", "application/json")
        .body("{\"device_id\": \"d\", \"mutations\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400, "malformed JSON");
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_argument");

    let r = app
        .post(
            "/v1/sync/mutations",
            &t.agent,
            json!({"device_id": 5, "mutations": []}),
        )
        .await;
    assert_eq!(r.code(), "invalid_argument", "wrong types");
    let r = app
        .post(
            "/v1/sync/mutations",
            &t.agent,
            json!({"device_id": "", "mutations": []}),
        )
        .await;
    assert_eq!(r.code(), "invalid_argument", "an empty device id");
    let huge = "x".repeat(9 * 1024 * 1024);
    let r = app
        .post(
            "/v1/sync/mutations",
            &t.agent,
            json!({"device_id": "d", "mutations": [], "pad": huge}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_argument"),
        "a huge body is refused"
    );

    let cursor = app.changes(&t.agent, 0, 5000).await["cursor"].as_i64();
    let results = app
        .push(&t.agent, "dev-a", json!([
            {"seq": 1, "id": "mut_1", "kind": "send_reply", "payload": {"ticket_id": 5}},
            {"seq": 2, "id": "mut_2", "kind": "send_reply", "payload": {"ticket_id": ticket, "message_id": "msg_1",
                "body": "hi", "approved_by": "x"}},
            {"seq": 3, "id": "mut_3", "kind": "set_status", "payload": {"ticket_id": ticket, "status": "gone"}},
            {"seq": 4, "id": "mut_4", "kind": "raise_escalation", "payload": {"escalation_id": "esc_1",
                "ticket_id": ticket, "reason": "r", "proposed_action": "refund",
                "amount": {"amount": 12.5, "currency": "EUR"}}},
            {"seq": 5, "id": "", "kind": "assign", "payload": {"ticket_id": ticket, "assignee": "x"}},
        ]))
        .await;
    for r in &results {
        assert_eq!(r["code"], "invalid_argument", "{r}");
    }
    assert!(
        results[1]["message"].as_str().unwrap().contains("based_on"),
        "a reply without the ticket version it saw is refused: {}",
        results[1]
    );
    assert_eq!(
        app.changes(&t.agent, 0, 5000).await["cursor"].as_i64(),
        cursor,
        "nothing was applied"
    );
}
