//! The drafting engine: a ticket's context in, a grounded proposal out. It recognises what a
//! customer asks for in English, Spanish, French or German, writes the offline drafter's reply
//! from the records' exact figures, and checks any draft's figures against the records (the
//! grounding check every draft passes before it is filed).
//!
//! [`providers`] asks an LLM (any OpenAI-compatible server, or Anthropic) for the same kind of
//! proposal, with bounded retries, timeouts and a circuit breaker.
//!
//! It must not touch a database, the keyring or the network's secrets: the desk (`core`) builds
//! the [`Context`] from its cache, passes a provider's key in with its configuration, and files
//! what comes out through its one `propose` path.

pub mod chain;
pub mod context;
#[doc(hidden)]
pub mod fixture;
pub mod grounding;
pub mod intent;
pub mod lang;
pub mod mentions;
pub mod offline;
pub mod providers;
pub mod saved;
#[cfg(feature = "testing")]
pub mod testing;

pub use context::Context;
pub use intent::Intent;
pub use lang::Lang;
pub use offline::{Proposal, SuggestedEscalation};
