//! The chain against fake providers: the first usable answer wins, each provider passed over is
//! named with its reason, the offline drafter answers when none can, and a provider that keeps
//! failing is skipped without being called.

use countersign_drafting::chain;
use countersign_drafting::providers::{Breaker, ProviderConfig, RetryPolicy};
use countersign_drafting::testing::fake::{Fake, Reply};
use countersign_drafting::testing::flavor::{ANTHROPIC, DRAFT, OPENAI};
use countersign_drafting::{fixture, grounding};
use countersign_model::workflow::ClaimKind;
use std::time::Duration;

fn quick() -> RetryPolicy {
    RetryPolicy {
        max_retries: 1,
        max_wait: Duration::from_secs(2),
        base_backoff: Duration::from_millis(10),
    }
}

async fn run(chain: &[ProviderConfig], breaker: &Breaker) -> chain::Outcome {
    chain::draft(
        &reqwest::Client::new(),
        chain,
        breaker,
        &quick(),
        &fixture::context(),
    )
    .await
}

fn reply_citing(reply: &str, invoice: &str) -> String {
    serde_json::json!({
        "reply": reply,
        "citations": [{"kind": "invoice", "id": invoice}],
        "confidence": 0.9,
        "escalation": null
    })
    .to_string()
}

#[tokio::test]
async fn the_first_provider_that_answers_writes_the_draft() {
    let fake = Fake::start(vec![OPENAI.success(DRAFT)]).await;
    let out = run(&[OPENAI.config(&fake, Some("sk-1"))], &Breaker::default()).await;
    assert_eq!(out.author, "openai-compatible/test-model-1");
    assert_eq!((out.input_tokens, out.output_tokens), (Some(812), Some(96)));
    assert!(out.fallbacks.is_empty(), "{:?}", out.fallbacks);
    assert!(out.proposal.escalation.is_some());
}

#[tokio::test]
async fn a_failing_provider_is_named_and_the_next_one_answers() {
    let down = Fake::start(vec![ANTHROPIC.error(500, "Internal server error")]).await;
    let up = Fake::start(vec![OPENAI.success(DRAFT)]).await;
    let chain = [ANTHROPIC.config(&down, Some("k")), OPENAI.config(&up, None)];
    let out = run(&chain, &Breaker::default()).await;
    assert_eq!(out.author, "openai-compatible/test-model-1");
    assert_eq!(out.fallbacks.len(), 1);
    assert!(
        out.fallbacks[0].starts_with("anthropic/test-model-1 (fake-anthropic) failed")
            && out.fallbacks[0].contains("Internal server error"),
        "says which provider failed and why: {:?}",
        out.fallbacks
    );
    assert_eq!(down.calls(), 2, "retried once, per the policy");
}

#[tokio::test]
async fn when_every_provider_fails_the_offline_drafter_answers() {
    let broken = Fake::start(vec![OPENAI.success("this is not JSON")]).await;
    let hung = Fake::start(vec![ANTHROPIC.success(DRAFT).delay(Duration::from_secs(5))]).await;
    let mut slow = ANTHROPIC.config(&hung, Some("k"));
    slow.timeout = Duration::from_millis(200);
    let started = std::time::Instant::now();
    let out = run(&[OPENAI.config(&broken, None), slow], &Breaker::default()).await;
    assert_eq!(out.author, "countersign/offline");
    assert_eq!(out.model, None);
    assert_eq!(out.fallbacks.len(), 2, "{:?}", out.fallbacks);
    assert!(
        out.fallbacks[0].contains("not the JSON object asked for"),
        "{:?}",
        out.fallbacks
    );
    assert!(
        out.fallbacks[1].contains("did not answer within 200 ms"),
        "{:?}",
        out.fallbacks
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the hang is cut at the timeout"
    );
    let claims = grounding::check(&fixture::context(), &out.proposal.body);
    assert!(
        grounding::holds(&claims),
        "the offline answer is grounded: {claims:?}"
    );
}

#[tokio::test]
async fn a_reply_citing_another_customers_record_is_passed_over() {
    let fake = Fake::start(vec![OPENAI.success(&reply_citing(
        "Hello Ada, invoice INV-2024-0042 is paid.",
        "inv_of_someone_else",
    ))])
    .await;
    let out = run(&[OPENAI.config(&fake, None)], &Breaker::default()).await;
    assert_eq!(
        out.author, "countersign/offline",
        "nothing of that answer is filed"
    );
    assert!(
        out.fallbacks[0].contains("inv_of_someone_else"),
        "{:?}",
        out.fallbacks
    );
}

#[tokio::test]
async fn a_reply_stating_an_amount_no_record_has_is_kept_for_the_grounding_flags() {
    let fake = Fake::start(vec![OPENAI.success(&reply_citing(
        "Hello Ada, we refunded 123.45 EUR for invoice INV-2024-0042.",
        "inv_42",
    ))])
    .await;
    let out = run(&[OPENAI.config(&fake, None)], &Breaker::default()).await;
    assert_eq!(out.author, "openai-compatible/test-model-1");
    let claims = grounding::check(&fixture::context(), &out.proposal.body);
    let flagged: Vec<_> = claims.iter().filter(|c| !c.grounded).collect();
    assert_eq!(flagged.len(), 1, "{claims:?}");
    assert_eq!(
        (flagged[0].kind, flagged[0].text.as_str()),
        (ClaimKind::Amount, "123.45 EUR")
    );
}

#[tokio::test]
async fn a_provider_that_keeps_failing_is_skipped_for_a_while() {
    let down = Fake::start(vec![Reply::json(
        503,
        serde_json::json!({"error": {"message": "down"}}),
    )])
    .await;
    let breaker = Breaker::new(1, Duration::from_secs(60));
    let chain = [OPENAI.config(&down, None)];
    let first = run(&chain, &breaker).await;
    assert!(
        first.fallbacks[0].contains("failed"),
        "{:?}",
        first.fallbacks
    );
    let calls = down.calls();
    let second = run(&chain, &breaker).await;
    assert_eq!(
        down.calls(),
        calls,
        "an open breaker does not call the provider"
    );
    assert!(
        second.fallbacks[0].contains("skipped"),
        "{:?}",
        second.fallbacks
    );
    assert_eq!(second.author, "countersign/offline");
}
