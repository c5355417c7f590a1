//! Types shared by every Countersign crate and by the wasm32 user interface: record ids, exact
//! money, the billing and ticket records the desk caches, the review workflow's states, the error
//! codes every boundary speaks, and the sync protocol between a desktop and the platform.
//!
//! This crate must stay wasm-safe: no tokio, no sqlx, no I/O. It holds data and parsing only;
//! behaviour lives in `countersign-core`.

pub mod error;
pub mod escalation_rules;
pub mod ids;
pub mod ipc;
pub mod money;
pub mod problem;
pub mod records;
pub mod saved_replies;
pub mod staleness;
pub mod sync;
pub mod workflow;

pub use error::{ErrorCode, ParseError};
pub use ids::*;
pub use money::{Currency, Money};
pub use problem::Problem;
