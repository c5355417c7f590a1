//! A reply approved against a thread the customer has since written to comes back stale.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_approved_before_the_customer_wrote_again_comes_back_stale() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let agent = tenant.agent.clone();
    let ticket = platform.ingest_double_charge(&tenant.ingest).await.unwrap();
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &agent);
    desks.ok("sam", &["sync", "now"]);

    let draft = desks
        .assistant(
            "sam",
            "draft_reply",
            json!({"ticket_id": ticket, "confidence": 0.8,
                   "body": "Hello Anna, you were charged twice for INV-2026-0002; we are refunding 49.00 EUR.",
                   "citations": [{"kind": "invoice", "id": "inv_feb"}, {"kind": "payment", "id": "pay_feb_2"}]}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Anna writes again before this desk hears of it; the agent approves what they saw.
    platform
        .customer_writes(
            &tenant.ingest,
            "Actually my bank shows only one charge now, please do NOT refund.",
        )
        .await
        .unwrap();
    desks.ok("sam", &["approve", &draft]);
    let out = desks.ok("sam", &["sync", "now"]);
    assert!(
        out.contains("1 refused"),
        "the platform refuses the stale reply: {out}"
    );

    let sam = desks.pool("sam").await;
    assert_eq!(
        scalar(&sam, "SELECT status FROM drafts WHERE id = ?", &draft)
            .await
            .as_deref(),
        Some("stale"),
        "the draft is back with a person"
    );
    let replies: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM messages WHERE ticket_id = ? AND author_kind = 'agent'",
    )
    .bind(&ticket)
    .fetch_one(&sam)
    .await
    .unwrap();
    assert_eq!(
        replies, 0,
        "a reply the platform refused is not shown as sent"
    );
    let customer: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM messages WHERE ticket_id = ? AND author_kind = 'customer'",
    )
    .bind(&ticket)
    .fetch_one(&sam)
    .await
    .unwrap();
    assert_eq!(
        customer, 2,
        "the new customer message arrived in the same round"
    );
    let notices = desks.ok("sam", &["sync", "notices"]);
    assert!(
        notices.contains("stale") && notices.contains(&draft),
        "the person is told: {notices}"
    );
    let again = desks.run("sam", &["approve", &draft]);
    assert_eq!(
        again.status.code(),
        Some(5),
        "a stale draft cannot be approved without a re-review"
    );
    desks.ok("sam", &["rereview", &draft]);
    desks.ok(
        "sam",
        &[
            "reject",
            &draft,
            "--reason",
            "Customer no longer wants a refund",
        ],
    );
    verify_audit(&desks, "sam");
}
