//! A tenant's billing connector, set by an operator: `PUT|GET|DELETE
//! /v1/admin/tenants/{tenant}/billing-connector` or `countersign-platform admin
//! set-billing-connector`. The API key is sealed ([`super::secrets`]) before it is stored; no
//! route, log line or error message carries it.

use super::flexprice::{FlexPrice, http_client};
use super::secrets::{self, SecretsKey};
use crate::auth::Admin;
use crate::error::{Error, Result};
use crate::{AppState, JsonBody};
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use std::time::Duration;

/// What an operator sends.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectorInput {
    /// Only `flexprice` for now.
    #[serde(default = "flexprice")]
    pub kind: String,
    /// The API base, e.g. `https://us.api.flexprice.io/v1`.
    pub base_url: String,
    pub api_key: String,
    /// The signing secret of the FlexPrice webhook endpoint pointed at
    /// `/v1/webhooks/flexprice/{tenant}` (`whsec_…`); without it webhooks are refused.
    #[serde(default)]
    pub webhook_secret: Option<String>,
}

impl std::fmt::Debug for ConnectorInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectorInput")
            .field("kind", &self.kind)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

fn flexprice() -> String {
    "flexprice".into()
}

/// A connector as it is shown: never its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ConnectorInfo {
    pub tenant_id: String,
    pub kind: String,
    pub base_url: String,
    /// Whether FlexPrice's webhooks are taken (a signing secret is set); never the secret.
    pub webhooks: bool,
    pub updated_at: DateTime<Utc>,
}

/// A connector's columns as [`ConnectorInfo`] shows them.
macro_rules! shown {
    () => {
        "tenant_id, kind, base_url, webhook_secret_sealed IS NOT NULL AS webhooks, updated_at"
    };
}

/// The longest base URL or API key accepted.
const MAX_LEN: usize = 2000;

/// Checks a base URL: https, or plain http only to this machine (a key must not cross a
/// network in the clear).
fn checked_base_url(raw: &str) -> Result<String> {
    let url = raw.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::invalid(format!("base_url {url:?} is not a URL: {e}")))?;
    let loopback = parsed.host_str().is_some_and(|h| {
        h == "localhost"
            || h.trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    });
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(Error::invalid(format!(
                "base_url must be https (an API key does not travel in the clear), got {url:?}"
            )));
        }
        other => {
            return Err(Error::invalid(format!(
                "base_url must be an https URL, got a {other}: URL"
            )));
        }
    }
    if parsed.host_str().is_none()
        || url.len() > MAX_LEN
        || !parsed.username().is_empty()
        || parsed.password().is_some()
        || parsed.query().is_some()
        || parsed.fragment().is_some()
    {
        // Not echoed: it may hold a credential.
        return Err(Error::invalid(
            "base_url must be https://HOST[:PORT]/PATH, without credentials, query or fragment",
        ));
    }
    Ok(url.to_owned())
}

fn checked_key(key: &str) -> Result<&str> {
    let key = key.trim();
    if key.is_empty() || key.len() > MAX_LEN || key.chars().any(|c| c.is_control() || c == ' ') {
        return Err(Error::invalid(format!(
            "api_key must be 1 to {MAX_LEN} characters without spaces"
        )));
    }
    Ok(key)
}

/// Sets (or replaces) the tenant's connector.
pub async fn put(
    pool: &PgPool,
    secrets: Option<&SecretsKey>,
    tenant_id: &str,
    input: &ConnectorInput,
) -> Result<ConnectorInfo> {
    if input.kind != "flexprice" {
        return Err(Error::invalid(format!(
            "kind must be flexprice, got {:?}",
            input.kind
        )));
    }
    let base_url = checked_base_url(&input.base_url)?;
    let key = checked_key(&input.api_key)?;
    let secrets = secrets.ok_or_else(|| {
        Error::new(
            countersign_model::ErrorCode::Unavailable,
            format!(
                "the platform has no secrets key to seal the API key with: start it with {} \
                 set to 64 hex digits (`openssl rand -hex 32`), the same on every instance",
                secrets::ENV
            ),
        )
    })?;
    let webhook_secret = match input.webhook_secret.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(w) if super::svix::key(w).is_some() => Some(w),
        Some(_) => {
            return Err(Error::invalid(
                "webhook_secret must be the endpoint's signing secret as FlexPrice shows it, whsec_ and base64",
            ));
        }
    };
    let sealed = secrets.seal(&secrets::binding("api_key", tenant_id, &base_url), key);
    let webhook_sealed =
        webhook_secret.map(|w| secrets.seal(&secrets::binding("webhook_secret", tenant_id, ""), w));
    let set: ConnectorInfo = sqlx::query_as(concat!(
        "INSERT INTO billing_connectors (tenant_id, kind, base_url, api_key_sealed, webhook_secret_sealed)
         SELECT id, $2, $3, $4, $5 FROM tenants WHERE id = $1
         ON CONFLICT (tenant_id) DO UPDATE SET kind = $2, base_url = $3, api_key_sealed = $4,
             webhook_secret_sealed = $5, updated_at = now()
         RETURNING ",
        shown!()
    ))
    .bind(tenant_id)
    .bind(&input.kind)
    .bind(&base_url)
    .bind(&sealed)
    .bind(&webhook_sealed)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found("tenant", tenant_id))?;
    tracing::info!(tenant = tenant_id, base_url, "billing connector set");
    Ok(set)
}

pub async fn get(pool: &PgPool, tenant_id: &str) -> Result<ConnectorInfo> {
    sqlx::query_as(concat!(
        "SELECT ",
        shown!(),
        " FROM billing_connectors WHERE tenant_id = $1"
    ))
    .bind(tenant_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found("billing connector of tenant", tenant_id))
}

pub async fn delete(pool: &PgPool, tenant_id: &str) -> Result<ConnectorInfo> {
    let removed: ConnectorInfo = sqlx::query_as(concat!(
        "DELETE FROM billing_connectors WHERE tenant_id = $1 RETURNING ",
        shown!()
    ))
    .bind(tenant_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found("billing connector of tenant", tenant_id))?;
    tracing::info!(tenant = tenant_id, "billing connector removed");
    Ok(removed)
}

/// The tenant's FlexPrice, ready to call; `Err` says why there is none to call.
pub async fn client(
    tx: &mut PgConnection,
    secrets: Option<&SecretsKey>,
    tenant_id: &str,
    timeout: Duration,
) -> std::result::Result<FlexPrice, String> {
    let row: Option<(String, Vec<u8>)> = sqlx::query_as(
        "SELECT base_url, api_key_sealed FROM billing_connectors WHERE tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(|e| format!("cannot read the billing connector: {e}"))?;
    let (base_url, sealed) =
        row.ok_or("not executed — the billing connector was removed before it ran")?;
    let key = secrets
        .ok_or_else(|| {
            format!(
                "the platform has no secrets key ({}) to open the billing API key with",
                secrets::ENV
            )
        })?
        .open(&secrets::binding("api_key", tenant_id, &base_url), &sealed)
        .ok_or_else(|| {
            format!(
                "the billing API key does not open with this platform's secrets key ({}): \
                 set the connector again",
                secrets::ENV
            )
        })?;
    Ok(FlexPrice::new(http_client(timeout), &base_url, key))
}

pub async fn put_connector(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    JsonBody(input): JsonBody<ConnectorInput>,
) -> Result<Json<ConnectorInfo>> {
    Ok(Json(
        put(&state.pool, state.secrets.as_ref(), &tenant_id, &input).await?,
    ))
}

pub async fn get_connector(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
) -> Result<Json<ConnectorInfo>> {
    Ok(Json(get(&state.pool, &tenant_id).await?))
}

pub async fn delete_connector(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
) -> Result<Json<ConnectorInfo>> {
    Ok(Json(delete(&state.pool, &tenant_id).await?))
}

/// The signing key of the tenant's FlexPrice webhooks, if it takes them.
pub async fn webhook_key(
    pool: &PgPool,
    secrets: Option<&SecretsKey>,
    tenant_id: &str,
) -> Result<Option<Vec<u8>>> {
    let sealed: Option<Option<Vec<u8>>> = sqlx::query_scalar(
        "SELECT webhook_secret_sealed FROM billing_connectors WHERE tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_optional(pool)
    .await?;
    let Some(sealed) = sealed.flatten() else {
        return Ok(None);
    };
    let binding = secrets::binding("webhook_secret", tenant_id, "");
    match secrets.and_then(|k| k.open(&binding, &sealed)) {
        Some(secret) => Ok(super::svix::key(&secret)),
        None => {
            // Said to the caller as no webhooks at all: an unsigned caller learns nothing.
            tracing::error!(
                tenant = tenant_id,
                "the webhook secret does not open with this platform's secrets key; set the connector again"
            );
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::checked_base_url;

    #[test]
    fn a_key_travels_only_over_https_or_to_this_machine() {
        assert_eq!(
            checked_base_url("https://us.api.flexprice.io/v1/").unwrap(),
            "https://us.api.flexprice.io/v1"
        );
        assert!(checked_base_url("http://127.0.0.1:9000/v1").is_ok());
        assert!(checked_base_url("http://localhost:9000/v1").is_ok());
        assert!(checked_base_url("http://billing.example/v1").is_err());
        assert!(checked_base_url("ftp://billing.example/v1").is_err());
        assert!(checked_base_url("https://user:pw@billing.example/v1").is_err());
        assert!(checked_base_url("https://:pw@billing.example/v1").is_err());
        assert!(checked_base_url("https://billing.example/v1?api_key=sk").is_err());
        assert!(checked_base_url("https://billing.example/v1#sk").is_err());
        assert!(checked_base_url("not a url").is_err());
    }
}
