//! Mutations: a null note, idempotency keys reused, NUL bytes and impossible dates
//! (items 2, 11 and 12).

use super::note;
use crate::support::{ADMIN_TOKEN, billing, spawn_app};
use serde_json::json;

/// Item 2: a supervisor's approval without a note, as a desk queued it (`"note": null`).
#[tokio::test]
async fn an_approval_with_a_null_note_applies() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    app.invoice(&t.ingest, "inv_1", "49.00").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    let raised = app
        .push(
            &t.agent,
            "dev-a",
            json!([{"seq": 1, "id": "mut_r", "kind": "raise_escalation",
            "payload": {"escalation_id": "esc_1", "ticket_id": ticket, "reason": "double charge",
                        "proposed_action": "credit_note", "invoice_id": "inv_1",
                        "amount": {"amount": "10.00", "currency": "EUR"}}}]),
        )
        .await;
    assert_eq!(raised[0]["status"], "applied", "{}", raised[0]);
    let decided = app
        .push(
            &t.supervisor,
            "dev-s",
            json!([{"seq": 1, "id": "mut_d", "kind": "decide_escalation",
            "payload": {"escalation_id": "esc_1", "decision": "approve", "note": null,
                        "decided_by": "Sue"}}]),
        )
        .await;
    assert_eq!(
        decided[0]["status"], "applied",
        "an approval needs no note: {}",
        decided[0]
    );
}

/// Item 11: an idempotency key is bound to its payload and to the agent that used it first.
#[tokio::test]
async fn a_mutation_id_reused_for_another_request_is_refused() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    let first = app
        .push(
            &t.agent,
            "dev-a",
            json!([note(1, "mut_1", &ticket, "checked the ledger")]),
        )
        .await;
    assert_eq!(first[0]["status"], "applied");

    let mut other_body = note(2, "mut_1", &ticket, "something else entirely");
    other_body["payload"]["message_id"] = json!("msg_mut_1");
    let mut other_kind = other_body.clone();
    other_kind["kind"] = json!("set_status");
    other_kind["payload"] = json!({"ticket_id": ticket, "status": "closed"});
    for (m, what) in [
        (other_body, "another payload"),
        (other_kind, "another kind"),
    ] {
        let r = app.push(&t.agent, "dev-a", json!([m])).await;
        assert_eq!(
            (r[0]["status"].as_str(), r[0]["code"].as_str()),
            (Some("rejected"), Some("key_reused")),
            "{what} under a used id: {}",
            r[0]
        );
        assert!(
            r[0].get("original").is_none(),
            "nothing of the first request is shown"
        );
    }
    // Another agent sending the same request under the same id learns nothing of it.
    let r = app
        .push(
            &t.supervisor,
            "dev-s",
            json!([note(1, "mut_1", &ticket, "checked the ledger")]),
        )
        .await;
    assert_eq!(r[0]["code"], "key_reused", "another agent's id: {}", r[0]);

    // Another agent reusing this agent's device id and seq is neither dropped nor answered
    // with the first one's outcome: its dedup state is its own.
    let r = app
        .push(
            &t.supervisor,
            "dev-a",
            json!([note(1, "mut_s1", &ticket, "supervisor's note")]),
        )
        .await;
    assert_eq!(r[0]["status"], "applied", "{}", r[0]);
    let status: String = sqlx::query_scalar("SELECT status FROM tickets WHERE id = $1")
        .bind(&ticket)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "open", "the refused set_status did nothing");
    let notes: i64 =
        sqlx::query_scalar("SELECT count(*) FROM messages WHERE visibility = 'internal'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(notes, 2, "the first note and the supervisor's");
    // The same request again is still a plain duplicate.
    let again = app
        .push(
            &t.agent,
            "dev-a",
            json!([note(1, "mut_1", &ticket, "checked the ledger")]),
        )
        .await;
    assert_eq!(again[0]["status"], "duplicate", "{}", again[0]);
}

/// Item 12: a NUL byte, or a date PostgreSQL cannot hold, is one mutation's (or one request's)
/// error: a 400 or a rejection, never a 500 that blocks a desk's outbox.
#[tokio::test]
async fn nul_bytes_and_impossible_dates_are_refused_without_blocking_anything() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    let mut nul_id = note(4, "mut_4", &ticket, "fine");
    nul_id["id"] = json!("mut_\u{0}4");
    let mut nul_key = note(5, "mut_5", &ticket, "fine");
    nul_key["based_on"] = json!({"ticket:\u{0}": 1});
    // Mutations on more than one ticket lock their tickets first: a NUL ticket id must not
    // take that statement, and the whole batch, down with it.
    let (other, _) = app.ticket(&t.ingest, "bob@example.com").await;
    let nul_ticket = note(7, "mut_7", "tkt_\u{0}", "fine");
    let results = app
        .push(
            &t.agent,
            "dev-a",
            json!([
                note(1, "mut_1", &ticket, "before"),
                note(2, "mut_2", &ticket, "a \u{0} in the body"),
                {"seq": 3, "id": "mut_3", "kind": "assign", "payload": {"ticket_id": ticket, "assignee": "Al\u{0}ex"}},
                nul_id,
                nul_key,
                note(6, "mut_6", &ticket, "after"),
                nul_ticket,
                note(8, "mut_8", &other, "on another ticket"),
            ]),
        )
        .await;
    let statuses: Vec<(&str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["status"].as_str().unwrap(),
                r["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("applied", ""),
            ("rejected", "invalid_argument"),
            ("rejected", "invalid_argument"),
            ("rejected", "invalid_argument"),
            ("rejected", "invalid_argument"),
            ("applied", ""),
            ("rejected", "invalid_argument"),
            ("applied", ""),
        ],
        "each NUL refused alone, the rest applied: {results:?}"
    );
    let r = app
        .post(
            "/v1/sync/mutations",
            &t.agent,
            json!({"device_id": "dev\u{0}", "mutations": []}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_argument"),
        "a NUL device id"
    );

    let mut customer = billing("inv_a1", "49.00");
    customer["customers"][0]["name"] = json!("Anna\u{0}");
    let r = app.post("/v1/ingest/billing", &t.ingest, customer).await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_argument"),
        "{}",
        r.body
    );
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("customers[0].name")
    );
    let r = app
        .post(
            "/v1/ingest/messages",
            &t.ingest,
            json!({"customer": {"email": "a@b.c"}, "subject": "s\u{0}", "body": "b"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_argument"),
        "{}",
        r.body
    );
    for (field, date) in [
        ("issue_date", "-5000-01-01"),
        ("due_date", "+200000-01-01"),
        ("updated_at", "+200000-01-01T00:00:00Z"),
        ("paid_at", "-5000-01-01T00:00:00Z"),
    ] {
        let mut b = billing("inv_a1", "49.00");
        b["invoices"][0][field] = json!(date);
        let r = app.post("/v1/ingest/billing", &t.ingest, b).await;
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_argument"),
            "{field} {date}: {}",
            r.body
        );
    }
    // Path parameters reach queries too.
    let r = app
        .post("/v1/admin/tokens/ptk_%00/revoke", ADMIN_TOKEN, json!({}))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_argument"),
        "{}",
        r.body
    );
    let r = app
        .post(
            "/v1/admin/tenants/ten_%00/agents",
            ADMIN_TOKEN,
            json!({"name": "x", "email": "x@y.z", "role": "agent"}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
}

/// Review, issue 15: a desk's reply on a closed ticket was applied. A closed ticket is final
/// (the customer writing again opens a new one): the reply is refused, and nothing is posted.
#[tokio::test]
async fn a_reply_on_a_closed_ticket_is_refused() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (ticket, v) = app.ticket(&t.ingest, "anna@example.com").await;
    let status = |seq: i64, to: &str| {
        json!({"seq": seq, "id": format!("mut_s{seq}"), "kind": "set_status",
               "payload": {"ticket_id": ticket, "status": to}})
    };
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([status(1, "solved"), status(2, "closed")]),
        )
        .await;
    assert!(r.iter().all(|r| r["status"] == "applied"), "{r:?}");
    let version: i64 = sqlx::query_scalar("SELECT version FROM tickets WHERE id = $1")
        .bind(&ticket)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(version > v);
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([{"seq": 3, "id": "mut_r", "kind": "send_reply",
                    "payload": {"ticket_id": ticket, "message_id": "msg_late", "body": "One more thing.",
                                "approved_by": "Alex"},
                    "based_on": {format!("ticket:{ticket}"): version}}]),
        )
        .await;
    assert_eq!(
        crate::support::outcome(&r[0]),
        ("rejected".into(), Some("conflict".into())),
        "{}",
        r[0]
    );
    assert!(r[0].to_string().contains("is closed"), "{}", r[0]);
    let posted: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE id = 'msg_late'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(posted, 0);
}
