//! `GET /v1/sync/events`: Server-Sent Events that poke a tenant's connected desktops when its
//! change feed moves, so they pull at once instead of polling. One `PgListener` per process
//! LISTENs on [`feed::CHANNEL`] and keeps, per tenant with a connected stream, the latest cursor
//! in a `watch` channel. A stream wakes only for its own tenant, and a stream that is behind
//! skips straight to the newest cursor: a burst of commits costs each desktop one event, not one
//! per commit. A stream starts with the current cursor, sends keep-alive comments, and ends when
//! the platform shuts down or its token is revoked: a revocation commits a notification on
//! [`REVOKED_CHANNEL`] that every instance's listener hears (and should the listener have lost
//! its connection meanwhile, every stream checks its token again).

use crate::auth::Caller;
use crate::error::Result;
use crate::{AppState, feed};
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use countersign_model::sync::{ChangeEvent, PresenceEvent};
use futures_util::{Stream, StreamExt, stream};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::watch;

/// The LISTEN/NOTIFY channel of token revocations; payload: the token's id.
pub const REVOKED_CHANNEL: &str = "countersign_revoked";

/// Sent on [`Hub::revoked`] when revocations may have been missed: every stream checks its token.
const RECHECK: &str = "*";
/// However a revocation might be missed, an open stream checks its token this often.
const TOKEN_RECHECK: Duration = Duration::from_secs(30);

/// Each tenant's latest cursor, for the tenants that have a stream open.
type Cursors = Arc<Mutex<HashMap<String, watch::Sender<i64>>>>;
/// Each tenant's latest presence list (read once per change, for all its streams), for the
/// tenants that have a stream open.
type Presence = Arc<Mutex<HashMap<String, watch::Sender<Option<Arc<PresenceEvent>>>>>>;

/// The fan-out point between the listener and the SSE streams.
#[derive(Debug, Clone)]
pub struct Hub {
    cursors: Cursors,
    presence: Presence,
    shutdown: watch::Receiver<bool>,
    /// Ids of revoked tokens (or [`RECHECK`]), to every open stream.
    revoked: tokio::sync::broadcast::Sender<String>,
}

impl Hub {
    /// LISTENs before returning, so a commit after this call is never missed; then forwards
    /// notifications until `shutdown` turns true.
    pub async fn start(pool: &PgPool, shutdown: watch::Receiver<bool>) -> Result<Self> {
        let mut listener = PgListener::connect_with(pool).await?;
        listener
            .listen_all([feed::CHANNEL, REVOKED_CHANNEL, crate::presence::CHANNEL])
            .await?;
        let hub = Self {
            cursors: Cursors::default(),
            presence: Presence::default(),
            shutdown: shutdown.clone(),
            revoked: tokio::sync::broadcast::channel(256).0,
        };
        tokio::spawn(forward(listener, pool.clone(), hub.clone(), shutdown));
        Ok(hub)
    }

    /// The tenant's presence channel, created on first use.
    fn subscribe_presence(&self, tenant_id: &str) -> watch::Receiver<Option<Arc<PresenceEvent>>> {
        let mut map = self.presence.lock().unwrap_or_else(PoisonError::into_inner);
        match map.get(tenant_id) {
            Some(tx) => tx.subscribe(),
            None => {
                let (tx, rx) = watch::channel(None);
                map.insert(tenant_id.to_owned(), tx);
                rx
            }
        }
    }

    /// The tenant's cursor channel, created on first use.
    fn subscribe(&self, tenant_id: &str) -> watch::Receiver<i64> {
        let mut map = self.cursors.lock().unwrap_or_else(PoisonError::into_inner);
        match map.get(tenant_id) {
            Some(tx) => tx.subscribe(),
            None => {
                let (tx, rx) = watch::channel(0);
                map.insert(tenant_id.to_owned(), tx);
                rx
            }
        }
    }
}

/// Reads the tenant's presence list (`None`: every listened-to tenant's) once and hands it to
/// all its streams; forgets tenants nobody listens to any more.
async fn presence_moved(pool: &PgPool, presence: &Presence, tenant_id: Option<&str>) {
    let tenants: Vec<String> = {
        let mut map = presence.lock().unwrap_or_else(PoisonError::into_inner);
        map.retain(|_, tx| tx.receiver_count() > 0);
        map.keys()
            .filter(|t| tenant_id.is_none_or(|id| id == t.as_str()))
            .cloned()
            .collect()
    };
    for tenant in tenants {
        match crate::presence::current(pool, &tenant).await {
            Ok(list) => {
                let map = presence.lock().unwrap_or_else(PoisonError::into_inner);
                if let Some(tx) = map.get(&tenant) {
                    tx.send_replace(Some(Arc::new(list)));
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot read a tenant's presence"),
        }
    }
}

/// Moves the tenant's cursor forward (never back); forgets tenants nobody listens to any more.
fn advance(cursors: &Cursors, tenant_id: &str, cursor: i64) {
    let mut map = cursors.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(tx) = map.get(tenant_id) {
        if tx.receiver_count() == 0 {
            map.remove(tenant_id);
        } else {
            tx.send_if_modified(|c| {
                let moved = cursor > *c;
                *c = (*c).max(cursor);
                moved
            });
        }
    }
}

async fn forward(
    mut listener: PgListener,
    pool: PgPool,
    hub: Hub,
    mut shutdown: watch::Receiver<bool>,
) {
    let cursors = &hub.cursors;
    loop {
        // `try_recv`, not `recv`: it says when the connection was lost (`Ok(None)`) before it
        // reconnects, where `recv` would reconnect silently and lose what was sent meanwhile.
        let received = tokio::select! {
            r = listener.try_recv() => r,
            _ = shutdown.wait_for(|stop| *stop) => return,
        };
        let received = match received {
            Ok(Some(n)) => Ok(n),
            Ok(None) => Err(sqlx::Error::Protocol(
                "the LISTEN connection was lost".into(),
            )),
            Err(e) => Err(e),
        };
        match received {
            Ok(n) if n.channel() == crate::presence::CHANNEL => {
                presence_moved(&pool, &hub.presence, Some(n.payload())).await;
            }
            Ok(n) if n.channel() == REVOKED_CHANNEL => {
                // No receiver (no stream open) is not an error.
                let _ = hub.revoked.send(n.payload().to_owned());
            }
            Ok(n) => {
                let Some((tenant, cursor)) = n.payload().split_once(' ') else {
                    tracing::warn!(payload = n.payload(), "ignoring a malformed notification");
                    continue;
                };
                let Ok(cursor) = cursor.parse() else { continue };
                advance(cursors, tenant, cursor);
            }
            Err(e) => {
                // The listener reconnects on the next try_recv; what was sent meanwhile is lost,
                // so every listened-to tenant's cursor is read again, and every stream checks
                // that its token still stands (and does so on its own every
                // `TOKEN_RECHECK`, which covers a revocation between this check and the
                // LISTEN again).
                tracing::warn!(error = %e, "change listener lost its connection; reconnecting");
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                    _ = shutdown.wait_for(|stop| *stop) => return,
                }
                let _ = hub.revoked.send(RECHECK.to_owned());
                presence_moved(&pool, &hub.presence, None).await;
                let tenants: Vec<String> = cursors
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .keys()
                    .cloned()
                    .collect();
                for tenant in tenants {
                    match feed::current_cursor(&pool, &tenant).await {
                        Ok(c) => advance(cursors, &tenant, c),
                        Err(e) => tracing::warn!(error = %e, "cannot re-read a tenant's cursor"),
                    }
                }
            }
        }
    }
}

/// Whether the token may still hold its stream open.
async fn token_stands(pool: &PgPool, token_id: &str) -> bool {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE id = $1 AND revoked_at IS NULL)",
    )
    .bind(token_id)
    .fetch_one(pool)
    .await
    // A check that cannot be made keeps the stream: the next recheck or revocation decides.
    .unwrap_or(true)
}

fn change_event(cursor: i64) -> Event {
    Event::default()
        .event("change")
        .json_data(ChangeEvent { cursor })
        .unwrap_or_else(|_| Event::default().event("change"))
}

/// What a stream tells its desk next.
enum Next {
    /// The tenant's feed reached this cursor.
    Change(i64),
    /// Who is where changed: the tenant's list now.
    Presence(Arc<PresenceEvent>),
}

fn presence_event(present: &countersign_model::sync::PresenceEvent) -> Event {
    Event::default()
        .event("presence")
        .json_data(present)
        .unwrap_or_else(|_| Event::default().event("presence"))
}

struct Subscription {
    cursor: watch::Receiver<i64>,
    presence: watch::Receiver<Option<Arc<PresenceEvent>>>,
    shutdown: watch::Receiver<bool>,
    revoked: tokio::sync::broadcast::Receiver<String>,
    token_id: String,
    pool: PgPool,
    /// Ticks every [`TOKEN_RECHECK`], however busy the tenant's feed.
    recheck: tokio::time::Interval,
    sent: i64,
}

impl Subscription {
    /// What to tell the client next: the newest cursor (however many commits it covers) or that
    /// presence changed; `None` when the stream should end: the platform stops, or the token
    /// was revoked.
    async fn next(&mut self) -> Option<Next> {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            let revocation = tokio::select! {
                r = self.cursor.changed() => { r.ok()?; None }
                r = self.presence.changed() => {
                    r.ok()?;
                    if let Some(list) = self.presence.borrow_and_update().clone() {
                        return Some(Next::Presence(list));
                    }
                    continue;
                }
                _ = self.shutdown.wait_for(|stop| *stop) => return None,
                r = self.revoked.recv() => Some(r),
                _ = self.recheck.tick() => Some(Ok(RECHECK.to_owned())),
            };
            if let Some(r) = revocation {
                let recheck = match r {
                    Ok(id) if id == self.token_id => {
                        tracing::info!(token = %self.token_id, "token revoked; closing its event stream");
                        return None;
                    }
                    Ok(id) => id == RECHECK,
                    Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => return None,
                };
                if recheck && !token_stands(&self.pool, &self.token_id).await {
                    return None;
                }
                continue;
            }
            let cursor = *self.cursor.borrow_and_update();
            if cursor > self.sent {
                self.sent = cursor;
                return Some(Next::Change(cursor));
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
    // Likewise for revocations: one that committed after the token was checked is seen here.
    let revoked = state.hub.revoked.subscribe();
    if !token_stands(&state.pool, &caller.token_id).await {
        return Err(crate::error::Error::unauthenticated(
            "the API token is unknown or revoked",
        ));
    }
    let rx = state.hub.subscribe(&caller.tenant_id);
    let mut presence = state.hub.subscribe_presence(&caller.tenant_id);
    presence.borrow_and_update();
    let cursor = feed::current_cursor(&state.pool, &caller.tenant_id).await?;
    let present = crate::presence::current(&state.pool, &caller.tenant_id).await?;
    let subscription = Subscription {
        cursor: rx,
        presence,
        shutdown: state.hub.shutdown.clone(),
        revoked,
        token_id: caller.token_id.clone(),
        pool: state.pool.clone(),
        recheck: tokio::time::interval_at(
            tokio::time::Instant::now() + TOKEN_RECHECK,
            TOKEN_RECHECK,
        ),
        sent: cursor,
    };
    let rest = stream::unfold(subscription, |mut s| async move {
        let event = match s.next().await? {
            Next::Change(cursor) => change_event(cursor),
            Next::Presence(list) => presence_event(&list),
        };
        Some((Ok(event), s))
    });
    let first = stream::iter([Ok(change_event(cursor)), Ok(presence_event(&present))]);
    Ok(Sse::new(first.chain(rest)).keep_alive(KeepAlive::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_only_moves_forward_and_unheard_tenants_are_forgotten() {
        let cursors = Cursors::default();
        let hub = Hub {
            cursors: cursors.clone(),
            presence: Presence::default(),
            shutdown: watch::channel(false).1,
            revoked: tokio::sync::broadcast::channel(4).0,
        };
        let mut a = hub.subscribe("ten_a");
        advance(&cursors, "ten_a", 5);
        advance(&cursors, "ten_a", 3);
        assert!(a.has_changed().unwrap(), "5 is news");
        assert_eq!(
            *a.borrow_and_update(),
            5,
            "an older cursor never replaces a newer one"
        );
        advance(&cursors, "ten_b", 9);
        assert!(
            !a.has_changed().unwrap(),
            "another tenant's commit is not ours"
        );
        drop(a);
        advance(&cursors, "ten_a", 6);
        assert!(
            cursors.lock().unwrap().is_empty(),
            "a tenant nobody listens to is forgotten"
        );
    }
}
