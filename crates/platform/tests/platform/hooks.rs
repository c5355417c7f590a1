//! Issue 17, webhooks: a tenant's endpoint hears of its tickets, signed as Standard Webhooks
//! says, retried with backoff while it fails, with a delivery log and a replay.

use crate::support::{ADMIN_TOKEN, TestApp, spawn_app};
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use countersign_platform::billing::svix;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the receiver got: headers that matter and the body.
#[derive(Debug, Clone)]
struct Got {
    id: String,
    timestamp: String,
    signature: String,
    body: Vec<u8>,
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Got>>>,
    /// Requests still to be answered 500.
    fail: Arc<Mutex<u32>>,
}

impl Receiver {
    async fn start(&self) -> String {
        let me = self.clone();
        let app = Router::new().route(
            "/hooks",
            post(move |headers: HeaderMap, body: Bytes| {
                let me = me.clone();
                async move {
                    let h = |n: &str| {
                        headers
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    me.got.lock().unwrap().push(Got {
                        id: h("webhook-id"),
                        timestamp: h("webhook-timestamp"),
                        signature: h("webhook-signature"),
                        body: body.to_vec(),
                    });
                    let mut fail = me.fail.lock().unwrap();
                    if *fail > 0 {
                        *fail -= 1;
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::NO_CONTENT
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}/hooks")
    }

    fn got(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }
}

async fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < Duration::from_secs(10), "{what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn endpoint(app: &TestApp, tenant: &str, url: &str, events: &[&str]) -> Value {
    let r = app
        .send(
            "POST",
            &format!("/v1/admin/tenants/{tenant}/webhooks"),
            Some(ADMIN_TOKEN),
            Some(json!({"url": url, "events": events})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[tokio::test]
async fn an_endpoint_hears_signed_events_through_failures_and_can_replay_one() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let made = endpoint(
        &app,
        &t.id,
        &url,
        &["ticket.created", "message.received", "escalation.raised"],
    )
    .await;
    let secret = made["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{made}");
    let listed = app
        .get(&format!("/v1/admin/tenants/{}/webhooks", t.id), ADMIN_TOKEN)
        .await;
    assert!(
        !listed.body.to_string().contains(&secret),
        "shown once: {}",
        listed.body
    );

    // The endpoint fails twice, then takes everything.
    *receiver.fail.lock().unwrap() = 2;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    wait_for("both events delivered", || {
        let got = receiver.got();
        let ids: std::collections::HashSet<_> = got.iter().map(|g| g.id.clone()).collect();
        got.len() >= 4 && ids.len() == 2
    })
    .await;
    let got = receiver.got();
    assert_eq!(got.len(), 4, "two events, two failures: {got:?}");
    let key = svix::key(&secret).unwrap();
    let now = chrono::Utc::now().timestamp();
    let mut types = vec![];
    for g in &got {
        svix::verify(
            &key,
            Some(&g.id),
            Some(&g.timestamp),
            Some(&g.signature),
            &g.body,
            now,
        )
        .unwrap_or_else(|e| panic!("a Standard Webhooks signature: {e}"));
        assert!(g.signature.starts_with("v1,"), "{}", g.signature);
        let body: Value = serde_json::from_slice(&g.body).unwrap();
        assert_eq!(body["data"]["ticket_id"], ticket.as_str(), "{body}");
        assert!(body["timestamp"].is_string(), "{body}");
        types.push(body["type"].as_str().unwrap().to_owned());
    }
    types.sort();
    types.dedup();
    assert_eq!(types, vec!["message.received", "ticket.created"]);
    // A tampered body does not verify.
    let mut bad = got[0].clone();
    bad.body.push(b' ');
    assert!(
        svix::verify(
            &key,
            Some(&bad.id),
            Some(&bad.timestamp),
            Some(&bad.signature),
            &bad.body,
            now
        )
        .is_err()
    );

    // The delivery log says what happened; a replay sends one again under the same id.
    let log_path = format!(
        "/v1/admin/tenants/{}/webhooks/{}/deliveries",
        t.id,
        made["id"].as_str().unwrap()
    );
    let start = Instant::now();
    let log = loop {
        let log = app.get(&log_path, ADMIN_TOKEN).await.body;
        if log["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["state"] == "delivered")
        {
            break log;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{log}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let deliveries = log["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 2, "{log}");
    let attempts: i64 = deliveries
        .iter()
        .map(|d| d["attempts"].as_i64().unwrap())
        .sum();
    assert_eq!(attempts, 4, "{log}");
    assert!(deliveries.iter().all(|d| d["last_status"] == 204), "{log}");
    let first = deliveries[0]["id"].as_str().unwrap();
    let r = app
        .send(
            "POST",
            &format!("{log_path}/{first}/replay"),
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    wait_for("the replay arrives", || receiver.got().len() == 5).await;
    assert_eq!(receiver.got()[4].id, first, "the same webhook-id");

    // An event the endpoint does not take is not sent; one it takes is.
    let before = receiver.got().len();
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([{"seq": 1, "id": "mut_esc", "kind": "raise_escalation",
                "payload": {"escalation_id": "esc_h1", "ticket_id": ticket, "reason": "Charged twice",
                            "proposed_action": "other"}}]),
        )
        .await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
    wait_for("escalation.raised arrives", || {
        receiver.got().len() == before + 1
    })
    .await;
    let body: Value = serde_json::from_slice(&receiver.got()[before].body).unwrap();
    assert_eq!(body["type"], "escalation.raised");
    assert_eq!(body["data"]["escalation_id"], "esc_h1");
}

#[tokio::test]
async fn an_endpoint_that_never_answers_fails_after_its_day_and_bad_endpoints_are_refused() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    // Nobody listens here; the test platform gives up after 3 s instead of a day.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let made = endpoint(
        &app,
        &t.id,
        &format!("http://127.0.0.1:{port}/x"),
        &["ticket.created"],
    )
    .await;
    app.ticket(&t.ingest, "anna@example.com").await;
    let log_path = format!(
        "/v1/admin/tenants/{}/webhooks/{}/deliveries",
        t.id,
        made["id"].as_str().unwrap()
    );
    let start = Instant::now();
    let d = loop {
        let log = app.get(&log_path, ADMIN_TOKEN).await.body;
        let d = log["deliveries"][0].clone();
        if d["state"] == "failed" {
            break d;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "{log}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        d["attempts"].as_i64().unwrap() >= 3,
        "retried with backoff first: {d}"
    );
    assert!(
        d["last_error"].as_str().unwrap().contains("no answer"),
        "{d}"
    );

    for (body, says) in [
        (
            json!({"url": "http://hooks.example.com/x", "events": ["ticket.created"]}),
            "https",
        ),
        (
            json!({"url": "https://hooks.example.com/x", "events": ["ticket.exploded"]}),
            "unknown event",
        ),
        (
            json!({"url": "https://hooks.example.com/x", "events": []}),
            "at least one",
        ),
        (
            json!({"url": "https://user:pw@hooks.example.com/x", "events": ["ticket.created"]}),
            "without credentials",
        ),
    ] {
        let r = app
            .send(
                "POST",
                &format!("/v1/admin/tenants/{}/webhooks", t.id),
                Some(ADMIN_TOKEN),
                Some(body),
            )
            .await;
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(
            r.body["error"]["message"].as_str().unwrap().contains(says),
            "{}",
            r.body
        );
    }
}
