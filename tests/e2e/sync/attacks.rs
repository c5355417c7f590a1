//! Holes found by attack, on real desks against the real platform (issue "Holes found by
//! attack", items 1 to 5).

use super::*;

/// Item 2: `countersign decide esc_… approve` without `--note` reaches the platform and applies;
/// before, the desk queued `"note": null`, the platform refused it, and the escalation stayed
/// approved on one desk and pending everywhere else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisors_approval_without_a_note_reaches_everyone() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let (platform, tenant, ticket) = double_charge().await;
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.login("sue", &platform.url, &tenant.supervisor);
    desks.ok("sam", &["sync", "now"]);
    let escalation = desks
        .raise_refund(
            "sam",
            &ticket,
            "Charged twice for INV-2026-0002; refund one",
        )
        .await;
    desks.ok("sam", &["sync", "now"]);
    desks.ok("sue", &["sync", "now"]);
    desks.ok("sue", &["decide", &escalation, "approve"]);
    desks.ok("sue", &["sync", "now"]);

    let s = status(&desks, "sue");
    assert_eq!(
        (s["outbox_depth"].as_i64(), s["unread_notices"].as_i64()),
        (Some(0), Some(0)),
        "delivered, and nothing refused: {s}"
    );
    let feed = platform.feed(&tenant.agent).await.unwrap();
    let last = feed
        .iter()
        .rev()
        .find(|c| c["entity"] == "escalation" && c["id"] == escalation.as_str())
        .expect("the escalation is in the feed");
    assert_eq!(
        last["data"]["status"], "approved",
        "the platform holds the approval: {last}"
    );
    desks.ok("sam", &["sync", "now"]);
    let sam = desks.pool("sam").await;
    assert_eq!(
        scalar(
            &sam,
            "SELECT status FROM escalations WHERE id = ?",
            &escalation
        )
        .await
        .as_deref(),
        Some("approved"),
        "the agent's desk sees it approved"
    );
}

/// Item 4: a desk's own token cannot write billing data or speak as a customer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_token_cannot_ingest() {
    let (platform, tenant, _) = double_charge().await;
    for token in [&tenant.agent, &tenant.supervisor] {
        let refused = platform
            .customer_writes(token, "Please refund me twice.")
            .await
            .expect_err("a desk token posted as a customer");
        assert!(refused.to_string().contains("403"), "{refused}");
    }
    let feed = platform.feed(&tenant.agent).await.unwrap();
    let messages = feed.iter().filter(|c| c["entity"] == "message").count();
    assert_eq!(messages, 1, "only the integration's message is there");
}

/// Item 1: back up a desk, decide X and sync it, restore the backup, decide Y and sync: Y must
/// reach the platform (before, it came back "duplicate" with X's outcome and was shown as sent),
/// X must not be applied twice, and the person is told.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_restored_from_a_backup_loses_no_decision() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let (platform, tenant, ticket) = double_charge().await;
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.ok("sam", &["sync", "now"]);

    let backup = desks.dir.path().join("sam-backup.sqlite3");
    let pool = desks.pool("sam").await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "VACUUM INTO '{}'",
        backup.display()
    )))
    .execute(&pool)
    .await
    .expect("back the desk up");
    pool.close().await;

    let note = |body: &'static str| {
        desks.assistant(
            "sam",
            "add_internal_note",
            json!({"ticket_id": ticket, "body": body}),
        )
    };
    note("X: the ledger shows two captures").await;
    desks.ok("sam", &["sync", "now"]);

    let desk = desks.desk("sam");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", desk.display()));
    }
    std::fs::copy(&backup, &desk).expect("restore the backup");
    note("Y: refund the second capture").await;
    let out = desks.ok("sam", &["sync", "now"]);
    assert!(out.contains("restored"), "`sync now` says so: {out}");

    let feed = platform.feed(&tenant.agent).await.unwrap();
    let bodies: Vec<&str> = feed
        .iter()
        .filter(|c| c["entity"] == "message" && c["data"]["visibility"] == "internal")
        .filter_map(|c| c["data"]["body"].as_str())
        .collect();
    assert_eq!(
        bodies,
        [
            "X: the ledger shows two captures",
            "Y: refund the second capture"
        ],
        "both decisions reached the platform, each once"
    );
    let s = status(&desks, "sam");
    assert_eq!(s["outbox_depth"], 0, "nothing waits: {s}");
    let notices = desks.ok("sam", &["sync", "notices"]);
    assert!(
        notices.contains("sequence_reused") && notices.contains("restored"),
        "the person is told the desk was restored: {notices}"
    );
    // Once moved, the desk stays on its new identity: the next decision goes through at once.
    note("Z: refund issued").await;
    desks.ok("sam", &["sync", "now"]);
    assert_eq!(
        status(&desks, "sam")["unread_notices"],
        0,
        "no new notice once the desk has moved"
    );
    verify_audit(&desks, "sam");
}

/// Item 3: a decision the platform refuses is put back to what the platform holds, the person is
/// told why, and can act again. Sue is demoted on the platform after her desk last synced (her
/// desk still lets her approve); an invoice is gone from the platform when Sam's desk raises a
/// refund of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_decision_is_undone_on_the_desk_and_can_be_taken_again() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let (platform, tenant, ticket) = double_charge().await;
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.login("sue", &platform.url, &tenant.supervisor);
    desks.ok("sam", &["sync", "now"]);
    let first = desks
        .raise_refund(
            "sam",
            &ticket,
            "Charged twice for INV-2026-0002; refund one",
        )
        .await;
    desks.ok("sam", &["sync", "now"]);
    desks.ok("sue", &["sync", "now"]);

    // Refused decision: back to pending, with the reason, and decidable again.
    platform
        .sql("UPDATE agents SET role = 'agent' WHERE email = 'sue@acme.test'")
        .unwrap();
    desks.ok("sue", &["decide", &first, "approve", "--note", "confirmed"]);
    let out = desks.ok("sue", &["sync", "now"]);
    assert!(out.contains("1 refused"), "{out}");
    let sue = desks.pool("sue").await;
    assert_eq!(
        scalar(&sue, "SELECT status FROM escalations WHERE id = ?", &first)
            .await
            .as_deref(),
        Some("pending"),
        "the refused approval is undone: the platform holds it pending"
    );
    let notices = desks.ok("sue", &["sync", "notices"]);
    assert!(
        notices.contains("forbidden") && notices.contains("pending again"),
        "Sue is told why: {notices}"
    );
    platform
        .sql("UPDATE agents SET role = 'supervisor' WHERE email = 'sue@acme.test'")
        .unwrap();
    desks.ok("sue", &["decide", &first, "approve", "--note", "confirmed"]);
    let out = desks.ok("sue", &["sync", "now"]);
    assert!(out.contains("1 applied"), "{out}");

    // Refused proposal: the desk does not keep an escalation the platform does not have.
    platform
        .sql("DELETE FROM invoices WHERE id = 'inv_feb'")
        .unwrap();
    let second = desks
        .raise_refund("sam", &ticket, "Refund the second capture as well")
        .await;
    let out = desks.ok("sam", &["sync", "now"]);
    assert!(out.contains("1 refused"), "{out}");
    let sam = desks.pool("sam").await;
    assert_eq!(
        scalar(&sam, "SELECT status FROM escalations WHERE id = ?", &second).await,
        None,
        "the refused escalation is not shown as raised"
    );
    let notices = desks.ok("sam", &["sync", "notices"]);
    assert!(
        notices.contains("not_found") && notices.contains("Refund the second capture"),
        "Sam is told what was not raised and why: {notices}"
    );
    verify_audit(&desks, "sam");
    verify_audit(&desks, "sue");
}

/// Item 5: on a signed-in desk the role and the refund cap are the platform's: `settings set`
/// cannot raise them (before, an agent made himself supervisor and approved locally what the
/// platform refused later), and every settings change is in the audit log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_desk_cannot_give_itself_a_role_or_a_cap() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let (platform, tenant, ticket) = double_charge().await;
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.ok("sam", &["sync", "now"]);
    // A cap the platform knows nothing of, as a desk set up offline before signing in holds.
    let writable = SqlitePool::connect(&format!("sqlite:{}", desks.desk("sam").display()))
        .await
        .unwrap();
    sqlx::query("INSERT INTO settings (key, value) VALUES ('agent.refund_cap', '1000')")
        .execute(&writable)
        .await
        .unwrap();
    writable.close().await;
    for (key, value) in [
        ("person.role", "supervisor"),
        ("agent.refund_cap", "1000"),
        ("person.name", "Sue Supervisor"),
    ] {
        let out = desks.run("sam", &["settings", "set", key, value]);
        assert_eq!(
            out.status.code(),
            Some(4),
            "{key} is the platform's: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let escalation = desks
        .raise_refund("sam", &ticket, "Charged twice; refund one")
        .await;
    let out = desks.run(
        "sam",
        &["decide", &escalation, "approve", "--note", "within my cap"],
    );
    assert_eq!(
        out.status.code(),
        Some(4),
        "the offline cap does not apply on a signed-in desk: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    desks.ok(
        "sam",
        &["settings", "set", "notifications.enabled", "false"],
    );
    let audit = desks.ok(
        "sam",
        &["audit", "tail", "-n", "50", "--filter", "change_setting"],
    );
    assert!(
        audit.contains("notifications.enabled"),
        "settings changes are audited: {audit}"
    );
    verify_audit(&desks, "sam");
}
