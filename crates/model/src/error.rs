//! Error codes: the one vocabulary every boundary (IPC, MCP, HTTP, CLI) maps errors into.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A stable, machine-readable error code. Clients match on these, never on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidArgument,
    Forbidden,
    Unauthenticated,
    Stale,
    Conflict,
    /// An idempotency key (a mutation id) came again with a different payload or from another
    /// caller: it names one request only.
    KeyReused,
    /// A device's sequence number came again for a different mutation: the device was restored
    /// from a backup or cloned, and must continue under a new identity.
    SequenceReused,
    RateLimited,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 11] = [
        Self::NotFound,
        Self::InvalidArgument,
        Self::Forbidden,
        Self::Unauthenticated,
        Self::Stale,
        Self::Conflict,
        Self::KeyReused,
        Self::SequenceReused,
        Self::RateLimited,
        Self::Unavailable,
        Self::Internal,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::InvalidArgument => "invalid_argument",
            Self::Forbidden => "forbidden",
            Self::Unauthenticated => "unauthenticated",
            Self::Stale => "stale",
            Self::Conflict => "conflict",
            Self::KeyReused => "key_reused",
            Self::SequenceReused => "sequence_reused",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value that could not be parsed into one of the model's types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {why}")]
pub struct ParseError {
    pub what: &'static str,
    pub why: String,
}

impl ParseError {
    pub fn new(what: &'static str, why: impl Into<String>) -> Self {
        Self {
            what,
            why: why.into(),
        }
    }
}
