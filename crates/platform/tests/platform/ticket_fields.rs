//! A ticket's own fields set by a desk: status by the one transition rule
//! (`TicketStatus::may_become`), stale when the customer wrote since, and priority.

use crate::support::{Tenant, TestApp, outcome, spawn_app};
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

/// Issue 15: every desk learns the tenant's agents from the feed (those created before a desk
/// existed and those added later), and a ticket goes only to one of them, by id, or to nobody.
#[tokio::test]
async fn tickets_go_to_the_tenants_agents_by_id_and_agents_are_fed() {
    let (app, t, ticket, _) = setup().await;
    let other = app.tenant("globex").await;
    let fed = app.all_changes(&t.agent).await;
    let agents: Vec<&Value> = fed.iter().filter(|c| c["entity"] == "agent").collect();
    assert_eq!(
        agents.len(),
        3,
        "the agent and both supervisors: {agents:?}"
    );
    let mine = agents
        .iter()
        .find(|c| c["id"] == t.agent_id.as_str())
        .expect("the desk's own agent is fed");
    assert_eq!(mine["data"]["name"], "acme agent");
    assert_eq!(mine["data"]["role"], "agent");
    assert!(
        mine["data"].get("email").is_none(),
        "a colleague's address stays on the platform: {mine}"
    );
    assert!(
        fed.iter().all(|c| c["id"] != other.agent_id.as_str()),
        "another tenant's agents are not fed"
    );

    let assign = |seq: i64, to: Value| {
        json!({"seq": seq, "id": format!("mut_a{seq}"), "kind": "assign",
               "payload": {"ticket_id": ticket, "assignee": to}})
    };
    let fed_assignee = || async {
        let after = app.all_changes(&t.agent).await;
        let last = after
            .iter()
            .rev()
            .find(|c| c["entity"] == "ticket" && c["id"] == ticket.as_str())
            .expect("the ticket is fed")
            .clone();
        last["data"]["assignee"].clone()
    };
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([
                assign(1, json!(t.agent_id)),
                assign(2, json!("acme agent")),
                assign(3, json!(other.agent_id)),
            ]),
        )
        .await;
    assert_eq!(outcome(&r[0]).0, "applied", "to the agent's id: {}", r[0]);
    for (i, why) in [(1, "a display name"), (2, "another tenant's agent")] {
        assert_eq!(
            outcome(&r[i]),
            ("rejected".into(), Some("invalid_argument".into())),
            "{why} is nobody here: {}",
            r[i]
        );
    }
    assert_eq!(
        fed_assignee().await,
        json!(t.agent_id),
        "every desk sees it taken"
    );
    let r = app
        .push(&t.agent, "dev-a", json!([assign(4, Value::Null)]))
        .await;
    assert_eq!(outcome(&r[0]).0, "applied", "unassigned: {}", r[0]);
    assert_eq!(fed_assignee().await, Value::Null, "and let go");
}

/// Issue 15: a ticket set aside until a time is fed so to every desk; a time already past is
/// refused; the customer writing again wakes it; a desk can wake it itself.
#[tokio::test]
async fn a_snoozed_ticket_wakes_when_the_customer_writes() {
    let (app, t, ticket, _) = setup().await;
    let fed = || async {
        let all = app.all_changes(&t.agent).await;
        all.iter()
            .rev()
            .find(|c| c["entity"] == "ticket" && c["id"] == ticket.as_str())
            .expect("the ticket is fed")["data"]["snoozed_until"]
            .clone()
    };
    let snooze = |seq: i64, until: Value| {
        json!({"seq": seq, "id": format!("mut_z{seq}"), "kind": "snooze",
               "payload": {"ticket_id": ticket, "until": until}})
    };
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([snooze(1, json!("2020-01-01T09:00:00Z"))]),
        )
        .await;
    assert_eq!(
        outcome(&r[0]),
        ("rejected".into(), Some("invalid_argument".into())),
        "a time already past: {}",
        r[0]
    );
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([snooze(2, json!("2099-01-01T09:00:00Z"))]),
        )
        .await;
    assert_eq!(outcome(&r[0]).0, "applied", "{}", r[0]);
    assert_eq!(
        fed().await,
        "2099-01-01T09:00:00.000Z",
        "in the desk's format"
    );
    app.customer_writes(&t.ingest, "anna@example.com", Some(&ticket), "Any news?")
        .await;
    assert_eq!(fed().await, Value::Null, "the customer wrote: awake");
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([
                snooze(3, json!("2099-01-01T09:00:00Z")),
                snooze(4, Value::Null)
            ]),
        )
        .await;
    assert!(r.iter().all(|r| r["status"] == "applied"), "{r:?}");
    assert_eq!(fed().await, Value::Null, "woken by the desk");

    // A snooze queued on a desk before the customer wrote must not put their message away: it
    // is bound to the version the person saw, and the customer wrote since.
    let seen: i64 = sqlx::query_scalar("SELECT version FROM tickets WHERE id = $1")
        .bind(&ticket)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    app.customer_writes(&t.ingest, "anna@example.com", Some(&ticket), "Hello?")
        .await;
    let mut late = snooze(5, json!("2099-01-01T09:00:00Z"));
    late["based_on"] = json!({ format!("ticket:{ticket}"): seen });
    let r = app.push(&t.agent, "dev-a", json!([late])).await;
    assert_eq!(
        outcome(&r[0]),
        ("rejected".into(), Some("stale".into())),
        "{}",
        r[0]
    );
    assert_eq!(
        fed().await,
        Value::Null,
        "the customer's message stays in sight"
    );

    // A closed ticket has nothing to wait for.
    for (seq, status) in [(6, "solved"), (7, "closed")] {
        let r = app
            .push(
                &t.agent,
                "dev-a",
                json!([{"seq": seq, "id": format!("mut_s{seq}"), "kind": "set_status",
                        "payload": {"ticket_id": ticket, "status": status}}]),
            )
            .await;
        assert_eq!(r[0]["status"], "applied", "{}", r[0]);
    }
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([snooze(8, json!("2099-01-01T09:00:00Z"))]),
        )
        .await;
    assert_eq!(
        outcome(&r[0]),
        ("rejected".into(), Some("conflict".into())),
        "{}",
        r[0]
    );
}
