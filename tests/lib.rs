//! Harness for the end-to-end tests and benchmarks: the real `countersign` binary in a temp data
//! directory, driven by real MCP clients. Paths to the binary and the client tools come from the
//! environment `cargo xtask test` sets; without them the tests say how to run them.

use anyhow::{Context, Result, bail};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

pub mod platform;

/// A path from the environment that `cargo xtask test` sets.
pub fn tool(var: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(p) => PathBuf::from(p),
        None => panic!(
            "{var} is not set: run the end-to-end tests with `cargo xtask test`, which installs the clients and sets it"
        ),
    }
}

/// A data directory with a seeded demo desk.
pub struct Desk {
    pub dir: TempDir,
}

impl Desk {
    /// Seeds a small demo profile through the CLI, as a user would.
    pub fn demo(customers: u32, invoices: u32, tickets: u32) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let desk = Self { dir };
        let out = desk.cli(&[
            "demo",
            "--customers",
            &customers.to_string(),
            "--invoices",
            &invoices.to_string(),
            "--tickets",
            &tickets.to_string(),
        ])?;
        if !out.status.success() {
            bail!(
                "countersign demo failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(desk)
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(tool("COUNTERSIGN_BIN"));
        c.arg("--data-dir").arg(self.dir.path());
        c
    }

    /// Runs `countersign --data-dir DIR <args>` to completion.
    pub fn cli(&self, args: &[&str]) -> Result<Output> {
        self.command()
            .args(args)
            .output()
            .context("run countersign")
    }

    /// Creates a token and returns its secret.
    pub fn token(&self, scope: &str) -> Result<String> {
        let out = self.cli(&[
            "token",
            "create",
            "--name",
            &format!("e2e {scope}"),
            "--scope",
            scope,
        ])?;
        if !out.status.success() {
            bail!(
                "token create failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .find(|w| w.starts_with("cst_"))
            .map(str::to_owned)
            .context("no cst_ secret in `token create` output")
    }

    /// Starts `countersign serve` on a free port and waits until it accepts connections.
    pub fn serve(&self) -> Result<Server> {
        let port = free_port()?;
        let child = self
            .command()
            .args(["serve", "--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("start countersign serve")?;
        let server = Server { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("countersign serve did not listen on {port} within 20 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(server)
    }
}

/// A running `countersign serve`; stopped (SIGTERM, then kill) when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/mcp", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Runs a command with a deadline, returning its output; kills it when the deadline passes.
pub fn run_with_deadline(mut c: Command, limit: Duration) -> Result<Output> {
    let child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("spawn")?;
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => Ok(out?),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &id.to_string()]).status();
            bail!("timed out after {limit:?}")
        }
    }
}

/// Where the benches keep their seeded desk between runs: `$COUNTERSIGN_BENCH_DIR`, else
/// `countersign-bench` in the temp dir. The MCP and desktop benches share it.
pub fn bench_dir() -> PathBuf {
    std::env::var_os("COUNTERSIGN_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("countersign-bench"))
}

/// Seeds the bench desk in `data_dir` with `countersign demo` (20 000 tickets), unless a desk of
/// this size was seeded there before (a marker file says so): seeding the 1M desk takes ~30 s.
pub fn seed_bench_desk(
    bin: &std::path::Path,
    data_dir: &std::path::Path,
    customers: u32,
    invoices: u32,
) -> Result<()> {
    let marker = data_dir.join(format!("seeded-{customers}-{invoices}"));
    if marker.exists() {
        eprintln!("reusing the seeded bench desk in {}", data_dir.display());
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(data_dir);
    let t = Instant::now();
    let status = Command::new(bin)
        .arg("--data-dir")
        .arg(data_dir)
        .args([
            "demo",
            "--customers",
            &customers.to_string(),
            "--invoices",
            &invoices.to_string(),
            "--tickets",
            "20000",
        ])
        .status()?;
    if !status.success() {
        bail!("seeding failed");
    }
    eprintln!(
        "seeded {customers} customers + {invoices} invoices in {:.1?}",
        t.elapsed()
    );
    std::fs::write(marker, "")?;
    Ok(())
}

/// A bench binary's options: `--name N` pairs, each name one of `known`, after dropping what
/// cargo adds (`--bench`, `--`). Unknown names and values that are not numbers are refused.
pub fn bench_options(known: &[&str]) -> Result<Vec<(String, u64)>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench" && a != "--")
        .collect();
    let mut out = vec![];
    let mut it = args.into_iter();
    while let Some(name) = it.next() {
        if !known.contains(&name.as_str()) {
            bail!("unknown option {name}; known: {}", known.join(" "));
        }
        let value = it
            .next()
            .with_context(|| format!("{name} needs a value"))?
            .parse()
            .with_context(|| format!("{name} needs a number"))?;
        out.push((name, value));
    }
    Ok(out)
}
