//! The audit log is append-only and its hash chain exposes tampering.

use crate::support::*;
use countersign_core::audit;
use countersign_core::workflow::{Proposer, notes};
use countersign_model::TicketId;

async fn desk_with_audit_rows(n: usize) -> TestDesk {
    let d = desk().await;
    let ticket = TicketId::parse("tkt_anna").unwrap();
    for i in 0..n {
        notes::add(
            &d.store,
            Proposer::Person(&agent()),
            &ticket,
            &format!("note {i}"),
        )
        .await
        .unwrap();
    }
    d
}

/// Drops the append-only triggers, as someone editing the file by hand could.
async fn drop_guards(d: &TestDesk) {
    sqlx::raw_sql("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .execute(d.store.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_untouched_log_verifies() {
    let d = desk_with_audit_rows(5).await;
    let v = audit::verify(d.store.pool()).await.unwrap();
    assert_eq!(v.rows, 5);
    assert_eq!(v.broken, None);
}

#[tokio::test]
async fn the_database_refuses_updates_and_deletes() {
    let d = desk_with_audit_rows(2).await;
    assert!(
        sqlx::query("UPDATE audit_log SET actor = 'x'")
            .execute(d.store.pool())
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(d.store.pool())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_modified_row_is_found() {
    let d = desk_with_audit_rows(5).await;
    drop_guards(&d).await;
    sqlx::query("UPDATE audit_log SET actor = 'Mallory' WHERE seq = 3")
        .execute(d.store.pool())
        .await
        .unwrap();
    let broken = audit::verify(d.store.pool())
        .await
        .unwrap()
        .broken
        .expect("tampering detected");
    assert_eq!(broken.seq, 3, "{broken:?}");
}

#[tokio::test]
async fn a_deleted_row_is_found() {
    let d = desk_with_audit_rows(5).await;
    drop_guards(&d).await;
    sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(d.store.pool())
        .await
        .unwrap();
    let broken = audit::verify(d.store.pool())
        .await
        .unwrap()
        .broken
        .expect("deletion detected");
    assert_eq!(broken.seq, 2, "{broken:?}");
}

#[tokio::test]
async fn a_truncated_tail_is_found() {
    let d = desk_with_audit_rows(5).await;
    drop_guards(&d).await;
    sqlx::query("DELETE FROM audit_log WHERE seq >= 4")
        .execute(d.store.pool())
        .await
        .unwrap();
    let broken = audit::verify(d.store.pool())
        .await
        .unwrap()
        .broken
        .expect("truncation detected");
    assert!(broken.why.contains("removed from the end"), "{broken:?}");
}

#[tokio::test]
async fn secrets_in_arguments_are_redacted_before_they_are_stored() {
    let d = desk().await;
    let mut call = assistant(
        countersign_model::workflow::TokenScope::Draft,
        "get_customer",
    );
    call.arguments = serde_json::json!({"email": "a@b.c", "api_key": "sk-live-123"});
    countersign_core::workflow::record_call(&d.store, &call, None, "ok")
        .await
        .unwrap();
    let stored: String = sqlx::query_scalar("SELECT arguments FROM audit_log")
        .fetch_one(d.store.pool())
        .await
        .unwrap();
    assert!(!stored.contains("sk-live-123"), "{stored}");
    assert!(stored.contains("a@b.c"));
}

#[tokio::test]
async fn two_processes_appending_to_one_desk_keep_one_chain() {
    let d = desk().await;
    // A second handle on the same file stands for a second process (the app and `countersign mcp`).
    let other = countersign_core::Store::open(d.store.path()).await.unwrap();
    let call = assistant(countersign_model::workflow::TokenScope::Read, "get_ticket");
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = if i % 2 == 0 {
            d.store.clone()
        } else {
            other.clone()
        };
        let call = call.clone();
        tasks.push(tokio::spawn(async move {
            countersign_core::workflow::record_call(&store, &call, None, "ok").await
        }));
    }
    for t in tasks {
        t.await.unwrap().expect("every append lands");
    }
    let v = audit::verify(d.store.pool()).await.unwrap();
    assert_eq!(
        (v.rows, v.broken),
        (40, None),
        "interleaved writers extend one intact chain"
    );
}

#[tokio::test]
async fn tail_finds_text_with_underscores_as_written() {
    let d = desk_with_audit_rows(2).await;
    let found = audit::tail(d.store.pool(), 100, Some("add_internal_note"))
        .await
        .unwrap();
    assert_eq!(
        found.len(),
        2,
        "`_` is an underscore, not a wildcard: {found:?}"
    );
    let by_ticket = audit::tail(d.store.pool(), 100, Some("tkt_anna"))
        .await
        .unwrap();
    assert_eq!(
        by_ticket.len(),
        2,
        "a ticket id finds the decisions on it, though the subject is the note's id"
    );
    for none in [
        "addXinternalXnote",
        "add%note",
        "addinternalnote",
        "tktXanna",
    ] {
        let found = audit::tail(d.store.pool(), 100, Some(none)).await.unwrap();
        assert!(found.is_empty(), "{none:?} matched {found:?}");
    }
}
