//! `countersign demo`: creates a profile's desk filled with generated, realistic data, showing
//! progress on stderr. An existing desk with data is left alone unless `--reset`.

use crate::desk::Context;
use crate::error::CliError;
use clap::Args;
use countersign_core::Store;
use countersign_core::demo::{self, DemoConfig, SeedReport};
use countersign_core::settings;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Customers to generate (default: the small demo's size).
    #[arg(long, value_name = "N")]
    pub customers: Option<u32>,
    /// Invoices to generate, spread over the customers.
    #[arg(long, value_name = "N")]
    pub invoices: Option<u32>,
    /// Support tickets to generate.
    #[arg(long, value_name = "N")]
    pub tickets: Option<u32>,
    /// Random seed: the same seed and sizes give the same desk.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Delete the profile's desk (database, -wal and -shm files) and create it again.
    #[arg(long)]
    pub reset: bool,
}

pub async fn run(ctx: &Context, args: &DemoArgs) -> anyhow::Result<()> {
    let path = ctx.desk_path()?;
    if path.exists() {
        if args.reset {
            delete_desk(&path)?;
            eprintln!(
                "deleted the desk of profile `{}` at {}",
                ctx.profile,
                path.display()
            );
        } else {
            let store = Store::open(&path).await?;
            let has_data = has_data(&store).await?;
            if has_data {
                store.close().await;
                println!(
                    "profile `{}` already has a desk with data at {}; nothing to do (use --reset to recreate it)",
                    ctx.profile,
                    path.display()
                );
                return Ok(());
            }
            store.close().await;
        }
    }

    let mut config = DemoConfig::small(chrono::Utc::now().date_naive());
    if let Some(n) = args.customers {
        config.customers = n;
    }
    if let Some(n) = args.invoices {
        config.invoices = n;
    }
    if let Some(n) = args.tickets {
        config.tickets = n;
    }
    if let Some(n) = args.seed {
        config.seed = n;
    }

    let store = Store::open(&path).await?;
    let mut progress = Progress::new();
    let report = demo::seed(&store, &config, &mut |stage, done, total| {
        progress.update(stage, done, total)
    })
    .await;
    progress.end_stage();
    let report = report?;
    if settings::get(store.pool(), settings::PERSON_NAME)
        .await?
        .is_none()
    {
        // One of the demo tenant's agents, so "Mine" holds their tickets, as on first start.
        let person = countersign_core::first_run::DEMO_PERSON;
        settings::set(&store, settings::PERSON_NAME, person).await?;
    }
    if settings::get(store.pool(), settings::PERSON_ROLE)
        .await?
        .is_none()
    {
        settings::set(&store, settings::PERSON_ROLE, "agent").await?;
    }
    let drafting = countersign_core::drafting::waiting_count(store.pool()).await?;
    if drafting > 0 {
        eprint!("drafting replies to {drafting} tickets waiting for one… ");
    }
    let swept =
        countersign_core::drafting::sweep(&store, 100, countersign_core::drafting::Pace::Full)
            .await?;
    if drafting > 0 {
        eprintln!("{} drafted", swept.drafted);
    }
    store.close().await;
    print_summary(ctx, &path, &report, swept.drafted);
    Ok(())
}

async fn has_data(store: &Store) -> anyhow::Result<bool> {
    let any: i64 = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM tickets)",
    )
    .fetch_one(store.pool())
    .await
    .map_err(countersign_core::Error::from)?;
    Ok(any != 0)
}

/// Removes the database and its WAL side files; a missing file is fine.
fn delete_desk(path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(CliError::unavailable(format!(
                    "cannot delete {}: {e} (is the desktop app or `countersign serve` using it?)",
                    Path::new(&file).display()
                ))
                .into());
            }
        }
    }
    Ok(())
}

fn print_summary(ctx: &Context, path: &Path, r: &SeedReport, drafts: usize) {
    println!(
        "demo desk ready: profile `{}` at {}",
        ctx.profile,
        path.display()
    );
    let counts = [
        ("customers", r.customers),
        ("subscriptions", r.subscriptions),
        ("invoices", r.invoices),
        ("line items", r.line_items),
        ("payments", r.payments),
        ("wallets", r.wallets),
        ("tickets", r.tickets),
        ("messages", r.messages),
        ("kb articles", r.articles),
        ("drafts", drafts as u64),
    ];
    for (what, n) in counts {
        println!("  {what:<14} {n:>10}");
    }
    println!("  {:<14} {:>10.2} s", "elapsed", r.elapsed.as_secs_f64());
    println!(
        "next: `countersign connect claude-desktop` to plug in an assistant, or `countersign serve --new-token NAME` for HTTP"
    );
}

/// Progress on stderr: a live line on a terminal, one line per finished stage otherwise.
struct Progress {
    tty: bool,
    stage: String,
    started: Instant,
    /// The last report (or the start): where the next stage's time begins.
    seen: Instant,
    drawn: Option<Instant>,
    last: (u64, u64),
}

impl Progress {
    fn new() -> Self {
        Self {
            tty: std::io::stderr().is_terminal(),
            stage: String::new(),
            started: Instant::now(),
            seen: Instant::now(),
            drawn: None,
            last: (0, 0),
        }
    }

    fn update(&mut self, stage: &str, done: u64, total: u64) {
        if stage != self.stage {
            self.end_stage();
            self.stage = stage.to_owned();
            // A stage's first batch was built and written before its first report.
            self.started = self.seen;
            self.drawn = None;
        }
        self.seen = Instant::now();
        self.last = (done, total);
        let due = self
            .drawn
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if self.tty && (due || done >= total) {
            eprint!("\r{}", self.line());
            let _ = std::io::stderr().flush();
            self.drawn = Some(Instant::now());
        }
    }

    fn line(&self) -> String {
        let (done, total) = self.last;
        let secs = self
            .seen
            .duration_since(self.started)
            .as_secs_f64()
            .max(1e-3);
        let rate = (done as f64 / secs).round();
        // Most stages count rows; the last ones count indexes, so the rate has no unit.
        format!(
            "{:<16} {done:>9}/{total:<9} {secs:>6.1} s {rate:>10}/s",
            self.stage
        )
    }

    fn end_stage(&mut self) {
        if self.stage.is_empty() {
            return;
        }
        if self.tty {
            eprintln!("\r{}", self.line());
        } else {
            eprintln!("{}", self.line());
        }
        self.stage.clear();
    }
}
