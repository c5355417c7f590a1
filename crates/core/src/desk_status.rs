//! What the desktop's status bar reports: who is at the desk, the sync state (online or
//! offline, last sync, outbox depth, unread sync notices; "local only" for a profile without a
//! platform), the MCP endpoint and which assistants have been calling over MCP lately (from the
//! audit log).

use crate::{Result, Store, settings, sync};
use countersign_model::ipc::{DeskStatus, McpStatus};
use sqlx::SqlitePool;

/// How far back an assistant's last MCP call counts as "connected".
pub const ACTIVE_WINDOW: chrono::Duration = chrono::Duration::minutes(5);

/// The status bar of `profile`'s desk; `mcp` is the shell's in-process endpoint.
pub async fn load(store: &Store, profile: &str, mcp: McpStatus) -> Result<DeskStatus> {
    Ok(DeskStatus {
        profile: profile.to_owned(),
        person: settings::person(store.pool()).await?,
        mcp,
        assistants_active: assistants_active(store.pool()).await?,
        sync: sync::status(store).await?,
    })
}

/// Assistants (MCP client names) that called the desk within [`ACTIVE_WINDOW`], by name. The
/// desk's own drafter (its audit actions are [`crate::drafting::Trigger`]'s) is not an MCP client.
pub async fn assistants_active(pool: &SqlitePool) -> Result<Vec<String>> {
    let since = crate::store::ts(crate::store::now() - ACTIVE_WINDOW);
    // The audit log is append-only in time order: reading its recent tail by seq is bounded.
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT actor FROM (SELECT actor, at, actor_kind, action FROM audit_log ORDER BY seq DESC LIMIT 2000) \
         WHERE actor_kind = 'assistant' AND at >= ? AND action NOT IN ('draft_with_ai', 'auto_draft') \
         ORDER BY actor",
    )
    .bind(since)
    .fetch_all(pool)
    .await?)
}
