//! The endpoint's own accept loop, so a slow or hostile client cannot hold the desk's sockets:
//! a request's headers must arrive within [`HEADER_TIMEOUT`] (its body within the body
//! timeout of `http`), and one peer address holds at most [`MAX_CONNECTIONS_PER_PEER`]
//! connections. At that cap a new connection evicts the peer's oldest connection that has not
//! yet sent a request (a half-sent one), so a client that talks promptly is still served while
//! another trickles; if all of them are busy, the new one is closed.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// How long a client may take to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// The most connections one peer address may hold open.
pub const MAX_CONNECTIONS_PER_PEER: usize = 64;

/// One open connection, as the cap sees it.
struct Slot {
    id: u64,
    /// Set once a whole request's headers have arrived.
    served: Arc<AtomicBool>,
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
    served: Arc<AtomicBool>,
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
    /// Admits a connection from `ip`, evicting that peer's oldest half-sent one at the cap;
    /// `None` when every one of its connections is busy.
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<Admitted> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let slots = open.entry(ip).or_default();
        if slots.len() >= MAX_CONNECTIONS_PER_PEER {
            let idle = slots
                .iter()
                .position(|s| !s.served.load(Ordering::Relaxed))?;
            let slot = slots.remove(idle);
            slot.evict.notify_one();
            tracing::debug!(%ip, "connection cap reached: closed the oldest half-sent connection");
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let served = Arc::new(AtomicBool::new(false));
        let evict = Arc::new(Notify::new());
        slots.push(Slot {
            id,
            served: served.clone(),
            evict: evict.clone(),
        });
        Some(Admitted {
            peers: self.clone(),
            ip,
            id,
            served,
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
        let served = admitted.served.clone();
        let app = app.clone().layer(axum::Extension(ConnectInfo(peer)));
        let service = tower::ServiceExt::map_request(app, move |r: axum::http::Request<_>| {
            served.store(true, Ordering::Relaxed);
            r.map(axum::body::Body::new)
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
    graceful.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_cap_the_oldest_half_sent_connection_makes_room() {
        let peers = Arc::new(Peers::default());
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let held: Vec<Admitted> = (0..MAX_CONNECTIONS_PER_PEER)
            .map(|_| peers.admit(ip).expect("under the cap"))
            .collect();
        held[0].served.store(true, Ordering::Relaxed);
        let newcomer = peers.admit(ip).expect("a half-sent one makes room");
        let open = peers.open.lock().unwrap()[&ip].len();
        assert_eq!(open, MAX_CONNECTIONS_PER_PEER, "still at the cap");
        assert!(
            peers.open.lock().unwrap()[&ip]
                .iter()
                .any(|s| s.id == held[0].id),
            "the busy connection was kept"
        );
        drop(newcomer);
        for h in &held {
            h.served.store(true, Ordering::Relaxed);
        }
        let last = peers.admit(ip).expect("room again");
        last.served.store(true, Ordering::Relaxed);
        assert!(peers.admit(ip).is_none(), "every connection busy: refused");
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(peers.admit(other).is_some(), "another peer has its own cap");
    }
}
