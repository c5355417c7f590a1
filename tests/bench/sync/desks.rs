//! Two real desks — `countersign` processes (release build) whose platform tokens live in GNOME
//! Keyring on a private D-Bus session: the initial sync of the whole tenant with `countersign
//! sync now`, then approve-on-desk-A to visible-on-desk-B with both desks running `countersign
//! sync watch`, as the desktop app keeps a desk in sync.

use anyhow::{Context, Result, bail};
use countersign_core::Store;
use countersign_core::workflow::AssistantCall;
use countersign_core::workflow::drafts::{self, NewDraft};
use countersign_e2e::platform::{KeyringSession, desk_command, desk_path, sync_login};
use countersign_model::TicketId;
use countersign_model::workflow::TokenScope;
use sqlx::SqlitePool;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Desks {
    dir: tempfile::TempDir,
    keyring: KeyringSession,
    watchers: Vec<Child>,
}

/// What `countersign sync now` on an empty desk did.
pub struct InitialSync {
    pub time: Duration,
    pub changes: i64,
    /// Customers, invoices and tickets now on the desk (the "rows").
    pub records: i64,
    pub line_items: i64,
    pub messages: i64,
}

impl Desks {
    pub fn new() -> Result<Self> {
        Ok(Self {
            dir: tempfile::tempdir()?,
            keyring: KeyringSession::start()?,
            watchers: vec![],
        })
    }

    fn command(&self, profile: &str) -> Command {
        desk_command(self.dir.path(), profile, &self.keyring)
    }

    pub fn desk(&self, profile: &str) -> PathBuf {
        desk_path(self.dir.path(), profile)
    }

    pub fn login(&self, profile: &str, url: &str, token: &str) -> Result<()> {
        sync_login(self.command(profile), url, token).with_context(|| profile.to_owned())
    }

    /// `countersign sync now` on the (empty) desk, timed from spawn to exit.
    pub async fn initial_sync(&self, profile: &str) -> Result<InitialSync> {
        let started = Instant::now();
        let o = self.command(profile).args(["sync", "now"]).output()?;
        let time = started.elapsed();
        if !o.status.success() {
            bail!("sync now {profile}: {}", String::from_utf8_lossy(&o.stderr));
        }
        let pool = read_only(&self.desk(profile)).await?;
        let count = |sql: &'static str| {
            let pool = pool.clone();
            async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await }
        };
        let cursor: String =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'sync.cursor'")
                .fetch_one(&pool)
                .await?;
        let s = InitialSync {
            time,
            changes: cursor.parse()?,
            records: count(
                "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM invoices) \
                 + (SELECT count(*) FROM tickets)",
            )
            .await?,
            line_items: count("SELECT count(*) FROM invoice_line_items").await?,
            messages: count("SELECT count(*) FROM messages").await?,
        };
        pool.close().await;
        Ok(s)
    }

    /// Starts `countersign sync watch` on a desk and waits until its event stream is open.
    pub async fn watch(&mut self, profile: &str) -> Result<()> {
        let child = self
            .command(profile)
            .args(["sync", "watch"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        self.watchers.push(child);
        let pool = read_only(&self.desk(profile)).await?;
        let started = Instant::now();
        loop {
            let live: Option<String> =
                sqlx::query_scalar("SELECT value FROM settings WHERE key = 'sync.live_since'")
                    .fetch_optional(&pool)
                    .await?;
            if live.is_some() {
                return Ok(());
            }
            if started.elapsed() > Duration::from_secs(30) {
                bail!("`sync watch` on {profile} did not open the event stream within 30 s");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Desks {
    fn drop(&mut self) {
        for c in &mut self.watchers {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

async fn read_only(path: &std::path::Path) -> Result<SqlitePool> {
    Ok(SqlitePool::connect(&format!("sqlite:{}?mode=ro", path.display())).await?)
}

/// Approves `n` drafts on `from` (one per ticket, each proposed by an assistant first) while
/// both desks run `sync watch`, and times each from the approval until its reply is on `to`.
/// The approval runs in this process through the core, as the desktop app's command does; the
/// two watchers are separate processes.
pub async fn approve_to_visible(
    desks: &Desks,
    from: &str,
    to: &str,
    tickets: &[String],
    n: usize,
) -> Result<Vec<Duration>> {
    let store = Store::open(&desks.desk(from)).await?;
    let person = countersign_core::settings::person(store.pool()).await?;
    let theirs = read_only(&desks.desk(to)).await?;
    let mut drafts_ = Vec::with_capacity(n);
    for ticket in tickets.iter().take(n) {
        let call = AssistantCall {
            client: "sync bench".into(),
            model: None,
            token_id: None,
            scope: TokenScope::Draft,
            tool: "draft_reply".into(),
            arguments: serde_json::json!({}),
            started: Instant::now(),
        };
        let input = NewDraft {
            ticket_id: TicketId::parse(ticket)?,
            body: "Thank you for writing. We checked the invoice and everything is in order."
                .into(),
            confidence: 0.9,
            citations: vec![],
        };
        drafts_.push(drafts::propose(&store, &call, &input).await?);
    }
    let mut rng = crate::load::Rng::new(11);
    let mut samples = Vec::with_capacity(n);
    for d in &drafts_ {
        // Approvals fall at random moments, not in step with any polling.
        tokio::time::sleep(Duration::from_millis(20 + rng.below(180))).await;
        let started = Instant::now();
        drafts::approve(&store, &person, &d.id, None).await?;
        let message: String = sqlx::query_scalar(
            "SELECT id FROM messages WHERE ticket_id = ? AND author_kind = 'agent' \
             ORDER BY rowid DESC LIMIT 1",
        )
        .bind(d.ticket_id.as_str())
        .fetch_one(store.pool())
        .await?;
        loop {
            let seen: Option<i64> = sqlx::query_scalar("SELECT 1 FROM messages WHERE id = ?")
                .bind(&message)
                .fetch_optional(&theirs)
                .await?;
            if seen.is_some() {
                samples.push(started.elapsed());
                break;
            }
            if started.elapsed() > Duration::from_secs(30) {
                bail!("the reply {message} approved on {from} never reached {to}");
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    store.close().await;
    Ok(samples)
}
