//! What every provider kind must do alike, each scenario against its own scripted fake server:
//! answers read into typed proposals, transient failures retried within the policy, permanent
//! ones reported at once with the provider's own words, hung calls cut at the timeout.

use countersign_drafting::fixture;
use countersign_drafting::providers::{self, ProviderError, RetryPolicy};
use countersign_drafting::testing::fake::Fake;
use countersign_drafting::testing::flavor::{DRAFT, Flavor};
use countersign_model::workflow::{CitedKind, ProposedAction};
use std::time::{Duration, Instant};

/// Two retries, short backoff: the scenarios run in milliseconds unless a wait is the point.
fn quick() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        max_wait: Duration::from_secs(10),
        base_backoff: Duration::from_millis(10),
    }
}

async fn run(
    f: Flavor,
    fake: &Fake,
    key: Option<&str>,
) -> Result<providers::Generated, ProviderError> {
    let cfg = f.config(fake, key);
    providers::generate(&reqwest::Client::new(), &cfg, &fixture::context(), &quick()).await
}

pub async fn success_reads_reply_citations_escalation_and_tokens(f: Flavor) {
    let fake = Fake::start(vec![f.success(DRAFT)]).await;
    let g = run(f, &fake, Some("sk-test"))
        .await
        .expect("a well-formed answer is a proposal");
    assert!(g.body.starts_with("Hello Ada"), "{}", g.body);
    assert_eq!(
        g.citations,
        vec![
            (CitedKind::Invoice, "inv_42".to_owned()),
            (CitedKind::Payment, "pay_2".to_owned()),
            (CitedKind::Message, "msg_1".to_owned()),
        ]
    );
    assert_eq!(g.confidence, 0.82);
    let e = g.escalation.expect("the refund escalation is kept");
    assert_eq!(
        (e.action, e.invoice_id.as_str()),
        (ProposedAction::Refund, "inv_42")
    );
    assert_eq!(
        (e.amount.amount_string(), e.amount.currency().as_str()),
        ("49.90".into(), "EUR")
    );
    assert_eq!(
        (g.input_tokens, g.output_tokens),
        (Some(812), Some(96)),
        "usage is reported"
    );
    let r = &fake.received()[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", f.path()));
}

pub async fn retry_after_is_waited_for(f: Flavor) {
    let fake = Fake::start(vec![
        f.error(429, "Rate limit reached")
            .header("retry-after", "1"),
        f.success(DRAFT),
    ])
    .await;
    run(f, &fake, None)
        .await
        .expect("the retry after the wait succeeds");
    let r = fake.received();
    assert_eq!(r.len(), 2, "one rate-limited call, one retry");
    let waited = r[1].at - r[0].at;
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After: 1 was honoured, waited {waited:?}"
    );
}

pub async fn retry_after_beyond_max_wait_gives_up_at_once(f: Flavor) {
    let fake = Fake::start(vec![
        f.error(429, "Rate limit reached for requests")
            .header("retry-after", "3600"),
        f.success(DRAFT),
    ])
    .await;
    let started = Instant::now();
    let err = run(f, &fake, None).await.unwrap_err();
    assert_eq!(
        err,
        ProviderError::RateLimited {
            retry_after: Some(Duration::from_secs(3600)),
            message: "Rate limit reached for requests".into()
        }
    );
    assert_eq!(fake.calls(), 1, "an hour's wait is not waited for");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        err.to_string().contains("Rate limit reached for requests"),
        "{err}"
    );
}

pub async fn server_errors_are_retried_with_backoff(f: Flavor) {
    let fake = Fake::start(vec![
        f.error(500, "The server had an error"),
        f.error(500, "The server had an error"),
        f.success(DRAFT),
    ])
    .await;
    run(f, &fake, None)
        .await
        .expect("the third attempt succeeds");
    assert_eq!(fake.calls(), 3);
}

pub async fn persistent_server_errors_fail_after_max_retries(f: Flavor) {
    let fake = Fake::start(vec![f.error(500, "Internal server error")]).await;
    let err = run(f, &fake, None).await.unwrap_err();
    assert_eq!(
        err,
        ProviderError::Server {
            status: 500,
            message: "Internal server error".into()
        }
    );
    assert_eq!(fake.calls(), quick().max_retries as usize + 1);
}

pub async fn a_hung_provider_times_out(f: Flavor) {
    let fake = Fake::start(vec![f.success(DRAFT).delay(Duration::from_secs(5))]).await;
    let mut cfg = f.config(&fake, None);
    cfg.timeout = Duration::from_millis(300);
    let started = Instant::now();
    let err = providers::generate(&reqwest::Client::new(), &cfg, &fixture::context(), &quick())
        .await
        .unwrap_err();
    assert_eq!(err, ProviderError::Timeout(Duration::from_millis(300)));
    assert_eq!(fake.calls(), 3, "each timed-out attempt is retried");
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(2500),
        "three 300 ms attempts took {took:?}"
    );
}

pub async fn a_non_json_answer_is_malformed(f: Flavor) {
    let fake = Fake::start(vec![f.success("Sure! The customer was charged twice.")]).await;
    let err = run(f, &fake, None).await.unwrap_err();
    assert!(
        matches!(&err, ProviderError::Malformed(m) if m.contains("charged twice")),
        "{err:?} quotes the answer"
    );
    assert_eq!(fake.calls(), 1, "an unusable answer is not retried");
}

pub async fn unauthorized_is_not_retried_and_names_the_providers_message(f: Flavor) {
    let fake = Fake::start(vec![f.error(401, "Incorrect API key provided: sk-wrong")]).await;
    let err = run(f, &fake, Some("sk-wrong")).await.unwrap_err();
    assert_eq!(
        err,
        ProviderError::Unauthorized("Incorrect API key provided: sk-wrong".into())
    );
    assert_eq!(fake.calls(), 1, "a 401 is never retried");
    assert_eq!(
        err.to_string(),
        "the AI provider refused the API key: Incorrect API key provided: sk-wrong"
    );
}

pub async fn the_key_is_sent_only_when_configured(f: Flavor) {
    let with_key = Fake::start(vec![f.success(DRAFT)]).await;
    run(f, &with_key, Some("sk-test-123")).await.unwrap();
    assert_eq!(
        f.key_sent(&with_key.received()[0]),
        Some(f.key_header("sk-test-123"))
    );
    let without = Fake::start(vec![f.success(DRAFT)]).await;
    run(f, &without, None).await.unwrap();
    let r = &without.received()[0];
    assert_eq!(f.key_sent(r), None, "no key configured, no key header");
    assert_eq!(r.header("authorization"), None);
    assert_eq!(r.header("x-api-key"), None);
}

pub async fn ping_makes_one_tiny_call(f: Flavor) {
    let fake = Fake::start(vec![f.success("pong")]).await;
    let cfg = f.config(&fake, Some("sk-test"));
    let latency = providers::ping(&reqwest::Client::new(), &cfg)
        .await
        .expect("ping answers");
    assert!(latency < Duration::from_secs(5));
    let r = &fake.received()[0];
    let max_tokens = r.body["max_tokens"].as_u64().expect("max_tokens is set");
    assert!(
        (1..=5).contains(&max_tokens),
        "a ping asks for {max_tokens} tokens"
    );
    assert_eq!(
        r.body["model"],
        countersign_drafting::testing::flavor::MODEL
    );

    let refused = Fake::start(vec![f.error(401, "invalid key")]).await;
    let err = providers::ping(&reqwest::Client::new(), &f.config(&refused, Some("bad"))).await;
    assert_eq!(err, Err(ProviderError::Unauthorized("invalid key".into())));
    assert_eq!(refused.calls(), 1, "a ping is never retried");
}

pub async fn an_unreachable_provider_is_a_network_error(f: Flavor) {
    let closed = {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let cfg = f.config_at(&closed, None);
    let err = providers::generate(&reqwest::Client::new(), &cfg, &fixture::context(), &quick())
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::Network(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("could not reach the AI provider"),
        "{err}"
    );
}
