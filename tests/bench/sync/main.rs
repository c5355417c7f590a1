//! Sync benchmark (issue 3): a throwaway PostgreSQL cluster and the release
//! `countersign-platform` process; a tenant of 100k customers, 1M invoices and 50k tickets loaded
//! through the platform's ingest API; then
//! - the initial sync of that tenant into empty desks (`countersign sync now`, real processes),
//! - approve-on-desk-A to visible-on-desk-B latency with both desks running `sync watch`,
//! - mutation throughput with 50 simulated desktops pushing at once (the desk's push code),
//!   while 500 event streams are held open and must each hear the feed's last cursor.
//!
//! Prints each figure with its target and whether it is met. Run with `cargo xtask bench-sync`
//! (it builds the release binaries). Options: `--customers N --invoices N --tickets N
//! --approvals N --desktops N --mutations N (per desktop) --streams N`.

mod cpu;
mod desks;
mod load;
mod stats;
mod throughput;

use anyhow::{Context, Result, bail};
use countersign_e2e::platform::Platform;
use stats::{Figure, percentiles, print_table};
use std::time::{Duration, Instant};

struct Opts {
    customers: u64,
    invoices: u64,
    tickets: u64,
    approvals: usize,
    desktops: usize,
    mutations: usize,
    streams: usize,
}

fn opts() -> Result<Opts> {
    let mut o = Opts {
        customers: 100_000,
        invoices: 1_000_000,
        tickets: 50_000,
        approvals: 100,
        desktops: 50,
        mutations: 400,
        streams: 500,
    };
    let known = [
        "--customers",
        "--invoices",
        "--tickets",
        "--approvals",
        "--desktops",
        "--mutations",
        "--streams",
    ];
    for (name, v) in countersign_e2e::bench_options(&known)? {
        match name.as_str() {
            "--customers" => o.customers = v.max(1),
            "--invoices" => o.invoices = v,
            "--tickets" => o.tickets = v.max(1),
            "--approvals" => o.approvals = v as usize,
            "--desktops" => o.desktops = v as usize,
            "--mutations" => o.mutations = v as usize,
            _ => o.streams = v as usize,
        }
    }
    if o.approvals > o.tickets as usize {
        bail!("--approvals must not exceed --tickets (one draft per ticket)");
    }
    Ok(o)
}

fn rate(n: f64, d: Duration) -> f64 {
    n / d.as_secs_f64().max(1e-9)
}

fn step(what: &str) {
    println!("== {what}");
}

/// The tenant's cursor now, read through the feed from a cursor known to be behind it.
async fn feed_end(base: &str, token: &str, mut after: i64) -> Result<i64> {
    let http = reqwest::Client::new();
    loop {
        let page: serde_json::Value = http
            .get(format!("{base}/v1/sync/changes?after={after}&limit=5000"))
            .bearer_auth(token)
            .send()
            .await?
            .json()
            .await?;
        after = page["cursor"].as_i64().context("cursor")?;
        if page["has_more"] != true {
            return Ok(after);
        }
    }
}

/// Writes the whole feed, as the desk pulls it (pages of 1 000), one response body per file.
async fn save_feed(base: &str, token: &str, dir: &std::path::Path) -> Result<usize> {
    std::fs::create_dir_all(dir)?;
    let http = reqwest::Client::new();
    let (mut after, mut pages) = (0i64, 0usize);
    loop {
        let body = http
            .get(format!("{base}/v1/sync/changes?after={after}&limit=1000"))
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?;
        pages += 1;
        std::fs::write(dir.join(format!("page-{pages:06}.json")), &body)?;
        let page: serde_json::Value = serde_json::from_str(&body)?;
        after = page["cursor"].as_i64().context("cursor")?;
        if page["has_more"] != true {
            return Ok(pages);
        }
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let o = opts()?;
    let load_avg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "sync bench: {} cores, load average at start {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_avg
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    step("PostgreSQL (throwaway cluster) and the countersign-platform process");
    let platform = Platform::start()?;
    let tenant = platform.tenant().await?;
    let (agent, supervisor) = (tenant.agent.clone(), tenant.supervisor.clone());
    let base = platform.url.clone();

    step(&format!(
        "loading the tenant: {} customers, {} invoices, {} tickets",
        o.customers, o.invoices, o.tickets
    ));
    let loaded = load::tenant(&base, &tenant.ingest, o.customers, o.invoices, o.tickets).await?;
    println!(
        "billing ingest: {} records in {:.1?} ({:.0} records/s); ticket import: {} tickets with a message each in {:.1?} ({:.0} tickets/s)",
        loaded.billing_records,
        loaded.billing_time,
        rate(loaded.billing_records as f64, loaded.billing_time),
        loaded.tickets,
        loaded.tickets_time,
        rate(loaded.tickets as f64, loaded.tickets_time)
    );

    if let Some(dir) = std::env::var_os("COUNTERSIGN_BENCH_SAVE_FEED") {
        let pages = save_feed(&base, &agent, std::path::Path::new(&dir)).await?;
        println!(
            "saved the feed as {pages} response bodies in {} (for `benches/sync_apply.rs`)",
            std::path::Path::new(&dir).display()
        );
    }

    let mut desks = desks::Desks::new()?;
    desks.login("sue", &base, &supervisor)?;
    desks.login("sam", &base, &agent)?;
    let mut figures = vec![];
    let mut initial_cursor = 0;
    for profile in ["sue", "sam"] {
        step(&format!(
            "initial sync into {profile}'s empty desk (`countersign sync now`)"
        ));
        let cpu_before = cpu::snapshot();
        let s = desks.initial_sync(profile).await?;
        let cpu = cpu::since(&cpu_before);
        let r = rate(s.records as f64, s.time);
        println!(
            "{} changes in {:.1?}: {} customers+invoices+tickets ({:.0}/s), {} line items, {} messages; {:.0} changes/s",
            s.changes,
            s.time,
            s.records,
            r,
            s.line_items,
            s.messages,
            rate(s.changes as f64, s.time)
        );
        println!(
            "{cpu} (2 cores: {:.1} CPU-s available)",
            2.0 * s.time.as_secs_f64()
        );
        initial_cursor = s.changes;
        figures.push(Figure {
            what: format!("initial sync, {profile}'s desk (customers+invoices+tickets)"),
            measured: format!("{:.0} rows/s ({} rows in {:.1?})", r, s.records, s.time),
            target: "≥ 50 000 rows/s".into(),
            met: Some(r >= 50_000.0),
        });
    }

    step("approve on sam's desk → visible on sue's (both run `countersign sync watch`)");
    desks.watch("sue").await?;
    desks.watch("sam").await?;
    let samples =
        desks::approve_to_visible(&desks, "sam", "sue", &loaded.ticket_ids, o.approvals).await?;
    let (p50, p95, p99) = percentiles(&samples);
    println!(
        "{} approvals: p50 {p50:.0} ms, p95 {p95:.0} ms, p99 {p99:.0} ms",
        samples.len()
    );
    figures.push(Figure {
        what: format!(
            "approve → visible on another desk ({} samples)",
            samples.len()
        ),
        measured: format!("p50 {p50:.0} ms, p95 {p95:.0} ms, p99 {p99:.0} ms"),
        target: "p95 < 300 ms".into(),
        met: Some(p95 < 300.0),
    });

    step(&format!(
        "{} event streams held; {} desktops push {} mutations each",
        o.streams, o.desktops, o.mutations
    ));
    let streams = throughput::Streams::open(&base, &agent, o.streams).await?;
    let dir = tempfile::tempdir()?;
    let pushed = throughput::desktops(
        dir.path(),
        &base,
        &agent,
        &loaded.ticket_ids,
        o.desktops,
        o.mutations,
    )
    .await
    .with_context(|| format!("the platform's log ends:\n{}", platform.log_tail(40)))?;
    let pushed_at = Instant::now();
    let end = feed_end(&base, &agent, initial_cursor).await?;
    let fan_out = streams.wait_all_at(end, Duration::from_secs(30)).await;
    let per_min = rate(pushed.applied as f64, pushed.elapsed) * 60.0;
    let (d50, d95, d99) = percentiles(&pushed.per_desktop);
    println!(
        "{} mutations ({} applied, {} refused) in {:.1?}: {:.0}/min; a desktop's whole outbox: p50 {d50:.0} ms, p95 {d95:.0} ms, p99 {d99:.0} ms",
        pushed.mutations, pushed.applied, pushed.rejected, pushed.elapsed, per_min
    );
    figures.push(Figure {
        what: format!(
            "mutations through the platform, {} desktops at once",
            o.desktops
        ),
        measured: format!(
            "{per_min:.0}/min ({} in {:.1?})",
            pushed.applied, pushed.elapsed
        ),
        target: "≥ 50 000/min".into(),
        met: Some(per_min >= 50_000.0 && pushed.applied == pushed.mutations),
    });
    let (open, fewest) = streams.held();
    let lag = match &fan_out {
        Ok(d) => format!(
            "all at the last cursor {:.0} ms after the feed read",
            d.as_secs_f64() * 1e3
        ),
        Err(e) => format!("{e}"),
    };
    println!(
        "event streams: {open}/{} open, fewest events on one stream {fewest}; {lag} ({:.0?} after the last push)",
        o.streams,
        pushed_at.elapsed()
    );
    figures.push(Figure {
        what: "concurrent SSE connections held through the push load".into(),
        measured: format!(
            "{open}/{} open, every one told the last cursor: {}",
            o.streams,
            fan_out.is_ok()
        ),
        target: format!("{} held", o.streams),
        met: Some(open == o.streams && fan_out.is_ok()),
    });
    print_table(&figures);
    Ok(())
}
