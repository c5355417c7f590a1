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

/// Review, issue 15: one desk token announcing itself in a loop made the platform send the
/// tenant's list to every stream of the tenant once per announcement. Announcements are now
/// limited per agent (a burst, then one a second; 429 `rate_limited` beyond), so a stream gets
/// no more lists than the limit lets through, another agent is not held back, and a feed poke
/// still comes.
#[tokio::test]
async fn a_desk_announcing_itself_in_a_loop_floods_nobody() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (a, _) = app.ticket(&t.ingest, "anna@example.com").await;
    let (b, _) = app.ticket(&t.ingest, "bob@example.com").await;
    let mut sue = Events::open(&app, &t.supervisor).await;
    sue.next_presence(SOON).await.expect("the list comes first");

    let started = std::time::Instant::now();
    let mut refused = 0;
    for i in 0..60 {
        let r = present(
            &app,
            &t.agent,
            json!(if i % 2 == 0 { &a } else { &b }),
            false,
        )
        .await;
        match r.status {
            200 => {}
            429 => {
                assert_eq!(r.code(), "rate_limited", "{}", r.body);
                refused += 1;
            }
            other => panic!("{other}: {}", r.body),
        }
    }
    let took = started.elapsed().as_secs_f64();
    // 20 at once, then about one a second for the time the loop took.
    let allowed = 20 + took.ceil() as i64 + 1;
    assert!(
        60 - refused <= allowed,
        "{} announcements taken in {took:.1} s",
        60 - refused
    );
    assert!(refused >= 60 - allowed, "{refused} refused");
    // Another agent of the tenant is not held back by it.
    let r = present(&app, &t.supervisor2, json!(a), false).await;
    assert_eq!(r.status, 200, "{}", r.body);

    // A feed poke is not stuck behind the announcements.
    app.customer_writes(&t.ingest, "anna@example.com", Some(&a), "Any news?")
        .await;
    let mut lists = 0;
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    let mut poked = false;
    while std::time::Instant::now() < deadline && !poked {
        match sue.next_event(Duration::from_millis(200)).await {
            Some(e) if e.0 == "presence" => lists += 1,
            Some(e) if e.0 == "change" => poked = true,
            _ => {}
        }
    }
    assert!(poked, "the change poke came");
    assert!(
        lists <= 60 - refused + 1,
        "{lists} presence lists for {} announcements taken",
        60 - refused
    );
}
