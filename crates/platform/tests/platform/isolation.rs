//! Tenant isolation: with tenant A's token, every endpoint tried against tenant B's ids finds
//! nothing, changes nothing, and nothing of B shows in A's feed or events.

use crate::events::Events;
use crate::support::spawn_app;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn a_tenant_can_neither_see_nor_touch_another_tenants_records() {
    let app = spawn_app().await;
    let a = app.tenant("alpha").await;
    let b = app.tenant("beta").await;
    let (b_ticket, b_version) = app.ticket(&b.ingest, "bella@example.com").await;
    app.invoice(&b.ingest, "inv_b1", "19.00").await;
    let raised = app
        .push(
            &b.agent,
            "dev-b",
            json!([{"seq": 1, "id": "mut_b1", "kind": "raise_escalation",
            "payload": {"escalation_id": "esc_b", "ticket_id": b_ticket, "reason": "refund?",
                        "proposed_action": "other"}}]),
        )
        .await;
    assert_eq!(raised[0]["status"], "applied");
    let b_cursor = app.changes(&b.agent, 0, 5000).await["cursor"]
        .as_i64()
        .unwrap();
    let (a_ticket, a_version) = app.ticket(&a.ingest, "anna@example.com").await;

    let mut a_events = Events::open(&app, &a.supervisor).await;
    assert_eq!(
        a_events.next_cursor(Duration::from_secs(5)).await,
        Some(crate::support::AGENTS as i64 + 3)
    );

    let tries = json!([
        {"seq": 1, "id": "mut_x1", "kind": "send_reply", "payload": {"ticket_id": b_ticket, "message_id": "msg_x1",
            "body": "hi", "approved_by": "x"}, "based_on": {format!("ticket:{b_ticket}"): b_version}},
        {"seq": 2, "id": "mut_x2", "kind": "add_note", "payload": {"ticket_id": b_ticket, "message_id": "msg_x2",
            "body": "n", "author": "x", "author_kind": "agent"}},
        {"seq": 3, "id": "mut_x3", "kind": "raise_escalation", "payload": {"escalation_id": "esc_x",
            "ticket_id": b_ticket, "reason": "r", "proposed_action": "other"}},
        {"seq": 4, "id": "mut_x4", "kind": "decide_escalation", "payload": {"escalation_id": "esc_b",
            "decision": "approve", "decided_by": "x"}},
        {"seq": 5, "id": "mut_x5", "kind": "assign", "payload": {"ticket_id": b_ticket, "assignee": "x"}},
        {"seq": 6, "id": "mut_x6", "kind": "set_status", "payload": {"ticket_id": b_ticket, "status": "closed"}},
        {"seq": 7, "id": "mut_x7", "kind": "send_reply", "payload": {"ticket_id": a_ticket, "message_id": "msg_x7",
            "body": "hi", "approved_by": "x"},
            "based_on": {format!("ticket:{a_ticket}"): a_version, "invoice:inv_b1": 1}},
        {"seq": 8, "id": "mut_x8", "kind": "raise_escalation", "payload": {"escalation_id": "esc_y",
            "ticket_id": a_ticket, "reason": "r", "proposed_action": "void_invoice", "invoice_id": "inv_b1"}},
    ]);
    let results = app.push(&a.supervisor, "dev-a", tries).await;
    for r in &results {
        assert_eq!(
            r["code"], "not_found",
            "tenant B's ids do not exist for tenant A: {r}"
        );
    }
    // B's mutation id is no duplicate for A: dedup keys are per tenant.
    let own = app
        .push(
            &a.agent,
            "dev-b",
            json!([{"seq": 1, "id": "mut_b1", "kind": "set_status",
            "payload": {"ticket_id": a_ticket, "status": "pending"}}]),
        )
        .await;
    assert_eq!(
        own[0]["status"], "applied",
        "B's outcome must not leak as A's duplicate: {}",
        own[0]
    );

    let ingest = app
        .post(
            "/v1/ingest/messages",
            &a.ingest,
            json!({"customer": {"email": "bella@example.com"},
            "subject": "s", "body": "b", "ticket_id": b_ticket}),
        )
        .await;
    assert_eq!(
        (ingest.status, ingest.code()),
        (404, "not_found"),
        "{}",
        ingest.body
    );

    // B is untouched.
    assert_eq!(
        app.changes(&b.agent, 0, 5000).await["cursor"].as_i64(),
        Some(b_cursor)
    );
    let b_status: (String, Option<String>) =
        sqlx::query_as("SELECT status, assignee FROM tickets WHERE id = $1")
            .bind(&b_ticket)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(b_status, ("open".to_owned(), None));

    // A's feed holds only A's records; A's events only A's cursor.
    let feed = app.all_changes(&a.agent).await;
    let text = serde_json::to_string(&feed).unwrap();
    for secret in [b_ticket.as_str(), "inv_b1", "esc_b", "bella@example.com"] {
        assert!(
            !text.contains(secret),
            "{secret} of tenant B leaked into A's feed"
        );
    }
    app.customer_writes(&b.ingest, "bella@example.com", Some(&b_ticket), "B again")
        .await;
    app.customer_writes(&a.ingest, "anna@example.com", Some(&a_ticket), "A again")
        .await;
    let a_cursor = app.changes(&a.agent, 0, 5000).await["cursor"].as_i64();
    let first = a_events.next_cursor(Duration::from_secs(5)).await;
    assert!(
        first >= Some(4) && first <= a_cursor,
        "A's stream carries A's cursors only, never one from B's commit: got {first:?}, A is at {a_cursor:?}"
    );
    // Every further event is A's.
    while let Some(c) = a_events.next_cursor(Duration::from_millis(300)).await {
        assert!(
            Some(c) <= a_cursor,
            "an event for cursor {c} does not belong to A"
        );
    }
}
