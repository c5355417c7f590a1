//! Issue 17, email out: a reply an agent sends reaches the customer by SMTP (a real server,
//! aiosmtpd, on this machine), in the ticket's thread, once; temporary failures are retried,
//! permanent ones fail with the server's words; every desk sees the delivery on the message.

use crate::support::{ADMIN_TOKEN, Tenant, TestApp, spawn_app};
use countersign_platform::testing::smtp::SmtpServer;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Sets the tenant's email channel to the test server on `port` (plain SMTP on loopback).
async fn channel(app: &TestApp, t: &Tenant, port: u16, auth: Option<(&str, &str)>) -> Value {
    let mut body = json!({"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
                          "from_address": "support@acme.test", "from_name": "Acme Support",
                          "inbound_address": "help@acme.test"});
    if let Some((user, password)) = auth {
        body["smtp_username"] = json!(user);
        body["smtp_password"] = json!(password);
    }
    let r = app
        .send(
            "PUT",
            &format!("/v1/admin/tenants/{}/email-channel", t.id),
            Some(ADMIN_TOKEN),
            Some(body),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// The agent sends reply `message` on a new ticket of the customer's; returns the ticket.
async fn reply_to(app: &TestApp, t: &Tenant, email: &str, message: &str, seq: i64) -> String {
    let (ticket, version) = app.ticket(&t.ingest, email).await;
    reply_on(app, t, &ticket, version, message, seq).await;
    ticket
}

/// The agent sends reply `message` on `ticket`, as seen at `version`.
async fn reply_on(app: &TestApp, t: &Tenant, ticket: &str, version: i64, message: &str, seq: i64) {
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([{"seq": seq, "id": format!("mut_{message}"), "kind": "send_reply",
                "payload": {"ticket_id": ticket, "message_id": message,
                            "body": "Hello Anna,\n\nwe refunded the duplicate <20.00 EUR>.\n\nAcme", "approved_by": "Alex"},
                "based_on": {format!("ticket:{ticket}"): version}}]),
        )
        .await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
}

/// The message as desks last received it, once its delivery is no longer queued (or after
/// `within`).
async fn delivered(app: &TestApp, t: &Tenant, message: &str, within: Duration) -> Value {
    let start = Instant::now();
    loop {
        let latest = app
            .all_changes(&t.agent)
            .await
            .into_iter()
            .rfind(|c| c["entity"] == "message" && c["id"] == message)
            .expect("the message is on the feed")["data"]
            .clone();
        if latest["delivery"] != "queued" || start.elapsed() > within {
            return latest;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_reply_reaches_the_customer_once_in_the_ticket_s_thread() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let smtp = SmtpServer::start_at(
        &std::env::temp_dir().join(format!("cs-smtp-{}", rand_suffix())),
        None,
        Some(("acme", "s3cret-pass")),
    );
    let shown = channel(&app, &t, smtp.port, Some(("acme", "s3cret-pass"))).await;
    assert_eq!(shown["password_set"], true);
    assert!(!shown.to_string().contains("s3cret"), "{shown}");
    let got = app
        .get(
            &format!("/v1/admin/tenants/{}/email-channel", t.id),
            ADMIN_TOKEN,
        )
        .await;
    assert!(!got.body.to_string().contains("s3cret"), "{}", got.body);
    // The customer's mail came in under a Message-ID (as email ingest records it).
    let (ticket, version) = app.ticket(&t.ingest, "anna@example.com").await;
    sqlx::query(
        "UPDATE messages SET rfc_message_id = '<cust-1@mail.example.com>'
         WHERE tenant_id = $1 AND ticket_id = $2 AND author_kind = 'customer'",
    )
    .bind(&t.id)
    .bind(&ticket)
    .execute(&app.pool)
    .await
    .unwrap();
    reply_on(&app, &t, &ticket, version, "msg_r1", 1).await;
    let m = delivered(&app, &t, "msg_r1", Duration::from_secs(10)).await;
    assert_eq!(m["delivery"], "sent", "{m}");
    assert!(
        m["delivery_detail"].as_str().unwrap().starts_with("250"),
        "the server's answer: {m}"
    );
    assert!(m["delivered_at"].is_string(), "{m}");
    assert_eq!(m["author_id"], t.agent_id, "{m}");
    let mail = smtp.received();
    assert_eq!(mail.len(), 1, "{mail:?}");
    let mail = &mail[0];
    assert_eq!(mail.rcpt_tos, vec!["anna@example.com"]);
    assert_eq!(mail.mail_from, "support@acme.test");
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some(format!("Re: Charged twice [{ticket}]").as_str())
    );
    assert_eq!(
        mail.header("Message-ID").as_deref(),
        Some("<msg_r1@acme.test>")
    );
    assert_eq!(
        mail.header("In-Reply-To").as_deref(),
        Some("<cust-1@mail.example.com>")
    );
    assert_eq!(
        mail.header("References").as_deref(),
        Some("<cust-1@mail.example.com>")
    );
    assert!(
        mail.header("From").unwrap().contains("support@acme.test"),
        "{:?}",
        mail.header("From")
    );
    assert!(mail.raw.contains("multipart/alternative"), "{}", mail.raw);
    assert!(mail.raw.contains("text/html"), "{}", mail.raw);
    assert!(
        mail.raw.contains("&lt;20.00 EUR&gt;"),
        "the HTML part escapes the body: {}",
        mail.raw
    );
    // A second reply on the thread refers to the first one too.
    let version: i64 =
        sqlx::query_scalar("SELECT version FROM tickets WHERE tenant_id = $1 AND id = $2")
            .bind(&t.id)
            .bind(&ticket)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    reply_on(&app, &t, &ticket, version, "msg_r2", 2).await;
    assert_eq!(
        delivered(&app, &t, "msg_r2", Duration::from_secs(10)).await["delivery"],
        "sent"
    );
    let second = &smtp.received()[1];
    let refs = second.header("References").unwrap();
    assert!(
        refs.contains("<cust-1@mail.example.com>") && refs.contains("<msg_r1@acme.test>"),
        "{refs}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.received().len(), 2, "each reply once");
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

#[tokio::test]
async fn an_smtp_server_that_is_down_is_retried_and_gets_the_reply_once_when_back() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    // A port nobody listens on yet.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    channel(&app, &t, port, None).await;
    reply_to(&app, &t, "anna@example.com", "msg_down", 1).await;
    let start = Instant::now();
    loop {
        let attempts: i32 = sqlx::query_scalar(
            "SELECT attempts FROM email_outbox WHERE tenant_id = $1 AND message_id = 'msg_down'",
        )
        .bind(&t.id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        if attempts >= 2 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "not retried");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let queued = delivered(&app, &t, "msg_down", Duration::ZERO).await;
    assert_eq!(queued["delivery"], "queued", "{queued}");
    assert!(
        queued["delivery_detail"]
            .as_str()
            .unwrap()
            .contains("trying again"),
        "{queued}"
    );
    let mailbox = std::env::temp_dir().join(format!("cs-smtp-{}", rand_suffix()));
    let smtp = SmtpServer::start_at(&mailbox, Some(port), None);
    // One more temporary refusal (451) once it is up: still retried.
    smtp.defer_next(1);
    let m = delivered(&app, &t, "msg_down", Duration::from_secs(15)).await;
    assert_eq!(m["delivery"], "sent", "{m}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.received().len(), 1, "delivered once");
}

#[tokio::test]
async fn a_permanent_refusal_fails_with_the_server_s_words_and_reopens_the_ticket() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let smtp = SmtpServer::start();
    channel(&app, &t, smtp.port, None).await;
    let ticket = reply_to(&app, &t, "reject@example.com", "msg_bad", 1).await;
    // The agent marks it solved meanwhile, as after any answer.
    sqlx::query("UPDATE tickets SET status = 'solved' WHERE tenant_id = $1 AND id = $2")
        .bind(&t.id)
        .bind(&ticket)
        .execute(&app.pool)
        .await
        .unwrap();
    let m = delivered(&app, &t, "msg_bad", Duration::from_secs(10)).await;
    assert_eq!(m["delivery"], "failed", "{m}");
    let why = m["delivery_detail"].as_str().unwrap();
    assert!(why.contains("550") && why.contains("User unknown"), "{why}");
    let attempts: i32 = sqlx::query_scalar(
        "SELECT attempts FROM email_outbox WHERE tenant_id = $1 AND message_id = 'msg_bad'",
    )
    .bind(&t.id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(attempts, 1, "a permanent refusal is not retried");
    let tk = app
        .all_changes(&t.agent)
        .await
        .into_iter()
        .rfind(|c| c["entity"] == "ticket" && c["id"] == ticket.as_str())
        .unwrap();
    assert_eq!(tk["data"]["status"], "open", "back in the inbox: {tk}");
    assert!(smtp.received().is_empty());
}

#[tokio::test]
async fn without_a_channel_a_reply_says_it_was_not_delivered() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    reply_to(&app, &t, "anna@example.com", "msg_none", 1).await;
    let m = delivered(&app, &t, "msg_none", Duration::ZERO).await;
    assert_eq!(m["delivery"], "unconnected", "{m}");
}

#[tokio::test]
async fn a_channel_that_would_send_in_the_clear_over_a_network_is_refused() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let path = format!("/v1/admin/tenants/{}/email-channel", t.id);
    for (body, says) in [
        (
            json!({"smtp_host": "smtp.example.com", "smtp_port": 25, "smtp_security": "none",
                   "from_address": "support@acme.test"}),
            "only for a server on this machine",
        ),
        (
            json!({"smtp_host": "smtp.example.com", "smtp_port": 587, "smtp_security": "starttls",
                   "from_address": "not an address"}),
            "not an email address",
        ),
        (
            json!({"smtp_host": "smtp.example.com", "smtp_port": 587, "smtp_security": "starttls",
                   "from_address": "support@acme.test", "smtp_password": "x"}),
            "go together",
        ),
        (
            json!({"smtp_host": "smtp.example.com", "smtp_port": 587, "smtp_security": "ssl",
                   "from_address": "support@acme.test"}),
            "tls, starttls or none",
        ),
    ] {
        let r = app.send("PUT", &path, Some(ADMIN_TOKEN), Some(body)).await;
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_argument"),
            "{}",
            r.body
        );
        assert!(
            r.body["error"]["message"].as_str().unwrap().contains(says),
            "{}",
            r.body
        );
    }
    let r = app
        .send(
            "PUT",
            &path,
            None,
            Some(
                json!({"smtp_host": "127.0.0.1", "smtp_port": 25, "smtp_security": "none",
                        "from_address": "support@acme.test"}),
            ),
        )
        .await;
    assert_eq!(r.status, 401, "the admin token is required: {}", r.body);
}

/// The window between handing the message over and hearing the server: a server that keeps
/// the message but does not answer in time, and a reply found handed over by an instance that
/// died (`committing`, its lease run out), are settled as sent, unconfirmed — never sent again.
#[tokio::test]
async fn a_reply_handed_over_without_an_answer_is_never_sent_again() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let smtp = SmtpServer::start();
    channel(&app, &t, smtp.port, None).await;
    // The test platform waits 2 s for an answer; this server answers after 3.
    smtp.stall(3.0);
    reply_to(&app, &t, "anna@example.com", "msg_slow", 1).await;
    let m = delivered(&app, &t, "msg_slow", Duration::from_secs(10)).await;
    assert_eq!(m["delivery"], "sent", "{m}");
    assert!(
        m["delivery_detail"]
            .as_str()
            .unwrap()
            .starts_with("unconfirmed: "),
        "{m}"
    );
    smtp.stall(0.0);
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(smtp.received().len(), 1, "kept once, not sent again");

    // An instance died after handing a reply over: the next one settles it without sending.
    reply_to(&app, &t, "anna@example.com", "msg_orphan", 2).await;
    delivered(&app, &t, "msg_orphan", Duration::from_secs(10)).await;
    sqlx::query(
        "UPDATE email_outbox SET state = 'committing', lease = now() - interval '1 second'
         WHERE tenant_id = $1 AND message_id = 'msg_orphan'",
    )
    .bind(&t.id)
    .execute(&app.pool)
    .await
    .unwrap();
    // Meanwhile the customer's server returned it (a bounce came in): that stands.
    sqlx::query(
        "UPDATE messages SET delivery = 'failed', delivery_detail = 'bounced: 550 5.1.1 User unknown'
         WHERE tenant_id = $1 AND id = 'msg_orphan'",
    )
    .bind(&t.id)
    .execute(&app.pool)
    .await
    .unwrap();
    let sent_before = smtp.received().len();
    sqlx::query("SELECT pg_notify('countersign_mail', $1)")
        .bind(&t.id)
        .execute(&app.pool)
        .await
        .unwrap();
    let start = Instant::now();
    loop {
        let state: String = sqlx::query_scalar(
            "SELECT state FROM email_outbox WHERE tenant_id = $1 AND message_id = 'msg_orphan'",
        )
        .bind(&t.id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        if state == "done" {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "not settled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let detail: String = sqlx::query_scalar(
        "SELECT delivery_detail FROM messages WHERE tenant_id = $1 AND id = 'msg_orphan'",
    )
    .bind(&t.id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        detail.starts_with("bounced: 550"),
        "a late settle does not overwrite the bounce: {detail}"
    );
    assert_eq!(smtp.received().len(), sent_before, "not sent again");
}
