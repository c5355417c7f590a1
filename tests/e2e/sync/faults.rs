//! Lost answers, killed desks and a killed platform: every decision still applies exactly once.

use super::*;

/// Starts `sync now` on `profile` and returns once the platform has answered its push, with the
/// answer held back by the proxy (the desk is still waiting for it).
fn push_with_answer_held(desks: &Desks, proxy: &Proxy, profile: &str) -> std::process::Child {
    proxy.set(ProxyMode::HoldAnswers);
    let before = proxy.answers();
    let pushing = desks
        .command(profile)
        .args(["sync", "now"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    countersign_e2e::platform::wait_for(
        "the platform answers the push",
        Duration::from_secs(20),
        || proxy.answers() > before,
    )
    .unwrap();
    pushing
}

/// The platform's records of `entity` with `id`, as distinct versions in its feed.
fn versions_of(feed: &[Value], entity: &str, id: &str) -> usize {
    let mut v: Vec<i64> = feed
        .iter()
        .filter(|c| c["entity"] == entity && c["id"] == id)
        .map(|c| c["version"].as_i64().unwrap())
        .collect();
    v.dedup();
    v.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_and_killed_processes_still_apply_every_decision_exactly_once() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let mut platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let (agent, supervisor) = (tenant.agent.clone(), tenant.supervisor.clone());
    let ticket = platform.ingest_double_charge(&tenant.ingest).await.unwrap();
    let proxy = Proxy::start(&platform.url).await.unwrap();
    let desks = Desks::new(&keyring);
    desks.login("sam", &proxy.url, &agent);
    desks.ok("sam", &["sync", "now"]);

    // Two decisions queue: a reply the agent approved and an escalation.
    let draft = desks
        .assistant(
            "sam",
            "draft_reply",
            json!({"ticket_id": ticket, "confidence": 0.9, "citations": [{"kind": "invoice", "id": "inv_feb"}],
                   "body": "Hello Anna, we refunded the duplicate 49.00 EUR charge."}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    desks.ok("sam", &["approve", &draft]);
    let escalation = desks
        .raise_refund("sam", &ticket, "Refund the duplicate charge pay_feb_2")
        .await;
    let reply_id = {
        let sam = desks.pool("sam").await;
        sqlx::query_scalar::<_, String>(
            "SELECT id FROM messages WHERE ticket_id = ? AND author_kind = 'agent'",
        )
        .bind(&ticket)
        .fetch_one(&sam)
        .await
        .unwrap()
    };

    // 1. The platform commits the batch, the answer is lost on the way back.
    proxy.set(ProxyMode::DropAnswers);
    let lost = desks.run("sam", &["sync", "now"]);
    assert!(!lost.status.success(), "a lost answer is a failed round");
    assert_eq!(
        status(&desks, "sam")["outbox_depth"],
        2,
        "so both stay queued"
    );
    let feed = platform.feed(&supervisor).await.unwrap();
    assert_eq!(
        versions_of(&feed, "message", &reply_id),
        1,
        "the platform did apply the reply"
    );

    // Redelivered: the platform answers `duplicate`, nothing is applied twice.
    proxy.set(ProxyMode::Pass);
    let out = desks.ok("sam", &["sync", "now"]);
    assert!(out.contains("0 applied, 2 already applied"), "{out}");

    // 2. A desk killed (-9) while the platform's answer is on its way.
    desks
        .assistant(
            "sam",
            "add_internal_note",
            json!({"ticket_id": ticket, "body": "Bank confirmed the duplicate; refund pending approval."}),
        )
        .await;
    let mut pushing = push_with_answer_held(&desks, &proxy, "sam");
    pushing.kill().unwrap();
    pushing.wait().unwrap();
    proxy.set(ProxyMode::Pass);
    assert_eq!(
        status(&desks, "sam")["outbox_depth"],
        1,
        "the killed push left its row queued"
    );
    let out = desks.ok("sam", &["sync", "now"]);
    assert!(out.contains("0 applied, 1 already applied"), "{out}");

    // 3. The platform killed (-9) mid-batch, restarted on the same database.
    for body in [
        "Customer called: confirm the refund by e-mail.",
        "Second note in the same batch.",
    ] {
        desks
            .assistant(
                "sam",
                "add_internal_note",
                json!({"ticket_id": ticket, "body": body}),
            )
            .await;
    }
    let mut pushing = push_with_answer_held(&desks, &proxy, "sam");
    // The platform dies with its answer unsent.
    platform.kill();
    proxy.set(ProxyMode::DropAnswers);
    assert!(
        !pushing.wait().unwrap().success(),
        "the push saw the platform die"
    );
    proxy.set(ProxyMode::Pass);
    assert_eq!(status(&desks, "sam")["outbox_depth"], 2);
    platform.up().unwrap();
    let out = desks.ok("sam", &["sync", "now"]);
    assert!(out.contains("0 applied, 2 already applied"), "{out}");

    // The invariant: every committed decision applied exactly once, none extra, cursors agree.
    let feed = platform.feed(&supervisor).await.unwrap();
    let sam = desks.pool("sam").await;
    let outbox: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, payload FROM outbox ORDER BY seq")
            .fetch_all(&sam)
            .await
            .unwrap();
    assert_eq!(outbox.len(), 5);
    let agent_replies = feed
        .iter()
        .filter(|c| c["entity"] == "message" && c["data"]["author_kind"] == "agent")
        .map(|c| c["id"].as_str().unwrap())
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(
        agent_replies.len(),
        1,
        "exactly one reply reached the customer"
    );
    assert_eq!(
        versions_of(&feed, "escalation", &escalation),
        1,
        "one escalation"
    );
    let notes = feed
        .iter()
        .filter(|c| c["entity"] == "message" && c["data"]["visibility"] == "internal")
        .count();
    assert_eq!(notes, 3, "three internal notes, each once");
    let undelivered: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox WHERE delivered_at IS NULL")
            .fetch_one(&sam)
            .await
            .unwrap();
    assert_eq!(undelivered, 0);
    let last = feed.last().unwrap()["seq"].as_i64().unwrap();
    assert_eq!(
        status(&desks, "sam")["cursor"],
        last,
        "the desk's cursor is the platform's last change"
    );
    verify_audit(&desks, "sam");
}
