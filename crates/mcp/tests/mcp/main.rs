//! The MCP server in-process: over a duplex pipe (as stdio) and over real HTTP on loopback.

mod http;
mod stdio;
mod support;
