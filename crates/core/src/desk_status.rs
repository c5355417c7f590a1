//! What the desktop's status bar reports about the desk itself: decisions waiting in the outbox
//! and which assistants have been calling over MCP lately (from the audit log).

use crate::Result;
use sqlx::SqlitePool;

/// How far back an assistant's last MCP call counts as "connected".
pub const ACTIVE_WINDOW: chrono::Duration = chrono::Duration::minutes(5);

/// Mutations queued for the platform and not yet delivered.
pub async fn outbox_pending(pool: &SqlitePool) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL")
            .fetch_one(pool)
            .await?,
    )
}

/// Assistants (MCP client names) that called the desk within [`ACTIVE_WINDOW`], by name.
pub async fn assistants_active(pool: &SqlitePool) -> Result<Vec<String>> {
    let since = crate::store::ts(crate::store::now() - ACTIVE_WINDOW);
    // The audit log is append-only in time order: reading its recent tail by seq is bounded.
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT actor FROM (SELECT actor, at, actor_kind FROM audit_log ORDER BY seq DESC LIMIT 2000) \
         WHERE actor_kind = 'assistant' AND at >= ? ORDER BY actor",
    )
    .bind(since)
    .fetch_all(pool)
    .await?)
}
