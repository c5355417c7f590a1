//! The profile's AI providers: configured and ordered by a person (audited, checked), and used
//! by the chain in that order before the offline drafter, which answers when they cannot.

use crate::support::{agent, count, desk};
use countersign_core::drafting::providers;
use countersign_core::drafting::{self, Trigger};
use countersign_model::ipc::AddProvider;
use countersign_model::{ErrorCode, TicketId};

fn local(name: &str, port: u16) -> AddProvider {
    AddProvider {
        name: name.into(),
        kind: "openai-compatible".into(),
        base_url: format!("http://127.0.0.1:{port}/v1"),
        model: "llama3.1".into(),
        timeout_secs: Some(2),
        key: None,
    }
}

#[tokio::test]
async fn providers_are_added_ordered_and_removed_with_an_audit_row_each() {
    let d = desk().await;
    let a = providers::add(&d.store, &agent(), &local("ollama", 9))
        .await
        .unwrap();
    assert_eq!(
        (a.position, a.author.as_str(), a.has_key),
        (1, "openai-compatible/llama3.1", false)
    );
    let b = AddProvider {
        name: "claude".into(),
        kind: "anthropic".into(),
        model: "claude-sonnet-4-5".into(),
        base_url: String::new(),
        timeout_secs: None,
        key: None,
    };
    let b = providers::add(&d.store, &agent(), &b).await.unwrap();
    assert_eq!(
        b.base_url, "https://api.anthropic.com",
        "an empty base URL is the kind's own"
    );
    assert_eq!((b.position, b.timeout_secs), (2, 30));

    let order = providers::reorder(&d.store, &agent(), &["claude".into(), "ollama".into()])
        .await
        .unwrap();
    let names: Vec<&str> = order.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["claude", "ollama"]);
    let partial = providers::reorder(&d.store, &agent(), &["claude".into()]).await;
    assert_eq!(
        partial.unwrap_err().code(),
        ErrorCode::InvalidArgument,
        "every provider, once"
    );

    providers::remove(&d.store, &agent(), "claude")
        .await
        .unwrap();
    let gone = providers::remove(&d.store, &agent(), "claude").await;
    assert_eq!(gone.unwrap_err().code(), ErrorCode::NotFound);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('add_provider', 'order_providers', 'remove_provider')",
    )
    .fetch_one(d.store.pool())
    .await
    .unwrap();
    assert_eq!(audited, 4);
}

#[tokio::test]
async fn a_bad_provider_is_refused_with_the_reason() {
    let d = desk().await;
    let cases = [
        AddProvider {
            name: "offline".into(),
            ..local("x", 9)
        },
        AddProvider {
            name: "has space".into(),
            ..local("x", 9)
        },
        AddProvider {
            kind: "gemini".into(),
            ..local("x", 9)
        },
        AddProvider {
            base_url: "ftp://example.com".into(),
            ..local("x", 9)
        },
        AddProvider {
            model: " ".into(),
            ..local("x", 9)
        },
        AddProvider {
            timeout_secs: Some(0),
            ..local("x", 9)
        },
        // A key would cross the network in clear text.
        AddProvider {
            base_url: "http://10.0.0.5:11434/v1".into(),
            key: Some("sk-1".into()),
            ..local("x", 9)
        },
    ];
    for case in cases {
        let err = providers::add(&d.store, &agent(), &case).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument, "{case:?}: {err}");
    }
    assert_eq!(count(&d.store, "providers").await, 0);
    providers::add(&d.store, &agent(), &local("ollama", 9))
        .await
        .unwrap();
    let twice = providers::add(&d.store, &agent(), &local("ollama", 9))
        .await
        .unwrap_err();
    assert_eq!(twice.code(), ErrorCode::Conflict);
}

#[tokio::test]
async fn an_unreachable_provider_falls_back_to_the_offline_drafter_and_says_so() {
    let d = desk().await;
    // Nothing listens on port 9 (discard) here: the connection is refused.
    providers::add(&d.store, &agent(), &local("ollama", 9))
        .await
        .unwrap();
    let t = TicketId::parse("tkt_anna").unwrap();
    let draft = drafting::draft_ticket(&d.store, &t, Trigger::Person(&agent()), None)
        .await
        .unwrap();
    assert_eq!(draft.author.client, "countersign/offline");
    let g = draft.generation.expect("generation");
    assert_eq!(g.fallbacks.len(), 1);
    assert!(
        g.fallbacks[0].starts_with("openai-compatible/llama3.1 (ollama) failed"),
        "{:?}",
        g.fallbacks
    );
    assert_eq!(
        count(&d.store, "drafts").await,
        1,
        "one draft, the offline one"
    );

    // Drafting by itself does not ask paid providers unless the profile says so.
    let auto = drafting::draft_ticket(&d.store, &t, Trigger::Automatic, None)
        .await
        .unwrap();
    assert!(
        auto.generation.unwrap().fallbacks.is_empty(),
        "the provider was not asked"
    );

    // Asking for a provider by name that does not exist is an error, not a silent fallback.
    let unknown = drafting::draft_ticket(&d.store, &t, Trigger::Person(&agent()), Some("gpt"))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), ErrorCode::NotFound);
    let offline = drafting::draft_ticket(&d.store, &t, Trigger::Person(&agent()), Some("offline"))
        .await
        .unwrap();
    assert!(offline.generation.unwrap().fallbacks.is_empty());
}
