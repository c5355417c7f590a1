//! An escalation raised while the platform is down reaches the supervisor once it is back; the
//! decision comes back to the agent.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_escalation_raised_offline_reaches_the_supervisor_and_the_decision_comes_back() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let mut platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let (agent, supervisor) = (tenant.agent.clone(), tenant.supervisor.clone());
    let ticket = platform.ingest_double_charge(&tenant.ingest).await.unwrap();
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &agent);
    desks.login("sue", &platform.url, &supervisor);
    desks.ok("sam", &["sync", "now"]);
    desks.ok("sue", &["sync", "now"]);
    assert_eq!(
        status(&desks, "sam")["me"]["agent"]["role"],
        "agent",
        "a connected desk takes its role from the platform"
    );

    // The platform goes down; the agent's assistant raises a refund anyway.
    platform.kill();
    let escalation = desks
        .raise_refund(
            "sam",
            &ticket,
            "Charged twice for INV-2026-0002 (pay_feb_1 and pay_feb_2); refund one",
        )
        .await;
    let offline = desks.run("sam", &["sync", "now"]);
    assert!(
        !offline.status.success()
            && String::from_utf8_lossy(&offline.stderr).contains("unavailable"),
        "sync while the platform is down fails clearly: {}",
        String::from_utf8_lossy(&offline.stderr)
    );
    let s = status(&desks, "sam");
    assert_eq!(s["online"], false, "{s}");
    assert_eq!(
        s["outbox_depth"], 1,
        "the escalation waits in the outbox: {s}"
    );

    // The platform comes back; the supervisor's desk is watching.
    platform.up().unwrap();
    let mut watch = desks.command("sue");
    let mut watch = watch
        .args(["sync", "watch"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let sue = desks.pool("sue").await;
    wait_until(
        "the supervisor's desk listens to the platform's events",
        Duration::from_secs(20),
        || async {
            scalar(
                &sue,
                "SELECT value FROM settings WHERE key = ?",
                "sync.live_since",
            )
            .await
            .is_some()
        },
    )
    .await;

    let pushed_at = Instant::now();
    desks.ok("sam", &["sync", "now"]);
    let seen = wait_until(
        "the escalation reaches the supervisor",
        Duration::from_secs(10),
        || async {
            scalar(
                &sue,
                "SELECT status FROM escalations WHERE id = ?",
                &escalation,
            )
            .await
            .is_some()
        },
    )
    .await;
    let latency = pushed_at.elapsed();
    eprintln!(
        "escalation on the supervisor's desk {latency:?} after the agent's sync started ({seen:?} after it returned)"
    );
    assert!(
        latency < Duration::from_secs(1),
        "the supervisor's desk must see the escalation within 1 s of the push, took {latency:?}"
    );

    // The agent may not decide it; the supervisor approves; the agent's desk shows it.
    let refused = desks.run("sam", &["decide", &escalation, "approve", "--note", "ok"]);
    assert_eq!(
        refused.status.code(),
        Some(4),
        "an agent's approval is forbidden"
    );
    desks.ok(
        "sue",
        &[
            "decide",
            &escalation,
            "approve",
            "--note",
            "Duplicate charge confirmed: pay_feb_2",
        ],
    );
    let sam = desks.pool("sam").await;
    wait_until(
        "the decision reaches the agent",
        Duration::from_secs(10),
        || async {
            desks.ok("sam", &["sync", "now"]);
            scalar(
                &sam,
                "SELECT status FROM escalations WHERE id = ?",
                &escalation,
            )
            .await
            .as_deref()
                == Some("approved")
        },
    )
    .await;
    assert_eq!(
        scalar(
            &sam,
            "SELECT decided_by FROM escalations WHERE id = ?",
            &escalation
        )
        .await
        .as_deref(),
        Some("Sue Supervisor")
    );
    let _ = Command::new("kill").arg(watch.id().to_string()).status();
    let _ = watch.wait();
    assert_eq!(status(&desks, "sue")["outbox_depth"], 0);
    verify_audit(&desks, "sam");
    verify_audit(&desks, "sue");
}
