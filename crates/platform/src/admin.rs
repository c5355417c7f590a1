//! Tenants, agents, their desks' API tokens and the integrations' ingest tokens: created by an
//! operator, through the admin HTTP API (admin token) or `countersign-platform admin …` against
//! the database. A token's secret is returned once; only its hash is stored.

use crate::auth::{self, Admin};
use crate::error::{Error, Result};
use crate::{AppState, JsonBody, new_id};
use axum::Json;
use axum::extract::{Path, State};
use countersign_model::sync::{AgentInfo, TenantInfo};
use countersign_model::workflow::Role;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

/// A freshly created token. `secret` is shown this once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewToken {
    pub id: String,
    pub tenant_id: String,
    pub agent_id: String,
    pub name: String,
    pub secret: String,
}

fn checked_text(what: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > max || v.contains('\0') {
        return Err(Error::invalid(format!(
            "{what} must be 1 to {max} characters"
        )));
    }
    Ok(v.to_owned())
}

pub async fn create_tenant(pool: &PgPool, name: &str) -> Result<TenantInfo> {
    let name = checked_text("name", name, 200)?;
    let id = new_id("ten_");
    sqlx::query("INSERT INTO tenants (id, name) VALUES ($1, $2)")
        .bind(&id)
        .bind(&name)
        .execute(pool)
        .await?;
    Ok(TenantInfo { id, name })
}

pub async fn create_agent(
    pool: &PgPool,
    tenant_id: &str,
    name: &str,
    email: &str,
    role: Role,
) -> Result<AgentInfo> {
    let name = checked_text("name", name, 200)?;
    let email = checked_text("email", email, 320)?;
    if !email.contains('@') {
        return Err(Error::invalid(format!(
            "email must be an address, got {email:?}"
        )));
    }
    let id = new_id("agt_");
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO agents (id, tenant_id, name, email, role)
         SELECT $1, t.id, $3, $4, $5 FROM tenants t WHERE t.id = $2
         ON CONFLICT (tenant_id, email) DO NOTHING",
    )
    .bind(&id)
    .bind(tenant_id)
    .bind(&name)
    .bind(&email)
    .bind(role.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        // Every desk of the tenant learns of the new colleague through the feed.
        let mut changed = crate::feed::Changed::default();
        changed.push(countersign_model::sync::Entity::Agent, &id);
        changed.record(&mut tx, tenant_id).await?;
        tx.commit().await?;
    } else {
        tx.rollback().await?;
        let tenant_exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1)")
                .bind(tenant_id)
                .fetch_one(pool)
                .await?;
        return Err(if tenant_exists {
            Error::new(
                countersign_model::ErrorCode::Conflict,
                format!("tenant {tenant_id} already has an agent with email {email}"),
            )
        } else {
            Error::not_found("tenant", tenant_id)
        });
    }
    Ok(AgentInfo {
        id,
        name,
        email,
        role,
    })
}

pub async fn create_token(
    pool: &PgPool,
    tenant_id: &str,
    agent_id: &str,
    name: &str,
) -> Result<NewToken> {
    let name = checked_text("name", name, 200)?;
    let id = new_id("ptk_");
    let secret = auth::new_secret();
    let inserted = sqlx::query(
        "INSERT INTO api_tokens (id, tenant_id, agent_id, name, secret_hash)
         SELECT $1, a.tenant_id, a.id, $4, $5 FROM agents a WHERE a.tenant_id = $2 AND a.id = $3",
    )
    .bind(&id)
    .bind(tenant_id)
    .bind(agent_id)
    .bind(&name)
    .bind(auth::secret_hash(&secret))
    .execute(pool)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(Error::not_found(
            "agent",
            &format!("{agent_id} of tenant {tenant_id}"),
        ));
    }
    Ok(NewToken {
        id,
        tenant_id: tenant_id.to_owned(),
        agent_id: agent_id.to_owned(),
        name,
        secret,
    })
}

/// A freshly created ingest token (an integration's). `secret` is shown this once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewIngestToken {
    pub id: String,
    pub tenant_id: String,
    pub name: String,
    pub secret: String,
}

/// Creates a token for an integration (the billing system, a mail channel) that may call the
/// tenant's ingest routes and nothing else.
pub async fn create_ingest_token(
    pool: &PgPool,
    tenant_id: &str,
    name: &str,
) -> Result<NewIngestToken> {
    let name = checked_text("name", name, 200)?;
    let id = new_id("itk_");
    let secret = auth::new_secret_with(auth::INGEST_SECRET_PREFIX);
    let inserted = sqlx::query(
        "INSERT INTO ingest_tokens (id, tenant_id, name, secret_hash)
         SELECT $1, t.id, $3, $4 FROM tenants t WHERE t.id = $2",
    )
    .bind(&id)
    .bind(tenant_id)
    .bind(&name)
    .bind(auth::secret_hash(&secret))
    .execute(pool)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(Error::not_found("tenant", tenant_id));
    }
    Ok(NewIngestToken {
        id,
        tenant_id: tenant_id.to_owned(),
        name,
        secret,
    })
}

/// Revokes a desk or ingest token; revoking a revoked token is not an error. The revocation is
/// announced on [`crate::events::REVOKED_CHANNEL`] when it commits, so every platform instance
/// closes the token's open event streams.
pub async fn revoke_token(pool: &PgPool, token_id: &str) -> Result<()> {
    checked_text("token id", token_id, 128)?;
    let mut tx = pool.begin().await?;
    let found: Option<String> = sqlx::query_scalar(
        "WITH desk AS (
             UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id),
         ingest AS (
             UPDATE ingest_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id)
         SELECT id FROM desk UNION ALL SELECT id FROM ingest",
    )
    .bind(token_id)
    .fetch_optional(&mut *tx)
    .await?;
    if found.is_none() {
        return Err(Error::not_found("token", token_id));
    }
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(crate::events::REVOKED_CHANNEL)
        .bind(token_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct NewTenant {
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct NewAgent {
    pub name: String,
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Deserialize)]
pub struct NewTokenRequest {
    pub name: String,
}

pub async fn post_tenant(
    _: Admin,
    State(state): State<AppState>,
    JsonBody(req): JsonBody<NewTenant>,
) -> Result<Json<TenantInfo>> {
    Ok(Json(create_tenant(&state.pool, &req.name).await?))
}

pub async fn post_agent(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    JsonBody(req): JsonBody<NewAgent>,
) -> Result<Json<AgentInfo>> {
    Ok(Json(
        create_agent(&state.pool, &tenant_id, &req.name, &req.email, req.role).await?,
    ))
}

pub async fn post_token(
    _: Admin,
    State(state): State<AppState>,
    Path((tenant_id, agent_id)): Path<(String, String)>,
    JsonBody(req): JsonBody<NewTokenRequest>,
) -> Result<Json<NewToken>> {
    Ok(Json(
        create_token(&state.pool, &tenant_id, &agent_id, &req.name).await?,
    ))
}

pub async fn post_ingest_token(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    JsonBody(req): JsonBody<NewTokenRequest>,
) -> Result<Json<NewIngestToken>> {
    Ok(Json(
        create_ingest_token(&state.pool, &tenant_id, &req.name).await?,
    ))
}

pub async fn post_revoke(
    _: Admin,
    State(state): State<AppState>,
    Path(token_id): Path<String>,
) -> Result<Json<serde_json::Value>> {
    revoke_token(&state.pool, &token_id).await?;
    Ok(Json(serde_json::json!({"id": token_id, "revoked": true})))
}
