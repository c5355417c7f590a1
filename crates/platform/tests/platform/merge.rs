//! Issue 15: two tickets of one customer merge. The thread and escalations move to the survivor
//! (fed to every desk, the survivor at a new version), the merged ticket is closed and points to
//! it, and the customer writing on the merged thread reaches the survivor. Refused: itself,
//! another customer's ticket, twice, and on a view older than what the customer wrote.

use crate::support::{TestApp, outcome, spawn_app};
use serde_json::{Value, json};

fn merge(seq: i64, from: &str, into: &str, seen: &[(&str, i64)]) -> Value {
    let based_on: serde_json::Map<String, Value> = seen
        .iter()
        .map(|(id, v)| (format!("ticket:{id}"), json!(v)))
        .collect();
    json!({"seq": seq, "id": format!("mut_m{seq}"), "kind": "merge_tickets",
           "payload": {"ticket_id": from, "into": into}, "based_on": based_on})
}

/// The last state the feed holds of record `id` of `entity`.
async fn fed(app: &TestApp, token: &str, entity: &str, id: &str) -> Value {
    app.all_changes(token)
        .await
        .into_iter()
        .rev()
        .find(|c| c["entity"] == entity && c["id"] == id)
        .unwrap_or_else(|| panic!("{entity} {id} is fed"))
}

#[tokio::test]
async fn a_customers_two_tickets_merge_into_one_and_their_thread_follows() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (a, va) = app.ticket(&t.ingest, "anna@example.com").await;
    let (b, vb) = app.ticket(&t.ingest, "anna@example.com").await;
    let (c, vc) = app.ticket(&t.ingest, "bob@example.com").await;
    assert_ne!(a, b, "two tickets of one customer");
    let a_message = fed(&app, &t.agent, "ticket", &a).await;
    assert_eq!(a_message["data"]["merged_into"], Value::Null);
    let raise = json!({"seq": 1, "id": "mut_e1", "kind": "raise_escalation",
        "payload": {"escalation_id": "esc_a1", "ticket_id": a, "reason": "refund the duplicate",
                    "proposed_action": "other"}});
    let r = app.push(&t.agent, "dev-a", json!([raise])).await;
    assert_eq!(outcome(&r[0]).0, "applied", "{}", r[0]);

    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([
                merge(2, &b, &b, &[]),
                merge(3, &b, &c, &[(&b, vb), (&c, vc)]),
                merge(4, &a, &b, &[(&a, va), (&b, vb)]),
                merge(5, &a, &b, &[]),
                merge(6, &b, &a, &[]),
            ]),
        )
        .await;
    let want = [
        ("rejected", Some("invalid_argument"), "into itself"),
        (
            "rejected",
            Some("invalid_argument"),
            "another customer's ticket",
        ),
        ("applied", None, "a customer's two tickets"),
        ("rejected", Some("conflict"), "merged already"),
        ("rejected", Some("conflict"), "into a ticket merged already"),
    ];
    for (r, (status, code, why)) in r.iter().zip(want) {
        assert_eq!(
            outcome(r),
            (status.to_owned(), code.map(str::to_owned)),
            "{why}: {r}"
        );
    }
    assert_eq!(r[2]["effect"]["messages"], 1);
    assert_eq!(r[2]["effect"]["escalations"], 1);

    let merged = fed(&app, &t.agent, "ticket", &a).await;
    assert_eq!(merged["data"]["status"], "closed");
    assert_eq!(merged["data"]["merged_into"], b.as_str());
    let survivor = fed(&app, &t.agent, "ticket", &b).await;
    assert!(
        survivor["version"].as_i64().unwrap() > vb,
        "the survivor's thread grew: a new version"
    );
    let moved: Vec<Value> = app
        .all_changes(&t.agent)
        .await
        .into_iter()
        .filter(|c| c["entity"] == "message")
        .collect();
    let mut latest = std::collections::HashMap::new();
    for m in moved {
        latest.insert(m["id"].as_str().unwrap().to_owned(), m);
    }
    assert!(
        latest
            .values()
            .all(|m| m["data"]["ticket_id"] != a.as_str()),
        "no message is left on the merged ticket"
    );
    assert_eq!(
        latest
            .values()
            .filter(|m| m["data"]["ticket_id"] == b.as_str())
            .count(),
        2,
        "both customer messages are on the survivor"
    );
    let esc = fed(&app, &t.agent, "escalation", "esc_a1").await;
    assert_eq!(esc["data"]["ticket_id"], b.as_str(), "escalations follow");

    // The customer answers on the merged ticket's thread: it reaches the survivor.
    let m = app
        .customer_writes(&t.ingest, "anna@example.com", Some(&a), "Any news?")
        .await;
    assert_eq!(m["ticket_id"], b.as_str(), "{m}");
    assert_eq!(
        fed(&app, &t.agent, "ticket", &a).await["data"]["status"],
        "closed"
    );
}

#[tokio::test]
async fn a_merge_on_a_thread_the_customer_wrote_on_since_is_stale() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (a, va) = app.ticket(&t.ingest, "anna@example.com").await;
    let (b, vb) = app.ticket(&t.ingest, "anna@example.com").await;
    app.customer_writes(
        &t.ingest,
        "anna@example.com",
        Some(&a),
        "Also, my card changed.",
    )
    .await;
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([merge(1, &a, &b, &[(&a, va), (&b, vb)])]),
        )
        .await;
    assert_eq!(
        outcome(&r[0]),
        ("rejected".into(), Some("stale".into())),
        "{}",
        r[0]
    );
    assert_eq!(
        fed(&app, &t.agent, "ticket", &a).await["data"]["merged_into"],
        Value::Null
    );
}

/// Found by review: after a merge, the survivor closed, the customer answering on the merged
/// ticket's e-mail thread opened a new ticket whose thread key the merged ticket still held —
/// refused as a conflict on every redelivery. Now the thread moves on to a new ticket.
#[tokio::test]
async fn a_reply_on_a_merged_thread_whose_survivor_closed_opens_a_new_ticket() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let on_thread = |key: &'static str, body: &'static str| {
        let app = &app;
        let token = t.ingest.clone();
        async move {
            app.post(
                "/v1/ingest/messages",
                &token,
                json!({"customer": {"email": "anna@example.com"}, "subject": "Charged twice",
                       "body": body, "thread_key": key}),
            )
            .await
        }
    };
    let a = on_thread("mail-a", "First thread").await.body;
    let b = on_thread("mail-b", "Second thread").await.body;
    let (a, va) = (
        a["ticket_id"].as_str().unwrap().to_owned(),
        a["ticket_version"].as_i64().unwrap(),
    );
    let (b, vb) = (
        b["ticket_id"].as_str().unwrap().to_owned(),
        b["ticket_version"].as_i64().unwrap(),
    );
    let status = |seq: i64, to: &str| {
        json!({"seq": seq, "id": format!("mut_s{seq}"), "kind": "set_status",
               "payload": {"ticket_id": b, "status": to}})
    };
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([
                merge(1, &a, &b, &[]),
                merge(2, &a, &b, &[(&a, va), (&b, vb)]),
                status(3, "solved"),
                status(4, "closed")
            ]),
        )
        .await;
    assert_eq!(
        outcome(&r[0]),
        ("rejected".into(), Some("invalid_argument".into())),
        "a merge says which versions it was decided on: {}",
        r[0]
    );
    for r in &r[1..] {
        assert_eq!(outcome(r).0, "applied", "{r}");
    }
    let again = on_thread("mail-a", "Hello? Still charged twice.").await;
    assert_eq!(again.status, 200, "{}", again.body);
    let new = again.body["ticket_id"].as_str().unwrap();
    assert!(new != a && new != b, "a new ticket: {}", again.body);
    assert_eq!(again.body["created_ticket"], true);
    let next = on_thread("mail-a", "And again.").await;
    assert_eq!(next.body["ticket_id"], new, "the thread goes on there");
}

/// Found by review: a desk that merges and then replies on the survivor queues the reply bound to
/// the survivor's version after the merge (the desk moves it on as the platform does): applied,
/// not stale, in the same push.
#[tokio::test]
async fn a_reply_queued_after_a_merge_on_the_survivor_is_applied() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (a, va) = app.ticket(&t.ingest, "anna@example.com").await;
    let (b, vb) = app.ticket(&t.ingest, "anna@example.com").await;
    let reply = json!({"seq": 2, "id": "mut_r2", "kind": "send_reply",
        "payload": {"ticket_id": b, "message_id": "msg_after_merge", "body": "I merged your two tickets.",
                    "approved_by": "acme agent"},
        "based_on": {format!("ticket:{b}"): vb + 1}});
    let on_merged = json!({"seq": 3, "id": "mut_r3", "kind": "send_reply",
        "payload": {"ticket_id": a, "message_id": "msg_on_merged", "body": "Hello?",
                    "approved_by": "acme agent"},
        "based_on": {format!("ticket:{a}"): va + 1}});
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([merge(1, &a, &b, &[(&a, va), (&b, vb)]), reply, on_merged]),
        )
        .await;
    assert_eq!(outcome(&r[0]).0, "applied", "{}", r[0]);
    assert_eq!(
        outcome(&r[1]).0,
        "applied",
        "the reply on the survivor: {}",
        r[1]
    );
    assert_eq!(
        outcome(&r[2]),
        ("rejected".into(), Some("conflict".into())),
        "no reply on the merged ticket: {}",
        r[2]
    );
}
