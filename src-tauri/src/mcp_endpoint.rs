//! The MCP endpoint served from inside the app, on the same desk as the window. A port that is
//! taken does not stop the app: the status says so and how to change it. Changing the port or
//! turning the endpoint off in Settings restarts it.

use countersign_core::{Store, settings};
use countersign_mcp::http::HttpOptions;
use countersign_model::ipc::McpStatus;
use std::net::{IpAddr, Ipv4Addr};
use tokio::sync::{Mutex, oneshot};

pub struct McpEndpoint {
    store: Store,
    running: Mutex<Running>,
}

struct Running {
    status: McpStatus,
    stop: Option<oneshot::Sender<()>>,
}

impl McpEndpoint {
    /// Starts the endpoint as the profile's settings say, unless the command line overrides them.
    pub async fn start(store: Store, port: Option<u16>, enabled: Option<bool>) -> Self {
        let endpoint = Self {
            store,
            running: Mutex::new(Running {
                status: McpStatus {
                    enabled: false,
                    port: 0,
                    url: None,
                    error: None,
                },
                stop: None,
            }),
        };
        endpoint.restart_with(port, enabled).await;
        endpoint
    }

    pub async fn status(&self) -> McpStatus {
        self.running.lock().await.status.clone()
    }

    /// Stops the endpoint and starts it again from the current settings.
    pub async fn restart(&self) -> McpStatus {
        self.restart_with(None, None).await
    }

    async fn restart_with(&self, port: Option<u16>, enabled: Option<bool>) -> McpStatus {
        let mut running = self.running.lock().await;
        if let Some(stop) = running.stop.take() {
            let _ = stop.send(());
        }
        let pool = self.store.pool();
        let port = match port {
            Some(p) => p,
            None => settings::mcp_port(pool)
                .await
                .unwrap_or(settings::DEFAULT_MCP_PORT),
        };
        let enabled = match enabled {
            Some(e) => e,
            None => settings::mcp_enabled(pool).await.unwrap_or(true),
        };
        let (status, stop) = serve(&self.store, port, enabled).await;
        running.status = status.clone();
        running.stop = stop;
        status
    }
}

/// Binds and serves when `enabled`; a bind failure is a status, not an error.
async fn serve(
    store: &Store,
    port: u16,
    enabled: bool,
) -> (McpStatus, Option<oneshot::Sender<()>>) {
    let mut status = McpStatus {
        enabled,
        port,
        url: None,
        error: None,
    };
    if !enabled {
        return (status, None);
    }
    let bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let listener = match bind_with_retry(bind, port).await {
        Ok(l) => l,
        Err(e) => {
            let why = if e.kind() == std::io::ErrorKind::AddrInUse {
                format!(
                    "port {port} is already in use (another Countersign or `countersign serve`?); choose another port in Settings"
                )
            } else {
                format!("cannot listen on 127.0.0.1:{port}: {e}")
            };
            tracing::warn!(%why, "MCP endpoint not started");
            status.error = Some(why);
            return (status, None);
        }
    };
    let options = HttpOptions {
        bind,
        rate_per_minute: settings::mcp_rate_per_minute(store.pool())
            .await
            .unwrap_or(settings::DEFAULT_MCP_RATE_PER_MINUTE),
        extra_origins: Vec::new(),
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let store = store.clone();
    tauri::async_runtime::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        if let Err(e) = countersign_mcp::http::serve(store, listener, &options, shutdown).await {
            tracing::error!(error = %e, "the MCP endpoint stopped");
        }
    });
    let url = format!("http://127.0.0.1:{port}/mcp");
    tracing::info!(%url, "serving MCP in-process");
    status.url = Some(url);
    (status, Some(stop))
}

/// A restart on the same port may find the previous listener not yet closed: retry briefly.
async fn bind_with_retry(ip: IpAddr, port: u16) -> std::io::Result<tokio::net::TcpListener> {
    let mut last = None;
    for _ in 0..10 {
        match tokio::net::TcpListener::bind((ip, port)).await {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                last = Some(e);
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("bind failed")))
}
