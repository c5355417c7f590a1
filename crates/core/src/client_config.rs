//! Ready-to-paste MCP client configurations (Claude Desktop, Cursor, VS Code), for the CLI's
//! `connect` and the desktop's Settings alike. The snippets are JSON values built by pure
//! functions, never by string concatenation, so paths and tokens with quotes or backslashes
//! stay valid JSON.
//!
//! The recommended way is stdio: the assistant starts `countersign mcp` itself, with no token,
//! no server and no Node.js. HTTP (with a bearer token) is for clients that want a URL.

use countersign_model::ipc::ConfigSnippet;
use serde_json::{Value, json};

/// The server's name in every client's configuration.
pub const SERVER_NAME: &str = "countersign";

/// An MCP client with a known configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    ClaudeDesktop,
    Cursor,
    Vscode,
}

impl Client {
    pub const ALL: [Client; 3] = [Client::ClaudeDesktop, Client::Cursor, Client::Vscode];

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

/// The Streamable HTTP endpoint on loopback.
pub fn mcp_url(port: u16) -> String {
    format!("http://127.0.0.1:{port}/mcp")
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// `client` launching `countersign mcp` over stdio.
pub fn stdio(client: Client, launch: &StdioLaunch) -> Value {
    match client {
        Client::ClaudeDesktop | Client::Cursor => {
            json!({"mcpServers": {SERVER_NAME: {"command": launch.command, "args": launch.args}}})
        }
        Client::Vscode => json!({"servers": {SERVER_NAME: {
            "type": "stdio", "command": launch.command, "args": launch.args,
        }}}),
    }
}

/// `client` calling the HTTP endpoint `url` with `token`. Claude Desktop goes through the
/// `mcp-remote` bridge (Node.js); VS Code prompts for the token once and keeps it itself, so the
/// secret never lands in a workspace file.
pub fn http(client: Client, url: &str, token: &str) -> Value {
    match client {
        Client::ClaudeDesktop => json!({"mcpServers": {SERVER_NAME: {
            "command": "npx",
            "args": ["-y", "mcp-remote", url, "--header", "Authorization:${COUNTERSIGN_AUTH}"],
            "env": {"COUNTERSIGN_AUTH": bearer(token)},
        }}}),
        Client::Cursor => {
            json!({"mcpServers": {SERVER_NAME: {"url": url, "headers": {"Authorization": bearer(token)}}}})
        }
        Client::Vscode => json!({
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
        }),
    }
}

/// Pretty-printed JSON.
pub fn pretty(v: &Value) -> String {
    format!("{v:#}")
}

fn snippet(client: Client, v: &Value) -> ConfigSnippet {
    ConfigSnippet {
        client: client.title().into(),
        file: client.config_location().into(),
        text: pretty(v),
    }
}

/// The recommended configuration of every client: stdio, nothing to run, no token.
pub fn stdio_snippets(launch: &StdioLaunch) -> Vec<ConfigSnippet> {
    Client::ALL
        .iter()
        .map(|c| snippet(*c, &stdio(*c, launch)))
        .collect()
}

/// A token's configurations, for the clients that call a URL (Cursor, VS Code): Claude Desktop
/// is better served by stdio ([`stdio_snippets`]) than by a Node.js bridge.
pub fn http_snippets(url: &str, token: &str) -> Vec<ConfigSnippet> {
    [Client::Cursor, Client::Vscode]
        .iter()
        .map(|c| snippet(*c, &http(*c, url, token)))
        .collect()
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
    fn stdio_snippets_launch_the_same_command_everywhere_whatever_the_path_holds() {
        for client in Client::ALL {
            let v = round_trip(&stdio(client, &launch()));
            let server = if client == Client::Vscode {
                assert_eq!(v["servers"]["countersign"]["type"], "stdio");
                &v["servers"]["countersign"]
            } else {
                &v["mcpServers"]["countersign"]
            };
            assert_eq!(server["command"], launch().command, "{client:?}");
            assert_eq!(server["args"], json!(["mcp", "--profile", "demo"]));
        }
        assert_eq!(stdio_snippets(&launch()).len(), 3);
    }

    #[test]
    fn cursor_http_carries_the_bearer_token() {
        let v = round_trip(&http(Client::Cursor, &mcp_url(7499), "cst_abc"));
        let server = &v["mcpServers"]["countersign"];
        assert_eq!(server["url"], "http://127.0.0.1:7499/mcp");
        assert_eq!(server["headers"]["Authorization"], "Bearer cst_abc");
    }

    #[test]
    fn vscode_http_prompts_for_the_token_instead_of_embedding_it() {
        let v = round_trip(&http(Client::Vscode, &mcp_url(7431), "cst_secret"));
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
        assert_eq!(v["inputs"][0]["password"], true);
    }

    #[test]
    fn claude_desktop_http_goes_through_mcp_remote_with_the_token_in_env() {
        let v = round_trip(&http(Client::ClaudeDesktop, &mcp_url(7431), "cst_t"));
        let server = &v["mcpServers"]["countersign"];
        assert_eq!(server["command"], "npx");
        assert_eq!(server["args"][2], "http://127.0.0.1:7431/mcp");
        assert_eq!(server["env"]["COUNTERSIGN_AUTH"], "Bearer cst_t");
    }

    #[test]
    fn a_tokens_snippets_are_for_url_clients_and_only_cursors_holds_the_token() {
        let s = http_snippets("http://127.0.0.1:7431/mcp", "cst_secret");
        let clients: Vec<&str> = s.iter().map(|s| s.client.as_str()).collect();
        assert_eq!(clients, ["Cursor", "VS Code"]);
        assert!(s[0].text.contains("cst_secret"));
        assert!(
            !s[1].text.contains("cst_secret"),
            "VS Code prompts for the token; a workspace file must not carry it"
        );
    }
}
