//! Desktop benchmark: the release app (`countersign-desktop`, UI embedded) in a real window under
//! Xvfb, driven through tauri-driver + WebKitWebDriver, on the 100k-customer / 1M-invoice desk.
//! It measures what a person waits for and what the desk costs the machine:
//!
//! - **start**: from the WebDriver session request (which launches the app) to the first inbox
//!   row on screen, `--starts` times, each a fresh process (the first may also start with the
//!   OS page cache dropped: `--drop-caches 1`, root only);
//! - **ticket open**: from the click on an inbox row to the ticket's draft (or its "Draft with
//!   AI" card) in the DOM, and to the next frame painted after it, timed inside the page, for
//!   `--open` tickets one after another;
//! - **memory**: after those tickets, the resident memory of the app and every process it
//!   started (WebKit's web and network processes), per process and by kind of mapping.
//!
//! Run with `cargo xtask bench-desktop` (it builds the release app and CLI and installs the
//! driver). Options after `--`: `--customers N --invoices N --starts N --open N --drop-caches 0|1`.

// The window harness of the end-to-end tests, shared: the bench drives only part of it.
#[allow(
    dead_code,
    reason = "the bench uses part of the end-to-end tests' window"
)]
#[path = "../../e2e/desktop/window.rs"]
mod window;

use anyhow::{Context, Result, bail};
use countersign_e2e::tool;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use window::Window;

/// The targets of issue 15.
const START_TARGET: Duration = Duration::from_secs(1);
const OPEN_TARGET: Duration = Duration::from_millis(100);
const RSS_TARGET_MIB: f64 = 200.0;

struct Opts {
    customers: u32,
    invoices: u32,
    starts: usize,
    open: usize,
    drop_caches: bool,
}

fn opts() -> Result<Opts> {
    let mut o = Opts {
        customers: 100_000,
        invoices: 1_000_000,
        starts: 5,
        open: 50,
        drop_caches: false,
    };
    for (name, v) in countersign_e2e::bench_options(&[
        "--customers",
        "--invoices",
        "--starts",
        "--open",
        "--drop-caches",
    ])? {
        match name.as_str() {
            "--customers" => o.customers = u32::try_from(v)?,
            "--invoices" => o.invoices = u32::try_from(v)?,
            "--starts" => o.starts = usize::try_from(v)?.max(1),
            "--open" => o.open = usize::try_from(v)?.max(1),
            _ => o.drop_caches = v != 0,
        }
    }
    Ok(o)
}

/// Clicks the row of `ticket` and resolves, inside the page, when the ticket's header and its
/// draft card (or the card offering one) are in the DOM, then again two animation frames later
/// (the first runs before the next paint, the second after it): `[in_dom_ms, painted_ms]`.
const OPEN_TICKET: &str = r#"
const id = arguments[0];
const done = arguments[arguments.length - 1];
const ready = () =>
    document.querySelector(`.ticket-head[data-ticket="${id}"]`) &&
    document.querySelector('#ticket-view .card.draft, #ticket-view #no-draft');
let finished = false;
const obs = new MutationObserver(() => { if (ready()) finish(); });
const t0 = performance.now();
function finish() {
    if (finished) return;
    finished = true;
    obs.disconnect();
    const dom = performance.now() - t0;
    requestAnimationFrame(() => requestAnimationFrame(() => done([dom, performance.now() - t0])));
}
obs.observe(document.body, { childList: true, subtree: true, attributes: true });
document.getElementById(`row-${id}`).click();
setTimeout(() => { if (!finished) { finished = true; obs.disconnect(); done(null); } }, 10000);
"#;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let o = opts()?;
    let bin = tool("COUNTERSIGN_BIN");
    let app = tool("COUNTERSIGN_DESKTOP_BIN");
    let data_dir = countersign_e2e::bench_dir();
    countersign_e2e::seed_bench_desk(&bin, &data_dir, o.customers, o.invoices)?;
    let db = data_dir.join("profiles/demo/desk.sqlite3");
    let db_mib = std::fs::metadata(&db)?.len() as f64 / 1048576.0;

    println!(
        "\nCountersign desktop benchmark: {} customers, {} invoices, 20 000 tickets ({db_mib:.0} MiB desk)",
        o.customers, o.invoices
    );
    println!(
        "machine: {} cores, {}; app: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
        app.display()
    );

    // Start: a fresh process each time, the last one kept for the rest.
    println!("\n| start | session request → first inbox row (ms) | page cache |");
    println!("|-------|----------------------------------------|------------|");
    let mut starts = Vec::new();
    let mut kept = None;
    for i in 0..o.starts {
        let cache = if i == 0 && o.drop_caches {
            drop_caches()?;
            "dropped"
        } else {
            "warm"
        };
        let w = Window::open(&data_dir).await?;
        println!(
            "| {:>5} | {:>38.0} | {cache:<10} |",
            i + 1,
            ms(w.started_in)
        );
        starts.push(w.started_in);
        if i + 1 == o.starts {
            kept = Some(w);
        } else {
            w.close().await?;
        }
    }
    let w = kept.context("at least one start")?;

    // Ticket open, the inbox's rows in order.
    let rows = w
        .client
        .execute(
            "return Array.from(document.querySelectorAll('#inbox-rows .row')).map(r => r.id.slice(4));",
            vec![],
        )
        .await?;
    let ids: Vec<String> = serde_json::from_value(rows)?;
    if ids.len() < 2 {
        bail!(
            "the inbox shows {} rows; the bench needs two at least",
            ids.len()
        );
    }
    let mut dom = Vec::new();
    let mut painted = Vec::new();
    for id in ids.iter().cycle().take(o.open) {
        // Reopening the ticket already open would measure nothing: close it first.
        if w.client
            .execute(
                "return !!document.querySelector(`.ticket-head[data-ticket=\"${arguments[0]}\"]`);",
                vec![json!(id)],
            )
            .await?
            == Value::Bool(true)
        {
            w.client
                .execute(
                    "document.querySelector('.ticket-head .close').click();",
                    vec![],
                )
                .await?;
            w.wait_gone(".ticket-head", Duration::from_secs(10)).await?;
        }
        let t = w.client.execute_async(OPEN_TICKET, vec![json!(id)]).await?;
        let [d, p]: [f64; 2] = serde_json::from_value(t)
            .with_context(|| format!("ticket {id} did not open within 10 s"))?;
        dom.push(Duration::from_secs_f64(d / 1000.0));
        painted.push(Duration::from_secs_f64(p / 1000.0));
    }
    // What is left running a moment after the last ticket, as a person would leave it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let family = app_family(&app)?;
    w.screenshot("bench-desktop-last-ticket").await?;

    println!(
        "\n| ticket open ({} tickets)        | p50 ms | p95 ms | max ms |",
        o.open
    );
    println!("|----------------------------------|--------|--------|--------|");
    for (what, xs) in [
        ("click → draft in the DOM", &dom),
        ("click → frame painted", &painted),
    ] {
        let s = sorted(xs);
        println!(
            "| {what:<32} | {:>6.1} | {:>6.1} | {:>6.1} |",
            ms(pct(&s, 50)),
            ms(pct(&s, 95)),
            ms(*s.last().unwrap_or(&Duration::ZERO))
        );
    }

    println!(
        "\n| process (after {} tickets)  | pid     | RSS MiB | anon | file | shmem | PSS MiB |",
        o.open
    );
    println!("|-----------------------------|---------|---------|------|------|-------|---------|");
    let mut total = Memory::default();
    let mut kinds: BTreeMap<&'static str, f64> = BTreeMap::new();
    for p in &family {
        let m = &p.memory;
        println!(
            "| {:<27} | {:>7} | {:>7.1} | {:>4.0} | {:>4.0} | {:>5.0} | {:>7.1} |",
            p.name, p.pid, m.rss, m.anon, m.file, m.shmem, m.pss
        );
        total.add(m);
        for (k, v) in &p.kinds {
            *kinds.entry(k).or_default() += v;
        }
    }
    println!(
        "| {:<27} | {:>7} | {:>7.1} | {:>4.0} | {:>4.0} | {:>5.0} | {:>7.1} |",
        "total", "", total.rss, total.anon, total.file, total.shmem, total.pss
    );
    println!("\n| resident by kind of mapping (all processes) | PSS MiB |");
    println!("|----------------------------------------------|---------|");
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (k, v) in kinds {
        println!("| {k:<44} | {v:>7.1} |");
    }
    w.close().await?;

    let start = sorted(&starts);
    let open = sorted(&painted);
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!(
        "\ntargets: start p50 {:.0} ms < {} ms: {}; ticket open p50 {:.1} ms < {} ms: {}; RSS {:.0} MiB (PSS {:.0}) < {RSS_TARGET_MIB} MiB: {}",
        ms(pct(&start, 50)),
        START_TARGET.as_millis(),
        verdict(pct(&start, 50) < START_TARGET),
        ms(pct(&open, 50)),
        OPEN_TARGET.as_millis(),
        verdict(pct(&open, 50) < OPEN_TARGET),
        total.rss,
        total.pss,
        verdict(total.rss < RSS_TARGET_MIB)
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn sorted(xs: &[Duration]) -> Vec<Duration> {
    let mut s = xs.to_vec();
    s.sort();
    s
}

/// The `p`th percentile of sorted `s` (nearest rank).
fn pct(s: &[Duration], p: usize) -> Duration {
    if s.is_empty() {
        return Duration::ZERO;
    }
    s[((s.len() * p).div_ceil(100)).clamp(1, s.len()) - 1]
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn drop_caches() -> Result<()> {
    std::process::Command::new("sync").status()?;
    std::fs::write("/proc/sys/vm/drop_caches", "3")
        .context("--drop-caches 1 needs root (writes /proc/sys/vm/drop_caches)")
}

/// Memory of one process, MiB.
#[derive(Default)]
struct Memory {
    rss: f64,
    anon: f64,
    file: f64,
    shmem: f64,
    pss: f64,
}

impl Memory {
    fn add(&mut self, o: &Memory) {
        self.rss += o.rss;
        self.anon += o.anon;
        self.file += o.file;
        self.shmem += o.shmem;
        self.pss += o.pss;
    }
}

struct Process {
    pid: u32,
    name: String,
    memory: Memory,
    /// Proportional resident MiB (PSS) by kind of mapping.
    kinds: BTreeMap<&'static str, f64>,
}

/// `kB` figure of `field` in a /proc status-like text, in MiB.
fn field_mib(text: &str, field: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The running app (the process whose executable is `app`) and every process under it.
fn app_family(app: &Path) -> Result<Vec<Process>> {
    let app = std::fs::canonicalize(app)?;
    let mut parent: BTreeMap<u32, u32> = BTreeMap::new();
    let mut roots = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let Some(pid) = entry?
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // `pid (comm) state ppid ...`: comm may hold spaces and parentheses.
        let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        if let Some(ppid) = after.split_whitespace().nth(1).and_then(|s| s.parse().ok()) {
            parent.insert(pid, ppid);
        }
        if std::fs::read_link(format!("/proc/{pid}/exe")).ok() == Some(app.clone()) {
            roots.push(pid);
        }
    }
    let [root] = roots[..] else {
        bail!("expected one running {}, found {roots:?}", app.display());
    };
    let under = |mut pid: u32| {
        while let Some(&p) = parent.get(&pid) {
            if p == root {
                return true;
            }
            if p <= 1 {
                return false;
            }
            pid = p;
        }
        false
    };
    let pids: Vec<u32> = std::iter::once(root)
        .chain(parent.keys().copied().filter(|&p| under(p)))
        .collect();
    pids.into_iter().map(process).collect()
}

fn process(pid: u32) -> Result<Process> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let name = status
        .lines()
        .find_map(|l| l.strip_prefix("Name:"))
        .unwrap_or("?")
        .trim()
        .to_owned();
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let memory = Memory {
        rss: field_mib(&status, "VmRSS:"),
        anon: field_mib(&status, "RssAnon:"),
        file: field_mib(&status, "RssFile:"),
        shmem: field_mib(&status, "RssShmem:"),
        pss: field_mib(&rollup, "Pss:"),
    };
    Ok(Process {
        pid,
        name,
        memory,
        kinds: mapping_kinds(pid),
    })
}

/// Proportional resident memory of `pid` by what its mappings are (`/proc/<pid>/smaps`): a
/// library's pages count once over all the processes that map them, as in the PSS total.
fn mapping_kinds(pid: u32) -> BTreeMap<&'static str, f64> {
    let mut kinds = BTreeMap::new();
    let Ok(smaps) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else {
        return kinds;
    };
    let mut kind = "anonymous";
    for line in smaps.lines() {
        let mut parts = line.split_whitespace();
        let first = parts.next().unwrap_or("");
        if first.contains('-') && first.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            let path: PathBuf = parts.skip(4).collect::<Vec<_>>().join(" ").into();
            kind = mapping_kind(&path.to_string_lossy());
        } else if first == "Pss:" {
            *kinds.entry(kind).or_default() += field_mib(line, "Pss:");
        }
    }
    kinds
}

fn mapping_kind(path: &str) -> &'static str {
    match path {
        "" => "anonymous (heaps, JS and wasm memory)",
        "[heap]" => "[heap] (malloc)",
        p if p.starts_with("[stack") => "stacks",
        p if p.starts_with('[') => "kernel-provided ([vdso] …)",
        p if p.ends_with(".sqlite3") || p.ends_with(".sqlite3-shm") => "the desk's database",
        p if p.contains(".so") => "shared libraries",
        p if p.starts_with("/memfd:") || p.starts_with("/dev/shm") => "shared memory (memfd)",
        p if p.starts_with("/dev/dri") => "GPU buffers",
        p if p.contains("/fonts/") || p.contains(".cache/fontconfig") => "fonts",
        _ => "other files",
    }
}
