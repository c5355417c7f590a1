//! The Streamable HTTP endpoint at `/mcp`: loopback by default, bearer token required (401),
//! Host and Origin validated against allowlists (403, the DNS-rebinding defence), request
//! bodies capped (413), TCP_NODELAY on every accepted socket, and a per-token rate limit.

use crate::ratelimit::RateLimiter;
use crate::server::{DeskServer, HttpCaller};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt;
use countersign_core::{Store, tokens};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use serde_json::json;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The largest JSON-RPC request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How the endpoint is exposed.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// The address the listener is bound to; a non-loopback one is added to the Host allowlist.
    pub bind: IpAddr,
    pub rate_per_minute: u32,
    /// Browser origins allowed besides loopback ones (e.g. the desktop app's).
    pub extra_origins: Vec<String>,
}

/// The `/mcp` router for `store`; cancelling `stop` closes open sessions and event streams.
pub fn router(store: Store, options: &HttpOptions, stop: CancellationToken) -> axum::Router {
    let mut hosts = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    if !options.bind.is_loopback() && !options.bind.is_unspecified() {
        hosts.push(options.bind.to_string());
    }
    let origins = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"]
        .into_iter()
        .map(str::to_owned)
        .chain(options.extra_origins.iter().cloned());
    let config = StreamableHttpServerConfig::default()
        .with_allowed_hosts(hosts)
        .with_allowed_origins(origins)
        .enforce_origin_validation()
        .with_max_request_body_bytes(MAX_BODY_BYTES)
        // Every tool is request → response and the server never calls the client, so no
        // session is kept and an answer is plain JSON, not an event stream: a call is one
        // handler run, without routing through a session task or SSE framing.
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_cancellation_token(stop);
    let limiter = Arc::new(RateLimiter::per_minute(options.rate_per_minute));
    let server = DeskServer::http(store.clone(), limiter);
    let service: StreamableHttpService<DeskServer, LocalSessionManager> =
        StreamableHttpService::new(
            move || Ok(server.clone()),
            Arc::new(LocalSessionManager::default()),
            config,
        );
    axum::Router::new()
        .nest_service("/mcp", service)
        .layer(axum::middleware::from_fn_with_state(store, require_token))
}

fn unauthorized(message: &str) -> Response {
    let mut r = (
        StatusCode::UNAUTHORIZED,
        axum::Json(json!({"error": {"code": "unauthenticated", "message": message}})),
    )
        .into_response();
    r.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    r
}

/// Authenticates `Authorization: Bearer <token>` and hands the token to the MCP layer.
async fn require_token(State(store): State<Store>, mut request: Request, next: Next) -> Response {
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return unauthorized(
            "send Authorization: Bearer <token>; create one with `countersign token create`",
        );
    };
    let secret = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    let Some(secret) = secret else {
        return unauthorized("the Authorization header must be `Bearer <token>`");
    };
    match tokens::authenticate(&store, &secret).await {
        Ok(token) => {
            request.extensions_mut().insert(HttpCaller { token });
            next.run(request).await
        }
        Err(e) if e.code() == countersign_model::ErrorCode::Unauthenticated => {
            unauthorized(&e.public_message())
        }
        Err(e) => {
            tracing::error!(error = %e, "token check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(json!({"error": {"code": e.code(), "message": e.public_message()}})),
            )
                .into_response()
        }
    }
}

/// Serves `/mcp` on `listener` until `shutdown` completes.
pub async fn serve(
    store: Store,
    listener: tokio::net::TcpListener,
    options: &HttpOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let stop = CancellationToken::new();
    let app = router(store, options, stop.clone());
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "cannot set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        // Event streams never end by themselves: end the sessions so shutdown completes.
        stop.cancel();
    })
    .await
}
