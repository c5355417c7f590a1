//! The configuration's names, its author string, and that its debug output never shows the key.

use countersign_drafting::providers::{ProviderConfig, ProviderKind};
use std::time::Duration;

fn config(key: Option<&str>) -> ProviderConfig {
    ProviderConfig {
        name: "work".into(),
        kind: ProviderKind::Anthropic,
        base_url: String::new(),
        model: "claude-sonnet-4-5".into(),
        timeout: Duration::from_secs(30),
        key: key.map(str::to_owned),
    }
}

#[test]
fn kinds_round_trip_through_their_names() {
    for kind in ProviderKind::ALL {
        assert_eq!(ProviderKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(ProviderKind::OpenAiCompatible.as_str(), "openai-compatible");
    assert_eq!(ProviderKind::Anthropic.as_str(), "anthropic");
    assert_eq!(ProviderKind::parse("gemini"), None);
}

#[test]
fn the_author_names_kind_and_model() {
    assert_eq!(config(None).author(), "anthropic/claude-sonnet-4-5");
    let mut c = config(None);
    c.kind = ProviderKind::OpenAiCompatible;
    c.model = "llama3.2".into();
    assert_eq!(c.author(), "openai-compatible/llama3.2");
}

#[test]
fn debug_output_redacts_the_key() {
    let shown = format!("{:?}", config(Some("sk-ant-secret-value")));
    assert!(
        !shown.contains("sk-ant-secret-value"),
        "the key leaked: {shown}"
    );
    assert!(shown.contains("key: Some(<redacted>)"), "{shown}");
    assert!(format!("{:?}", config(None)).contains("key: None"));
}
