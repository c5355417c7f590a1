//! Issue 15: who else is on a ticket now. A desk says where its person is; every event stream of
//! the tenant (and only of the tenant) gets the list at once; it follows reading → replying →
//! gone, and a presence the desk stopped repeating lapses.

use crate::events::Events;
use crate::support::*;
use serde_json::{Value, json};
use std::time::Duration;

const SOON: Duration = Duration::from_secs(3);

async fn present(app: &TestApp, token: &str, ticket: Value, replying: bool) -> Reply {
    app.post(
        "/v1/presence",
        token,
        json!({"ticket_id": ticket, "replying": replying}),
    )
    .await
}

/// (agent name, ticket, replying) of each entry.
fn who(event: &Value) -> Vec<(String, String, bool)> {
    event["present"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            (
                p["agent_name"].as_str().unwrap().to_owned(),
                p["ticket_id"].as_str().unwrap().to_owned(),
                p["replying"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn colleagues_see_who_is_on_a_ticket_at_once_and_only_in_their_tenant() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let other = app.tenant("globex").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    let (theirs, _) = app.ticket(&other.ingest, "bob@example.com").await;

    let mut sue = Events::open(&app, &t.supervisor).await;
    let first = sue.next_presence(SOON).await.expect("the list comes first");
    assert_eq!(who(&first), [], "nobody yet");
    let mut outsider = Events::open(&app, &other.agent).await;
    outsider.next_presence(SOON).await.expect("their own list");

    let r = present(&app, &t.agent, json!(ticket), false).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(who(&r.body), [("acme agent".into(), ticket.clone(), false)]);
    let seen = sue.next_presence(SOON).await.expect("a presence event");
    assert_eq!(who(&seen), [("acme agent".into(), ticket.clone(), false)]);
    assert!(seen["present"][0]["until"].as_str().is_some());

    present(&app, &t.agent, json!(ticket), true).await;
    let seen = sue.next_presence(SOON).await.expect("replying now");
    assert_eq!(who(&seen), [("acme agent".into(), ticket.clone(), true)]);

    assert!(
        outsider
            .next_presence(Duration::from_secs(1))
            .await
            .is_none(),
        "another tenant's streams hear nothing of it"
    );

    present(&app, &t.agent, Value::Null, false).await;
    let seen = sue.next_presence(SOON).await.expect("gone");
    assert_eq!(who(&seen), []);

    for (ticket, why) in [
        (json!("tkt_nothing"), "unknown"),
        (json!(theirs), "another tenant's"),
    ] {
        let r = present(&app, &t.agent, ticket, false).await;
        assert_eq!(
            (r.status, r.code()),
            (404, "not_found"),
            "{why}: {}",
            r.body
        );
    }
}

#[tokio::test]
async fn a_presence_not_repeated_lapses() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    present(&app, &t.agent, json!(ticket), false).await;
    sqlx::query("UPDATE presence SET expires_at = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    let r = present(&app, &t.supervisor, json!(ticket), true).await;
    assert_eq!(
        who(&r.body),
        [("acme sup1".into(), ticket.clone(), true)],
        "the agent's lapsed presence is gone: {}",
        r.body
    );
}
