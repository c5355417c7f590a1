//! Keeping a desk in sync while it runs (the desktop app, `countersign sync watch`): a round at
//! start, a round as soon as the platform's event stream says the tenant changed or a local
//! decision is queued, one at least every [`IDLE_ROUND`], and exponential backoff with jitter
//! while the platform cannot be reached.

use super::{PlatformClient, SyncReport, connect, cursor, round, state};
use crate::store::{now, ts};
use crate::{Result, Store};
use countersign_model::sync::{ChangeEvent, PresenceEvent};
use futures_util::StreamExt;
use rand::Rng;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// A round even when nothing announced one.
const IDLE_ROUND: Duration = Duration::from_secs(30);
/// How often the outbox is looked at for decisions made by another process on this desk (the
/// CLI, an assistant's `countersign mcp`): the wait it adds to a decision reaching the platform
/// is half of this on average. The look is one indexed count.
const OUTBOX_CHECK: Duration = Duration::from_millis(50);
const BACKOFF_MAX: Duration = Duration::from_secs(60);

/// The delay before retry `attempt` (1-based): 0.5 s doubling to a minute, ±50 % jitter so many
/// desktops coming back at once do not arrive together.
pub fn backoff(attempt: u32) -> Duration {
    let base = Duration::from_millis(500)
        .saturating_mul(1 << attempt.saturating_sub(1).min(10))
        .min(BACKOFF_MAX);
    base.mul_f64(rand::rng().random_range(0.5..1.5))
}

async fn outbox_depth(store: &Store) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM outbox WHERE delivered_at IS NULL")
            .fetch_one(store.pool())
            .await?,
    )
}

/// Reads the platform's event stream and pokes `wake` when the tenant moved past our cursor.
/// Reconnects (with backoff) until the task is dropped.
async fn listen(store: Store, wake: Arc<Notify>) {
    let mut attempt = 0;
    loop {
        if let Ok((client, _)) = connect(&store).await
            && let Ok(response) = client.events().await
        {
            attempt = 0;
            let _ = state::put(store.pool(), state::LIVE_SINCE, &ts(now())).await;
            let mut body = response.bytes_stream();
            // Bytes, not text: a chunk may end inside a character (a colleague's name).
            let mut buf: Vec<u8> = Vec::new();
            while let Some(Ok(chunk)) = body.next().await {
                buf.extend_from_slice(&chunk);
                while let Some(end) = buf.windows(2).position(|w| w == b"\n\n") {
                    let bytes: Vec<u8> = buf.drain(..end + 2).collect();
                    let event = String::from_utf8_lossy(&bytes);
                    if event.lines().any(|l| l.trim_end() == "event: presence") {
                        let list = event
                            .lines()
                            .find_map(|l| l.strip_prefix("data:"))
                            .and_then(|d| serde_json::from_str::<PresenceEvent>(d.trim()).ok());
                        if let Some(list) = list
                            && let Err(e) = super::presence::store_list(&store, &list).await
                        {
                            tracing::warn!(error = %e, "cannot keep who is on which ticket");
                        }
                        continue;
                    }
                    let data = event
                        .lines()
                        .find_map(|l| l.strip_prefix("data:"))
                        .and_then(|d| serde_json::from_str::<ChangeEvent>(d.trim()).ok());
                    if let Some(ChangeEvent { cursor: theirs }) = data
                        && cursor(&store).await.is_ok_and(|ours| theirs > ours)
                    {
                        wake.notify_one();
                    }
                }
            }
            let _ = state::delete(store.pool(), state::LIVE_SINCE).await;
            let _ = super::presence::forget(&store).await;
            tracing::info!("the platform's event stream ended; reconnecting");
        }
        attempt += 1;
        tokio::time::sleep(backoff(attempt)).await;
    }
}

/// Runs until `stop` completes, calling `on_round` after every round (for logs and the UI).
/// The platform token is read from the keyring at the first round, after a failed round and
/// once per [`IDLE_ROUND`] (so a sign-out elsewhere takes effect), not on every round.
pub async fn watch(
    store: &Store,
    stop: impl std::future::Future<Output = ()>,
    mut on_round: impl FnMut(&Result<SyncReport>),
) -> Result<()> {
    connect(store).await?;
    let wake = Arc::new(Notify::new());
    let listener = tokio::spawn(listen(store.clone(), wake.clone()));
    tokio::pin!(stop);
    let mut failures = 0u32;
    let mut connected: Option<(PlatformClient, String, tokio::time::Instant)> = None;
    loop {
        if connected
            .as_ref()
            .is_some_and(|(_, _, at)| at.elapsed() >= IDLE_ROUND)
        {
            connected = None;
        }
        let result = match &connected {
            Some((client, device, _)) => round(store, client, device, |_| {}).await,
            None => match connect(store).await {
                Ok((client, device)) => {
                    let r = round(store, &client, &device, |_| {}).await;
                    connected = Some((client, device, tokio::time::Instant::now()));
                    r
                }
                Err(e) => Err(e),
            },
        };
        if result.is_err() {
            connected = None;
        }
        failures = if result.is_ok() { 0 } else { failures + 1 };
        on_round(&result);
        let next = if failures > 0 {
            backoff(failures)
        } else {
            IDLE_ROUND
        };
        let deadline = tokio::time::Instant::now() + next;
        loop {
            tokio::select! {
                _ = &mut stop => {
                    listener.abort();
                    state::delete(store.pool(), state::LIVE_SINCE).await?;
                    return Ok(());
                }
                _ = wake.notified(), if failures == 0 => break,
                _ = tokio::time::sleep_until(deadline) => break,
                _ = tokio::time::sleep(OUTBOX_CHECK), if failures == 0 => {
                    if outbox_depth(store).await.unwrap_or(0) > 0 {
                        break;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_a_minute_with_jitter() {
        for attempt in 1..40 {
            let d = backoff(attempt);
            assert!(d >= Duration::from_millis(250), "{attempt}: {d:?}");
            assert!(d <= BACKOFF_MAX.mul_f64(1.5), "{attempt}: {d:?}");
        }
        assert!(backoff(1) < Duration::from_millis(800));
        assert!(backoff(12) >= Duration::from_secs(30));
    }
}
