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

mod memory;

use anyhow::{Context, Result, bail};
use countersign_e2e::tool;
use memory::{Memory, app_family};
use serde_json::{Value, json};
use std::collections::BTreeMap;
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
