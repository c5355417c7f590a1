//! The desk's side of a refusal, on a seeded desk: what is put back and what stays.
use super::*;
use crate::Store;
use crate::workflow::ticket_actions;
use countersign_model::TicketId;
use countersign_model::records::TicketStatus;
use countersign_model::workflow::{Person, Role};

/// A desk whose first ticket is open, and the person at it.
async fn desk() -> (tempfile::TempDir, Store, TicketId, i64, Person) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
    let mut cfg = crate::demo::DemoConfig::small(chrono::Utc::now().date_naive());
    (cfg.customers, cfg.invoices, cfg.tickets) = (5, 20, 5);
    crate::demo::seed(&store, &cfg, &mut |_, _, _| {})
        .await
        .unwrap();
    let (id, version): (String, i64) =
        sqlx::query_as("SELECT id, version FROM tickets WHERE status = 'open' LIMIT 1")
            .fetch_one(store.pool())
            .await
            .unwrap();
    let person = Person {
        id: "agt_alex".into(),
        name: "Alex Morgan".into(),
        role: Role::Agent,
    };
    (dir, store, TicketId::parse(&id).unwrap(), version, person)
}

async fn last_queued(store: &Store) -> Mutation {
    let (seq, id, kind, payload): (i64, String, String, String) = sqlx::query_as(
        "SELECT seq, mutation_id, kind, payload FROM outbox ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    Mutation {
        seq,
        id,
        kind,
        payload: serde_json::from_str(&payload).unwrap(),
        based_on: Default::default(),
    }
}

async fn status(store: &Store, ticket: &TicketId) -> String {
    sqlx::query_scalar("SELECT status FROM tickets WHERE id = ?")
        .bind(ticket.as_str())
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// A status change the platform refuses (stale: the customer wrote meanwhile) does not stay
/// on the desk as if made: the ticket goes back to what it was, with a notice.
#[tokio::test]
async fn a_refused_status_change_puts_the_ticket_back() {
    let (_dir, store, ticket, v, person) = desk().await;
    ticket_actions::set_status(&store, &person, &ticket, TicketStatus::Solved, v)
        .await
        .unwrap();
    assert_eq!(status(&store, &ticket).await, "solved", "shown at once");
    let m = last_queued(&store).await;
    assert_eq!(m.kind, "set_status");
    let mut tx = store.write().await.unwrap();
    refused(
        &mut tx,
        &m,
        ErrorCode::Stale,
        "the customer wrote again",
        None,
        "2026-12-07T00:00:00.000Z",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status(&store, &ticket).await, "open", "put back");
    let notice: String =
        sqlx::query_scalar("SELECT message FROM sync_notices ORDER BY id DESC LIMIT 1")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert!(notice.contains("back to open"), "{notice}");
}

/// A later change stands: undoing a refused one never overwrites what came after it.
#[tokio::test]
async fn a_refusal_does_not_undo_a_later_change() {
    let (_dir, store, ticket, v, person) = desk().await;
    ticket_actions::set_status(&store, &person, &ticket, TicketStatus::Pending, v)
        .await
        .unwrap();
    let first = last_queued(&store).await;
    ticket_actions::set_status(&store, &person, &ticket, TicketStatus::Solved, v)
        .await
        .unwrap();
    let mut tx = store.write().await.unwrap();
    refused(
        &mut tx,
        &first,
        ErrorCode::Conflict,
        "no",
        None,
        "2026-12-07T00:00:00.000Z",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status(&store, &ticket).await, "solved");
}

/// Taking a ticket the platform refuses (the agent left the tenant meanwhile) leaves it with
/// nobody again, as before: a none is put back like any value.
#[tokio::test]
async fn a_refused_assignment_gives_the_ticket_back_to_nobody() {
    let (_dir, store, ticket, v, person) = desk().await;
    let pool = store.pool().clone();
    let assignee = || {
        sqlx::query_scalar::<_, Option<String>>("SELECT assignee FROM tickets WHERE id = ?")
            .bind(ticket.as_str())
            .fetch_one(&pool)
    };
    sqlx::query("UPDATE tickets SET assignee = NULL WHERE id = ?")
        .bind(ticket.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    ticket_actions::assign(&store, &person, &ticket, Some("agt_alex"), v)
        .await
        .unwrap();
    assert_eq!(assignee().await.unwrap().as_deref(), Some("agt_alex"));
    let m = last_queued(&store).await;
    assert_eq!(m.kind, "assign");
    let mut tx = store.write().await.unwrap();
    refused(
        &mut tx,
        &m,
        ErrorCode::InvalidArgument,
        "not an agent of this tenant",
        None,
        "2026-12-07T00:00:00.000Z",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(assignee().await.unwrap(), None, "put back to nobody");
}

/// A signed-in desk under a policy that asks two supervisors above 30.00 EUR, with a pending
/// 40.00 EUR refund escalation `esc_two` on its first ticket; and Sam, a supervisor.
async fn two_person_desk() -> (tempfile::TempDir, Store, Person) {
    let (dir, store, ticket, _, _) = desk().await;
    for sql in [
        "INSERT INTO settings (key, value) VALUES ('sync.url', 'http://127.0.0.1:9')",
        "INSERT INTO policies (id, body, version) VALUES ('escalations', \
         '{\"two_person_above\": {\"EUR\": \"30.00\"}}', 1)",
    ] {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO escalations (id, ticket_id, reason, proposed_action, currency, amount, \
         status, raised_by, raised_by_id, created_at) \
         VALUES ('esc_two', ?, 'Charged twice', 'refund', 'EUR', 4000, 'pending', 'Alex Morgan', \
         'agt_alex', '2026-12-01T00:00:00.000Z')",
    )
    .bind(ticket.as_str())
    .execute(store.pool())
    .await
    .unwrap();
    let sam = Person {
        id: "agt_sam".into(),
        name: "Sam Supervisor".into(),
        role: Role::Supervisor,
    };
    (dir, store, sam)
}

async fn first_approval(store: &Store) -> (String, Option<String>, Option<String>) {
    sqlx::query_as(
        "SELECT status, first_approved_by_id, decided_by_id FROM escalations WHERE id = 'esc_two'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap()
}

async fn refuse_last(store: &Store) {
    let m = last_queued(store).await;
    assert_eq!(m.kind, "decide_escalation");
    let mut tx = store.write().await.unwrap();
    refused(
        &mut tx,
        &m,
        ErrorCode::Stale,
        "invoice changed",
        None,
        "2026-12-07T00:00:00.000Z",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Found by review: a refused second approval took back, by name, a first approval the feed
/// had brought from a colleague of the same name. Only this desk's own decision goes back.
#[tokio::test]
async fn a_refused_second_approval_leaves_a_namesake_s_first_approval() {
    let (_dir, store, sam) = two_person_desk().await;
    // The feed brings the first approval of another supervisor who is also called Sam.
    sqlx::query(
        "UPDATE escalations SET first_approved_by = 'Sam Supervisor', \
         first_approved_by_id = 'agt_sam_other', first_approved_at = '2026-12-06T10:00:00.000Z' \
         WHERE id = 'esc_two'",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let id = countersign_model::EscalationId::parse("esc_two").unwrap();
    let e = crate::workflow::escalations::decide(
        &store,
        &sam,
        &id,
        countersign_model::workflow::Decision::Approve,
        None,
    )
    .await
    .unwrap();
    assert_eq!(e.status.as_str(), "approved", "the second of two");
    refuse_last(&store).await;
    assert_eq!(
        first_approval(&store).await,
        ("pending".into(), Some("agt_sam_other".into()), None),
        "pending again, the colleague's first approval kept"
    );
}

/// This desk's own first approval, refused, is taken back; a first approval the feed brought
/// over it meanwhile is the platform's and stays.
#[tokio::test]
async fn a_refused_first_approval_is_taken_back_unless_the_feed_replaced_it() {
    let (_dir, store, sam) = two_person_desk().await;
    let id = countersign_model::EscalationId::parse("esc_two").unwrap();
    let approve = || {
        crate::workflow::escalations::decide(
            &store,
            &sam,
            &id,
            countersign_model::workflow::Decision::Approve,
            None,
        )
    };
    let e = approve().await.unwrap();
    assert_eq!(e.first_approved_by_id.as_deref(), Some("agt_sam"));
    refuse_last(&store).await;
    assert_eq!(
        first_approval(&store).await,
        ("pending".into(), None, None),
        "taken back"
    );

    approve().await.unwrap();
    // The feed: the platform holds Sam's first approval from his other desk, made earlier.
    sqlx::query(
        "UPDATE escalations SET first_approved_at = '2026-12-06T09:00:00.000Z' WHERE id = 'esc_two'",
    )
    .execute(store.pool())
    .await
    .unwrap();
    refuse_last(&store).await;
    assert_eq!(
        first_approval(&store).await,
        ("pending".into(), Some("agt_sam".into()), None),
        "the platform's first approval stays"
    );
}
