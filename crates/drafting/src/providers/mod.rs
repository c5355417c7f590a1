//! The LLM providers a desk may draft with: any OpenAI-compatible chat-completions server
//! (OpenAI, Ollama, llama.cpp, vLLM, LM Studio, OpenRouter, Azure) and Anthropic's Messages API.
//! [`generate`] renders the ticket's [`Context`] into a prompt, calls the provider with bounded
//! retries and a timeout per attempt, and parses the model's JSON answer into a [`Generated`]
//! proposal that core then files through the grounding check like any other draft. [`ping`]
//! tests a configuration with one tiny call. [`Breaker`] lets core skip a provider that keeps
//! failing.
//!
//! It must not read the keyring, a database or settings: core passes the key in with the
//! [`ProviderConfig`]. It never logs the key, the prompt or the answer, only sizes and statuses.

mod anthropic;
mod breaker;
mod error;
mod http;
mod openai;
mod prompt;
mod reply;
mod retry;

pub use breaker::{Breaker, Clock};
pub use error::ProviderError;
pub use retry::RetryPolicy;

use crate::context::Context;
use crate::offline::SuggestedEscalation;
use countersign_model::workflow::CitedKind;
use std::fmt;
use std::time::{Duration, Instant};

/// The most tokens a draft may take: a reply of a few paragraphs plus its JSON envelope.
const DRAFT_MAX_TOKENS: u32 = 1500;

/// The tokens a [`ping`] asks for: enough for any server to accept the call.
const PING_MAX_TOKENS: u32 = 5;

/// The protocol a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    /// `POST {base_url}/chat/completions`, bearer key (optional for local servers).
    OpenAiCompatible,
    /// `POST {base_url}/v1/messages`, `x-api-key`.
    Anthropic,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 2] = [ProviderKind::OpenAiCompatible, ProviderKind::Anthropic];

    pub const fn as_str(self) -> &'static str {
        match self {
            ProviderKind::OpenAiCompatible => "openai-compatible",
            ProviderKind::Anthropic => "anthropic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The base URL used when a configuration leaves it empty.
    pub const fn default_base_url(self) -> &'static str {
        match self {
            ProviderKind::OpenAiCompatible => "https://api.openai.com/v1",
            ProviderKind::Anthropic => "https://api.anthropic.com",
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One configured provider. Core builds it from settings and the keyring for each call.
#[derive(Clone)]
pub struct ProviderConfig {
    /// The name a person gave it, also the [`Breaker`]'s key.
    pub name: String,
    pub kind: ProviderKind,
    /// E.g. `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`, `https://api.anthropic.com`;
    /// empty means [`ProviderKind::default_base_url`].
    pub base_url: String,
    pub model: String,
    /// The limit of one attempt, from sending the request to reading the whole answer.
    pub timeout: Duration,
    /// The API key; `None` sends no key (local servers need none).
    pub key: Option<String>,
}

impl ProviderConfig {
    /// Who a generated draft is signed as: `openai-compatible/<model>` or `anthropic/<model>`.
    pub fn author(&self) -> String {
        format!("{}/{}", self.kind.as_str(), self.model)
    }
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .field("key", &self.key.as_ref().map(|_| Redacted))
            .finish()
    }
}

struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// What a provider proposed, parsed and typed; core files it through the grounding check.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub body: String,
    /// The records the reply relies on, as the model cited them.
    pub citations: Vec<(CitedKind, String)>,
    /// The model's own confidence, clamped into `[0, 1]`.
    pub confidence: f64,
    pub escalation: Option<SuggestedEscalation>,
    pub input_tokens: Option<i64>,
    pub output_tokens: Option<i64>,
}

/// Drafts a reply to the ticket in `ctx` with the provider `cfg`, retrying per `policy`.
pub async fn generate(
    http: &reqwest::Client,
    cfg: &ProviderConfig,
    ctx: &Context,
    policy: &RetryPolicy,
) -> Result<Generated, ProviderError> {
    let system = prompt::system_prompt(ctx.ticket.language);
    let user = prompt::user_message(ctx);
    let ask = http::Ask::Draft {
        system: &system,
        user: &user,
        max_tokens: DRAFT_MAX_TOKENS,
    };
    let call = http::Call::new(cfg, ask)?;
    tracing::debug!(
        provider = %cfg.name,
        kind = cfg.kind.as_str(),
        prompt_bytes = system.len() + user.len(),
        "drafting with a provider"
    );
    let body = retry::with_retries(policy, &cfg.name, || call.send(http)).await?;
    let answer = match cfg.kind {
        ProviderKind::OpenAiCompatible => openai::answer(&body)?,
        ProviderKind::Anthropic => anthropic::answer(&body)?,
    };
    let mut generated = reply::parse(&answer, ctx)?;
    generated.input_tokens = answer.input_tokens;
    generated.output_tokens = answer.output_tokens;
    Ok(generated)
}

/// Tests `cfg` with one tiny call and no retries; returns how long the provider took to answer.
pub async fn ping(http: &reqwest::Client, cfg: &ProviderConfig) -> Result<Duration, ProviderError> {
    let call = http::Call::new(
        cfg,
        http::Ask::Ping {
            max_tokens: PING_MAX_TOKENS,
        },
    )?;
    let started = Instant::now();
    call.send(http).await.map_err(|failure| failure.error)?;
    Ok(started.elapsed())
}
