//! One HTTP attempt at a provider: the URL and headers of its protocol, the request under the
//! configuration's timeout (sending and reading the whole answer), and the answer's status turned
//! into a body or a [`Failure`]. The two protocols differ only in the pieces their modules give.

use super::error::ProviderError;
use super::retry::{Failure, parse_retry_after};
use super::{ProviderConfig, ProviderKind, anthropic, openai};
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Client, Url};
use std::error::Error as _;
use std::time::Instant;

/// The largest answer read: far above any draft, small enough to bound a runaway server.
const MAX_ANSWER_BYTES: usize = 2 * 1024 * 1024;

/// What is asked of the model.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ask<'a> {
    /// A draft, answered in JSON.
    Draft {
        system: &'a str,
        user: &'a str,
        max_tokens: u32,
    },
    /// A tiny call that only shows the provider answers.
    Ping { max_tokens: u32 },
}

/// A request ready to send, as often as the retry policy allows.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    cfg: &'a ProviderConfig,
    url: Url,
    headers: HeaderMap,
    body: serde_json::Value,
}

impl<'a> Call<'a> {
    pub fn new(cfg: &'a ProviderConfig, ask: Ask<'_>) -> Result<Self, ProviderError> {
        let base = match cfg.base_url.trim() {
            "" => cfg.kind.default_base_url(),
            base => base,
        };
        let base = Url::parse(base)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                ProviderError::Network(format!("the base URL {base:?} is not an http(s) URL"))
            })?;
        let key = cfg.key.as_deref().map(str::trim).filter(|k| !k.is_empty());
        let invalid_key = || {
            ProviderError::Unauthorized(
                "the API key has characters an HTTP header cannot carry".into(),
            )
        };
        let (url, headers, body) = match cfg.kind {
            ProviderKind::OpenAiCompatible => (
                openai::endpoint(&base),
                openai::headers(key).map_err(|_| invalid_key())?,
                openai::body(&cfg.model, ask),
            ),
            ProviderKind::Anthropic => (
                anthropic::endpoint(&base),
                anthropic::headers(key).map_err(|_| invalid_key())?,
                anthropic::body(&cfg.model, ask),
            ),
        };
        Ok(Self {
            cfg,
            url,
            headers,
            body,
        })
    }

    /// One attempt: the 2xx answer's body, or why it failed.
    pub async fn send(&self, http: &Client) -> Result<String, Failure> {
        let started = Instant::now();
        let request = http
            .post(self.url.clone())
            .headers(self.headers.clone())
            .json(&self.body);
        let attempt = async {
            let mut response = request.send().await.map_err(network)?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, std::time::SystemTime::now().into()));
            let mut bytes = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(network)? {
                if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Err(ProviderError::Malformed(format!(
                        "the answer is larger than {} MiB",
                        MAX_ANSWER_BYTES / (1024 * 1024)
                    ))
                    .into());
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok::<_, Failure>((
                status,
                retry_after,
                String::from_utf8_lossy(&bytes).into_owned(),
            ))
        };
        let outcome = tokio::time::timeout(self.cfg.timeout, attempt).await;
        let (status, retry_after, body) = match outcome {
            Err(_elapsed) => {
                tracing::debug!(
                    provider = %self.cfg.name,
                    timeout_ms = self.cfg.timeout.as_millis() as u64,
                    "provider timed out"
                );
                return Err(ProviderError::Timeout(self.cfg.timeout).into());
            }
            Ok(Err(failure)) => return Err(failure),
            Ok(Ok(answer)) => answer,
        };
        tracing::debug!(
            provider = %self.cfg.name,
            status,
            answer_bytes = body.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "provider answered"
        );
        if (200..300).contains(&status) {
            return Ok(body);
        }
        Err(Failure {
            error: ProviderError::from_status(status, &body, retry_after),
            retry_after,
        })
    }
}

/// A transport error as a sentence, without the URL (it may carry a query the desk configured).
fn network(e: reqwest::Error) -> Failure {
    let timed_out = e.is_timeout();
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s = s.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        source = source.and_then(|e| e.source());
    }
    let error = if timed_out {
        ProviderError::Network(format!("timed out: {text}"))
    } else {
        ProviderError::Network(text)
    };
    error.into()
}

/// `base` with `segments` appended to its path, its query kept (Azure's `?api-version=`).
pub(crate) fn join(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty();
        path.extend(segments);
    }
    url
}

/// A header value from a secret, marked sensitive so it is never printed.
pub(crate) fn secret_header(
    value: &str,
) -> Result<HeaderValue, reqwest::header::InvalidHeaderValue> {
    let mut v = HeaderValue::from_str(value)?;
    v.set_sensitive(true);
    Ok(v)
}
