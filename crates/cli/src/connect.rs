//! `countersign connect`: a ready-to-paste MCP client configuration, built by the core's
//! [`client_config`] (which the desktop's Settings shows too).

use crate::desk::Context;
use clap::ValueEnum;
use countersign_core::client_config::{self, StdioLaunch, http, mcp_url, pretty, stdio};

/// Shown where a token belongs in a snippet the person completes.
pub const TOKEN_PLACEHOLDER: &str = "<TOKEN>";

/// An MCP client with a known configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Client {
    /// Claude Desktop (claude_desktop_config.json).
    ClaudeDesktop,
    /// Cursor (~/.cursor/mcp.json).
    Cursor,
    /// VS Code (.vscode/mcp.json).
    Vscode,
}

impl From<Client> for client_config::Client {
    fn from(c: Client) -> Self {
        match c {
            Client::ClaudeDesktop => Self::ClaudeDesktop,
            Client::Cursor => Self::Cursor,
            Client::Vscode => Self::Vscode,
        }
    }
}

/// This executable, serving the context's profile.
pub fn current_launch(ctx: &Context) -> anyhow::Result<StdioLaunch> {
    let exe = std::env::current_exe()?;
    let exe = std::fs::canonicalize(&exe).unwrap_or(exe);
    let mut args = vec!["mcp".to_owned()];
    args.extend(ctx.profile_args());
    Ok(StdioLaunch {
        command: exe.display().to_string(),
        args,
    })
}

/// `countersign connect`: the snippet on stdout (so it can be redirected into a file), the
/// explanation on stderr.
pub fn print(ctx: &Context, client: Client, http_port: Option<u16>) -> anyhow::Result<()> {
    let launch = current_launch(ctx)?;
    let c = client_config::Client::from(client);
    eprintln!(
        "# {} — put this in {} (merge it into the existing file if there is one):",
        c.title(),
        c.config_location()
    );
    let v = match http_port {
        Some(port) => http(c, &mcp_url(port), TOKEN_PLACEHOLDER),
        None => stdio(c, &launch),
    };
    println!("{}", pretty(&v));
    match (client, http_port) {
        (_, None) => eprintln!(
            "# {} starts `countersign mcp` itself (stdio); restart it after saving. Over HTTP instead: `countersign connect {} --http`.",
            c.title(),
            client
                .to_possible_value()
                .map(|v| v.get_name().to_owned())
                .unwrap_or_default()
        ),
        (Client::Vscode, Some(_)) => eprintln!(
            "# Needs `countersign serve` running; VS Code asks for the token (from `countersign token create --name vscode`) once."
        ),
        (_, Some(_)) => eprintln!(
            "# Needs `countersign serve` running. Replace {TOKEN_PLACEHOLDER} with a token from `countersign token create --name {}`.",
            c.title().to_lowercase().replace(' ', "-")
        ),
    }
    Ok(())
}

/// After `serve --new-token`: the configs of every known client, ready to paste, on stdout.
pub fn print_all(ctx: &Context, url: &str, token: &str) -> anyhow::Result<()> {
    use client_config::Client as C;
    let launch = current_launch(ctx)?;
    println!(
        "\n# Claude Desktop — {} (Claude Desktop starts countersign itself; no token or server needed):",
        C::ClaudeDesktop.config_location()
    );
    println!("{}", pretty(&stdio(C::ClaudeDesktop, &launch)));
    println!("\n# Cursor — {}:", C::Cursor.config_location());
    println!("{}", pretty(&http(C::Cursor, url, token)));
    println!(
        "\n# VS Code — {} (paste the token when VS Code asks for it):",
        C::Vscode.config_location()
    );
    println!("{}", pretty(&http(C::Vscode, url, token)));
    Ok(())
}
