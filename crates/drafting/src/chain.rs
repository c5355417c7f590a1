//! The provider chain: the configured providers in order, then the offline drafter, which is
//! always last and cannot be removed. The first provider whose answer is usable wins; each one
//! skipped or failed is noted (who, and why) so the person sees what answered instead.
//!
//! An answer is unusable when the call failed (after its retries), when the provider's breaker
//! is open, or when it cites a record the ticket's context does not hold (another customer's
//! invoice, an id the model made up). An answer that states a figure no record shows is usable:
//! the grounding check at filing flags it beside the text, it is not silently dropped.

use crate::context::Context;
use crate::offline;
use crate::providers::{self, Breaker, ProviderConfig, RetryPolicy};
use countersign_model::workflow::CitedKind;

/// What the chain produced, ready to be filed.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Who wrote it: `countersign/offline`, `openai-compatible/<model>`, `anthropic/<model>`.
    pub author: String,
    /// The provider's model, when a provider wrote it.
    pub model: Option<String>,
    pub proposal: offline::Proposal,
    pub input_tokens: Option<i64>,
    pub output_tokens: Option<i64>,
    /// Providers tried before the one that answered, each with what went wrong, in order.
    pub fallbacks: Vec<String>,
}

/// Drafts the ticket of `ctx`: each of `chain` in turn, then the offline drafter.
pub async fn draft(
    http: &reqwest::Client,
    chain: &[ProviderConfig],
    breaker: &Breaker,
    policy: &RetryPolicy,
    ctx: &Context,
) -> Outcome {
    let mut fallbacks = Vec::new();
    for cfg in chain {
        let who = cfg.author();
        if let Err(e) = breaker.check(&cfg.name) {
            fallbacks.push(format!("{who} ({}) skipped: {e}", cfg.name));
            continue;
        }
        let generated = match providers::generate(http, cfg, ctx, policy).await {
            Ok(g) => g,
            Err(e) => {
                breaker.record(&cfg.name, false);
                fallbacks.push(format!("{who} ({}) failed: {e}", cfg.name));
                continue;
            }
        };
        breaker.record(&cfg.name, true);
        if let Some((kind, id)) = generated
            .citations
            .iter()
            .find(|(kind, id)| !holds(ctx, *kind, id))
        {
            fallbacks.push(format!(
                "{who} ({}) cited {kind} {id}, which is not one of this customer's records",
                cfg.name
            ));
            continue;
        }
        return Outcome {
            author: who,
            model: Some(cfg.model.clone()),
            proposal: offline::Proposal {
                intent: ctx.intent(),
                body: generated.body,
                citations: generated.citations,
                confidence: generated.confidence,
                escalation: generated.escalation,
            },
            input_tokens: generated.input_tokens,
            output_tokens: generated.output_tokens,
            fallbacks,
        };
    }
    Outcome {
        author: offline::AUTHOR.to_owned(),
        model: None,
        proposal: offline::draft(ctx),
        input_tokens: None,
        output_tokens: None,
        fallbacks,
    }
}

/// Whether the context holds the record a draft cites.
fn holds(ctx: &Context, kind: CitedKind, id: &str) -> bool {
    match kind {
        CitedKind::Customer => ctx.customer.id == id,
        CitedKind::Invoice => ctx.invoices.iter().any(|i| i.id == id),
        CitedKind::Payment => ctx.payments.iter().any(|p| p.id == id),
        CitedKind::Message => ctx.messages.iter().any(|m| m.id == id),
        CitedKind::KbArticle => ctx.articles.iter().any(|a| a.id == id),
    }
}
