//! Ingest: the message webhook and billing upserts that move versions only on change.

use crate::support::{billing, spawn_app};
use serde_json::json;

#[tokio::test]
async fn billing_upserts_bump_versions_only_when_something_changed() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let first = app.invoice(&t.ingest, "inv_a1", "49.00").await;
    assert_eq!(first["customers"], json!(["cus_anna"]));
    assert_eq!(first["invoices"], json!(["inv_a1"]));
    assert_eq!(first["payments"], json!(["pay_a1"]));
    let invoice = app
        .all_changes(&t.agent)
        .await
        .into_iter()
        .find(|c| c["entity"] == "invoice")
        .unwrap();
    assert_eq!(
        invoice["data"]["amount_due"], 4900,
        "decimal strings in, minor units stored"
    );
    assert_eq!(invoice["data"]["issue_date"], "2025-02-01");
    assert_eq!(invoice["data"]["line_items"][0]["amount"], 4118);

    let same = app.invoice(&t.ingest, "inv_a1", "49.00").await;
    assert_eq!(
        (
            same["customers"].clone(),
            same["invoices"].clone(),
            same["payments"].clone(),
            same["cursor"].clone()
        ),
        (json!([]), json!([]), json!([]), json!(null)),
        "the same records again change nothing: {same}"
    );

    let mut changed = billing("inv_a1", "49.00");
    changed["invoices"][0]["payment_status"] = json!("SUCCEEDED");
    let r = app
        .post("/v1/ingest/billing", &t.ingest, changed.clone())
        .await;
    assert_eq!(r.body["invoices"], json!(["inv_a1"]), "{}", r.body);
    assert_eq!(
        r.body["customers"],
        json!([]),
        "the unchanged customer keeps its version"
    );
    changed["invoices"][0]["line_items"][0]["description"] = json!("Team plan (annual)");
    let r = app.post("/v1/ingest/billing", &t.ingest, changed).await;
    assert_eq!(
        r.body["invoices"],
        json!(["inv_a1"]),
        "a changed line item changes its invoice"
    );
    let versions: Vec<(String, i64)> = sqlx::query_as(
        "SELECT id, version FROM invoices UNION ALL SELECT id, version FROM customers ORDER BY 1",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(versions, [("cus_anna".into(), 1), ("inv_a1".into(), 3)]);

    let mut bad = billing("inv_a2", "49.00");
    bad["invoices"][0]["amount_due"] = json!(49.0);
    let r = app.post("/v1/ingest/billing", &t.ingest, bad).await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_argument"),
        "a float amount is refused"
    );
    let mut bad = billing("inv_a2", "49.001");
    bad["customers"] = json!([]);
    let r = app.post("/v1/ingest/billing", &t.ingest, bad).await;
    assert_eq!(r.code(), "invalid_argument", "EUR has two decimals");
    let orphan = json!({"payments": [{"id": "pay_x", "customer_id": "cus_nobody", "currency": "EUR",
        "amount": "1.00", "method": "card", "payment_status": "FAILED",
        "created_at": "2025-02-02T00:00:00Z", "updated_at": "2025-02-02T00:00:00Z"}]});
    let r = app.post("/v1/ingest/billing", &t.ingest, orphan).await;
    assert_eq!(
        r.code(),
        "invalid_argument",
        "an unknown customer is refused: {}",
        r.body
    );
}

#[tokio::test]
async fn messages_continue_a_ticket_by_id_or_thread_and_redeliveries_are_idempotent() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let send = |body: serde_json::Value| app.post("/v1/ingest/messages", &t.ingest, body);
    let m = json!({"customer": {"email": "anna@example.com"}, "subject": "Charged twice", "body": "Hi",
                   "thread_key": "mail-thread-1", "message_id": "msg_mail1"});
    let first = send(m.clone()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["created_ticket"], true);
    let ticket = first.body["ticket_id"].as_str().unwrap().to_owned();

    let again = send(m).await;
    assert_eq!(
        again.body["duplicate"], true,
        "the same message id is taken once"
    );
    let follow = send(
        json!({"customer": {"email": "ANNA@example.com"}, "subject": "Re: Charged twice",
                            "body": "Any news?", "thread_key": "mail-thread-1"}),
    )
    .await;
    assert_eq!(
        follow.body["ticket_id"],
        ticket.as_str(),
        "the thread continues its ticket"
    );
    assert_eq!(follow.body["ticket_version"], 2, "and bumps its version");
    assert_eq!(
        follow.body["customer_id"], first.body["customer_id"],
        "the customer is found by email"
    );
    let by_id = send(
        json!({"customer": {"email": "anna@example.com"}, "subject": "x", "body": "Third",
                           "ticket_id": ticket}),
    )
    .await;
    assert_eq!(by_id.body["ticket_version"], 3);
    let other =
        send(json!({"customer": {"email": "bob@example.com"}, "subject": "New", "body": "Hello"}))
            .await;
    assert_ne!(
        other.body["ticket_id"],
        ticket.as_str(),
        "no key: a new ticket"
    );
    let messages: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE ticket_id = $1")
        .bind(&ticket)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(messages, 3);
}

#[tokio::test]
async fn subscriptions_and_wallets_upsert_in_the_desks_shape() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    app.invoice(&t.ingest, "inv_a1", "49.00").await;
    let batch = |status: &str, balance: &str| {
        json!({
            "subscriptions": [{"id": "sub_team", "customer_id": "cus_anna", "plan_name": "Team",
                "subscription_status": status, "currency": "EUR", "price": "49.00",
                "billing_period": "monthly", "current_period_start": "2025-02-01",
                "current_period_end": "2025-03-01", "cancel_at_period_end": true,
                "start_date": "2024-06-01T00:00:00Z", "updated_at": "2025-02-01T00:00:00Z"}],
            "wallets": [{"id": "wal_anna", "customer_id": "cus_anna", "currency": "EUR",
                "balance": balance, "wallet_status": "active", "updated_at": "2025-02-01T00:00:00Z"}]
        })
    };
    let r = app
        .post("/v1/ingest/billing", &t.ingest, batch("active", "12.50"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["subscriptions"], json!(["sub_team"]));
    assert_eq!(r.body["wallets"], json!(["wal_anna"]));
    let feed = app.all_changes(&t.agent).await;
    let data = |entity: &str| {
        feed.iter()
            .find(|c| c["entity"] == entity)
            .unwrap_or_else(|| panic!("no {entity} change"))["data"]
            .clone()
    };
    let sub = data("subscription");
    assert_eq!(
        (
            sub["price"].clone(),
            sub["status"].clone(),
            sub["cancel_at_period_end"].clone(),
            sub["started_at"].clone()
        ),
        (
            json!(4900),
            json!("active"),
            json!(1),
            json!("2024-06-01T00:00:00.000Z")
        ),
        "minor units, the desk's 0/1 and timestamps: {sub}"
    );
    let wallet = data("wallet");
    assert_eq!(
        (wallet["balance"].clone(), wallet["status"].clone()),
        (json!(1250), json!("active"))
    );

    let same = app
        .post("/v1/ingest/billing", &t.ingest, batch("active", "12.50"))
        .await;
    assert_eq!(
        (
            same.body["subscriptions"].clone(),
            same.body["wallets"].clone()
        ),
        (json!([]), json!([])),
        "unchanged records keep their versions"
    );
    let moved = app
        .post("/v1/ingest/billing", &t.ingest, batch("past_due", "0.00"))
        .await;
    assert_eq!(moved.body["subscriptions"], json!(["sub_team"]));
    assert_eq!(moved.body["wallets"], json!(["wal_anna"]));
    let versions: Vec<(String, i64)> = sqlx::query_as(
        "SELECT id, version FROM subscriptions UNION ALL SELECT id, version FROM wallets ORDER BY 1",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(versions, [("sub_team".into(), 2), ("wal_anna".into(), 2)]);

    for (bad, why) in [
        (batch("dormant", "1.00"), "an unknown subscription status"),
        (
            batch("active", "1.001"),
            "a balance finer than the currency",
        ),
        (
            {
                let mut b = batch("active", "1.00");
                b["wallets"][0]["customer_id"] = json!("cus_nobody");
                b
            },
            "a wallet of an unknown customer",
        ),
    ] {
        let r = app.post("/v1/ingest/billing", &t.ingest, bad).await;
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_argument"),
            "{why}: {}",
            r.body
        );
    }
}
