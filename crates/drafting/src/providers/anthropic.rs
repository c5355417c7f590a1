//! Anthropic's Messages API: `POST {base_url}/v1/messages` with `x-api-key` and
//! `anthropic-version: 2023-06-01`, the system prompt apart from the one user message; the
//! answer's text blocks make the reply, with `usage.input_tokens` / `usage.output_tokens` and a
//! `stop_reason` telling whether the model was cut off.

use super::error::{ProviderError, excerpt};
use super::http::{Ask, join, secret_header};
use super::reply::Answer;
use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, InvalidHeaderValue};
use serde::Deserialize;
use serde_json::{Value, json};

/// The API version this client is written against.
pub(crate) const API_VERSION: &str = "2023-06-01";

/// `{base}/v1/messages`; a base that already ends in `/v1` is not given a second one.
pub(crate) fn endpoint(base: &Url) -> Url {
    let ends_in_v1 = base
        .path_segments()
        .and_then(|mut s| s.rfind(|seg| !seg.is_empty()))
        .is_some_and(|last| last == "v1");
    if ends_in_v1 {
        join(base, &["messages"])
    } else {
        join(base, &["v1", "messages"])
    }
}

pub(crate) fn headers(key: Option<&str>) -> Result<HeaderMap, InvalidHeaderValue> {
    let mut h = HeaderMap::new();
    h.insert(ACCEPT, HeaderValue::from_static("application/json"));
    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert("anthropic-version", HeaderValue::from_static(API_VERSION));
    if let Some(key) = key {
        h.insert("x-api-key", secret_header(key)?);
    }
    Ok(h)
}

pub(crate) fn body(model: &str, ask: Ask<'_>) -> Value {
    match ask {
        Ask::Draft {
            system,
            user,
            max_tokens,
        } => json!({
            "model": model,
            "max_tokens": max_tokens,
            "system": system,
            "messages": [{"role": "user", "content": user}],
        }),
        Ask::Ping { max_tokens } => json!({
            "model": model,
            "max_tokens": max_tokens,
            "messages": [{"role": "user", "content": "ping"}],
        }),
    }
}

#[derive(Debug, Deserialize)]
struct MessageReply {
    content: Vec<Block>,
    #[serde(default)]
    stop_reason: Option<String>,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Debug, Deserialize)]
struct Block {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Usage {
    #[serde(default)]
    input_tokens: Option<i64>,
    #[serde(default)]
    output_tokens: Option<i64>,
}

/// The model's text and usage from a Messages answer.
pub(crate) fn answer(body: &str) -> Result<Answer, ProviderError> {
    let reply: MessageReply = serde_json::from_str(body).map_err(|e| {
        ProviderError::Malformed(format!("not a Messages answer ({e}): {}", excerpt(body)))
    })?;
    let text: String = reply
        .content
        .iter()
        .filter(|b| b.kind == "text")
        .filter_map(|b| b.text.as_deref())
        .collect();
    if reply.stop_reason.as_deref() == Some("refusal") {
        return Err(ProviderError::Malformed(format!(
            "the model declined: {}",
            excerpt(&text)
        )));
    }
    Ok(Answer {
        text,
        cut_off: reply.stop_reason.as_deref() == Some("max_tokens"),
        input_tokens: reply.usage.as_ref().and_then(|u| u.input_tokens),
        output_tokens: reply.usage.as_ref().and_then(|u| u.output_tokens),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_add_v1_once() {
        let url = |b: &str| endpoint(&Url::parse(b).unwrap()).to_string();
        assert_eq!(
            url("https://api.anthropic.com"),
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(
            url("https://api.anthropic.com/"),
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(
            url("https://api.anthropic.com/v1"),
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(
            url("http://gw.local/anthropic/"),
            "http://gw.local/anthropic/v1/messages"
        );
    }

    #[test]
    fn answers_join_text_blocks_and_read_usage() {
        let a = answer(r#"{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"thinking","thinking":"hm"},{"type":"text","text":"{\"reply\":"},{"type":"text","text":"\"hi\"}"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":20,"output_tokens":7}}"#).unwrap();
        assert_eq!(a.text, r#"{"reply":"hi"}"#);
        assert_eq!(
            (a.cut_off, a.input_tokens, a.output_tokens),
            (false, Some(20), Some(7))
        );
        let a =
            answer(r#"{"content":[{"type":"text","text":"{\"rep"}],"stop_reason":"max_tokens"}"#)
                .unwrap();
        assert!(a.cut_off && a.input_tokens.is_none());
        assert!(matches!(answer("[]"), Err(ProviderError::Malformed(_))));
    }
}
