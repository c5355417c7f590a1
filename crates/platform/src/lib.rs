//! `countersign-platform`: the central platform's sync service. It holds each tenant's records
//! (customers, subscriptions, invoices, payments, wallets, tickets and their messages,
//! escalations, knowledge base) in PostgreSQL, takes in customer messages and billing records
//! from the systems around it, applies the mutations desktops push exactly once, and publishes
//! every change in a per-tenant feed that desktops pull, poked by Server-Sent Events.
//!
//! Every query is scoped by the tenant of the caller's token, and a person's role comes from the
//! token's agent, never from a request. This crate depends on `countersign-model` only: it must
//! not use the desk (`countersign-core`), MCP or any UI crate.

pub mod admin;
pub mod attachments;
pub mod auth;
pub mod billing;
pub mod error;
pub mod events;
pub mod feed;
pub mod hooks;
pub mod ingest;
pub mod mail;
pub mod mutations;
pub mod openapi;
pub mod policy;
pub mod presence;
pub mod routes;
pub mod saved_replies;
pub mod sla;
#[doc(hidden)]
pub mod testing;
pub mod worker;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use error::{Error, Result};
use rand::RngCore;
use serde::de::DeserializeOwned;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// The schema, embedded at build time; applied at start.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A new unique id: the prefix, 12 hex digits of milliseconds (so ids sort by creation) and 16
/// random hex digits.
pub fn new_id(prefix: &str) -> String {
    let millis = chrono::Utc::now().timestamp_millis().max(0) as u64;
    let mut r = [0u8; 8];
    rand::rng().fill_bytes(&mut r);
    format!("{prefix}{millis:012x}{}", hex::encode(r))
}

/// Where a database URL points, for messages: `host:port/database`, never the password.
pub fn describe_url(url: &str) -> String {
    match PgConnectOptions::from_str(url) {
        Ok(o) => format!(
            "{}:{}/{}",
            o.get_host(),
            o.get_port(),
            o.get_database().unwrap_or(o.get_username())
        ),
        Err(_) => "an unparseable URL".into(),
    }
}

/// Connects to PostgreSQL. The error says where and what to do, in one line.
pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::from_str(url).map_err(|e| {
        anyhow::anyhow!(
            "the database URL is not a PostgreSQL URL ({e}); expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
        )
    })?;
    let unreachable = |e: &dyn std::fmt::Display| {
        anyhow::anyhow!(
            "cannot connect to PostgreSQL at {} ({e}); is it running and reachable? \
             Check --database-url / DATABASE_URL",
            describe_url(url)
        )
    };
    // One direct connection first: it fails fast with the real reason (refused, auth, no such
    // database) where a pool would only report a timeout.
    use sqlx::Connection;
    let probe = tokio::time::timeout(
        Duration::from_secs(10),
        sqlx::PgConnection::connect_with(&options),
    )
    .await
    .map_err(|_| unreachable(&"no answer within 10 s"))?
    .map_err(|e| unreachable(&e))?;
    let _ = probe.close().await;
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot connect to PostgreSQL at {} ({e}); is it running and reachable? \
                 Check --database-url / DATABASE_URL",
                describe_url(url)
            )
        })
}

/// Applies pending migrations.
pub async fn migrate(pool: &PgPool) -> Result<()> {
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: PgPool,
    /// SHA-256 of the admin token; `None` disables the admin API.
    pub admin_token_sha256: Option<[u8; 32]>,
    pub hub: events::Hub,
    /// Each agent's presence announcements left.
    pub presence_limit: presence::Limiter,
    /// Seals and opens the tenants' billing API keys; `None` when the platform was started
    /// without one (no connector can then be set).
    pub secrets: Option<billing::SecretsKey>,
    /// How long one call to a billing system may take (a webhook's subscription is read back).
    pub billing_call_timeout: std::time::Duration,
}

/// How a platform runs, beyond its database.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Token for the admin API; `None` disables it.
    pub admin_token: Option<String>,
    /// The key that seals billing API keys at rest.
    pub secrets: Option<billing::SecretsKey>,
    pub executor: billing::ExecutorConfig,
    pub mail: mail::MailConfig,
    pub hooks: hooks::HooksConfig,
}

/// A running platform's state and its shutdown switch.
#[derive(Debug)]
pub struct Platform {
    pub state: AppState,
    shutdown: watch::Sender<bool>,
}

impl Platform {
    /// Starts listening for change notifications on `pool` (already migrated), and the billing
    /// executor.
    pub async fn start(pool: PgPool, options: Options) -> Result<Self> {
        let (shutdown, stop) = watch::channel(false);
        let hub = events::Hub::start(&pool, stop.clone()).await?;
        let billing_call_timeout = options.executor.call_timeout;
        let wakes = worker::listen(
            &pool,
            &[
                billing::executor::CHANNEL,
                mail::sender::CHANNEL,
                hooks::CHANNEL,
            ],
            stop.clone(),
        )
        .await;
        tokio::spawn(billing::executor::run(
            pool.clone(),
            options.secrets.clone(),
            options.executor,
            wakes[billing::executor::CHANNEL].clone(),
            stop.clone(),
        ));
        tokio::spawn(mail::sender::run(
            pool.clone(),
            options.secrets.clone(),
            options.mail,
            wakes[mail::sender::CHANNEL].clone(),
            stop.clone(),
        ));
        tokio::spawn(hooks::run(
            pool.clone(),
            options.secrets.clone(),
            options.hooks,
            wakes[hooks::CHANNEL].clone(),
            stop,
        ));
        Ok(Self {
            state: AppState {
                pool,
                admin_token_sha256: options.admin_token.as_deref().map(auth::sha256),
                hub,
                presence_limit: presence::Limiter::default(),
                secrets: options.secrets,
                billing_call_timeout,
            },
            shutdown,
        })
    }

    /// Serves HTTP on `listener` until `signal` completes; then ends the event streams and
    /// lets requests in flight finish.
    pub async fn serve(
        self,
        listener: TcpListener,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        use axum::serve::ListenerExt;
        let listener = listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "cannot set TCP_NODELAY");
            }
        });
        let shutdown = self.shutdown;
        axum::serve(listener, routes::router(self.state))
            .with_graceful_shutdown(async move {
                signal.await;
                let _ = shutdown.send(true);
            })
            .await
    }
}

/// The largest request body accepted (a billing ingest batch is the biggest).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// A JSON request body whose every failure (not JSON, wrong shape, too big, a NUL character in
/// any string) is a 400 with the `invalid_argument` code, like every other error of this API.
/// PostgreSQL cannot store a NUL in text: refused here, it never reaches a query.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self> {
        let bytes = body_bytes(req, state).await?;
        if let Some(path) = nul_in(&bytes) {
            return Err(Error::invalid(format!(
                "{path} contains a NUL character, which cannot be stored"
            )));
        }
        parse(&bytes).map(JsonBody)
    }
}

/// A JSON request body that may hold a NUL character somewhere: for a batch whose items are
/// refused one by one (`POST /v1/sync/mutations`), so one bad item never blocks the rest.
#[derive(Debug)]
pub struct ItemizedJsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ItemizedJsonBody<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self> {
        parse(&body_bytes(req, state).await?).map(ItemizedJsonBody)
    }
}

async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes> {
    Bytes::from_request(req, state)
        .await
        .map_err(|e| Error::invalid(format!("cannot read the request body: {}", e.body_text())))
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| Error::invalid(format!("the request body is not valid: {e}")))
}

/// Where the first NUL character of a JSON document is, as a path (`customers[3].name`), if it
/// has one. JSON can only carry a NUL escaped (`\u0000`), so a body without that text is read
/// no further; one with it is parsed to find out (the text may be an escaped backslash).
fn nul_in(bytes: &[u8]) -> Option<String> {
    const ESCAPE: &[u8] = b"\\u0000";
    if !bytes.windows(ESCAPE.len()).any(|w| w == ESCAPE) {
        return None;
    }
    fn walk(v: &serde_json::Value, path: &mut String) -> bool {
        use serde_json::Value;
        match v {
            Value::String(s) => s.contains('\0'),
            Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = walk(item, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            Value::Object(o) => o.iter().any(|(k, item)| {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&k.replace('\0', "\\0"));
                let found = k.contains('\0') || walk(item, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            _ => false,
        }
    }
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let mut path = String::new();
    walk(&v, &mut path).then(|| {
        if path.is_empty() {
            "the body".to_owned()
        } else {
            path
        }
    })
}

#[cfg(test)]
mod tests {
    use super::nul_in;

    #[test]
    fn a_nul_is_found_where_it_is_and_an_escaped_backslash_is_not_one() {
        assert_eq!(nul_in(br#"{"a": "fine"}"#), None);
        assert_eq!(nul_in(br#"{"a": "back\\u0000slash"}"#), None);
        assert_eq!(
            nul_in(br#"{"customers": [{"name": "ok"}, {"name": "x\u0000"}]}"#).as_deref(),
            Some("customers[1].name")
        );
        assert_eq!(nul_in(br#""\u0000""#).as_deref(), Some("the body"));
    }
}
