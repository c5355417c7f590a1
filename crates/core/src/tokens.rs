//! MCP client tokens. The secret (`cst_` + 64 hex digits) is shown once; the desk keeps only
//! its SHA-256, so a copied database grants nothing.

use crate::audit::{self, ActorKind};
use crate::store::{Store, now, parse_ts, parse_ts_opt, ts};
use crate::{Error, Result};
use countersign_model::TokenId;
use countersign_model::workflow::{Person, TokenInfo, TokenScope};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

pub const SECRET_PREFIX: &str = "cst_";

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn from_row(row: &SqliteRow) -> Result<TokenInfo> {
    Ok(TokenInfo {
        id: TokenId::parse(&row.try_get::<String, _>("id")?).map_err(crate::store::corrupt)?,
        name: row.try_get("name")?,
        scope: TokenScope::parse(&row.try_get::<String, _>("scope")?)
            .map_err(crate::store::corrupt)?,
        created_at: parse_ts(&row.try_get::<String, _>("created_at")?)?,
        last_used_at: parse_ts_opt(row.try_get::<Option<String>, _>("last_used_at")?.as_deref())?,
        revoked_at: parse_ts_opt(row.try_get::<Option<String>, _>("revoked_at")?.as_deref())?,
    })
}

/// Creates a token; returns its record and the secret, which is not stored anywhere.
pub async fn create(
    store: &Store,
    person: &Person,
    name: &str,
    scope: TokenScope,
) -> Result<(TokenInfo, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::invalid("a token name has 1 to 100 characters"));
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!("{SECRET_PREFIX}{}", hex::encode(bytes));
    let id = TokenId::from_suffix(crate::new_id(""));
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO mcp_tokens (id, name, scope, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id.as_str())
    .bind(name)
    .bind(scope.as_str())
    .bind(hash(&secret))
    .bind(ts(now()))
    .execute(&mut *tx)
    .await?;
    audit_token(
        &mut tx,
        person,
        "token_create",
        &id,
        &json!({"name": name, "scope": scope}),
    )
    .await?;
    tx.commit().await?;
    let info = find(store, &id).await?;
    Ok((info, secret))
}

/// Audits a person's action on a token, inside `tx`.
async fn audit_token(
    tx: &mut crate::store::Tx,
    person: &Person,
    action: &str,
    id: &TokenId,
    arguments: &serde_json::Value,
) -> Result<()> {
    audit::append(
        tx,
        &audit::Record {
            actor_kind: ActorKind::Human,
            actor: &person.name,
            token_id: Some(id.as_str()),
            action,
            subject: Some(id.as_str()),
            arguments,
            outcome: "ok",
            duration_us: None,
        },
    )
    .await?;
    Ok(())
}

pub async fn find(store: &Store, id: &TokenId) -> Result<TokenInfo> {
    let row = sqlx::query(
        "SELECT id, name, scope, created_at, last_used_at, revoked_at FROM mcp_tokens WHERE id = ?",
    )
    .bind(id.as_str())
    .fetch_optional(store.pool())
    .await?
    .ok_or_else(|| Error::not_found("token", id))?;
    from_row(&row)
}

pub async fn list(store: &Store) -> Result<Vec<TokenInfo>> {
    sqlx::query("SELECT id, name, scope, created_at, last_used_at, revoked_at FROM mcp_tokens ORDER BY created_at")
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn revoke(store: &Store, person: &Person, id: &TokenId) -> Result<TokenInfo> {
    let mut tx = store.write().await?;
    let n = sqlx::query("UPDATE mcp_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bind(ts(now()))
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM mcp_tokens WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        return Err(match exists {
            Some(_) => Error::Conflict(format!("token {id} is already revoked")),
            None => Error::not_found("token", id),
        });
    }
    audit_token(&mut tx, person, "token_revoke", id, &json!({})).await?;
    tx.commit().await?;
    find(store, id).await
}

/// The live token whose secret this is. Unknown, malformed and revoked secrets are all
/// `unauthenticated`, with no hint which.
pub async fn authenticate(store: &Store, secret: &str) -> Result<TokenInfo> {
    let denied = || Error::Unauthenticated("unknown or revoked token".into());
    if !secret.starts_with(SECRET_PREFIX) || secret.len() != SECRET_PREFIX.len() + 64 {
        return Err(denied());
    }
    let row = sqlx::query(
        "SELECT id, name, scope, created_at, last_used_at, revoked_at FROM mcp_tokens \
         WHERE secret_hash = ? AND revoked_at IS NULL",
    )
    .bind(hash(secret))
    .fetch_optional(store.pool())
    .await?
    .ok_or_else(denied)?;
    let info = from_row(&row)?;
    // Record use at most once a minute: a read-heavy assistant must not write on every call.
    if info
        .last_used_at
        .is_none_or(|t| now() - t > chrono::Duration::seconds(60))
    {
        sqlx::query("UPDATE mcp_tokens SET last_used_at = ? WHERE id = ?")
            .bind(ts(now()))
            .bind(info.id.as_str())
            .execute(store.pool())
            .await?;
    }
    Ok(info)
}
