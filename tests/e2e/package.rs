//! The Debian package `cargo xtask bundle` builds (CI builds it from the debug binaries): its
//! metadata, its files, and the CLI it carries serving MCP over stdio as an assistant launches it.

use anyhow::{Context, Result, bail, ensure};
use countersign_e2e::tool;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

fn dpkg_deb(args: &[&str]) -> Result<String> {
    let out = Command::new("dpkg-deb").args(args).output()?;
    ensure!(
        out.status.success(),
        "dpkg-deb {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

fn field<'a>(control: &'a str, name: &str) -> Result<&'a str> {
    control
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
        .with_context(|| format!("no {name} field in\n{control}"))
}

#[test]
fn the_package_describes_itself_and_depends_on_what_it_links() -> Result<()> {
    let deb = tool("COUNTERSIGN_DEB");
    let deb = deb.to_str().context("path not UTF-8")?;
    let control = dpkg_deb(&["--field", deb])?;
    assert_eq!(field(&control, "Package")?, "countersign");
    assert_eq!(field(&control, "Version")?, env!("CARGO_PKG_VERSION"));
    let depends = field(&control, "Depends")?;
    for lib in ["libwebkit2gtk-4.1-0", "libgtk-3-0", "libssl3", "libc6"] {
        assert!(
            depends.split(',').any(|d| d.trim().starts_with(lib)),
            "Depends lacks {lib}: {depends}"
        );
    }
    let contents = dpkg_deb(&["--contents", deb])?;
    for line in contents.lines() {
        assert!(line.contains(" root/root "), "not owned by root: {line}");
    }
    Ok(())
}

#[test]
fn the_package_carries_the_app_the_cli_and_the_launcher() -> Result<()> {
    let deb = tool("COUNTERSIGN_DEB");
    let root = tempfile::tempdir()?;
    dpkg_deb(&[
        "--extract",
        deb.to_str().context("path not UTF-8")?,
        root.path().to_str().context("path not UTF-8")?,
    ])?;
    for file in [
        "usr/bin/countersign",
        "usr/bin/countersign-desktop",
        "usr/share/icons/hicolor/128x128/apps/countersign.png",
        "usr/share/doc/countersign/copyright",
    ] {
        assert!(root.path().join(file).is_file(), "{file} is not packaged");
    }
    let entry = std::fs::read_to_string(
        root.path()
            .join("usr/share/applications/countersign.desktop"),
    )?;
    assert!(entry.contains("\nExec=countersign-desktop\n"), "{entry}");
    assert!(entry.contains("\nIcon=countersign\n"), "{entry}");
    let desktop = Command::new(root.path().join("usr/bin/countersign-desktop"))
        .arg("--help")
        .output()?;
    assert!(
        desktop.status.success(),
        "countersign-desktop --help failed"
    );
    assert!(String::from_utf8_lossy(&desktop.stdout).contains("--profile"));
    serves_mcp_over_stdio(&root.path().join("usr/bin/countersign"))
}

/// Seeds a small desk with the packaged CLI, then starts `countersign mcp` the way an
/// assistant does and lists the tools.
fn serves_mcp_over_stdio(cli: &Path) -> Result<()> {
    let data = tempfile::tempdir()?;
    let data_dir = data.path().to_str().context("path not UTF-8")?;
    let seeded = Command::new(cli)
        .args(["demo", "--data-dir", data_dir])
        .args(["--customers", "20", "--invoices", "40", "--tickets", "5"])
        .output()?;
    ensure!(
        seeded.status.success(),
        "packaged `countersign demo` failed: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let mut child = Command::new(cli)
        .args(["mcp", "--data-dir", data_dir])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut stdin = child.stdin.take().context("no stdin")?;
    let mut stdout = BufReader::new(child.stdout.take().context("no stdout")?);
    let mut ask = |msg: Value| -> Result<Option<Value>> {
        writeln!(stdin, "{msg}")?;
        stdin.flush()?;
        if msg.get("id").is_none() {
            return Ok(None);
        }
        let mut line = String::new();
        if stdout.read_line(&mut line)? == 0 {
            bail!("the packaged server closed stdout");
        }
        Ok(Some(serde_json::from_str(&line)?))
    };
    let init = ask(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "package-test", "version": "1"}}}),
    )?
    .context("no answer to initialize")?;
    assert_eq!(
        init["result"]["serverInfo"]["name"], "countersign",
        "{init}"
    );
    ask(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))?;
    let tools = ask(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}))?
        .context("no answer to tools/list")?;
    let mut names: Vec<String> = tools["result"]["tools"]
        .as_array()
        .context("no tools")?
        .iter()
        .filter_map(|t| t["name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    assert_eq!(
        names,
        countersign_mcp::tool_names(),
        "the installed CLI serves every tool"
    );
    drop(stdin);
    child.wait()?;
    Ok(())
}
