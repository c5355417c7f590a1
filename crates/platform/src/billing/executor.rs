//! Carries approved escalations out in the billing system, exactly once.
//!
//! The decision's transaction marks an escalation `queued` (see
//! `mutations::escalations`) and pokes [`CHANNEL`]. Every platform instance runs one executor;
//! an executor claims one queued escalation at a time by taking a lease on it
//! (`FOR UPDATE SKIP LOCKED`, committed before anything is sent), so two instances never work
//! on the same one and a crash leaves a lease that simply runs out.
//!
//! Each claim counts an attempt. The first attempt sends; every later one (after a timeout, a
//! 5xx, a crash, or a person's retry) first asks FlexPrice what the earlier ones did — a credit
//! note carrying this escalation's idempotency key, an invoice already voided — and sends only
//! when nothing was done. An attempt ends in one transaction that records its result and puts
//! the escalation on the tenant's feed: every desk sees `executed` with FlexPrice's id, `failed`
//! with the reason, or the attempt that is to follow.

use super::connector;
use super::flexprice::{Answer, CreditLine, FlexPrice};
use super::secrets::SecretsKey;
use crate::error::Result;
use crate::feed::Changed;
use countersign_model::sync::Entity;
use countersign_model::workflow::{BillingEffect, ProposedAction};
use countersign_model::{Currency, Money};
use sqlx::PgPool;
use std::time::Duration;
use tokio::sync::watch;
use tracing::Instrument;

/// The LISTEN/NOTIFY channel a decision pokes when it queues an execution.
pub const CHANNEL: &str = "countersign_execute";

/// Wakes every instance's executor when `tx` commits: it has an execution queued.
pub async fn poke(tx: &mut sqlx::PgConnection, tenant_id: &str) -> Result<()> {
    crate::worker::poke(tx, CHANNEL, tenant_id).await
}

/// The executor's timings.
#[derive(Debug, Clone)]
pub struct ExecutorConfig {
    /// Bounds each call to the billing system.
    pub call_timeout: Duration,
    /// How long a claim keeps other executors off an escalation; an attempt is cut off at three
    /// quarters of it, so a lease never runs out under an attempt still talking to the billing
    /// system (an attempt makes at most three calls: keep it at four call timeouts or more).
    pub lease: Duration,
    /// How often the executor looks for due work when nothing pokes it.
    pub poll: Duration,
    /// The wait before the second attempt; it doubles with each attempt, up to 5 minutes.
    pub retry_after: Duration,
    /// Attempts without a definite answer before the execution is failed for a person to see.
    pub max_attempts: i32,
    /// Records per page of a backfill (FlexPrice takes 1 to 1000).
    pub backfill_page: i64,
}

impl Default for ExecutorConfig {
    fn default() -> Self {
        Self {
            call_timeout: Duration::from_secs(20),
            lease: Duration::from_secs(180),
            poll: Duration::from_secs(5),
            retry_after: Duration::from_secs(5),
            max_attempts: 6,
            backfill_page: 200,
        }
    }
}

/// What an attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Done; the billing system's id of it.
    Executed(String),
    /// Refused, or cannot be done: nothing happened in the billing system.
    Failed(String),
    /// No definite answer: the next attempt asks first.
    Unknown(String),
}

impl<T> From<Answer<T>> for Outcome
where
    T: Into<String>,
{
    fn from(a: Answer<T>) -> Self {
        match a {
            Answer::Done(id) => Self::Executed(id.into()),
            Answer::Refused(m) => Self::Failed(m),
            Answer::Unknown(m) => Self::Unknown(m),
        }
    }
}

/// A claimed escalation.
#[derive(Debug, sqlx::FromRow)]
struct Job {
    tenant_id: String,
    id: String,
    proposed_action: String,
    invoice_id: Option<String>,
    currency: Option<String>,
    amount: Option<i64>,
    reason: String,
    execution_attempts: i32,
    execution_retry_base: i32,
}

/// The key FlexPrice keeps with what this escalation made: the same on every attempt.
pub fn idempotency_key(tenant_id: &str, escalation_id: &str) -> String {
    format!("countersign:{tenant_id}:{escalation_id}")
}

/// Runs until `shutdown` turns true: executions first, then catch-ups a page at a time while
/// none is waiting on an execution.
pub async fn run(
    pool: PgPool,
    secrets: Option<SecretsKey>,
    config: ExecutorConfig,
    wake: std::sync::Arc<tokio::sync::Notify>,
    shutdown: watch::Receiver<bool>,
) {
    crate::worker::run(wake, config.poll, "billing executor", shutdown, || async {
        if step(&pool, secrets.as_ref(), &config).await? {
            return Ok(true);
        }
        super::backfill::step(&pool, secrets.as_ref(), &config).await
    })
    .await;
}

/// Claims one due execution and carries it one attempt further; `false` when none was due.
pub async fn step(
    pool: &PgPool,
    secrets: Option<&SecretsKey>,
    config: &ExecutorConfig,
) -> Result<bool> {
    let job: Option<Job> = sqlx::query_as(
        "WITH due AS (
             SELECT tenant_id, id FROM escalations
             WHERE execution = 'queued' AND (execution_lease IS NULL OR execution_lease < now())
             ORDER BY execution_lease NULLS FIRST, decided_at
             LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE escalations e
         SET execution_attempts = e.execution_attempts + 1,
             execution_lease = now() + make_interval(secs => $1)
         FROM due WHERE e.tenant_id = due.tenant_id AND e.id = due.id
         RETURNING e.tenant_id, e.id, e.proposed_action, e.invoice_id, e.currency, e.amount,
                   e.reason, e.execution_attempts, e.execution_retry_base",
    )
    .bind(config.lease.as_secs_f64())
    .fetch_optional(pool)
    .await?;
    let Some(job) = job else {
        return Ok(false);
    };
    let span = tracing::info_span!("execute", tenant = %job.tenant_id, escalation = %job.id, attempt = job.execution_attempts);
    async {
        let outcome =
            match tokio::time::timeout(config.lease * 3 / 4, attempt(pool, secrets, config, &job))
                .await
            {
                Ok(o) => o,
                Err(_) => Outcome::Unknown("the attempt took too long".into()),
            };
        tracing::info!(?outcome, "execution attempt ended");
        settle(pool, config, &job, outcome).await
    }
    .instrument(span)
    .await?;
    Ok(true)
}

/// One attempt: ask first when an earlier one may have done it, then send.
async fn attempt(
    pool: &PgPool,
    secrets: Option<&SecretsKey>,
    config: &ExecutorConfig,
    job: &Job,
) -> Outcome {
    let flexprice = {
        let mut conn = match pool.acquire().await {
            Ok(c) => c,
            Err(e) => return Outcome::Unknown(format!("the platform's database: {e}")),
        };
        match connector::client(&mut conn, secrets, &job.tenant_id, config.call_timeout).await {
            Ok(f) => f,
            Err(m) => return cannot_ask(job, m),
        }
    };
    let Some(effect) = ProposedAction::parse(&job.proposed_action)
        .ok()
        .and_then(ProposedAction::billing_effect)
    else {
        return cannot_ask(
            job,
            format!(
                "a {} is not done in the billing system",
                job.proposed_action
            ),
        );
    };
    let Some(invoice) = job.invoice_id.as_deref() else {
        return cannot_ask(job, "the escalation names no invoice".into());
    };
    let asks_first = job.execution_attempts > 1;
    let key = idempotency_key(&job.tenant_id, &job.id);
    match effect {
        BillingEffect::CreditNote => {
            let lines = match credit_lines(pool, job, invoice).await {
                Ok(l) => l,
                Err(Outcome::Failed(m)) => return cannot_ask(job, m),
                Err(o) => return o,
            };
            if asks_first {
                match flexprice.find_credit_note(invoice, &key).await {
                    Answer::Done(Some(note)) => return flexprice.settled(note).await.into(),
                    Answer::Done(None) => {}
                    Answer::Refused(m) | Answer::Unknown(m) => return unknown_before(m),
                }
            }
            let memo: String = job.reason.chars().take(500).collect();
            match flexprice
                .create_credit_note(invoice, &lines, &memo, &key, &job.id)
                .await
            {
                // FlexPrice checks a request before its key: refused on a later attempt, the
                // refusal may be an earlier attempt's credit note that landed meanwhile. Asked
                // once more, FlexPrice says which.
                Answer::Refused(m) if asks_first => {
                    match flexprice.find_credit_note(invoice, &key).await {
                        Answer::Done(Some(note)) => flexprice.settled(note).await.into(),
                        Answer::Done(None) => Outcome::Failed(m),
                        Answer::Refused(m) | Answer::Unknown(m) => unknown_before(m),
                    }
                }
                other => other.into(),
            }
        }
        BillingEffect::Void => void(&flexprice, invoice, &job.id, asks_first).await,
    }
}

/// Failed before FlexPrice could be asked: said plainly on a first attempt; after an earlier
/// one that may have reached FlexPrice, with what a person checks before acting by hand.
fn cannot_ask(job: &Job, m: String) -> Outcome {
    if job.execution_attempts > 1 {
        Outcome::Failed(format!(
            "{m}; an earlier attempt may have reached FlexPrice: look there for a credit note or \
             void carrying key {} before doing it by hand",
            idempotency_key(&job.tenant_id, &job.id)
        ))
    } else {
        Outcome::Failed(m)
    }
}

async fn void(flexprice: &FlexPrice, invoice: &str, escalation: &str, asks_first: bool) -> Outcome {
    if asks_first {
        match flexprice.invoice_status(invoice).await {
            Answer::Done(s) if s == "VOIDED" => return Outcome::Executed(invoice.to_owned()),
            Answer::Done(_) => {}
            Answer::Refused(m) | Answer::Unknown(m) => return unknown_before(m),
        }
    }
    match flexprice.void_invoice(invoice, escalation).await {
        Answer::Done(()) => Outcome::Executed(invoice.to_owned()),
        Answer::Refused(m) => Outcome::Failed(m),
        Answer::Unknown(m) => Outcome::Unknown(m),
    }
}

/// Asking what an earlier attempt did got no answer: nothing is sent until one comes.
fn unknown_before(m: String) -> Outcome {
    Outcome::Unknown(format!(
        "cannot learn from FlexPrice what the last attempt did, so nothing was sent: {m}"
    ))
}

/// The escalation's amount as credit note lines on its invoice ([`lay_over_lines`]).
async fn credit_lines(
    pool: &PgPool,
    job: &Job,
    invoice: &str,
) -> std::result::Result<Vec<CreditLine>, Outcome> {
    let (Some(currency), Some(amount)) = (job.currency.as_deref(), job.amount) else {
        return Err(Outcome::Failed("the escalation names no amount".into()));
    };
    let currency = Currency::parse(currency).map_err(|e| Outcome::Failed(e.to_string()))?;
    let row: Option<(serde_json::Value, i64)> = sqlx::query_as(
        "SELECT line_items, total_tax FROM invoices WHERE tenant_id = $1 AND id = $2",
    )
    .bind(&job.tenant_id)
    .bind(invoice)
    .fetch_optional(pool)
    .await
    .map_err(|e| Outcome::Unknown(format!("the platform's database: {e}")))?;
    let (items, tax) =
        row.ok_or_else(|| Outcome::Failed(format!("invoice {invoice} is not known")))?;
    let lines: Vec<(&str, i64)> = items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| Some((item["id"].as_str()?, item["amount"].as_i64()?)))
        .collect();
    let laid = lay_over_lines(amount, &lines, tax).ok_or_else(|| {
        Outcome::Failed(format!(
            "invoice {invoice}'s lines and tax add up to less than {}",
            Money::from_minor(amount, currency)
        ))
    })?;
    Ok(laid
        .into_iter()
        .map(|(id, minor, is_tax)| CreditLine {
            invoice_line_item_id: id.to_owned(),
            amount: Money::from_minor(minor, currency).amount_string(),
            display_name: is_tax.then(|| "Tax".to_owned()),
        })
        .collect())
}

/// `amount` (minor units) laid over an invoice's `lines` (id, amount excluding tax), first line
/// first, each at most its own amount: FlexPrice credits invoice lines and refuses a line above
/// the invoice line's amount. An amount beyond the lines, up to the invoice's `tax`, is the
/// tax's share: laid over the lines again, first line first and again each at most its own
/// amount, as lines marked tax (`true`). FlexPrice computes no tax on a credit note and checks
/// each requested line against its invoice line alone, and the note's total against what was
/// paid and not refunded (tax included), so a full refund of a taxed invoice is one note.
/// `None` when lines and tax together hold less than `amount`, or `amount` is not positive.
fn lay_over_lines<'a>(
    amount: i64,
    lines: &[(&'a str, i64)],
    tax: i64,
) -> Option<Vec<(&'a str, i64, bool)>> {
    let lines_total: i64 = lines.iter().map(|(_, a)| (*a).max(0)).sum();
    if amount <= 0 || amount > lines_total + tax.max(0) {
        return None;
    }
    let mut laid = vec![];
    let mut left = amount;
    for is_tax in [false, true] {
        // The tax's share is at most the invoice's tax.
        let mut share = if is_tax { left.min(tax.max(0)) } else { left };
        for &(id, line) in lines {
            let take = share.min(line.max(0));
            if take > 0 {
                laid.push((id, take, is_tax));
                share -= take;
                left -= take;
            }
        }
    }
    (left == 0).then_some(laid)
}

/// Records what the attempt came to, in one transaction with its change row; a later attempt
/// (this one's lease ran out and another executor claimed it) owns the escalation instead.
async fn settle(pool: &PgPool, config: &ExecutorConfig, job: &Job, outcome: Outcome) -> Result<()> {
    let (execution, reference, error, retry_in) = match outcome {
        Outcome::Executed(r) => ("executed", Some(r), None, None),
        Outcome::Failed(m) => ("failed", None, Some(m), None),
        Outcome::Unknown(m)
            if job.execution_attempts - job.execution_retry_base >= config.max_attempts =>
        {
            (
                "failed",
                None,
                Some(format!(
                    "no definite answer from FlexPrice after {} attempts ({m}); a retry asks \
                 FlexPrice what was done before it sends anything",
                    job.execution_attempts - job.execution_retry_base
                )),
                None,
            )
        }
        Outcome::Unknown(m) => {
            // Never sooner than a call's timeout: a request FlexPrice was still working on when
            // the platform stopped waiting has that long to land before the next attempt asks.
            let nth = job.execution_attempts - job.execution_retry_base;
            let wait = config
                .retry_after
                .saturating_mul(1 << (nth - 1).clamp(0, 16))
                .min(Duration::from_secs(300))
                .max(config.call_timeout);
            (
                "queued",
                None,
                Some(format!(
                    "attempt {} had no definite answer: {m}",
                    job.execution_attempts
                )),
                Some(wait),
            )
        }
    };
    let mut tx = pool.begin().await?;
    let updated = sqlx::query(
        "UPDATE escalations
         SET execution = $4, execution_ref = $5, execution_error = $6,
             execution_at = CASE WHEN $4 = 'queued' THEN execution_at ELSE now() END,
             execution_lease = CASE WHEN $7::float8 IS NULL THEN NULL
                                    ELSE now() + make_interval(secs => $7) END,
             version = version + 1
         WHERE tenant_id = $1 AND id = $2 AND execution = 'queued' AND execution_attempts = $3",
    )
    .bind(&job.tenant_id)
    .bind(&job.id)
    .bind(job.execution_attempts)
    .bind(execution)
    .bind(reference)
    .bind(error)
    .bind(retry_in.map(|d| d.as_secs_f64()))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 1 {
        let mut changed = Changed::default();
        changed.push(Entity::Escalation, &job.id);
        changed.record(&mut tx, &job.tenant_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::lay_over_lines;

    #[test]
    fn an_amount_is_laid_over_the_lines_then_the_tax_each_line_at_most_its_own() {
        let lines = [("li_1", 3000), ("li_2", 1118)];
        // Within the first line; across two lines.
        assert_eq!(
            lay_over_lines(2000, &lines, 782),
            Some(vec![("li_1", 2000, false)])
        );
        assert_eq!(
            lay_over_lines(4000, &lines, 782),
            Some(vec![("li_1", 3000, false), ("li_2", 1000, false)])
        );
        // The whole invoice, tax included: the tax's share again over the lines.
        assert_eq!(
            lay_over_lines(4900, &lines, 782),
            Some(vec![
                ("li_1", 3000, false),
                ("li_2", 1118, false),
                ("li_1", 782, true)
            ])
        );
        // A tax larger than the first line spills onto the next.
        assert_eq!(
            lay_over_lines(350, &[("a", 100), ("b", 100)], 150),
            Some(vec![
                ("a", 100, false),
                ("b", 100, false),
                ("a", 100, true),
                ("b", 50, true)
            ])
        );
        assert_eq!(
            lay_over_lines(350, &[("a", 100), ("b", 200)], 50),
            Some(vec![("a", 100, false), ("b", 200, false), ("a", 50, true)])
        );
        // More than lines and tax hold, nothing, or no lines: not laid at all.
        assert_eq!(lay_over_lines(4901, &lines, 782), None);
        assert_eq!(lay_over_lines(0, &lines, 782), None);
        assert_eq!(lay_over_lines(-5, &lines, 782), None);
        assert_eq!(lay_over_lines(100, &[], 782), None);
    }
}
