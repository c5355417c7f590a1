//! The MCP server bundled with a Countersign desk, built on rmcp. Local AI assistants read the
//! desk (customers, invoices, payments, tickets, knowledge base) and propose — a draft reply,
//! an escalation, an internal note — over stdio or Streamable HTTP.
//!
//! It must not decide anything: there is no tool that sends, approves, refunds, voids or edits
//! billing data. It holds no business rules either: each tool parses its arguments, calls one
//! core function and maps the result (errors carry a stable code). Every call is audited.

mod args;
pub mod http;
mod prompts;
pub mod ratelimit;
mod server;
mod tools;

pub use args::*;
pub use countersign_model::records::CustomerHits;
pub use server::{DeskServer, HttpCaller};
pub use tools::ArticleHits;

use countersign_core::Store;
use countersign_model::workflow::TokenScope;
use rmcp::ServiceExt;

/// Serves one assistant over stdin/stdout until it disconnects. Logs must go to stderr.
pub async fn serve_stdio(store: Store, scope: TokenScope) -> anyhow::Result<()> {
    let running = DeskServer::stdio(store, scope)
        .serve(rmcp::transport::stdio())
        .await?;
    running.waiting().await?;
    Ok(())
}
