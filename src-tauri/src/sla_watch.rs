//! Warns the person before an SLA of theirs breaks: every [`CHECK`], the open tickets assigned
//! to them whose SLA breaks within `sla::WARN_BEFORE` raise one desktop notification (once per
//! ticket and due time), unless they turned notifications off.

use countersign_core::sla::{self, Warned};
use countersign_core::{Store, settings};
use std::time::Duration;

const CHECK: Duration = Duration::from_secs(30);

pub fn spawn(store: Store) {
    tauri::async_runtime::spawn(async move {
        let mut warned = Warned::default();
        loop {
            if let Err(e) = check(&store, &mut warned).await {
                tracing::warn!(error = %e, "cannot check for SLAs breaking soon");
            }
            tokio::time::sleep(CHECK).await;
        }
    });
}

async fn check(store: &Store, warned: &mut Warned) -> countersign_core::Result<()> {
    // Checked first: a breach is not used up while notifications are off.
    if !crate::live::notifications_on(store).await {
        return Ok(());
    }
    let person = settings::person(store.pool()).await?;
    let soon = warned.fresh(sla::breaking_soon(store, &person, sla::WARN_BEFORE).await?);
    if soon.is_empty() {
        return Ok(());
    }
    let (summary, body) = match soon.as_slice() {
        [one] => (
            format!("SLA breaks in {} min", one.minutes_left()),
            one.subject.clone(),
        ),
        many => (
            format!(
                "{} of your tickets break their SLA within {} min",
                many.len(),
                sla::WARN_BEFORE.num_minutes()
            ),
            many.iter()
                .map(|b| format!("{} ({} min)", b.subject, b.minutes_left()))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    };
    tracing::info!(tickets = soon.len(), "warning of SLAs breaking soon");
    crate::live::notify(summary, body);
    Ok(())
}
