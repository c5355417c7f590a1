//! Issue 17, email in: `POST /v1/ingest/email` takes raw messages as mail clients and mail
//! servers write them (the corpus in `mail/`, written for these tests): threaded onto the
//! right ticket, the body clean, attachments listed, non-UTF-8 decoded; a bounce marks our
//! reply failed and an automatic reply is dropped, neither opening a ticket.

use crate::support::{Reply, Tenant, TestApp, spawn_app};
use serde_json::{Value, json};

async fn post_email(app: &TestApp, token: &str, raw: &str) -> Reply {
    let res = app
        .http
        .post(app.url("/v1/ingest/email"))
        .bearer_auth(token)
        .header("content-type", "message/rfc822")
        .body(raw.to_owned())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    Reply {
        status,
        body: res.json().await.unwrap_or(Value::Null),
    }
}

async fn taken(app: &TestApp, t: &Tenant, raw: &str) -> Value {
    let r = post_email(app, &t.ingest, raw).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

async fn body_of(app: &TestApp, t: &Tenant, message: &str) -> String {
    sqlx::query_scalar("SELECT body FROM messages WHERE tenant_id = $1 AND id = $2")
        .bind(&t.id)
        .bind(message)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// The agent answers on `ticket`, and the answer went out by email as `<msg_r1@acme.test>`.
async fn replied(app: &TestApp, t: &Tenant, ticket: &str) {
    let reply = app
        .push(
            &t.agent,
            "dev-a",
            json!([{"seq": 1, "id": "mut_r1", "kind": "send_reply",
                "payload": {"ticket_id": ticket, "message_id": "msg_r1", "body": "We refunded it.", "approved_by": "Alex"},
                "based_on": {format!("ticket:{ticket}"): 1}}]),
        )
        .await;
    assert_eq!(reply[0]["status"], "applied", "{reply:?}");
    sqlx::query("UPDATE messages SET rfc_message_id = '<msg_r1@acme.test>', delivery = 'sent' WHERE tenant_id = $1 AND id = 'msg_r1'")
        .bind(&t.id)
        .execute(&app.pool)
        .await
        .unwrap();
}

async fn tickets(app: &TestApp, t: &Tenant) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM tickets WHERE tenant_id = $1")
        .bind(&t.id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn real_world_mail_lands_on_the_right_ticket_clean() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let first = taken(&app, &t, include_str!("mail/first.eml")).await;
    assert_eq!(
        (first["status"].as_str(), first["created_ticket"].as_bool()),
        (Some("taken"), Some(true)),
        "{first}"
    );
    let ticket = first["ticket_id"].as_str().unwrap().to_owned();
    assert!(
        body_of(&app, &t, first["message_id"].as_str().unwrap())
            .await
            .starts_with("Hello,\n\nI was charged twice"),
    );
    // The same delivery again: taken once.
    let again = taken(&app, &t, include_str!("mail/first.eml")).await;
    assert_eq!(again["status"], "duplicate", "{again}");
    // Our reply went out under this Message-ID.
    replied(&app, &t, &ticket).await;
    let fill = |raw: &str| raw.replace("{{TICKET}}", &ticket);

    // Gmail: In-Reply-To our reply; the quoted history below "On … wrote:" is cut.
    let gmail = taken(&app, &t, &fill(include_str!("mail/gmail_reply.eml"))).await;
    assert_eq!(gmail["ticket_id"], ticket.as_str(), "{gmail}");
    assert_eq!(
        body_of(&app, &t, gmail["message_id"].as_str().unwrap()).await,
        "Thanks, that worked! I see the refund now."
    );

    // Outlook, HTML only, no In-Reply-To: threaded by the subject's token; the HTML read as
    // text, Outlook's From/Sent block cut.
    let outlook = taken(&app, &t, &fill(include_str!("mail/outlook_html.eml"))).await;
    assert_eq!(outlook["ticket_id"], ticket.as_str(), "{outlook}");
    let text = body_of(&app, &t, outlook["message_id"].as_str().unwrap()).await;
    assert!(
        text.contains("will the refund show on my next invoice?") && text.contains("Regards, Anna"),
        "{text}"
    );
    assert!(!text.contains("we refunded the second charge"), "{text}");
    assert!(!text.contains('<'), "no markup: {text}");

    // ISO-8859-1, quoted-printable, encoded words: decoded; another customer, a new ticket.
    let latin = taken(&app, &t, include_str!("mail/latin1.eml")).await;
    assert_eq!(latin["created_ticket"], true, "{latin}");
    let text = body_of(&app, &t, latin["message_id"].as_str().unwrap()).await;
    assert!(
        text.contains("¿Pueden devolverme") && text.contains("José Ibáñez"),
        "{text}"
    );
    let (name, subject): (String, String) = sqlx::query_as(
        "SELECT c.name, t.subject FROM tickets t JOIN customers c ON c.tenant_id = t.tenant_id AND c.id = t.customer_id
         WHERE t.tenant_id = $1 AND t.id = $2",
    )
    .bind(&t.id)
    .bind(latin["ticket_id"].as_str().unwrap())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(name, "José Ibáñez");
    assert_eq!(subject, "Factura duplicada – Grüße aus Köln");

    // A PDF attached: listed with its name, type and size.
    let pdf = taken(&app, &t, include_str!("mail/pdf_attachment.eml")).await;
    let files: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT name, content_type, size FROM attachments WHERE tenant_id = $1 AND message_id = $2",
    )
    .bind(&t.id)
    .bind(pdf["message_id"].as_str().unwrap())
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        files,
        vec![(
            "statement-2026-02.pdf".to_owned(),
            "application/pdf".to_owned(),
            1540
        )]
    );
    assert_eq!(
        body_of(&app, &t, pdf["message_id"].as_str().unwrap()).await,
        "Here is my bank statement showing both charges."
    );
}

#[tokio::test]
async fn a_bounce_fails_our_reply_and_an_out_of_office_is_dropped_neither_opens_a_ticket() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let first = taken(&app, &t, include_str!("mail/first.eml")).await;
    let ticket = first["ticket_id"].as_str().unwrap().to_owned();
    replied(&app, &t, &ticket).await;
    sqlx::query("UPDATE tickets SET status = 'solved' WHERE tenant_id = $1 AND id = $2")
        .bind(&t.id)
        .bind(&ticket)
        .execute(&app.pool)
        .await
        .unwrap();
    let before = tickets(&app, &t).await;
    let fill = |raw: &str| raw.replace("{{TICKET}}", &ticket);

    // A delay notice is no failure: the reply stays as it is.
    let delay = taken(&app, &t, &fill(include_str!("mail/delay.eml"))).await;
    assert_eq!(delay["status"], "dropped", "{delay}");
    let still: String =
        sqlx::query_scalar("SELECT delivery FROM messages WHERE tenant_id = $1 AND id = 'msg_r1'")
            .bind(&t.id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(still, "sent");

    let ooo = taken(&app, &t, &fill(include_str!("mail/out_of_office.eml"))).await;
    assert_eq!(ooo["status"], "dropped", "{ooo}");
    assert!(
        ooo["why"].as_str().unwrap().contains("Auto-Submitted"),
        "{ooo}"
    );

    let bounce = taken(&app, &t, &fill(include_str!("mail/bounce.eml"))).await;
    assert_eq!(bounce["status"], "bounce", "{bounce}");
    assert_eq!(bounce["message_id"], "msg_r1");
    let latest = |entity: &'static str, id: String| {
        let app = &app;
        let t = &t;
        async move {
            app.all_changes(&t.agent)
                .await
                .into_iter()
                .rfind(|c| c["entity"] == entity && c["id"] == id.as_str())
                .unwrap()["data"]
                .clone()
        }
    };
    let m = latest("message", "msg_r1".into()).await;
    assert_eq!(m["delivery"], "failed", "{m}");
    let why = m["delivery_detail"].as_str().unwrap();
    assert!(
        why.contains("550 5.1.1") && why.contains("User unknown"),
        "{why}"
    );
    assert_eq!(latest("ticket", ticket.clone()).await["status"], "open");
    assert_eq!(tickets(&app, &t).await, before, "no ticket from either");
    let again = taken(&app, &t, &fill(include_str!("mail/bounce.eml"))).await;
    assert_eq!(again["status"], "dropped", "reported once: {again}");
}

#[tokio::test]
async fn mail_needs_its_content_type_an_ingest_token_and_a_message() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let res = app
        .http
        .post(app.url("/v1/ingest/email"))
        .bearer_auth(&t.ingest)
        .header("content-type", "application/json")
        .body(include_str!("mail/first.eml"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    let r = post_email(&app, &t.agent, include_str!("mail/first.eml")).await;
    assert!(
        matches!(r.status, 401 | 403),
        "a desk token is no ingest token: {}",
        r.body
    );
    let r = post_email(&app, &t.ingest, "this is not mail").await;
    assert_eq!(r.status, 400, "{}", r.body);
    // A message with no From at all.
    let r = post_email(&app, &t.ingest, "Subject: hi\r\n\r\nbody\r\n").await;
    assert_eq!(r.status, 400, "{}", r.body);
}

/// Found by review: a known Message-ID in someone else's mail (copied, forwarded or forged)
/// put their mail on the first customer's ticket. It opens the sender's own ticket.
#[tokio::test]
async fn a_known_message_id_from_another_sender_does_not_join_the_ticket() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let first = taken(&app, &t, include_str!("mail/first.eml")).await;
    let ticket = first["ticket_id"].as_str().unwrap().to_owned();
    let forged = include_str!("mail/gmail_reply.eml")
        .replace("{{TICKET}}", "tkt_unknown")
        .replace(
            "Anna Schmidt <anna@example.com>",
            "Mallory <mallory@example.net>",
        )
        .replace("CAF=anna-reply-2", "mallory-1");
    let r = taken(&app, &t, &forged).await;
    assert_eq!(r["created_ticket"], true, "{r}");
    assert_ne!(r["ticket_id"], ticket.as_str());
}

/// Found by review: an MTA that retries while the first delivery is still being taken sent
/// the same Message-ID twice at once; both passed the check. The unique index takes one.
#[tokio::test]
async fn the_same_mail_delivered_twice_at_once_is_taken_once() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let raw = include_str!("mail/first.eml");
    let (a, b) = tokio::join!(
        post_email(&app, &t.ingest, raw),
        post_email(&app, &t.ingest, raw)
    );
    assert_eq!((a.status, b.status), (200, 200), "{} {}", a.body, b.body);
    let mut statuses = vec![
        a.body["status"].as_str().unwrap().to_owned(),
        b.body["status"].as_str().unwrap().to_owned(),
    ];
    statuses.sort();
    assert_eq!(statuses, vec!["duplicate", "taken"]);
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE tenant_id = $1")
        .bind(&t.id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(n, 1);
}
