//! The send queue: every reply to a customer is a row of `email_outbox`, queued in the
//! transaction that posts the reply, and delivered by SMTP from any platform instance.
//!
//! **Never twice.** An instance claims a row under a lease (`FOR UPDATE SKIP LOCKED`) and talks
//! to the server up to `DATA`; before it hands over the message's last byte it commits the row
//! as `committing`. A crash before that commit leaves a session the server discards (a message
//! counts only once its final `.` arrives), so the next claim sends it again safely. From
//! `committing` on, the reply is never sent again: the server's answer settles it (250 sent, 5xx
//! failed, 4xx back to the queue — the server did not take it), and a row found `committing`
//! with its lease run out (the instance died waiting for that answer) is settled as sent,
//! unconfirmed. The remaining window: a connection lost after the last byte left this machine
//! but before the server read it loses that reply while it shows as "sent, unconfirmed" — the
//! desk says so, never that it was confirmed.
//!
//! Temporary failures (a 4xx, no connection, a timeout) are retried with backoff, up to
//! `max_attempts`; a permanent one (a 5xx) fails at once with the server's words. A failed
//! delivery is shown on the message on every desk, and its ticket goes back to open.

use super::channel::{self, Smtp};
use super::compose::{self, Reply};
use crate::billing::SecretsKey;
use crate::error::Result;
use crate::feed::Changed;
use countersign_model::sync::Entity;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::ClientId;
use sqlx::{PgConnection, PgPool};
use std::time::Duration;
use tokio::sync::watch;

/// The LISTEN/NOTIFY channel a posted reply pokes.
pub const CHANNEL: &str = "countersign_mail";

/// The sender's timings.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// Bounds connecting and each exchange with the SMTP server.
    pub timeout: Duration,
    /// How long a claim keeps other instances off a reply: at least four timeouts (a session
    /// opens within half of it, then waits one timeout for the server's answer).
    pub lease: Duration,
    /// How often the sender looks for due work when nothing pokes it.
    pub poll: Duration,
    /// The wait before the second attempt; it doubles with each attempt, up to an hour.
    pub retry_after: Duration,
    /// Attempts with temporary failures before the delivery fails.
    pub max_attempts: i32,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            lease: Duration::from_secs(300),
            poll: Duration::from_secs(5),
            retry_after: Duration::from_secs(30),
            max_attempts: 10,
        }
    }
}

/// Queues the delivery of reply `message_id` in `tx` (the reply's own transaction): `queued`
/// when the tenant has an email channel, else `unconnected`. Returns the state.
pub async fn queue(
    tx: &mut PgConnection,
    tenant_id: &str,
    message_id: &str,
) -> Result<&'static str> {
    let state = if channel::exists(tx, tenant_id).await? {
        sqlx::query("INSERT INTO email_outbox (tenant_id, message_id) VALUES ($1, $2)")
            .bind(tenant_id)
            .bind(message_id)
            .execute(&mut *tx)
            .await?;
        crate::worker::poke(tx, CHANNEL, tenant_id).await?;
        "queued"
    } else {
        "unconnected"
    };
    sqlx::query("UPDATE messages SET delivery = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant_id)
        .bind(message_id)
        .bind(state)
        .execute(&mut *tx)
        .await?;
    Ok(state)
}

/// Runs until `shutdown` turns true.
pub async fn run(
    pool: PgPool,
    secrets: Option<SecretsKey>,
    config: MailConfig,
    wake: std::sync::Arc<tokio::sync::Notify>,
    shutdown: watch::Receiver<bool>,
) {
    crate::worker::run(wake, config.poll, "mail sender", shutdown, || {
        step(&pool, secrets.as_ref(), &config)
    })
    .await;
}

/// A claimed reply.
#[derive(Debug, sqlx::FromRow)]
struct Job {
    tenant_id: String,
    message_id: String,
    attempts: i32,
}

/// What an attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// The server took it: its answer.
    Sent(String),
    /// Handed over, no answer: never sent again.
    Unconfirmed(String),
    /// Not taken, may be tried again.
    Temporary(String),
    /// Refused for good, or cannot be sent.
    Permanent(String),
    /// Another instance owns the reply now (this attempt's lease ran out).
    Lost,
}

/// Settles one reply whose instance died after handing it over, or claims one due reply and
/// makes one attempt; `false` when there was nothing to do.
pub async fn step(
    pool: &PgPool,
    secrets: Option<&SecretsKey>,
    config: &MailConfig,
) -> Result<bool> {
    let orphan: Option<Job> = sqlx::query_as(
        "WITH due AS (
             SELECT tenant_id, message_id FROM email_outbox
             WHERE state = 'committing' AND lease < now()
             LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE email_outbox o SET lease = now() + make_interval(secs => $1)
         FROM due WHERE o.tenant_id = due.tenant_id AND o.message_id = due.message_id
         RETURNING o.tenant_id, o.message_id, o.attempts",
    )
    .bind(config.lease.as_secs_f64())
    .fetch_optional(pool)
    .await?;
    if let Some(job) = orphan {
        let outcome = Outcome::Unconfirmed(
            "handed to the mail server; the platform stopped before the server's answer was recorded".into(),
        );
        settle(pool, config, &job, outcome).await?;
        return Ok(true);
    }
    let job: Option<Job> = sqlx::query_as(
        "WITH due AS (
             SELECT tenant_id, message_id FROM email_outbox
             WHERE state = 'queued' AND due_at <= now() AND (lease IS NULL OR lease < now())
             ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE email_outbox o
         SET attempts = o.attempts + 1, lease = now() + make_interval(secs => $1)
         FROM due WHERE o.tenant_id = due.tenant_id AND o.message_id = due.message_id
         RETURNING o.tenant_id, o.message_id, o.attempts",
    )
    .bind(config.lease.as_secs_f64())
    .fetch_optional(pool)
    .await?;
    let Some(job) = job else {
        return Ok(false);
    };
    let outcome = attempt(pool, secrets, config, &job).await;
    tracing::info!(tenant = %job.tenant_id, message = %job.message_id, attempt = job.attempts, ?outcome, "reply delivery attempt");
    if outcome != Outcome::Lost {
        settle(pool, config, &job, outcome).await?;
    }
    Ok(true)
}

/// The reply, its ticket, its customer and its thread.
async fn reply(
    conn: &mut PgConnection,
    job: &Job,
    smtp: &Smtp,
) -> std::result::Result<Reply, Outcome> {
    let db = |e: sqlx::Error| Outcome::Temporary(format!("the platform's database: {e}"));
    type Row = (
        String,
        String,
        String,
        String,
        String,
        chrono::DateTime<chrono::Utc>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT m.ticket_id, t.subject, m.body, c.name, c.email, m.created_at
         FROM messages m
         JOIN tickets t ON t.tenant_id = m.tenant_id AND t.id = m.ticket_id
         JOIN customers c ON c.tenant_id = t.tenant_id AND c.id = t.customer_id
         WHERE m.tenant_id = $1 AND m.id = $2",
    )
    .bind(&job.tenant_id)
    .bind(&job.message_id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    let (ticket_id, ticket_subject, body, customer_name, customer_email, created_at) =
        row.ok_or_else(|| Outcome::Permanent("the reply is no longer on the platform".into()))?;
    // The thread so far: every message of the ticket that travelled by email before this one.
    let thread: Vec<(String, String)> = sqlx::query_as(
        "SELECT author_kind, rfc_message_id FROM messages
         WHERE tenant_id = $1 AND ticket_id = $2 AND rfc_message_id IS NOT NULL AND id <> $3
           AND created_at <= $4
         ORDER BY created_at, id",
    )
    .bind(&job.tenant_id)
    .bind(&ticket_id)
    .bind(&job.message_id)
    .bind(created_at)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let in_reply_to = thread
        .iter()
        .rev()
        .find(|(kind, _)| kind == "customer")
        .map(|(_, id)| id.clone());
    // The thread's first message and its last ten, as mail clients keep References short.
    let ids: Vec<String> = thread.into_iter().map(|(_, id)| id).collect();
    let thread = match ids.len() {
        0..=11 => ids,
        n => std::iter::once(ids[0].clone())
            .chain(ids[n - 10..].iter().cloned())
            .collect(),
    };
    Ok(Reply {
        message_id: job.message_id.clone(),
        ticket_id,
        ticket_subject,
        body,
        customer_name,
        customer_email,
        from_address: smtp.from_address.clone(),
        from_name: smtp.from_name.clone(),
        thread,
        in_reply_to,
        created_at,
    })
}

async fn attempt(
    pool: &PgPool,
    secrets: Option<&SecretsKey>,
    config: &MailConfig,
    job: &Job,
) -> Outcome {
    let started = std::time::Instant::now();
    let prepared = async {
        let mut conn = pool
            .acquire()
            .await
            .map_err(|e| Outcome::Temporary(format!("the platform's database: {e}")))?;
        let smtp = channel::smtp(&mut conn, secrets, &job.tenant_id)
            .await
            .map_err(|(permanent, m)| {
                if permanent {
                    Outcome::Permanent(m)
                } else {
                    Outcome::Temporary(m)
                }
            })?;
        let reply = reply(&mut conn, job, &smtp).await?;
        let message = compose::message(&reply).map_err(Outcome::Permanent)?;
        Ok::<_, Outcome>((smtp, reply, message))
    }
    .await;
    let (smtp, reply, message) = match prepared {
        Ok(p) => p,
        Err(o) => return o,
    };
    let rfc_id = compose::message_id(&reply.message_id, &smtp.from_address);
    // Recorded before sending, so a later reply of the thread refers to this one.
    if let Err(e) =
        sqlx::query("UPDATE messages SET rfc_message_id = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(&job.tenant_id)
            .bind(&job.message_id)
            .bind(&rfc_id)
            .execute(pool)
            .await
    {
        return Outcome::Temporary(format!("the platform's database: {e}"));
    }
    session(pool, config, job, &smtp, message, started).await
}

/// `e` in the server's words when it answered, else what went wrong on the way.
fn said(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = s.source();
    }
    text
}

fn classify(stage: &str, e: &lettre::transport::smtp::Error) -> Outcome {
    let m = format!("{stage}: {}", said(e));
    if e.is_permanent() {
        Outcome::Permanent(m)
    } else {
        Outcome::Temporary(m)
    }
}

/// One SMTP session: [`open`] it up to `DATA` within half the lease, commit the `committing`
/// mark, then hand over the message and wait at most one timeout for the server's answer (so
/// the whole session ends inside the lease: `--mail-lease-secs` is at least four timeouts).
async fn session(
    pool: &PgPool,
    config: &MailConfig,
    job: &Job,
    smtp: &Smtp,
    message: lettre::Message,
    started: std::time::Instant,
) -> Outcome {
    let raw = message.formatted();
    // Half the lease from the claim, whatever preparing took.
    let cut_off = config.lease.mul_f64(0.5).saturating_sub(started.elapsed());
    let mut conn = match tokio::time::timeout(cut_off, open(config, smtp, &message)).await {
        Ok(Ok(c)) => c,
        Ok(Err(o)) => return o,
        Err(_) => {
            return Outcome::Temporary(format!(
                "the session with {} took longer than {cut_off:?}",
                smtp.host
            ));
        }
    };
    // The point of no return: from here this reply is never sent again. Only while this
    // attempt still holds its lease, which is then set to cover the answer and the settling.
    let marked = sqlx::query(
        "UPDATE email_outbox SET state = 'committing', lease = now() + make_interval(secs => $4)
         WHERE tenant_id = $1 AND message_id = $2 AND state = 'queued' AND attempts = $3
           AND lease > now()",
    )
    .bind(&job.tenant_id)
    .bind(&job.message_id)
    .bind(job.attempts)
    .bind((config.timeout * 3).as_secs_f64())
    .execute(pool)
    .await;
    match marked {
        Ok(r) if r.rows_affected() == 1 => {}
        Ok(_) => {
            conn.abort().await;
            return Outcome::Lost;
        }
        Err(e) => {
            conn.abort().await;
            return Outcome::Temporary(format!("the platform's database: {e}"));
        }
    }
    let outcome = match tokio::time::timeout(config.timeout, conn.message(&raw)).await {
        Ok(Ok(answer)) => Outcome::Sent(
            format!(
                "{} {}",
                answer.code(),
                answer.message().collect::<Vec<_>>().join(" ")
            )
            .trim()
            .to_owned(),
        ),
        Ok(Err(e)) if e.is_permanent() => Outcome::Permanent(said(&e)),
        // The server answered 4xx: it did not take the message.
        Ok(Err(e)) if e.is_transient() => Outcome::Temporary(said(&e)),
        Ok(Err(e)) => Outcome::Unconfirmed(format!(
            "handed to the mail server, which did not answer: {}",
            said(&e)
        )),
        Err(_) => Outcome::Unconfirmed(format!(
            "handed to the mail server, which did not answer within {:?}",
            config.timeout
        )),
    };
    // Said goodbye off the path: the outcome is settled without waiting for it.
    let timeout = config.timeout;
    tokio::spawn(async move {
        let _ = tokio::time::timeout(timeout, conn.quit()).await;
    });
    outcome
}

/// Connects (TLS or STARTTLS as configured), authenticates and sends the envelope up to
/// `DATA`: the server has nothing it would deliver yet.
async fn open(
    config: &MailConfig,
    smtp: &Smtp,
    message: &lettre::Message,
) -> std::result::Result<AsyncSmtpConnection, Outcome> {
    let hello = ClientId::Domain(
        smtp.from_address
            .rsplit_once('@')
            .map_or("localhost", |(_, d)| d)
            .to_owned(),
    );
    let tls = || {
        TlsParameters::new(smtp.host.clone())
            .map_err(|e| Outcome::Permanent(format!("TLS for {}: {}", smtp.host, said(&e))))
    };
    let implicit = match smtp.security.as_str() {
        "tls" => Some(tls()?),
        _ => None,
    };
    let mut conn = AsyncSmtpConnection::connect_tokio1(
        (smtp.host.as_str(), smtp.port),
        Some(config.timeout),
        &hello,
        implicit,
        None,
    )
    .await
    .map_err(|e| classify(&format!("connecting to {}:{}", smtp.host, smtp.port), &e))?;
    if smtp.security == "starttls" {
        if !conn.can_starttls() {
            conn.abort().await;
            return Err(Outcome::Permanent(format!(
                "{} does not offer STARTTLS; the channel requires it",
                smtp.host
            )));
        }
        conn.starttls(tls()?, &hello)
            .await
            .map_err(|e| classify("STARTTLS", &e))?;
    }
    let envelope = message.envelope().clone();
    let steps = async {
        if let Some((user, password)) = &smtp.credentials {
            conn.auth(
                &[Mechanism::Plain, Mechanism::Login],
                &Credentials::new(user.clone(), password.clone()),
            )
            .await
            .map_err(|e| classify("authentication", &e))?;
        }
        conn.command(Mail::new(envelope.from().cloned(), vec![]))
            .await
            .map_err(|e| classify("MAIL FROM", &e))?;
        for to in envelope.to() {
            conn.command(Rcpt::new(to.clone(), vec![]))
                .await
                .map_err(|e| classify(&format!("RCPT TO <{to}>"), &e))?;
        }
        conn.command(Data).await.map_err(|e| classify("DATA", &e))?;
        Ok::<(), Outcome>(())
    };
    match steps.await {
        Ok(()) => Ok(conn),
        Err(o) => {
            conn.abort().await;
            Err(o)
        }
    }
}

/// Records what the attempt came to, with the message's change for every desk; a failure
/// also reopens the ticket. Guarded by the attempt number: a late result of an attempt whose
/// lease ran out changes nothing.
async fn settle(pool: &PgPool, config: &MailConfig, job: &Job, outcome: Outcome) -> Result<()> {
    let (delivery, detail, retry_in) = match outcome {
        Outcome::Sent(answer) => ("sent", answer, None),
        Outcome::Unconfirmed(m) => ("sent", format!("unconfirmed: {m}"), None),
        Outcome::Permanent(m) => ("failed", m, None),
        Outcome::Temporary(m) if job.attempts >= config.max_attempts => (
            "failed",
            format!("gave up after {} attempts: {m}", job.attempts),
            None,
        ),
        Outcome::Temporary(m) => {
            let wait = config
                .retry_after
                .saturating_mul(1 << (job.attempts - 1).clamp(0, 16))
                .min(Duration::from_secs(3600));
            (
                "queued",
                format!("attempt {} failed, trying again: {m}", job.attempts),
                Some(wait),
            )
        }
        Outcome::Lost => return Ok(()),
    };
    let mut tx = pool.begin().await?;
    let updated = sqlx::query(
        "UPDATE email_outbox
         SET state = CASE WHEN $4 = 'queued' THEN 'queued' ELSE 'done' END,
             due_at = CASE WHEN $5::float8 IS NULL THEN due_at ELSE now() + make_interval(secs => $5) END,
             lease = NULL, last_error = CASE WHEN $4 = 'sent' THEN NULL ELSE $6 END
         WHERE tenant_id = $1 AND message_id = $2 AND attempts = $3 AND state <> 'done'",
    )
    .bind(&job.tenant_id)
    .bind(&job.message_id)
    .bind(job.attempts)
    .bind(delivery)
    .bind(retry_in.map(|d| d.as_secs_f64()))
    .bind(&detail)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(());
    }
    // A bounce that came in meanwhile is the last word on the message: it stays failed.
    let ticket: Option<String> = sqlx::query_scalar(
        "UPDATE messages SET delivery = $3, delivery_detail = $4,
                delivered_at = CASE WHEN $3 = 'queued' THEN delivered_at ELSE now() END,
                version = version + 1
         WHERE tenant_id = $1 AND id = $2 AND delivery IS DISTINCT FROM 'failed'
         RETURNING ticket_id",
    )
    .bind(&job.tenant_id)
    .bind(&job.message_id)
    .bind(delivery)
    .bind(&detail)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(ticket) = ticket else {
        tx.commit().await?;
        return Ok(());
    };
    let mut changed = Changed::default();
    changed.push(Entity::Message, &job.message_id);
    if delivery != "queued" {
        crate::hooks::emit(
            &mut tx,
            &job.tenant_id,
            if delivery == "sent" { "reply.sent" } else { "reply.failed" },
            serde_json::json!({"ticket_id": ticket, "message_id": job.message_id, "detail": detail}),
        )
        .await?;
    }
    if delivery == "failed" {
        // Back in the agent's inbox: the customer did not get the answer.
        let reopened = sqlx::query(
            "UPDATE tickets SET status = 'open', version = version + 1, updated_at = now()
             WHERE tenant_id = $1 AND id = $2 AND status <> 'open'",
        )
        .bind(&job.tenant_id)
        .bind(&ticket)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if reopened == 1 {
            changed.push(Entity::Ticket, &ticket);
        }
    }
    changed.record(&mut tx, &job.tenant_id).await?;
    tx.commit().await?;
    Ok(())
}
