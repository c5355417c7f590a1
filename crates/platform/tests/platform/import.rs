//! Bulk ticket import: history in, once; the live thread then continues it.

use crate::support::spawn_app;
use serde_json::{Value, json};

fn ticket(id: &str, thread: &str, messages: &[(&str, &str)]) -> Value {
    json!({
        "id": id, "customer_id": "cus_anna", "subject": format!("Imported {id}"), "status": "open",
        "channel": "email", "thread_key": thread,
        "created_at": "2025-03-01T09:00:00Z", "updated_at": "2025-03-01T10:00:00Z",
        "messages": messages.iter().map(|(mid, body)| json!({
            "id": mid, "author_kind": "customer", "author_name": "Anna Schmidt", "body": body,
            "created_at": "2025-03-01T09:00:00Z"
        })).collect::<Vec<_>>()
    })
}

async fn count(app: &crate::support::TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn tickets_import_once_with_their_messages_and_live_threads_continue_them() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    app.invoice(&t.ingest, "inv_a1", "49.00").await;
    let batch = json!({"tickets": [
        ticket("tkt_imp1", "mail-imp-1", &[("msg_imp1a", "Charged twice?"), ("msg_imp1b", "Hello?")]),
        ticket("tkt_imp2", "mail-imp-2", &[("msg_imp2a", "Invoice copy please")]),
    ]});
    let r = app
        .post("/v1/ingest/tickets", &t.ingest, batch.clone())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["tickets"], json!(["tkt_imp1", "tkt_imp2"]));
    assert_eq!(r.body["messages"], 3);
    let feed = app.all_changes(&t.agent).await;
    let kinds: Vec<(&str, &str)> = feed
        .iter()
        .filter(|c| {
            !["agent", "customer", "invoice", "payment"].contains(&c["entity"].as_str().unwrap())
        })
        .map(|c| (c["entity"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("ticket", "tkt_imp1"),
            ("ticket", "tkt_imp2"),
            ("message", "msg_imp1a"),
            ("message", "msg_imp1b"),
            ("message", "msg_imp2a")
        ],
        "tickets before their messages, messages in thread order"
    );
    let first = feed.iter().find(|c| c["id"] == "msg_imp1a").unwrap();
    assert_eq!(first["data"]["ticket_id"], "tkt_imp1");
    assert_eq!(first["data"]["created_at"], "2025-03-01T09:00:00.000Z");

    let again = app.post("/v1/ingest/tickets", &t.ingest, batch).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(
        (
            again.body["tickets"].clone(),
            again.body["skipped"].clone(),
            again.body["cursor"].clone()
        ),
        (json!([]), json!(["tkt_imp1", "tkt_imp2"]), json!(null)),
        "importing twice changes nothing"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM messages").await, 3);

    let live = app
        .post(
            "/v1/ingest/messages",
            &t.ingest,
            json!({"customer": {"email": "anna@example.com"}, "subject": "Re: Imported",
                   "body": "Any news?", "thread_key": "mail-imp-1"}),
        )
        .await;
    assert_eq!(
        live.body["ticket_id"], "tkt_imp1",
        "the thread continues the imported ticket"
    );
    assert_eq!(live.body["ticket_version"], 2);
}

#[tokio::test]
async fn a_bad_import_is_refused_whole() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    app.invoice(&t.ingest, "inv_a1", "49.00").await;
    let cases = [
        (
            json!({"tickets": [ticket("tkt_ok", "k1", &[("msg_a", "x")]),
                               {"id": "tkt_orphan", "customer_id": "cus_nobody", "subject": "s", "status": "open",
                                "channel": "email", "created_at": "2025-03-01T09:00:00Z",
                                "updated_at": "2025-03-01T09:00:00Z"}]}),
            "a ticket of an unknown customer",
        ),
        (
            json!({"tickets": [ticket("tkt_ok", "k1", &[("msg_a", "x")]), ticket("tkt_ok2", "k2", &[("msg_a", "y")])]}),
            "one message id twice",
        ),
        (
            json!({"tickets": [ticket("tkt_ok", "k1", &[("msg_a", "x")]), ticket("tkt_ok2", "k1", &[])]}),
            "one thread key twice",
        ),
        (
            {
                let mut bad = ticket("tkt_ok", "k1", &[("msg_a", "x")]);
                bad["status"] = json!("lost");
                json!({"tickets": [bad]})
            },
            "an unknown status",
        ),
        (
            {
                let mut bad = ticket("tkt_ok", "k1", &[("msg_a", "x")]);
                bad["messages"][0]["author_kind"] = json!("robot");
                json!({"tickets": [bad]})
            },
            "an unknown author kind",
        ),
        (
            json!({"tickets": [{"id": "not-a-ticket-id"}]}),
            "a malformed ticket",
        ),
    ];
    for (body, why) in cases {
        let r = app.post("/v1/ingest/tickets", &t.ingest, body).await;
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_argument"),
            "{why}: {}",
            r.body
        );
    }
    assert_eq!(
        count(&app, "SELECT count(*) FROM tickets").await,
        0,
        "nothing of a refused import is kept"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM messages").await, 0);
}
