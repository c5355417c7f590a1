//! Why a provider call failed, in words a support agent can act on, each naming what the
//! provider itself said. Which failures are worth another attempt is decided here too, from the
//! HTTP status and the provider's error body, so both protocols classify alike.

use countersign_model::ErrorCode;
use serde::Deserialize;
use std::time::{Duration, Instant};

/// Statuses worth another attempt: rate limits, transient server errors, Anthropic's overload.
pub(crate) const RETRYABLE_STATUSES: [u16; 6] = [429, 500, 502, 503, 504, 529];

/// How much of a provider's unexpected text an error quotes.
const EXCERPT_CHARS: usize = 200;

/// Why a provider gave no usable proposal. Each message quotes the provider's own words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// An attempt took longer than the configuration's timeout.
    #[error("the AI provider did not answer within {}", seconds(*.0))]
    Timeout(Duration),
    /// HTTP 429, with the wait the provider asked for.
    #[error("the AI provider is limiting requests{}: {message}", wait_asked(*retry_after))]
    RateLimited {
        retry_after: Option<Duration>,
        message: String,
    },
    /// HTTP 5xx (529: Anthropic is overloaded).
    #[error("the AI provider had an error (HTTP {status}): {message}")]
    Server { status: u16, message: String },
    /// HTTP 401 or 403, or a key no header can carry.
    #[error("the AI provider refused the API key: {0}")]
    Unauthorized(String),
    /// Any other 4xx, and a 429 for an exhausted quota or spend limit.
    #[error("the AI provider rejected the request (HTTP {status}): {message}")]
    BadRequest { status: u16, message: String },
    /// The answer is not the JSON asked for, or names what the context does not hold.
    #[error("the AI provider's answer could not be used: {0}")]
    Malformed(String),
    /// No HTTP answer: refused connection, DNS, TLS, reset; or a base URL that is not one.
    #[error("could not reach the AI provider: {0}")]
    Network(String),
    /// The [`super::Breaker`] skips this provider until `until`.
    #[error("the AI provider is paused after repeated failures; it is tried again in {}",
        seconds(until.saturating_duration_since(Instant::now())))]
    CircuitOpen { until: Instant },
}

impl ProviderError {
    /// Whether another attempt may succeed: timeouts, network errors, rate limits and the
    /// transient server statuses. Other 4xx and unusable answers never are.
    pub fn is_retryable(&self) -> bool {
        match self {
            ProviderError::Timeout(_)
            | ProviderError::Network(_)
            | ProviderError::RateLimited { .. } => true,
            ProviderError::Server { status, .. } => RETRYABLE_STATUSES.contains(status),
            ProviderError::Unauthorized(_)
            | ProviderError::BadRequest { .. }
            | ProviderError::Malformed(_)
            | ProviderError::CircuitOpen { .. } => false,
        }
    }

    /// The code each boundary maps this error to.
    pub fn code(&self) -> ErrorCode {
        match self {
            ProviderError::RateLimited { .. } => ErrorCode::RateLimited,
            ProviderError::Unauthorized(_) => ErrorCode::Unauthenticated,
            ProviderError::BadRequest { .. } => ErrorCode::InvalidArgument,
            ProviderError::Malformed(_) => ErrorCode::Internal,
            ProviderError::Timeout(_)
            | ProviderError::Server { .. }
            | ProviderError::Network(_)
            | ProviderError::CircuitOpen { .. } => ErrorCode::Unavailable,
        }
    }

    /// The error an unsuccessful HTTP status with `body` means. `retry_after` is the provider's
    /// `Retry-After`, kept on rate limits.
    pub(crate) fn from_status(status: u16, body: &str, retry_after: Option<Duration>) -> Self {
        let said = ErrorBody::parse(body);
        let message = said.message(status);
        match status {
            401 | 403 => ProviderError::Unauthorized(message),
            // An exhausted quota or spend limit is a 429 that no wait cures.
            429 if said.quota_exhausted() => ProviderError::BadRequest { status, message },
            429 => ProviderError::RateLimited {
                retry_after,
                message,
            },
            500.. => ProviderError::Server { status, message },
            _ => ProviderError::BadRequest { status, message },
        }
    }
}

/// The readable text of `d`: `300 ms`, `4 s`, `1 h 0 min`.
fn seconds(d: Duration) -> String {
    let s = d.as_secs();
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min", s.div_ceil(60))
    } else {
        format!("{} h", s / 3600)
    }
}

/// ` (it asks to wait 60 min)`, or nothing when the provider named no wait.
fn wait_asked(retry_after: Option<Duration>) -> String {
    retry_after
        .map(|d| format!(" (it asks to wait {})", seconds(d)))
        .unwrap_or_default()
}

/// The start of `text` on one line, at most [`EXCERPT_CHARS`] characters.
pub(crate) fn excerpt(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(EXCERPT_CHARS) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

/// An error body as the providers write it: OpenAI and Anthropic
/// (`{"error": {"message", "type", "code"}}`), Ollama (`{"error": "..."}`), vLLM
/// (`{"message", "type", "code"}`).
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: Option<ErrorField>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ErrorField {
    Object(ErrorObject),
    Text(String),
}

#[derive(Debug, Deserialize)]
struct ErrorObject {
    #[serde(default)]
    message: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(default)]
    details: Option<serde_json::Value>,
    #[serde(skip)]
    raw: String,
}

impl ErrorBody {
    fn parse(body: &str) -> Self {
        match serde_json::from_str::<ErrorBody>(body) {
            Ok(mut b) => {
                if let Some(ErrorField::Object(o)) = &mut b.error {
                    o.raw = excerpt(body);
                }
                if b.error.is_none() && b.message.is_none() {
                    b.message = Some(excerpt(body)).filter(|m| !m.is_empty());
                }
                b
            }
            Err(_) => ErrorBody {
                error: None,
                message: Some(excerpt(body)).filter(|m| !m.is_empty()),
            },
        }
    }

    /// The provider's own words, else what its status means.
    fn message(&self, status: u16) -> String {
        let said = match &self.error {
            Some(ErrorField::Object(o)) => o
                .message
                .clone()
                .or_else(|| o.kind.clone())
                .or_else(|| Some(o.raw.clone())),
            Some(ErrorField::Text(t)) => Some(t.clone()),
            None => self.message.clone(),
        };
        match said.map(|s| excerpt(&s)).filter(|s| !s.is_empty()) {
            Some(s) => s,
            None => reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("no reason given")
                .to_owned(),
        }
    }

    /// OpenAI's `insufficient_quota`, Anthropic's `enforced_spend_limit_reached`.
    fn quota_exhausted(&self) -> bool {
        let Some(ErrorField::Object(o)) = &self.error else {
            return false;
        };
        let says = |v: &Option<serde_json::Value>, what: &str| {
            v.as_ref().is_some_and(|v| v.to_string().contains(what))
        };
        o.kind.as_deref() == Some("insufficient_quota")
            || says(&o.code, "insufficient_quota")
            || says(&o.details, "enforced_spend_limit_reached")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_of_each_server_name_their_message() {
        let openai = r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#;
        let anthropic = r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#;
        let ollama = r#"{"error":"model \"llama9\" not found"}"#;
        let vllm = r#"{"object":"error","message":"max_tokens too large","type":"BadRequestError","code":400}"#;
        assert_eq!(
            ProviderError::from_status(401, openai, None),
            ProviderError::Unauthorized("Incorrect API key provided".into())
        );
        assert_eq!(
            ProviderError::from_status(401, anthropic, None),
            ProviderError::Unauthorized("invalid x-api-key".into())
        );
        assert_eq!(
            ProviderError::from_status(404, ollama, None).to_string(),
            "the AI provider rejected the request (HTTP 404): model \"llama9\" not found"
        );
        assert!(
            ProviderError::from_status(400, vllm, None)
                .to_string()
                .ends_with("max_tokens too large")
        );
        assert!(
            ProviderError::from_status(502, "<html>Bad gateway</html>", None)
                .to_string()
                .contains("<html>Bad gateway</html>")
        );
        assert!(
            ProviderError::from_status(503, "", None)
                .to_string()
                .ends_with("Service Unavailable")
        );
    }

    #[test]
    fn an_exhausted_quota_is_not_a_rate_limit_worth_waiting_for() {
        let quota = r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#;
        let e = ProviderError::from_status(429, quota, Some(Duration::from_secs(1)));
        assert!(!e.is_retryable(), "{e:?} must not be retried");
        let limited =
            r#"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#;
        let e = ProviderError::from_status(429, limited, Some(Duration::from_secs(1)));
        assert!(e.is_retryable(), "{e:?} is worth waiting for");
        assert_eq!(e.code(), ErrorCode::RateLimited);
    }

    #[test]
    fn statuses_are_retried_only_when_transient() {
        for s in RETRYABLE_STATUSES {
            assert!(
                ProviderError::from_status(s, "", None).is_retryable(),
                "{s}"
            );
        }
        for s in [400, 401, 403, 404, 408, 422, 501] {
            assert!(
                !ProviderError::from_status(s, "", None).is_retryable(),
                "{s}"
            );
        }
    }
}
