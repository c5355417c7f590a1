//! The desk drafts on its own. A ticket whose customer is waiting gets a draft from the drafting
//! engine (`countersign-drafting`): its context read from the cache, a proposal written, then
//! filed through the one path every draft takes ([`crate::workflow::drafts::file`]: the
//! grounding check, the staleness binding, the audit row). A generated draft is a proposal like
//! an assistant's: a person approves, edits or rejects it.

pub mod context;
pub mod providers;

use crate::store::Store;
use crate::workflow::AssistantCall;
use crate::workflow::drafts::{self, CitationRef, Extras, NewDraft};
use crate::{Result, settings};
use countersign_drafting::chain;
use countersign_drafting::providers::{Breaker, RetryPolicy};
use countersign_model::workflow::{Draft, Generation, Person, SuggestedEscalation, TokenScope};
use countersign_model::{InvoiceId, TicketId};
use serde_json::json;
use sqlx::SqlitePool;
use std::sync::OnceLock;
use std::time::Instant;

/// What drafting keeps for the life of the process: one HTTP client (its connections are
/// reused), and the circuit breaker that skips a provider that keeps failing.
pub(crate) struct Engine {
    pub http: reqwest::Client,
    pub breaker: Breaker,
    pub policy: RetryPolicy,
}

pub(crate) fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine {
        http: reqwest::Client::new(),
        breaker: Breaker::default(),
        policy: RetryPolicy::default(),
    })
}

/// Who asked for a draft.
#[derive(Debug, Clone, Copy)]
pub enum Trigger<'a> {
    /// A person pressed "Draft with AI" or ran `countersign draft`.
    Person(&'a Person),
    /// The customer wrote and the profile drafts automatically.
    Automatic,
}

impl Trigger<'_> {
    fn tool(&self) -> &'static str {
        match self {
            Trigger::Person(_) => "draft_with_ai",
            Trigger::Automatic => "auto_draft",
        }
    }
}

/// Drafts a reply to `ticket` and files it as `pending_review`: the profile's providers in
/// order (only `provider` when named; `offline` names the offline drafter), then the offline
/// drafter. A person's request uses the providers; an automatic one only when the profile says
/// so (`drafting.auto_providers`: they may cost money).
pub async fn draft_ticket(
    store: &Store,
    ticket: &TicketId,
    trigger: Trigger<'_>,
    provider: Option<&str>,
) -> Result<Draft> {
    let started = Instant::now();
    let seen = drafts::Seen::now(store.pool(), ticket.as_str()).await?;
    let ctx = {
        let mut conn = store.pool().acquire().await?;
        context::load(&mut conn, ticket.as_str(), "", &[]).await?
    };
    let use_providers = match trigger {
        Trigger::Person(_) => true,
        Trigger::Automatic => settings::drafting_auto_providers(store.pool()).await?,
    };
    let (chain_of, skipped) = if use_providers || provider.is_some() {
        providers::chain(store.pool(), provider).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let e = engine();
    let mut outcome = chain::draft(&e.http, &chain_of, &e.breaker, &e.policy, &ctx).await;
    outcome.fallbacks.splice(0..0, skipped);
    for f in &outcome.fallbacks {
        tracing::info!(%ticket, "drafting fell back: {f}");
    }
    let proposal = outcome.proposal;
    let generation = Generation {
        duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        input_tokens: outcome.input_tokens,
        output_tokens: outcome.output_tokens,
        intent: Some(proposal.intent.as_str().to_owned()),
        fallbacks: outcome.fallbacks,
    };
    let suggested_escalation = match proposal.escalation {
        Some(e) => Some(SuggestedEscalation {
            proposed_action: e.action,
            invoice_id: crate::records::parse(InvoiceId::parse(&e.invoice_id))?,
            amount: e.amount,
            reason: e.reason,
        }),
        None => None,
    };
    let arguments = match trigger {
        Trigger::Person(p) => {
            json!({"ticket_id": ticket, "requested_by": p.name, "provider": provider})
        }
        Trigger::Automatic => json!({"ticket_id": ticket}),
    };
    let mut call = AssistantCall::new(outcome.author, TokenScope::Draft, trigger.tool(), arguments);
    call.model = outcome.model;
    let input = NewDraft {
        ticket_id: ticket.clone(),
        body: proposal.body,
        confidence: proposal.confidence,
        citations: proposal
            .citations
            .into_iter()
            .map(|(kind, id)| CitationRef { kind, id })
            .collect(),
    };
    let extras = Extras {
        generation: Some(generation),
        suggested_escalation,
        seen: Some(seen),
    };
    drafts::file(store, &call, &input, extras).await
}

/// Which tickets wait for a draft: open or pending, the newest public message is the
/// customer's, and no draft (whatever became of it) answers that message (the staleness
/// rule's half about messages, `workflow::staleness`).
macro_rules! waiting_where {
    () => {
        concat!(
            "FROM tickets t \
             WHERE t.status IN ('open', 'pending') \
               AND (SELECT m.author_kind FROM messages m WHERE m.ticket_id = t.id AND m.visibility = 'public' \
                    ORDER BY m.rowid DESC LIMIT 1) = 'customer' \
               AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.ticket_id = t.id AND ",
            crate::workflow::staleness::answers_newest_message!(),
            ") "
        )
    };
}

/// How many tickets wait for a draft.
pub async fn waiting_count(pool: &SqlitePool) -> Result<i64> {
    Ok(
        sqlx::query_scalar(concat!("SELECT COUNT(*) ", waiting_where!()))
            .fetch_one(pool)
            .await?,
    )
}

/// The tickets waiting for a draft (see [`waiting_count`]), most recently updated first.
pub async fn waiting(pool: &SqlitePool, limit: i64) -> Result<Vec<TicketId>> {
    let ids: Vec<String> = sqlx::query_scalar(concat!(
        "SELECT t.id ",
        waiting_where!(),
        "ORDER BY t.updated_at DESC, t.id DESC LIMIT ?"
    ))
    .bind(crate::records::clamp_limit(limit))
    .fetch_all(pool)
    .await?;
    ids.iter()
        .map(|id| crate::records::parse(TicketId::parse(id)))
        .collect()
}

/// What a sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sweep {
    pub drafted: usize,
    pub failed: usize,
}

/// How hard a sweep works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// As fast as it can (`countersign demo`: nobody is waiting on the desk).
    Full,
    /// Behind a person at work (the desktop app): after each ticket it rests as long as the
    /// ticket took, so the inbox and decisions always find the desk half idle.
    Background,
}

/// Drafts every ticket waiting for one, if the profile drafts automatically; tickets are taken
/// in batches of `batch` so a person's decisions never wait long for the write lock.
pub async fn sweep(store: &Store, batch: i64, pace: Pace) -> Result<Sweep> {
    let mut done = Sweep::default();
    if !settings::drafting_auto(store.pool()).await? {
        return Ok(done);
    }
    loop {
        let tickets = waiting(store.pool(), batch).await?;
        if tickets.is_empty() {
            return Ok(done);
        }
        let before = done;
        for ticket in &tickets {
            let started = Instant::now();
            match draft_ticket(store, ticket, Trigger::Automatic, None).await {
                Ok(_) => done.drafted += 1,
                Err(e) => {
                    done.failed += 1;
                    tracing::warn!(%ticket, error = %e, "cannot draft automatically");
                }
            }
            if pace == Pace::Background {
                tokio::time::sleep(started.elapsed()).await;
            }
        }
        // A batch that drafted nothing would be waiting again next time: stop.
        if done.drafted == before.drafted {
            return Ok(done);
        }
    }
}
