//! Live updates: a core `ChangeWatch` polls the desk; each change becomes a `desk-changed` event
//! for the UI, and drafts that arrived while the window is not focused raise a desktop
//! notification unless the person turned them off (`notifications.enabled`). A machine without
//! a notification daemon logs that once and carries on.

use countersign_core::changes::{ChangeWatch, POLL_INTERVAL};
use countersign_core::{Store, settings};
use countersign_model::ipc::{DESK_CHANGED_EVENT, DeskChanged};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::Notify;

pub fn spawn(app: AppHandle, store: Store, drafter: Arc<Notify>) {
    tauri::async_runtime::spawn(async move {
        let mut watch = match ChangeWatch::open(&store).await {
            Ok(w) => w,
            Err(e) => {
                tracing::error!(error = %e, "cannot watch the desk; the inbox will not update live");
                return;
            }
        };
        loop {
            tokio::time::sleep(POLL_INTERVAL).await;
            match watch.poll().await {
                Ok(Some(change)) => {
                    drafter.notify_one();
                    let notify =
                        !change.drafts_arrived.is_empty() && notifications_on(&store).await;
                    announce(&app, change, notify);
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "polling the desk failed; retrying"),
            }
        }
    });
}

/// The person's `notifications.enabled` setting; on when it cannot be read (logged).
pub(crate) async fn notifications_on(store: &Store) -> bool {
    settings::notifications_enabled(store.pool())
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot read the notifications setting; notifying");
            true
        })
}

/// Tells the window; with `notify`, also raises a notification for the drafts that arrived
/// (only when the window is not focused: a person looking at it sees them already).
fn announce(app: &AppHandle, change: DeskChanged, notify: bool) {
    if let Err(e) = app.emit(DESK_CHANGED_EVENT, &change) {
        tracing::warn!(error = %e, "cannot send the change to the window");
    }
    if !notify || change.drafts_arrived.is_empty() {
        return;
    }
    let (summary, body) = match change.drafts_arrived.as_slice() {
        [one] => (
            format!("Draft from {} waiting", one.client),
            one.ticket_subject.clone(),
        ),
        many => (
            format!("{} drafts waiting for review", many.len()),
            many.iter()
                .map(|d| d.ticket_subject.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    };
    notify_unless_focused(app, summary, body);
}

/// Raises a desktop notification when the window is not focused (a person looking at it sees
/// the change already).
pub(crate) fn notify_unless_focused(app: &AppHandle, summary: String, body: String) {
    let focused = app
        .get_webview_window("main")
        .and_then(|w| w.is_focused().ok())
        .unwrap_or(false);
    if focused {
        return;
    }
    notify(summary, body);
}

/// Raises a desktop notification, focused window or not.
pub(crate) fn notify(summary: String, body: String) {
    // D-Bus calls block: keep them off the runtime's workers.
    tauri::async_runtime::spawn_blocking(move || show_notification(&summary, &body));
}

/// Logged once per process when notifications cannot be shown (no session bus, no daemon).
static NOTIFY_FAILED: AtomicBool = AtomicBool::new(false);

fn show_notification(summary: &str, body: &str) {
    let shown = notify_rust::Notification::new()
        .appname("Countersign")
        .summary(summary)
        .body(body)
        .show();
    if let Err(e) = shown
        && !NOTIFY_FAILED.swap(true, Ordering::Relaxed)
    {
        tracing::warn!(error = %e, "desktop notifications are unavailable (no notification daemon?); continuing without them");
    }
}
