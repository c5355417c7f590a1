//! The catch-up: a tenant's FlexPrice records paged from its list endpoints (customers, then
//! subscriptions, invoices, payments and wallets, oldest first, `limit`/`offset`; each listed
//! subscription read whole, since the list leaves out its prices) into the platform, for
//! the first connection and after an outage of webhooks. Started (or resumed) by an operator
//! with `POST /v1/admin/tenants/{tenant}/billing-backfill`; `GET` the same path shows progress.
//!
//! Resumable and exact: each page is ingested in the same transaction that moves the stored
//! offset past it, so a crash or an outage repeats at most the page in flight, and a repeat
//! changes nothing (the ingest bumps a record's version only when it differs). The executor
//! loop takes one page per turn, under a lease like an execution's, so two platform instances
//! never page the same tenant at once.

use super::flexprice::Answer;
use super::{ExecutorConfig, SecretsKey};
use super::{connector, objects};
use crate::AppState;
use crate::auth::Admin;
use crate::error::{Error, Result};
use crate::ingest::billing::{BillingBatch, ingest};
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::PgPool;

/// The lists paged, in reference order (a payment's invoice and customer come first).
pub const LISTS: [&str; 5] = [
    "customers",
    "subscriptions",
    "invoices",
    "payments",
    "wallets",
];

/// Failed pages in a row before the backfill stops as failed (a POST resumes it).
const MAX_FAILURES: i32 = 5;

/// A backfill's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Progress {
    pub tenant_id: String,
    /// `running`, `done` or `failed`.
    pub state: String,
    /// The list being paged (one of [`LISTS`]), until done.
    pub list: String,
    pub offset: i64,
    /// Records read so far.
    pub records: i64,
    /// Records that could not be taken, and the last of them with why.
    pub skipped: i64,
    pub last_skipped: Option<String>,
    /// The last page's failure, while it is retried or since it stopped.
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

macro_rules! progress_columns {
    () => {
        "tenant_id, state, list, \"offset\", records, skipped, last_skipped, error, started_at, \
         updated_at"
    };
}

/// Starts a backfill, or resumes a failed or finished one from where it stands (a finished one
/// from the start: a catch-up after an outage reads everything again).
pub async fn start(pool: &PgPool, tenant_id: &str) -> Result<Progress> {
    sqlx::query_as(concat!(
        "INSERT INTO billing_backfills (tenant_id)
         SELECT tenant_id FROM billing_connectors WHERE tenant_id = $1
         ON CONFLICT (tenant_id) DO UPDATE SET
             state = 'running', failures = 0, lease = NULL, updated_at = now(),
             list = CASE WHEN billing_backfills.state = 'done' THEN 'customers' ELSE billing_backfills.list END,
             \"offset\" = CASE WHEN billing_backfills.state = 'done' THEN 0 ELSE billing_backfills.\"offset\" END,
             started_at = CASE WHEN billing_backfills.state = 'done' THEN now() ELSE billing_backfills.started_at END
         RETURNING ",
        progress_columns!()
    ))
    .bind(tenant_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found("billing connector of tenant", tenant_id))
}

pub async fn progress(pool: &PgPool, tenant_id: &str) -> Result<Progress> {
    sqlx::query_as(concat!(
        "SELECT ",
        progress_columns!(),
        " FROM billing_backfills WHERE tenant_id = $1"
    ))
    .bind(tenant_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found("billing backfill of tenant", tenant_id))
}

#[derive(sqlx::FromRow)]
struct Claimed {
    tenant_id: String,
    list: String,
    offset: i64,
    failures: i32,
}

/// Pages one list page of one running backfill; `false` when none was due.
pub async fn step(
    pool: &PgPool,
    secrets: Option<&SecretsKey>,
    config: &ExecutorConfig,
) -> Result<bool> {
    let claimed: Option<Claimed> = sqlx::query_as(
        "UPDATE billing_backfills b SET lease = now() + make_interval(secs => $1)
         FROM (SELECT tenant_id FROM billing_backfills
               WHERE state = 'running' AND (lease IS NULL OR lease < now())
               ORDER BY updated_at LIMIT 1 FOR UPDATE SKIP LOCKED) due
         WHERE b.tenant_id = due.tenant_id
         RETURNING b.tenant_id, b.list, b.\"offset\", b.failures",
    )
    .bind(config.lease.as_secs_f64())
    .fetch_optional(pool)
    .await?;
    let Some(job) = claimed else {
        return Ok(false);
    };
    let page = match fetch(pool, secrets, config, &job).await {
        Ok(items) => items,
        Err(why) => {
            let failures = job.failures + 1;
            let wait = config
                .retry_after
                .saturating_mul(1 << failures.clamp(0, 8) as u32);
            sqlx::query(
                "UPDATE billing_backfills SET failures = $2, error = $3, updated_at = now(),
                        state = CASE WHEN $2 >= $4 THEN 'failed' ELSE state END,
                        lease = now() + make_interval(secs => $5)
                 WHERE tenant_id = $1",
            )
            .bind(&job.tenant_id)
            .bind(failures)
            .bind(&why)
            .bind(MAX_FAILURES)
            .bind(wait.as_secs_f64())
            .execute(pool)
            .await?;
            tracing::warn!(tenant = %job.tenant_id, list = %job.list, error = %why, "a backfill page failed");
            return Ok(true);
        }
    };
    let n = page.len() as i64;
    let mut tx = pool.begin().await?;
    let mut skipped = vec![];
    let taken = match batch(&mut tx, &job.tenant_id, &job.list, &page, &mut skipped).await {
        Ok(b) => ingest(&mut tx, &job.tenant_id, &b).await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = taken {
        drop(tx);
        // A page FlexPrice sent that does not fit is not retried blindly: the backfill stops,
        // says where and why; the operator fixes the record and resumes.
        sqlx::query(
            "UPDATE billing_backfills SET state = 'failed', error = $2, updated_at = now(), lease = NULL
             WHERE tenant_id = $1",
        )
        .bind(&job.tenant_id)
        .bind(format!("{} at offset {}: {}", job.list, job.offset, e.public_message()))
        .execute(pool)
        .await?;
        return Ok(true);
    }
    // An empty page ends its list (a short one may only be FlexPrice's own cap): the next list
    // from its start, or done after the last.
    let (list, offset, state) = if n == 0 {
        match LISTS
            .iter()
            .position(|l| *l == job.list)
            .and_then(|i| LISTS.get(i + 1))
        {
            Some(next) => (*next, 0, "running"),
            None => (job.list.as_str(), job.offset + n, "done"),
        }
    } else {
        (job.list.as_str(), job.offset + n, "running")
    };
    sqlx::query(
        "UPDATE billing_backfills SET list = $2, \"offset\" = $3, state = $4, records = records + $5,
                skipped = skipped + $6, last_skipped = COALESCE($7, last_skipped),
                failures = 0, error = NULL, lease = NULL, updated_at = now()
         WHERE tenant_id = $1",
    )
    .bind(&job.tenant_id)
    .bind(list)
    .bind(offset)
    .bind(state)
    .bind(n)
    .bind(skipped.len() as i64)
    .bind(skipped.last())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

async fn fetch(
    pool: &PgPool,
    secrets: Option<&SecretsKey>,
    config: &ExecutorConfig,
    job: &Claimed,
) -> std::result::Result<Vec<Value>, String> {
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    let flexprice =
        connector::client(&mut conn, secrets, &job.tenant_id, config.call_timeout).await?;
    drop(conn);
    let items = match flexprice
        .list(&job.list, config.backfill_page, job.offset)
        .await
    {
        Answer::Done(items) => items,
        Answer::Refused(m) | Answer::Unknown(m) => return Err(m),
    };
    if job.list != "subscriptions" {
        return Ok(items);
    }
    let mut whole = Vec::with_capacity(items.len());
    for listed in items {
        let id = listed["id"].as_str().unwrap_or_default().to_owned();
        match flexprice.subscription(&id).await {
            Answer::Done(s) => whole.push(s),
            // Listed, but FlexPrice will not show it (gone meanwhile): kept as listed, without
            // prices, which the mapping then skips and says.
            Answer::Refused(_) => whole.push(listed),
            Answer::Unknown(m) => return Err(format!("subscription {id}: {m}")),
        }
    }
    Ok(whole)
}

/// One page of FlexPrice objects as a batch for the ingest.
async fn batch(
    tx: &mut sqlx::PgConnection,
    tenant_id: &str,
    list: &str,
    page: &[Value],
    skipped: &mut Vec<String>,
) -> Result<BillingBatch> {
    let now = Utc::now().to_rfc3339();
    let mut shaped = json!({});
    let mut records = Vec::with_capacity(page.len());
    for o in page {
        records.push(match list {
            "customers" => objects::customer(o, &now),
            "subscriptions" => match objects::subscription(o, &now) {
                Ok(s) => s,
                // One the desk cannot show as it is: skipped and said.
                Err(objects::Unkept(why)) => {
                    skipped.push(why);
                    continue;
                }
            },
            "invoices" => objects::invoice(o, &now)?,
            "wallets" => objects::wallet(o, &now),
            _ => {
                let customer = objects::invoice_customer(tx, tenant_id, o).await?;
                match objects::payment(o, customer.as_deref(), &now) {
                    Ok(p) => p,
                    // Its invoice is not known (created after the invoices were paged, or not
                    // listed): skipped and said; the payment's webhook or the next catch-up
                    // brings it.
                    Err(e) if customer.is_none() => {
                        skipped.push(e.public_message());
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            }
        });
    }
    shaped[list] = Value::Array(records);
    serde_json::from_value(shaped)
        .map_err(|e| Error::invalid(format!("FlexPrice's {list} do not fit: {e}")))
}

pub async fn post_backfill(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
) -> Result<Json<Progress>> {
    Ok(Json(start(&state.pool, &tenant_id).await?))
}

pub async fn get_backfill(
    _: Admin,
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
) -> Result<Json<Progress>> {
    Ok(Json(progress(&state.pool, &tenant_id).await?))
}
