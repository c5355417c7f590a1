//! `POST /v1/webhooks/flexprice/{tenant}`: FlexPrice's webhooks, verified as Svix signs them
//! ([`super::svix`]), taken once per `svix-id`, and mapped onto the records desks cache
//! ([`super::objects`]) through the billing ingest: a changed invoice or payment reaches every
//! desk on the feed like any change, and retires the drafts it invalidates there.
//!
//! Answers: 200 `applied` (with what changed), 200 `duplicate` (this delivery was taken before),
//! 200 `ignored` (an event of no record desks keep: a credit note's own events — the invoice's
//! update that follows carries its effect — one of no known family, or a subscription the desk
//! cannot show as it is, with why), 401 a bad or stale signature or a tenant that takes no
//! webhooks, 400 an object that does not fit (FlexPrice retries it; the reason is logged and
//! answered), 503 when a subscription could not be read back from FlexPrice (its webhook
//! carries neither plan nor prices; FlexPrice retries the delivery).

use super::flexprice::Answer;
use super::objects::{self, Family};
use super::{connector, svix};
use crate::AppState;
use crate::error::{Error, Result};
use crate::ingest::billing::{BillingBatch, ingest};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use countersign_model::ErrorCode;
use serde_json::{Value, json};
use sqlx::PgConnection;

pub async fn post_flexprice(
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>> {
    let key = connector::webhook_key(&state.pool, state.secrets.as_ref(), &tenant_id)
        .await?
        .ok_or_else(|| {
            // Said as a failed authentication, like a bad signature: whether a tenant exists is
            // not told to an unsigned caller.
            Error::new(
                ErrorCode::Unauthenticated,
                "this tenant takes no FlexPrice webhooks: its operator sets a webhook_secret on the billing connector",
            )
        })?;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let now = chrono::Utc::now().timestamp();
    svix::verify(
        &key,
        header("svix-id"),
        header("svix-timestamp"),
        header("svix-signature"),
        &body,
        now,
    )
    .map_err(|r| {
        tracing::warn!(tenant = %tenant_id, refusal = %r, "a FlexPrice webhook was refused");
        Error::new(ErrorCode::Unauthenticated, r.to_string())
    })?;
    let delivery = header("svix-id").unwrap_or_default();
    let envelope: Value = serde_json::from_slice(&body)
        .map_err(|e| Error::invalid(format!("the webhook body is not JSON: {e}")))?;
    let event_type = envelope["event_type"]
        .as_str()
        .ok_or_else(|| Error::invalid("the webhook has no event_type"))?
        .to_owned();
    let family = Family::of(&event_type);
    let object = family.map(|f| &envelope[f.key()]);
    // A subscription's webhook carries neither its plan nor its prices: read it back whole,
    // before the delivery is taken, so a failed read is retried by FlexPrice.
    let whole;
    let object = match (family, object) {
        (Some(Family::Subscription), Some(o)) if o.is_object() => {
            match read_back_subscription(&state, &tenant_id, o).await? {
                Ok(w) => whole = w,
                Err(objects::Unkept(why)) => {
                    tracing::info!(tenant = %tenant_id, event_type, why, "a FlexPrice webhook was not kept");
                    return Ok(Json(
                        json!({"status": "ignored", "event_type": event_type, "why": why}),
                    ));
                }
            }
            Some(&whole)
        }
        _ => object,
    };
    let mut tx = state.pool.begin().await?;
    let taken = sqlx::query(
        "INSERT INTO webhook_deliveries (tenant_id, delivery_id, event_type) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(&tenant_id)
    .bind(delivery)
    .bind(&event_type)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if taken == 0 {
        return Ok(Json(
            json!({"status": "duplicate", "event_type": event_type}),
        ));
    }
    let batch = match (family, object) {
        (Some(f), Some(o)) if o.is_object() => match batch(&mut tx, &tenant_id, f, o).await? {
            Ok(b) => b,
            Err(objects::Unkept(why)) => {
                tx.commit().await?;
                tracing::info!(tenant = %tenant_id, event_type, why, "a FlexPrice webhook was not kept");
                return Ok(Json(
                    json!({"status": "ignored", "event_type": event_type, "why": why}),
                ));
            }
        },
        (Some(f), _) => {
            return Err(Error::invalid(format!(
                "a {event_type} webhook carries its object under \"{}\"",
                f.key()
            )));
        }
        (None, _) => None,
    };
    let Some(batch) = batch else {
        tx.commit().await?;
        return Ok(Json(json!({"status": "ignored", "event_type": event_type})));
    };
    let changed = ingest(&mut tx, &tenant_id, &batch).await?;
    tx.commit().await?;
    tracing::info!(tenant = %tenant_id, event_type, delivery, "FlexPrice webhook applied");
    Ok(Json(
        json!({"status": "applied", "event_type": event_type, "changed": changed}),
    ))
}

/// The subscription `o` names, as FlexPrice's `GET /subscriptions/{id}` answers it.
async fn read_back_subscription(
    state: &AppState,
    tenant_id: &str,
    o: &Value,
) -> Result<std::result::Result<Value, objects::Unkept>> {
    let id = o["id"]
        .as_str()
        .ok_or_else(|| Error::invalid("the subscription webhook names no subscription id"))?;
    let unavailable = |m: String| {
        tracing::warn!(tenant = %tenant_id, subscription = id, error = %m, "cannot read a subscription back from FlexPrice");
        Error::new(
            ErrorCode::Unavailable,
            format!("subscription {id} could not be read from FlexPrice: {m}"),
        )
    };
    let mut conn = state.pool.acquire().await?;
    let flexprice = connector::client(
        &mut conn,
        state.secrets.as_ref(),
        tenant_id,
        state.billing_call_timeout,
    )
    .await
    .map_err(unavailable)?;
    drop(conn);
    match flexprice.subscription(id).await {
        Answer::Done(whole) => Ok(Ok(whole)),
        // FlexPrice answered and will not show it (gone, say): acknowledged, not retried.
        Answer::Refused(m) => Ok(Err(objects::Unkept(format!(
            "subscription {id}: FlexPrice does not show it: {m}"
        )))),
        Answer::Unknown(m) => Err(unavailable(m)),
    }
}

/// The batch an event's object becomes; `None` for a family desks keep no record of, `Unkept`
/// for an object desks cannot show as it is.
async fn batch(
    tx: &mut PgConnection,
    tenant_id: &str,
    family: Family,
    o: &Value,
) -> Result<std::result::Result<Option<BillingBatch>, objects::Unkept>> {
    let now = chrono::Utc::now().to_rfc3339();
    let shaped = match family {
        Family::Invoice => json!({"invoices": [objects::invoice(o, &now)?]}),
        Family::Customer => json!({"customers": [objects::customer(o, &now)]}),
        Family::Wallet => json!({"wallets": [objects::wallet(o, &now)]}),
        Family::Payment => {
            let customer = objects::invoice_customer(tx, tenant_id, o).await?;
            json!({"payments": [objects::payment(o, customer.as_deref(), &now)?]})
        }
        Family::Subscription => match objects::subscription(o, &now) {
            Ok(s) => json!({"subscriptions": [s]}),
            Err(unkept) => return Ok(Err(unkept)),
        },
        Family::CreditNote => return Ok(Ok(None)),
    };
    serde_json::from_value(shaped)
        .map(|b| Ok(Some(b)))
        .map_err(|e| Error::invalid(format!("the webhook's {} does not fit: {e}", family.key())))
}
