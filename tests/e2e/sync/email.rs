//! Issue 17 end to end: a reply approved on a desk reaches the customer by email through a
//! real platform process and a real SMTP server (aiosmtpd), in the ticket's thread, and the
//! desk shows it delivered; kill -9 of the platform during a send loop loses none and sends
//! none twice (counted at the SMTP server).

use super::*;
use countersign_platform::testing::smtp::SmtpServer;

/// A draft on `ticket` written by the desk's assistant; its id.
async fn draft_on(desks: &Desks<'_>, profile: &str, ticket: &str, body: &str) -> String {
    desks
        .assistant(
            profile,
            "draft_reply",
            json!({"ticket_id": ticket, "confidence": 0.8, "body": body,
                   "citations": [{"kind": "invoice", "id": "inv_feb"}]}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Syncs `profile` until every message in `ids` shows `delivery = 'sent'` on the desk.
async fn synced_until_sent(desks: &Desks<'_>, profile: &str, ids: &[String], limit: Duration) {
    let pool = desks.pool(profile).await;
    let started = Instant::now();
    loop {
        desks.ok(profile, &["sync", "now"]);
        let mut pending = vec![];
        for id in ids {
            let d = scalar(&pool, "SELECT delivery FROM messages WHERE id = ?", id).await;
            if d.as_deref() != Some("sent") {
                pending.push((id.clone(), d));
            }
        }
        if pending.is_empty() {
            return;
        }
        assert!(
            started.elapsed() < limit,
            "not shown as sent on the desk: {pending:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_reply_reaches_the_customer_by_email_and_the_desk_shows_it() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let ticket = platform.ingest_double_charge(&tenant.ingest).await.unwrap();
    let smtp = SmtpServer::start();
    platform.email_channel(&tenant, smtp.port).await.unwrap();
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.ok("sam", &["sync", "now"]);
    let body = "Hello Anna, we refunded the second charge of INV-2026-0002 (49.00 EUR).";
    let draft = draft_on(&desks, "sam", &ticket, body).await;
    desks.ok("sam", &["approve", &draft]);
    let sam = desks.pool("sam").await;
    let message = scalar(
        &sam,
        "SELECT id FROM messages WHERE ticket_id = ? AND author_kind = 'agent' ORDER BY rowid DESC LIMIT 1",
        &ticket,
    )
    .await
    .expect("the reply is on the desk's thread");
    let sent = Instant::now();
    desks.ok("sam", &["sync", "now"]);
    wait_until(
        "the reply reaches the SMTP server",
        Duration::from_secs(20),
        || async { !smtp.received().is_empty() },
    )
    .await;
    eprintln!(
        "reply at the SMTP server {:?} after the desk synced",
        sent.elapsed()
    );
    let mail = smtp.received();
    assert_eq!(mail.len(), 1);
    let mail = &mail[0];
    assert_eq!(mail.rcpt_tos, vec!["anna@example.com"]);
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some(format!("Re: Charged twice in February [{ticket}]").as_str())
    );
    assert_eq!(
        mail.header("Message-ID"),
        Some(format!("<{message}@acme.test>"))
    );
    assert!(
        mail.raw.contains("we refunded the second charge"),
        "{}",
        mail.raw
    );
    synced_until_sent(&desks, "sam", &[message], Duration::from_secs(20)).await;
}

/// Six replies approved on a desk; the platform is killed (-9) while it works through them,
/// with the server holding each answer for a moment so a send is in flight, and restarted.
/// Every reply is delivered, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reply_is_delivered_once_through_kill_9_of_the_platform() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let mut platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    platform.ingest_double_charge(&tenant.ingest).await.unwrap();
    let mut tickets = vec![];
    for i in 0..6 {
        let m = platform
            .customer_writes_on(
                &tenant.ingest,
                &format!("thread-{i}"),
                &format!("Question {i}"),
                "Was I charged twice?",
            )
            .await
            .unwrap();
        tickets.push(m["ticket_id"].as_str().unwrap().to_owned());
    }
    let smtp = SmtpServer::start();
    smtp.stall(0.4);
    platform.email_channel(&tenant, smtp.port).await.unwrap();
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.ok("sam", &["sync", "now"]);
    for (i, ticket) in tickets.iter().enumerate() {
        let draft = draft_on(
            &desks,
            "sam",
            ticket,
            &format!("Answer {i}: one charge only."),
        )
        .await;
        desks.ok("sam", &["approve", &draft]);
    }
    let sam = desks.pool("sam").await;
    let mut messages = vec![];
    for ticket in &tickets {
        messages.push(
            scalar(
                &sam,
                "SELECT id FROM messages WHERE ticket_id = ? AND author_kind = 'agent'",
                ticket,
            )
            .await
            .unwrap(),
        );
    }
    desks.ok("sam", &["sync", "now"]);
    // Killed with two replies received and the third in the server's hands or on its way.
    wait_until(
        "two replies reach the SMTP server",
        Duration::from_secs(20),
        || async { smtp.received().len() >= 2 },
    )
    .await;
    platform.kill();
    let at_kill = smtp.received().len();
    eprintln!("killed with {at_kill} of 6 replies at the SMTP server");
    platform.up().unwrap();
    synced_until_sent(&desks, "sam", &messages, Duration::from_secs(60)).await;
    // The reply the server held at the kill was handed over: settled as sent, unconfirmed,
    // and not sent again.
    let mut unconfirmed = 0;
    for m in &messages {
        let detail = scalar(&sam, "SELECT delivery_detail FROM messages WHERE id = ?", m).await;
        if detail.is_some_and(|d| d.starts_with("unconfirmed")) {
            unconfirmed += 1;
        }
    }
    assert_eq!(unconfirmed, 1, "the one in flight at the kill");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mail = smtp.received();
    let mut ids: Vec<String> = mail
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    ids.sort();
    let mut expected: Vec<String> = messages
        .iter()
        .map(|m| format!("<{m}@acme.test>"))
        .collect();
    expected.sort();
    assert_eq!(
        ids,
        expected,
        "each reply exactly once ({at_kill} had arrived at the kill); the platform logged:\n{}",
        platform.log_tail(30)
    );
}
