//! `cargo xtask run|test|bench`: what cargo alone cannot do — install what is missing on a
//! Debian/Ubuntu machine (wasm32 target, toolchain components, the Python venv with the official
//! MCP SDK, the MCP Inspector), build, and orchestrate. Every step says what it is doing and is
//! idempotent: a second run installs nothing.

mod bundle;
mod desktop;
mod setup;

use anyhow::{Context, Result, bail};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  run     open the desktop app on the demo desk (created if absent); without a display,
          seed the demo desk and serve MCP over HTTP on 127.0.0.1 (headless)
  build   the UI (wasm32) and the release desktop app with it embedded
          (target/release/countersign-desktop), and the release `countersign` CLI
  bundle  `build`, then the Debian package with the app and the CLI
          (target/bundle/deb/countersign_<version>_<arch>.deb), offline, with dpkg-deb;
          `bundle --debug` packages debug builds (quick, to check the packaging)
  test    fmt check, clippy -D warnings, the wasm32 check of the model, and every test,
          including the real-client tests (Python MCP SDK, MCP Inspector CLI) and the
          platform's tests on a throwaway PostgreSQL cluster (Debian's postgresql package)
  bench   the MCP benchmark: 100k customers + 1M invoices, stdio and HTTP, against the
          reference mcp-server-sqlite; prints its table
  bench-sync  the sync benchmark: a platform on a throwaway PostgreSQL with 100k customers,
          1M invoices and 50k tickets; initial sync, approve-to-visible latency, 50 desktops
          pushing, 500 event streams; prints its table (options: see tests/bench/sync/main.rs)
  bench-desktop  the desktop benchmark: the release app in a real window (Xvfb, WebDriver) on
          the 1M-invoice desk; start to the inbox, ticket open to the draft, and the memory of
          the app and its WebKit processes (options: see tests/bench/desktop/main.rs)";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("build") => build(),
        Some("bundle") => bundle(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("bench-sync") => bench_sync(&args[1..]),
        Some("bench-desktop") => bench_desktop(&args[1..]),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => {
            eprintln!("unknown command {other:?}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_owned()
}

/// Where cargo puts build output for this workspace.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Announces a step with the time since the first one, so a CI log shows where its time went.
pub fn step(what: &str) {
    static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let t = STARTED
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs();
    eprintln!("\x1b[1m==> [{}m{:02}s] {what}\x1b[0m", t / 60, t % 60);
}

/// Runs a command in the repository root, failing with its exit status.
pub fn cmd(program: &str, args: &[&str]) -> Result<()> {
    cmd_env(program, args, &[])
}

pub fn cmd_env(program: &str, args: &[&str], env: &[(&str, &dyn AsRef<OsStr>)]) -> Result<()> {
    let mut c = Command::new(program);
    c.args(args).current_dir(root());
    for (k, v) in env {
        c.env(k, v);
    }
    let status = c
        .status()
        .with_context(|| format!("cannot start `{program}`"))?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn test() -> Result<()> {
    let started = std::time::Instant::now();
    let tools = setup::ensure_test_tools()?;
    setup::ensure_desktop_tools()?;
    let cargo = cargo();
    step("cargo fmt --check");
    cmd(&cargo, &["fmt", "--all", "--check"])?;
    // Clippy -D warnings runs as the compiler of our own crates inside the builds below (what
    // `cargo clippy` does), so no dependency is compiled twice, once to lint and once to run.
    let lint = clippy_env();
    // The app embeds ui/dist at compile time, so the UI is built (and linted, on wasm32) first.
    desktop::build_ui(&cargo, &lint)?;
    step(&format!(
        "cargo build --workspace --all-targets --features {} (clippy -D warnings)",
        desktop::EMBED_FEATURE
    ));
    cmd_env(&cargo, &WORKSPACE_BUILD, &lint)?;
    let bin = target_dir().join("debug").join("countersign");
    let desktop_bin = target_dir().join("debug").join("countersign-desktop");
    // The package's layout and metadata are checked from the debug binaries (fast to build).
    let deb = bundle::deb("debug")?;
    let tauri_driver = setup::cargo_bin("tauri-driver")?;
    let screenshots = target_dir().join("screenshots");
    step("cargo test --workspace");
    let (passed, failed) = cargo_test(
        &cargo,
        &[
            lint[0],
            lint[1],
            ("COUNTERSIGN_BIN", &bin),
            ("COUNTERSIGN_DESKTOP_BIN", &desktop_bin),
            ("COUNTERSIGN_DEB", &deb),
            ("COUNTERSIGN_TAURI_DRIVER", &tauri_driver),
            ("COUNTERSIGN_SCREENSHOTS", &screenshots),
            ("COUNTERSIGN_PYTHON", &tools.python),
            ("COUNTERSIGN_INSPECTOR", &tools.inspector),
            ("COUNTERSIGN_CLIENTS", &root().join("tests").join("clients")),
        ],
    )?;
    step(&format!("all checks passed in {:.0?}", started.elapsed()));
    // One closing line for the whole run (cargo's last line is often an empty doc-test binary).
    println!("tests: {passed} passed, {failed} failed");
    Ok(())
}

/// Every target of every crate, as `cargo test` then reuses it: the binaries the end-to-end
/// tests drive (the app with its UI embedded), the tests and the benches.
const WORKSPACE_BUILD: [&str; 5] = [
    "build",
    "--workspace",
    "--all-targets",
    "--features",
    desktop::EMBED_FEATURE,
];

/// Runs our crates through clippy-driver with `-D warnings` (cargo passes the wrapper to the
/// workspace's crates only; dependencies compile as they always do).
fn clippy_env() -> [(&'static str, &'static dyn AsRef<OsStr>); 2] {
    [
        ("RUSTC_WORKSPACE_WRAPPER", &"clippy-driver"),
        (
            "CLIPPY_ARGS",
            &"-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
        ),
    ]
}

/// Runs `cargo test --workspace`, echoing its output, and sums the `test result:` lines.
fn cargo_test(cargo: &str, env: &[(&str, &dyn AsRef<OsStr>)]) -> Result<(u64, u64)> {
    use std::io::{BufRead, BufReader};
    let mut c = Command::new(cargo);
    c.args([
        "test",
        "--workspace",
        "--features",
        desktop::EMBED_FEATURE,
        "--",
        "--test-threads",
        "2",
    ])
    .current_dir(root())
    .stdout(std::process::Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().context("cannot start cargo test")?;
    let stdout = child.stdout.take().context("cargo test has no stdout")?;
    let (mut passed, mut failed) = (0, 0);
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        if let Some(rest) = line.strip_prefix("test result: ") {
            let count = |word: &str| -> u64 {
                rest.split(';')
                    .find_map(|part| {
                        part.trim()
                            .strip_suffix(word)?
                            .trim()
                            .rsplit(' ')
                            .next()?
                            .parse()
                            .ok()
                    })
                    .unwrap_or(0)
            };
            passed += count("passed");
            failed += count("failed");
        }
    }
    let status = child.wait()?;
    if !status.success() {
        println!("tests: {passed} passed, {failed} failed");
        bail!("`cargo test --workspace` failed ({status})");
    }
    Ok((passed, failed))
}

fn build() -> Result<()> {
    setup::ensure_desktop_tools()?;
    let cargo = cargo();
    let started = std::time::Instant::now();
    desktop::build_ui(&cargo, &[])?;
    let app = desktop::build_app(&cargo, true)?;
    step("cargo build --release -p countersign-cli");
    cmd(&cargo, &["build", "--release", "-p", "countersign-cli"])?;
    step(&format!(
        "built {} in {:.0?}",
        app.display(),
        started.elapsed()
    ));
    Ok(())
}

fn bundle(args: &[String]) -> Result<()> {
    match args {
        [] => {
            build()?;
            bundle::deb("release")?;
        }
        [flag] if flag == "--debug" => {
            setup::ensure_desktop_tools()?;
            let cargo = cargo();
            desktop::build_ui(&cargo, &[])?;
            desktop::build_app(&cargo, false)?;
            step("cargo build -p countersign-cli");
            cmd(&cargo, &["build", "-p", "countersign-cli"])?;
            bundle::deb("debug")?;
        }
        _ => bail!("usage: cargo xtask bundle [--debug]"),
    }
    Ok(())
}

fn run(args: &[String]) -> Result<()> {
    let cargo = cargo();
    if desktop::has_display() {
        setup::ensure_desktop_tools()?;
        desktop::build_ui(&cargo, &[])?;
        let app = desktop::build_app(&cargo, true)?;
        step("countersign-desktop (opens the demo desk; creates it the first time)");
        let app = app.to_str().context("target dir is not UTF-8")?;
        let pass: Vec<&str> = args.iter().map(String::as_str).collect();
        return cmd(app, &pass);
    }
    step(
        "no display (DISPLAY and WAYLAND_DISPLAY unset): starting the headless MCP server instead",
    );
    step("cargo build --release -p countersign-cli");
    cmd(&cargo, &["build", "--release", "-p", "countersign-cli"])?;
    let bin = target_dir().join("release").join("countersign");
    let bin = bin.to_str().context("target dir is not UTF-8")?;
    let mut pass: Vec<&str> = args.iter().map(String::as_str).collect();
    step("countersign demo (seeds the demo desk the first time; keeps it after)");
    let mut demo = pass.clone();
    demo.push("demo");
    cmd(bin, &demo)?;
    step("countersign serve --new-token \"cargo xtask run\"");
    pass.extend(["serve", "--new-token", "cargo xtask run"]);
    cmd(bin, &pass)
}

fn bench(args: &[String]) -> Result<()> {
    let peer = setup::ensure_bench_tools()?;
    let cargo = cargo();
    step("cargo build --release -p countersign-cli");
    cmd(&cargo, &["build", "--release", "-p", "countersign-cli"])?;
    let bin = target_dir().join("release").join("countersign");
    step("cargo bench -p countersign-e2e --bench mcp");
    let mut a = vec!["bench", "-p", "countersign-e2e", "--bench", "mcp", "--"];
    a.extend(args.iter().map(String::as_str));
    cmd_env(
        &cargo,
        &a,
        &[
            ("COUNTERSIGN_BIN", &bin),
            ("COUNTERSIGN_PEER_SQLITE", &peer),
        ],
    )
}

fn bench_sync(args: &[String]) -> Result<()> {
    setup::ensure_sync_bench_tools()?;
    let cargo = cargo();
    step("cargo build --release -p countersign-cli -p countersign-platform");
    cmd(
        &cargo,
        &[
            "build",
            "--release",
            "-p",
            "countersign-cli",
            "-p",
            "countersign-platform",
        ],
    )?;
    let bin = target_dir().join("release").join("countersign");
    step("cargo bench -p countersign-e2e --bench sync");
    let mut a = vec!["bench", "-p", "countersign-e2e", "--bench", "sync", "--"];
    a.extend(args.iter().map(String::as_str));
    cmd_env(&cargo, &a, &[("COUNTERSIGN_BIN", &bin)])
}

fn bench_desktop(args: &[String]) -> Result<()> {
    setup::ensure_desktop_tools()?;
    let cargo = cargo();
    desktop::build_ui(&cargo, &[])?;
    let app = desktop::build_app(&cargo, true)?;
    step("cargo build --release -p countersign-cli");
    cmd(&cargo, &["build", "--release", "-p", "countersign-cli"])?;
    let bin = target_dir().join("release").join("countersign");
    let tauri_driver = setup::cargo_bin("tauri-driver")?;
    let screenshots = target_dir().join("screenshots");
    step("cargo bench -p countersign-e2e --bench desktop");
    let mut a = vec!["bench", "-p", "countersign-e2e", "--bench", "desktop", "--"];
    a.extend(args.iter().map(String::as_str));
    cmd_env(
        &cargo,
        &a,
        &[
            ("COUNTERSIGN_BIN", &bin),
            ("COUNTERSIGN_DESKTOP_BIN", &app),
            ("COUNTERSIGN_TAURI_DRIVER", &tauri_driver),
            ("COUNTERSIGN_SCREENSHOTS", &screenshots),
        ],
    )
}
