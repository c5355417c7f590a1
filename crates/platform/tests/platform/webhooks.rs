//! Issue 16, changes in: FlexPrice's webhooks, verified as Svix signs them, taken once, mapped
//! onto the records desks keep and put on the feed.

use crate::support::{ADMIN_TOKEN, Reply, Tenant, TestApp, spawn_app};
use base64::Engine;
use countersign_platform::billing::svix;
use countersign_platform::testing::fake_flexprice::{
    API_KEY, FakeFlexPrice, Mode, subscription_of,
};
use serde_json::{Value, json};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A tenant taking webhooks, holding Anna's invoice inv_1 (49.00 EUR, payment FAILED).
async fn tenant() -> (TestApp, Tenant) {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    app.invoice(&t.ingest, "inv_1", "49.00").await;
    let r = app
        .send(
            "PUT",
            &format!("/v1/admin/tenants/{}/billing-connector", t.id),
            Some(ADMIN_TOKEN),
            Some(json!({"base_url": "http://127.0.0.1:9/v1", "api_key": API_KEY, "webhook_secret": SECRET})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["webhooks"], true);
    assert!(!r.body.to_string().contains("whsec"), "{}", r.body);
    (app, t)
}

/// Delivers `body` as FlexPrice's Svix would, `age` seconds old, with `id`.
async fn deliver(
    app: &TestApp,
    tenant: &str,
    id: &str,
    age: i64,
    body: &Value,
    secret: &str,
) -> Reply {
    let text = body.to_string();
    let ts = (chrono::Utc::now().timestamp() - age).to_string();
    let key = svix::key(secret).unwrap();
    let signature = svix::signature(&key, id, &ts, text.as_bytes());
    send_raw(
        app,
        tenant,
        Some(id),
        Some(&ts),
        Some(&signature),
        text.into_bytes(),
    )
    .await
}

async fn send_raw(
    app: &TestApp,
    tenant: &str,
    id: Option<&str>,
    ts: Option<&str>,
    signature: Option<&str>,
    body: Vec<u8>,
) -> Reply {
    let mut req = app
        .http
        .post(app.url(&format!("/v1/webhooks/flexprice/{tenant}")))
        .header("content-type", "application/json")
        .body(body);
    for (name, value) in [
        ("svix-id", id),
        ("svix-timestamp", ts),
        ("svix-signature", signature),
    ] {
        if let Some(v) = value {
            req = req.header(name, v);
        }
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    Reply {
        status,
        body: serde_json::from_str(&res.text().await.unwrap()).unwrap_or(Value::Null),
    }
}

/// A payment of inv_1 as FlexPrice's `payment.success` webhook carries it.
fn payment_success() -> Value {
    json!({"event_type": "payment.success", "payment": {
        "id": "pay_fp_1", "idempotency_key": "k1", "destination_type": "INVOICE", "destination_id": "inv_1",
        "payment_method_type": "CARD", "amount": "49.00", "currency": "eur", "payment_status": "SUCCEEDED",
        "succeeded_at": "2026-12-07T09:00:00Z", "metadata": {}}})
}

async fn latest(app: &TestApp, t: &Tenant, entity: &str, id: &str) -> Option<Value> {
    app.all_changes(&t.agent)
        .await
        .into_iter()
        .rfind(|c| c["entity"] == entity && c["id"] == id)
        .map(|c| c["data"].clone())
}

#[tokio::test]
async fn a_signed_payment_webhook_reaches_the_feed_once() {
    let (app, t) = tenant().await;
    let r = deliver(&app, &t.id, "msg_1", 0, &payment_success(), SECRET).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "applied");
    let pay = latest(&app, &t, "payment", "pay_fp_1")
        .await
        .expect("on the feed");
    assert_eq!(pay["customer_id"], "cus_anna", "{pay}");
    assert_eq!(pay["invoice_id"], "inv_1");
    assert_eq!(pay["payment_status"], "SUCCEEDED");
    assert_eq!(pay["method"], "card");
    assert_eq!(pay["amount"], 4900);
    let before = app.all_changes(&t.agent).await.len();
    // Svix retries with the same id; someone replays a captured delivery: taken once.
    let r = deliver(&app, &t.id, "msg_1", 0, &payment_success(), SECRET).await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (200, Some("duplicate")),
        "{}",
        r.body
    );
    assert_eq!(app.all_changes(&t.agent).await.len(), before);
}

#[tokio::test]
async fn an_invoice_webhook_updates_the_invoice_desks_hold() {
    let (app, t) = tenant().await;
    let v1 = latest(&app, &t, "invoice", "inv_1").await.unwrap()["version"]
        .as_i64()
        .unwrap();
    let event = json!({"event_type": "invoice.update.payment", "invoice": {
        "id": "inv_1", "invoice_number": "INV-1", "customer_id": "cus_anna", "invoice_status": "FINALIZED",
        "payment_status": "SUCCEEDED", "invoice_type": "SUBSCRIPTION", "billing_reason": "SUBSCRIPTION_CYCLE",
        "currency": "eur", "amount_due": "49.00", "amount_paid": "49.00", "amount_remaining": "0",
        "refunded_amount": "0", "subtotal": "41.18", "total_tax": "7.82", "total": "49.00",
        "issue_date": "2025-02-01T00:00:00Z", "due_date": "2025-02-15T00:00:00Z",
        "paid_at": "2026-12-07T09:00:00Z", "period_start": "2025-02-01T00:00:00Z", "period_end": "2025-03-01T00:00:00Z",
        "line_items": [{"id": "li_1", "display_name": "Team plan", "quantity": "1", "amount": "41.18"}],
        "created_at": "2025-02-01T00:00:00Z", "updated_at": "2026-12-07T09:00:00Z"}});
    let r = deliver(&app, &t.id, "msg_inv", 10, &event, SECRET).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let inv = latest(&app, &t, "invoice", "inv_1").await.unwrap();
    assert_eq!(inv["payment_status"], "SUCCEEDED", "{inv}");
    assert_eq!(inv["amount_paid"], 4900);
    assert!(inv["version"].as_i64().unwrap() > v1);
}

#[tokio::test]
async fn tampered_stale_unsigned_and_wrongly_keyed_deliveries_are_refused() {
    let (app, t) = tenant().await;
    let body = payment_success();
    // Signed, then changed on the way.
    let text = body.to_string();
    let ts = chrono::Utc::now().timestamp().to_string();
    let sig = svix::signature(&svix::key(SECRET).unwrap(), "msg_t", &ts, text.as_bytes());
    let tampered = text.replace("49.00", "4900.00").into_bytes();
    let r = send_raw(&app, &t.id, Some("msg_t"), Some(&ts), Some(&sig), tampered).await;
    assert_eq!((r.status, r.code()), (401, "unauthenticated"), "{}", r.body);
    // Older than five minutes.
    let r = deliver(&app, &t.id, "msg_old", 400, &body, SECRET).await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("300 s"),
        "{}",
        r.body
    );
    // Unsigned.
    let r = send_raw(
        &app,
        &t.id,
        Some("msg_u"),
        Some(&ts),
        None,
        text.clone().into_bytes(),
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    // Signed with another secret.
    let other = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(b"another endpoint's secret")
    );
    let r = deliver(&app, &t.id, "msg_k", 0, &body, &other).await;
    assert_eq!(r.status, 401, "{}", r.body);
    // A tenant that takes no webhooks.
    let r = deliver(&app, "ten_nope", "msg_n", 0, &body, SECRET).await;
    assert_eq!((r.status, r.code()), (401, "unauthenticated"), "{}", r.body);
    assert!(
        latest(&app, &t, "payment", "pay_fp_1").await.is_none(),
        "nothing was taken"
    );
    // A refused delivery's id was not used up: the genuine one is still taken.
    let r = deliver(&app, &t.id, "msg_t", 0, &body, SECRET).await;
    assert_eq!(r.body["status"], "applied", "{}", r.body);
}

#[tokio::test]
async fn events_of_no_record_desks_keep_are_acknowledged_and_misfits_said() {
    let (app, t) = tenant().await;
    let r = deliver(
        &app,
        &t.id,
        "msg_cn",
        0,
        &json!({"event_type": "credit_note.created", "credit_note": {"id": "cn_1"}}),
        SECRET,
    )
    .await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (200, Some("ignored")),
        "{}",
        r.body
    );
    let r = deliver(
        &app,
        &t.id,
        "msg_f",
        0,
        &json!({"event_type": "feature.created", "feature": {}}),
        SECRET,
    )
    .await;
    assert_eq!(r.body["status"], "ignored", "{}", r.body);
    // A payment of an invoice the platform does not hold: said, and FlexPrice may send it again.
    let mut orphan = payment_success();
    orphan["payment"]["destination_id"] = json!("inv_unknown");
    let r = deliver(&app, &t.id, "msg_o", 0, &orphan, SECRET).await;
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
            .contains("inv_unknown"),
        "{}",
        r.body
    );
    let r = deliver(&app, &t.id, "msg_c", 0, &json!({"event_type": "customer.updated", "customer": {
        "id": "cus_anna", "external_id": "ext-anna", "name": "Anna Schmidt-Weber", "email": "anna@example.com",
        "metadata": {"plan": "team"}}}), SECRET).await;
    assert_eq!(r.body["status"], "applied", "{}", r.body);
    let c = latest(&app, &t, "customer", "cus_anna").await.unwrap();
    assert_eq!(c["name"], "Anna Schmidt-Weber", "{c}");
}

/// Found by review: deliveries come in any order, and an older invoice overwrote a newer one
/// (its refunded amount going back down). The newest `updated_at` wins.
#[tokio::test]
async fn an_older_delivery_does_not_overwrite_a_newer_record() {
    let (app, t) = tenant().await;
    let invoice = |status: &str, paid: &str, updated: &str| {
        json!({"event_type": "invoice.update.payment", "invoice": {
            "id": "inv_1", "invoice_number": "INV-1", "customer_id": "cus_anna", "invoice_status": "FINALIZED",
            "payment_status": status, "invoice_type": "SUBSCRIPTION", "billing_reason": "SUBSCRIPTION_CYCLE",
            "currency": "eur", "amount_due": "49.00", "amount_paid": paid,
            "amount_remaining": if paid == "0" { "49.00" } else { "0" },
            "refunded_amount": "0", "subtotal": "41.18", "total_tax": "7.82", "total": "49.00",
            "issue_date": "2025-02-01T00:00:00Z", "due_date": "2025-02-15T00:00:00Z",
            "line_items": [{"id": "li_1", "display_name": "Team plan", "quantity": "1", "amount": "41.18"}],
            "updated_at": updated}})
    };
    let r = deliver(
        &app,
        &t.id,
        "msg_new",
        0,
        &invoice("SUCCEEDED", "49.00", "2026-12-07T10:00:00Z"),
        SECRET,
    )
    .await;
    assert_eq!(r.body["status"], "applied", "{}", r.body);
    let newer = latest(&app, &t, "invoice", "inv_1").await.unwrap();
    let r = deliver(
        &app,
        &t.id,
        "msg_old",
        0,
        &invoice("FAILED", "0", "2026-12-07T09:00:00Z"),
        SECRET,
    )
    .await;
    assert_eq!(
        r.body["status"], "applied",
        "taken, and changing nothing: {}",
        r.body
    );
    assert_eq!(r.body["changed"]["invoices"], json!([]), "{}", r.body);
    let now = latest(&app, &t, "invoice", "inv_1").await.unwrap();
    assert_eq!(now, newer, "the newer invoice stands");
    assert_eq!(now["payment_status"], "SUCCEEDED");
}

/// A subscription's webhook carries neither its plan nor its prices (FlexPrice's builder sends
/// the subscription alone): the platform reads it back and desks get it priced; one it cannot
/// read is answered 503 and taken when FlexPrice delivers it again; one a desk cannot show as
/// it is (a draft) is acknowledged with why.
#[tokio::test]
async fn a_subscription_webhook_is_read_back_priced_and_reaches_the_feed() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    app.invoice(&t.ingest, "inv_1", "49.00").await;
    let fake = FakeFlexPrice::start().await;
    let r = app
        .send(
            "PUT",
            &format!("/v1/admin/tenants/{}/billing-connector", t.id),
            Some(ADMIN_TOKEN),
            Some(
                json!({"base_url": fake.base_url(), "api_key": API_KEY, "webhook_secret": SECRET}),
            ),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let whole = subscription_of("sub_fp1", "cus_anna");
    fake.serve_list("subscriptions", vec![whole.clone()]);
    // As FlexPrice's webhook builder sends it: no line items, no plan, no updated_at.
    let mut sent = whole.clone();
    for k in ["line_items", "plan", "created_at", "updated_at"] {
        sent.as_object_mut().unwrap().remove(k);
    }
    let event = json!({"event_type": "subscription.updated", "subscription": sent});

    fake.then([Mode::Unavailable(1)]);
    let r = deliver(&app, &t.id, "msg_s1", 0, &event, SECRET).await;
    assert_eq!((r.status, r.code()), (503, "unavailable"), "{}", r.body);
    assert!(latest(&app, &t, "subscription", "sub_fp1").await.is_none());

    // FlexPrice delivers it again, with the same id: taken now.
    let r = deliver(&app, &t.id, "msg_s1", 0, &event, SECRET).await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (200, Some("applied")),
        "{}",
        r.body
    );
    let sub = latest(&app, &t, "subscription", "sub_fp1")
        .await
        .expect("on the feed");
    assert_eq!(sub["price"], 3750, "{sub}");
    assert_eq!(sub["currency"], "EUR");
    assert_eq!(sub["plan_name"], "Team");
    assert_eq!(sub["billing_period"], "monthly");
    assert_eq!(sub["customer_id"], "cus_anna");
    assert_eq!(
        fake.calls(),
        vec![
            "GET /v1/subscriptions/sub_fp1",
            "GET /v1/subscriptions/sub_fp1"
        ]
    );

    // A draft is not a subscription desks show: acknowledged with why, nothing changes.
    let mut draft = whole.clone();
    draft["subscription_status"] = json!("draft");
    fake.serve_list("subscriptions", vec![draft]);
    let before = app.all_changes(&t.agent).await.len();
    let r = deliver(&app, &t.id, "msg_s2", 0, &event, SECRET).await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (200, Some("ignored")),
        "{}",
        r.body
    );
    assert!(
        r.body["why"].as_str().unwrap().contains("draft"),
        "{}",
        r.body
    );
    assert_eq!(app.all_changes(&t.agent).await.len(), before);
}
