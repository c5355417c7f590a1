//! A per-token rate limit for the HTTP endpoint: a token bucket refilled continuously, so a
//! token may burst up to its per-minute allowance and then call at the steady rate.

use countersign_core::{Error, Result};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Debug)]
pub struct RateLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn per_minute(calls: u32) -> Self {
        Self {
            per_minute: f64::from(calls.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one call from `key`'s bucket, or refuses with `rate_limited`.
    pub fn check(&self, key: &str) -> Result<()> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, last) = buckets
            .entry(key.to_owned())
            .or_insert((self.per_minute, now));
        let refill = now.duration_since(*last).as_secs_f64() * self.per_minute / 60.0;
        *tokens = (*tokens + refill).min(self.per_minute);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - *tokens) * 60.0 / self.per_minute;
            Err(Error::RateLimited(format!(
                "more than {} calls a minute from this token; retry in {wait:.1} s",
                self.per_minute
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_a_burst_then_refuses() {
        let l = RateLimiter::per_minute(3);
        for _ in 0..3 {
            l.check("a").unwrap();
        }
        let err = l.check("a").unwrap_err();
        assert_eq!(err.code(), countersign_model::ErrorCode::RateLimited);
        l.check("b").expect("another token has its own bucket");
    }
}
