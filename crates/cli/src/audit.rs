//! `countersign audit`: read the hash-chained audit log and check that it is intact.

use crate::desk::Context;
use crate::output::{Table, or_dash, preview, when};
use clap::Subcommand;
use countersign_core::audit;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// The newest entries, oldest first.
    Tail {
        /// How many entries (1 to 1000).
        #[arg(short = 'n', long = "lines", value_name = "N", default_value_t = 20)]
        lines: i64,
        /// Only entries whose action, actor or subject contains TEXT.
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Recompute the hash chain; exit non-zero if any row was modified, removed or reordered.
    Verify,
}

pub async fn run(ctx: &Context, command: &AuditCommand) -> anyhow::Result<ExitCode> {
    let store = ctx.open().await?;
    let code = match command {
        AuditCommand::Tail {
            lines,
            filter,
            json,
        } => {
            let mut entries = audit::tail(store.pool(), *lines, filter.as_deref()).await?;
            entries.reverse();
            if *json {
                for e in &entries {
                    println!("{}", serde_json::to_string(e)?);
                }
            } else if entries.is_empty() {
                println!(
                    "no audit entries{}",
                    filter
                        .as_ref()
                        .map(|f| format!(" matching {f:?}"))
                        .unwrap_or_default()
                );
            } else {
                let mut table = Table::new(&[
                    "SEQ",
                    "AT",
                    "ACTOR",
                    "ACTION",
                    "SUBJECT",
                    "OUTCOME",
                    "MS",
                    "ARGUMENTS",
                ]);
                for e in &entries {
                    table.row(vec![
                        e.seq.to_string(),
                        when(e.at),
                        format!("{}:{}", e.actor_kind, e.actor),
                        e.action.clone(),
                        or_dash(e.subject.as_deref()),
                        e.outcome.clone(),
                        e.duration_us
                            .map(|us| format!("{:.1}", us as f64 / 1000.0))
                            .unwrap_or_else(|| "-".into()),
                        preview(&e.arguments.to_string(), 60),
                    ]);
                }
                println!("{}", table.render());
            }
            ExitCode::SUCCESS
        }
        AuditCommand::Verify => {
            let v = audit::verify(store.pool()).await?;
            match v.broken {
                None => {
                    println!("audit log intact: {} rows", v.rows);
                    ExitCode::SUCCESS
                }
                Some(b) => {
                    println!("audit log BROKEN at row {}: {}", b.seq, b.why);
                    ExitCode::from(1)
                }
            }
        }
    };
    store.close().await;
    Ok(code)
}
