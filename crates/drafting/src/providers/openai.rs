//! The OpenAI-compatible chat-completions protocol, as OpenAI, Azure OpenAI, OpenRouter, Ollama,
//! llama.cpp's server, vLLM and LM Studio speak it: `POST {base_url}/chat/completions` with an
//! optional bearer key, a system and a user message, JSON mode; the answer is
//! `choices[0].message.content` with `usage.prompt_tokens` / `usage.completion_tokens`.

use super::error::ProviderError;
use super::http::{Ask, join, secret_header};
use super::reply::Answer;
use reqwest::Url;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, InvalidHeaderValue};
use serde::Deserialize;
use serde_json::{Value, json};

pub(crate) fn endpoint(base: &Url) -> Url {
    join(base, &["chat", "completions"])
}

pub(crate) fn headers(key: Option<&str>) -> Result<HeaderMap, InvalidHeaderValue> {
    let mut h = HeaderMap::new();
    h.insert(ACCEPT, HeaderValue::from_static("application/json"));
    if let Some(key) = key {
        h.insert(AUTHORIZATION, secret_header(&format!("Bearer {key}"))?);
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
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "response_format": {"type": "json_object"},
            "temperature": 0.2,
            "max_tokens": max_tokens,
        }),
        Ask::Ping { max_tokens } => json!({
            "model": model,
            "messages": [{"role": "user", "content": "ping"}],
            "max_tokens": max_tokens,
        }),
    }
}

#[derive(Debug, Deserialize)]
struct Completion {
    #[serde(default)]
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<Usage>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct Choice {
    #[serde(default)]
    message: Option<Message>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Message {
    /// A string; some servers send an array of `{"type":"text","text":...}` parts.
    #[serde(default)]
    content: Option<Value>,
    #[serde(default)]
    refusal: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Usage {
    #[serde(default)]
    prompt_tokens: Option<i64>,
    #[serde(default)]
    completion_tokens: Option<i64>,
}

/// The model's text and usage from a chat-completions answer.
pub(crate) fn answer(body: &str) -> Result<Answer, ProviderError> {
    let completion: Completion = serde_json::from_str(body).map_err(|e| {
        ProviderError::Malformed(format!(
            "not a chat-completions answer ({e}): {}",
            super::error::excerpt(body)
        ))
    })?;
    let usage = completion.usage;
    let Some(choice) = completion.choices.into_iter().next() else {
        let said = completion
            .error
            .map(|e| format!(": {}", super::error::excerpt(&e.to_string())))
            .unwrap_or_default();
        return Err(ProviderError::Malformed(format!(
            "the answer has no choices{said}"
        )));
    };
    let message = choice.message.unwrap_or(Message {
        content: None,
        refusal: None,
    });
    if let Some(refusal) = message.refusal.filter(|r| !r.trim().is_empty()) {
        return Err(ProviderError::Malformed(format!(
            "the model declined: {}",
            super::error::excerpt(&refusal)
        )));
    }
    let text = match message.content {
        Some(Value::String(s)) => s,
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(""),
        _ => String::new(),
    };
    Ok(Answer {
        text,
        cut_off: choice.finish_reason.as_deref() == Some("length"),
        input_tokens: usage.as_ref().and_then(|u| u.prompt_tokens),
        output_tokens: usage.as_ref().and_then(|u| u.completion_tokens),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_keep_the_base_path_and_query() {
        let url = |b: &str| endpoint(&Url::parse(b).unwrap()).to_string();
        assert_eq!(
            url("https://api.openai.com/v1"),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            url("http://127.0.0.1:11434/v1/"),
            "http://127.0.0.1:11434/v1/chat/completions"
        );
        assert_eq!(
            url("https://r.openai.azure.com/openai/deployments/d?api-version=2024-10-21"),
            "https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21"
        );
    }

    #[test]
    fn answers_read_content_usage_and_truncation() {
        let a = answer(r#"{"choices":[{"index":0,"message":{"role":"assistant","content":"{}"},"finish_reason":"length"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}"#).unwrap();
        assert_eq!(
            (a.text.as_str(), a.cut_off, a.input_tokens, a.output_tokens),
            ("{}", true, Some(9), Some(3))
        );
        let a = answer(r#"{"choices":[{"message":{"content":[{"type":"text","text":"{\"a\""},{"type":"text","text":":1}"}]}}]}"#).unwrap();
        assert_eq!(
            (a.text.as_str(), a.input_tokens),
            (r#"{"a":1}"#, None),
            "usage may be absent"
        );
        assert!(matches!(
            answer(r#"{"choices":[]}"#),
            Err(ProviderError::Malformed(_))
        ));
        assert!(matches!(
            answer(r#"{"choices":[{"message":{"content":null,"refusal":"I can't help with that"}}]}"#),
            Err(ProviderError::Malformed(m)) if m.contains("can't help")
        ));
    }
}
