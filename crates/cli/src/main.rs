//! The `countersign` command: creates the demo desk, serves the desk to AI assistants over MCP
//! (stdio or HTTP), manages MCP tokens, lets a person decide drafts and escalations from a
//! terminal, reads and verifies the audit log, and diagnoses a machine (`doctor`).
//!
//! It is an adapter: each subcommand parses its input, calls one function of `countersign-core`
//! (or `countersign-mcp`) and prints the result. It holds no business rules. Every failure ends
//! as one line on stderr, `error[<code>]: <message>`, with an exit code chosen by the code.

mod attachments;
mod audit;
mod connect;
mod cpu;
mod demo;
mod desk;
mod doctor;
mod drafting;
mod error;
mod output;
mod review;
mod serve;
mod settings;
mod sync;
mod tickets;
mod tokens;

use clap::{Parser, Subcommand};
use countersign_model::{DraftId, ErrorCode, EscalationId};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

const AFTER_HELP: &str = "Quick start:
  countersign demo                          create the demo desk (profile `demo`)
  countersign connect claude-desktop        print the Claude Desktop config (stdio)
  countersign serve --new-token cursor      serve MCP over HTTP with a fresh token
  countersign drafts list                   drafts waiting for you
  countersign draft tkt_…                   draft a reply to a ticket now
  countersign providers add …               draft with an AI provider, offline as fallback
  countersign doctor                        check this machine";

#[derive(Debug, Parser)]
#[command(
    name = "countersign",
    version,
    about = "Countersign: AI drafts, humans countersign.",
    long_about = "Countersign: AI drafts, humans countersign.\n\nServes a support desk (customers, invoices, \
                  tickets, knowledge base) to local AI assistants over MCP. Assistants read and propose; \
                  people approve, edit or reject what they propose — in the desktop app or with this command.",
    after_help = AFTER_HELP,
    propagate_version = true
)]
struct Cli {
    /// Where profiles are kept [env: COUNTERSIGN_DATA_DIR] [default: the platform's data
    /// directory, e.g. ~/.local/share/countersign].
    #[arg(long, global = true, value_name = "PATH")]
    data_dir: Option<PathBuf>,
    /// The profile (one desk database each) to work on [env: COUNTERSIGN_PROFILE] [default: demo].
    #[arg(long, global = true, value_name = "NAME")]
    profile: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the profile's desk filled with generated demo data.
    ///
    /// An existing desk with data is left alone unless --reset is given.
    Demo(demo::DemoArgs),
    /// Serve MCP over stdin/stdout (what Claude Desktop, Cursor or VS Code launch).
    ///
    /// stdout carries the protocol; logs go to stderr (RUST_LOG, default warn).
    Mcp(serve::McpArgs),
    /// Serve MCP over Streamable HTTP at http://127.0.0.1:PORT/mcp (bearer token required).
    Serve(serve::ServeArgs),
    /// Create, list and revoke MCP tokens for the HTTP endpoint.
    #[command(subcommand)]
    Token(tokens::TokenCommand),
    /// Draft a reply to a ticket now (the offline drafter) and file it for review.
    Draft(drafting::DraftArgs),
    /// The AI providers the desk drafts with (the offline drafter always answers last).
    #[command(subcommand)]
    Providers(drafting::ProvidersCommand),
    /// Drafts the assistants proposed that wait for a person.
    #[command(subcommand)]
    Drafts(review::DraftsCommand),
    /// Approve a draft (optionally with your edited text): the reply is queued to send.
    Approve(review::ApproveArgs),
    /// Reject a draft, saying why.
    Reject {
        /// The draft's id (`dft_…`).
        id: DraftId,
        /// Why it is rejected (kept in the audit log).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Put a stale draft back to review against the records as they are now.
    Rereview {
        /// The draft's id (`dft_…`).
        id: DraftId,
    },
    /// Escalations raised for a decision (refunds, credits, voids, …).
    #[command(subcommand)]
    Escalations(review::EscalationsCommand),
    /// Approve or deny an escalation (your role decides what you may approve).
    Decide {
        /// The escalation's id (`esc_…`).
        id: EscalationId,
        /// What you decide.
        #[arg(value_enum)]
        decision: review::DecisionArg,
        /// A note for the record; required to deny.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Save a file a customer sent with a message, from the platform.
    #[command(subcommand)]
    Attachment(attachments::AttachmentCommand),
    /// Act on a ticket: its status, priority, assignee, snooze, or a merge into another.
    #[command(subcommand)]
    Ticket(tickets::TicketCommand),
    /// Read the audit log, or verify its hash chain.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Read and change the profile's settings.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// Check the data directory, the desk, the audit chain, the keyring and the MCP port.
    Doctor,
    /// Connect to the central platform and sync: login, logout, status, now, notices.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// Print the MCP configuration for an assistant, ready to paste.
    ///
    /// The JSON goes to stdout (redirect it into the file); the explanation goes to stderr.
    Connect {
        #[arg(value_enum)]
        client: connect::Client,
        /// Connect over HTTP to `countersign serve` instead of launching `countersign mcp`.
        #[arg(long)]
        http: bool,
        /// The HTTP port [default: the profile's `mcp.port` setting].
        #[arg(long, value_name = "N", requires = "http")]
        port: Option<u16>,
    },
}

fn main() -> ExitCode {
    exit_quietly_on_closed_stdout();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let serving = matches!(cli.command, Command::Serve(_));
    init_logging(if serving { "info" } else { "warn" });
    match &cli.command {
        Command::Mcp(args) => cpu::keep_on_one_cpu(&args.placement),
        Command::Serve(args) => cpu::keep_on_one_cpu(&args.placement),
        _ => {}
    }
    // One thread runs every task: SQLite's work happens on sqlx's worker threads, so what is
    // left per request (HTTP, JSON) is small, and a multi-threaded runtime spent more on waking
    // its workers across threads than it gained, the HTTP endpoint's many clients included.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "{}",
                error::render(
                    ErrorCode::Internal,
                    &format!("cannot start the async runtime: {e}")
                )
            );
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => error::report(&e),
    }
}

/// Help and version print normally; a usage error is one `error[invalid_argument]` line.
fn usage_error(e: &clap::Error) -> ExitCode {
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let text = e.to_string();
    let first = text.split("\n\n").next().unwrap_or_default();
    let message = first.strip_prefix("error: ").unwrap_or(first);
    eprintln!(
        "{} (see --help)",
        error::render(ErrorCode::InvalidArgument, message)
    );
    ExitCode::from(error::exit_code(ErrorCode::InvalidArgument))
}

/// `countersign audit tail | head` closes stdout early: end quietly instead of panicking.
fn exit_quietly_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info.payload_as_str().unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

/// Logs go to stderr only (stdout is the MCP protocol under `mcp`); RUST_LOG overrides.
fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

/// The environment variable naming the profile when `--profile` is not given.
const PROFILE_ENV: &str = "COUNTERSIGN_PROFILE";

/// A flag wins over its environment variable; an empty variable counts as unset.
fn flag_or_env(flag: Option<String>, env: &str) -> Option<String> {
    flag.or_else(|| std::env::var(env).ok().filter(|v| !v.is_empty()))
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let data_dir = cli.data_dir.or_else(|| {
        std::env::var_os(countersign_core::profile::DATA_DIR_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let profile = flag_or_env(cli.profile, PROFILE_ENV)
        .unwrap_or_else(|| countersign_core::profile::DEMO_PROFILE.to_owned());
    let ctx = desk::Context::new(data_dir, profile)?;
    match cli.command {
        Command::Demo(args) => demo::run(&ctx, &args).await?,
        Command::Mcp(args) => serve::mcp(&ctx, &args).await?,
        Command::Serve(args) => serve::serve(&ctx, &args).await?,
        Command::Token(command) => tokens::run(&ctx, &command).await?,
        Command::Draft(args) => drafting::run(&ctx, &args).await?,
        Command::Providers(command) => drafting::providers(&ctx, &command).await?,
        Command::Drafts(command) => review::drafts(&ctx, &command).await?,
        Command::Approve(args) => review::approve(&ctx, &args).await?,
        Command::Reject { id, reason } => review::reject(&ctx, &id, &reason).await?,
        Command::Rereview { id } => review::rereview(&ctx, &id).await?,
        Command::Escalations(command) => review::escalations(&ctx, &command).await?,
        Command::Decide { id, decision, note } => {
            review::decide(&ctx, &id, decision, note.as_deref()).await?
        }
        Command::Ticket(command) => tickets::run(&ctx, &command).await?,
        Command::Attachment(command) => attachments::run(&ctx, &command).await?,
        Command::Audit(command) => return audit::run(&ctx, &command).await,
        Command::Settings(command) => settings::run(&ctx, &command).await?,
        Command::Sync(command) => sync::run(&ctx, &command).await?,
        Command::Doctor => return doctor::run(&ctx).await,
        Command::Connect { client, http, port } => {
            let port = match (http, port) {
                (false, _) => None,
                (true, Some(p)) => Some(p),
                (true, None) => Some(configured_port(&ctx).await?),
            };
            connect::print(&ctx, client, port)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The profile's MCP port, or the default when it has no desk yet.
async fn configured_port(ctx: &desk::Context) -> anyhow::Result<u16> {
    if !ctx.desk_exists()? {
        return Ok(countersign_core::settings::DEFAULT_MCP_PORT);
    }
    let store = ctx.open().await?;
    let port = countersign_core::settings::mcp_port(store.pool()).await?;
    store.close().await;
    Ok(port)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn malformed_ids_are_usage_errors() {
        let err = Cli::try_parse_from(["countersign", "approve", "not-a-draft"]).unwrap_err();
        assert!(
            err.use_stderr(),
            "a bad draft id must be reported as an error"
        );
        assert!(
            err.to_string().contains("dft_"),
            "the error should say what an id looks like: {err}"
        );
    }

    #[test]
    fn port_needs_http_for_connect() {
        assert!(
            Cli::try_parse_from(["countersign", "connect", "cursor", "--port", "7499"]).is_err()
        );
        assert!(
            Cli::try_parse_from([
                "countersign",
                "connect",
                "cursor",
                "--http",
                "--port",
                "7499"
            ])
            .is_ok()
        );
    }
}
