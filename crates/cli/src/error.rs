//! How a failed command ends: one line on stderr, `error[<code>]: <message>`, and an exit code
//! chosen by the error's code. Core errors keep their code and public message; errors the CLI
//! raises itself carry a code through [`CliError`]; anything else is `internal`.

use countersign_model::{ErrorCode, ParseError};
use std::fmt;
use std::process::ExitCode;

/// A failure the CLI itself detects (a missing desk, a port in use), with the code it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub code: ErrorCode,
    pub message: String,
}

impl CliError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidArgument, message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unavailable, message)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// The code and the message safe to show for `err`: the first core or CLI error in its chain
/// decides; anything else is `internal` with its full context.
pub fn classify(err: &anyhow::Error) -> (ErrorCode, String) {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<countersign_core::Error>() {
            let mut message = without_code_prefix(e.code(), &e.public_message());
            if e.code() == ErrorCode::Internal {
                message.push_str(" (run with RUST_LOG=debug for details)");
            }
            return (e.code(), message);
        }
        if let Some(e) = cause.downcast_ref::<CliError>() {
            return (e.code, e.message.clone());
        }
        if let Some(e) = cause.downcast_ref::<ParseError>() {
            return (ErrorCode::InvalidArgument, e.to_string());
        }
    }
    (ErrorCode::Internal, format!("{err:#}"))
}

/// A core message repeats its code in words (`conflict: …`); the line already shows the code.
fn without_code_prefix(code: ErrorCode, message: &str) -> String {
    let words = format!("{}: ", code.as_str().replace('_', " "));
    message.strip_prefix(&words).unwrap_or(message).to_owned()
}

/// The process exit code for an error code.
pub fn exit_code(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::InvalidArgument => 2,
        ErrorCode::NotFound => 3,
        ErrorCode::Forbidden | ErrorCode::Unauthenticated => 4,
        ErrorCode::Stale
        | ErrorCode::Conflict
        | ErrorCode::KeyReused
        | ErrorCode::SequenceReused => 5,
        ErrorCode::RateLimited | ErrorCode::Unavailable | ErrorCode::Internal => 1,
    }
}

/// The one line printed for an error; newlines in the message are folded so it stays one line.
pub fn render(code: ErrorCode, message: &str) -> String {
    let one_line: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    format!("error[{code}]: {}", one_line.join(" "))
}

/// Prints `err` as one line on stderr and returns the exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    tracing::debug!(error = ?err, "command failed");
    let (code, message) = classify(err);
    eprintln!("{}", render(code, &message));
    ExitCode::from(exit_code(code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn core_errors_keep_their_code_and_public_message() {
        let err = anyhow::Error::new(countersign_core::Error::not_found("draft", "dft_x"));
        let (code, message) = classify(&err);
        assert_eq!(
            code,
            ErrorCode::NotFound,
            "a core not_found must stay not_found"
        );
        assert_eq!(message, "draft dft_x not found");
        assert_eq!(exit_code(code), 3);
    }

    #[test]
    fn the_code_is_not_repeated_in_words() {
        let err = anyhow::Error::new(countersign_core::Error::Conflict(
            "draft dft_1 was already approved".into(),
        ));
        assert_eq!(
            render(classify(&err).0, &classify(&err).1),
            "error[conflict]: draft dft_1 was already approved"
        );
        let err = anyhow::Error::new(countersign_core::Error::invalid("`note` must not be empty"));
        assert_eq!(classify(&err).1, "`note` must not be empty");
    }

    #[test]
    fn core_errors_are_found_behind_context() {
        let err = Err::<(), _>(countersign_core::Error::Stale(
            "cited invoice changed".into(),
        ))
        .context("approving")
        .unwrap_err();
        assert_eq!(
            classify(&err).0,
            ErrorCode::Stale,
            "context must not hide the core error"
        );
    }

    #[test]
    fn internal_core_errors_hide_driver_details() {
        let err = anyhow::Error::new(countersign_core::Error::Internal(
            "secret sql detail".into(),
        ));
        let (code, message) = classify(&err);
        assert_eq!(code, ErrorCode::Internal);
        assert!(
            !message.contains("secret sql detail"),
            "driver details leaked: {message}"
        );
    }

    #[test]
    fn cli_and_parse_errors_map_to_their_codes() {
        let err = anyhow::Error::new(CliError::unavailable("port 7431 is in use"));
        assert_eq!(
            classify(&err),
            (ErrorCode::Unavailable, "port 7431 is in use".into())
        );
        let err = anyhow::Error::new(ParseError::new("draft id", "bad"));
        assert_eq!(classify(&err).0, ErrorCode::InvalidArgument);
        let err = anyhow::anyhow!("something odd");
        assert_eq!(
            classify(&err),
            (ErrorCode::Internal, "something odd".into())
        );
    }

    #[test]
    fn exit_codes_follow_the_documented_table() {
        let table = [
            (ErrorCode::InvalidArgument, 2),
            (ErrorCode::NotFound, 3),
            (ErrorCode::Forbidden, 4),
            (ErrorCode::Unauthenticated, 4),
            (ErrorCode::Stale, 5),
            (ErrorCode::Conflict, 5),
            (ErrorCode::RateLimited, 1),
            (ErrorCode::Unavailable, 1),
            (ErrorCode::Internal, 1),
        ];
        for (code, exit) in table {
            assert_eq!(exit_code(code), exit, "exit code of {code}");
        }
    }

    #[test]
    fn rendered_errors_are_one_line() {
        let line = render(ErrorCode::Conflict, "already decided\n  by Ana\n");
        assert_eq!(line, "error[conflict]: already decided by Ana");
    }
}
