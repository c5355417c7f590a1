//! A tenant's email channel through the admin API (`PUT|GET|DELETE
//! /v1/admin/tenants/{id}/email-channel`): the SMTP server replies leave through, with its
//! security and credentials, the support address they come from and the inbound address
//! customers write to. The password is sealed at rest under the platform's secrets key, bound
//! to the tenant and the server, and never returned, logged or put in an error.

use crate::AppState;
use crate::JsonBody;
use crate::auth::Admin;
use crate::billing::secrets::{self, SecretsKey};
use crate::error::{Error, Result};
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use countersign_model::ErrorCode;
use lettre::Address;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};

/// How the connection to the SMTP server is protected.
pub const SECURITY: [&str; 3] = ["tls", "starttls", "none"];

/// `PUT` body.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelInput {
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `tls` (implicit TLS, usually port 465), `starttls` (usually 587) or `none` (only to a
    /// server on this machine).
    pub smtp_security: String,
    #[serde(default)]
    pub smtp_username: Option<String>,
    /// Sealed at rest; never returned.
    #[serde(default)]
    pub smtp_password: Option<String>,
    /// The tenant's support address replies come from.
    pub from_address: String,
    #[serde(default)]
    pub from_name: Option<String>,
    /// The address customers write to (its mail reaches `POST /v1/ingest/email`).
    #[serde(default)]
    pub inbound_address: Option<String>,
}

impl std::fmt::Debug for ChannelInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChannelInput")
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_security", &self.smtp_security)
            .field("smtp_username", &self.smtp_username)
            .field("from_address", &self.from_address)
            .finish_non_exhaustive()
    }
}

/// The channel as the API shows it: everything but the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ChannelInfo {
    pub tenant_id: String,
    pub smtp_host: String,
    pub smtp_port: i32,
    pub smtp_security: String,
    pub smtp_username: Option<String>,
    /// Whether a password is held (it is never shown).
    pub password_set: bool,
    pub from_address: String,
    pub from_name: Option<String>,
    pub inbound_address: Option<String>,
    pub updated_at: DateTime<Utc>,
}

macro_rules! shown {
    () => {
        "tenant_id, smtp_host, smtp_port, smtp_security, smtp_username, \
         smtp_password_sealed IS NOT NULL AS password_set, from_address, from_name, \
         inbound_address, updated_at"
    };
}

/// What the password is bound to when sealed: opened only for this tenant and this server.
fn binding(tenant_id: &str, host: &str, port: i32) -> String {
    secrets::binding("smtp_password", tenant_id, &format!("{host}:{port}"))
}

/// Whether `host` is this machine (a name or an address).
pub(crate) fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn address(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    value
        .parse::<Address>()
        .map(|a| a.to_string())
        .map_err(|e| Error::invalid(format!("{field} {value:?} is not an email address: {e}")))
}

fn optional(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

pub async fn put(
    pool: &PgPool,
    secrets: Option<&SecretsKey>,
    tenant_id: &str,
    input: &ChannelInput,
) -> Result<ChannelInfo> {
    // An IPv6 address is kept bare, as the connection takes it.
    let host = input
        .smtp_host
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']');
    if host.is_empty()
        || host.len() > 253
        || host
            .chars()
            .any(|c| c.is_whitespace() || c == '/' || c == '@')
    {
        return Err(Error::invalid(format!(
            "smtp_host must be a host name or an IP address, got {host:?}"
        )));
    }
    if input.smtp_port == 0 {
        return Err(Error::invalid("smtp_port must be 1 to 65535"));
    }
    let security = input.smtp_security.trim();
    if !SECURITY.contains(&security) {
        return Err(Error::invalid(format!(
            "smtp_security must be tls, starttls or none, got {security:?}"
        )));
    }
    if security == "none" && !is_loopback(host) {
        return Err(Error::invalid(
            "smtp_security none is only for a server on this machine (localhost, 127.0.0.1, ::1): \
             replies and credentials never cross a network in the clear; use tls or starttls",
        ));
    }
    let username = optional(input.smtp_username.as_deref());
    let password = optional(input.smtp_password.as_deref());
    if password.is_some() != username.is_some() {
        return Err(Error::invalid(
            "smtp_username and smtp_password go together: give both or neither",
        ));
    }
    let from = address("from_address", &input.from_address)?;
    let inbound = optional(input.inbound_address.as_deref())
        .map(|a| address("inbound_address", a))
        .transpose()?;
    let from_name = optional(input.from_name.as_deref());
    if from_name.is_some_and(|n| n.chars().count() > 200 || n.contains(['\r', '\n'])) {
        return Err(Error::invalid(
            "from_name must be one line of at most 200 characters",
        ));
    }
    let port = i32::from(input.smtp_port);
    let sealed = match password {
        None => None,
        Some(p) => {
            let secrets = secrets.ok_or_else(|| {
                Error::new(
                    ErrorCode::Unavailable,
                    format!(
                        "the platform has no secrets key to seal the SMTP password with: start it \
                         with {} set to 64 hex digits (`openssl rand -hex 32`), the same on every \
                         instance",
                        secrets::ENV
                    ),
                )
            })?;
            Some(secrets.seal(&binding(tenant_id, host, port), p))
        }
    };
    let set: ChannelInfo = sqlx::query_as(concat!(
        "INSERT INTO email_channels (tenant_id, smtp_host, smtp_port, smtp_security, smtp_username,
                                     smtp_password_sealed, from_address, from_name, inbound_address)
         SELECT id, $2, $3, $4, $5, $6, $7, $8, $9 FROM tenants WHERE id = $1
         ON CONFLICT (tenant_id) DO UPDATE SET smtp_host = $2, smtp_port = $3, smtp_security = $4,
             smtp_username = $5, smtp_password_sealed = $6, from_address = $7, from_name = $8,
             inbound_address = $9, updated_at = now()
         RETURNING ",
        shown!()
    ))
    .bind(tenant_id)
    .bind(host)
    .bind(port)
    .bind(security)
    .bind(username)
    .bind(&sealed)
    .bind(&from)
    .bind(from_name)
    .bind(&inbound)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found("tenant", tenant_id))?;
    tracing::info!(
        tenant = tenant_id,
        host,
        port,
        security,
        "email channel set"
    );
    Ok(set)
}

pub async fn get(pool: &PgPool, tenant_id: &str) -> Result<ChannelInfo> {
    sqlx::query_as(concat!(
        "SELECT ",
        shown!(),
        " FROM email_channels WHERE tenant_id = $1"
    ))
    .bind(tenant_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found("email channel of tenant", tenant_id))
}

pub async fn delete(pool: &PgPool, tenant_id: &str) -> Result<ChannelInfo> {
    let removed = sqlx::query_as(concat!(
        "DELETE FROM email_channels WHERE tenant_id = $1 RETURNING ",
        shown!()
    ))
    .bind(tenant_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found("email channel of tenant", tenant_id))?;
    tracing::info!(tenant = tenant_id, "email channel removed");
    Ok(removed)
}

/// Whether the tenant has an email channel (a reply is then queued for delivery).
pub async fn exists(tx: &mut PgConnection, tenant_id: &str) -> Result<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM email_channels WHERE tenant_id = $1)")
            .bind(tenant_id)
            .fetch_one(&mut *tx)
            .await?,
    )
}

/// A channel ready to send through.
#[derive(Clone)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub security: String,
    /// Username and the opened password.
    pub credentials: Option<(String, String)>,
    pub from_address: String,
    pub from_name: Option<String>,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.credentials.as_ref().map(|c| &c.0))
            .finish_non_exhaustive()
    }
}

/// The tenant's channel with its password opened; `Err` says why it cannot be used, and
/// whether for good (`true`: the channel is gone or its password does not open) or for now
/// (the database, or this instance started without the secrets key).
pub async fn smtp(
    tx: &mut PgConnection,
    secrets: Option<&SecretsKey>,
    tenant_id: &str,
) -> std::result::Result<Smtp, (bool, String)> {
    type Row = (
        String,
        i32,
        String,
        Option<String>,
        Option<Vec<u8>>,
        String,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT smtp_host, smtp_port, smtp_security, smtp_username, smtp_password_sealed,
                from_address, from_name
         FROM email_channels WHERE tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(|e| (false, format!("cannot read the email channel: {e}")))?;
    let (host, port, security, username, sealed, from_address, from_name) = row.ok_or((
        true,
        "the tenant's email channel was removed before the reply was sent".to_owned(),
    ))?;
    let credentials = match (username, sealed) {
        (Some(user), Some(sealed)) => {
            let secrets = secrets.ok_or_else(|| {
                (
                    false,
                    format!(
                        "this platform instance has no secrets key ({}) to open the SMTP password with",
                        secrets::ENV
                    ),
                )
            })?;
            let password = secrets
                .open(&binding(tenant_id, &host, port), &sealed)
                .ok_or_else(|| {
                    (
                        true,
                        format!(
                            "the SMTP password does not open with this platform's secrets key ({}): \
                             set the email channel again",
                            secrets::ENV
                        ),
                    )
                })?;
            Some((user, password))
        }
        _ => None,
    };
    Ok(Smtp {
        host,
        port: u16::try_from(port)
            .map_err(|_| (true, format!("smtp_port {port} is out of range")))?,
        security,
        credentials,
        from_address,
        from_name,
    })
}

pub async fn put_channel(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    JsonBody(input): JsonBody<ChannelInput>,
) -> Result<Json<ChannelInfo>> {
    Ok(Json(
        put(&state.pool, state.secrets.as_ref(), &tenant_id, &input).await?,
    ))
}

pub async fn get_channel(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
) -> Result<Json<ChannelInfo>> {
    Ok(Json(get(&state.pool, &tenant_id).await?))
}

pub async fn delete_channel(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
) -> Result<Json<ChannelInfo>> {
    Ok(Json(delete(&state.pool, &tenant_id).await?))
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn only_this_machine_is_loopback() {
        for h in ["localhost", "127.0.0.1", "127.0.0.9", "::1", "[::1]"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in [
            "smtp.example.com",
            "10.0.0.1",
            "localhost.example.com",
            "0.0.0.0",
        ] {
            assert!(!is_loopback(h), "{h}");
        }
    }
}
