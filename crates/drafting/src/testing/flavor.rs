//! The two protocols as their published API references show them: where each is served, what
//! its successful answer and its error bodies look like, and where it expects the key. The
//! scenarios run against either through this one description.

use super::fake::{Fake, Received, Reply};
use crate::providers::{ProviderConfig, ProviderKind};
use serde_json::{Value, json};
use std::time::Duration;

pub const MODEL: &str = "test-model-1";

/// The answer a well-behaved model gives for the fixture: a refund of the duplicate charge.
pub const DRAFT: &str = r#"{"reply":"Hello Ada, we can see two payments of 49.90 EUR for invoice INV-2024-0042. A colleague will review the refund of the duplicate charge.","citations":[{"kind":"invoice","id":"inv_42"},{"kind":"payment","id":"pay_2"},{"kind":"message","id":"msg_1"}],"confidence":0.82,"escalation":{"action":"refund","invoice_id":"inv_42","amount":"49.90","reason":"Charged twice for INV-2024-0042"}}"#;

#[derive(Debug, Clone, Copy)]
pub struct Flavor(pub ProviderKind);

pub const OPENAI: Flavor = Flavor(ProviderKind::OpenAiCompatible);
pub const ANTHROPIC: Flavor = Flavor(ProviderKind::Anthropic);

impl Flavor {
    /// A configuration pointing at `fake`.
    pub fn config(self, fake: &Fake, key: Option<&str>) -> ProviderConfig {
        self.config_at(&fake.origin, key)
    }

    /// A configuration pointing at the server at `origin` (`http://127.0.0.1:<port>`).
    pub fn config_at(self, origin: &str, key: Option<&str>) -> ProviderConfig {
        let base_url = match self.0 {
            ProviderKind::OpenAiCompatible => format!("{origin}/v1"),
            ProviderKind::Anthropic => origin.to_owned(),
        };
        ProviderConfig {
            name: format!("fake-{}", self.0.as_str()),
            kind: self.0,
            base_url,
            model: MODEL.into(),
            timeout: Duration::from_secs(5),
            key: key.map(str::to_owned),
        }
    }

    pub fn path(self) -> &'static str {
        match self.0 {
            ProviderKind::OpenAiCompatible => "/v1/chat/completions",
            ProviderKind::Anthropic => "/v1/messages",
        }
    }

    /// A successful answer whose text is `content`, reporting 812 tokens in and 96 out.
    pub fn success(self, content: &str) -> Reply {
        Reply::ok(match self.0 {
            ProviderKind::OpenAiCompatible => json!({
                "id": "chatcmpl-abc123",
                "object": "chat.completion",
                "created": 1_717_000_000,
                "model": MODEL,
                "choices": [{
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": null},
                    "logprobs": null,
                    "finish_reason": "stop"
                }],
                "usage": {"prompt_tokens": 812, "completion_tokens": 96, "total_tokens": 908}
            }),
            ProviderKind::Anthropic => json!({
                "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
                "type": "message",
                "role": "assistant",
                "model": MODEL,
                "content": [{"type": "text", "text": content}],
                "stop_reason": "end_turn",
                "stop_sequence": null,
                "usage": {"input_tokens": 812, "output_tokens": 96}
            }),
        })
    }

    /// An error answer with the provider's own body for `status`.
    pub fn error(self, status: u16, message: &str) -> Reply {
        let (openai_type, anthropic_type) = match status {
            401 => ("invalid_request_error", "authentication_error"),
            429 => ("requests", "rate_limit_error"),
            529 => ("server_error", "overloaded_error"),
            500..=599 => ("server_error", "api_error"),
            _ => ("invalid_request_error", "invalid_request_error"),
        };
        let body: Value = match self.0 {
            ProviderKind::OpenAiCompatible => json!({
                "error": {
                    "message": message,
                    "type": openai_type,
                    "param": null,
                    "code": if status == 401 { json!("invalid_api_key") } else { Value::Null }
                }
            }),
            ProviderKind::Anthropic => json!({
                "type": "error",
                "error": {"type": anthropic_type, "message": message},
                "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"
            }),
        };
        Reply::json(status, body)
    }

    /// The key header as the fake received it.
    pub fn key_sent(self, r: &Received) -> Option<String> {
        match self.0 {
            ProviderKind::OpenAiCompatible => r.header("authorization").map(str::to_owned),
            ProviderKind::Anthropic => r.header("x-api-key").map(str::to_owned),
        }
    }

    /// How the key header reads for `key`.
    pub fn key_header(self, key: &str) -> String {
        match self.0 {
            ProviderKind::OpenAiCompatible => format!("Bearer {key}"),
            ProviderKind::Anthropic => key.to_owned(),
        }
    }
}
