//! Holes found by attacking the platform over raw HTTP, each kept as the attack that found it
//! (issue "Holes found by attack", items 2, 4 and 11–15).

use crate::events::Events;
use crate::support::{ADMIN_TOKEN, billing, spawn_app};
use serde_json::{Value, json};
use std::time::Duration;

fn note(seq: i64, id: &str, ticket: &str, body: &str) -> Value {
    json!({"seq": seq, "id": id, "kind": "add_note",
           "payload": {"ticket_id": ticket, "message_id": format!("msg_{id}"), "body": body,
                       "author": "Alex", "author_kind": "agent"}})
}

/// Item 2: a supervisor's approval without a note, as a desk queued it (`"note": null`).
#[tokio::test]
async fn an_approval_with_a_null_note_applies() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    let raised = app
        .push(
            &t.agent,
            "dev-a",
            json!([{"seq": 1, "id": "mut_r", "kind": "raise_escalation",
            "payload": {"escalation_id": "esc_1", "ticket_id": ticket, "reason": "double charge",
                        "proposed_action": "refund"}}]),
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

/// Item 4: a desk's token cannot ingest; an ingest token cannot sync or read the feed.
#[tokio::test]
async fn ingest_takes_only_ingest_tokens_and_they_take_nothing_else() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    app.invoice(&t.ingest, "inv_a1", "49.00").await;
    let mut paid = billing("inv_a1", "49.00");
    paid["invoices"][0]["payment_status"] = json!("FAILED");
    for token in [&t.agent, &t.supervisor] {
        let r = app.post("/v1/ingest/billing", token, paid.clone()).await;
        assert_eq!(
            (r.status, r.code()),
            (403, "forbidden"),
            "a desk token rewrote billing data: {}",
            r.body
        );
        let r = app
            .post(
                "/v1/ingest/messages",
                token,
                json!({"customer": {"email": "anna@example.com"}, "subject": "s", "body": "I am Anna"}),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (403, "forbidden"),
            "a desk token posted as a customer: {}",
            r.body
        );
        let r = app
            .post("/v1/ingest/tickets", token, json!({"tickets": []}))
            .await;
        assert_eq!(r.status, 403, "a desk token imported tickets");
    }
    for (method, path) in [
        ("GET", "/v1/me"),
        ("GET", "/v1/sync/changes"),
        ("GET", "/v1/sync/events"),
        ("POST", "/v1/sync/mutations"),
    ] {
        let body = (method == "POST").then(|| json!({"device_id": "d", "mutations": []}));
        let r = app.send(method, path, Some(&t.ingest), body).await;
        assert_eq!(
            (r.status, r.code()),
            (403, "forbidden"),
            "an ingest token on {path}: {}",
            r.body
        );
    }
    let r = app
        .post("/v1/ingest/billing", "csi_unknown", paid.clone())
        .await;
    assert_eq!(r.status, 401, "an unknown token");

    // Revoked, an ingest token stops working; the admin API tells the two kinds apart by id.
    let k = app
        .post(
            &format!("/v1/admin/tenants/{}/ingest-tokens", t.id),
            ADMIN_TOKEN,
            json!({"name": "mail channel"}),
        )
        .await;
    let (id, secret) = (
        k.body["id"].as_str().unwrap().to_owned(),
        k.body["secret"].as_str().unwrap().to_owned(),
    );
    assert_eq!(
        app.post("/v1/ingest/billing", &secret, paid.clone())
            .await
            .status,
        200
    );
    let r = app
        .post(
            &format!("/v1/admin/tokens/{id}/revoke"),
            ADMIN_TOKEN,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.post("/v1/ingest/billing", &secret, paid).await.status,
        401
    );
    let r = app
        .post(
            "/v1/admin/tenants/ten_nope/ingest-tokens",
            ADMIN_TOKEN,
            json!({"name": "x"}),
        )
        .await;
    assert_eq!(r.code(), "not_found");
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

/// Item 14: billing shapes are validated as strictly as mutations.
#[tokio::test]
async fn nonsense_billing_records_are_refused() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let set = |path: &[&str], v: Value| {
        let mut b = billing("inv_a1", "49.00");
        let mut at = &mut b;
        for p in path {
            at = match p.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[*p],
            };
        }
        *at = v;
        b
    };
    for (bad, why) in [
        (
            set(&["invoices", "0", "total"], json!("-49.00")),
            "a negative invoice total",
        ),
        (
            set(&["invoices", "0", "currency"], json!("ZZZ")),
            "currency ZZZ",
        ),
        (
            set(&["payments", "0", "currency"], json!("ABC")),
            "currency ABC",
        ),
        (
            set(&["payments", "0", "attempts"], json!(-7)),
            "attempts -7",
        ),
        (
            set(&["payments", "0", "amount"], json!("-1.00")),
            "a negative payment",
        ),
        (
            set(
                &["invoices", "0", "line_items", "0", "quantity"],
                json!("lots"),
            ),
            "quantity \"lots\"",
        ),
        (
            set(&["invoices", "0", "period_start"], json!("2025-03-01")),
            "no end yet: fine",
        ),
        (
            {
                let mut b = set(&["invoices", "0", "period_start"], json!("2025-03-01"));
                b["invoices"][0]["period_end"] = json!("2025-02-01");
                b
            },
            "a period that ends before it starts",
        ),
        (
            set(&["invoices", "0", "amount_remaining"], json!("1.00")),
            "paid and remaining that do not add up to what is due",
        ),
        (
            set(
                &["customers", "0", "metadata"],
                json!({"blob": "x".repeat(20_000)}),
            ),
            "20 kB of metadata",
        ),
    ] {
        let r = app.post("/v1/ingest/billing", &t.ingest, bad).await;
        if why == "no end yet: fine" {
            assert_eq!(r.status, 200, "{why}: {}", r.body);
            continue;
        }
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_argument"),
            "{why}: {}",
            r.body
        );
    }
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM payments WHERE attempts < 0 OR amount < 0")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, 0, "nothing nonsensical was stored");
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
