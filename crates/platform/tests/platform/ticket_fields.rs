//! A ticket's own fields set by a desk: status by the one transition rule
//! (`TicketStatus::may_become`), stale when the customer wrote since, and priority.

use crate::support::{Tenant, TestApp, spawn_app};
use serde_json::{Value, json};

async fn setup() -> (TestApp, Tenant, String, i64) {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (ticket, version) = app.ticket(&t.ingest, "anna@example.com").await;
    (app, t, ticket, version)
}

fn status(seq: i64, id: &str, ticket: &str, to: &str, seen: Option<i64>) -> Value {
    let mut m = json!({"seq": seq, "id": id, "kind": "set_status",
                       "payload": {"ticket_id": ticket, "status": to}});
    if let Some(v) = seen {
        m["based_on"] = json!({format!("ticket:{ticket}"): v});
    }
    m
}

/// Issue 15: a ticket moves open → pending → solved → closed by the one rule the desk checks too
/// (TicketStatus::may_become); a closed ticket is final; solving what the customer wrote on since
/// the desk looked is stale; priority is set and fed to every desk.
#[tokio::test]
async fn status_moves_by_the_one_rule_and_priority_is_set() {
    let (app, t, ticket, v) = setup().await;
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([
                status(1, "mut_1", &ticket, "closed", None),
                status(2, "mut_2", &ticket, "pending", Some(v)),
                {"seq": 3, "id": "mut_3", "kind": "set_priority", "payload": {"ticket_id": ticket, "priority": "urgent"}},
                {"seq": 4, "id": "mut_4", "kind": "set_priority", "payload": {"ticket_id": ticket, "priority": "asap"}},
            ]),
        )
        .await;
    let outcome = |r: &Value| {
        (
            r["status"].as_str().unwrap().to_owned(),
            r["code"].as_str().map(str::to_owned),
        )
    };
    assert_eq!(
        outcome(&r[0]),
        ("rejected".into(), Some("conflict".into())),
        "open → closed skips solving: {}",
        r[0]
    );
    assert_eq!(outcome(&r[1]).0, "applied", "{}", r[1]);
    assert_eq!(outcome(&r[2]).0, "applied", "{}", r[2]);
    assert_eq!(
        outcome(&r[3]),
        ("rejected".into(), Some("invalid_argument".into())),
        "{}",
        r[3]
    );
    let (status_now, priority, version): (String, String, i64) =
        sqlx::query_as("SELECT status, priority, version FROM tickets WHERE id = $1")
            .bind(&ticket)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (status_now.as_str(), priority.as_str()),
        ("pending", "urgent")
    );

    // The customer writes again (the ticket reopens); a desk that saw the older version cannot
    // solve it on what it did not read.
    app.customer_writes(
        &t.ingest,
        "anna@example.com",
        Some(&ticket),
        "Still two charges.",
    )
    .await;
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([status(5, "mut_5", &ticket, "solved", Some(version))]),
        )
        .await;
    assert_eq!(
        outcome(&r[0]),
        ("rejected".into(), Some("stale".into())),
        "{}",
        r[0]
    );
    let seen: i64 = sqlx::query_scalar("SELECT version FROM tickets WHERE id = $1")
        .bind(&ticket)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([
                status(6, "mut_6", &ticket, "solved", Some(seen)),
                status(7, "mut_7", &ticket, "closed", None),
                status(8, "mut_8", &ticket, "open", None),
            ]),
        )
        .await;
    assert_eq!(outcome(&r[0]).0, "applied", "{}", r[0]);
    assert_eq!(outcome(&r[1]).0, "applied", "solved → closed: {}", r[1]);
    assert_eq!(
        outcome(&r[2]),
        ("rejected".into(), Some("conflict".into())),
        "closed is final: {}",
        r[2]
    );
    let fed: Vec<Value> = app.all_changes(&t.agent).await;
    let last = fed
        .iter()
        .rev()
        .find(|c| c["entity"] == "ticket" && c["id"] == ticket.as_str())
        .expect("the ticket is fed");
    assert_eq!(
        (
            last["data"]["status"].as_str(),
            last["data"]["priority"].as_str()
        ),
        (Some("closed"), Some("urgent")),
        "every desk pulls the change: {last}"
    );
}
