//! Who is calling. Agents authenticate with a bearer API token (only its SHA-256 is stored); the
//! admin API with the separate admin token given at start, compared in constant time. Every
//! handler that takes a [`Caller`] is scoped to `caller.tenant_id` and nothing else.

use crate::AppState;
use crate::error::{Error, Result};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use countersign_model::workflow::Role;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The prefix of every desk (agent) API token secret, so a leaked one is recognisable.
pub const SECRET_PREFIX: &str = "csp_";
/// The prefix of every ingest token secret (an integration's, not a person's).
pub const INGEST_SECRET_PREFIX: &str = "csi_";

/// A new desk token secret: the prefix and 32 random bytes in hex.
pub fn new_secret() -> String {
    new_secret_with(SECRET_PREFIX)
}

/// A new secret with `prefix` and 32 random bytes in hex.
pub fn new_secret_with(prefix: &str) -> String {
    let mut r = [0u8; 32];
    rand::rng().fill_bytes(&mut r);
    format!("{prefix}{}", hex::encode(r))
}

pub fn sha256(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// What is stored for a secret: its SHA-256 in hex.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(sha256(secret))
}

/// Compares two digests without an early exit, so timing says nothing about where they differ.
pub fn digests_equal(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The agent behind a valid API token, and its tenant.
#[derive(Debug, Clone)]
pub struct Caller {
    pub tenant_id: String,
    pub tenant_name: String,
    pub agent_id: String,
    pub agent_name: String,
    pub agent_email: String,
    pub role: Role,
    pub token_id: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let secret = bearer(parts).ok_or_else(|| {
            Error::unauthenticated("send `Authorization: Bearer <token>` with an API token")
        })?;
        let row: Option<(String, String, String, String, String, String, String)> = sqlx::query_as(
            "SELECT t.tenant_id, n.name, a.id, a.name, a.email, a.role, t.id
                 FROM api_tokens t
                 JOIN agents a ON a.id = t.agent_id AND a.tenant_id = t.tenant_id
                 JOIN tenants n ON n.id = t.tenant_id
                 WHERE t.secret_hash = $1 AND t.revoked_at IS NULL",
        )
        .bind(secret_hash(secret))
        .fetch_optional(&state.pool)
        .await?;
        let Some((tenant_id, tenant_name, agent_id, agent_name, agent_email, role, token_id)) = row
        else {
            if live_token(state, TokenKind::Ingest, secret).await? {
                return Err(Error::forbidden(
                    "an ingest token only feeds the ingest routes; a desk signs in with its \
                     agent's API token",
                ));
            }
            return Err(Error::unauthenticated(
                "the API token is unknown or revoked",
            ));
        };
        Ok(Caller {
            tenant_id,
            tenant_name,
            agent_id,
            agent_name,
            agent_email,
            role: Role::parse(&role)?,
            token_id,
        })
    }
}

/// The two kinds of token the platform issues.
#[derive(Debug, Clone, Copy)]
enum TokenKind {
    /// A desk's (an agent's) API token.
    Desk,
    /// An integration's ingest token.
    Ingest,
}

/// Whether `secret` is a live token of `kind` (to say why a token of the other kind is
/// refused).
async fn live_token(state: &AppState, kind: TokenKind, secret: &str) -> Result<bool> {
    let sql = match kind {
        TokenKind::Ingest => {
            "SELECT EXISTS (SELECT 1 FROM ingest_tokens WHERE secret_hash = $1 AND revoked_at IS NULL)"
        }
        TokenKind::Desk => {
            "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE secret_hash = $1 AND revoked_at IS NULL)"
        }
    };
    Ok(sqlx::query_scalar(sql)
        .bind(secret_hash(secret))
        .fetch_one(&state.pool)
        .await?)
}

/// An integration behind a valid ingest token (the billing system, a mail channel): it may feed
/// its tenant's records and messages, and nothing else. A desk's token is refused here: a
/// person's token cannot rewrite billing data or speak as a customer.
#[derive(Debug, Clone)]
pub struct Integration {
    pub tenant_id: String,
    pub token_id: String,
}

impl FromRequestParts<AppState> for Integration {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let secret = bearer(parts).ok_or_else(|| {
            Error::unauthenticated("send `Authorization: Bearer <token>` with an ingest token")
        })?;
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT tenant_id, id FROM ingest_tokens WHERE secret_hash = $1 AND revoked_at IS NULL",
        )
        .bind(secret_hash(secret))
        .fetch_optional(&state.pool)
        .await?;
        match row {
            Some((tenant_id, token_id)) => Ok(Integration {
                tenant_id,
                token_id,
            }),
            None if live_token(state, TokenKind::Desk, secret).await? => Err(Error::forbidden(
                "a desk's API token cannot ingest; create an ingest token for the integration \
                 (`countersign-platform admin create-ingest-token`)",
            )),
            None => Err(Error::unauthenticated(
                "the ingest token is unknown or revoked",
            )),
        }
    }
}

/// A request that presented the admin token.
#[derive(Debug, Clone, Copy)]
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let Some(expected) = &state.admin_token_sha256 else {
            return Err(Error::forbidden(
                "the admin API is disabled: start the platform with --admin-token \
                 or COUNTERSIGN_PLATFORM_ADMIN_TOKEN",
            ));
        };
        let given = bearer(parts)
            .ok_or_else(|| Error::unauthenticated("send `Authorization: Bearer <admin token>`"))?;
        if digests_equal(&sha256(given), expected) {
            Ok(Admin)
        } else {
            Err(Error::unauthenticated("wrong admin token"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_and_only_their_hash_is_kept() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b, "two secrets must differ");
        assert!(a.starts_with(SECRET_PREFIX));
        assert_eq!(secret_hash(&a).len(), 64);
        assert!(!secret_hash(&a).contains(&a[SECRET_PREFIX.len()..]));
        assert!(digests_equal(&sha256(&a), &sha256(&a)));
        assert!(!digests_equal(&sha256(&a), &sha256(&b)));
    }
}
