//! The Streamable HTTP endpoint at `/mcp`: loopback by default, bearer token required (401),
//! Host and Origin validated against allowlists (403, the DNS-rebinding defence), request
//! bodies capped (413) and read within [`BODY_TIMEOUT`] (408), a per-token rate limit on every
//! request whatever its method (429), TCP_NODELAY on every accepted socket, and slow clients
//! bounded by `listener`. Refused requests are audited as per-minute summaries (`refusals`);
//! JSON-RPC batches, which MCP has not carried since 2025-06-18, get a JSON-RPC error.

use crate::ratelimit::RateLimiter;
use crate::refusals::{Reason, Refusals, UNAUTHENTICATED};
use crate::server::{DeskServer, HttpCaller};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use countersign_core::{Store, tokens};
use countersign_model::workflow::TokenInfo;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use serde_json::json;
use std::net::IpAddr;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The largest JSON-RPC request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a client may take to send a request's body once its headers are in.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How often finished minutes of refusal counts are written to the audit log.
const REFUSALS_FLUSH: std::time::Duration = std::time::Duration::from_secs(15);

/// What the door of the endpoint keeps: the desk, the per-token limiter and the refusal counts.
#[derive(Clone)]
struct Door {
    store: Store,
    limiter: Arc<RateLimiter>,
    refusals: Arc<Refusals>,
}

/// How the endpoint is exposed.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// The address the listener is bound to; a non-loopback one is added to the Host allowlist.
    pub bind: IpAddr,
    pub rate_per_minute: u32,
    /// Browser origins allowed besides loopback ones (e.g. the desktop app's).
    pub extra_origins: Vec<String>,
}

/// The rmcp service's configuration; cancelling `stop` closes open sessions and event streams.
fn config(options: &HttpOptions, stop: CancellationToken) -> StreamableHttpServerConfig {
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
    StreamableHttpServerConfig::default()
        .with_allowed_hosts(hosts)
        .with_allowed_origins(origins)
        .enforce_origin_validation()
        .with_max_request_body_bytes(MAX_BODY_BYTES)
        // Every tool is request → response and the server never calls the client, so no
        // session is kept and an answer is plain JSON, not an event stream: a call is one
        // handler run, without routing through a session task or SSE framing.
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_cancellation_token(stop)
}

/// The `/mcp` router for `store`, behind its door; `refusals` collects what the door refused.
fn router(
    store: Store,
    config: StreamableHttpServerConfig,
    options: &HttpOptions,
    refusals: Arc<Refusals>,
) -> axum::Router {
    let server = DeskServer::http(store.clone());
    let service: StreamableHttpService<DeskServer, LocalSessionManager> =
        StreamableHttpService::new(
            move || Ok(server.clone()),
            Arc::new(LocalSessionManager::default()),
            config,
        );
    let door = Door {
        store,
        limiter: Arc::new(RateLimiter::per_minute(options.rate_per_minute)),
        refusals,
    };
    axum::Router::new()
        .nest_service("/mcp", service)
        .layer(axum::middleware::from_fn_with_state(door, require_token))
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

fn refused(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

/// The protocol revision a request says it speaks (`MCP-Protocol-Version`); a request without
/// the header is taken as 2025-03-26, as the specification asks.
fn protocol_version(request: &Request) -> String {
    request
        .headers()
        .get("mcp-protocol-version")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("2025-03-26")
        .to_owned()
}

/// The revision that took JSON-RPC batches out of MCP.
const NO_BATCHES_SINCE: &str = "2025-06-18";

/// A JSON-RPC batch where the revision has none (2025-06-18 on), or an empty one: one JSON-RPC
/// error, `-32600 Invalid Request`, that every client reads. Nothing runs.
fn batch_refused(why: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(
            json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32600, "message": why}}),
        ),
    )
        .into_response()
}

/// A 2025-03-26 batch: each message runs in turn as a request of its own (same headers, same
/// caller, each counted against the rate), and the answers come back as one JSON array; a
/// batch of notifications and responses only is `202 Accepted`. A message the endpoint refuses
/// outright (not JSON-RPC, say) gets a JSON-RPC error under its id, and the rest still run:
/// every request that ran is answered.
async fn run_batch(
    door: &Door,
    parts: &axum::http::request::Parts,
    token: &TokenInfo,
    messages: Vec<serde_json::Value>,
    next: Next,
) -> Response {
    if messages.is_empty() {
        return batch_refused("Invalid Request: an empty batch".into());
    }
    // The first message was counted at the door.
    for _ in 1..messages.len() {
        if let Err(e) = door.limiter.check(token.id.as_str()) {
            door.refusals.record(token.id.as_str(), Reason::RateLimited);
            return refused(
                StatusCode::TOO_MANY_REQUESTS,
                e.code().as_str(),
                &e.public_message(),
            );
        }
    }
    let mut answers = Vec::new();
    for message in messages {
        let id = message.get("id").cloned();
        let mut request = Request::new(axum::body::Body::from(message.to_string()));
        *request.method_mut() = parts.method.clone();
        *request.uri_mut() = parts.uri.clone();
        *request.headers_mut() = parts.headers.clone();
        request.headers_mut().remove(header::CONTENT_LENGTH);
        request.extensions_mut().insert(HttpCaller {
            token: token.clone(),
        });
        let response = next.clone().run(request).await;
        let status = response.status();
        if status == StatusCode::ACCEPTED {
            continue;
        }
        let body = axum::body::to_bytes(response.into_body(), 16 * MAX_BODY_BYTES)
            .await
            .ok();
        let answer = body
            .as_deref()
            .filter(|_| status == StatusCode::OK)
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok());
        match (answer, id) {
            (Some(answer), _) => answers.push(answer),
            // A notification refused: nobody waits for an answer.
            (None, None) => {}
            (None, Some(id)) => {
                let why = body
                    .as_deref()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default()
                    .chars()
                    .take(300)
                    .collect::<String>();
                answers.push(json!({"jsonrpc": "2.0", "id": id, "error": {
                    "code": -32600,
                    "message": format!("Invalid Request: refused with HTTP {status}: {why}"),
                }}));
            }
        }
    }
    if answers.is_empty() {
        return StatusCode::ACCEPTED.into_response();
    }
    axum::Json(serde_json::Value::Array(answers)).into_response()
}

/// The door of `/mcp`, for every request whatever its JSON-RPC method: authenticates
/// `Authorization: Bearer <token>`, applies the token's rate limit, reads the body within
/// [`BODY_TIMEOUT`] and answers batches, then hands the token to the MCP layer. Refusals of a
/// missing or bad token and of the rate are counted for the audit log's summaries.
async fn require_token(State(door): State<Door>, request: Request, next: Next) -> Response {
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        door.refusals
            .record(UNAUTHENTICATED, Reason::Unauthenticated);
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
        door.refusals
            .record(UNAUTHENTICATED, Reason::Unauthenticated);
        return unauthorized("the Authorization header must be `Bearer <token>`");
    };
    let token = match tokens::authenticate(&door.store, &secret).await {
        Ok(token) => token,
        Err(e) if e.code() == countersign_model::ErrorCode::Unauthenticated => {
            door.refusals
                .record(UNAUTHENTICATED, Reason::Unauthenticated);
            return unauthorized(&e.public_message());
        }
        Err(e) => {
            tracing::error!(error = %e, "token check failed");
            return refused(
                StatusCode::SERVICE_UNAVAILABLE,
                e.code().as_str(),
                &e.public_message(),
            );
        }
    };
    if let Err(e) = door.limiter.check(token.id.as_str()) {
        door.refusals.record(token.id.as_str(), Reason::RateLimited);
        let mut r = refused(
            StatusCode::TOO_MANY_REQUESTS,
            e.code().as_str(),
            &e.public_message(),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return r;
    }
    let version = protocol_version(&request);
    let (parts, body) = request.into_parts();
    let bytes = match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY_BYTES))
        .await
    {
        Err(_) => {
            return refused(
                StatusCode::REQUEST_TIMEOUT,
                "invalid_argument",
                &format!(
                    "the request body did not arrive within {} s",
                    BODY_TIMEOUT.as_secs()
                ),
            );
        }
        Ok(Err(_)) => {
            return refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                "invalid_argument",
                &format!("request bodies are limited to {MAX_BODY_BYTES} bytes"),
            );
        }
        Ok(Ok(bytes)) => bytes,
    };
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        if version.as_bytes() >= NO_BATCHES_SINCE.as_bytes() {
            return batch_refused(format!(
                "Invalid Request: MCP {version} has no JSON-RPC batches; send one message per request"
            ));
        }
        return match serde_json::from_slice::<Vec<serde_json::Value>>(&bytes) {
            Ok(messages) => run_batch(&door, &parts, &token, messages, next).await,
            Err(e) => batch_refused(format!("Invalid Request: not a JSON-RPC batch ({e})")),
        };
    }
    let mut request = Request::from_parts(parts, axum::body::Body::from(bytes));
    request.extensions_mut().insert(HttpCaller { token });
    next.run(request).await
}

/// Serves `/mcp` on `listener` until `shutdown` completes. Refusal summaries are written as
/// their minutes end, and the rest when the endpoint stops.
pub async fn serve(
    store: Store,
    listener: tokio::net::TcpListener,
    options: &HttpOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let stop = CancellationToken::new();
    let refusals = Arc::<Refusals>::default();
    let app = router(
        store.clone(),
        config(options, stop.clone()),
        options,
        refusals.clone(),
    );
    let flusher = {
        let (store, refusals, stop) = (store.clone(), refusals.clone(), stop.clone());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = tokio::time::sleep(REFUSALS_FLUSH) => refusals.flush(&store, false).await,
                    () = stop.cancelled() => break,
                }
            }
        })
    };
    let result = crate::listener::serve(app, listener, async move {
        shutdown.await;
        // Event streams never end by themselves: end the sessions so shutdown completes.
        stop.cancel();
    })
    .await;
    let _ = flusher.await;
    refusals.flush(&store, true).await;
    result
}
