//! The platform's error: an [`ErrorCode`] and a message safe to show. It becomes an HTTP status and
//! `{"error": {"code", "message"}}` once, at the boundary. Driver errors are logged, not shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use countersign_model::{ErrorCode, ParseError};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A refusal the caller can act on.
    #[error("{code}: {message}")]
    Refused { code: ErrorCode, message: String },
    /// A database failure: logged in full, shown only as "internal".
    #[error("internal error (database): {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal error (migration): {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Refused {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidArgument, message)
    }

    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} {id} not found"))
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthenticated, message)
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Refused { code, .. } => *code,
            Self::Database(e) if is_unavailable(e) => ErrorCode::Unavailable,
            Self::Database(e) if is_data_exception(e) => ErrorCode::InvalidArgument,
            Self::Database(_) | Self::Migration(_) => ErrorCode::Internal,
        }
    }

    /// The message safe to show a caller: driver details stay in the logs.
    pub fn public_message(&self) -> String {
        match self {
            Self::Refused { message, .. } => message.clone(),
            Self::Database(e) if is_unavailable(e) => {
                "the platform database is unavailable; try again".into()
            }
            Self::Database(e) if is_data_exception(e) => {
                "a value cannot be stored (a NUL character, or a date or number out of range)"
                    .into()
            }
            Self::Database(_) | Self::Migration(_) => "internal error; see the platform log".into(),
        }
    }
}

/// PostgreSQL refused a value itself (SQLSTATE class 22: a NUL byte in text, a date or number
/// out of range). Input is checked before it reaches the database; this is the backstop that
/// keeps anything missed a caller's error rather than the platform's.
pub fn is_data_exception(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().is_some_and(|c| c.starts_with("22")))
}

fn is_unavailable(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
    )
}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Self {
        Self::invalid(e.to_string())
    }
}

/// The HTTP status for an error code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::InvalidArgument => StatusCode::BAD_REQUEST,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Stale | ErrorCode::Conflict | ErrorCode::SequenceReused => StatusCode::CONFLICT,
        ErrorCode::KeyReused => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The JSON body of an error response.
pub fn body(code: ErrorCode, message: &str) -> serde_json::Value {
    serde_json::json!({"error": {"code": code, "message": message}})
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let code = self.code();
        if matches!(code, ErrorCode::Internal | ErrorCode::Unavailable) {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = (
            status_of(code),
            axum::Json(body(code, &self.public_message())),
        )
            .into_response();
        if code == ErrorCode::Unauthenticated {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
