//! Drafting in the background while the window is open: at start, and whenever the desk changes
//! (a customer message synced in, a ticket reopened), every ticket waiting for a draft gets one
//! from the desk's drafting engine. Tickets are drafted one short transaction at a time, resting
//! as long as each took (`Pace::Background`), so the inbox paints and a person's decisions go
//! through while it works. The profile's
//! `drafting.auto` setting turns it off.

use countersign_core::{Store, drafting};
use std::sync::Arc;
use tokio::sync::Notify;

/// Tickets looked up per round of the sweep.
const BATCH: i64 = 25;

/// Starts the drafter; notify the returned handle when the desk changed.
pub fn spawn(store: Store) -> Arc<Notify> {
    let wake = Arc::new(Notify::new());
    let woken = wake.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match drafting::sweep(&store, BATCH, drafting::Pace::Background).await {
                Ok(s) if s.drafted + s.failed > 0 => {
                    tracing::info!(drafted = s.drafted, failed = s.failed, "drafted replies");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "cannot draft in the background"),
            }
            // Changes while sweeping leave a permit: the next sweep starts at once.
            woken.notified().await;
        }
    });
    wake
}
