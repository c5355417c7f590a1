//! How often and how long a provider call is tried again. Only transient failures are retried
//! (see [`ProviderError::is_retryable`]); the provider's `Retry-After` is honoured when it asks
//! for a wait the policy allows, and a longer one ends the call at once rather than holding a
//! draft hostage; otherwise the waits grow exponentially from the policy's base.

use super::error::ProviderError;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::time::Duration;

/// How a provider call is retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts after the first one.
    pub max_retries: u32,
    /// The longest single wait between attempts; a provider asking for more is not waited for.
    pub max_wait: Duration,
    /// The first backoff wait; each further one doubles, up to `max_wait`.
    pub base_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            max_wait: Duration::from_secs(10),
            base_backoff: Duration::from_millis(500),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0 for the first), when the provider named none.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(16));
        self.base_backoff.saturating_mul(factor).min(self.max_wait)
    }
}

/// A failed attempt, with the wait the provider asked for (`Retry-After`), if any.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: ProviderError,
    pub retry_after: Option<Duration>,
}

impl From<ProviderError> for Failure {
    fn from(error: ProviderError) -> Self {
        Failure {
            error,
            retry_after: None,
        }
    }
}

/// Runs `attempt` until it succeeds, fails for good, or `policy` allows no more tries.
pub(crate) async fn with_retries<T, F, Fut>(
    policy: &RetryPolicy,
    provider: &str,
    mut attempt: F,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let mut retry = 0;
    loop {
        let failure = match attempt().await {
            Ok(answer) => return Ok(answer),
            Err(failure) => failure,
        };
        if !failure.error.is_retryable() || retry >= policy.max_retries {
            return Err(failure.error);
        }
        let wait = match failure.retry_after {
            Some(asked) if asked > policy.max_wait => {
                tracing::debug!(
                    provider,
                    asked_s = asked.as_secs(),
                    "provider asks for too long a wait"
                );
                return Err(failure.error);
            }
            Some(asked) => asked,
            None => policy.backoff(retry),
        };
        tracing::debug!(
            provider,
            retry,
            wait_ms = wait.as_millis() as u64,
            "retrying provider"
        );
        tokio::time::sleep(wait).await;
        retry += 1;
    }
}

/// A `Retry-After` value: delay seconds, or an HTTP date (a date in the past means now).
/// Anything else is ignored.
pub(crate) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = DateTime::parse_from_rfc3339("2015-10-21T07:27:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means retry now"
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_longest_wait() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(0), Duration::from_millis(500));
        assert_eq!(p.backoff(1), Duration::from_millis(1000));
        assert_eq!(p.backoff(2), Duration::from_millis(2000));
        assert_eq!(p.backoff(10), Duration::from_secs(10));
        assert_eq!(p.backoff(u32::MAX), Duration::from_secs(10));
    }

    fn quick() -> RetryPolicy {
        RetryPolicy {
            max_retries: 2,
            max_wait: Duration::from_secs(1),
            base_backoff: Duration::from_millis(1),
        }
    }

    #[tokio::test]
    async fn permanent_errors_are_not_retried() {
        let calls = Cell::new(0);
        let out: Result<(), _> = with_retries(&quick(), "p", || {
            calls.set(calls.get() + 1);
            async { Err(ProviderError::Unauthorized("no".into()).into()) }
        })
        .await;
        assert_eq!(out, Err(ProviderError::Unauthorized("no".into())));
        assert_eq!(calls.get(), 1, "a 401 is never retried");
    }

    #[tokio::test]
    async fn transient_errors_are_retried_up_to_the_policy() {
        let calls = Cell::new(0);
        let out: Result<(), _> = with_retries(&quick(), "p", || {
            calls.set(calls.get() + 1);
            async { Err(ProviderError::Network("reset".into()).into()) }
        })
        .await;
        assert_eq!(out, Err(ProviderError::Network("reset".into())));
        assert_eq!(calls.get(), 3, "one attempt and two retries");
    }

    #[tokio::test]
    async fn a_wait_longer_than_allowed_ends_the_call() {
        let calls = Cell::new(0);
        let limited = ProviderError::Server {
            status: 503,
            message: "later".into(),
        };
        let out: Result<(), _> = with_retries(&quick(), "p", || {
            calls.set(calls.get() + 1);
            let error = limited.clone();
            async move {
                Err(Failure {
                    error,
                    retry_after: Some(Duration::from_secs(120)),
                })
            }
        })
        .await;
        assert_eq!(out, Err(limited));
        assert_eq!(calls.get(), 1);
    }
}
