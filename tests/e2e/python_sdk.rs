//! The official Python MCP SDK against the real binary (script: tests/clients/check_mcp.py).

use countersign_e2e::{Desk, run_with_deadline, tool};
use std::process::Command;
use std::time::Duration;

fn script() -> std::path::PathBuf {
    tool("COUNTERSIGN_CLIENTS").join("check_mcp.py")
}

fn assert_passed(out: &std::process::Output) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains(" passed, 0 failed"),
        "Python SDK checks failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}

/// The tools the client must find: the server's declared list, comma-separated.
fn tools() -> String {
    countersign_mcp::tool_names().join(",")
}

#[test]
fn python_sdk_over_stdio() {
    let desk = Desk::demo(60, 600, 60).expect("demo desk");
    let mut c = Command::new(tool("COUNTERSIGN_PYTHON"));
    c.arg(script())
        .args(["--tools", &tools()])
        .arg("stdio")
        .arg("--bin")
        .arg(tool("COUNTERSIGN_BIN"))
        .arg("--data-dir")
        .arg(desk.data_dir());
    let out = run_with_deadline(c, Duration::from_secs(120)).expect("python client");
    assert_passed(&out);
}

#[test]
fn python_sdk_over_http() {
    let desk = Desk::demo(60, 600, 60).expect("demo desk");
    let draft = desk.token("draft").expect("draft token");
    let read = desk.token("read").expect("read token");
    let server = desk.serve().expect("serve");
    let mut c = Command::new(tool("COUNTERSIGN_PYTHON"));
    c.arg(script()).args([
        "--tools",
        &tools(),
        "http",
        "--url",
        &server.url(),
        "--token",
        &draft,
        "--read-token",
        &read,
    ]);
    let out = run_with_deadline(c, Duration::from_secs(120)).expect("python client");
    assert_passed(&out);
}
