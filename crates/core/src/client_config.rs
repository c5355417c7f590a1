//! Ready-to-paste MCP client configurations for a desk's HTTP endpoint: Claude Desktop (through
//! the `mcp-remote` bridge), Cursor, and VS Code (which asks for the token itself, so the secret
//! never lands in a workspace file).

use countersign_model::ipc::ConfigSnippet;
use serde_json::json;

/// The server's name in every client's configuration.
pub const SERVER_NAME: &str = "countersign";

/// One snippet per client for `url`, authenticating with `token`.
pub fn http_snippets(url: &str, token: &str) -> Vec<ConfigSnippet> {
    let bearer = format!("Bearer {token}");
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap_or_default();
    vec![
        ConfigSnippet {
            client: "Claude Desktop".into(),
            file: "~/.config/Claude/claude_desktop_config.json".into(),
            text: pretty(json!({"mcpServers": {SERVER_NAME: {
                "command": "npx",
                "args": ["-y", "mcp-remote", url, "--header", "Authorization:${COUNTERSIGN_AUTH}"],
                "env": {"COUNTERSIGN_AUTH": bearer},
            }}})),
        },
        ConfigSnippet {
            client: "Cursor".into(),
            file: "~/.cursor/mcp.json".into(),
            text: pretty(json!({"mcpServers": {SERVER_NAME: {
                "url": url, "headers": {"Authorization": bearer},
            }}})),
        },
        ConfigSnippet {
            client: "VS Code".into(),
            file: ".vscode/mcp.json".into(),
            text: pretty(json!({
                "servers": {SERVER_NAME: {
                    "type": "http", "url": url,
                    "headers": {"Authorization": "Bearer ${input:countersign-token}"},
                }},
                "inputs": [{"type": "promptString", "id": "countersign-token",
                            "description": "Countersign MCP token", "password": true}],
            })),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_files_meant_to_hold_the_token_hold_it() {
        let s = http_snippets("http://127.0.0.1:7431/mcp", "cst_secret");
        assert_eq!(s.len(), 3);
        assert!(s[0].text.contains("cst_secret") && s[1].text.contains("cst_secret"));
        assert!(
            !s[2].text.contains("cst_secret"),
            "VS Code prompts for the token; a workspace file must not carry it"
        );
        for snippet in &s {
            let v: serde_json::Value = serde_json::from_str(&snippet.text).unwrap();
            assert!(
                v.to_string().contains("127.0.0.1:7431/mcp"),
                "{} names the endpoint",
                snippet.client
            );
        }
    }
}
