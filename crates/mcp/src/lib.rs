//! The MCP server bundled with a Countersign desk, built on rmcp. Local AI assistants read the
//! desk (customers, invoices, payments, tickets, knowledge base) and propose — a draft reply,
//! an escalation, an internal note — over stdio or Streamable HTTP.
//!
//! It must not decide anything: there is no tool that sends, approves, refunds, voids or edits
//! billing data. It holds no business rules either: each tool parses its arguments, calls one
//! core function and maps the result (errors carry a stable code). Every call is audited.

mod args;
pub mod http;
mod listener;
pub mod probe;
mod prompts;
pub mod ratelimit;
mod refusals;
mod server;
mod tools;

pub use args::*;
pub use countersign_model::records::CustomerHits;
pub use server::{DeskServer, HttpCaller};
pub use tools::ArticleHits;

use countersign_core::Store;
use countersign_model::workflow::TokenScope;
use rmcp::ServiceExt;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::unix::pipe;

/// The names of the tools the server offers, sorted: read from the `#[tool]` attributes through
/// the router the server answers `tools/list` with. This is the one list every test suite, the
/// Python client's check and the README are held to.
pub fn tool_names() -> Vec<String> {
    let mut names: Vec<String> = DeskServer::tool_router()
        .list_all()
        .into_iter()
        .map(|t| t.name.into_owned())
        .collect();
    names.sort();
    names
}

/// Serves one assistant over stdin/stdout until it disconnects. Logs must go to stderr.
pub async fn serve_stdio(store: Store, scope: TokenScope) -> anyhow::Result<()> {
    let running = DeskServer::stdio(store, scope).serve(stdio()).await?;
    running.waiting().await?;
    Ok(())
}

type Reader = Box<dyn AsyncRead + Send + Unpin>;
type Writer = Box<dyn AsyncWrite + Send + Unpin>;

/// stdin and stdout as a transport. Assistants launch a stdio server with pipes; a pipe is read
/// and written through the event loop here, where tokio's `stdin()`/`stdout()` would hand every
/// read and write to a blocking thread — thread switches on every call. Anything else (a
/// terminal, a file) goes through tokio's blocking adapters.
fn stdio() -> (Reader, Writer) {
    let reader: Reader = match dup(std::io::stdin().as_fd()).and_then(pipe::Receiver::from_owned_fd)
    {
        Ok(r) => Box::new(r),
        Err(_) => Box::new(tokio::io::stdin()),
    };
    // stdout is made non-blocking, which a stderr sharing the same pipe (`2>&1`) would inherit:
    // then a log line could fail to print, so such a stdout keeps the blocking adapter.
    let writer: Writer = match dup(std::io::stdout().as_fd())
        .ok()
        .filter(|fd| !same_file(fd, std::io::stderr().as_fd()))
        .map(pipe::Sender::from_owned_fd)
    {
        Some(Ok(w)) => Box::new(w),
        _ => Box::new(tokio::io::stdout()),
    };
    (reader, writer)
}

fn dup(fd: std::os::fd::BorrowedFd<'_>) -> std::io::Result<OwnedFd> {
    fd.try_clone_to_owned()
}

fn same_file(a: &OwnedFd, b: std::os::fd::BorrowedFd<'_>) -> bool {
    let meta = |fd: OwnedFd| std::fs::File::from(fd).metadata();
    match (a.try_clone().map(meta), dup(b).map(meta)) {
        (Ok(Ok(a)), Ok(Ok(b))) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => true,
    }
}
