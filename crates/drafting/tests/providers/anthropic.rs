//! The Anthropic Messages client: every shared scenario, the request's shape, the 529 overload
//! retried, and an answer cut off at the token limit.

use countersign_drafting::fixture;
use countersign_drafting::providers::{self, ProviderError, RetryPolicy};
use countersign_drafting::testing::fake::{Fake, Reply};
use countersign_drafting::testing::flavor::{ANTHROPIC, DRAFT, MODEL};
use serde_json::json;
use std::time::Duration;

crate::scenario_tests!(ANTHROPIC =>
    success_reads_reply_citations_escalation_and_tokens,
    retry_after_is_waited_for,
    retry_after_beyond_max_wait_gives_up_at_once,
    server_errors_are_retried_with_backoff,
    persistent_server_errors_fail_after_max_retries,
    a_hung_provider_times_out,
    a_non_json_answer_is_malformed,
    unauthorized_is_not_retried_and_names_the_providers_message,
    the_key_is_sent_only_when_configured,
    ping_makes_one_tiny_call,
    an_unreachable_provider_is_a_network_error,
);

fn quick() -> RetryPolicy {
    RetryPolicy {
        base_backoff: Duration::from_millis(10),
        ..RetryPolicy::default()
    }
}

#[tokio::test]
async fn the_request_has_the_messages_shape() {
    let fake = Fake::start(vec![ANTHROPIC.success(DRAFT)]).await;
    let cfg = ANTHROPIC.config(&fake, Some("sk-ant-test"));
    providers::generate(&reqwest::Client::new(), &cfg, &fixture::context(), &quick())
        .await
        .unwrap();
    let r = &fake.received()[0];
    assert_eq!(r.path, "/v1/messages");
    assert_eq!(r.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(r.header("x-api-key"), Some("sk-ant-test"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    let b = &r.body;
    assert_eq!(b["model"], MODEL);
    assert!(
        b["max_tokens"].as_u64().is_some_and(|n| n >= 500),
        "{}",
        b["max_tokens"]
    );
    let system = b["system"]
        .as_str()
        .expect("the system prompt is top-level");
    assert!(
        system.contains("JSON") && system.contains("English"),
        "{system}"
    );
    assert_eq!(b["messages"].as_array().map(Vec::len), Some(1));
    assert_eq!(b["messages"][0]["role"], "user");
    let user = b["messages"][0]["content"].as_str().unwrap();
    for needle in ["INV-2024-0042", "49.90 EUR", "inv_42", "Charged twice"] {
        assert!(
            user.contains(needle),
            "the user message lacks {needle:?}:\n{user}"
        );
    }
}

#[tokio::test]
async fn overloaded_529_is_retried() {
    let fake = Fake::start(vec![
        ANTHROPIC.error(529, "Overloaded"),
        ANTHROPIC.success(DRAFT),
    ])
    .await;
    let cfg = ANTHROPIC.config(&fake, None);
    let g = providers::generate(&reqwest::Client::new(), &cfg, &fixture::context(), &quick()).await;
    assert!(g.is_ok(), "{g:?}");
    assert_eq!(fake.calls(), 2, "the overload was retried once");

    let always = Fake::start(vec![ANTHROPIC.error(529, "Overloaded")]).await;
    let err = providers::generate(
        &reqwest::Client::new(),
        &ANTHROPIC.config(&always, None),
        &fixture::context(),
        &quick(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err,
        ProviderError::Server {
            status: 529,
            message: "Overloaded".into()
        }
    );
    assert_eq!(always.calls(), 3);
}

#[tokio::test]
async fn an_answer_cut_off_at_max_tokens_is_malformed() {
    let fake = Fake::start(vec![Reply::ok(json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": MODEL,
        "content": [{"type": "text", "text": "{\"reply\": \"Hello Ada, we can see"}],
        "stop_reason": "max_tokens", "stop_sequence": null,
        "usage": {"input_tokens": 812, "output_tokens": 1500}
    }))])
    .await;
    let err = providers::generate(
        &reqwest::Client::new(),
        &ANTHROPIC.config(&fake, None),
        &fixture::context(),
        &quick(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, ProviderError::Malformed(m) if m.contains("cut off")),
        "{err:?}"
    );
    assert_eq!(fake.calls(), 1);
}
