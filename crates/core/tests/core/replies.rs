//! Replies written by hand: queued like an approved draft (thread, outbox, audit at once), and
//! refused without a trace when empty, huge or aimed at no ticket.

use crate::support::*;
use countersign_core::workflow::replies;
use countersign_model::records::{AuthorKind, Visibility};
use countersign_model::{ErrorCode, TicketId};
use sqlx::Row;

fn anna() -> TicketId {
    TicketId::parse("tkt_anna").unwrap()
}

#[tokio::test]
async fn a_reply_written_by_hand_is_queued_in_the_thread_the_outbox_and_the_audit_log() {
    let d = desk().await;
    let before = footprint(&d.store).await;
    let msg = replies::write(
        &d.store,
        &agent(),
        &anna(),
        "  Hi Anna, I have refunded the duplicate charge.  ",
    )
    .await
    .expect("write a reply");
    assert_eq!(msg.author_kind, AuthorKind::Agent);
    assert_eq!(msg.visibility, Visibility::Public, "a reply is public");
    assert_eq!(msg.author_name, "Alex Agent");
    assert_eq!(
        msg.body, "Hi Anna, I have refunded the duplicate charge.",
        "the text is stored trimmed"
    );
    let after = footprint(&d.store).await;
    assert_eq!(
        [after[3], after[4], after[5]],
        [before[3] + 1, before[4] + 1, before[5] + 1],
        "one message, one outbox row and one audit row, together"
    );
    assert_eq!(
        [after[0], after[2]],
        [before[0], before[2]],
        "no draft and no escalation is involved"
    );

    let row = sqlx::query("SELECT kind, payload, based_on FROM outbox")
        .fetch_one(d.store.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("kind"), "send_reply");
    let payload: serde_json::Value =
        serde_json::from_str(&row.get::<String, _>("payload")).unwrap();
    assert_eq!(payload["message_id"], msg.id.as_str());
    assert_eq!(payload["draft_id"], serde_json::Value::Null, "no draft");
    assert_eq!(payload["approved_by"], "Alex Agent");
    // The platform's own parser must accept what the desk queued.
    countersign_model::sync::MutationBody::parse("send_reply", &payload)
        .expect("the platform can read the queued reply");
    let based_on: serde_json::Value =
        serde_json::from_str(&row.get::<String, _>("based_on")).unwrap();
    assert_eq!(
        based_on,
        serde_json::json!({"ticket:tkt_anna": 1}),
        "bound to the ticket version the person saw"
    );

    let (action, subject): (String, String) =
        sqlx::query_as("SELECT action, subject FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_one(d.store.pool())
            .await
            .unwrap();
    assert_eq!(
        (action.as_str(), subject.as_str()),
        ("write_reply", "tkt_anna")
    );
    let status: String = sqlx::query_scalar("SELECT status FROM tickets WHERE id = 'tkt_anna'")
        .fetch_one(d.store.pool())
        .await
        .unwrap();
    assert_eq!(status, "pending", "the ticket now waits on the customer");
}

#[tokio::test]
async fn an_empty_huge_or_misaimed_reply_is_refused_and_writes_nothing() {
    let d = desk().await;
    let before = footprint(&d.store).await;
    let huge = "x".repeat(countersign_core::workflow::MAX_TEXT_CHARS + 1);
    for (body, why) in [
        ("", "empty"),
        ("   \n\t ", "blank"),
        (huge.as_str(), "over the limit"),
        ("hi\0there", "a NUL character"),
    ] {
        let e = replies::write(&d.store, &agent(), &anna(), body)
            .await
            .expect_err(why);
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{why}: {e}");
        assert!(
            e.public_message().contains("body"),
            "{why}: the message names the field: {}",
            e.public_message()
        );
    }
    let e = replies::write(
        &d.store,
        &agent(),
        &TicketId::parse("tkt_nobody").unwrap(),
        "Hello",
    )
    .await
    .expect_err("no such ticket");
    assert_eq!(e.code(), ErrorCode::NotFound, "{e}");
    assert_eq!(
        footprint(&d.store).await,
        before,
        "a refused reply leaves no message, outbox row or audit row"
    );
}

/// Review, issue 15: a closed ticket took a reply by hand. It is final (the customer writing
/// again opens a new one), so the reply is refused on the desk, as the platform refuses it,
/// and nothing is written or queued.
#[tokio::test]
async fn a_closed_ticket_takes_no_reply() {
    use countersign_core::workflow::ticket_actions::set_status;
    use countersign_model::records::TicketStatus;
    let d = desk().await;
    for to in [TicketStatus::Solved, TicketStatus::Closed] {
        set_status(&d.store, &agent(), &anna(), to, 1)
            .await
            .unwrap();
    }
    let before = footprint(&d.store).await;
    let e = replies::write(&d.store, &agent(), &anna(), "One more thing, Anna.")
        .await
        .expect_err("closed");
    assert!(
        matches!(
            e,
            countersign_core::Error::Refused(countersign_model::Problem::TicketClosed { .. })
        ),
        "{e}"
    );
    assert_eq!(
        footprint(&d.store).await,
        before,
        "nothing written or queued"
    );
}

/// Issue 17: the platform reports each reply's delivery on the feed; the thread shows it, and a
/// failed one is a notice on the desk of the agent who wrote it (no one else's), once.
#[tokio::test]
async fn a_reply_s_delivery_shows_on_the_thread_and_a_failure_is_a_notice_for_its_author() {
    let d = desk().await;
    sqlx::query("INSERT INTO settings (key, value) VALUES ('sync.me', ?)")
        .bind(
            serde_json::json!({"agent": {"id": "agt_alex", "name": "Alex Agent",
                "email": "alex@acme.test", "role": "agent"},
                "tenant": {"id": "ten_1", "name": "Acme"}})
            .to_string(),
        )
        .execute(d.store.pool())
        .await
        .unwrap();
    let mine = replies::write(&d.store, &agent(), &anna(), "We refunded the duplicate.")
        .await
        .unwrap();
    let theirs = replies::write(&d.store, &agent(), &anna(), "A colleague's answer.")
        .await
        .unwrap();
    let report = |id: String, author: &'static str, state: &'static str, detail: &'static str| {
        let pool = d.store.pool().clone();
        async move {
            sqlx::query(
                "UPDATE messages SET author_id = ?, delivery = ?, delivery_detail = ?, \
                 delivered_at = '2026-12-08T10:00:00.000Z' WHERE id = ?",
            )
            .bind(author)
            .bind(state)
            .bind(detail)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        }
    };
    let notices = count(&d.store, "sync_notices").await;
    report(
        mine.id.to_string(),
        "agt_alex",
        "sent",
        "250 2.0.0 Ok: queued as 0001",
    )
    .await;
    report(
        theirs.id.to_string(),
        "agt_other",
        "failed",
        "550 5.1.1 User unknown",
    )
    .await;
    assert_eq!(
        count(&d.store, "sync_notices").await,
        notices,
        "not mine, not failed"
    );
    report(
        mine.id.to_string(),
        "agt_alex",
        "failed",
        "550 5.1.1 User unknown",
    )
    .await;
    let message: String =
        sqlx::query_scalar("SELECT message FROM sync_notices ORDER BY id DESC LIMIT 1")
            .fetch_one(d.store.pool())
            .await
            .unwrap();
    assert!(
        message.contains("did not reach the customer") && message.contains("550 5.1.1"),
        "{message}"
    );
    report(
        mine.id.to_string(),
        "agt_alex",
        "failed",
        "550 5.1.1 User unknown",
    )
    .await;
    assert_eq!(count(&d.store, "sync_notices").await, notices + 1, "once");
    let thread = countersign_core::records::tickets::thread(d.store.pool(), &anna())
        .await
        .unwrap();
    let shown = thread.iter().find(|m| m.id == mine.id).unwrap();
    let delivery = shown.delivery.clone().expect("reported");
    assert_eq!(delivery.state.as_str(), "failed");
    assert_eq!(delivery.detail.as_deref(), Some("550 5.1.1 User unknown"));
    assert!(delivery.at.is_some());
}
