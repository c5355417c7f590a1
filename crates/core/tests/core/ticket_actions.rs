//! Issue 15: a person moves a ticket's status and priority as a decision — checked by the one
//! transition rule, bound to the version they saw, shown at once, audited and queued together.

use crate::support::*;
use countersign_core::workflow::ticket_actions::{assign, set_priority, set_status, snooze};
use countersign_model::records::{TicketPriority, TicketStatus};
use countersign_model::{ErrorCode, TicketId};

fn anna() -> TicketId {
    TicketId::parse("tkt_anna").unwrap()
}

async fn ticket(d: &TestDesk) -> (String, String, i64) {
    sqlx::query_as("SELECT status, priority, version FROM tickets WHERE id = 'tkt_anna'")
        .fetch_one(d.store.pool())
        .await
        .unwrap()
}

async fn queued(d: &TestDesk) -> Vec<(String, String, String, Option<String>)> {
    sqlx::query_as("SELECT kind, payload, based_on, undo FROM outbox ORDER BY seq")
        .fetch_all(d.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn solving_a_ticket_is_shown_audited_and_queued_with_what_it_replaced() {
    let d = desk().await;
    let (_, _, v) = ticket(&d).await;
    set_status(&d.store, &agent(), &anna(), TicketStatus::Pending, v)
        .await
        .expect("open → pending");
    set_status(&d.store, &agent(), &anna(), TicketStatus::Solved, v)
        .await
        .expect("pending → solved");
    assert_eq!(ticket(&d).await.0, "solved");
    let q = queued(&d).await;
    assert_eq!(q.len(), 2);
    let (kind, payload, based_on, undo) = &q[1];
    assert_eq!(kind, "set_status");
    let payload: serde_json::Value = serde_json::from_str(payload).unwrap();
    assert_eq!(payload["status"], "solved");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(based_on).unwrap()["ticket:tkt_anna"],
        v,
        "bound to the version the person saw"
    );
    let undo: serde_json::Value = serde_json::from_str(undo.as_deref().unwrap()).unwrap();
    assert_eq!(
        (undo["set"].as_str(), undo["was"].as_str()),
        (Some("solved"), Some("pending"))
    );
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT arguments FROM audit_log WHERE action = 'set_status' AND subject = 'tkt_anna' ORDER BY seq",
    )
    .fetch_all(d.store.pool())
    .await
    .unwrap();
    assert_eq!(audited.len(), 2, "each move audited");
    assert!(audited[1].contains("\"was\":\"pending\""), "{}", audited[1]);
}

#[tokio::test]
async fn a_move_the_rule_forbids_or_on_a_changed_ticket_is_refused_and_nothing_is_queued() {
    let d = desk().await;
    let (_, _, v) = ticket(&d).await;
    let e = set_status(&d.store, &agent(), &anna(), TicketStatus::Closed, v)
        .await
        .expect_err("open → closed skips solving");
    assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
    assert!(e.to_string().contains("solve it first"), "{e}");
    let e = set_status(&d.store, &agent(), &anna(), TicketStatus::Open, v)
        .await
        .expect_err("open → open changes nothing");
    assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
    countersign_core::demo::customer_message(&d.store, &anna(), "Any news?")
        .await
        .unwrap();
    let e = set_status(&d.store, &agent(), &anna(), TicketStatus::Solved, v)
        .await
        .expect_err("the customer wrote since the person looked");
    assert_eq!(e.code(), ErrorCode::Stale, "{e}");
    assert!(queued(&d).await.is_empty(), "no refused move is queued");
    let e = set_status(
        &d.store,
        &agent(),
        &TicketId::parse("tkt_nope").unwrap(),
        TicketStatus::Solved,
        1,
    )
    .await
    .expect_err("no such ticket");
    assert_eq!(e.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn priority_is_set_once_and_queued() {
    let d = desk().await;
    let before = ticket(&d).await.1;
    set_priority(&d.store, &agent(), &anna(), TicketPriority::Urgent)
        .await
        .expect("set urgent");
    assert_eq!(ticket(&d).await.1, "urgent");
    let e = set_priority(&d.store, &agent(), &anna(), TicketPriority::Urgent)
        .await
        .expect_err("already urgent");
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    let q = queued(&d).await;
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].0, "set_priority");
    assert!(
        q[0].3
            .as_deref()
            .unwrap()
            .contains(&format!("\"was\":\"{before}\""))
    );
}

async fn assignee(d: &TestDesk) -> Option<String> {
    sqlx::query_scalar("SELECT assignee FROM tickets WHERE id = 'tkt_anna'")
        .fetch_one(d.store.pool())
        .await
        .unwrap()
}

/// Issue 15: a ticket goes to an agent of the tenant by id — the person themself, a colleague —
/// or to nobody; "Mine" follows the id; each is checked, queued with what it replaced, audited.
#[tokio::test]
async fn a_ticket_is_taken_given_to_a_colleague_and_let_go_by_agent_id() {
    let d = desk().await;
    sqlx::raw_sql(
        "INSERT INTO agents (id, name, role, version) VALUES
         ('agt_agent', 'Alex Agent', 'agent', 1), ('agt_priya', 'Priya Shah', 'agent', 1)",
    )
    .execute(d.store.pool())
    .await
    .unwrap();
    let me = agent();
    let (_, _, v) = ticket(&d).await;
    let mine = || async {
        let q = countersign_model::ipc::InboxQuery {
            scope: countersign_model::ipc::InboxScope::Mine,
            ..Default::default()
        };
        countersign_core::inbox::page(d.store.pool(), &me, &q)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|r| r.ticket.id.to_string())
            .collect::<Vec<_>>()
    };
    assert!(!mine().await.contains(&"tkt_anna".to_owned()));
    assign(&d.store, &me, &anna(), Some(&me.id), v)
        .await
        .expect("take it");
    assert_eq!(assignee(&d).await.as_deref(), Some("agt_agent"));
    assert!(mine().await.contains(&"tkt_anna".to_owned()), "Mine, by id");

    let e = assign(&d.store, &me, &anna(), Some(&me.id), v)
        .await
        .expect_err("already mine");
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    assert!(e.to_string().contains("Alex Agent"), "said by name: {e}");
    let e = assign(&d.store, &me, &anna(), Some("Priya Shah"), v)
        .await
        .expect_err("a name is not an agent id");
    assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
    countersign_core::demo::customer_message(&d.store, &anna(), "Any news?")
        .await
        .unwrap();
    let e = assign(&d.store, &me, &anna(), Some("agt_priya"), v)
        .await
        .expect_err("the ticket changed since the person looked");
    assert_eq!(e.code(), ErrorCode::Stale, "{e}");

    let (_, _, v) = ticket(&d).await;
    assign(&d.store, &me, &anna(), Some("agt_priya"), v)
        .await
        .expect("to a colleague");
    assign(&d.store, &me, &anna(), None, v)
        .await
        .expect("to nobody");
    assert_eq!(assignee(&d).await, None);
    let q = queued(&d).await;
    let sent: Vec<serde_json::Value> = q
        .iter()
        .map(|(kind, payload, _, _)| {
            assert_eq!(kind, "assign");
            serde_json::from_str::<serde_json::Value>(payload).unwrap()["assignee"].clone()
        })
        .collect();
    assert_eq!(
        sent,
        [
            serde_json::json!("agt_agent"),
            serde_json::json!("agt_priya"),
            serde_json::Value::Null
        ],
        "only the three decisions are queued"
    );
    let undo: serde_json::Value = serde_json::from_str(q[2].3.as_deref().unwrap()).unwrap();
    assert_eq!(
        (undo["set"].clone(), undo["was"].clone()),
        (serde_json::Value::Null, serde_json::json!("agt_priya"))
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'assign' AND subject = 'tkt_anna'",
    )
    .fetch_one(d.store.pool())
    .await
    .unwrap();
    assert_eq!(audited, 3);
}

/// The tickets of one inbox list, for the person at the desk.
async fn listed(d: &TestDesk, snoozed: bool) -> Vec<String> {
    let q = countersign_model::ipc::InboxQuery {
        snoozed,
        ..Default::default()
    };
    countersign_core::inbox::page(d.store.pool(), &agent(), &q)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|r| r.ticket.id.to_string())
        .collect()
}

/// Issue 15: a ticket set aside until a time leaves the inbox for the Snoozed list, and comes
/// back when woken or when the customer writes; each snooze is queued and audited.
#[tokio::test]
async fn a_snoozed_ticket_waits_in_its_own_list_until_the_customer_writes() {
    let d = desk().await;
    let (_, _, v) = ticket(&d).await;
    let anna_id = "tkt_anna".to_owned();
    let e = snooze(&d.store, &agent(), &anna(), None, v)
        .await
        .expect_err("nothing to wake");
    assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    let e = snooze(&d.store, &agent(), &anna(), Some(past), v)
        .await
        .expect_err("a time already past");
    assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
    assert!(listed(&d, false).await.contains(&anna_id));

    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    snooze(&d.store, &agent(), &anna(), Some(tomorrow), v)
        .await
        .expect("snooze until tomorrow");
    assert!(
        !listed(&d, false).await.contains(&anna_id),
        "out of the inbox"
    );
    assert_eq!(listed(&d, true).await, ["tkt_anna"], "in Snoozed");
    snooze(&d.store, &agent(), &anna(), None, v)
        .await
        .expect("wake it");
    assert!(listed(&d, false).await.contains(&anna_id), "back");

    snooze(&d.store, &agent(), &anna(), Some(tomorrow), v)
        .await
        .expect("snooze again");
    countersign_core::demo::customer_message(&d.store, &anna(), "Hello again?")
        .await
        .unwrap();
    assert!(
        listed(&d, false).await.contains(&anna_id),
        "the customer wrote: it is back in the inbox"
    );
    assert!(listed(&d, true).await.is_empty());
    let kinds: Vec<String> = queued(&d).await.into_iter().map(|q| q.0).collect();
    assert_eq!(kinds, ["snooze", "snooze", "snooze"], "each snooze queued");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'snooze' AND subject = 'tkt_anna'",
    )
    .fetch_one(d.store.pool())
    .await
    .unwrap();
    assert_eq!(audited, 3);
}

/// A closed ticket has nothing to wait for: snoozing it is refused, on the desk as on the
/// platform, and nothing is queued.
#[tokio::test]
async fn a_closed_ticket_is_not_snoozed() {
    let d = desk().await;
    let (_, _, v) = ticket(&d).await;
    set_status(&d.store, &agent(), &anna(), TicketStatus::Solved, v)
        .await
        .unwrap();
    set_status(&d.store, &agent(), &anna(), TicketStatus::Closed, v)
        .await
        .unwrap();
    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    let e = snooze(&d.store, &agent(), &anna(), Some(tomorrow), v)
        .await
        .expect_err("closed");
    assert!(
        matches!(
            e,
            countersign_core::Error::Refused(countersign_model::Problem::TicketClosed { .. })
        ),
        "{e}"
    );
    let kinds: Vec<String> = queued(&d).await.into_iter().map(|q| q.0).collect();
    assert_eq!(kinds, ["set_status", "set_status"], "no snooze queued");
}
