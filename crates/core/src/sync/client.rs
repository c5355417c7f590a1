//! The platform's sync API over HTTP(S): `/v1/me`, the change feed, mutation batches and the
//! event stream. Maps every failure to an error code once: unreachable or 5xx → `unavailable`
//! (retry later), 401 → `unauthenticated` (sign in again), other 4xx → `invalid_argument`.

use crate::{Error, Result};
use countersign_model::sync::{
    Me, MutationBatch, MutationResults, PresenceEvent, PresenceUpdate, RawChangesPage,
};
use std::time::Duration;

/// One platform, one token.
#[derive(Clone)]
pub struct PlatformClient {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl std::fmt::Debug for PlatformClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token.
        f.debug_struct("PlatformClient")
            .field("base", &self.base)
            .finish()
    }
}

/// Checks a platform address a person typed: http(s), no query, no trailing slash kept.
pub fn parse_platform_url(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            Error::invalid(format!(
                "platform address {url:?} must start with https:// (or http:// on a trusted network)"
            ))
        })?;
    if rest.is_empty() || rest.contains(['?', '#', ' ']) {
        return Err(Error::invalid(format!(
            "platform address {url:?} is not a base URL like https://support.example.com"
        )));
    }
    Ok(url.to_owned())
}

impl PlatformClient {
    pub fn new(base: &str, token: &str) -> Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .tcp_nodelay(true)
            .build()
            .map_err(|e| Error::Internal(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            base: parse_platform_url(base)?,
            token: token.to_owned(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub async fn me(&self) -> Result<Me> {
        self.send(self.http.get(self.url("/v1/me"))).await
    }

    pub async fn changes(&self, after: i64, limit: i64) -> Result<RawChangesPage> {
        let url = format!(
            "{}?after={after}&limit={limit}",
            self.url("/v1/sync/changes")
        );
        self.send(self.http.get(url)).await
    }

    pub async fn push(&self, batch: &MutationBatch) -> Result<MutationResults> {
        self.send(self.http.post(self.url("/v1/sync/mutations")).json(batch))
            .await
    }

    /// Tells the platform where the person is; answers the tenant's list.
    pub async fn presence(&self, update: &PresenceUpdate) -> Result<PresenceEvent> {
        self.send(self.http.post(self.url("/v1/presence")).json(update))
            .await
    }

    /// The bytes of attachment `id` (served as a download only).
    pub async fn attachment(&self, id: &str) -> Result<Vec<u8>> {
        let r = self
            .http
            .get(self.url(&format!("/v1/attachments/{id}")))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| self.unreachable(e))?;
        let r = self.check(r).await?;
        Ok(r.bytes().await.map_err(|e| self.unreachable(e))?.to_vec())
    }

    /// Opens the event stream; the caller reads `change` events from the response body.
    pub async fn events(&self) -> Result<reqwest::Response> {
        let r = self
            .http
            .get(self.url("/v1/sync/events"))
            .bearer_auth(&self.token)
            .header("accept", "text/event-stream")
            .send()
            .await
            .map_err(|e| self.unreachable(e))?;
        self.check(r).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn unreachable(&self, e: reqwest::Error) -> Error {
        let why = if e.is_timeout() {
            "timed out".to_owned()
        } else if e.is_connect() {
            "cannot connect".to_owned()
        } else {
            e.without_url().to_string()
        };
        Error::Unavailable(format!(
            "the platform at {} is unreachable ({why})",
            self.base
        ))
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T> {
        let r = req
            .bearer_auth(&self.token)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(|e| self.unreachable(e))?;
        self.check(r)
            .await?
            .json()
            .await
            .map_err(|e| Error::Unavailable(format!("the platform sent an unreadable answer: {e}")))
    }

    async fn check(&self, r: reqwest::Response) -> Result<reqwest::Response> {
        let status = r.status();
        if status.is_success() {
            return Ok(r);
        }
        // The platform's errors are `{"error": {"code", "message"}}`.
        let message = r
            .json::<serde_json::Value>()
            .await
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
            .unwrap_or_else(|| status.to_string());
        Err(match status.as_u16() {
            401 => Error::Unauthenticated(format!(
                "the platform refused this desk's token ({message}); sign in again with `countersign sync login`"
            )),
            403 => Error::Forbidden(format!("the platform refused: {message}")),
            404 => Error::Unavailable(format!(
                "{} does not look like a Countersign platform ({message})",
                self.base
            )),
            s if s >= 500 || s == 429 => {
                Error::Unavailable(format!("the platform failed ({status}): {message}"))
            }
            _ => Error::invalid(format!("the platform refused the request: {message}")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_addresses_are_checked() {
        assert_eq!(
            parse_platform_url(" https://support.example.com/ ").unwrap(),
            "https://support.example.com"
        );
        assert!(parse_platform_url("http://127.0.0.1:8080").is_ok());
        for bad in [
            "support.example.com",
            "ftp://x",
            "https://",
            "https://x?y=1",
        ] {
            assert!(parse_platform_url(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
