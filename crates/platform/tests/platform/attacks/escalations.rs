//! Issue 16 (one set of rules for escalations): attacked over raw HTTP, the platform applied
//! escalations no desk would have queued. Each attack is kept here; each must be refused.

use crate::support::{Tenant, TestApp, billing, outcome, spawn_app};
use serde_json::{Value, json};

/// A tenant whose customer Anna has invoice `inv_1`, 49.00 EUR paid in full, and a ticket.
async fn paid_invoice() -> (TestApp, Tenant, String) {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    ingest_invoice(&app, &t, "0").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    (app, t, ticket)
}

/// Anna's invoice `inv_1` paid in full, with `refunded` of it refunded.
async fn ingest_invoice(app: &TestApp, t: &Tenant, refunded: &str) {
    let mut batch = billing("inv_1", "49.00");
    let inv = &mut batch["invoices"][0];
    inv["payment_status"] = json!(if refunded == "0" {
        "SUCCEEDED"
    } else {
        "REFUNDED"
    });
    inv["amount_paid"] = json!("49.00");
    inv["amount_remaining"] = json!("0");
    inv["refunded_amount"] = json!(refunded);
    inv["updated_at"] = json!(format!(
        "2025-02-0{}T00:00:00Z",
        if refunded == "0" { 3 } else { 4 }
    ));
    let r = app.post("/v1/ingest/billing", &t.ingest, batch).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

fn raise(seq: i64, esc: &str, ticket: &str, extra: Value) -> Value {
    let mut payload = json!({"escalation_id": esc, "ticket_id": ticket, "reason": "double charge",
                             "proposed_action": "refund"});
    for (k, v) in extra.as_object().unwrap() {
        payload[k] = v.clone();
    }
    json!({"seq": seq, "id": format!("mut_{esc}_{seq}"), "kind": "raise_escalation", "payload": payload})
}

fn decide(seq: i64, esc: &str, decision: &str, note: &str, based_on: Value) -> Value {
    json!({"seq": seq, "id": format!("mut_d_{esc}_{seq}"), "kind": "decide_escalation",
           "payload": {"escalation_id": esc, "decision": decision, "note": note, "decided_by": "Sue"},
           "based_on": based_on})
}

fn eur(amount: &str) -> Value {
    json!({"amount": amount, "currency": "EUR"})
}

#[tokio::test]
async fn a_refund_that_does_not_fit_its_invoice_is_refused_when_raised() {
    let (app, t, ticket) = paid_invoice().await;
    // Bella's ticket, to raise on with Anna's invoice.
    let (bellas, _) = app.ticket(&t.ingest, "bella@example.com").await;
    let huge = json!({"amount": "999999999.99", "currency": "USD"});
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([
                raise(
                    1,
                    "esc_1",
                    &bellas,
                    json!({"invoice_id": "inv_1", "amount": huge})
                ),
                raise(
                    2,
                    "esc_2",
                    &ticket,
                    json!({"invoice_id": "inv_1", "amount": huge})
                ),
                raise(
                    3,
                    "esc_3",
                    &ticket,
                    json!({"invoice_id": "inv_1", "amount": eur("49.01")})
                ),
                raise(4, "esc_4", &ticket, json!({})),
                raise(
                    5,
                    "esc_5",
                    &ticket,
                    json!({"invoice_id": "inv_1", "amount": eur("0.00")})
                ),
                raise(
                    6,
                    "esc_6",
                    &ticket,
                    json!({"invoice_id": "inv_1", "amount": eur("49.00")})
                ),
            ]),
        )
        .await;
    for (i, says) in [
        (0, "belongs to another customer"),
        (1, "is in USD"),
        (2, "exceeds what invoice inv_1 allows"),
        (3, "needs `invoice_id`"),
        (4, "must be positive"),
    ] {
        assert_eq!(
            outcome(&r[i]),
            ("rejected".into(), Some("invalid_argument".into())),
            "{}",
            r[i]
        );
        assert!(r[i].to_string().contains(says), "{says}: {}", r[i]);
    }
    assert_eq!(outcome(&r[5]).0, "applied", "a refund that fits: {}", r[5]);
    let held: i64 = sqlx::query_scalar("SELECT count(*) FROM escalations")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(held, 1, "only the refund that fits is held");
}

#[tokio::test]
async fn an_approval_on_an_invoice_that_changed_since_is_stale() {
    let (app, t, ticket) = paid_invoice().await;
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([
                raise(
                    1,
                    "esc_1",
                    &ticket,
                    json!({"invoice_id": "inv_1", "amount": eur("49.00")})
                ),
                raise(
                    2,
                    "esc_2",
                    &ticket,
                    json!({"invoice_id": "inv_1", "amount": eur("20.00")})
                ),
            ]),
        )
        .await;
    assert!(r.iter().all(|r| r["status"] == "applied"), "{r:?}");
    let seen: i64 = sqlx::query_scalar("SELECT version FROM invoices WHERE id = 'inv_1'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // The billing system refunded it in full meanwhile.
    ingest_invoice(&app, &t, "49.00").await;
    let r = app
        .push(
            &t.supervisor,
            "dev-s",
            json!([
                decide(1, "esc_1", "approve", "ok", json!({"invoice:inv_1": seen})),
                decide(2, "esc_2", "approve", "ok", json!({})),
            ]),
        )
        .await;
    assert_eq!(
        outcome(&r[0]),
        ("rejected".into(), Some("stale".into())),
        "approved on the invoice as it was: {}",
        r[0]
    );
    assert_eq!(
        outcome(&r[1]),
        ("rejected".into(), Some("stale".into())),
        "not said what it saw, still measured against the invoice now: {}",
        r[1]
    );
    assert!(r[1].to_string().contains("changed since"), "{}", r[1]);
    let pending: i64 =
        sqlx::query_scalar("SELECT count(*) FROM escalations WHERE status = 'pending'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(pending, 2, "neither was approved");
}

#[tokio::test]
async fn a_supervisor_does_not_approve_their_own_money_escalation_nor_deny_without_a_note() {
    let (app, t, ticket) = paid_invoice().await;
    let r = app
        .push(
            &t.supervisor,
            "dev-s",
            json!([
                raise(
                    1,
                    "esc_1",
                    &ticket,
                    json!({"invoice_id": "inv_1", "amount": eur("10.00")})
                ),
                raise(2, "esc_2", &ticket, json!({"proposed_action": "other"})),
                decide(3, "esc_1", "approve", "mine", json!({})),
                decide(4, "esc_2", "approve", "not money", json!({})),
            ]),
        )
        .await;
    assert_eq!(outcome(&r[0]).0, "applied", "{}", r[0]);
    assert_eq!(
        outcome(&r[2]),
        ("rejected".into(), Some("forbidden".into())),
        "their own refund: {}",
        r[2]
    );
    assert_eq!(outcome(&r[3]).0, "applied", "what moves no money: {}", r[3]);
    let r = app
        .push(
            &t.supervisor2,
            "dev-s2",
            json!([
                decide(1, "esc_1", "deny", "  ", json!({})),
                decide(2, "esc_1", "approve", "checked the ledger", json!({})),
            ]),
        )
        .await;
    assert_eq!(
        outcome(&r[0]),
        ("rejected".into(), Some("invalid_argument".into())),
        "a denial says why: {}",
        r[0]
    );
    assert_eq!(outcome(&r[1]).0, "applied", "another supervisor: {}", r[1]);
}
