//! `countersign mcp` (stdio, the default transport for assistants) and `countersign serve`
//! (Streamable HTTP on loopback, bearer token required). Both only wire the desk to
//! `countersign-mcp`; stdout belongs to the protocol in `mcp`, so nothing else is printed there.

use crate::connect;
use crate::desk::Context;
use crate::error::CliError;
use clap::Args;
use countersign_core::{settings, tokens};
use countersign_mcp::http::HttpOptions;
use countersign_model::workflow::TokenScope;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

/// How long open connections may take to finish after Ctrl-C or SIGTERM.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// What an assistant may do: `read` the desk, or read and `draft` proposals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScopeArg {
    /// Read customers, invoices, tickets and the knowledge base.
    Read,
    /// Read, and propose drafts, escalations and internal notes.
    Draft,
}

impl From<ScopeArg> for TokenScope {
    fn from(s: ScopeArg) -> Self {
        match s {
            ScopeArg::Read => TokenScope::Read,
            ScopeArg::Draft => TokenScope::Draft,
        }
    }
}

#[derive(Debug, Args)]
pub struct McpArgs {
    /// What the assistant on the other end may do.
    #[arg(long, value_enum, default_value = "draft")]
    pub scope: ScopeArg,
    #[command(flatten)]
    pub placement: crate::cpu::Placement,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on [default: the `mcp.port` setting, 7431 unless changed].
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// Address to bind. Anything but a loopback address exposes the desk to the network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Create a `draft`-scoped token named NAME first, and print it with client configs.
    #[arg(long, value_name = "NAME")]
    pub new_token: Option<String>,
    #[command(flatten)]
    pub placement: crate::cpu::Placement,
}

pub async fn mcp(ctx: &Context, args: &McpArgs) -> anyhow::Result<()> {
    let store = ctx.open_with(crate::cpu::connections()).await?;
    tracing::info!(profile = %ctx.profile, scope = ?args.scope, "serving MCP over stdio");
    let result = countersign_mcp::serve_stdio(store.clone(), args.scope.into()).await;
    store.close().await;
    result
}

pub async fn serve(ctx: &Context, args: &ServeArgs) -> anyhow::Result<()> {
    let store = ctx.open_with(crate::cpu::connections()).await?;
    let person = settings::person(store.pool()).await?;
    let port = match args.port {
        Some(p) => p,
        None => settings::mcp_port(store.pool()).await?,
    };
    let rate_per_minute = settings::mcp_rate_per_minute(store.pool()).await?;
    let listener = bind(args.bind, port).await?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    if !args.bind.is_loopback() {
        eprintln!(
            "WARNING: listening on {}, not loopback: anyone who can reach this machine on port {port} can try tokens against your desk. Use --bind 127.0.0.1 unless you mean it.",
            args.bind
        );
    }
    let url = if args.bind.is_loopback() || args.bind.is_unspecified() {
        countersign_core::client_config::mcp_url(port)
    } else {
        format!("http://{}/mcp", SocketAddr::new(args.bind, port))
    };

    if let Some(name) = &args.new_token {
        let (info, secret) = tokens::create(&store, &person, name, TokenScope::Draft).await?;
        println!("created token {} ({}, scope draft):", info.id, info.name);
        println!("{secret}");
        println!(
            "This secret is shown only now and will not be shown again; the desk keeps only its hash."
        );
        connect::print_all(ctx, &url, &secret)?;
        println!();
    }

    println!(
        "MCP endpoint: {url}  (profile `{}`; Ctrl-C to stop)",
        ctx.profile
    );
    let options = HttpOptions {
        bind: args.bind,
        rate_per_minute,
        extra_origins: Vec::new(),
    };
    tracing::info!(%url, rate_per_minute, "serving MCP over HTTP");
    let (stopping, stop_requested) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        shutdown_signal().await;
        let _ = stopping.send(());
    };
    let serving = countersign_mcp::http::serve(store.clone(), listener, &options, shutdown);
    // Graceful shutdown waits for every connection, and an assistant's open event stream may
    // never end by itself: after the grace period the remaining connections are dropped.
    let result = tokio::select! {
        r = serving => r,
        () = async {
            if stop_requested.await.is_ok() {
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } else {
                std::future::pending::<()>().await;
            }
        } => {
            tracing::warn!("connections still open after {} s; closing them", SHUTDOWN_GRACE.as_secs());
            Ok(())
        }
    };
    // A connection dropped mid-request may still hold a database connection for a moment.
    if tokio::time::timeout(SHUTDOWN_GRACE, store.close())
        .await
        .is_err()
    {
        tracing::warn!(
            "the desk database did not close in time; SQLite recovers its WAL on next open"
        );
    }
    result.map_err(|e| CliError::unavailable(format!("the MCP endpoint stopped: {e}")))?;
    eprintln!("stopped");
    Ok(())
}

/// Binds the listener; a taken port is one clear line saying how to pick another.
async fn bind(ip: IpAddr, port: u16) -> anyhow::Result<tokio::net::TcpListener> {
    match tokio::net::TcpListener::bind((ip, port)).await {
        Ok(l) => Ok(l),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Err(CliError::unavailable(format!(
            "port {port} on {ip} is already in use (another `countersign serve`?); choose another with `--port N` or `countersign settings set mcp.port N`"
        ))
        .into()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(CliError::unavailable(format!(
            "not allowed to listen on {ip}:{port} ({e}); pick a port above 1023 with `--port N`"
        ))
        .into()),
        Err(e) => Err(CliError::unavailable(format!("cannot listen on {}: {e}", SocketAddr::new(ip, port))).into()),
    }
}

/// Completes on Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

/// The default bind address, for help texts and checks.
pub const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
