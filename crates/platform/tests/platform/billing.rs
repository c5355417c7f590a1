//! Issue 16, effects out: an approved escalation becomes exactly one credit note or void in
//! FlexPrice (a fake built from its published API), through a tenant's sealed connector; every
//! desk sees the result on the feed.

use crate::support::{ADMIN_TOKEN, Tenant, TestApp, spawn_app};
use countersign_platform::testing::fake_flexprice::{
    API_KEY, FakeFlexPrice, Mode, subscription_of,
};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A tenant whose Anna has invoice `inv_1` (49.00 EUR paid, one line of 41.18) on the platform
/// and in FlexPrice, a ticket of hers, and (when `connect`) a connector to the fake.
async fn tenant(connect: bool) -> (TestApp, Tenant, FakeFlexPrice, String) {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let ticket = app.paid_invoice_and_ticket(&t).await;
    let fake = FakeFlexPrice::start().await;
    fake.paid_invoice("inv_1", "EUR", "49.00", ("li_1", "41.18"));
    if connect {
        app.connect_billing(&t, &fake.base_url(), API_KEY).await;
    }
    (app, t, fake, ticket)
}

/// The agent raises `action` on inv_1 and the first supervisor approves it.
async fn approve(
    app: &TestApp,
    t: &Tenant,
    ticket: &str,
    esc: &str,
    action: &str,
    amount: Option<&str>,
) {
    let mut payload = json!({"escalation_id": esc, "ticket_id": ticket, "reason": "Charged twice in January",
                             "proposed_action": action, "invoice_id": "inv_1"});
    if let Some(a) = amount {
        payload["amount"] = json!({"amount": a, "currency": "EUR"});
    }
    let r = app
        .push(&t.agent, "dev-a", json!([{"seq": 1, "id": format!("mut_r_{esc}"), "kind": "raise_escalation", "payload": payload}]))
        .await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
    let r = app
        .push(&t.supervisor, "dev-s", json!([{"seq": 1, "id": format!("mut_d_{esc}"), "kind": "decide_escalation",
               "payload": {"escalation_id": esc, "decision": "approve", "note": "", "decided_by": "Sue"}}]))
        .await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
}

/// The escalation as desks last received it, once its execution is no longer queued (or after
/// `within`).
async fn settled(app: &TestApp, token: &str, esc: &str, within: Duration) -> Value {
    let start = Instant::now();
    loop {
        let latest = app
            .all_changes(token)
            .await
            .into_iter()
            .rfind(|c| c["entity"] == "escalation" && c["id"] == esc)
            .expect("the escalation is on the feed")["data"]
            .clone();
        if latest["execution"] != "queued" || start.elapsed() > within {
            return latest;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_approved_refund_becomes_exactly_one_credit_note_and_every_desk_sees_it() {
    let (app, t, fake, ticket) = tenant(true).await;
    approve(&app, &t, &ticket, "esc_1", "refund", Some("20.00")).await;
    let esc = settled(&app, &t.agent, "esc_1", Duration::from_secs(10)).await;
    assert_eq!(esc["execution"], "executed", "{esc}");
    let notes = fake.credit_notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    let note = &notes[0];
    assert_eq!(esc["execution_ref"], note["id"]);
    assert_eq!(note["credit_note_status"], "FINALIZED");
    assert_eq!(note["credit_note_type"], "REFUND");
    assert_eq!(note["total_amount"], "20.00");
    assert_eq!(note["memo"], "Charged twice in January");
    assert_eq!(
        note["idempotency_key"],
        format!("countersign:{}:esc_1", t.id)
    );
    assert_eq!(note["line_items"][0]["invoice_line_item_id"], "li_1");
    assert_eq!(fake.invoice("inv_1").payment_status, "PARTIALLY_REFUNDED");
    assert!(esc["execution_error"].is_null(), "{esc}");
    assert!(esc["execution_at"].is_string(), "{esc}");
    assert_eq!(
        esc["decided_by_id"].as_str().map(|s| s.starts_with("agt_")),
        Some(true)
    );
    // Once, whatever else happens: no executor sends it again.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fake.calls(), vec!["POST /v1/creditnotes"]);
}

#[tokio::test]
async fn a_full_refund_of_a_taxed_invoice_is_one_credit_note_with_the_tax_s_share() {
    // inv_1: one line of 41.18 (tax excluded), tax 7.82, 49.00 paid. FlexPrice credits lines,
    // each at most its own amount; the tax is laid over the line again as its own entry.
    let (app, t, fake, ticket) = tenant(true).await;
    approve(&app, &t, &ticket, "esc_1", "refund", Some("49.00")).await;
    let esc = settled(&app, &t.agent, "esc_1", Duration::from_secs(10)).await;
    assert_eq!(esc["execution"], "executed", "{esc}");
    let notes = fake.credit_notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["total_amount"], "49.00");
    let lines: Vec<(&str, &str, Option<&str>)> = notes[0]["line_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["invoice_line_item_id"].as_str().unwrap(),
                l["amount"].as_str().unwrap(),
                l["display_name"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![("li_1", "41.18", None), ("li_1", "7.82", Some("Tax"))]
    );
    assert_eq!(fake.invoice("inv_1").payment_status, "REFUNDED");
    assert_eq!(fake.calls(), vec!["POST /v1/creditnotes"]);
}

#[tokio::test]
async fn a_timeout_after_flexprice_committed_is_asked_about_never_sent_again() {
    let (app, t, fake, ticket) = tenant(true).await;
    // FlexPrice makes the credit note, then answers after the platform stopped waiting (0.7 s).
    fake.then([Mode::CommitThenStall(Duration::from_secs(3))]);
    approve(&app, &t, &ticket, "esc_1", "credit_note", Some("10.00")).await;
    let esc = settled(&app, &t.supervisor2, "esc_1", Duration::from_secs(15)).await;
    assert_eq!(esc["execution"], "executed", "{esc}");
    assert_eq!(fake.credit_notes().len(), 1);
    assert_eq!(esc["execution_ref"], fake.credit_notes()[0]["id"]);
    // The second attempt asked, found the credit note by its key, and sent nothing.
    assert_eq!(
        fake.calls(),
        vec!["POST /v1/creditnotes", "GET /v1/creditnotes"]
    );
}

#[tokio::test]
async fn a_server_error_is_followed_by_asking_then_one_credit_note() {
    let (app, t, fake, ticket) = tenant(true).await;
    fake.then([Mode::Unavailable(2)]);
    approve(&app, &t, &ticket, "esc_1", "refund", Some("5.00")).await;
    let esc = settled(&app, &t.agent, "esc_1", Duration::from_secs(15)).await;
    assert_eq!(esc["execution"], "executed", "{esc}");
    assert_eq!(fake.credit_notes().len(), 1);
    // 503 on the create; the next attempt's question also 503 (nothing sent); then asked and sent.
    assert_eq!(
        fake.calls(),
        vec![
            "POST /v1/creditnotes",
            "GET /v1/creditnotes",
            "GET /v1/creditnotes",
            "POST /v1/creditnotes"
        ]
    );
}

#[tokio::test]
async fn a_refusal_fails_with_flexprice_s_reason_and_only_a_supervisor_s_retry_tries_again() {
    let (app, t, fake, ticket) = tenant(true).await;
    fake.then([Mode::Refuse(
        400,
        json!({"code": "validation_error", "message": "credit amount exceeds available limit",
               "http_status_code": 400, "details": {}}),
    )]);
    approve(&app, &t, &ticket, "esc_1", "refund", Some("20.00")).await;
    let esc = settled(&app, &t.agent, "esc_1", Duration::from_secs(10)).await;
    assert_eq!(esc["execution"], "failed", "{esc}");
    assert_eq!(
        esc["execution_error"],
        "credit amount exceeds available limit"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        fake.calls(),
        vec!["POST /v1/creditnotes"],
        "a refusal is not retried blindly"
    );
    assert!(fake.credit_notes().is_empty());

    // An agent may not retry it; a supervisor may, and the retry asks before it sends.
    let retry = |seq: i64| {
        json!([{"seq": seq, "id": format!("mut_retry_{seq}"), "kind": "retry_execution",
                                   "payload": {"escalation_id": "esc_1", "requested_by": "Sue"}}])
    };
    let r = app.push(&t.agent, "dev-a", retry(5)).await;
    assert_eq!(
        (r[0]["status"].as_str(), r[0]["code"].as_str()),
        (Some("rejected"), Some("forbidden")),
        "{r:?}"
    );
    let r = app.push(&t.supervisor, "dev-s", retry(2)).await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
    let esc = settled(&app, &t.agent, "esc_1", Duration::from_secs(10)).await;
    assert_eq!(esc["execution"], "executed", "{esc}");
    assert_eq!(fake.credit_notes().len(), 1);
    assert_eq!(
        fake.calls(),
        vec![
            "POST /v1/creditnotes",
            "GET /v1/creditnotes",
            "POST /v1/creditnotes"
        ]
    );
    // Done is done: a second retry is refused.
    let r = app.push(&t.supervisor, "dev-s", retry(3)).await;
    assert_eq!(r[0]["code"], "conflict", "{r:?}");
}

#[tokio::test]
async fn a_billing_system_that_never_answers_fails_after_the_last_attempt_without_a_second_send() {
    let (app, t, fake, ticket) = tenant(true).await;
    fake.then([Mode::Unavailable(100)]);
    approve(&app, &t, &ticket, "esc_1", "refund", Some("5.00")).await;
    let esc = settled(&app, &t.agent, "esc_1", Duration::from_secs(20)).await;
    assert_eq!(esc["execution"], "failed", "{esc}");
    let error = esc["execution_error"].as_str().unwrap();
    assert!(error.contains("after 4 attempts"), "{error}");
    // One send; every later attempt only asked.
    let calls = fake.calls();
    assert_eq!(
        calls.iter().filter(|c| c.starts_with("POST")).count(),
        1,
        "{calls:?}"
    );
    assert_eq!(calls.len(), 4, "{calls:?}");
}

#[tokio::test]
async fn an_approved_void_voids_the_invoice_once() {
    let (app, t, fake, ticket) = tenant(true).await;
    approve(&app, &t, &ticket, "esc_1", "void_invoice", None).await;
    let esc = settled(&app, &t.agent, "esc_1", Duration::from_secs(10)).await;
    assert_eq!(esc["execution"], "executed", "{esc}");
    assert_eq!(esc["execution_ref"], "inv_1");
    assert_eq!(fake.invoice("inv_1").invoice_status, "VOIDED");
    assert_eq!(fake.calls(), vec!["POST /v1/invoices/inv_1/void"]);
}

#[tokio::test]
async fn without_a_connector_an_approval_says_it_was_not_executed() {
    let (app, t, fake, ticket) = tenant(false).await;
    approve(&app, &t, &ticket, "esc_1", "refund", Some("20.00")).await;
    let esc = settled(&app, &t.agent, "esc_1", Duration::from_secs(2)).await;
    assert_eq!(esc["status"], "approved");
    assert_eq!(esc["execution"], "unconnected", "{esc}");
    assert!(fake.calls().is_empty());
}

/// Found by review: an approval made while the tenant had no connector stayed "not executed"
/// for good. Connected later, a supervisor sends it from the escalation.
#[tokio::test]
async fn an_approval_made_before_the_connector_is_sent_when_a_supervisor_asks() {
    let (app, t, fake, ticket) = tenant(false).await;
    approve(&app, &t, &ticket, "esc_1", "refund", Some("20.00")).await;
    let esc = settled(&app, &t.agent, "esc_1", Duration::from_secs(2)).await;
    assert_eq!(esc["execution"], "unconnected", "{esc}");
    app.connect_billing(&t, &fake.base_url(), API_KEY).await;
    let r = app
        .push(
            &t.supervisor,
            "dev-s",
            json!([{"seq": 2, "id": "mut_send_1", "kind": "retry_execution",
               "payload": {"escalation_id": "esc_1", "requested_by": "Sue"}}]),
        )
        .await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
    let esc = settled(&app, &t.agent, "esc_1", Duration::from_secs(10)).await;
    assert_eq!(esc["execution"], "executed", "{esc}");
    assert_eq!(
        fake.calls(),
        vec!["POST /v1/creditnotes"],
        "never sent before: nothing to ask"
    );
}

#[tokio::test]
async fn the_api_key_is_sealed_at_rest_and_never_returned() {
    let (app, t, fake, _) = tenant(true).await;
    let path = format!("/v1/admin/tenants/{}/billing-connector", t.id);
    let r = app.get(&path, ADMIN_TOKEN).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["base_url"], fake.base_url());
    assert!(!r.body.to_string().contains(API_KEY), "{}", r.body);
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT api_key_sealed FROM billing_connectors")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains(API_KEY));
    // Only the admin sets or reads it; a key never goes over plain http off this machine.
    assert_eq!(app.get(&path, &t.supervisor).await.status, 401);
    let r = app
        .send(
            "PUT",
            &path,
            Some(ADMIN_TOKEN),
            Some(json!({"base_url": "http://billing.example/v1", "api_key": "k"})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_argument"),
        "{}",
        r.body
    );
    let r = app
        .send(
            "PUT",
            "/v1/admin/tenants/ten_nope/billing-connector",
            Some(ADMIN_TOKEN),
            Some(json!({"base_url": fake.base_url(), "api_key": "k"})),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    // Removed: approvals are labelled, as for a tenant never connected.
    let r = app.send("DELETE", &path, Some(ADMIN_TOKEN), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(app.get(&path, ADMIN_TOKEN).await.status, 404);
}

#[tokio::test]
async fn two_platform_instances_execute_an_approval_once() {
    let (app, t, fake, ticket) = tenant(true).await;
    let other = app.another_instance().await;
    // Slow answers keep the first claim busy while the other instance looks for work.
    fake.then([Mode::CommitThenStall(Duration::from_millis(300))]);
    approve(&other, &t, &ticket, "esc_1", "refund", Some("7.50")).await;
    let esc = settled(&app, &t.agent, "esc_1", Duration::from_secs(10)).await;
    assert_eq!(esc["execution"], "executed", "{esc}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fake.credit_notes().len(), 1);
    assert_eq!(fake.calls(), vec!["POST /v1/creditnotes"]);
}

/// FlexPrice's records for the backfill: 3 customers, 2 subscriptions (one weekly), 3 invoices,
/// 3 payments, 1 wallet, in its shapes (lower-case currencies, date-times, destination_id).
fn flexprice_records(fake: &FakeFlexPrice) {
    let customer = |i: u32| {
        json!({"id": format!("cus_fp{i}"), "external_id": format!("ext-{i}"),
        "name": format!("Customer {i}"), "email": format!("c{i}@example.com"), "metadata": {},
        "created_at": "2026-11-01T00:00:00Z", "updated_at": "2026-11-01T00:00:00Z"})
    };
    let invoice = |i: u32| {
        json!({"id": format!("inv_fp{i}"), "invoice_number": format!("FP-{i}"),
        "customer_id": format!("cus_fp{i}"), "invoice_status": "FINALIZED", "payment_status": "SUCCEEDED",
        "invoice_type": "ONE_OFF", "billing_reason": "MANUAL", "currency": "usd", "amount_due": "30",
        "amount_paid": "30", "amount_remaining": "0", "refunded_amount": "0", "subtotal": "30", "total": "30",
        "issue_date": "2026-11-02T10:00:00Z", "due_date": "2026-11-16T10:00:00Z",
        "line_items": [{"id": format!("li_fp{i}"), "display_name": "Seats", "amount": "30", "quantity": "3"}],
        "created_at": "2026-11-02T10:00:00Z", "updated_at": "2026-11-02T10:00:00Z"})
    };
    let payment = |i: u32| {
        json!({"id": format!("pay_fp{i}"), "destination_type": "INVOICE",
        "destination_id": format!("inv_fp{i}"), "payment_method_type": "CARD", "amount": "30",
        "currency": "usd", "payment_status": "SUCCEEDED", "succeeded_at": "2026-11-03T10:00:00Z",
        "created_at": "2026-11-03T10:00:00Z", "updated_at": "2026-11-03T10:00:00Z"})
    };
    fake.serve_list("customers", (1..=3).map(customer).collect());
    // One kept, one a desk cannot show (weekly): skipped and said.
    let mut weekly = subscription_of("sub_fp2", "cus_fp2");
    weekly["billing_period"] = json!("WEEKLY");
    weekly["created_at"] = json!("2026-01-02T00:00:00Z");
    fake.serve_list(
        "subscriptions",
        vec![subscription_of("sub_fp1", "cus_fp1"), weekly],
    );

    fake.serve_list("invoices", (1..=3).map(invoice).collect());
    fake.serve_list("payments", (1..=3).map(payment).collect());
    fake.serve_list(
        "wallets",
        vec![
            json!({"id": "wal_fp1", "customer_id": "cus_fp1", "currency": "usd",
        "balance": "12.50", "wallet_status": "ACTIVE", "created_at": "2026-11-01T00:00:00Z"}),
        ],
    );
}

async fn backfilled(app: &TestApp, t: &Tenant, within: Duration) -> Value {
    let start = Instant::now();
    loop {
        let r = app
            .get(
                &format!("/v1/admin/tenants/{}/billing-backfill", t.id),
                ADMIN_TOKEN,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        if r.body["state"] != "running" || start.elapsed() > within {
            return r.body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_backfill_pages_every_list_through_an_outage_and_resumes_exactly() {
    let (app, t, fake, _) = tenant(true).await;
    flexprice_records(&fake);
    let r = app
        .send(
            "POST",
            &format!("/v1/admin/tenants/{}/billing-backfill", t.id),
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.body["state"].as_str()),
        (200, Some("running")),
        "{}",
        r.body
    );
    let done = backfilled(&app, &t, Duration::from_secs(15)).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(
        done["records"], 12,
        "3 customers, 2 subscriptions, 3 invoices, 3 payments, 1 wallet: {done}"
    );
    assert_eq!(done["skipped"], 1, "{done}");
    assert!(
        done["last_skipped"].as_str().unwrap().contains("sub_fp2"),
        "{done}"
    );
    let changes = app.all_changes(&t.agent).await;
    let has = |entity: &str, id: &str| {
        changes
            .iter()
            .any(|c| c["entity"] == entity && c["id"] == id)
    };
    for i in 1..=3 {
        assert!(has("customer", &format!("cus_fp{i}")));
        assert!(has("invoice", &format!("inv_fp{i}")));
        assert!(has("payment", &format!("pay_fp{i}")));
    }
    assert!(has("wallet", "wal_fp1"));
    assert!(has("subscription", "sub_fp1") && !has("subscription", "sub_fp2"));
    let sub = changes.iter().rfind(|c| c["id"] == "sub_fp1").unwrap();
    assert_eq!(sub["data"]["price"], 3750, "{sub}");
    let pay = changes.iter().rfind(|c| c["id"] == "pay_fp2").unwrap();
    assert_eq!(pay["data"]["customer_id"], "cus_fp2", "{pay}");
    // Every list was read in pages of two, oldest first, until an empty page.
    let pages = fake
        .calls()
        .iter()
        .filter(|c| c.starts_with("GET /v1/"))
        .count();
    // Subscriptions: two list pages, and each listed one read whole (the list has no prices).
    assert_eq!(pages, 3 + (2 + 2) + 3 + 3 + 2, "{:?}", fake.calls());

    // Again, through an outage: failed pages are retried, and nothing is read twice into a
    // new version (the ingest changes only what differs).
    let before = app.all_changes(&t.agent).await.len();
    fake.then([Mode::Unavailable(2)]);
    let r = app
        .send(
            "POST",
            &format!("/v1/admin/tenants/{}/billing-backfill", t.id),
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(
        r.body["list"], "customers",
        "a finished backfill starts over: {}",
        r.body
    );
    let again = backfilled(&app, &t, Duration::from_secs(15)).await;
    assert_eq!(again["state"], "done", "{again}");
    assert_eq!(
        app.all_changes(&t.agent).await.len(),
        before,
        "an unchanged record is no change"
    );
}

#[tokio::test]
async fn a_backfill_that_never_gets_an_answer_stops_as_failed_and_resumes_where_it_stood() {
    let (app, t, fake, _) = tenant(true).await;
    flexprice_records(&fake);
    fake.then([Mode::Unavailable(100)]);
    let path = format!("/v1/admin/tenants/{}/billing-backfill", t.id);
    app.send("POST", &path, Some(ADMIN_TOKEN), None).await;
    let failed = backfilled(&app, &t, Duration::from_secs(20)).await;
    assert_eq!(failed["state"], "failed", "{failed}");
    assert!(
        failed["error"].as_str().unwrap().contains("503"),
        "{failed}"
    );
    fake.books.lock().unwrap().mode.clear();
    let r = app.send("POST", &path, Some(ADMIN_TOKEN), None).await;
    assert_eq!(r.body["state"], "running", "{}", r.body);
    let done = backfilled(&app, &t, Duration::from_secs(15)).await;
    assert_eq!(
        (done["state"].as_str(), done["records"].as_i64()),
        (Some("done"), Some(12)),
        "{done}"
    );
}

#[tokio::test]
async fn a_payment_of_an_invoice_flexprice_did_not_list_is_skipped_and_said() {
    let (app, t, fake, _) = tenant(true).await;
    flexprice_records(&fake);
    let mut payments = fake.books.lock().unwrap().lists["payments"].clone();
    payments.push(json!({"id": "pay_late", "destination_type": "INVOICE", "destination_id": "inv_late",
        "payment_method_type": "CARD", "amount": "5", "currency": "usd", "payment_status": "SUCCEEDED",
        "created_at": "2026-11-04T10:00:00Z", "updated_at": "2026-11-04T10:00:00Z"}));
    fake.serve_list("payments", payments);
    app.send(
        "POST",
        &format!("/v1/admin/tenants/{}/billing-backfill", t.id),
        Some(ADMIN_TOKEN),
        None,
    )
    .await;
    let done = backfilled(&app, &t, Duration::from_secs(15)).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(
        (done["records"].as_i64(), done["skipped"].as_i64()),
        (Some(13), Some(2)),
        "the weekly subscription and the late payment: {done}"
    );
    assert!(
        done["last_skipped"].as_str().unwrap().contains("inv_late"),
        "{done}"
    );
}
