//! Escalations: what may be raised, and who may decide.

use crate::support::*;
use countersign_core::records::invoices::InvoiceRef;
use countersign_core::settings;
use countersign_core::workflow::Proposer;
use countersign_core::workflow::escalations::{self, NewEscalation};
use countersign_model::workflow::{
    Decision, EscalationStatus, Execution, ProposedAction, TokenScope,
};
use countersign_model::{ErrorCode, InvoiceId, TicketId};

fn refund(amount: &str) -> NewEscalation {
    NewEscalation {
        ticket_id: TicketId::parse("tkt_anna").unwrap(),
        reason: "Charged twice for January".into(),
        proposed_action: ProposedAction::Refund,
        invoice: Some(InvoiceRef::Id(InvoiceId::parse("inv_a1").unwrap())),
        amount: Some(amount.into()),
    }
}

#[tokio::test]
async fn an_assistant_raises_a_refund_with_an_exact_amount() {
    let d = desk().await;
    let call = assistant(TokenScope::Draft, "raise_escalation");
    let e = escalations::raise(&d.store, Proposer::Assistant(&call), &refund("49"))
        .await
        .unwrap();
    assert_eq!(e.status, EscalationStatus::Pending);
    assert_eq!(e.amount.unwrap().amount_string(), "49.00");
    assert_eq!(e.amount.unwrap().currency().as_str(), "EUR");
    assert_eq!(
        count(&d.store, "outbox").await,
        1,
        "the platform learns of it"
    );
}

#[tokio::test]
async fn refunds_are_checked_against_the_invoice() {
    let d = desk().await;
    let call = assistant(TokenScope::Draft, "raise_escalation");
    let before = footprint(&d.store).await;
    for (amount, why) in [
        ("49.01", "more than was paid"),
        ("0", "not positive"),
        ("12.345", "too many decimals"),
        ("1e2", "not a decimal"),
    ] {
        let err = escalations::raise(&d.store, Proposer::Assistant(&call), &refund(amount))
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::InvalidArgument,
            "{amount} is {why}: {err}"
        );
    }
    let mut no_amount = refund("1");
    no_amount.amount = None;
    assert_eq!(
        escalations::raise(&d.store, Proposer::Assistant(&call), &no_amount)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::InvalidArgument
    );
    let mut other_customer = refund("1");
    other_customer.invoice = Some(InvoiceRef::Id(InvoiceId::parse("inv_b1").unwrap()));
    assert_eq!(
        escalations::raise(&d.store, Proposer::Assistant(&call), &other_customer)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        footprint(&d.store).await,
        before,
        "refused proposals write nothing"
    );
}

#[tokio::test]
async fn only_a_supervisor_decides_by_default() {
    let d = desk().await;
    let e = escalations::raise(&d.store, Proposer::Person(&agent()), &refund("10"))
        .await
        .unwrap();
    let outbox = count(&d.store, "outbox").await;
    let err = escalations::decide(&d.store, &agent(), &e.id, Decision::Approve, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden, "{err}");
    assert_eq!(
        escalations::find(d.store.pool(), &e.id)
            .await
            .unwrap()
            .status,
        EscalationStatus::Pending
    );
    assert_eq!(
        count(&d.store, "outbox").await,
        outbox,
        "a refused decision is not synced"
    );
    let outcome: String =
        sqlx::query_scalar("SELECT outcome FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_one(d.store.pool())
            .await
            .unwrap();
    assert_eq!(outcome, "forbidden", "the refused attempt is audited");

    let decided = escalations::decide(
        &d.store,
        &supervisor(),
        &e.id,
        Decision::Approve,
        Some("Duplicate confirmed"),
    )
    .await
    .unwrap();
    assert_eq!(decided.status, EscalationStatus::Approved);
    assert_eq!(decided.decided_by.as_deref(), Some("Sam Supervisor"));
    let second = escalations::decide(&d.store, &supervisor(), &e.id, Decision::Deny, Some("no"))
        .await
        .unwrap_err();
    assert_eq!(second.code(), ErrorCode::Conflict);
    assert!(
        second.to_string().contains("approved by Sam Supervisor"),
        "the winner is named: {second}"
    );
}

#[tokio::test]
async fn an_agent_may_approve_refunds_up_to_the_cap_and_no_further() {
    let d = desk().await;
    settings::set(&d.store, settings::AGENT_REFUND_CAP, "25.00")
        .await
        .unwrap();
    let small = escalations::raise(&d.store, Proposer::Person(&agent()), &refund("25.00"))
        .await
        .unwrap();
    let large = escalations::raise(&d.store, Proposer::Person(&agent()), &refund("25.01"))
        .await
        .unwrap();
    escalations::decide(&d.store, &agent(), &small.id, Decision::Approve, None)
        .await
        .expect("within the cap");
    let err = escalations::decide(&d.store, &agent(), &large.id, Decision::Approve, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden, "{err}");
    let deny = escalations::decide(&d.store, &agent(), &large.id, Decision::Deny, Some("no"))
        .await
        .unwrap_err();
    assert_eq!(
        deny.code(),
        ErrorCode::Forbidden,
        "denying stays with supervisors"
    );
}

#[tokio::test]
async fn denying_needs_a_note() {
    let d = desk().await;
    let e = escalations::raise(&d.store, Proposer::Person(&agent()), &refund("10"))
        .await
        .unwrap();
    let err = escalations::decide(&d.store, &supervisor(), &e.id, Decision::Deny, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument);
}

/// Issue 15: two refunds pending on one invoice raised no warning; the queue now tells the
/// supervisor of the other one on each, and stops once one is decided.
#[tokio::test]
async fn the_queue_warns_of_another_escalation_pending_on_the_same_invoice() {
    let d = desk().await;
    let first = escalations::raise(&d.store, Proposer::Person(&agent()), &refund("49"))
        .await
        .unwrap();
    let others = |rows: Vec<countersign_model::ipc::EscalationRow>| {
        rows.into_iter()
            .map(|r| (r.escalation.id.to_string(), r.others_pending_on_invoice))
            .collect::<std::collections::HashMap<_, _>>()
    };
    let queue = countersign_core::escalation_queue::list(d.store.pool(), None)
        .await
        .unwrap();
    assert_eq!(others(queue)[first.id.as_str()], 0, "alone: no warning");
    let call = assistant(TokenScope::Draft, "raise_escalation");
    let second = escalations::raise(&d.store, Proposer::Assistant(&call), &refund("49"))
        .await
        .expect("a second refund is not refused: the supervisor decides, warned");
    let queue = others(
        countersign_core::escalation_queue::list(d.store.pool(), Some(EscalationStatus::Pending))
            .await
            .unwrap(),
    );
    assert_eq!(
        (queue[first.id.as_str()], queue[second.id.as_str()]),
        (1, 1),
        "each names the other"
    );
    escalations::decide(
        &d.store,
        &supervisor(),
        &first.id,
        Decision::Approve,
        Some("the duplicate"),
    )
    .await
    .unwrap();
    let queue = others(
        countersign_core::escalation_queue::list(d.store.pool(), None)
            .await
            .unwrap(),
    );
    assert_eq!(
        queue[second.id.as_str()],
        0,
        "a decided one no longer counts as pending"
    );
}

/// Issue 16 (one set of rules): a supervisor who raised a refund does not approve it too; the
/// platform refuses that, so the desk says so at once. Another supervisor approves it, and the
/// decision is queued bound to the invoice version they saw.
#[tokio::test]
async fn a_supervisor_does_not_approve_their_own_refund() {
    let d = desk().await;
    let sam = supervisor();
    let e = escalations::raise(&d.store, Proposer::Person(&sam), &refund("10"))
        .await
        .unwrap();
    let err = escalations::decide(&d.store, &sam, &e.id, Decision::Approve, None)
        .await
        .expect_err("their own");
    assert!(
        matches!(
            err,
            countersign_core::Error::Refused(countersign_model::Problem::ApproveOwn { .. })
        ),
        "{err}"
    );
    assert_eq!(err.code(), ErrorCode::Forbidden);
    let sue = countersign_model::workflow::Person {
        id: "agt_sue".into(),
        name: "Sue Supervisor".into(),
        role: countersign_model::workflow::Role::Supervisor,
    };
    let approved = escalations::decide(&d.store, &sue, &e.id, Decision::Approve, None)
        .await
        .unwrap();
    assert_eq!(approved.status, EscalationStatus::Approved);
    let based_on: String = sqlx::query_scalar(
        "SELECT based_on FROM outbox WHERE kind = 'decide_escalation' ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(d.store.pool())
    .await
    .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&based_on).unwrap(),
        serde_json::json!({"invoice:inv_a1": 1})
    );
}

/// The platform's report of a failed execution, as the feed writes it, and who approved it.
async fn failed_on_the_platform(d: &TestDesk, id: &str, approver: &str) {
    sqlx::query(
        "UPDATE escalations SET execution = 'failed', decided_by_id = ?, \
         execution_error = 'credit amount exceeds available limit' WHERE id = ?",
    )
    .bind(approver)
    .bind(id)
    .execute(d.store.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn a_failed_execution_is_retried_only_by_a_supervisor_and_only_once_failed() {
    let d = desk().await;
    let e = escalations::raise(&d.store, Proposer::Person(&agent()), &refund("10"))
        .await
        .unwrap();
    escalations::decide(&d.store, &supervisor(), &e.id, Decision::Approve, None)
        .await
        .unwrap();
    // Not failed (the platform has not reported): nothing to retry.
    let err = escalations::retry_execution(&d.store, &supervisor(), &e.id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "{err}");
    failed_on_the_platform(&d, e.id.as_str(), &supervisor().id).await;
    let failed = escalations::find(d.store.pool(), &e.id).await.unwrap();
    let report = failed.execution.expect("the report is read");
    assert_eq!(report.state, Execution::Failed);
    assert_eq!(
        report.error.as_deref(),
        Some("credit amount exceeds available limit")
    );
    let outbox = count(&d.store, "outbox").await;
    let err = escalations::retry_execution(&d.store, &agent(), &e.id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden, "{err}");
    assert_eq!(count(&d.store, "outbox").await, outbox);
    let queued = escalations::retry_execution(&d.store, &supervisor(), &e.id)
        .await
        .unwrap();
    assert_eq!(queued.execution.unwrap().state, Execution::Queued);
    let kind: String = sqlx::query_scalar("SELECT kind FROM outbox ORDER BY seq DESC LIMIT 1")
        .fetch_one(d.store.pool())
        .await
        .unwrap();
    assert_eq!(kind, "retry_execution");
}

#[tokio::test]
async fn a_failed_execution_is_a_notice_for_the_supervisor_who_approved_it_only() {
    let d = desk().await;
    sqlx::query("INSERT INTO settings (key, value) VALUES ('sync.me', ?)")
        .bind(
            serde_json::json!({"agent": {"id": "agt_sam", "name": "Sam Supervisor",
                "email": "sam@acme.test", "role": "supervisor"},
                "tenant": {"id": "ten_1", "name": "Acme"}})
            .to_string(),
        )
        .execute(d.store.pool())
        .await
        .unwrap();
    let mine = escalations::raise(&d.store, Proposer::Person(&agent()), &refund("10"))
        .await
        .unwrap();
    let theirs = escalations::raise(&d.store, Proposer::Person(&agent()), &refund("5"))
        .await
        .unwrap();
    let notices = count(&d.store, "sync_notices").await;
    failed_on_the_platform(&d, theirs.id.as_str(), "agt_someone_else").await;
    assert_eq!(count(&d.store, "sync_notices").await, notices);
    failed_on_the_platform(&d, mine.id.as_str(), "agt_sam").await;
    let message: String =
        sqlx::query_scalar("SELECT message FROM sync_notices ORDER BY id DESC LIMIT 1")
            .fetch_one(d.store.pool())
            .await
            .unwrap();
    assert!(
        message.contains("refund you approved was not carried out")
            && message.contains("credit amount exceeds available limit"),
        "{message}"
    );
    // Reported again (the same state): no second notice.
    failed_on_the_platform(&d, mine.id.as_str(), "agt_sam").await;
    assert_eq!(count(&d.store, "sync_notices").await, notices + 1);
}

/// Issue 16: on a desk signed in to a platform, the tenant's policy as the feed brought it is
/// the rule, the same one the platform applies: the agent's cap from it (not this profile's
/// setting), and above the two-person threshold a first approval that leaves it pending.
#[tokio::test]
async fn a_signed_in_desk_decides_by_the_tenant_s_synced_policy() {
    let d = desk().await;
    for (key, value) in [
        ("sync.url", "http://127.0.0.1:9".to_owned()),
        (settings::AGENT_REFUND_CAP, "100.00".to_owned()),
    ] {
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?)")
            .bind(key)
            .bind(value)
            .execute(d.store.pool())
            .await
            .unwrap();
    }
    sqlx::query("INSERT INTO policies (id, body, version) VALUES ('escalations', ?, 3)")
        .bind(
            serde_json::json!({"caps": {"agent": {"refund": {"EUR": "10.00"}}},
                               "two_person_above": {"EUR": "30.00"}})
            .to_string(),
        )
        .execute(d.store.pool())
        .await
        .unwrap();
    let within = escalations::raise(&d.store, Proposer::Person(&agent()), &refund("10.00"))
        .await
        .unwrap();
    let above = escalations::raise(&d.store, Proposer::Person(&agent()), &refund("20.00"))
        .await
        .unwrap();
    escalations::decide(&d.store, &agent(), &within.id, Decision::Approve, None)
        .await
        .expect("within the tenant's cap");
    let err = escalations::decide(&d.store, &agent(), &above.id, Decision::Approve, None)
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::Forbidden,
        "the profile's own 100.00 cap does not count on a signed-in desk: {err}"
    );

    let big = escalations::raise(&d.store, Proposer::Person(&agent()), &refund("40.00"))
        .await
        .unwrap();
    let first = escalations::decide(&d.store, &supervisor(), &big.id, Decision::Approve, None)
        .await
        .unwrap();
    assert_eq!(first.status, EscalationStatus::Pending);
    assert_eq!(first.first_approved_by.as_deref(), Some("Sam Supervisor"));
    let again = escalations::decide(&d.store, &supervisor(), &big.id, Decision::Approve, None)
        .await
        .unwrap_err();
    assert_eq!(again.code(), ErrorCode::Forbidden, "{again}");
    let other = countersign_model::workflow::Person {
        id: "agt_sue".into(),
        name: "Sue Second".into(),
        role: countersign_model::workflow::Role::Supervisor,
    };
    let second = escalations::decide(&d.store, &other, &big.id, Decision::Approve, None)
        .await
        .unwrap();
    assert_eq!(second.status, EscalationStatus::Approved);
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM outbox WHERE kind = 'decide_escalation'")
            .fetch_all(d.store.pool())
            .await
            .unwrap();
    assert_eq!(
        kinds.len(),
        3,
        "each approval goes to the platform, which applies the same rule"
    );
}

/// Found by review: the desk told "raised by me" by display name, the platform by agent id, so
/// a supervisor could not approve a namesake's escalation on the desk that the platform would
/// take, and an escalation their own assistant raised passed on the desk and was refused by the
/// platform. Both now go by id: an assistant raises for the desk's person.
#[tokio::test]
async fn raised_by_me_is_told_by_agent_id_as_the_platform_tells_it() {
    let d = desk().await;
    for (key, value) in [
        (settings::PERSON_NAME, "Sam Supervisor"),
        (settings::PERSON_ROLE, "supervisor"),
    ] {
        sqlx::query("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)")
            .bind(key)
            .bind(value)
            .execute(d.store.pool())
            .await
            .unwrap();
    }
    let me = settings::person(d.store.pool()).await.unwrap();
    let call = assistant(TokenScope::Draft, "raise_escalation");
    let by_my_assistant = escalations::raise(&d.store, Proposer::Assistant(&call), &refund("10"))
        .await
        .unwrap();
    assert_eq!(
        by_my_assistant.raised_by_id.as_deref(),
        Some(me.id.as_str())
    );
    let err = escalations::decide(&d.store, &me, &by_my_assistant.id, Decision::Approve, None)
        .await
        .expect_err("raised for me");
    assert!(
        matches!(
            err,
            countersign_core::Error::Refused(countersign_model::Problem::ApproveOwn { .. })
        ),
        "{err}"
    );
    let namesake = countersign_model::workflow::Person {
        id: "agt_other_sam".into(),
        name: me.name.clone(),
        role: countersign_model::workflow::Role::Agent,
    };
    let by_namesake = escalations::raise(&d.store, Proposer::Person(&namesake), &refund("10"))
        .await
        .unwrap();
    let approved = escalations::decide(&d.store, &me, &by_namesake.id, Decision::Approve, None)
        .await
        .expect("a colleague's, though of the same name");
    assert_eq!(approved.status, EscalationStatus::Approved);
}
