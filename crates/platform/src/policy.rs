//! A tenant's escalation policy (`countersign_model::escalation_rules::Policy`), set by an
//! operator: `PUT|GET /v1/admin/tenants/{tenant}/escalation-policy` or `countersign-platform admin
//! set-escalation-policy`. The platform decides every approval by it
//! (`mutations::escalations`); every desk of the tenant receives it on the feed and applies the
//! same rule, offline too. A tenant without one has the default: supervisors approve any amount,
//! agents approve nothing, nobody approves their own money escalation, one approval decides.

use crate::auth::Admin;
use crate::error::{Error, Result};
use crate::feed::Changed;
use crate::{AppState, JsonBody};
use axum::Json;
use axum::extract::{Path, State};
use countersign_model::escalation_rules::Policy;
use countersign_model::sync::Entity;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};

/// The id of the escalation policy as a `policy` record on the feed.
pub const ESCALATIONS: &str = "escalations";

/// A policy as set, with its version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicySet {
    pub policy: Policy,
    pub version: i64,
}

/// The tenant's policy as decisions read it (the default when none is set).
pub async fn of(tx: &mut PgConnection, tenant_id: &str) -> Result<Policy> {
    let stored: Option<sqlx::types::Json<Policy>> =
        sqlx::query_scalar("SELECT policy FROM escalation_policies WHERE tenant_id = $1")
            .bind(tenant_id)
            .fetch_optional(&mut *tx)
            .await?;
    Ok(stored.map(|p| p.0).unwrap_or_default())
}

/// Sets the tenant's policy; its desks receive it on the feed.
pub async fn put(pool: &PgPool, tenant_id: &str, policy: &Policy) -> Result<PolicySet> {
    policy.check().map_err(Error::invalid)?;
    let mut tx = pool.begin().await?;
    let version: Option<i64> = sqlx::query_scalar(
        "INSERT INTO escalation_policies (tenant_id, policy)
         SELECT id, $2 FROM tenants WHERE id = $1
         ON CONFLICT (tenant_id) DO UPDATE SET policy = $2, version = escalation_policies.version + 1,
             updated_at = now()
         RETURNING version",
    )
    .bind(tenant_id)
    .bind(sqlx::types::Json(policy))
    .fetch_optional(&mut *tx)
    .await?;
    let version = version.ok_or_else(|| Error::not_found("tenant", tenant_id))?;
    let mut changed = Changed::default();
    changed.push(Entity::Policy, ESCALATIONS);
    changed.record(&mut tx, tenant_id).await?;
    tx.commit().await?;
    tracing::info!(tenant = tenant_id, version, "escalation policy set");
    Ok(PolicySet {
        policy: policy.clone(),
        version,
    })
}

pub async fn put_policy(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    JsonBody(policy): JsonBody<serde_json::Value>,
) -> Result<Json<PolicySet>> {
    let policy = Policy::from_operator(&policy).map_err(Error::invalid)?;
    Ok(Json(put(&state.pool, &tenant_id, &policy).await?))
}

pub async fn get_policy(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
) -> Result<Json<PolicySet>> {
    let row: Option<(sqlx::types::Json<Policy>, i64)> =
        sqlx::query_as("SELECT policy, version FROM escalation_policies WHERE tenant_id = $1")
            .bind(&tenant_id)
            .fetch_optional(&state.pool)
            .await?;
    let (policy, version) =
        row.ok_or_else(|| Error::not_found("escalation policy of tenant", &tenant_id))?;
    Ok(Json(PolicySet {
        policy: policy.0,
        version,
    }))
}
