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
        .connect_billing(&tenant, "http://127.0.0.1:9/v1", "fp_unused_key")
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

/// Issue 16: a refund a supervisor approves is exactly one credit note in FlexPrice (a fake
/// built from its published API) however the platform dies: kill -9 right after the decision
/// is applied, and kill -9 while its call is in flight after FlexPrice committed. The restarted
/// platform asks FlexPrice before sending anything, and the desk shows the result.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_refund_is_one_credit_note_through_kill_9_of_the_platform() {
    use countersign_platform::testing::fake_flexprice::{API_KEY, FakeFlexPrice, Mode};
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let mut platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let ticket = platform.ingest_double_charge(&tenant.ingest).await.unwrap();
    let fake = FakeFlexPrice::start().await;
    fake.paid_invoice("inv_feb", "EUR", "49.00", ("li_feb", "41.18"));
    platform
        .connect_billing(&tenant, &fake.base_url(), API_KEY)
        .await
        .unwrap();
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.login("sue", &platform.url, &tenant.supervisor);
    desks.ok("sam", &["sync", "now"]);
    let sue = desks.pool("sue").await;

    for (round, in_flight) in [(1, false), (2, true)] {
        let esc = desks
            .assistant(
                "sam",
                "raise_escalation",
                json!({"ticket_id": ticket, "reason": format!("Charged twice (round {round})"),
                       "proposed_action": "refund", "invoice_number": "INV-2026-0002", "amount": "10.00"}),
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        desks.ok("sam", &["sync", "now"]);
        desks.ok("sue", &["sync", "now"]);
        if in_flight {
            // FlexPrice makes the credit note, then does not answer before the platform dies.
            fake.then([Mode::CommitThenStall(Duration::from_secs(30))]);
        }
        let notes_before = fake.credit_notes().len();
        desks.ok(
            "sue",
            &["decide", &esc, "approve", "--note", "Duplicate confirmed"],
        );
        desks.ok("sue", &["sync", "now"]);
        if in_flight {
            let f = fake.clone();
            wait_until(
                "FlexPrice commits the credit note",
                Duration::from_secs(20),
                || {
                    let f = f.clone();
                    async move { f.credit_notes().len() > notes_before }
                },
            )
            .await;
        }
        platform.kill();
        platform.up().unwrap();
        let started = Instant::now();
        loop {
            desks.ok("sue", &["sync", "now"]);
            let execution =
                scalar(&sue, "SELECT execution FROM escalations WHERE id = ?", &esc).await;
            if execution.as_deref() == Some("executed") {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(40),
                "round {round}: the desk shows {execution:?}, not executed; FlexPrice saw {:?}; the platform logged:\n{}",
                fake.calls(),
                platform.log_tail(30)
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let notes = fake.credit_notes();
        assert_eq!(
            notes.len(),
            notes_before + 1,
            "round {round}: exactly one credit note: {notes:?}"
        );
        let note = notes.last().unwrap();
        assert_eq!(note["total_amount"], "10.00");
        assert_eq!(
            scalar(
                &sue,
                "SELECT execution_ref FROM escalations WHERE id = ?",
                &esc
            )
            .await
            .as_deref(),
            note["id"].as_str(),
            "round {round}: the desk shows FlexPrice's id"
        );
    }
    let posts = fake
        .calls()
        .iter()
        .filter(|c| c.starts_with("POST /v1/creditnotes"))
        .count();
    assert_eq!(
        posts,
        2,
        "one send per refund, never a blind second: {:?}",
        fake.calls()
    );
}

/// Issue 16: the desk and the platform decide approvals by the same policy. The agent's desk
/// has the tenant's policy from the feed and approves within its cap, offline; the operator
/// tightened the policy meanwhile, so the platform, the authority, refuses the approval when
/// it arrives, and the desk puts the escalation back to pending and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_made_offline_under_an_old_policy_is_refused_and_undone() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let ticket = platform.ingest_double_charge(&tenant.ingest).await.unwrap();
    platform
        .escalation_policy(
            &tenant,
            json!({"caps": {"agent": {"refund": {"EUR": "50.00"}}}}),
        )
        .await
        .unwrap();
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.ok("sam", &["sync", "now"]);
    let sam = desks.pool("sam").await;
    assert!(
        scalar(
            &sam,
            "SELECT body FROM policies WHERE id = ?",
            "escalations"
        )
        .await
        .is_some_and(|b| b.contains("50.00")),
        "the desk holds the tenant's policy"
    );
    let esc = desks
        .assistant(
            "sam",
            "raise_escalation",
            json!({"ticket_id": ticket, "reason": "Charged twice", "proposed_action": "refund",
                   "invoice_number": "INV-2026-0002", "amount": "20.00"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    desks.ok("sam", &["sync", "now"]);

    // The operator withdraws agents' approvals; this desk has not heard yet.
    platform
        .escalation_policy(&tenant, json!({}))
        .await
        .unwrap();
    desks.ok(
        "sam",
        &["decide", &esc, "approve", "--note", "within my cap"],
    );
    assert_eq!(
        scalar(&sam, "SELECT status FROM escalations WHERE id = ?", &esc)
            .await
            .as_deref(),
        Some("approved"),
        "under the policy the desk holds, the agent may"
    );
    let out = desks.ok("sam", &["sync", "now"]);
    assert!(
        out.contains("1 refused"),
        "the platform applies the policy it holds now: {out}"
    );
    assert_eq!(
        scalar(&sam, "SELECT status FROM escalations WHERE id = ?", &esc)
            .await
            .as_deref(),
        Some("pending"),
        "the refused approval is not shown as done"
    );
    assert!(
        scalar(
            &sam,
            "SELECT body FROM policies WHERE id = ?",
            "escalations"
        )
        .await
        .is_some_and(|b| !b.contains("50.00")),
        "and the desk now holds the new policy"
    );
    let again = desks.run("sam", &["decide", &esc, "approve", "--note", "again"]);
    assert_eq!(
        again.status.code(),
        Some(4),
        "the desk now refuses at once, as the platform does"
    );
    let notices = desks.ok("sam", &["sync", "notices"]);
    assert!(notices.contains(&esc), "the person is told: {notices}");
}
