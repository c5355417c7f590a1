//! The profile's AI providers: added, listed, tested, reordered and removed by the person, each
//! change audited. The configuration is a row; the key is in the OS keyring under an account
//! named in that row, and is never returned, logged or written to SQLite.

use crate::secrets;
use crate::store::{Store, now, ts};
use crate::workflow::audit_person;
use crate::{Error, Result, new_id};
use countersign_drafting::providers::{self as llm, ProviderConfig, ProviderKind};
use countersign_model::ipc::AddProvider;
use countersign_model::workflow::{Person, ProviderInfo};
use serde_json::json;
use sqlx::{Row, SqlitePool};
use std::time::Duration;

/// The name that always means the offline drafter, the chain's last link.
pub const OFFLINE: &str = "offline";
/// A provider's time limit per attempt when none is given.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    let ok = (1..=40).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(Error::invalid(format!(
            "a provider name has 1 to 40 letters, digits, '-', '_' or '.', got {name:?}"
        )));
    }
    if name.eq_ignore_ascii_case(OFFLINE) {
        return Err(Error::invalid(
            "`offline` is the built-in offline drafter, always last in the chain; choose another name",
        ));
    }
    Ok(name.to_owned())
}

/// The base URL to call: the kind's public endpoint when empty. A key is only ever sent over
/// HTTPS, or over plain HTTP to this machine (a local server).
fn check_base_url(kind: ProviderKind, base_url: &str, has_key: bool) -> Result<String> {
    let raw = base_url.trim().trim_end_matches('/');
    let raw = if raw.is_empty() {
        kind.default_base_url()
    } else {
        raw
    };
    let url = reqwest::Url::parse(raw)
        .map_err(|e| Error::invalid(format!("`base_url` {raw:?} is not a URL: {e}")))?;
    let loopback = matches!(
        url.host_str(),
        Some("127.0.0.1" | "localhost" | "[::1]" | "::1")
    );
    match url.scheme() {
        "https" => {}
        "http" if loopback || !has_key => {}
        "http" => {
            return Err(Error::invalid(format!(
                "{raw} is plain HTTP to another machine: a key would cross the network unencrypted; use https"
            )));
        }
        other => {
            return Err(Error::invalid(format!(
                "`base_url` must be http or https, not {other}"
            )));
        }
    }
    Ok(raw.to_owned())
}

fn info(row: &sqlx::sqlite::SqliteRow) -> Result<ProviderInfo> {
    let kind: String = row.try_get("kind")?;
    let model: String = row.try_get("model")?;
    let timeout_ms: i64 = row.try_get("timeout_ms")?;
    let key: Option<String> = row.try_get("key_account")?;
    Ok(ProviderInfo {
        name: row.try_get("name")?,
        author: format!("{kind}/{model}"),
        kind,
        base_url: row.try_get("base_url")?,
        model,
        timeout_secs: timeout_ms / 1000,
        position: row.try_get("position")?,
        has_key: key.is_some(),
    })
}

/// The providers, first tried first.
pub async fn list(pool: &SqlitePool) -> Result<Vec<ProviderInfo>> {
    sqlx::query("SELECT * FROM providers ORDER BY position, name")
        .fetch_all(pool)
        .await?
        .iter()
        .map(info)
        .collect()
}

/// Adds a provider at the end of the chain (before the offline drafter). Its key, if any, goes
/// to the keyring first: a row never points at a key that was not kept.
pub async fn add(store: &Store, person: &Person, p: &AddProvider) -> Result<ProviderInfo> {
    let name = check_name(&p.name)?;
    let kind = ProviderKind::parse(&p.kind).ok_or_else(|| {
        Error::invalid(format!(
            "`kind` must be openai-compatible or anthropic, got {:?}",
            p.kind
        ))
    })?;
    let key = p.key.as_deref().map(str::trim).filter(|k| !k.is_empty());
    let base_url = check_base_url(kind, &p.base_url, key.is_some())?;
    let model = p.model.trim();
    if model.is_empty() || model.chars().count() > 200 {
        return Err(Error::invalid(
            "`model` names the model, e.g. gpt-4o-mini or llama3.1",
        ));
    }
    let timeout = p.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS);
    if !(1..=300).contains(&timeout) {
        return Err(Error::invalid(format!(
            "`timeout` is 1 to 300 seconds, got {timeout}"
        )));
    }
    let exists: Option<String> = sqlx::query_scalar("SELECT name FROM providers WHERE name = ?")
        .bind(&name)
        .fetch_optional(store.pool())
        .await?;
    if exists.is_some() {
        return Err(Error::Conflict(format!(
            "a provider named {name} exists; remove it first or choose another name"
        )));
    }
    let account = match key {
        Some(k) => {
            let account = format!("provider-key:{}", new_id(""));
            let (a, k) = (account.clone(), k.to_owned());
            secrets::blocking(move || secrets::store_secret(&a, &k)).await?;
            Some(account)
        }
        None => None,
    };
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO providers (name, kind, base_url, model, timeout_ms, position, key_account, created_at) \
         VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM providers), ?, ?)",
    )
    .bind(&name)
    .bind(kind.as_str())
    .bind(&base_url)
    .bind(model)
    .bind(i64::try_from(timeout * 1000).unwrap_or(i64::MAX))
    .bind(&account)
    .bind(ts(now()))
    .execute(&mut *tx)
    .await?;
    let arguments = json!({"kind": kind.as_str(), "base_url": base_url, "model": model,
        "timeout_secs": timeout, "key": account.is_some()});
    audit_person(&mut tx, person, "add_provider", &name, &arguments, "ok").await?;
    tx.commit().await?;
    list(store.pool())
        .await?
        .into_iter()
        .find(|x| x.name == name)
        .ok_or_else(|| Error::not_found("provider", &name))
}

/// Removes a provider and forgets its key.
pub async fn remove(store: &Store, person: &Person, name: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let account: Option<Option<String>> =
        sqlx::query_scalar("DELETE FROM providers WHERE name = ? RETURNING key_account")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(account) = account else {
        return Err(not_configured(name));
    };
    audit_person(&mut tx, person, "remove_provider", name, &json!({}), "ok").await?;
    tx.commit().await?;
    if let Some(a) = account {
        secrets::blocking(move || secrets::delete_secret(&a)).await?;
    }
    Ok(())
}

fn not_configured(name: &str) -> Error {
    Error::not_found(
        "provider",
        format!("{name} (see `countersign providers list`)"),
    )
}

/// Puts the chain in the order given, which must name every provider once.
pub async fn reorder(
    store: &Store,
    person: &Person,
    names: &[String],
) -> Result<Vec<ProviderInfo>> {
    let mut tx = store.write().await?;
    let mut known: Vec<String> = sqlx::query_scalar("SELECT name FROM providers ORDER BY name")
        .fetch_all(&mut *tx)
        .await?;
    let mut given: Vec<String> = names.iter().map(|n| n.trim().to_owned()).collect();
    given.sort();
    known.sort();
    if given != known {
        return Err(Error::invalid(format!(
            "name every provider once, in the order wanted: {}",
            known.join(", ")
        )));
    }
    for (i, name) in names.iter().enumerate() {
        sqlx::query("UPDATE providers SET position = ? WHERE name = ?")
            .bind(i as i64 + 1)
            .bind(name.trim())
            .execute(&mut *tx)
            .await?;
    }
    let order = json!({"order": names});
    audit_person(
        &mut tx,
        person,
        "order_providers",
        "providers",
        &order,
        "ok",
    )
    .await?;
    tx.commit().await?;
    list(store.pool()).await
}

/// The chain's providers as the engine calls them, keys read from the keyring; only `only` when
/// given (`offline` gives none). A provider whose key cannot be read (a locked keyring) is left
/// out with the reason, second in the pair: the chain goes on without it.
pub async fn chain(
    pool: &SqlitePool,
    only: Option<&str>,
) -> Result<(Vec<ProviderConfig>, Vec<String>)> {
    if only.is_some_and(|o| o.eq_ignore_ascii_case(OFFLINE)) {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut skipped = Vec::new();
    let rows = sqlx::query("SELECT * FROM providers ORDER BY position, name")
        .fetch_all(pool)
        .await?;
    let mut out = Vec::new();
    for row in &rows {
        let name: String = row.try_get("name")?;
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let kind: String = row.try_get("kind")?;
        let account: Option<String> = row.try_get("key_account")?;
        let key = match account {
            Some(a) => match secrets::blocking(move || secrets::secret(&a)).await {
                Ok(key) => key,
                Err(e) => {
                    skipped.push(format!(
                        "{kind} ({name}) skipped: its key cannot be read: {e}"
                    ));
                    continue;
                }
            },
            None => None,
        };
        let timeout_ms: i64 = row.try_get("timeout_ms")?;
        out.push(ProviderConfig {
            kind: ProviderKind::parse(&kind).ok_or_else(|| {
                crate::store::corrupt(format!("provider {name} has kind {kind:?}"))
            })?,
            name,
            base_url: row.try_get("base_url")?,
            model: row.try_get("model")?,
            timeout: Duration::from_millis(u64::try_from(timeout_ms).unwrap_or(30_000)),
            key,
        });
    }
    if let Some(o) = only
        && out.is_empty()
        && skipped.is_empty()
    {
        return Err(not_configured(o));
    }
    Ok((out, skipped))
}

/// Makes one tiny call to a provider; returns how long it took to answer.
pub async fn test(pool: &SqlitePool, name: &str) -> Result<Duration> {
    let (mut found, skipped) = chain(pool, Some(name)).await?;
    let cfg = match found.pop() {
        Some(cfg) => cfg,
        None => return Err(Error::Unavailable(skipped.join("; "))),
    };
    llm::ping(&super::engine().http, &cfg)
        .await
        .map_err(|e| Error::Unavailable(format!("{} ({name}): {e}", cfg.author())))
}
