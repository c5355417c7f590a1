//! End-to-end: the `countersign` binary with real MCP clients (the official Python SDK and the
//! MCP Inspector CLI) over stdio and HTTP, and the CLI as a person uses it.

mod cli;
mod desktop;
mod inspector;
mod mcp_attacks;
mod package;
mod providers;
mod python_sdk;
mod sync;
