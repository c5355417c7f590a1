//! Issue 16 end to end: a FlexPrice payment webhook, signed as Svix signs it, reaches a watching
//! desk through the platform and retires the draft it invalidates there, within a second.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_webhook_makes_a_draft_on_a_watching_desk_stale_within_a_second() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let ticket = platform.ingest_double_charge(&tenant.ingest).await.unwrap();
    let connector = platform
        .connect_billing(&tenant, "http://127.0.0.1:9/v1")
        .await
        .unwrap();
    assert_eq!(connector["webhooks"], true, "{connector}");
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.ok("sam", &["sync", "now"]);
    // The draft cites the invoice only: the refund of pay_feb_2 is what makes it wrong.
    let draft = desks
        .assistant(
            "sam",
            "draft_reply",
            json!({"ticket_id": ticket, "confidence": 0.8,
                   "body": "Hello Anna, we are looking into INV-2026-0002 and will write back today.",
                   "citations": [{"kind": "invoice", "id": "inv_feb"}]}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut watch = desks
        .command("sam")
        .args(["sync", "watch"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let sam = desks.pool("sam").await;
    wait_until(
        "the desk listens to the platform's events",
        Duration::from_secs(20),
        || async {
            scalar(
                &sam,
                "SELECT value FROM settings WHERE key = ?",
                "sync.live_since",
            )
            .await
            .is_some()
        },
    )
    .await;

    // FlexPrice refunds the duplicate charge and says so.
    let sent = Instant::now();
    let applied = platform
        .flexprice_webhook(
            &tenant,
            "msg_2b9Fq1",
            &json!({"event_type": "payment.updated", "payment": {
                "id": "pay_feb_2", "destination_type": "INVOICE", "destination_id": "inv_feb",
                "payment_method_type": "CARD", "amount": "49.00", "refunded_amount": "49.00",
                "currency": "eur", "payment_status": "REFUNDED",
                "succeeded_at": "2026-02-02T09:00:04Z", "refunded_at": "2026-12-07T09:00:00Z"}}),
        )
        .await
        .unwrap();
    assert_eq!(applied["status"], "applied", "{applied}");
    wait_until(
        "the refund reaches the desk",
        Duration::from_secs(10),
        || async {
            scalar(
                &sam,
                "SELECT payment_status FROM payments WHERE id = ?",
                "pay_feb_2",
            )
            .await
            .as_deref()
                == Some("REFUNDED")
        },
    )
    .await;
    let latency = sent.elapsed();
    let _ = watch.kill();
    let _ = watch.wait();
    eprintln!("payment webhook on the desk {latency:?} after it was sent");
    assert!(
        latency < Duration::from_secs(1),
        "the desk must see the payment within 1 s of the webhook, took {latency:?}"
    );

    let detail = desks
        .assistant("sam", "get_ticket", json!({"ticket_id": ticket}))
        .await;
    let d = detail["drafts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == draft.as_str())
        .unwrap()
        .clone();
    assert_eq!(d["status"], "stale", "{d}");
    let why = d["stale_reason"].as_str().unwrap();
    assert!(
        why.contains("payment pay_feb_2"),
        "the reason names the payment: {why}"
    );
    let refused = desks.run("sam", &["approve", &draft]);
    assert_eq!(
        refused.status.code(),
        Some(5),
        "a stale draft is not approved as is"
    );
}
