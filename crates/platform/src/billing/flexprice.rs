//! The FlexPrice API, as far as the platform uses it: credit notes (create, list, finalize) and
//! invoices (get, void). Every answer is classified once, as [`Answer`]: done, refused (FlexPrice
//! said no and did nothing), or unknown (no answer, a timeout, a 5xx: it may have done it).
//!
//! FlexPrice takes the idempotency key in the body and, on a repeat, validates before it looks
//! the key up: a repeat after the first request took effect may be refused ("exceeds the
//! creditable amount") rather than answered with the first credit note. So an attempt after an
//! unknown answer never just repeats: the executor first lists the invoice's credit notes and
//! looks for its key.

use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

/// What one call came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<T> {
    Done(T),
    /// FlexPrice refused: nothing was done. The reason, in FlexPrice's words.
    Refused(String),
    /// No definite answer: it may or may not have been done.
    Unknown(String),
}

/// One credit note line: the invoice line it credits, the amount (a decimal string), and a
/// name when it is not the line's own (the tax's share of a refund).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditLine {
    pub invoice_line_item_id: String,
    pub amount: String,
    pub display_name: Option<String>,
}

/// A credit note of ours found at FlexPrice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CreditNote {
    pub id: String,
    /// DRAFT, FINALIZED or VOIDED.
    pub credit_note_status: String,
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Page<T> {
    items: Vec<T>,
}

/// The most credit notes read per page when looking for a key.
const PAGE: usize = 1000;

/// A tenant's FlexPrice: its API base (`https://…/v1`) and key.
#[derive(Clone)]
pub struct FlexPrice {
    http: reqwest::Client,
    base: String,
    key: String,
}

impl std::fmt::Debug for FlexPrice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlexPrice")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl FlexPrice {
    /// `http` carries the per-request timeout.
    pub fn new(http: reqwest::Client, base_url: &str, api_key: String) -> Self {
        Self {
            http,
            base: base_url.trim_end_matches('/').to_owned(),
            key: api_key,
        }
    }

    /// `POST /creditnotes`, processed at once (finalized); a credit note FlexPrice still holds
    /// as a draft is finalized here. Returns its id.
    pub async fn create_credit_note(
        &self,
        invoice_id: &str,
        lines: &[CreditLine],
        memo: &str,
        idempotency_key: &str,
        escalation_id: &str,
    ) -> Answer<String> {
        let body = json!({
            "invoice_id": invoice_id,
            "reason": "BILLING_ERROR",
            "memo": memo,
            "idempotency_key": idempotency_key,
            "process_credit_note": true,
            "metadata": {"countersign_escalation": escalation_id},
            "line_items": lines.iter().map(|l| {
                let mut line = json!({
                    "invoice_line_item_id": l.invoice_line_item_id,
                    "amount": l.amount,
                });
                if let Some(name) = &l.display_name {
                    line["display_name"] = json!(name);
                }
                line
            }).collect::<Vec<_>>(),
        });
        match self
            .call::<CreditNote>(self.http.post(self.url("/creditnotes")).json(&body))
            .await
        {
            Answer::Done(note) => self.settled(note).await,
            Answer::Refused(m) => Answer::Refused(m),
            Answer::Unknown(m) => Answer::Unknown(m),
        }
    }

    /// The credit note of `invoice_id` made with `idempotency_key`, if FlexPrice has one.
    pub async fn find_credit_note(
        &self,
        invoice_id: &str,
        idempotency_key: &str,
    ) -> Answer<Option<CreditNote>> {
        let mut offset = 0;
        loop {
            let req = self.http.get(self.url("/creditnotes")).query(&[
                ("invoice_id", invoice_id),
                ("limit", &PAGE.to_string()),
                ("offset", &offset.to_string()),
            ]);
            let page = match self.call::<Page<CreditNote>>(req).await {
                Answer::Done(p) => p,
                Answer::Refused(m) => return Answer::Refused(m),
                Answer::Unknown(m) => return Answer::Unknown(m),
            };
            let n = page.items.len();
            if let Some(found) = page
                .items
                .into_iter()
                .find(|c| c.idempotency_key.as_deref() == Some(idempotency_key))
            {
                return Answer::Done(Some(found));
            }
            // Paged until a short page: FlexPrice's `pagination.offset` is not the same on
            // every list.
            if n < PAGE {
                return Answer::Done(None);
            }
            offset += n;
        }
    }

    /// A credit note found or created, carried to FINALIZED: its id, or why it cannot be.
    pub async fn settled(&self, note: CreditNote) -> Answer<String> {
        match note.credit_note_status.as_str() {
            "FINALIZED" => Answer::Done(note.id),
            "DRAFT" => {
                let url = self.url(&format!("/creditnotes/{}/finalize", note.id));
                match self.call::<Value>(self.http.post(url)).await {
                    Answer::Done(_) => Answer::Done(note.id),
                    Answer::Refused(m) => Answer::Refused(format!(
                        "credit note {} was created as a draft and FlexPrice would not finalize it: {m}",
                        note.id
                    )),
                    Answer::Unknown(m) => Answer::Unknown(m),
                }
            }
            other => Answer::Refused(format!("credit note {} is {other} at FlexPrice", note.id)),
        }
    }

    /// One page of a list endpoint (`customers`, `subscriptions`, `invoices`, `payments`,
    /// `wallets`), oldest
    /// first, so records created meanwhile land on later pages.
    pub async fn list(&self, list: &str, limit: i64, offset: i64) -> Answer<Vec<Value>> {
        let req = self.http.get(self.url(&format!("/{list}"))).query(&[
            ("limit", limit.to_string()),
            ("offset", offset.to_string()),
            ("sort", "created_at".to_owned()),
            ("order", "asc".to_owned()),
        ]);
        match self.call::<Page<Value>>(req).await {
            Answer::Done(p) => Answer::Done(p.items),
            Answer::Refused(m) => Answer::Refused(m),
            Answer::Unknown(m) => Answer::Unknown(m),
        }
    }

    /// `GET /subscriptions/{id}`: the subscription whole, with its plan and its line items'
    /// prices (its webhooks and the list carry neither).
    pub async fn subscription(&self, id: &str) -> Answer<Value> {
        let url = self.url(&format!("/subscriptions/{}", urlencode(id)));
        self.call::<Value>(self.http.get(url)).await
    }

    /// `GET /invoices/{id}`: its `invoice_status`.
    pub async fn invoice_status(&self, invoice_id: &str) -> Answer<String> {
        #[derive(Deserialize)]
        struct Invoice {
            invoice_status: String,
        }
        let url = self.url(&format!("/invoices/{}", urlencode(invoice_id)));
        match self.call::<Invoice>(self.http.get(url)).await {
            Answer::Done(i) => Answer::Done(i.invoice_status),
            Answer::Refused(m) => Answer::Refused(m),
            Answer::Unknown(m) => Answer::Unknown(m),
        }
    }

    /// `POST /invoices/{id}/void`.
    pub async fn void_invoice(&self, invoice_id: &str, escalation_id: &str) -> Answer<()> {
        let url = self.url(&format!("/invoices/{}/void", urlencode(invoice_id)));
        let body = json!({"metadata": {"countersign_escalation": escalation_id}});
        match self.call::<Value>(self.http.post(url).json(&body)).await {
            Answer::Done(_) => Answer::Done(()),
            Answer::Refused(m) => Answer::Refused(m),
            Answer::Unknown(m) => Answer::Unknown(m),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Answer<T> {
        let mut key = reqwest::header::HeaderValue::from_str(&self.key)
            .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static(""));
        key.set_sensitive(true);
        let resp = match req.header("x-api-key", key).send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Answer::Unknown("FlexPrice did not answer in time".into());
            }
            Err(e) if e.is_connect() => {
                return Answer::Unknown(format!("cannot reach FlexPrice: {}", root_cause(&e)));
            }
            Err(e) => {
                return Answer::Unknown(format!(
                    "the request to FlexPrice failed: {}",
                    root_cause(&e)
                ));
            }
        };
        let status = resp.status();
        let body = match resp.bytes().await {
            Ok(b) => b,
            Err(e) => {
                return Answer::Unknown(format!(
                    "FlexPrice's answer was cut off: {}",
                    root_cause(&e)
                ));
            }
        };
        if status.is_success() {
            return match serde_json::from_slice(&body) {
                Ok(v) => Answer::Done(v),
                // It answered yes, in a shape we do not read: what it did is unknown to us.
                Err(e) => Answer::Unknown(format!(
                    "FlexPrice answered {status} in an unexpected shape: {e}"
                )),
            };
        }
        let message = error_message(&body);
        match status.as_u16() {
            401 => Answer::Refused(format!("FlexPrice refused the API key ({message})")),
            // Refusals: FlexPrice checked and did nothing.
            400 | 403 | 404 | 409 | 422 => Answer::Refused(message),
            // Too many requests, or a server error: it may have committed before failing.
            _ => Answer::Unknown(format!("FlexPrice answered {status}: {message}")),
        }
    }
}

/// FlexPrice's error message, from the body as it is sent today
/// (`{"code","message","http_status_code","details"}`), as it was sent before
/// (`{"success":false,"error":{"message"}}`) or on a failed key (`{"error":"Invalid API key"}`).
fn error_message(body: &[u8]) -> String {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let text = v["message"]
        .as_str()
        .or_else(|| v["error"]["message"].as_str())
        .or_else(|| v["error"].as_str());
    match text {
        Some(t) => t.chars().take(500).collect(),
        None => String::from_utf8_lossy(body).chars().take(200).collect(),
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut e = e;
    while let Some(source) = e.source() {
        e = source;
    }
    e.to_string()
}

/// An id as one path segment.
fn urlencode(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The HTTP client every connector call uses: `timeout` bounds each call, connecting included.
pub fn http_client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        // The API key header would follow a redirect to any host: none is followed.
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .build()
        .expect("an HTTP client with system TLS")
}

#[cfg(test)]
mod tests {
    use super::{error_message, urlencode};

    #[test]
    fn error_messages_are_read_from_every_shape_flexprice_sends() {
        assert_eq!(
            error_message(br#"{"code":"validation_error","message":"invoice status - VOIDED is not allowed","http_status_code":400}"#),
            "invoice status - VOIDED is not allowed"
        );
        assert_eq!(
            error_message(br#"{"success":false,"error":{"message":"not found"}}"#),
            "not found"
        );
        assert_eq!(
            error_message(br#"{"error":"Invalid API key"}"#),
            "Invalid API key"
        );
        assert_eq!(error_message(b"Bad Gateway"), "Bad Gateway");
    }

    /// Found by review: reqwest follows redirects and drops only the standard credential
    /// headers, so `x-api-key` went wherever a redirect pointed.
    #[tokio::test]
    async fn the_api_key_does_not_follow_a_redirect() {
        use axum::http::HeaderMap;
        use std::sync::{Arc, Mutex};
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let recorder = {
            let seen = seen.clone();
            axum::Router::new().fallback(move |h: HeaderMap| {
                let seen = seen.clone();
                async move {
                    let key = h
                        .get("x-api-key")
                        .map(|v| v.to_str().unwrap_or("").to_owned());
                    seen.lock().unwrap().push(key.unwrap_or_default());
                    "{}"
                }
            })
        };
        let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let elsewhere_url = format!("http://{}/stolen", elsewhere.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(elsewhere, recorder).await });
        let redirecting = axum::Router::new().fallback(move || {
            let to = elsewhere_url.clone();
            async move {
                (
                    axum::http::StatusCode::TEMPORARY_REDIRECT,
                    [(axum::http::header::LOCATION, to)],
                )
            }
        });
        let billing = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/v1", billing.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(billing, redirecting).await });
        let fp = super::FlexPrice::new(
            super::http_client(std::time::Duration::from_secs(5)),
            &base,
            "sk_secret".into(),
        );
        let answer = fp.invoice_status("inv_1").await;
        assert!(matches!(answer, super::Answer::Unknown(_)), "{answer:?}");
        assert!(
            seen.lock().unwrap().is_empty(),
            "the key went to another host: {:?}",
            seen.lock().unwrap()
        );
    }

    #[test]
    fn an_id_is_one_path_segment() {
        assert_eq!(urlencode("inv_01H/../x"), "inv_01H%2F..%2Fx");
    }
}
