//! Ingest: only ingest tokens, and only records a billing system could hold (items 4 and 14).

use crate::support::{ADMIN_TOKEN, billing, spawn_app};
use serde_json::{Value, json};

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
