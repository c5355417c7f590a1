//! Who is on which ticket now. A desk says where its person is (`POST /v1/presence`: the ticket
//! open, reading or replying) and repeats it while they stay; it lapses after
//! [`PRESENCE_TTL_SECS`]. Each change is announced on [`CHANNEL`], and every event stream of the
//! tenant sends the tenant's list as a `presence` event, so colleagues see who else is there
//! before two of them answer the same customer.

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::{AppState, JsonBody};
use axum::Json;
use axum::extract::State;
use countersign_model::TicketId;
use countersign_model::sync::{PRESENCE_TTL_SECS, PresenceEntry, PresenceEvent, PresenceUpdate};
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

/// The LISTEN/NOTIFY channel of presence changes; payload: the tenant's id.
pub const CHANNEL: &str = "countersign_presence";

/// How many announcements an agent may make at once (a person paging through the inbox)…
pub const BURST: f64 = 20.0;
/// …and then how many a second. A desk repeats one every 20 s; each announcement reaches every
/// event stream of the tenant, so one token must not flood them all.
pub const PER_SECOND: f64 = 1.0;

/// Each agent's announcements left (a token bucket per agent, on this instance).
#[derive(Debug, Clone, Default)]
pub struct Limiter(Arc<Mutex<HashMap<String, (f64, Instant)>>>);

impl Limiter {
    /// Takes one announcement of `agent_id`'s, or says they made too many.
    pub fn take(&self, agent_id: &str) -> Result<()> {
        let now = Instant::now();
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() > 10_000 {
            // Forget agents whose bucket has filled up again: they are as if new.
            map.retain(|_, (left, at)| {
                *left + now.duration_since(*at).as_secs_f64() * PER_SECOND < BURST
            });
        }
        let (left, at) = map.entry(agent_id.to_owned()).or_insert((BURST, now));
        *left = (*left + now.duration_since(*at).as_secs_f64() * PER_SECOND).min(BURST);
        *at = now;
        if *left < 1.0 {
            tracing::warn!(agent = agent_id, "presence announcements rate limited");
            return Err(Error::new(
                countersign_model::ErrorCode::RateLimited,
                format!(
                    "too many presence announcements: at most {BURST} at once, then \
                     {PER_SECOND} a second"
                ),
            ));
        }
        *left -= 1.0;
        Ok(())
    }
}

/// The tenant's agents on a ticket now (lapsed ones left out), by ticket then name.
pub async fn current(pool: &PgPool, tenant_id: &str) -> Result<PresenceEvent> {
    // Read before the list: a list is at least as new as its `as_of`.
    let as_of: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT clock_timestamp()")
        .fetch_one(pool)
        .await?;
    let rows: Vec<(String, String, String, bool, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
        "SELECT p.agent_id, a.name, p.ticket_id, p.replying, p.expires_at
         FROM presence p JOIN agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
         WHERE p.tenant_id = $1 AND p.expires_at > now()
         ORDER BY p.ticket_id, a.name, p.agent_id",
    )
    .bind(tenant_id)
    .fetch_all(pool)
    .await?;
    Ok(PresenceEvent {
        present: rows
            .into_iter()
            .map(
                |(agent_id, agent_name, ticket_id, replying, until)| PresenceEntry {
                    agent_id,
                    agent_name,
                    ticket_id,
                    replying,
                    until,
                },
            )
            .collect(),
        as_of: Some(as_of),
    })
}

/// `POST /v1/presence`: the caller is on `ticket_id` now (or on none); answers the tenant's list.
pub async fn post_presence(
    caller: Caller,
    State(state): State<AppState>,
    JsonBody(p): JsonBody<PresenceUpdate>,
) -> Result<Json<PresenceEvent>> {
    state.presence_limit.take(&caller.agent_id)?;
    let t = &caller.tenant_id;
    let mut tx = state.pool.begin().await?;
    match &p.ticket_id {
        Some(ticket) => {
            TicketId::parse(ticket)?;
            let done = sqlx::query(
                "INSERT INTO presence (tenant_id, agent_id, ticket_id, replying, expires_at)
                 SELECT $1, $2, t.id, $4, now() + make_interval(secs => $5)
                 FROM tickets t WHERE t.tenant_id = $1 AND t.id = $3
                 ON CONFLICT (tenant_id, agent_id) DO UPDATE
                 SET ticket_id = excluded.ticket_id, replying = excluded.replying,
                     expires_at = excluded.expires_at",
            )
            .bind(t)
            .bind(&caller.agent_id)
            .bind(ticket)
            .bind(p.replying)
            .bind(PRESENCE_TTL_SECS as f64)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(Error::not_found("ticket", ticket));
            }
        }
        None => {
            sqlx::query("DELETE FROM presence WHERE tenant_id = $1 AND agent_id = $2")
                .bind(t)
                .bind(&caller.agent_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(t)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(current(&state.pool, t).await?))
}
