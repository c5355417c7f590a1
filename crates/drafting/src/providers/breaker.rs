//! A circuit breaker per provider name, so a provider that keeps failing is skipped for a while
//! instead of making every draft wait for its timeouts. After `threshold` consecutive failures
//! the circuit opens for `cool_down`; then one more call is let through, and its outcome closes
//! the circuit (a success) or opens it again (a failure). Core keeps one `Breaker` for the desk;
//! clones share their state.

use super::error::ProviderError;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// What time it is, injectable so tests need not sleep.
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

#[derive(Clone)]
pub struct Breaker {
    threshold: u32,
    cool_down: Duration,
    clock: Clock,
    state: Arc<Mutex<HashMap<String, Circuit>>>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Circuit {
    /// Failures since the last success.
    failures: u32,
    /// Until when calls are refused.
    open_until: Option<Instant>,
}

impl Default for Breaker {
    /// Three consecutive failures open the circuit for a minute.
    fn default() -> Self {
        Self::new(3, Duration::from_secs(60))
    }
}

impl fmt::Debug for Breaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Breaker")
            .field("threshold", &self.threshold)
            .field("cool_down", &self.cool_down)
            .finish_non_exhaustive()
    }
}

impl Breaker {
    pub fn new(threshold: u32, cool_down: Duration) -> Self {
        Self::with_clock(threshold, cool_down, Arc::new(Instant::now))
    }

    /// A breaker reading the time from `clock`.
    pub fn with_clock(threshold: u32, cool_down: Duration, clock: Clock) -> Self {
        Self {
            threshold: threshold.max(1),
            cool_down,
            clock,
            state: Arc::default(),
        }
    }

    /// `Ok` when provider `name` may be called now; [`ProviderError::CircuitOpen`] while it is
    /// being skipped.
    pub fn check(&self, name: &str) -> Result<(), ProviderError> {
        let now = (self.clock)();
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match state.get(name).and_then(|c| c.open_until) {
            Some(until) if now < until => Err(ProviderError::CircuitOpen { until }),
            _ => Ok(()),
        }
    }

    /// Records the outcome of a call to provider `name`.
    pub fn record(&self, name: &str, ok: bool) {
        let now = (self.clock)();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if ok {
            state.remove(name);
            return;
        }
        let circuit = state.entry(name.to_owned()).or_default();
        circuit.failures = circuit.failures.saturating_add(1);
        if circuit.failures >= self.threshold {
            circuit.open_until = Some(now + self.cool_down);
            tracing::debug!(
                provider = name,
                failures = circuit.failures,
                "provider circuit opened"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock the test moves by hand.
    fn manual_clock() -> (Clock, Arc<Mutex<Instant>>) {
        let now = Arc::new(Mutex::new(Instant::now()));
        let read = Arc::clone(&now);
        (Arc::new(move || *read.lock().unwrap()), now)
    }

    fn advance(now: &Mutex<Instant>, by: Duration) {
        let mut t = now.lock().unwrap();
        *t += by;
    }

    #[test]
    fn opens_after_threshold_consecutive_failures() {
        let (clock, _) = manual_clock();
        let b = Breaker::with_clock(3, Duration::from_secs(60), clock);
        b.record("openai", false);
        b.record("openai", false);
        assert_eq!(
            b.check("openai"),
            Ok(()),
            "two failures are under the threshold"
        );
        b.record("openai", false);
        assert!(
            matches!(b.check("openai"), Err(ProviderError::CircuitOpen { .. })),
            "the third failure opens the circuit"
        );
        assert_eq!(b.check("ollama"), Ok(()), "other providers are unaffected");
    }

    #[test]
    fn a_success_resets_the_count() {
        let (clock, _) = manual_clock();
        let b = Breaker::with_clock(3, Duration::from_secs(60), clock);
        b.record("p", false);
        b.record("p", false);
        b.record("p", true);
        b.record("p", false);
        b.record("p", false);
        assert_eq!(
            b.check("p"),
            Ok(()),
            "failures are counted since the last success"
        );
    }

    #[test]
    fn cool_down_expiry_lets_one_trial_through() {
        let (clock, now) = manual_clock();
        let b = Breaker::with_clock(2, Duration::from_secs(60), clock);
        b.record("p", false);
        b.record("p", false);
        let Err(ProviderError::CircuitOpen { until }) = b.check("p") else {
            panic!("the circuit should be open");
        };
        assert_eq!(until, *now.lock().unwrap() + Duration::from_secs(60));
        advance(&now, Duration::from_secs(59));
        assert!(b.check("p").is_err(), "still cooling down at 59 s");
        advance(&now, Duration::from_secs(1));
        assert_eq!(b.check("p"), Ok(()), "the cool-down is over at 60 s");
        b.record("p", false);
        assert!(
            b.check("p").is_err(),
            "a failed trial opens the circuit again at once"
        );
        advance(&now, Duration::from_secs(60));
        assert_eq!(b.check("p"), Ok(()));
        b.record("p", true);
        b.record("p", false);
        assert_eq!(
            b.check("p"),
            Ok(()),
            "a success closed the circuit for good"
        );
    }

    #[test]
    fn clones_share_state() {
        let b = Breaker::new(1, Duration::from_secs(60));
        let c = b.clone();
        c.record("p", false);
        assert!(
            b.check("p").is_err(),
            "a clone's failure opens the shared circuit"
        );
        b.record("p", true);
        assert_eq!(c.check("p"), Ok(()));
    }
}
