//! Sync while the window is open. A desk signed in to a platform (`countersign sync login`)
//! runs the loop of `countersign sync watch` inside the app: the platform's event stream
//! triggers pulls, a queued decision is pushed within a quarter of a second, offline rounds
//! back off. A desk that is not signed in is looked at again every [`RECHECK`], so signing in
//! from the CLI while the app is open starts syncing without a restart. Decisions the platform
//! refused raise a desktop notification; the status bar's notices list has the detail.

use crate::live::{notifications_on, notify_unless_focused};
use countersign_core::Store;
use countersign_core::sync::{self, SyncReport};
use countersign_model::ErrorCode;
use std::time::Duration;
use tauri::AppHandle;

/// How often a desk that cannot sync (not signed in, keyring locked) is looked at again.
const RECHECK: Duration = Duration::from_secs(15);

pub fn spawn(app: AppHandle, store: Store) {
    tauri::async_runtime::spawn(async move {
        let mut last_problem = String::new();
        loop {
            let stopped = sync::watch(&store, std::future::pending::<()>(), |round| {
                on_round(&app, &store, round)
            })
            .await;
            // `watch` only returns when it cannot start: say why once, not every recheck.
            if let Err(e) = stopped {
                let problem = e.public_message();
                if problem != last_problem {
                    if e.code() == ErrorCode::InvalidArgument {
                        tracing::info!("not syncing: {problem}");
                    } else {
                        tracing::warn!("cannot sync: {problem}");
                    }
                    last_problem = problem;
                }
            }
            tokio::time::sleep(RECHECK).await;
        }
    });
}

fn on_round(app: &AppHandle, store: &Store, round: &countersign_core::Result<SyncReport>) {
    match round {
        Ok(r) if r.pushed.applied + r.pushed.rejected + r.pulled_changes > 0 => {
            tracing::info!(
                pushed = r.pushed.applied + r.pushed.duplicates + r.pushed.rejected,
                refused = r.pushed.rejected,
                pulled = r.pulled_changes,
                cursor = r.cursor,
                "synced"
            );
            if r.pushed.rejected > 0 {
                let (app, store, refused) = (app.clone(), store.clone(), r.pushed.rejected);
                tauri::async_runtime::spawn(async move {
                    if notifications_on(&store).await {
                        let summary = match refused {
                            1 => "The platform refused a decision".to_owned(),
                            n => format!("The platform refused {n} decisions"),
                        };
                        let body = "See the sync notices in the status bar.".to_owned();
                        notify_unless_focused(&app, summary, body);
                    }
                });
            }
        }
        Ok(_) => {}
        Err(e) => tracing::debug!("sync round failed: {}", e.public_message()),
    }
}
