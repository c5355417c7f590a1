//! The MCP Inspector CLI lists the tools over stdio and over HTTP with a bearer token.

use countersign_e2e::{Desk, run_with_deadline, tool};
use std::process::Command;
use std::time::Duration;

fn inspector(home: &std::path::Path) -> Command {
    let mut c = Command::new(tool("COUNTERSIGN_INSPECTOR"));
    // The Inspector keeps a catalog under HOME; keep it out of the user's.
    c.env("HOME", home).arg("--cli");
    c
}

fn tool_names(out: &std::process::Output) -> Vec<String> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "inspector failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("inspector output is not JSON ({e}):\n{stdout}"));
    let mut names: Vec<String> = v["tools"]
        .as_array()
        .expect("a tools array")
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn inspector_lists_the_tools_over_stdio() {
    let desk = Desk::demo(20, 100, 10).expect("demo desk");
    let home = tempfile::tempdir().unwrap();
    let mut c = inspector(home.path());
    c.arg(tool("COUNTERSIGN_BIN"))
        .arg("--data-dir")
        .arg(desk.data_dir())
        .arg("mcp")
        .args(["--method", "tools/list"]);
    let out = run_with_deadline(c, Duration::from_secs(90)).expect("inspector");
    assert_eq!(tool_names(&out), countersign_mcp::tool_names());
}

#[test]
fn inspector_lists_the_tools_over_http_with_a_bearer_token() {
    let desk = Desk::demo(20, 100, 10).expect("demo desk");
    let token = desk.token("read").expect("token");
    let server = desk.serve().expect("serve");
    let home = tempfile::tempdir().unwrap();
    let mut c = inspector(home.path());
    c.arg(server.url()).args([
        "--transport",
        "http",
        "--method",
        "tools/list",
        "--header",
        &format!("Authorization: Bearer {token}"),
    ]);
    let out = run_with_deadline(c, Duration::from_secs(90)).expect("inspector");
    assert_eq!(tool_names(&out), countersign_mcp::tool_names());
}
