//! The loop every queue of the platform runs on (billing executions, replies by email,
//! webhooks): take steps while there is due work, then wait to be woken — a commit that queued
//! work notified the queue's channel — or for the poll interval, until shutdown. One LISTEN
//! connection per instance serves every queue ([`listen`]), so the queues do not each hold one
//! of the pool's connections.

use crate::error::Result;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// Each queue's wake-up, by its NOTIFY channel.
pub type Wakes = HashMap<&'static str, Arc<Notify>>;

/// Listens on `channels` with one connection and wakes each channel's queue when it is
/// notified (all of them when the connection drops, since a notification may be lost). Without
/// a listener the queues poll.
pub async fn listen(
    pool: &PgPool,
    channels: &[&'static str],
    mut shutdown: watch::Receiver<bool>,
) -> Wakes {
    let wakes: Wakes = channels
        .iter()
        .map(|c| (*c, Arc::new(Notify::new())))
        .collect();
    let listener = match PgListener::connect_with(pool).await {
        Ok(mut l) => l
            .listen_all(channels.iter().copied())
            .await
            .ok()
            .map(|()| l),
        Err(_) => None,
    };
    let Some(mut listener) = listener else {
        tracing::warn!("cannot LISTEN; the queues poll");
        return wakes;
    };
    let to_wake = wakes.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = shutdown.changed() => return,
                n = listener.recv() => match n {
                    Ok(n) => {
                        if let Some(w) = to_wake.get(n.channel()) {
                            w.notify_one();
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the LISTEN connection dropped; reconnecting");
                        to_wake.values().for_each(|w| w.notify_one());
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                },
            }
        }
    });
    wakes
}

/// Wakes queue `channel` on every instance when `tx` commits: it has work for tenant `tenant_id`.
pub async fn poke(tx: &mut sqlx::PgConnection, channel: &str, tenant_id: &str) -> Result<()> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Runs `step` (`true`: it did something, look again) until `shutdown` turns true. `what`
/// names the queue in logs.
pub async fn run<F, Fut>(
    wake: Arc<Notify>,
    poll: Duration,
    what: &str,
    mut shutdown: watch::Receiver<bool>,
    mut step: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool>>,
{
    loop {
        loop {
            match step().await {
                Ok(true) if !*shutdown.borrow() => {}
                Ok(true) => return,
                Ok(false) => break,
                Err(e) => {
                    tracing::warn!(what, error = %e, "a step could not finish");
                    break;
                }
            }
        }
        tokio::select! {
            _ = shutdown.changed() => return,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
        }
    }
}
