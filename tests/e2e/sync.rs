//! Two desktops and a real platform (PostgreSQL + the `countersign-platform` process), each desk
//! a real `countersign` process with its token in a real OS keyring (GNOME Keyring on a private
//! D-Bus session). Decisions cross from one desk to the other through the platform, survive the
//! platform being down, and a reply approved against an outdated thread comes back stale.

use countersign_e2e::platform::{KeyringSession, Platform, Proxy, ProxyMode};
use countersign_e2e::tool;
use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

struct Desks<'k> {
    dir: tempfile::TempDir,
    keyring: &'k KeyringSession,
}

impl<'k> Desks<'k> {
    fn new(keyring: &'k KeyringSession) -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            keyring,
        }
    }

    fn command(&self, profile: &str) -> Command {
        let mut c = Command::new(tool("COUNTERSIGN_BIN"));
        c.arg("--data-dir")
            .arg(self.dir.path())
            .args(["--profile", profile]);
        self.keyring.env(&mut c);
        c
    }

    fn run(&self, profile: &str, args: &[&str]) -> Output {
        self.command(profile).args(args).output().unwrap()
    }

    /// Runs and insists on success, returning stdout.
    fn ok(&self, profile: &str, args: &[&str]) -> String {
        let o = self.run(profile, args);
        assert!(
            o.status.success(),
            "countersign --profile {profile} {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn login(&self, profile: &str, url: &str, token: &str) {
        let mut child = self
            .command(profile)
            .args(["sync", "login", "--url", url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{token}").unwrap();
        let o = child.wait_with_output().unwrap();
        assert!(
            o.status.success(),
            "login {profile}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    fn desk(&self, profile: &str) -> std::path::PathBuf {
        self.dir
            .path()
            .join("profiles")
            .join(profile)
            .join("desk.sqlite3")
    }

    async fn pool(&self, profile: &str) -> SqlitePool {
        SqlitePool::connect(&format!("sqlite:{}?mode=ro", self.desk(profile).display()))
            .await
            .unwrap()
    }

    /// An assistant's MCP session on a desk (`countersign mcp`, stdio), calling one tool.
    async fn assistant(&self, profile: &str, tool_name: &str, args: Value) -> Value {
        let data_dir = self.dir.path().to_owned();
        let profile = profile.to_owned();
        let transport = TokioChildProcess::new(
            tokio::process::Command::new(tool("COUNTERSIGN_BIN")).configure(|c| {
                c.arg("--data-dir")
                    .arg(&data_dir)
                    .args(["--profile", &profile, "mcp"]);
            }),
        )
        .unwrap();
        let client = ().serve(transport).await.unwrap();
        let r = client
            .call_tool(
                CallToolRequestParams::new(tool_name.to_owned())
                    .with_arguments(args.as_object().unwrap().clone()),
            )
            .await
            .unwrap();
        client.cancel().await.unwrap();
        assert_ne!(
            r.is_error,
            Some(true),
            "{tool_name}: {:?}",
            r.structured_content
        );
        r.structured_content.unwrap()
    }
}

async fn wait_until<F, Fut>(what: &str, limit: Duration, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while started.elapsed() < limit {
        if check().await {
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{what}: not within {limit:?}");
}

async fn scalar(pool: &SqlitePool, sql: &'static str, bind: &str) -> Option<String> {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_optional(pool)
        .await
        .unwrap()
}

fn status(desks: &Desks, profile: &str) -> Value {
    serde_json::from_str(&desks.ok(profile, &["sync", "status", "--json"])).unwrap()
}

fn verify_audit(desks: &Desks, profile: &str) {
    desks.ok(profile, &["audit", "verify"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_escalation_raised_offline_reaches_the_supervisor_and_the_decision_comes_back() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let mut platform = Platform::start().expect("a platform");
    let (agent, supervisor) = platform.tenant().await.unwrap();
    let ticket = platform.ingest_double_charge(&agent).await.unwrap();
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
        .assistant(
            "sam",
            "raise_escalation",
            json!({"ticket_id": ticket, "reason": "Charged twice for INV-2026-0002 (pay_feb_1 and pay_feb_2); refund one",
                   "proposed_action": "refund", "invoice_number": "INV-2026-0002", "amount": "49.00"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_approved_before_the_customer_wrote_again_comes_back_stale() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let platform = Platform::start().expect("a platform");
    let (agent, _) = platform.tenant().await.unwrap();
    let ticket = platform.ingest_double_charge(&agent).await.unwrap();
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &agent);
    desks.ok("sam", &["sync", "now"]);

    let draft = desks
        .assistant(
            "sam",
            "draft_reply",
            json!({"ticket_id": ticket, "confidence": 0.8,
                   "body": "Hello Anna, you were charged twice for INV-2026-0002; we are refunding 49.00 EUR.",
                   "citations": [{"kind": "invoice", "id": "inv_feb"}, {"kind": "payment", "id": "pay_feb_2"}]}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Anna writes again before this desk hears of it; the agent approves what they saw.
    platform
        .customer_writes(
            &agent,
            "Actually my bank shows only one charge now, please do NOT refund.",
        )
        .await
        .unwrap();
    desks.ok("sam", &["approve", &draft]);
    let out = desks.ok("sam", &["sync", "now"]);
    assert!(
        out.contains("1 refused"),
        "the platform refuses the stale reply: {out}"
    );

    let sam = desks.pool("sam").await;
    assert_eq!(
        scalar(&sam, "SELECT status FROM drafts WHERE id = ?", &draft)
            .await
            .as_deref(),
        Some("stale"),
        "the draft is back with a person"
    );
    let replies: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM messages WHERE ticket_id = ? AND author_kind = 'agent'",
    )
    .bind(&ticket)
    .fetch_one(&sam)
    .await
    .unwrap();
    assert_eq!(
        replies, 0,
        "a reply the platform refused is not shown as sent"
    );
    let customer: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM messages WHERE ticket_id = ? AND author_kind = 'customer'",
    )
    .bind(&ticket)
    .fetch_one(&sam)
    .await
    .unwrap();
    assert_eq!(
        customer, 2,
        "the new customer message arrived in the same round"
    );
    let notices = desks.ok("sam", &["sync", "notices"]);
    assert!(
        notices.contains("stale") && notices.contains(&draft),
        "the person is told: {notices}"
    );
    let again = desks.run("sam", &["approve", &draft]);
    assert_eq!(
        again.status.code(),
        Some(5),
        "a stale draft cannot be approved without a re-review"
    );
    desks.ok("sam", &["rereview", &draft]);
    desks.ok(
        "sam",
        &[
            "reject",
            &draft,
            "--reason",
            "Customer no longer wants a refund",
        ],
    );
    verify_audit(&desks, "sam");
}

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
    let (agent, supervisor) = platform.tenant().await.unwrap();
    let ticket = platform.ingest_double_charge(&agent).await.unwrap();
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
        .assistant(
            "sam",
            "raise_escalation",
            json!({"ticket_id": ticket, "reason": "Refund the duplicate charge pay_feb_2",
                   "proposed_action": "refund", "invoice_number": "INV-2026-0002", "amount": "49.00"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
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
