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
