//! Issue 15: a tenant's SLA policy on the platform. Every ticket's due time follows it (first
//! response, then resolution, standing still while pending), whatever changed the ticket, and
//! reaches the desks through the feed without making anyone's draft stale.

use crate::support::{ADMIN_TOKEN, Tenant, TestApp, outcome, spawn_app};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

#[derive(Debug, sqlx::FromRow)]
struct Sla {
    created_at: DateTime<Utc>,
    sla_due_at: Option<DateTime<Utc>>,
    sla_paused_at: Option<DateTime<Utc>>,
    sla_paused_secs: i64,
    version: i64,
}

async fn sla(app: &TestApp, ticket: &str) -> Sla {
    sqlx::query_as(
        "SELECT created_at, sla_due_at, sla_paused_at, sla_paused_secs, version
         FROM tickets WHERE id = $1",
    )
    .bind(ticket)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn set_policy(app: &TestApp, t: &Tenant, policy: Value) -> Value {
    let r = app
        .send(
            "PUT",
            &format!("/v1/admin/tenants/{}/sla-policy", t.id),
            Some(ADMIN_TOKEN),
            Some(policy),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// The last row the feed gave desks for `ticket`.
async fn fed_ticket(app: &TestApp, t: &Tenant, ticket: &str) -> Value {
    app.all_changes(&t.agent)
        .await
        .into_iter()
        .rfind(|c| c["entity"] == "ticket" && c["id"] == ticket)
        .expect("the ticket is fed")
}

fn minutes(m: i64) -> Duration {
    Duration::minutes(m)
}

#[tokio::test]
async fn every_change_of_a_ticket_brings_its_due_time_along_and_desks_get_it() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    let before = sla(&app, &ticket).await;
    assert_eq!(before.sla_due_at, None, "no policy, no due time");

    // The policy reaches the tickets already there, without moving their version.
    let set = set_policy(
        &app,
        &t,
        json!({"targets": {"normal": {"first_response_minutes": 60, "resolution_minutes": 600},
                           "urgent": {"first_response_minutes": 15}}}),
    )
    .await;
    assert_eq!(set["tickets_moved"], 1, "{set}");
    let s = sla(&app, &ticket).await;
    assert_eq!(s.sla_due_at, Some(s.created_at + minutes(60)));
    assert_eq!(
        s.version, before.version,
        "a due time is no decision's basis"
    );
    let fed = fed_ticket(&app, &t, &ticket).await;
    // Desks hold times to the millisecond, as every time of the feed.
    assert_eq!(
        fed["data"]["sla_due_at"].as_str().map(str::to_owned),
        s.sla_due_at
            .map(|d| d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
        "{fed}"
    );

    // The first public reply: the resolution target from then on.
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([{"seq": 1, "id": "mut_1", "kind": "send_reply",
                    "payload": {"ticket_id": ticket, "message_id": "msg_r1", "body": "Looking into it.",
                                "approved_by": "Alex"},
                    "based_on": {format!("ticket:{ticket}"): s.version}}]),
        )
        .await;
    assert_eq!(outcome(&r[0]).0, "applied", "{}", r[0]);
    assert_eq!(
        sla(&app, &ticket).await.sla_due_at,
        Some(s.created_at + minutes(600))
    );

    // Urgent has no resolution target; back to normal has.
    let priority = |seq: i64, p: &str| {
        json!([{"seq": seq, "id": format!("mut_{seq}"), "kind": "set_priority",
                "payload": {"ticket_id": ticket, "priority": p}}])
    };
    app.push(&t.agent, "dev-a", priority(2, "urgent")).await;
    assert_eq!(sla(&app, &ticket).await.sla_due_at, None);
    app.push(&t.agent, "dev-a", priority(3, "normal")).await;
    assert_eq!(
        sla(&app, &ticket).await.sla_due_at,
        Some(s.created_at + minutes(600))
    );

    // Waiting on the customer: the clock stands still, and desks see no due time.
    let r = app
        .push(
            &t.agent,
            "dev-a",
            json!([{"seq": 4, "id": "mut_4", "kind": "set_status",
                    "payload": {"ticket_id": ticket, "status": "pending"}}]),
        )
        .await;
    assert_eq!(outcome(&r[0]).0, "applied", "{}", r[0]);
    let pending = sla(&app, &ticket).await;
    assert_eq!(pending.sla_due_at, None);
    assert!(pending.sla_paused_at.is_some());
    assert_eq!(
        fed_ticket(&app, &t, &ticket).await["data"]["sla_due_at"],
        Value::Null
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    // The customer answers: it runs again, the time it stood still added.
    app.customer_writes(
        &t.ingest,
        "anna@example.com",
        Some(&ticket),
        "Here is the receipt.",
    )
    .await;
    let again = sla(&app, &ticket).await;
    assert_eq!(again.sla_paused_at, None);
    assert!(again.sla_paused_secs >= 1, "{again:?}");
    assert_eq!(
        again.sla_due_at,
        Some(s.created_at + minutes(600) + Duration::seconds(again.sla_paused_secs))
    );

    // A ticket that arrives under the policy has a due time from its first message.
    let (fresh, _) = app.ticket(&t.ingest, "bob@example.com").await;
    let f = sla(&app, &fresh).await;
    assert_eq!(f.sla_due_at, Some(f.created_at + minutes(60)));
}

#[tokio::test]
async fn business_hours_are_counted_in_the_tenants_time_zone() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    // Written on a Friday at 16:00 in Madrid (15:00 UTC in winter).
    sqlx::query("UPDATE tickets SET created_at = '2026-01-09T15:00:00Z' WHERE id = $1")
        .bind(&ticket)
        .execute(&app.pool)
        .await
        .unwrap();
    set_policy(
        &app,
        &t,
        json!({"business_hours": {"time_zone": "Europe/Madrid", "days": ["mon", "tue", "wed", "thu", "fri"],
                                  "opens": "09:00", "closes": "17:00"},
               "targets": {"normal": {"first_response_minutes": 120}}}),
    )
    .await;
    // One hour on Friday, the second on Monday from 09:00 Madrid.
    assert_eq!(
        sla(&app, &ticket).await.sla_due_at,
        Some("2026-01-12T09:00:00Z".parse().unwrap())
    );
    // Taking the policy's targets away takes the due times away.
    let set = set_policy(&app, &t, json!({"targets": {}})).await;
    assert_eq!(set["tickets_moved"], 1);
    assert_eq!(sla(&app, &ticket).await.sla_due_at, None);
}

#[tokio::test]
async fn a_wrong_policy_is_refused_with_what_is_wrong_and_only_an_operator_sets_one() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let path = format!("/v1/admin/tenants/{}/sla-policy", t.id);
    for (policy, says) in [
        (
            json!({"business_hours": {"time_zone": "Europe/Atlantis", "days": ["mon"], "opens": "09:00", "closes": "17:00"},
                   "targets": {}}),
            "\"Europe/Atlantis\" is no IANA time zone",
        ),
        (
            json!({"targets": {"normal": {"resolution_minutes": 0}}}),
            "at least 1 minute",
        ),
        (json!({"targets": {"soon": {}}}), "\"soon\" is no priority"),
        (json!({"targets": {}, "holidays": []}), "unknown field"),
    ] {
        let r = app
            .send("PUT", &path, Some(ADMIN_TOKEN), Some(policy.clone()))
            .await;
        assert_eq!(r.status, 400, "{policy}: {}", r.body);
        assert_eq!(r.code(), "invalid_argument");
        let message = r.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{policy}: {message}");
    }
    let ok = json!({"targets": {"high": {"first_response_minutes": 30}}});
    let r = app
        .send("PUT", &path, Some(&t.agent), Some(ok.clone()))
        .await;
    assert!(matches!(r.status, 401 | 403), "an agent: {}", r.body);
    let r = app
        .send(
            "PUT",
            "/v1/admin/tenants/ten_nobody/sla-policy",
            Some(ADMIN_TOKEN),
            Some(ok),
        )
        .await;
    assert_eq!((r.status, r.code()), (404, "not_found"), "{}", r.body);
}
