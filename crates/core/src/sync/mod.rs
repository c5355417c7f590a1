//! Sync with the central platform: sign in (the token goes to the OS keyring, never the desk),
//! push the outbox, pull the tenant's change feed. A desk that is offline keeps working and
//! queues; [`sync_once`] catches up. Delivery is at-least-once; the platform applies each
//! mutation exactly once (it dedups by device and sequence, and by mutation id).

pub mod client;
mod columns;
#[cfg(test)]
mod fixtures;
pub mod initial;
mod page;
pub mod presence;
mod pull;
mod push;
mod record;
mod refusal;
pub mod state;
mod watch;

pub use client::{PlatformClient, parse_platform_url};
pub use initial::PageWriter;
pub use page::{ReadPage, apply_page, apply_read_page, read_page};
pub use pull::{PullProgress, pull};
pub use push::{PushReport, push};
pub use watch::{backoff, watch};

use crate::audit::{self, ActorKind};
use crate::store::{now, ts};
use crate::{Error, Result, Store, secrets, settings};
use countersign_model::sync::{Me, SyncNotice, SyncStatus};
use serde_json::json;
use sqlx::Row;
use std::time::Instant;

/// How long [`status`] trusts what this process last learned about a device's token. The
/// status bar refreshes after every change to the desk; asking the OS keyring each time is a
/// D-Bus round trip (and reads the secret) for a fact that only signing in or out changes — and
/// those, like every sync round's [`connect`], update it at once.
const SIGNED_IN_TTL: std::time::Duration = std::time::Duration::from_secs(30);

type SignedIn = std::collections::HashMap<String, (Instant, bool)>;
static SIGNED_IN: std::sync::Mutex<Option<SignedIn>> = std::sync::Mutex::new(None);

fn remember_signed_in(device: &str, signed_in: bool) {
    let mut known = SIGNED_IN.lock().unwrap_or_else(|p| p.into_inner());
    known
        .get_or_insert_with(Default::default)
        .insert(device.to_owned(), (Instant::now(), signed_in));
}

fn known_signed_in(device: &str) -> Option<bool> {
    let known = SIGNED_IN.lock().unwrap_or_else(|p| p.into_inner());
    known
        .as_ref()?
        .get(device)
        .filter(|(at, _)| at.elapsed() < SIGNED_IN_TTL)
        .map(|(_, signed_in)| *signed_in)
}

/// This profile's device id, created on first use. It names the desk to the platform (dedup key)
/// and its keyring entry.
pub async fn device_id(store: &Store) -> Result<String> {
    if let Some(id) = state::get(store.pool(), state::DEVICE_ID).await? {
        return Ok(id);
    }
    let id = crate::new_id("dev_");
    // Two processes racing here keep the first id.
    sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")
        .bind(state::DEVICE_ID)
        .bind(&id)
        .execute(store.pool())
        .await?;
    Ok(state::get(store.pool(), state::DEVICE_ID)
        .await?
        .unwrap_or(id))
}

/// Signs this profile in: asks the platform who the token belongs to, keeps the token in the OS
/// keyring and takes the person's name and role from the platform.
pub async fn login(store: &Store, url: &str, token: &str) -> Result<Me> {
    let client = PlatformClient::new(url, token.trim())?;
    let me = client.me().await?;
    if let Some(previous) = state::get(store.pool(), state::ME).await?
        && let Ok(previous) = serde_json::from_str::<Me>(&previous)
        && previous.tenant.id != me.tenant.id
    {
        return Err(Error::Conflict(format!(
            "this profile holds the desk of tenant {:?}; sign in to {:?} with a new profile (--profile NAME)",
            previous.tenant.name, me.tenant.name
        )));
    }
    let device = device_id(store).await?;
    let secret = token.trim().to_owned();
    let dev = device.clone();
    secrets::blocking(move || secrets::store_platform_token(&dev, &secret)).await?;
    remember_signed_in(&device, true);
    let mut tx = store.write().await?;
    state::put(&mut *tx, state::URL, client.base()).await?;
    state::put(
        &mut *tx,
        state::ME,
        &serde_json::to_string(&me).map_err(crate::store::corrupt)?,
    )
    .await?;
    state::put(&mut *tx, settings::PERSON_NAME, &me.agent.name).await?;
    state::put(&mut *tx, settings::PERSON_ROLE, me.agent.role.as_str()).await?;
    audit::append(
        &mut tx,
        &audit::Record {
            actor_kind: ActorKind::Human,
            actor: &me.agent.name,
            token_id: None,
            action: "sync_login",
            subject: Some(client.base()),
            arguments: &json!({"tenant": me.tenant.name, "role": me.agent.role, "device": device}),
            outcome: "ok",
            duration_us: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(me)
}

/// Signs out: forgets the token. The desk, its queue and its cursor stay; signing in again
/// continues where it stopped.
pub async fn logout(store: &Store) -> Result<()> {
    let device = device_id(store).await?;
    let dev = device.clone();
    secrets::blocking(move || secrets::delete_platform_token(&dev)).await?;
    remember_signed_in(&device, false);
    let name = settings::person(store.pool()).await?.name;
    let mut tx = store.write().await?;
    audit::append(
        &mut tx,
        &audit::Record {
            actor_kind: ActorKind::Human,
            actor: &name,
            token_id: None,
            action: "sync_logout",
            subject: None,
            arguments: &json!({}),
            outcome: "ok",
            duration_us: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A client for this profile's platform, or why there is none.
pub async fn connect(store: &Store) -> Result<(PlatformClient, String)> {
    let url = state::get(store.pool(), state::URL).await?.ok_or_else(|| {
        Error::invalid(
            "this profile is not connected to a platform; sign in with `countersign sync login --url URL`",
        )
    })?;
    let device = device_id(store).await?;
    let dev = device.clone();
    let token = secrets::blocking(move || secrets::platform_token(&dev)).await?;
    remember_signed_in(&device, token.is_some());
    let token = token.ok_or_else(|| {
            Error::Unauthenticated(
                "signed out: no platform token in the OS keyring; sign in with `countersign sync login`"
                    .into(),
            )
        })?;
    Ok((PlatformClient::new(&url, &token)?, device))
}

/// What one round did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SyncReport {
    pub pushed: PushReport,
    pub pulled_changes: u64,
    pub rows_changed: u64,
    pub cursor: i64,
}

/// One round: push the outbox, then pull what changed (including the effects of the push).
/// Records online/offline and the last error for the status bar.
pub async fn sync_once(
    store: &Store,
    progress: impl FnMut(PullProgress) + Send,
) -> Result<SyncReport> {
    let (client, device) = connect(store).await?;
    round(store, &client, &device, progress).await
}

/// [`sync_once`] with a client already connected (the watcher keeps one between rounds instead
/// of reading the keyring each time).
#[tracing::instrument(name = "sync_round", skip_all, fields(device = %device), err(level = "info"))]
pub async fn round(
    store: &Store,
    client: &PlatformClient,
    device: &str,
    progress: impl FnMut(PullProgress) + Send,
) -> Result<SyncReport> {
    let round = async {
        let pushed = push::push(store, client, device).await?;
        let (pulled_changes, rows_changed, cursor) = pull(store, client, progress).await?;
        Ok::<_, Error>(SyncReport {
            pushed,
            pulled_changes,
            rows_changed,
            cursor,
        })
    }
    .await;
    match &round {
        Ok(_) => {
            state::put(store.pool(), state::ONLINE, "true").await?;
            state::delete(store.pool(), state::LAST_ERROR).await?;
        }
        Err(e) => {
            let offline = e.code() == countersign_model::ErrorCode::Unavailable;
            state::put(
                store.pool(),
                state::ONLINE,
                if offline { "false" } else { "true" },
            )
            .await?;
            state::put(
                store.pool(),
                state::LAST_ERROR,
                &format!("{} {}", ts(now()), e.public_message()),
            )
            .await?;
        }
    }
    round
}

async fn cursor(store: &Store) -> Result<i64> {
    Ok(parse_cursor(state::get(store.pool(), state::CURSOR).await?))
}

/// A stored cursor; none yet is 0, the start of the feed.
fn parse_cursor(stored: Option<String>) -> i64 {
    stored.and_then(|c| c.parse().ok()).unwrap_or(0)
}

/// The desk's sync state. Asks the keyring whether a token is there (without reading it out).
pub async fn status(store: &Store) -> Result<SyncStatus> {
    let pool = store.pool();
    // Every `sync.*` setting in one read (the status bar asks after every change to the desk).
    let mut sync: std::collections::HashMap<String, String> =
        sqlx::query_as("SELECT key, value FROM settings WHERE key LIKE 'sync.%'")
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    let platform = sync.remove(state::URL);
    let signed_in = match &platform {
        None => Some(false),
        Some(_) => {
            let device = device_id(store).await?;
            match known_signed_in(&device) {
                Some(known) => Some(known),
                None => {
                    let dev = device.clone();
                    let found = secrets::blocking(move || {
                        Ok(secrets::platform_token(&dev).ok().map(|t| t.is_some()))
                    })
                    .await?;
                    if let Some(found) = found {
                        remember_signed_in(&device, found);
                    }
                    found
                }
            }
        }
    };
    let counts = sqlx::query(
        "SELECT (SELECT count(*) FROM outbox WHERE delivered_at IS NULL) AS outbox, \
                (SELECT count(*) FROM sync_notices WHERE read_at IS NULL) AS notices",
    )
    .fetch_one(pool)
    .await?;
    Ok(SyncStatus {
        me: sync
            .remove(state::ME)
            .and_then(|m| serde_json::from_str(&m).ok()),
        platform,
        signed_in,
        online: sync.remove(state::ONLINE).map(|v| v == "true"),
        cursor: parse_cursor(sync.remove(state::CURSOR)),
        outbox_depth: counts.try_get("outbox")?,
        last_pull_at: sync.remove(state::LAST_PULL),
        last_push_at: sync.remove(state::LAST_PUSH),
        last_error: sync.remove(state::LAST_ERROR),
        live_since: sync.remove(state::LIVE_SINCE),
        unread_notices: counts.try_get("notices")?,
        first_sync_loading: sync.contains_key(state::SET_ASIDE),
    })
}

/// The platform's refusals and conflicts, newest first; marks them read when asked to.
pub async fn notices(store: &Store, mark_read: bool) -> Result<Vec<SyncNotice>> {
    let rows = sqlx::query(
        "SELECT id, at, code, subject, message, read_at FROM sync_notices ORDER BY id DESC LIMIT 100",
    )
    .fetch_all(store.pool())
    .await?;
    let out = rows
        .iter()
        .map(|r| {
            Ok(SyncNotice {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                code: r.try_get("code")?,
                subject: r.try_get("subject")?,
                message: r.try_get("message")?,
                read: r.try_get::<Option<String>, _>("read_at")?.is_some(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if mark_read {
        sqlx::query("UPDATE sync_notices SET read_at = ? WHERE read_at IS NULL")
            .bind(ts(now()))
            .execute(store.pool())
            .await?;
    }
    Ok(out)
}
