//! Two desktops and a real platform (PostgreSQL + the `countersign-platform` process), each desk
//! a real `countersign` process with its token in a real OS keyring (GNOME Keyring on a private
//! D-Bus session). Decisions cross from one desk to the other through the platform, survive the
//! platform being down, and a reply approved against an outdated thread comes back stale.

mod attachments;
mod attacks;
mod billing;
mod email;
mod faults;
mod first_sync;
mod merge;
mod offline;
mod saved_replies;
mod stale;

use countersign_e2e::platform::{
    KeyringSession, Platform, Proxy, ProxyMode, desk_command, desk_path, sync_login,
};
use countersign_e2e::tool;
use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use serde_json::{Value, json};
use sqlx::SqlitePool;
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
        desk_command(self.dir.path(), profile, self.keyring)
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
        sync_login(self.command(profile), url, token).unwrap_or_else(|e| panic!("{profile}: {e}"));
    }

    fn desk(&self, profile: &str) -> std::path::PathBuf {
        desk_path(self.dir.path(), profile)
    }

    async fn pool(&self, profile: &str) -> SqlitePool {
        SqlitePool::connect(&format!("sqlite:{}?mode=ro", self.desk(profile).display()))
            .await
            .unwrap()
    }

    /// The desk's assistant raises a refund of the double charge of INV-2026-0002 (49.00 EUR)
    /// on `ticket`; returns the escalation's id.
    async fn raise_refund(&self, profile: &str, ticket: &str, reason: &str) -> String {
        self.assistant(
            profile,
            "raise_escalation",
            json!({"ticket_id": ticket, "reason": reason, "proposed_action": "refund",
                   "invoice_number": "INV-2026-0002", "amount": "49.00"}),
        )
        .await["id"]
            .as_str()
            .expect("an escalation id")
            .to_owned()
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

/// A platform with a tenant whose customer Anna was charged twice and wrote about it; the
/// ticket's id.
async fn double_charge() -> (Platform, countersign_e2e::platform::Tenant, String) {
    let platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let ticket = platform.ingest_double_charge(&tenant.ingest).await.unwrap();
    (platform, tenant, ticket)
}

fn status(desks: &Desks, profile: &str) -> Value {
    serde_json::from_str(&desks.ok(profile, &["sync", "status", "--json"])).unwrap()
}

fn verify_audit(desks: &Desks, profile: &str) {
    desks.ok(profile, &["audit", "verify"]);
}
