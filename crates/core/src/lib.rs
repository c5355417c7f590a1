//! The Countersign desk, headless. It owns the desktop's SQLite cache (customers, invoices,
//! payments, subscriptions, wallets, tickets, knowledge base), the review workflow (assistants
//! propose drafts and escalations, people decide, role checks included), the hash-chained audit
//! log, the outbox, MCP client tokens, profile settings and demo data.
//!
//! It must not depend on a UI toolkit, an MCP library or an HTTP server framework: adapters
//! (`countersign-mcp`, the CLI, the desktop shell) parse input, call one function here and map
//! the result. Every rule about who may do what lives here, not in an adapter.

pub mod activity;
pub mod attachments;
pub mod audit;
mod bulk;
pub mod changes;
pub mod client_config;
pub mod customer_panel;
pub mod demo;
pub mod desk_settings;
pub mod desk_status;
pub mod drafting;
mod error;
pub mod escalation_queue;
pub mod first_run;
pub mod fts;
pub mod inbox;
pub mod ipc_inputs;
pub mod profile;
pub mod records;
pub mod saved_replies;
pub mod secrets;
pub mod settings;
pub mod sla;
pub mod store;
pub mod sync;
pub mod tokens;
pub mod workflow;

pub use error::{Error, Result};
pub use store::Store;

use rand::RngCore;

/// A new unique id tail: 12 hex digits of milliseconds (so ids sort by creation) and 16 random.
pub fn new_id(prefix: &str) -> String {
    let millis = chrono::Utc::now().timestamp_millis().max(0) as u64;
    let mut r = [0u8; 8];
    rand::rng().fill_bytes(&mut r);
    format!("{prefix}{millis:012x}{}", hex::encode(r))
}
