//! The OpenAI-compatible client: every shared scenario, the request's shape, and the answers
//! local servers give (fenced JSON, no usage).

use countersign_drafting::fixture;
use countersign_drafting::providers::{self, RetryPolicy};
use countersign_drafting::testing::fake::Fake;
use countersign_drafting::testing::flavor::{DRAFT, MODEL, OPENAI};

crate::scenario_tests!(OPENAI =>
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

#[tokio::test]
async fn the_request_has_the_chat_completions_shape() {
    let fake = Fake::start(vec![OPENAI.success(DRAFT)]).await;
    let cfg = OPENAI.config(&fake, Some("sk-test"));
    providers::generate(
        &reqwest::Client::new(),
        &cfg,
        &fixture::context(),
        &RetryPolicy::default(),
    )
    .await
    .unwrap();
    let r = &fake.received()[0];
    assert_eq!(r.path, "/v1/chat/completions");
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let b = &r.body;
    assert_eq!(b["model"], MODEL);
    assert_eq!(
        b["response_format"]["type"], "json_object",
        "JSON mode is asked for"
    );
    assert_eq!(b["temperature"], 0.2);
    assert!(
        b["max_tokens"].as_u64().is_some_and(|n| n >= 500),
        "{}",
        b["max_tokens"]
    );
    assert_eq!(b["messages"][0]["role"], "system");
    assert_eq!(b["messages"][1]["role"], "user");
    let system = b["messages"][0]["content"].as_str().unwrap();
    assert!(
        system.contains("JSON") && system.contains("English"),
        "{system}"
    );
    let user = b["messages"][1]["content"].as_str().unwrap();
    for needle in ["INV-2024-0042", "49.90 EUR", "inv_42", "Charged twice"] {
        assert!(
            user.contains(needle),
            "the user message lacks {needle:?}:\n{user}"
        );
    }
}

#[tokio::test]
async fn fenced_content_without_usage_is_read() {
    let mut reply = serde_json::json!({
        "choices": [{"index": 0, "message": {"role": "assistant", "content": format!("```json\n{DRAFT}\n```")}, "finish_reason": "stop"}]
    });
    reply["model"] = MODEL.into();
    let fake = Fake::start(vec![countersign_drafting::testing::fake::Reply::ok(reply)]).await;
    let cfg = OPENAI.config(&fake, None);
    let g = providers::generate(
        &reqwest::Client::new(),
        &cfg,
        &fixture::context(),
        &RetryPolicy::default(),
    )
    .await
    .expect("fences are stripped");
    assert!(g.body.starts_with("Hello Ada"));
    assert_eq!(
        (g.input_tokens, g.output_tokens),
        (None, None),
        "a server without usage reports none"
    );
}
