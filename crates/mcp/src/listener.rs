//! The endpoint's own accept loop, so a slow or hostile client cannot hold the desk's sockets:
//! a request's headers must arrive within [`HEADER_TIMEOUT`] (its body within the body
//! timeout of `http`), and one peer address holds at most [`MAX_CONNECTIONS_PER_PEER`]
//! connections. At that cap a new connection evicts one of the peer's connections that has no
//! request in flight: the oldest that never sent a whole request head (a half-sent one), else
//! the oldest idle one. So a client that talks promptly is served while another trickles or
//! parks idle connections; only when every connection is answering a request is the new one
//! closed. Shutdown waits at most [`SHUTDOWN_GRACE`] for requests in flight.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// How long a client may take to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// The most connections one peer address may hold open.
pub const MAX_CONNECTIONS_PER_PEER: usize = 64;
/// How long shutdown waits for requests in flight (a client that stops reading its answer
/// must not keep the endpoint from stopping).
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// What a connection is doing, as the cap sees it.
#[derive(Debug, Default)]
struct Activity {
    /// Whole request heads received.
    started: AtomicUsize,
    /// Requests whose answer has not been produced yet.
    in_flight: AtomicUsize,
}

/// One open connection, as the cap sees it.
struct Slot {
    id: u64,
    activity: Arc<Activity>,
    evict: Arc<Notify>,
}

#[derive(Default)]
struct Peers {
    next: AtomicU64,
    open: Mutex<HashMap<IpAddr, Vec<Slot>>>,
}

/// A connection's place in [`Peers`]; dropped when the connection ends.
struct Admitted {
    peers: Arc<Peers>,
    ip: IpAddr,
    id: u64,
    activity: Arc<Activity>,
    evict: Arc<Notify>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.peers.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(slots) = open.get_mut(&self.ip) {
            slots.retain(|s| s.id != self.id);
            if slots.is_empty() {
                open.remove(&self.ip);
            }
        }
    }
}

impl Peers {
    /// Admits a connection from `ip`; at the cap, evicts that peer's oldest half-sent one, else
    /// its oldest idle one. `None` when every one of its connections is answering a request.
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<Admitted> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let slots = open.entry(ip).or_default();
        if slots.len() >= MAX_CONNECTIONS_PER_PEER {
            let idle = |s: &Slot| s.activity.in_flight.load(Ordering::Relaxed) == 0;
            let victim = slots
                .iter()
                .position(|s| idle(s) && s.activity.started.load(Ordering::Relaxed) == 0)
                .or_else(|| slots.iter().position(idle))?;
            let slot = slots.remove(victim);
            slot.evict.notify_one();
            tracing::debug!(%ip, "connection cap reached: closed an idle or half-sent connection");
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(Activity::default());
        let evict = Arc::new(Notify::new());
        slots.push(Slot {
            id,
            activity: activity.clone(),
            evict: evict.clone(),
        });
        Some(Admitted {
            peers: self.clone(),
            ip,
            id,
            activity,
            evict,
        })
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    app: Router,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let peers = Arc::new(Peers::default());
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, never spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(admitted) = peers.admit(peer.ip()) else {
            tracing::debug!(%peer, "connection cap reached and every connection busy: refused");
            continue;
        };
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "cannot set TCP_NODELAY");
        }
        let (starting, ending) = (admitted.activity.clone(), admitted.activity.clone());
        let app = app.clone().layer(axum::Extension(ConnectInfo(peer)));
        let service = tower::ServiceExt::map_request(app, move |r: axum::http::Request<_>| {
            starting.started.fetch_add(1, Ordering::Relaxed);
            starting.in_flight.fetch_add(1, Ordering::Relaxed);
            r.map(axum::body::Body::new)
        });
        let service = tower::ServiceExt::map_response(service, move |r| {
            ending.in_flight.fetch_sub(1, Ordering::Relaxed);
            r
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .serve_connection(TokioIo::new(tcp), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        let evict = admitted.evict.clone();
        tokio::spawn(async move {
            tokio::select! {
                r = conn => if let Err(e) = r {
                    tracing::debug!(error = %e, %peer, "connection ended with an error");
                },
                () = evict.notified() => {},
            }
            drop(admitted);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still in flight after {} s; closing their connections",
            SHUTDOWN_GRACE.as_secs()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_cap_a_half_sent_then_an_idle_connection_makes_room_never_a_busy_one() {
        let peers = Arc::new(Peers::default());
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let held: Vec<Admitted> = (0..MAX_CONNECTIONS_PER_PEER)
            .map(|_| peers.admit(ip).expect("under the cap"))
            .collect();
        let ids = |peers: &Peers| -> Vec<u64> {
            peers.open.lock().unwrap()[&ip]
                .iter()
                .map(|s| s.id)
                .collect()
        };
        // The first served a request and is idle now; the second is answering one.
        held[0].activity.started.store(1, Ordering::Relaxed);
        held[1].activity.started.store(1, Ordering::Relaxed);
        held[1].activity.in_flight.store(1, Ordering::Relaxed);
        let newcomer = peers.admit(ip).expect("a half-sent one makes room");
        let open = ids(&peers);
        assert_eq!(open.len(), MAX_CONNECTIONS_PER_PEER, "still at the cap");
        assert!(!open.contains(&held[2].id), "the oldest half-sent one went");
        assert!(open.contains(&held[0].id) && open.contains(&held[1].id));
        // Everyone has sent a request now: the oldest idle one goes, never the busy one.
        for h in &held {
            h.activity.started.store(1, Ordering::Relaxed);
        }
        newcomer.activity.started.store(1, Ordering::Relaxed);
        let _second = peers.admit(ip).expect("an idle one makes room");
        let open = ids(&peers);
        assert!(!open.contains(&held[0].id), "the oldest idle one went");
        assert!(open.contains(&held[1].id), "the busy one stays");
        // All busy: refused.
        for s in peers.open.lock().unwrap()[&ip].iter() {
            s.activity.in_flight.store(1, Ordering::Relaxed);
        }
        assert!(peers.admit(ip).is_none(), "every connection busy: refused");
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(peers.admit(other).is_some(), "another peer has its own cap");
    }
}
