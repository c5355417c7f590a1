//! The desk under a window test: assistants' proposals through a separate `countersign mcp`,
//! the desk's database opened beside the app, and tickets placed where a test needs them.

use anyhow::{Context, Result, bail};
use countersign_e2e::{run_with_deadline, tool};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Runs tests/clients/propose.py (the Python MCP SDK over stdio) and returns what it filed.
pub(super) fn propose(data_dir: &Path, args: &[&str]) -> Result<Value> {
    let mut c = Command::new(tool("COUNTERSIGN_PYTHON"));
    c.arg(tool("COUNTERSIGN_CLIENTS").join("propose.py"))
        .args(args)
        .arg("--bin")
        .arg(tool("COUNTERSIGN_BIN"))
        .arg("--data-dir")
        .arg(data_dir);
    let out = run_with_deadline(c, Duration::from_secs(120))?;
    if !out.status.success() {
        bail!(
            "propose.py {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

pub(super) fn field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

pub(super) async fn open_desk(data_dir: &Path) -> countersign_core::Store {
    let path = countersign_core::profile::DataDir::locate(Some(data_dir))
        .and_then(|d| d.desk_path("demo"))
        .expect("desk path");
    countersign_core::Store::open(&path)
        .await
        .expect("open desk")
}

/// A ticket pending on the customer (the agent answered last), so no draft exists and none is made by itself, moved
/// to the top of the inbox: a place where only what the test does can put a draft.
pub(super) async fn quiet_ticket(data_dir: &std::path::Path) -> Result<String> {
    let store = open_desk(data_dir).await;
    let ticket: String = sqlx::query_scalar(
        "SELECT t.id FROM tickets t WHERE t.status = 'pending' \
           AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.ticket_id = t.id) \
           AND (SELECT author_kind FROM messages m WHERE m.ticket_id = t.id AND m.visibility = 'public' \
                ORDER BY m.rowid DESC LIMIT 1) = 'agent' \
           AND EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = t.customer_id) \
         ORDER BY t.id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .context("the demo has a ticket pending on the customer")?;
    to_top(&store, &ticket).await?;
    store.close().await;
    Ok(ticket)
}

/// Moves `ticket` to the top of the inbox (the most recently updated).
pub(super) async fn to_top(store: &countersign_core::Store, ticket: &str) -> Result<()> {
    sqlx::query(
        "UPDATE tickets SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
    )
    .bind(ticket)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Waits until the desk drafted every ticket waiting for a draft: the app's first start drafts
/// them in the background, and a scenario that acts meanwhile acts on a window reloading after
/// every draft filed.
pub(super) async fn first_sweep_done(data_dir: &Path) -> Result<()> {
    let store = open_desk(data_dir).await;
    let started = std::time::Instant::now();
    loop {
        let waiting = countersign_core::drafting::waiting_count(store.pool()).await?;
        if waiting == 0 {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            bail!("{waiting} tickets still wait for a draft after 120 s");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    store.close().await;
    Ok(())
}
