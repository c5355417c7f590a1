//! Issue 16, one set of rules: the tenant's escalation policy decides every approval at the
//! platform (caps per role, the two-person rule, approving one's own), and desks receive it.

use crate::support::{ADMIN_TOKEN, Tenant, TestApp, spawn_app};
use serde_json::{Value, json};

/// A tenant whose Anna has invoice inv_1 (49.00 EUR paid), a ticket of hers, and `policy`.
async fn tenant(policy: Option<Value>) -> (TestApp, Tenant, String) {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let ticket = app.paid_invoice_and_ticket(&t).await;
    if let Some(p) = policy {
        set_policy(&app, &t, p).await;
    }
    (app, t, ticket)
}

async fn set_policy(app: &TestApp, t: &Tenant, policy: Value) -> Value {
    let r = app
        .send(
            "PUT",
            &format!("/v1/admin/tenants/{}/escalation-policy", t.id),
            Some(ADMIN_TOKEN),
            Some(policy),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// `who` raises a refund of `amount` EUR on inv_1.
async fn raise(app: &TestApp, who: &str, ticket: &str, esc: &str, amount: &str) {
    let r = app
        .push(who, &format!("dev-{esc}"), json!([{"seq": 1, "id": format!("mut_r_{esc}"), "kind": "raise_escalation",
            "payload": {"escalation_id": esc, "ticket_id": ticket, "reason": "double charge", "proposed_action": "refund",
                        "invoice_id": "inv_1", "amount": {"amount": amount, "currency": "EUR"}}}]))
        .await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
}

/// `who` approves; the outcome's status and code.
async fn approve(app: &TestApp, who: &str, esc: &str, n: u32) -> (String, Option<String>, Value) {
    let r = app
        .push(who, &format!("dev-{esc}-{n}"), json!([{"seq": 1, "id": format!("mut_a_{esc}_{n}"), "kind": "decide_escalation",
            "payload": {"escalation_id": esc, "decision": "approve", "note": "", "decided_by": "x"}}]))
        .await;
    (
        r[0]["status"].as_str().unwrap().to_owned(),
        r[0]["code"].as_str().map(str::to_owned),
        r[0].clone(),
    )
}

#[tokio::test]
async fn an_agent_approves_within_the_tenant_s_cap_and_desks_receive_the_policy() {
    let (app, t, ticket) = tenant(Some(
        json!({"caps": {"agent": {"refund": {"EUR": "20.00"}}}}),
    ))
    .await;
    let policy = app
        .all_changes(&t.agent)
        .await
        .into_iter()
        .rfind(|c| c["entity"] == "policy")
        .expect("the policy is on the feed");
    assert_eq!(policy["id"], "escalations");
    let body: Value = serde_json::from_str(policy["data"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["caps"]["agent"]["refund"]["EUR"], "20.00");

    raise(&app, &t.supervisor2, &ticket, "esc_small", "20.00").await;
    raise(&app, &t.supervisor2, &ticket, "esc_big", "20.01").await;
    assert_eq!(approve(&app, &t.agent, "esc_small", 1).await.0, "applied");
    let (status, code, r) = approve(&app, &t.agent, "esc_big", 1).await;
    assert_eq!(
        (status.as_str(), code.as_deref()),
        ("rejected", Some("forbidden")),
        "{r}"
    );
    // Without a policy (the default) an agent approves nothing.
    set_policy(&app, &t, json!({})).await;
    raise(&app, &t.supervisor2, &ticket, "esc_tiny", "1.00").await;
    assert_eq!(
        approve(&app, &t.agent, "esc_tiny", 1).await.1.as_deref(),
        Some("forbidden")
    );
}

#[tokio::test]
async fn above_the_threshold_one_supervisor_twice_is_not_two() {
    let (app, t, ticket) = tenant(Some(json!({"two_person_above": {"EUR": "30.00"}}))).await;
    raise(&app, &t.agent, &ticket, "esc_1", "40.00").await;
    let (status, _, r) = approve(&app, &t.supervisor, "esc_1", 1).await;
    assert_eq!(status, "applied", "{r}");
    assert_eq!(r["effect"]["status"], "pending", "{r}");
    let esc = app
        .all_changes(&t.agent)
        .await
        .into_iter()
        .rfind(|c| c["entity"] == "escalation")
        .unwrap()["data"]
        .clone();
    assert_eq!(esc["status"], "pending");
    assert_eq!(esc["first_approved_by"], "acme sup1", "{esc}");
    let (status, code, r) = approve(&app, &t.supervisor, "esc_1", 2).await;
    assert_eq!(
        (status.as_str(), code.as_deref()),
        ("rejected", Some("forbidden")),
        "{r}"
    );
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .contains("another supervisor gives the second"),
        "{r}"
    );
    let (status, _, r) = approve(&app, &t.supervisor2, "esc_1", 3).await;
    assert_eq!(status, "applied", "{r}");
    assert_eq!(r["effect"]["status"], "approved", "{r}");
    // Below the threshold one approval decides.
    raise(&app, &t.agent, &ticket, "esc_2", "5.00").await;
    assert_eq!(
        approve(&app, &t.supervisor, "esc_2", 1).await.2["effect"]["status"],
        "approved"
    );
}

#[tokio::test]
async fn a_demoted_supervisor_approves_nothing_and_self_approval_is_the_tenant_s_choice() {
    let (app, t, ticket) = tenant(None).await;
    raise(&app, &t.supervisor, &ticket, "esc_own", "10.00").await;
    let (_, code, r) = approve(&app, &t.supervisor, "esc_own", 1).await;
    assert_eq!(
        code.as_deref(),
        Some("forbidden"),
        "by default nobody approves their own refund: {r}"
    );
    set_policy(&app, &t, json!({"self_approval": true})).await;
    let (status, _, r) = approve(&app, &t.supervisor, "esc_own", 2).await;
    assert_eq!(status, "applied", "{r}");

    raise(&app, &t.agent, &ticket, "esc_2", "10.00").await;
    sqlx::query("UPDATE agents SET role = 'agent' WHERE name = 'acme sup2'")
        .execute(&app.pool)
        .await
        .unwrap();
    let (_, code, r) = approve(&app, &t.supervisor2, "esc_2", 1).await;
    assert_eq!(code.as_deref(), Some("forbidden"), "{r}");
}

#[tokio::test]
async fn a_policy_that_does_not_hold_together_is_refused_with_where() {
    let (app, t, _) = tenant(None).await;
    for (bad, needle) in [
        (
            json!({"caps": {"agent": {"void_invoice": {"EUR": "5"}}}}),
            "only money actions",
        ),
        (
            json!({"caps": {"agent": {"refund": {"EUR": "-5"}}}}),
            "positive",
        ),
        (
            json!({"two_person_above": {"EURO": "5"}}),
            "two_person_above",
        ),
        (json!({"caps": {}, "sef_approval": true}), "sef_approval"),
    ] {
        let r = app
            .send(
                "PUT",
                &format!("/v1/admin/tenants/{}/escalation-policy", t.id),
                Some(ADMIN_TOKEN),
                Some(bad.clone()),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_argument"),
            "{bad}: {}",
            r.body
        );
        assert!(
            r.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(needle),
            "{bad}: {}",
            r.body
        );
    }
    let r = app
        .get(
            &format!("/v1/admin/tenants/{}/escalation-policy", t.id),
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(r.status, 404, "still the default: {}", r.body);
}
