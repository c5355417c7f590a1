//! Installing what the tests and benchmarks need, idempotently, into a tools directory outside
//! the clone (`$COUNTERSIGN_TOOLS_DIR`, default `~/.cache/countersign/tools`).

use crate::{cmd, step};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The official Python MCP SDK, pinned.
const PY_MCP: &str = "mcp==2.3.0";
const PY_JSONSCHEMA: &str = "jsonschema==4.26.0";
/// A real SMTP server for the platform's email tests (`tests/clients/smtp_server.py`).
const PY_AIOSMTPD: &str = "aiosmtpd==1.4.6";
/// The MCP Inspector, pinned.
const INSPECTOR: &str = "@modelcontextprotocol/inspector@2.12.0";
/// The reference SQLite MCP server the benchmark compares against, with the `mcp<2` it needs.
const PEER_SQLITE: [&str; 2] = ["mcp-server-sqlite==2025.4.25", "mcp==1.27.0"];

pub struct TestTools {
    pub python: PathBuf,
    pub inspector: PathBuf,
}

pub fn tools_dir() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("COUNTERSIGN_TOOLS_DIR") {
        return Ok(d.into());
    }
    let home = std::env::var_os("HOME").context("HOME is not set; set COUNTERSIGN_TOOLS_DIR")?;
    Ok(PathBuf::from(home)
        .join(".cache")
        .join("countersign")
        .join("tools"))
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|s| s.success())
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let o = Command::new(program).args(args).output().ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// Debian packages, installed only when a needed program is missing.
fn ensure_apt(programs_and_packages: &[(&str, &str)]) -> Result<()> {
    let missing: Vec<&str> = programs_and_packages
        .iter()
        .filter(|(program, _)| !have(program))
        .map(|(_, pkg)| *pkg)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !have("apt-get") {
        bail!(
            "missing {}; install them with your package manager",
            missing.join(", ")
        );
    }
    step(&format!("apt-get install {}", missing.join(" ")));
    let sudo = if output("id", &["-u"]).is_some_and(|u| u.trim() == "0") {
        vec![]
    } else {
        vec!["sudo"]
    };
    let run = |args: &[&str]| -> Result<()> {
        let mut all: Vec<&str> = sudo.clone();
        all.extend_from_slice(args);
        cmd(all[0], &all[1..])
    };
    run(&["apt-get", "update", "-qq"])?;
    let mut install = vec!["apt-get", "install", "-y", "-qq", "--no-install-recommends"];
    install.extend(&missing);
    run(&install)
}

fn ensure_rust_parts() -> Result<()> {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        step("rustup target add wasm32-unknown-unknown");
        cmd("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    let components = output("rustup", &["component", "list", "--installed"]).unwrap_or_default();
    for c in ["clippy", "rustfmt"] {
        if !components.lines().any(|l| l.starts_with(c)) {
            step(&format!("rustup component add {c}"));
            cmd("rustup", &["component", "add", c])?;
        }
    }
    Ok(())
}

/// A venv at `dir` with `packages` installed (pip is skipped when they already are).
fn ensure_venv(dir: &Path, packages: &[&str]) -> Result<PathBuf> {
    let python = dir.join("bin").join("python");
    if !python.exists() {
        step(&format!("python3 -m venv {}", dir.display()));
        cmd(
            "python3",
            &["-m", "venv", dir.to_str().context("path is not UTF-8")?],
        )?;
    }
    let py = python.to_str().context("path is not UTF-8")?;
    let frozen = output(py, &["-m", "pip", "freeze"]).unwrap_or_default();
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| !frozen.lines().any(|l| l.eq_ignore_ascii_case(p)))
        .collect();
    if !missing.is_empty() {
        step(&format!("pip install {}", missing.join(" ")));
        let mut args = vec![
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ];
        args.extend(&missing);
        cmd(py, &args)?;
    }
    Ok(python)
}

fn ensure_inspector(dir: &Path) -> Result<PathBuf> {
    let bin = dir.join("node_modules").join(".bin").join("mcp-inspector");
    let pinned = dir.join(".installed");
    if bin.exists() && std::fs::read_to_string(&pinned).is_ok_and(|v| v == INSPECTOR) {
        return Ok(bin);
    }
    step(&format!("npm install {INSPECTOR}"));
    std::fs::create_dir_all(dir)?;
    let d = dir.to_str().context("path is not UTF-8")?;
    cmd(
        "npm",
        &[
            "install",
            "--prefix",
            d,
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            INSPECTOR,
        ],
    )?;
    std::fs::write(&pinned, INSPECTOR)?;
    Ok(bin)
}

/// Whether Debian's PostgreSQL server binaries are installed (they are not on PATH).
fn have_postgresql() -> bool {
    std::fs::read_dir("/usr/lib/postgresql").is_ok_and(|versions| {
        versions
            .flatten()
            .any(|v| v.path().join("bin").join("initdb").exists())
    })
}

/// The platform's tests start a throwaway PostgreSQL cluster themselves; they need its binaries.
fn ensure_postgresql() -> Result<()> {
    if have_postgresql() || std::env::var_os("COUNTERSIGN_TEST_DATABASE_URL").is_some() {
        return Ok(());
    }
    // The server binaries are off PATH: `command -v` on the glob checks for them directly.
    ensure_apt(&[("/usr/lib/postgresql/*/bin/initdb", "postgresql")])?;
    if !have_postgresql() {
        bail!("installed postgresql but found no /usr/lib/postgresql/*/bin/initdb");
    }
    Ok(())
}

pub fn ensure_test_tools() -> Result<TestTools> {
    step("checking tools (installs only what is missing)");
    ensure_apt(&[
        ("python3", "python3"),
        ("npm", "npm"),
        ("node", "nodejs"),
        ("cc", "build-essential"),
        ("pkg-config", "pkg-config"),
        // The sync tests give desktops a real OS keyring: a session bus and GNOME Keyring.
        ("dbus-daemon", "dbus-daemon"),
        ("dbus-send", "dbus-bin"),
        ("gnome-keyring-daemon", "gnome-keyring"),
    ])?;
    // The desk reaches the platform over HTTPS with the system's OpenSSL.
    if !Path::new("/usr/include/openssl/ssl.h").exists() {
        ensure_apt(&[("/nonexistent", "libssl-dev")])?;
    }
    ensure_postgresql()?;
    ensure_rust_parts()?;
    let dir = tools_dir()?;
    let python = ensure_venv(&dir.join("py"), &[PY_MCP, PY_JSONSCHEMA, PY_AIOSMTPD])?;
    let inspector = ensure_inspector(&dir.join("npm"))?;
    Ok(TestTools { python, inspector })
}

/// What the sync benchmark needs: PostgreSQL for its platform, a session bus and GNOME Keyring
/// for its desks' tokens.
pub fn ensure_sync_bench_tools() -> Result<()> {
    ensure_apt(&[
        ("dbus-daemon", "dbus-daemon"),
        ("dbus-send", "dbus-bin"),
        ("gnome-keyring-daemon", "gnome-keyring"),
    ])?;
    ensure_postgresql()
}

/// The reference server's launcher, in its own venv (it needs `mcp<2`).
pub fn ensure_bench_tools() -> Result<PathBuf> {
    // vmtouch holds the bench's database files in memory while it runs.
    ensure_apt(&[("python3", "python3"), ("vmtouch", "vmtouch")])?;
    let dir = tools_dir()?.join("peer-sqlite");
    let python = ensure_venv(&dir, &PEER_SQLITE)?;
    Ok(python.with_file_name("mcp-server-sqlite"))
}

/// Debian packages the desktop build and its window tests need (Tauri's libraries, a virtual X
/// server, WebKit's WebDriver, ImageMagick for screenshots).
const DESKTOP_DEBS: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "file",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "pkg-config",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "imagemagick",
];
/// tauri-driver, pinned (it bridges WebDriver to WebKitWebDriver).
const TAURI_DRIVER: (&str, &str) = ("tauri-driver", "2.1.0");

fn deb_installed(pkg: &str) -> bool {
    output("dpkg-query", &["-W", "-f=${Status}", pkg]).is_some_and(|s| s.contains("ok installed"))
}

/// The version of `krate` that Cargo.lock pins.
fn locked_version(krate: &str) -> Result<String> {
    let lock = std::fs::read_to_string(crate::root().join("Cargo.lock"))?;
    let needle = format!("name = \"{krate}\"\nversion = \"");
    let at = lock
        .find(&needle)
        .with_context(|| format!("{krate} is not in Cargo.lock"))?
        + needle.len();
    Ok(lock[at..].split('"').next().unwrap_or_default().to_owned())
}

/// `cargo install NAME --version V` unless `cargo install --list` already has exactly it.
fn ensure_cargo_install(name: &str, version: &str, locked: bool) -> Result<()> {
    let list = output("cargo", &["install", "--list"]).unwrap_or_default();
    if list.lines().any(|l| l == format!("{name} v{version}:")) {
        return Ok(());
    }
    step(&format!("cargo install {name} --version {version}"));
    let mut args = vec!["install", name, "--version", version];
    if locked {
        args.push("--locked");
    }
    cmd("cargo", &args)
}

/// What building the desktop app and driving its window need, installed idempotently.
pub fn ensure_desktop_tools() -> Result<()> {
    let missing: Vec<&str> = DESKTOP_DEBS
        .iter()
        .copied()
        .filter(|p| !deb_installed(p))
        .collect();
    if !missing.is_empty() {
        // Already known to be missing: pair each with a program that is never on PATH.
        let programs: Vec<(&str, &str)> = missing.iter().map(|p| ("/nonexistent", *p)).collect();
        ensure_apt(&programs)?;
    }
    ensure_rust_parts()?;
    // Must equal the wasm-bindgen crate's version; it installs only without --locked.
    ensure_cargo_install("wasm-bindgen-cli", &locked_version("wasm-bindgen")?, false)?;
    ensure_cargo_install(TAURI_DRIVER.0, TAURI_DRIVER.1, true)
}

/// A program `cargo install` put in `~/.cargo/bin` (or wherever `CARGO_HOME` points).
pub fn cargo_bin(name: &str) -> Result<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    Ok(home.join("bin").join(name))
}
