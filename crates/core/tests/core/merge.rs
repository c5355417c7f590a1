//! Issue 15: a person merges a customer's ticket into another of theirs — the thread, drafts and
//! escalations move, the merged ticket is closed and points to the survivor, all shown at once,
//! audited and queued bound to both tickets as seen; refused as the platform refuses it.

use crate::support::*;
use countersign_core::Error;
use countersign_core::workflow::Proposer;
use countersign_core::workflow::drafts::{self, NewDraft};
use countersign_core::workflow::escalations::{self, NewEscalation};
use countersign_core::workflow::merge::merge;
use countersign_model::TicketId;
use countersign_model::problem::{MergeRefusal, Problem};
use countersign_model::workflow::{ProposedAction, TokenScope};

fn id(s: &str) -> TicketId {
    TicketId::parse(s).unwrap()
}

/// Anna's second ticket, `tkt_anna2`, with her message, a draft and an escalation on it.
async fn second_ticket(d: &TestDesk) {
    sqlx::raw_sql(
        r#"
        INSERT INTO tickets (id, customer_id, subject, status, priority, channel, language, created_at, updated_at)
        VALUES ('tkt_anna2', 'cus_anna', 'Still charged twice', 'open', 'normal', 'email', 'en',
                '2025-02-05T00:00:00.000Z', '2025-02-05T00:00:00.000Z');
        INSERT INTO messages (id, ticket_id, author_kind, author_name, body, visibility, created_at)
        VALUES ('msg_a2', 'tkt_anna2', 'customer', 'Anna Schmidt', 'Any news on INV-1?', 'public',
                '2025-02-05T00:00:00.000Z');
        "#,
    )
    .execute(d.store.pool())
    .await
    .unwrap();
    drafts::propose(
        &d.store,
        &assistant(TokenScope::Draft, "draft_reply"),
        &NewDraft {
            ticket_id: id("tkt_anna2"),
            body: "Hi Anna, we are looking into INV-1.".into(),
            confidence: 0.6,
            citations: vec![],
        },
    )
    .await
    .expect("a draft on the second ticket");
    escalations::raise(
        &d.store,
        Proposer::Person(&agent()),
        &NewEscalation {
            ticket_id: id("tkt_anna2"),
            reason: "check the duplicate".into(),
            proposed_action: ProposedAction::Other,
            invoice: None,
            amount: None,
        },
    )
    .await
    .expect("an escalation on the second ticket");
}

async fn where_is(d: &TestDesk, table: &'static str) -> Vec<String> {
    let sql = format!(
        "SELECT DISTINCT ticket_id FROM {table} WHERE ticket_id LIKE 'tkt_anna%' ORDER BY 1"
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_all(d.store.pool())
        .await
        .unwrap()
}

async fn ticket(d: &TestDesk, t: &str) -> (String, Option<String>, i64) {
    sqlx::query_as("SELECT status, merged_into, version FROM tickets WHERE id = ?")
        .bind(t)
        .fetch_one(d.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_customers_ticket_merges_with_its_thread_drafts_and_escalations() {
    let d = desk().await;
    second_ticket(&d).await;
    let (_, _, seen) = ticket(&d, "tkt_anna2").await;
    let (_, _, into_seen) = ticket(&d, "tkt_anna").await;
    merge(
        &d.store,
        &agent(),
        &id("tkt_anna2"),
        seen,
        &id("tkt_anna"),
        into_seen,
    )
    .await
    .expect("merged");
    assert_eq!(
        ticket(&d, "tkt_anna2").await,
        ("closed".into(), Some("tkt_anna".into()), seen),
        "closed, pointing to the survivor"
    );
    for table in ["messages", "drafts", "escalations"] {
        assert_eq!(where_is(&d, table).await, ["tkt_anna"], "{table} moved");
    }
    let (kind, payload, based_on): (String, String, String) =
        sqlx::query_as("SELECT kind, payload, based_on FROM outbox WHERE kind = 'merge_tickets'")
            .fetch_one(d.store.pool())
            .await
            .unwrap();
    assert_eq!(kind, "merge_tickets");
    let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(
        payload,
        serde_json::json!({"ticket_id": "tkt_anna2", "into": "tkt_anna"})
    );
    let based_on: serde_json::Value = serde_json::from_str(&based_on).unwrap();
    assert_eq!(
        based_on,
        serde_json::json!({"ticket:tkt_anna2": seen, "ticket:tkt_anna": into_seen}),
        "bound to both tickets as seen"
    );
    assert_eq!(
        ticket(&d, "tkt_anna").await.2,
        into_seen + 1,
        "the survivor moves on a version, as the platform moves it"
    );
    let stale: Vec<String> =
        sqlx::query_scalar("SELECT status FROM drafts WHERE ticket_id = 'tkt_anna'")
            .fetch_all(d.store.pool())
            .await
            .unwrap();
    assert_eq!(
        stale,
        ["stale"],
        "a draft for the merged ticket is re-reviewed"
    );
    let on_merged =
        countersign_core::workflow::replies::write(&d.store, &agent(), &id("tkt_anna2"), "Hi")
            .await;
    assert!(
        matches!(on_merged, Err(Error::Refused(Problem::TicketClosed { .. }))),
        "no reply on a merged ticket: {on_merged:?}"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'merge_tickets' AND subject = 'tkt_anna2'",
    )
    .fetch_one(d.store.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_merge_is_refused_as_the_platform_refuses_it() {
    let d = desk().await;
    second_ticket(&d).await;
    let refused = |r: Result<(), Error>| match r {
        Err(Error::Refused(Problem::CannotMerge { why, .. })) => why,
        other => panic!("not refused as a merge: {other:?}"),
    };
    let (anna, anna2, bob) = (id("tkt_anna"), id("tkt_anna2"), id("tkt_bob"));
    let before = footprint(&d.store).await;
    assert_eq!(
        refused(merge(&d.store, &agent(), &anna, 1, &anna, 1).await),
        MergeRefusal::SameTicket
    );
    assert_eq!(
        refused(merge(&d.store, &agent(), &anna, 1, &bob, 1).await),
        MergeRefusal::OtherCustomer
    );
    let changed = merge(&d.store, &agent(), &anna2, 0, &anna, 1).await;
    assert!(
        matches!(changed, Err(Error::Refused(Problem::TicketChanged { .. }))),
        "{changed:?}"
    );
    assert_eq!(
        footprint(&d.store).await,
        before,
        "nothing moved, nothing queued"
    );
    merge(&d.store, &agent(), &anna2, 1, &anna, 1)
        .await
        .unwrap();
    // The survivor moved on a version with the merge.
    assert_eq!(
        refused(merge(&d.store, &agent(), &anna2, 1, &anna, 2).await),
        MergeRefusal::AlreadyMerged
    );
    sqlx::query("UPDATE tickets SET status = 'closed' WHERE id = 'tkt_bob'")
        .execute(d.store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE tickets SET customer_id = 'cus_anna' WHERE id = 'tkt_bob'")
        .execute(d.store.pool())
        .await
        .unwrap();
    assert_eq!(
        refused(merge(&d.store, &agent(), &bob, 1, &anna, 2).await),
        MergeRefusal::Closed
    );
}
