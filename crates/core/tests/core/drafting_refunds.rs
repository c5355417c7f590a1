//! The escalation a refund draft promises: raised by the person who approves it, in the
//! approval's transaction, never by the drafter, and never twice for the same money.

use crate::support::{TestDesk, agent, count, desk};
use countersign_core::drafting::{self, Trigger};
use countersign_core::workflow::drafts;
use countersign_model::TicketId;

/// Bob paid INV-3 ($19.00) and asks for it back.
async fn bob_asks_for_a_refund(d: &TestDesk) {
    sqlx::raw_sql(
        "INSERT INTO messages (id, ticket_id, author_kind, author_name, body, visibility, created_at) \
         VALUES ('msg_b2', 'tkt_bob', 'customer', 'Bob Jones', 'Please refund invoice INV-3.', 'public', '2025-02-05T00:00:00.000Z'); \
         UPDATE tickets SET subject = 'Refund' WHERE id = 'tkt_bob'; \
         UPDATE invoices SET amount_paid = 1900, amount_remaining = 0, payment_status = 'SUCCEEDED', \
           paid_at = '2025-02-02T10:00:00.000Z' WHERE id = 'inv_b1';",
    )
    .execute(d.store.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn approving_a_refund_draft_raises_its_escalation_and_rejecting_does_not() {
    let d = desk().await;
    bob_asks_for_a_refund(&d).await;
    let bob = TicketId::parse("tkt_bob").unwrap();
    let draft = drafting::draft_ticket(&d.store, &bob, Trigger::Person(&agent()), None)
        .await
        .unwrap();
    let suggestion = draft
        .suggested_escalation
        .clone()
        .expect("a refund reply suggests the refund escalation");
    assert_eq!(suggestion.amount.to_string(), "19.00 USD");
    assert!(
        draft.body.contains("$19.00") && draft.body.contains("INV-3"),
        "{}",
        draft.body
    );
    assert_eq!(
        count(&d.store, "escalations").await,
        0,
        "drafting raises nothing by itself"
    );

    drafts::approve(&d.store, &agent(), &draft.id, None)
        .await
        .unwrap();
    let raised: (String, String, i64, String) = sqlx::query_as(
        "SELECT proposed_action, invoice_id, amount, raised_by FROM escalations WHERE ticket_id = 'tkt_bob'",
    )
    .fetch_one(d.store.pool())
    .await
    .unwrap();
    assert_eq!(
        raised,
        ("refund".into(), "inv_b1".into(), 1900, "Alex Agent".into())
    );
    let queued: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'raise_escalation'")
            .fetch_one(d.store.pool())
            .await
            .unwrap();
    assert_eq!(queued, 1, "the escalation syncs like any other");

    // The same draft rejected instead raises nothing.
    let d = desk().await;
    let anna = TicketId::parse("tkt_anna").unwrap();
    let draft = drafting::draft_ticket(&d.store, &anna, Trigger::Automatic, None)
        .await
        .unwrap();
    drafts::reject(&d.store, &agent(), &draft.id, "not now")
        .await
        .unwrap();
    assert_eq!(count(&d.store, "escalations").await, 0);
}

/// Review finding: the customer chases ("any news?") after a refund reply was approved; the new
/// draft repeats the promise and its approval raised the same refund a second time.
#[tokio::test]
async fn approving_a_repeated_refund_promise_does_not_ask_for_the_money_twice() {
    let d = desk().await;
    bob_asks_for_a_refund(&d).await;
    let bob = TicketId::parse("tkt_bob").unwrap();
    let first = drafting::draft_ticket(&d.store, &bob, Trigger::Automatic, None)
        .await
        .unwrap();
    drafts::approve(&d.store, &agent(), &first.id, None)
        .await
        .unwrap();
    countersign_core::demo::customer_message(&d.store, &bob, "Any news on my refund of INV-3?")
        .await
        .unwrap();
    let second = drafting::draft_ticket(&d.store, &bob, Trigger::Automatic, None)
        .await
        .unwrap();
    assert!(
        second.suggested_escalation.is_some(),
        "the chased reply repeats the promise"
    );
    drafts::approve(&d.store, &agent(), &second.id, None)
        .await
        .unwrap();
    assert_eq!(
        count(&d.store, "escalations").await,
        1,
        "the refund is raised once, whatever the number of replies promising it"
    );
}
