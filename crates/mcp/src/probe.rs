//! "Test the connection": is this desk's MCP endpoint answering on `addr`, as an assistant would
//! reach it? One MCP `initialize` without a token must come back `401` with our own
//! `unauthenticated` body: the server is up, speaks HTTP at `/mcp`, and keeps its door shut.

use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const INIT: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"countersign-probe","version":"1"}}}"#;

/// How long the endpoint took to answer, or why it is not reachable as an assistant needs it.
pub async fn probe(addr: SocketAddr, limit: Duration) -> Result<Duration, String> {
    let started = Instant::now();
    let answer = tokio::time::timeout(limit, exchange(addr))
        .await
        .map_err(|_| format!("no answer from {addr} within {limit:?}"))?
        .map_err(|e| format!("cannot reach {addr}: {e}"))?;
    let took = started.elapsed();
    let status = answer.split_whitespace().nth(1).unwrap_or_default();
    match status {
        "401" if answer.contains("unauthenticated") => Ok(took),
        "" => Err(format!("{addr} closed the connection without an answer")),
        other => Err(format!(
            "{addr} answered {other}, not as a Countersign MCP endpoint does"
        )),
    }
}

async fn exchange(addr: SocketAddr) -> std::io::Result<String> {
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    let req = format!(
        "POST /mcp HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{INIT}",
        INIT.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut answer = Vec::new();
    s.take(16 * 1024).read_to_end(&mut answer).await?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}
