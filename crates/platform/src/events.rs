//! `GET /v1/sync/events`: Server-Sent Events that poke a tenant's connected desktops when its
//! change feed moves, so they pull at once instead of polling. One `PgListener` per process
//! LISTENs on [`feed::CHANNEL`] and fans notifications out through a `broadcast` channel; each
//! stream forwards only its caller's tenant. A stream starts with the current cursor, sends
//! keep-alive comments, and ends when the platform shuts down.

use crate::auth::Caller;
use crate::error::Result;
use crate::{AppState, feed};
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use countersign_model::sync::ChangeEvent;
use futures_util::{Stream, StreamExt, stream};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// A tenant's feed reached `cursor`; `tenant_id: None` means "notifications may have been
/// missed: every stream re-reads its cursor".
#[derive(Debug, Clone)]
pub struct Poke {
    pub tenant_id: Option<Arc<str>>,
    pub cursor: i64,
}

/// The fan-out point between the listener and the SSE streams.
#[derive(Debug, Clone)]
pub struct Hub {
    pokes: broadcast::Sender<Poke>,
    shutdown: watch::Receiver<bool>,
}

impl Hub {
    /// LISTENs before returning, so a commit after this call is never missed; then forwards
    /// notifications until `shutdown` turns true.
    pub async fn start(pool: &PgPool, shutdown: watch::Receiver<bool>) -> Result<Self> {
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(feed::CHANNEL).await?;
        let (pokes, _) = broadcast::channel(1024);
        let hub = Self {
            pokes: pokes.clone(),
            shutdown: shutdown.clone(),
        };
        tokio::spawn(forward(listener, pokes, shutdown));
        Ok(hub)
    }
}

async fn forward(
    mut listener: PgListener,
    pokes: broadcast::Sender<Poke>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let received = tokio::select! {
            r = listener.recv() => r,
            _ = shutdown.wait_for(|stop| *stop) => return,
        };
        match received {
            Ok(n) => {
                let Some((tenant, cursor)) = n.payload().split_once(' ') else {
                    tracing::warn!(payload = n.payload(), "ignoring a malformed notification");
                    continue;
                };
                let Ok(cursor) = cursor.parse() else { continue };
                // No receiver is fine: nobody is connected.
                let _ = pokes.send(Poke {
                    tenant_id: Some(tenant.into()),
                    cursor,
                });
            }
            Err(e) => {
                // The listener reconnects on the next recv; what was sent meanwhile is lost, so
                // every stream re-reads its cursor.
                tracing::warn!(error = %e, "change listener lost its connection; reconnecting");
                let _ = pokes.send(Poke {
                    tenant_id: None,
                    cursor: 0,
                });
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                    _ = shutdown.wait_for(|stop| *stop) => return,
                }
            }
        }
    }
}

fn change_event(cursor: i64) -> Event {
    Event::default()
        .event("change")
        .json_data(ChangeEvent { cursor })
        .unwrap_or_else(|_| Event::default().event("change"))
}

struct Subscription {
    pokes: broadcast::Receiver<Poke>,
    shutdown: watch::Receiver<bool>,
    pool: PgPool,
    tenant_id: String,
    sent: i64,
}

impl Subscription {
    /// The next cursor to tell the client about, or `None` when the stream should end.
    async fn next_cursor(&mut self) -> Option<i64> {
        loop {
            let poke = tokio::select! {
                p = self.pokes.recv() => p,
                _ = self.shutdown.wait_for(|stop| *stop) => return None,
            };
            let cursor = match poke {
                Ok(Poke {
                    tenant_id: Some(t),
                    cursor,
                }) => {
                    if *t != *self.tenant_id {
                        continue;
                    }
                    cursor
                }
                Ok(Poke {
                    tenant_id: None, ..
                })
                | Err(broadcast::error::RecvError::Lagged(_)) => {
                    match feed::current_cursor(&self.pool, &self.tenant_id).await {
                        Ok(c) => c,
                        Err(e) => {
                            tracing::warn!(error = %e, "cannot re-read a cursor for an event stream");
                            continue;
                        }
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            if cursor > self.sent {
                self.sent = cursor;
                return Some(cursor);
            }
        }
    }
}

/// `GET /v1/sync/events`.
pub async fn get_events(
    caller: Caller,
    State(state): State<AppState>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    // Subscribe before reading the cursor: a commit in between is then seen twice, never missed.
    let pokes = state.hub.pokes.subscribe();
    let cursor = feed::current_cursor(&state.pool, &caller.tenant_id).await?;
    let subscription = Subscription {
        pokes,
        shutdown: state.hub.shutdown.clone(),
        pool: state.pool.clone(),
        tenant_id: caller.tenant_id,
        sent: cursor,
    };
    let rest = stream::unfold(subscription, |mut s| async move {
        let cursor = s.next_cursor().await?;
        Some((Ok(change_event(cursor)), s))
    });
    let first = stream::once(async move { Ok(change_event(cursor)) });
    Ok(Sse::new(first.chain(rest)).keep_alive(KeepAlive::default()))
}
