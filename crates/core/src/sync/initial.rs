//! A desk's first sync: the tenant's every record into an empty desk. Maintaining the secondary
//! indexes and the full-text indexes row by row, page after page, costs more than building
//! each once at the end, so the first sync sets them aside and creates them again when it has
//! caught up (measured in `benches/sync_apply.rs`).
//!
//! Setting aside and creating again are each one transaction, and what was set aside is written
//! down in the desk (`sync.set_aside_schema`) in the transaction that drops it. A first sync cut
//! short (offline, killed) leaves the desk without those indexes but says so; the next pull
//! goes on without them and creates them again when it catches up. Searches find nothing new
//! and lookups by secondary keys scan meanwhile: the desk is still filling, and `sync status`
//! says so.

use super::state;
use crate::bulk::{self, SchemaObject};
use crate::store::{Tx, corrupt};
use crate::{Result, Store};

/// Applying a page deletes the line items of the invoices it replaces through this index.
const KEPT: &[&str] = &["invoice_line_items_invoice"];

async fn set_aside(tx: &mut Tx) -> Result<Option<Vec<SchemaObject>>> {
    let json: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(state::SET_ASIDE)
        .fetch_optional(&mut **tx)
        .await?;
    json.map(|j| serde_json::from_str(&j).map_err(corrupt))
        .transpose()
}

/// Whether a first sync has set indexes aside and not yet created them again.
pub async fn pending(store: &Store) -> Result<bool> {
    Ok(state::get(store.pool(), state::SET_ASIDE).await?.is_some())
}

/// Sets the indexes and full-text triggers of the synced tables aside, unless a first sync
/// already has.
pub(super) async fn begin(store: &Store) -> Result<()> {
    let mut tx = store.write().await?;
    if set_aside(&mut tx).await?.is_some() {
        return Ok(());
    }
    let mut objects = bulk::drop_secondary_indexes(&mut tx, KEPT).await?;
    objects.extend(bulk::drop_search_triggers(&mut tx).await?);
    let json = serde_json::to_string(&objects).map_err(corrupt)?;
    state::put(&mut *tx, state::SET_ASIDE, &json).await?;
    tx.commit().await?;
    tracing::info!(
        count = objects.len(),
        "first sync: indexes set aside until it catches up"
    );
    Ok(())
}

/// Creates again what [`begin`] set aside and fills the full-text indexes from the synced rows,
/// in one transaction. Returns whether there was anything to do.
pub(super) async fn finish(
    store: &Store,
    progress: &mut (dyn FnMut(&'static str, u64, u64) + Send),
) -> Result<bool> {
    let mut tx = store.write().await?;
    let Some(objects) = set_aside(&mut tx).await? else {
        return Ok(false);
    };
    bulk::recreate(&mut tx, &objects, progress).await?;
    // Filling and merging are one stage to the person watching: steps 1..N, then N+1..2N.
    bulk::rebuild_search_indexes(&mut tx, &mut |what, done, total| {
        progress(what, done, 2 * total)
    })
    .await?;
    bulk::optimize_search_indexes(&mut tx, &mut |what, done, total| {
        progress(what, total + done, 2 * total)
    })
    .await?;
    sqlx::query("DELETE FROM settings WHERE key = ?")
        .bind(state::SET_ASIDE)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}
