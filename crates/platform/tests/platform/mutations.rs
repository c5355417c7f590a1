//! Mutations: each kind applied, exactly once, rejections that block nothing, stale replies,
//! role checks and first-decision-wins.

use crate::support::{Tenant, TestApp, spawn_app};
use serde_json::{Value, json};

fn reply(seq: i64, id: &str, ticket: &str, message: &str, seen: i64) -> Value {
    json!({"seq": seq, "id": id, "kind": "send_reply",
           "payload": {"ticket_id": ticket, "message_id": message, "body": "We refunded the duplicate.",
                       "approved_by": "Alex"},
           "based_on": {format!("ticket:{ticket}"): seen}})
}

fn escalation(seq: i64, id: &str, esc: &str, ticket: &str) -> Value {
    json!({"seq": seq, "id": id, "kind": "raise_escalation",
           "payload": {"escalation_id": esc, "ticket_id": ticket, "reason": "double charge",
                       "proposed_action": "credit_note", "invoice_id": "inv_1",
                       "amount": {"amount": "49.00", "currency": "EUR"}}})
}

fn decide(seq: i64, id: &str, esc: &str, decision: &str) -> Value {
    json!({"seq": seq, "id": id, "kind": "decide_escalation",
           "payload": {"escalation_id": esc, "decision": decision, "note": "ok", "decided_by": "someone"}})
}

/// A tenant with one ingested ticket of a customer with invoice `inv_1` (49.00 EUR): (app,
/// tenant, ticket id, its version).
pub(crate) async fn setup() -> (TestApp, Tenant, String, i64) {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    app.invoice(&t.ingest, "inv_1", "49.00").await;
    let (ticket, version) = app.ticket(&t.ingest, "anna@example.com").await;
    (app, t, ticket, version)
}

#[tokio::test]
async fn every_kind_applies_and_writes_its_changes() {
    let (app, t, ticket, v) = setup().await;
    let before = app.changes(&t.agent, 0, 5000).await["cursor"]
        .as_i64()
        .unwrap();
    let results = app
        .push(
            &t.agent,
            "dev-a",
            json!([
                reply(1, "mut_1", &ticket, "msg_r1", v),
                {"seq": 2, "id": "mut_2", "kind": "add_note",
                 "payload": {"ticket_id": ticket, "message_id": "msg_n1", "body": "checked the ledger",
                             "author": "Alex", "author_kind": "agent"}},
                escalation(3, "mut_3", "esc_1", &ticket),
                {"seq": 4, "id": "mut_4", "kind": "assign", "payload": {"ticket_id": ticket, "assignee": t.agent_id}},
                {"seq": 5, "id": "mut_5", "kind": "set_status", "payload": {"ticket_id": ticket, "status": "pending"}},
            ]),
        )
        .await;
    for r in &results {
        assert_eq!(r["status"], "applied", "{r}");
    }
    let decided = app
        .push(
            &t.supervisor,
            "dev-s",
            json!([decide(1, "mut_s1", "esc_1", "approve")]),
        )
        .await;
    assert_eq!(decided[0]["status"], "applied", "{}", decided[0]);
    assert_eq!(decided[0]["effect"]["status"], "approved");

    let page = app.changes(&t.agent, before, 5000).await;
    let changes = page["changes"].as_array().unwrap();
    let find = |entity: &str, id: &str| -> Vec<&Value> {
        changes
            .iter()
            .filter(|c| c["entity"] == entity && c["id"] == id)
            .collect()
    };
    let reply = find("message", "msg_r1");
    assert_eq!(reply.len(), 1, "the reply is in the feed");
    assert_eq!(reply[0]["data"]["author_kind"], "agent");
    assert_eq!(reply[0]["data"]["visibility"], "public");
    assert_eq!(
        find("message", "msg_n1")[0]["data"]["visibility"],
        "internal",
        "a note is internal"
    );
    let tickets = find("ticket", &ticket);
    let last = tickets.last().unwrap();
    assert_eq!(last["data"]["assignee"], t.agent_id.as_str());
    assert_eq!(last["data"]["status"], "pending");
    assert_eq!(
        last["version"].as_i64(),
        Some(v + 4),
        "reply, note, assign and status each bump the ticket"
    );
    let esc = find("escalation", "esc_1");
    assert_eq!(esc.len(), 2, "raised, then decided");
    assert_eq!(
        esc[0]["data"]["amount"], 4900,
        "amounts in minor units, as the desk stores them"
    );
    assert_eq!(esc[0]["data"]["currency"], "EUR");
    assert_eq!(esc[1]["data"]["status"], "approved");
    assert_eq!(
        esc[1]["data"]["decided_by"], "acme sup1",
        "the decider is the token's agent, not the payload"
    );
}

#[tokio::test]
async fn a_batch_delivered_twice_is_applied_once() {
    let (app, t, ticket, v) = setup().await;
    let batch = json!([
        reply(1, "mut_1", &ticket, "msg_r1", v),
        {"seq": 2, "id": "mut_2", "kind": "launch_rockets", "payload": {}},
        {"seq": 3, "id": "mut_3", "kind": "set_status", "payload": {"ticket_id": ticket, "status": "solved"}},
    ]);
    let first = app.push(&t.agent, "dev-a", batch.clone()).await;
    assert_eq!(first[0]["status"], "applied");
    assert_eq!(first[1]["status"], "rejected");
    assert_eq!(
        first[1]["code"], "invalid_argument",
        "an unknown kind is refused alone"
    );
    assert_eq!(
        first[2]["status"], "applied",
        "a rejected mutation does not block the next one"
    );
    let cursor = app.changes(&t.agent, 0, 5000).await["cursor"]
        .as_i64()
        .unwrap();

    let again = app.push(&t.agent, "dev-a", batch).await;
    for (a, f) in again.iter().zip(&first) {
        assert_eq!(a["status"], "duplicate", "{a}");
        let mut original = f.clone();
        original.as_object_mut().unwrap().remove("seq");
        original.as_object_mut().unwrap().remove("id");
        assert_eq!(
            a["original"], original,
            "a duplicate carries the first outcome"
        );
    }
    // The same request from another device (a desk continuing under a new identity) is a
    // duplicate; another mutation under a used (device, seq) is refused, never taken for one.
    let by_id = app
        .push(
            &t.agent,
            "dev-b",
            json!([reply(9, "mut_1", &ticket, "msg_r1", v)]),
        )
        .await;
    assert_eq!(by_id[0]["status"], "duplicate", "dedup by mutation id");
    let by_seq = app
        .push(
            &t.agent,
            "dev-a",
            json!([{"seq": 3, "id": "mut_other", "kind": "set_status",
                                         "payload": {"ticket_id": ticket, "status": "open"}}]),
        )
        .await;
    assert_eq!(
        (by_seq[0]["status"].as_str(), by_seq[0]["code"].as_str()),
        (Some("rejected"), Some("sequence_reused")),
        "a reused (device, seq) with another id: {}",
        by_seq[0]
    );
    assert_eq!(
        app.changes(&t.agent, 0, 5000).await["cursor"].as_i64(),
        Some(cursor),
        "redeliveries changed nothing"
    );
    let replies: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE id = 'msg_r1'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(replies, 1, "the reply exists once");
    let status: String = sqlx::query_scalar("SELECT status FROM tickets WHERE id = $1")
        .bind(&ticket)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        status, "solved",
        "the mutation reusing (device, seq) did not reopen the ticket"
    );
}

#[tokio::test]
async fn concurrent_deliveries_of_one_mutation_apply_it_once() {
    let (app, t, ticket, v) = setup().await;
    let app = std::sync::Arc::new(app);
    let mut tasks = vec![];
    for _ in 0..4 {
        let (app, token, ticket) = (app.clone(), t.agent.clone(), ticket.clone());
        tasks.push(tokio::spawn(async move {
            app.push(
                &token,
                "dev-a",
                json!([reply(1, "mut_1", &ticket, "msg_r1", v)]),
            )
            .await
        }));
    }
    let mut applied = 0;
    for task in tasks {
        let r = task.await.unwrap();
        applied += usize::from(r[0]["status"] == "applied");
    }
    assert_eq!(
        applied, 1,
        "exactly one delivery applies; the others are duplicates"
    );
}

#[tokio::test]
async fn a_reply_is_stale_after_a_newer_customer_message_or_a_changed_invoice() {
    let (app, t, ticket, v) = setup().await;
    app.customer_writes(&t.ingest, "anna@example.com", Some(&ticket), "Any news?")
        .await;
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([reply(1, "mut_1", &ticket, "msg_r1", v)]),
        )
        .await;
    assert_eq!(
        (r[0]["status"].as_str(), r[0]["code"].as_str()),
        (Some("rejected"), Some("stale")),
        "{}",
        r[0]
    );

    let now: i64 = sqlx::query_scalar("SELECT version FROM tickets WHERE id = $1")
        .bind(&ticket)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    app.invoice(&t.ingest, "inv_a1", "49.00").await;
    let mut cited = reply(2, "mut_2", &ticket, "msg_r2", now);
    cited["based_on"]["invoice:inv_a1"] = json!(1);
    let r = app.push(&t.agent, "dev-a", json!([cited.clone()])).await;
    assert_eq!(r[0]["status"], "applied", "up to date: {}", r[0]);

    app.invoice(&t.ingest, "inv_a1", "59.00").await;
    let now = now + 1;
    let mut cited = reply(3, "mut_3", &ticket, "msg_r3", now);
    cited["based_on"]["invoice:inv_a1"] = json!(1);
    let r = app.push(&t.agent, "dev-a", json!([cited])).await;
    assert_eq!(r[0]["code"], "stale", "the cited invoice changed: {}", r[0]);
    assert!(
        r[0]["message"]
            .as_str()
            .unwrap()
            .contains("cited invoice inv_a1 changed (version 1 → 2)"),
        "the desk's words for it: {}",
        r[0]
    );
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([reply(4, "mut_4", "tkt_nope", "msg_r4", 1)]),
        )
        .await;
    assert_eq!(r[0]["code"], "not_found");
}

#[tokio::test]
async fn only_supervisors_decide_and_the_first_decision_wins() {
    let (app, t, ticket, _) = setup().await;
    app.push(
        &t.agent,
        "dev-a",
        json!([escalation(1, "mut_1", "esc_1", &ticket)]),
    )
    .await;
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([decide(2, "mut_2", "esc_1", "approve")]),
        )
        .await;
    assert_eq!(
        r[0]["code"], "forbidden",
        "an agent cannot decide, whatever the payload says: {}",
        r[0]
    );

    let first = app
        .push(
            &t.supervisor,
            "dev-s1",
            json!([decide(1, "mut_s1", "esc_1", "deny")]),
        )
        .await;
    assert_eq!(first[0]["status"], "applied");
    let second = app
        .push(
            &t.supervisor2,
            "dev-s2",
            json!([decide(1, "mut_s2", "esc_1", "approve")]),
        )
        .await;
    assert_eq!(second[0]["code"], "conflict", "{}", second[0]);
    let winner = &second[0]["winner"];
    assert_eq!(
        winner["decision"], "deny",
        "the winner is the first decision: {winner}"
    );
    assert_eq!(winner["decided_by"], "acme sup1");
    let r = app
        .push(
            &t.supervisor,
            "dev-s1",
            json!([decide(2, "mut_s3", "esc_none", "deny")]),
        )
        .await;
    assert_eq!(r[0]["code"], "not_found");
}

#[tokio::test]
async fn replays_out_of_order_are_duplicates_and_new_ones_still_apply() {
    let (app, t, ticket, _) = setup().await;
    let note = |seq: i64, id: &str| {
        json!({"seq": seq, "id": id, "kind": "add_note",
               "payload": {"ticket_id": ticket, "message_id": format!("msg_{id}"),
                           "body": format!("note {seq}"), "author": "Alex", "author_kind": "agent"}})
    };
    let first = app
        .push(
            &t.agent,
            "dev-a",
            json!([note(1, "n1"), note(2, "n2"), note(3, "n3")]),
        )
        .await;
    assert!(first.iter().all(|r| r["status"] == "applied"), "{first:?}");
    // A desk that lost its answers replays older mutations in another order, with a new one.
    let replay = app
        .push(
            &t.agent,
            "dev-a",
            json!([note(3, "n3"), note(1, "n1"), note(4, "n4"), note(2, "n2")]),
        )
        .await;
    let statuses: Vec<&str> = replay
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["duplicate", "duplicate", "applied", "duplicate"],
        "{replay:?}"
    );
    let feed = app.changes(&t.agent, 0, 5000).await;
    let notes = feed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["entity"] == "message" && c["data"]["visibility"] == "internal")
        .count();
    assert_eq!(notes, 4, "each note is in the feed once");
}
