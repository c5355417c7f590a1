//! Drafts: propose, approve (as is and edited), reject, and staleness.

use crate::support::*;
use countersign_core::workflow::drafts::{self, CitationRef, NewDraft};
use countersign_model::workflow::{CitedKind, DraftStatus, TokenScope};
use countersign_model::{ErrorCode, TicketId};

fn reply(citations: Vec<CitationRef>) -> NewDraft {
    NewDraft {
        ticket_id: TicketId::parse("tkt_anna").unwrap(),
        body: "Hi Anna, we refunded the duplicate charge of 49.00 EUR.".into(),
        confidence: 0.8,
        citations,
    }
}

fn cite(kind: CitedKind, id: &str) -> CitationRef {
    CitationRef {
        kind,
        id: id.into(),
    }
}

#[tokio::test]
async fn a_proposed_draft_waits_for_review_with_the_versions_it_cited() {
    let d = desk().await;
    let call = assistant(TokenScope::Draft, "draft_reply");
    let draft = drafts::propose(
        &d.store,
        &call,
        &reply(vec![
            cite(CitedKind::Invoice, "inv_a1"),
            cite(CitedKind::KbArticle, "kb_refunds"),
        ]),
    )
    .await
    .expect("propose");
    assert_eq!(draft.status, DraftStatus::PendingReview);
    assert_eq!(draft.citations.len(), 2);
    assert!(
        draft.citations.iter().all(|c| c.version == 1),
        "cited versions are recorded"
    );
    assert_eq!(
        count(&d.store, "audit_log").await,
        1,
        "the proposal is audited with it"
    );
    assert_eq!(
        count(&d.store, "outbox").await,
        0,
        "a proposal is not sent anywhere"
    );
    let mut conn = d.store.pool().acquire().await.unwrap();
    let listed = drafts::for_ticket(&mut conn, &draft.ticket_id)
        .await
        .unwrap();
    assert_eq!(listed, vec![draft]);
}

#[tokio::test]
async fn approving_queues_the_reply_in_the_thread_the_outbox_and_the_audit_log_at_once() {
    let d = desk().await;
    let draft = drafts::propose(
        &d.store,
        &assistant(TokenScope::Draft, "draft_reply"),
        &reply(vec![cite(CitedKind::Invoice, "inv_a1")]),
    )
    .await
    .unwrap();
    let before = footprint(&d.store).await;
    let approved = drafts::approve(&d.store, &agent(), &draft.id, None)
        .await
        .expect("approve");
    assert_eq!(approved.status, DraftStatus::Approved);
    assert_eq!(approved.final_body.as_deref(), Some(draft.body.as_str()));
    assert_eq!(approved.decided_by.as_deref(), Some("Alex Agent"));
    let after = footprint(&d.store).await;
    assert_eq!(after[3], before[3] + 1, "the reply joins the thread");
    assert_eq!(
        after[4],
        before[4] + 1,
        "one outbox row carries it to the platform"
    );
    assert_eq!(after[5], before[5] + 1, "the decision is audited");
    let (kind, based_on): (String, String) = sqlx::query_as("SELECT kind, based_on FROM outbox")
        .fetch_one(d.store.pool())
        .await
        .unwrap();
    assert_eq!(kind, "send_reply");
    let based_on: serde_json::Value = serde_json::from_str(&based_on).unwrap();
    assert_eq!(
        based_on["ticket:tkt_anna"], 1,
        "the mutation says which ticket version it answered"
    );
    assert_eq!(based_on["invoice:inv_a1"], 1, "and which cited versions");

    let again = drafts::approve(&d.store, &agent(), &draft.id, None)
        .await
        .unwrap_err();
    assert_eq!(
        again.code(),
        ErrorCode::Conflict,
        "a draft is decided once: {again}"
    );
}

#[tokio::test]
async fn an_edited_approval_sends_the_edit_and_keeps_the_original() {
    let d = desk().await;
    let draft = drafts::propose(
        &d.store,
        &assistant(TokenScope::Draft, "draft_reply"),
        &reply(vec![]),
    )
    .await
    .unwrap();
    let approved = drafts::approve(
        &d.store,
        &agent(),
        &draft.id,
        Some("Hi Anna, refund is on its way."),
    )
    .await
    .unwrap();
    assert_eq!(
        approved.body, draft.body,
        "the assistant's text is kept for the diff"
    );
    assert_eq!(
        approved.final_body.as_deref(),
        Some("Hi Anna, refund is on its way.")
    );
    let last: String = sqlx::query_scalar(
        "SELECT body FROM messages WHERE ticket_id = 'tkt_anna' ORDER BY rowid DESC LIMIT 1",
    )
    .fetch_one(d.store.pool())
    .await
    .unwrap();
    assert_eq!(
        last, "Hi Anna, refund is on its way.",
        "the thread shows what was sent"
    );
}

#[tokio::test]
async fn rejecting_needs_a_reason_and_sends_nothing() {
    let d = desk().await;
    let draft = drafts::propose(
        &d.store,
        &assistant(TokenScope::Draft, "draft_reply"),
        &reply(vec![]),
    )
    .await
    .unwrap();
    let err = drafts::reject(&d.store, &agent(), &draft.id, "   ")
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument);
    let rejected = drafts::reject(&d.store, &agent(), &draft.id, "Wrong invoice")
        .await
        .unwrap();
    assert_eq!(rejected.status, DraftStatus::Rejected);
    assert_eq!(rejected.decision_note.as_deref(), Some("Wrong invoice"));
    assert_eq!(count(&d.store, "outbox").await, 0);
}

#[tokio::test]
async fn a_new_customer_message_makes_the_draft_stale_until_re_reviewed() {
    let d = desk().await;
    let draft = drafts::propose(
        &d.store,
        &assistant(TokenScope::Draft, "draft_reply"),
        &reply(vec![]),
    )
    .await
    .unwrap();
    sqlx::query("INSERT INTO messages (id, ticket_id, author_kind, author_name, body, visibility, created_at) \
                 VALUES ('msg_a2', 'tkt_anna', 'customer', 'Anna Schmidt', 'Actually it was three times!', 'public', '2025-02-05T00:00:00.000Z')")
        .execute(d.store.pool())
        .await
        .unwrap();
    let seen = drafts::find(d.store.pool(), &draft.id).await.unwrap();
    assert_eq!(
        seen.status,
        DraftStatus::Stale,
        "reads show the staleness at once"
    );
    assert!(seen.stale_reason.unwrap().contains("customer wrote again"));

    let outbox = count(&d.store, "outbox").await;
    let err = drafts::approve(&d.store, &agent(), &draft.id, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Stale, "{err}");
    assert_eq!(count(&d.store, "outbox").await, outbox, "nothing is sent");
    let status: String = sqlx::query_scalar("SELECT status FROM drafts WHERE id = ?")
        .bind(draft.id.as_str())
        .fetch_one(d.store.pool())
        .await
        .unwrap();
    assert_eq!(status, "stale", "the refusal is recorded on the draft");

    let rereviewed = drafts::rereview(&d.store, &agent(), &draft.id)
        .await
        .unwrap();
    assert_eq!(rereviewed.status, DraftStatus::PendingReview);
    drafts::approve(&d.store, &agent(), &draft.id, None)
        .await
        .expect("approvable after a re-review");
}

#[tokio::test]
async fn a_changed_cited_record_makes_the_draft_stale() {
    let d = desk().await;
    let draft = drafts::propose(
        &d.store,
        &assistant(TokenScope::Draft, "draft_reply"),
        &reply(vec![
            cite(CitedKind::Invoice, "inv_a1"),
            cite(CitedKind::Payment, "pay_a1"),
        ]),
    )
    .await
    .unwrap();
    sqlx::query("UPDATE invoices SET version = version + 1, payment_status = 'REFUNDED' WHERE id = 'inv_a1'")
        .execute(d.store.pool())
        .await
        .unwrap();
    let err = drafts::approve(&d.store, &agent(), &draft.id, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Stale);
    assert!(
        err.to_string()
            .contains("invoice inv_a1 changed (version 1 → 2)"),
        "{err}"
    );
    let again = drafts::find(d.store.pool(), &draft.id).await.unwrap();
    let cited = again.citations.iter().find(|c| c.id == "inv_a1").unwrap();
    assert_eq!(
        cited.current_version,
        Some(2),
        "the UI can show which record moved"
    );
    assert_eq!(
        again
            .citations
            .iter()
            .find(|c| c.id == "pay_a1")
            .unwrap()
            .current_version,
        None
    );
}

/// Issue 15: one staleness rule. A cited record that is gone makes the draft stale, and every
/// view says so alike: the approval is refused with the reason, and the ticket list an assistant
/// reads (`list_tickets`) counts the draft as stale, as the inbox and the ticket view do (it
/// counted the stored status, "pending", while the inbox said stale).
#[tokio::test]
async fn a_deleted_cited_record_makes_the_draft_stale_in_every_view() {
    let d = desk().await;
    let draft = drafts::propose(
        &d.store,
        &assistant(TokenScope::Draft, "draft_reply"),
        &reply(vec![
            cite(CitedKind::Invoice, "inv_a1"),
            cite(CitedKind::KbArticle, "kb_refunds"),
        ]),
    )
    .await
    .unwrap();
    let listed = || drafts_listed(&d, &draft.ticket_id);
    assert_eq!(listed().await, (1, 0), "a fresh draft waits");

    sqlx::query("DELETE FROM kb_articles WHERE id = 'kb_refunds'")
        .execute(d.store.pool())
        .await
        .unwrap();
    assert_eq!(
        listed().await,
        (0, 1),
        "the list says stale, as the inbox does"
    );
    let seen = drafts::find(d.store.pool(), &draft.id).await.unwrap();
    assert_eq!(seen.status, DraftStatus::Stale);
    assert_eq!(
        seen.stale_reason.as_deref(),
        Some("cited kb_article kb_refunds no longer exists")
    );
    let err = drafts::approve(&d.store, &agent(), &draft.id, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Stale, "{err}");
}

#[tokio::test]
async fn a_read_only_assistant_cannot_draft_and_nothing_is_written() {
    let d = desk().await;
    let before = footprint(&d.store).await;
    let err = drafts::propose(
        &d.store,
        &assistant(TokenScope::Read, "draft_reply"),
        &reply(vec![]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
    assert_eq!(footprint(&d.store).await, before);
}

#[tokio::test]
async fn a_draft_may_not_cite_another_customers_records() {
    let d = desk().await;
    let before = footprint(&d.store).await;
    let err = drafts::propose(
        &d.store,
        &assistant(TokenScope::Draft, "draft_reply"),
        &reply(vec![cite(CitedKind::Invoice, "inv_b1")]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument, "{err}");
    let err = drafts::propose(
        &d.store,
        &assistant(TokenScope::Draft, "draft_reply"),
        &reply(vec![cite(CitedKind::Message, "msg_b1")]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument, "{err}");
    assert_eq!(footprint(&d.store).await, before);
}

/// Issue 16: a payment or refund of the ticket's customer that reaches the desk after a draft
/// was written makes it stale, even when the draft cites nothing, with the reason on the draft
/// and in every view. A payment of another customer does not.
#[tokio::test]
async fn a_payment_of_the_customer_after_the_draft_makes_it_stale_even_uncited() {
    let d = desk().await;
    let draft = drafts::propose(
        &d.store,
        &assistant(TokenScope::Draft, "draft_reply"),
        &reply(vec![]),
    )
    .await
    .unwrap();
    let listed = || drafts_listed(&d, &draft.ticket_id);
    // The sync writes `synced_at` as it applies a platform change; a minute from now is after
    // the draft whatever this machine's speed.
    let later = (chrono::Utc::now() + chrono::Duration::minutes(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sqlx::query(
        "UPDATE payments SET synced_at = ?, version = version + 1 WHERE customer_id <> \
         (SELECT customer_id FROM tickets WHERE id = ?)",
    )
    .bind(&later)
    .bind(draft.ticket_id.as_str())
    .execute(d.store.pool())
    .await
    .unwrap();
    assert_eq!(
        listed().await,
        (1, 0),
        "another customer's payment changes nothing"
    );
    let paid: String = sqlx::query_scalar(
        "UPDATE payments SET synced_at = ?, payment_status = 'REFUNDED', version = version + 1 \
         WHERE id = (SELECT p.id FROM payments p JOIN tickets t ON t.customer_id = p.customer_id \
                     WHERE t.id = ? ORDER BY p.id LIMIT 1) RETURNING id",
    )
    .bind(&later)
    .bind(draft.ticket_id.as_str())
    .fetch_one(d.store.pool())
    .await
    .unwrap();
    assert_eq!(
        listed().await,
        (0, 1),
        "the list says stale, as the draft does"
    );
    let seen = drafts::find(d.store.pool(), &draft.id).await.unwrap();
    assert_eq!(seen.status, DraftStatus::Stale);
    assert_eq!(
        seen.stale_reason.as_deref(),
        Some(format!("the customer's payment {paid} changed after it was written (a payment or refund came in)").as_str())
    );
    let err = drafts::approve(&d.store, &agent(), &draft.id, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Stale, "{err}");
}

/// The ticket's (pending, stale) draft counts as the ticket list shows them.
async fn drafts_listed(d: &TestDesk, ticket: &TicketId) -> (i64, i64) {
    let page =
        countersign_core::records::tickets::list(d.store.pool(), &Default::default(), None, 100)
            .await
            .unwrap();
    let row = page
        .items
        .into_iter()
        .find(|r| &r.ticket.id == ticket)
        .unwrap();
    (row.pending_drafts, row.stale_drafts)
}
