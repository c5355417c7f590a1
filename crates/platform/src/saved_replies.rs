//! A tenant's saved replies: written and withdrawn by an operator (admin API or
//! `countersign-platform admin …`), checked by the model's one rule
//! ([`SaveReply::checked`]), and fed to every desk of the tenant in the same transaction.

use crate::auth::Admin;
use crate::error::{Error, Result};
use crate::feed::Changed;
use crate::{AppState, JsonBody, new_id};
use axum::Json;
use axum::extract::{Path, State};
use countersign_model::ErrorCode;
use countersign_model::saved_replies::{SaveReply, SavedReply};
use countersign_model::sync::Entity;
use serde::Deserialize;
use sqlx::PgPool;

/// A saved reply as an operator writes it; `active: false` withdraws it from every desk.
#[derive(Debug, Clone, Deserialize)]
pub struct PutSavedReply {
    #[serde(flatten)]
    pub reply: SaveReply,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

fn checked(input: &SaveReply) -> Result<SaveReply> {
    input
        .checked()
        .map_err(|p| Error::new(p.code(), p.to_string()))
}

/// Writes saved reply `id` of the tenant (a new one when `id` is `None`), feeds it, and returns
/// it as desks will hold it.
pub async fn put(
    pool: &PgPool,
    tenant_id: &str,
    id: Option<&str>,
    input: &PutSavedReply,
) -> Result<SavedReply> {
    let reply = checked(&input.reply)?;
    let mut tx = pool.begin().await?;
    let id = match id {
        None => {
            let id = new_id("sr_");
            let inserted = sqlx::query(
                "INSERT INTO saved_replies (tenant_id, id, title, language, body, active)
                 SELECT t.id, $2, $3, $4, $5, $6 FROM tenants t WHERE t.id = $1",
            )
            .bind(tenant_id)
            .bind(&id)
            .bind(&reply.title)
            .bind(&reply.language)
            .bind(&reply.body)
            .bind(input.active)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Err(Error::not_found("tenant", tenant_id));
            }
            id
        }
        Some(id) => {
            let updated = sqlx::query(
                "UPDATE saved_replies SET title = $3, language = $4, body = $5, active = $6,
                        updated_at = now(), version = version + 1
                 WHERE tenant_id = $1 AND id = $2
                   AND (title, language, body, active) IS DISTINCT FROM ($3, $4, $5, $6)",
            )
            .bind(tenant_id)
            .bind(id)
            .bind(&reply.title)
            .bind(&reply.language)
            .bind(&reply.body)
            .bind(input.active)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                let exists: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM saved_replies WHERE tenant_id = $1 AND id = $2)",
                )
                .bind(tenant_id)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                if !exists {
                    return Err(Error::not_found(
                        "saved reply",
                        &format!("{id} of tenant {tenant_id}"),
                    ));
                }
                // Unchanged: nothing to feed, the version stays.
                return Ok(saved(id, reply));
            }
            id.to_owned()
        }
    };
    let mut changed = Changed::default();
    changed.push(Entity::SavedReply, &id);
    changed.record(&mut tx, tenant_id).await?;
    tx.commit().await?;
    Ok(saved(&id, reply))
}

fn saved(id: &str, reply: SaveReply) -> SavedReply {
    SavedReply {
        id: id.to_owned(),
        title: reply.title,
        language: reply.language,
        body: reply.body,
        personal: false,
    }
}

pub async fn post_saved_reply(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    JsonBody(req): JsonBody<PutSavedReply>,
) -> Result<Json<SavedReply>> {
    Ok(Json(put(&state.pool, &tenant_id, None, &req).await?))
}

pub async fn put_saved_reply(
    _: Admin,
    State(state): State<AppState>,
    Path((tenant_id, id)): Path<(String, String)>,
    JsonBody(req): JsonBody<PutSavedReply>,
) -> Result<Json<SavedReply>> {
    if id.trim().is_empty() || id.len() > 128 {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "a saved reply id is 1 to 128 characters",
        ));
    }
    Ok(Json(put(&state.pool, &tenant_id, Some(&id), &req).await?))
}
