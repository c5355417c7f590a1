//! The core's typed error. Every boundary maps it once, through [`Error::code`].

use countersign_model::{ErrorCode, ParseError, Problem};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("unauthenticated: {0}")]
    Unauthenticated(String),
    #[error("stale: {0}")]
    Stale(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("rate limited: {0}")]
    RateLimited(String),
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A database driver failure: logged in full, shown to users only as "internal".
    #[error("internal error (database): {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal error (migration): {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("internal error: {0}")]
    Internal(String),
    /// A refusal a person meets at the desk, as data the window says in their language.
    #[error("{words}: {0}", words = code_words(.0.code()))]
    Refused(Problem),
}

/// How a message names its code ("invalid argument: …"), as the other variants do.
fn code_words(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidArgument => "invalid argument",
        ErrorCode::Stale => "stale",
        ErrorCode::Conflict => "conflict",
        ErrorCode::Forbidden => "forbidden",
        ErrorCode::NotFound => "not found",
        ErrorCode::Unauthenticated => "unauthenticated",
        ErrorCode::RateLimited => "rate limited",
        ErrorCode::Unavailable => "unavailable",
        ErrorCode::KeyReused | ErrorCode::SequenceReused | ErrorCode::Internal => "error",
    }
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::InvalidArgument(_) => ErrorCode::InvalidArgument,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Self::Stale(_) => ErrorCode::Stale,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::RateLimited(_) => ErrorCode::RateLimited,
            Self::Unavailable(_) => ErrorCode::Unavailable,
            Self::Database(e) if is_busy(e) => ErrorCode::Unavailable,
            Self::Database(_) | Self::Migration(_) | Self::Internal(_) => ErrorCode::Internal,
            Self::Refused(p) => p.code(),
        }
    }

    /// The refusal as data, when it is one a person meets at the desk.
    pub fn problem(&self) -> Option<Problem> {
        match self {
            Self::Refused(p) => Some(p.clone()),
            _ => None,
        }
    }

    /// [`Self::public_message`] without the code's words, for a boundary that carries the code
    /// beside it (the window).
    pub fn detail(&self) -> String {
        match self {
            Self::InvalidArgument(m)
            | Self::Forbidden(m)
            | Self::Unauthenticated(m)
            | Self::Stale(m)
            | Self::Conflict(m)
            | Self::RateLimited(m)
            | Self::Unavailable(m) => m.clone(),
            Self::Refused(p) => p.to_string(),
            other => other.public_message(),
        }
    }

    /// The message safe to show a user or an assistant: driver details stay in the logs.
    pub fn public_message(&self) -> String {
        match self {
            Self::Database(e) if is_busy(e) => "the desk database is busy; try again".into(),
            Self::Database(_) | Self::Migration(_) | Self::Internal(_) => {
                "internal error; see the log".into()
            }
            other => other.to_string(),
        }
    }

    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            what,
            id: id.to_string(),
        }
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Self::InvalidArgument(msg.into())
    }
}

fn is_busy(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.message().contains("database is locked") || d.message().contains("busy"))
}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Self {
        Self::InvalidArgument(e.to_string())
    }
}
