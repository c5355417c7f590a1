//! Ready-to-paste MCP client configurations (Claude Desktop, Cursor, VS Code). The snippets are
//! built as JSON values by pure functions, never by string concatenation, so paths and tokens
//! with quotes or backslashes stay valid JSON.

use crate::desk::Context;
use clap::ValueEnum;
use serde_json::{Value, json};

/// The server's name in every client config.
pub const SERVER_NAME: &str = "countersign";
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

impl Client {
    pub fn title(self) -> &'static str {
        match self {
            Self::ClaudeDesktop => "Claude Desktop",
            Self::Cursor => "Cursor",
            Self::Vscode => "VS Code",
        }
    }

    /// Where the configuration file lives on this platform.
    pub fn config_location(self) -> &'static str {
        match self {
            Self::ClaudeDesktop if cfg!(target_os = "macos") => {
                "~/Library/Application Support/Claude/claude_desktop_config.json"
            }
            Self::ClaudeDesktop if cfg!(windows) => r"%APPDATA%\Claude\claude_desktop_config.json",
            Self::ClaudeDesktop => "~/.config/Claude/claude_desktop_config.json",
            Self::Cursor => "~/.cursor/mcp.json (all projects) or .cursor/mcp.json (one project)",
            Self::Vscode => ".vscode/mcp.json in your workspace",
        }
    }
}

/// The command line a client runs to start the stdio server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StdioLaunch {
    /// Absolute path of the `countersign` executable.
    pub command: String,
    /// `mcp --profile NAME [--data-dir PATH]`.
    pub args: Vec<String>,
}

impl StdioLaunch {
    /// This executable, serving the context's profile.
    pub fn current(ctx: &Context) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let exe = std::fs::canonicalize(&exe).unwrap_or(exe);
        let mut args = vec!["mcp".to_owned()];
        args.extend(ctx.profile_args());
        Ok(Self {
            command: exe.display().to_string(),
            args,
        })
    }
}

/// The Streamable HTTP endpoint on loopback.
pub fn mcp_url(port: u16) -> String {
    format!("http://127.0.0.1:{port}/mcp")
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Claude Desktop launching `countersign mcp` over stdio.
pub fn claude_desktop_stdio(launch: &StdioLaunch) -> Value {
    json!({"mcpServers": {SERVER_NAME: {"command": launch.command, "args": launch.args}}})
}

/// Claude Desktop reaching the HTTP endpoint through the `mcp-remote` bridge (Node.js).
pub fn claude_desktop_http(url: &str, token: &str) -> Value {
    json!({"mcpServers": {SERVER_NAME: {
        "command": "npx",
        "args": ["-y", "mcp-remote", url, "--header", "Authorization:${COUNTERSIGN_AUTH}"],
        "env": {"COUNTERSIGN_AUTH": bearer(token)},
    }}})
}

/// Cursor launching `countersign mcp` over stdio.
pub fn cursor_stdio(launch: &StdioLaunch) -> Value {
    json!({"mcpServers": {SERVER_NAME: {"command": launch.command, "args": launch.args}}})
}

/// Cursor calling the HTTP endpoint with a bearer token.
pub fn cursor_http(url: &str, token: &str) -> Value {
    json!({"mcpServers": {SERVER_NAME: {"url": url, "headers": {"Authorization": bearer(token)}}}})
}

/// VS Code launching `countersign mcp` over stdio.
pub fn vscode_stdio(launch: &StdioLaunch) -> Value {
    json!({"servers": {SERVER_NAME: {"type": "stdio", "command": launch.command, "args": launch.args}}})
}

/// VS Code calling the HTTP endpoint; VS Code prompts for the token once and stores it itself.
pub fn vscode_http(url: &str) -> Value {
    json!({
        "servers": {SERVER_NAME: {
            "type": "http",
            "url": url,
            "headers": {"Authorization": "Bearer ${input:countersign-token}"},
        }},
        "inputs": [{
            "type": "promptString",
            "id": "countersign-token",
            "description": "Countersign MCP token",
            "password": true,
        }],
    })
}

/// The snippet for `client`: over HTTP when `http` is `Some((url, token))`, else over stdio.
pub fn snippet(client: Client, launch: &StdioLaunch, http: Option<(&str, &str)>) -> Value {
    match (client, http) {
        (Client::ClaudeDesktop, None) => claude_desktop_stdio(launch),
        (Client::ClaudeDesktop, Some((url, token))) => claude_desktop_http(url, token),
        (Client::Cursor, None) => cursor_stdio(launch),
        (Client::Cursor, Some((url, token))) => cursor_http(url, token),
        (Client::Vscode, None) => vscode_stdio(launch),
        (Client::Vscode, Some((url, _))) => vscode_http(url),
    }
}

/// Pretty-printed JSON.
pub fn pretty(v: &Value) -> String {
    format!("{v:#}")
}

/// `countersign connect`: the snippet on stdout (so it can be redirected into a file), the
/// explanation on stderr.
pub fn print(ctx: &Context, client: Client, http_port: Option<u16>) -> anyhow::Result<()> {
    let launch = StdioLaunch::current(ctx)?;
    let url = http_port.map(mcp_url);
    let http = url.as_deref().map(|u| (u, TOKEN_PLACEHOLDER));
    eprintln!(
        "# {} — put this in {} (merge it into the existing file if there is one):",
        client.title(),
        client.config_location()
    );
    println!("{}", pretty(&snippet(client, &launch, http)));
    match (client, http_port) {
        (_, None) => eprintln!(
            "# {} starts `countersign mcp` itself (stdio); restart it after saving. Over HTTP instead: `countersign connect {} --http`.",
            client.title(),
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
            client.title().to_lowercase().replace(' ', "-")
        ),
    }
    Ok(())
}

/// After `serve --new-token`: the configs of every known client, ready to paste, on stdout.
pub fn print_all(ctx: &Context, url: &str, token: &str) -> anyhow::Result<()> {
    let launch = StdioLaunch::current(ctx)?;
    println!(
        "\n# Claude Desktop — {} (Claude Desktop starts countersign itself; no token or server needed):",
        Client::ClaudeDesktop.config_location()
    );
    println!("{}", pretty(&claude_desktop_stdio(&launch)));
    println!("\n# Cursor — {}:", Client::Cursor.config_location());
    println!("{}", pretty(&cursor_http(url, token)));
    println!(
        "\n# VS Code — {} (paste the token when VS Code asks for it):",
        Client::Vscode.config_location()
    );
    println!("{}", pretty(&vscode_http(url)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch() -> StdioLaunch {
        StdioLaunch {
            command: r#"C:\Program Files\Counter "sign"\countersign.exe"#.into(),
            args: vec!["mcp".into(), "--profile".into(), "demo".into()],
        }
    }

    fn round_trip(v: &Value) -> Value {
        serde_json::from_str(&pretty(v)).expect("the printed snippet must be valid JSON")
    }

    #[test]
    fn claude_desktop_stdio_survives_quotes_and_backslashes_in_the_path() {
        let v = round_trip(&claude_desktop_stdio(&launch()));
        let server = &v["mcpServers"]["countersign"];
        assert_eq!(
            server["command"],
            launch().command,
            "the path must come back unchanged"
        );
        assert_eq!(server["args"], json!(["mcp", "--profile", "demo"]));
    }

    #[test]
    fn cursor_http_carries_the_bearer_token() {
        let v = round_trip(&cursor_http(&mcp_url(7499), "cst_abc"));
        let server = &v["mcpServers"]["countersign"];
        assert_eq!(server["url"], "http://127.0.0.1:7499/mcp");
        assert_eq!(server["headers"]["Authorization"], "Bearer cst_abc");
    }

    #[test]
    fn vscode_http_prompts_for_the_token_instead_of_embedding_it() {
        let v = round_trip(&snippet(
            Client::Vscode,
            &launch(),
            Some((&mcp_url(7431), "cst_secret")),
        ));
        assert!(
            !pretty(&v).contains("cst_secret"),
            "VS Code config must not embed the token"
        );
        let server = &v["servers"]["countersign"];
        assert_eq!(server["type"], "http");
        assert_eq!(server["url"], "http://127.0.0.1:7431/mcp");
        assert_eq!(
            server["headers"]["Authorization"],
            "Bearer ${input:countersign-token}"
        );
        assert_eq!(v["inputs"][0]["id"], "countersign-token");
        assert_eq!(v["inputs"][0]["type"], "promptString");
        assert_eq!(v["inputs"][0]["password"], true);
    }

    #[test]
    fn stdio_snippets_launch_the_same_command_everywhere() {
        for client in [Client::ClaudeDesktop, Client::Cursor, Client::Vscode] {
            let v = round_trip(&snippet(client, &launch(), None));
            let server = if client == Client::Vscode {
                assert_eq!(v["servers"]["countersign"]["type"], "stdio");
                &v["servers"]["countersign"]
            } else {
                &v["mcpServers"]["countersign"]
            };
            assert_eq!(server["command"], launch().command, "{client:?}");
            assert_eq!(
                server["args"][0], "mcp",
                "{client:?} must start the stdio server"
            );
        }
    }

    #[test]
    fn claude_desktop_http_goes_through_mcp_remote_with_the_token_in_env() {
        let v = round_trip(&claude_desktop_http(&mcp_url(7431), "cst_t"));
        let server = &v["mcpServers"]["countersign"];
        assert_eq!(server["command"], "npx");
        assert_eq!(server["args"][2], "http://127.0.0.1:7431/mcp");
        assert_eq!(server["env"]["COUNTERSIGN_AUTH"], "Bearer cst_t");
    }
}
