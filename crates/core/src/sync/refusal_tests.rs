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
