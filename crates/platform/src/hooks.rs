//! Webhooks out: a tenant's endpoints hear about its tickets — `ticket.created`,
//! `message.received`, `reply.sent`, `reply.failed`, `escalation.raised`,
//! `escalation.decided` — signed as the Standard Webhooks specification says (`webhook-id`,
//! `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`).
//!
//! An event is queued for every endpoint that takes it in the transaction of what it reports
//! ([`emit`]), and sent from the same kind of queue as email: any instance claims a due send
//! under a lease; a 2xx delivers it; anything else is tried again with backoff (doubling, up to
//! six hours apart) for a day, then failed. Each endpoint has its delivery log, and a replay
//! sends a delivery again under the same `webhook-id` (receivers deduplicate by it).

use crate::AppState;
use crate::JsonBody;
use crate::auth::Admin;
use crate::billing::secrets::{self, SecretsKey};
use crate::billing::svix;
use crate::error::{Error, Result};
use axum::Json;
use axum::extract::{Path, State};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};
use std::time::Duration;
use tokio::sync::watch;

/// The events an endpoint may take.
pub const EVENTS: [&str; 6] = [
    "ticket.created",
    "message.received",
    "reply.sent",
    "reply.failed",
    "escalation.raised",
    "escalation.decided",
];

/// The LISTEN/NOTIFY channel an emitted event pokes.
pub const CHANNEL: &str = "countersign_hooks";

/// The sender's timings.
#[derive(Debug, Clone)]
pub struct HooksConfig {
    /// Bounds each request to an endpoint.
    pub timeout: Duration,
    /// How long a claim keeps other instances off a send (more than the timeout).
    pub lease: Duration,
    pub poll: Duration,
    /// The wait before the second attempt; it doubles, up to six hours.
    pub retry_after: Duration,
    /// How long a send is tried before it fails.
    pub give_up_after: Duration,
}

impl Default for HooksConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(15),
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(5),
            retry_after: Duration::from_secs(10),
            give_up_after: Duration::from_secs(24 * 3600),
        }
    }
}

/// Queues `event` with `data` for every endpoint of the tenant that takes it, in `tx`.
pub async fn emit(tx: &mut PgConnection, tenant_id: &str, event: &str, data: Value) -> Result<()> {
    debug_assert!(EVENTS.contains(&event), "{event}");
    let queued = sqlx::query(
        "INSERT INTO webhook_sends (tenant_id, id, endpoint_id, event_type, payload)
         SELECT tenant_id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), id, $2,
                jsonb_build_object('type', $2::text, 'timestamp', to_char(now() AT TIME ZONE 'UTC',
                                   'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), 'data', $3::jsonb)
         FROM webhook_endpoints WHERE tenant_id = $1 AND $2 = ANY(events)",
    )
    .bind(tenant_id)
    .bind(event)
    .bind(&data)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if queued > 0 {
        crate::worker::poke(tx, CHANNEL, tenant_id).await?;
    }
    Ok(())
}

/// `POST /v1/admin/tenants/{id}/webhooks` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointInput {
    pub url: String,
    pub events: Vec<String>,
}

/// An endpoint as the API shows it; `secret` only in the answer that made it.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct Endpoint {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: DateTime<Utc>,
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One delivery in an endpoint's log.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct Delivery {
    pub id: String,
    pub event_type: String,
    pub state: String,
    pub attempts: i32,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

fn checked_url(raw: &str) -> Result<String> {
    let url = raw.trim();
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::invalid(format!("url {url:?} is not a URL: {e}")))?;
    let loopback = parsed
        .host_str()
        .is_some_and(crate::mail::channel::is_loopback);
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => {
            return Err(Error::invalid(
                "url must be https (http only to this machine)",
            ));
        }
    }
    if parsed.host_str().is_none()
        || url.len() > 2000
        || !parsed.username().is_empty()
        || parsed.password().is_some()
    {
        return Err(Error::invalid(
            "url must be https://HOST[:PORT]/PATH[?QUERY], without credentials, at most 2000 characters",
        ));
    }
    Ok(url.to_owned())
}

fn binding(tenant_id: &str, endpoint_id: &str) -> String {
    secrets::binding("webhook_endpoint", tenant_id, endpoint_id)
}

pub async fn create(
    pool: &PgPool,
    secrets: Option<&SecretsKey>,
    tenant_id: &str,
    input: &EndpointInput,
) -> Result<Endpoint> {
    let url = checked_url(&input.url)?;
    let mut events: Vec<String> = input.events.iter().map(|e| e.trim().to_owned()).collect();
    events.sort();
    events.dedup();
    if events.is_empty() {
        return Err(Error::invalid(format!(
            "events must name at least one of {}",
            EVENTS.join(", ")
        )));
    }
    if let Some(bad) = events.iter().find(|e| !EVENTS.contains(&e.as_str())) {
        return Err(Error::invalid(format!(
            "unknown event {bad:?}; known: {}",
            EVENTS.join(", ")
        )));
    }
    let secrets = secrets.ok_or_else(|| {
        Error::new(
            countersign_model::ErrorCode::Unavailable,
            format!(
                "the platform has no secrets key to seal the endpoint's signing secret with: start \
                 it with {} set to 64 hex digits (`openssl rand -hex 32`)",
                secrets::ENV
            ),
        )
    })?;
    let id = crate::new_id("whe_");
    let mut raw = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut raw);
    let secret = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    );
    let mut made: Endpoint = sqlx::query_as(
        "INSERT INTO webhook_endpoints (tenant_id, id, url, secret_sealed, events)
         SELECT id, $2, $3, $4, $5 FROM tenants WHERE id = $1
         RETURNING id, url, events, created_at",
    )
    .bind(tenant_id)
    .bind(&id)
    .bind(&url)
    .bind(secrets.seal(&binding(tenant_id, &id), &secret))
    .bind(&events)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found("tenant", tenant_id))?;
    made.secret = Some(secret);
    tracing::info!(
        tenant = tenant_id,
        endpoint = id,
        ?events,
        "webhook endpoint made"
    );
    Ok(made)
}

pub async fn list(pool: &PgPool, tenant_id: &str) -> Result<Vec<Endpoint>> {
    Ok(sqlx::query_as(
        "SELECT id, url, events, created_at FROM webhook_endpoints WHERE tenant_id = $1 ORDER BY created_at",
    )
    .bind(tenant_id)
    .fetch_all(pool)
    .await?)
}

pub async fn delete(pool: &PgPool, tenant_id: &str, id: &str) -> Result<Endpoint> {
    sqlx::query_as(
        "DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2
         RETURNING id, url, events, created_at",
    )
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found("webhook endpoint", id))
}

/// The endpoint's last 100 deliveries, newest first.
pub async fn deliveries(pool: &PgPool, tenant_id: &str, endpoint: &str) -> Result<Vec<Delivery>> {
    list_of(pool, tenant_id, endpoint).await?;
    Ok(sqlx::query_as(
        "SELECT id, event_type, state, attempts, last_status, last_error, created_at, delivered_at
         FROM webhook_sends WHERE tenant_id = $1 AND endpoint_id = $2
         ORDER BY created_at DESC, id DESC LIMIT 100",
    )
    .bind(tenant_id)
    .bind(endpoint)
    .fetch_all(pool)
    .await?)
}

async fn list_of(pool: &PgPool, tenant_id: &str, endpoint: &str) -> Result<()> {
    let found: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(endpoint)
            .fetch_optional(pool)
            .await?;
    found
        .map(|_| ())
        .ok_or_else(|| Error::not_found("webhook endpoint", endpoint))
}

/// Sends a delivery again, under its own `webhook-id`, with a new day of retries.
pub async fn replay(pool: &PgPool, tenant_id: &str, endpoint: &str, id: &str) -> Result<Delivery> {
    let mut tx = pool.begin().await?;
    let d: Delivery = sqlx::query_as(
        "UPDATE webhook_sends SET state = 'queued', due_at = now(), window_from = now(), lease = NULL,
                attempts = 0
         WHERE tenant_id = $1 AND endpoint_id = $2 AND id = $3
         RETURNING id, event_type, state, attempts, last_status, last_error, created_at, delivered_at",
    )
    .bind(tenant_id)
    .bind(endpoint)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("webhook delivery", id))?;
    crate::worker::poke(&mut tx, CHANNEL, tenant_id).await?;
    tx.commit().await?;
    Ok(d)
}

/// Runs until `shutdown` turns true.
pub async fn run(
    pool: PgPool,
    secrets: Option<SecretsKey>,
    config: HooksConfig,
    wake: std::sync::Arc<tokio::sync::Notify>,
    shutdown: watch::Receiver<bool>,
) {
    let http = reqwest::Client::builder()
        .timeout(config.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    crate::worker::run(wake, config.poll, "webhook sender", shutdown, || {
        step(&pool, secrets.as_ref(), &config, &http)
    })
    .await;
}

#[derive(Debug, sqlx::FromRow)]
struct Job {
    tenant_id: String,
    id: String,
    endpoint_id: String,
    payload: Value,
    attempts: i32,
    url: String,
    secret_sealed: Vec<u8>,
    gave_up: bool,
}

/// Claims one due send and makes one attempt; `false` when none was due.
pub async fn step(
    pool: &PgPool,
    secrets: Option<&SecretsKey>,
    config: &HooksConfig,
    http: &reqwest::Client,
) -> Result<bool> {
    let job: Option<Job> = sqlx::query_as(
        "WITH due AS (
             SELECT tenant_id, id FROM webhook_sends
             WHERE state = 'queued' AND due_at <= now() AND (lease IS NULL OR lease < now())
             ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE webhook_sends s
         SET attempts = s.attempts + 1, lease = now() + make_interval(secs => $1)
         FROM due, webhook_endpoints e
         WHERE s.tenant_id = due.tenant_id AND s.id = due.id
           AND e.tenant_id = s.tenant_id AND e.id = s.endpoint_id
         RETURNING s.tenant_id, s.id, s.endpoint_id, s.payload, s.attempts, e.url, e.secret_sealed,
                   s.window_from + make_interval(secs => $2) < now() AS gave_up",
    )
    .bind(config.lease.as_secs_f64())
    .bind(config.give_up_after.as_secs_f64())
    .fetch_optional(pool)
    .await?;
    let Some(job) = job else {
        return Ok(false);
    };
    let (status, error) = attempt(secrets, http, &job).await;
    let delivered = status.is_some_and(|s| (200..300).contains(&s));
    let state = if delivered {
        "delivered"
    } else if job.gave_up {
        "failed"
    } else {
        "queued"
    };
    let wait = config
        .retry_after
        .saturating_mul(1 << (job.attempts - 1).clamp(0, 16))
        .min(Duration::from_secs(6 * 3600));
    sqlx::query(
        "UPDATE webhook_sends SET state = $4, lease = NULL, last_status = $5, last_error = $6,
                delivered_at = CASE WHEN $4 = 'delivered' THEN now() ELSE delivered_at END,
                due_at = CASE WHEN $4 = 'queued' THEN now() + make_interval(secs => $7) ELSE due_at END
         WHERE tenant_id = $1 AND id = $2 AND attempts = $3",
    )
    .bind(&job.tenant_id)
    .bind(&job.id)
    .bind(job.attempts)
    .bind(state)
    .bind(status.map(i32::from))
    .bind(&error)
    .bind(wait.as_secs_f64())
    .execute(pool)
    .await?;
    tracing::info!(tenant = %job.tenant_id, endpoint = %job.endpoint_id, delivery = %job.id,
                   attempt = job.attempts, ?status, state, "webhook attempt");
    Ok(true)
}

/// One request: the HTTP status (when the endpoint answered) and what went wrong.
async fn attempt(
    secrets: Option<&SecretsKey>,
    http: &reqwest::Client,
    job: &Job,
) -> (Option<u16>, Option<String>) {
    let Some(secret) = secrets.and_then(|s| {
        s.open(
            &binding(&job.tenant_id, &job.endpoint_id),
            &job.secret_sealed,
        )
    }) else {
        return (
            None,
            Some(format!(
                "the endpoint's signing secret does not open with this platform's secrets key ({})",
                secrets::ENV
            )),
        );
    };
    let key = svix::key(&secret).expect("a secret the platform made");
    let body = job.payload.to_string();
    let timestamp = Utc::now().timestamp().to_string();
    let signature = svix::signature(&key, &job.id, &timestamp, body.as_bytes());
    let sent = http
        .post(&job.url)
        .header("content-type", "application/json")
        .header("webhook-id", &job.id)
        .header("webhook-timestamp", &timestamp)
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => (Some(r.status().as_u16()), None),
        Ok(mut r) => {
            let status = r.status().as_u16();
            // The first bytes of what it said, never the whole of a large body.
            let first = r.chunk().await.ok().flatten().unwrap_or_default();
            let text = String::from_utf8_lossy(&first[..first.len().min(300)]).into_owned();
            (Some(status), Some(format!("HTTP {status}: {text}")))
        }
        Err(e) => (None, Some(format!("no answer: {e}"))),
    }
}

pub async fn post_endpoint(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    JsonBody(input): JsonBody<EndpointInput>,
) -> Result<Json<Endpoint>> {
    Ok(Json(
        create(&state.pool, state.secrets.as_ref(), &tenant_id, &input).await?,
    ))
}

pub async fn get_endpoints(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
) -> Result<Json<Value>> {
    Ok(Json(
        json!({"endpoints": list(&state.pool, &tenant_id).await?}),
    ))
}

pub async fn delete_endpoint(
    _: Admin,
    State(state): State<AppState>,
    Path((tenant_id, id)): Path<(String, String)>,
) -> Result<Json<Endpoint>> {
    Ok(Json(delete(&state.pool, &tenant_id, &id).await?))
}

pub async fn get_deliveries(
    _: Admin,
    State(state): State<AppState>,
    Path((tenant_id, id)): Path<(String, String)>,
) -> Result<Json<Value>> {
    Ok(Json(
        json!({"deliveries": deliveries(&state.pool, &tenant_id, &id).await?}),
    ))
}

pub async fn post_replay(
    _: Admin,
    State(state): State<AppState>,
    Path((tenant_id, id, delivery)): Path<(String, String, String)>,
) -> Result<Json<Delivery>> {
    Ok(Json(replay(&state.pool, &tenant_id, &id, &delivery).await?))
}
