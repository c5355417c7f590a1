//! `countersign sync`: connect this profile's desk to the central platform and sync it.

use crate::desk::Context;
use crate::output::or_dash;
use clap::Subcommand;
use countersign_core::sync;
use std::io::{BufRead, IsTerminal, Write};

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Sign this profile in to a platform. The token is read from stdin (never an argument, so it
    /// stays out of shell history) and kept in the OS keyring; name and role come from the platform.
    Login {
        /// The platform's base address, e.g. https://support.example.com.
        #[arg(long, value_name = "URL")]
        url: String,
    },
    /// Forget the token (the desk and its queued decisions stay).
    Logout,
    /// Online or offline, last pull and push, queued decisions, last error.
    Status {
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Push queued decisions and pull what changed, now.
    Now,
    /// Stay in sync until interrupted: push as soon as a decision is queued, pull as soon as the
    /// platform announces a change, back off while it is unreachable.
    Watch,
    /// What the platform refused or decided otherwise (stale replies, lost races), newest first.
    Notices,
}

pub async fn run(ctx: &Context, command: &SyncCommand) -> anyhow::Result<()> {
    match command {
        SyncCommand::Login { url } => {
            let url = sync::parse_platform_url(url)?;
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprint!("platform token for {url}: ");
                std::io::stderr().flush()?;
            }
            let mut token = String::new();
            stdin.lock().read_line(&mut token)?;
            let token = token.trim();
            if token.is_empty() {
                anyhow::bail!(crate::error::CliError::new(
                    countersign_model::ErrorCode::InvalidArgument,
                    "no token on stdin; pipe the token the platform's admin gave you"
                ));
            }
            let store = ctx.create().await?;
            let me = sync::login(&store, &url, token).await?;
            println!(
                "signed in to {url} as {} <{}>, {} of {}",
                me.agent.name, me.agent.email, me.agent.role, me.tenant.name
            );
            println!("the token is in the OS keyring; next: `countersign sync now`");
        }
        SyncCommand::Logout => {
            let store = ctx.open().await?;
            sync::logout(&store).await?;
            println!("signed out; queued decisions stay until you sign in again");
        }
        SyncCommand::Status { json } => {
            let store = ctx.open().await?;
            let s = sync::status(&store).await?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&s)?);
                return Ok(());
            }
            let Some(platform) = &s.platform else {
                println!(
                    "offline profile: not connected to a platform (`countersign sync login --url URL`)"
                );
                println!("queued decisions: {}", s.outbox_depth);
                return Ok(());
            };
            let who =
                s.me.as_ref()
                    .map(|m| format!("{} ({}) of {}", m.agent.name, m.agent.role, m.tenant.name));
            let state = match (s.signed_in, s.online) {
                (Some(false), _) => "signed out",
                (None, _) => "keyring unavailable",
                (_, Some(true)) => "online",
                (_, Some(false)) => "offline",
                (_, None) => "not synced yet",
            };
            println!("platform:          {platform}");
            println!("signed in as:      {}", or_dash(who.as_deref()));
            println!("state:             {state}");
            println!("cursor:            {}", s.cursor);
            println!("queued decisions:  {}", s.outbox_depth);
            println!("last pull:         {}", or_dash(s.last_pull_at.as_deref()));
            println!("last push:         {}", or_dash(s.last_push_at.as_deref()));
            println!("last error:        {}", or_dash(s.last_error.as_deref()));
            println!("unread notices:    {}", s.unread_notices);
            if s.first_sync_loading {
                println!(
                    "first sync:        still loading; search finds nothing from the platform until it catches up (`countersign sync now`)"
                );
            }
            match &s.live_since {
                Some(t) => {
                    println!("live updates:      since {t} (a `sync watch` or the app is running)")
                }
                None => {
                    println!("live updates:      none (run `countersign sync watch` or the app)")
                }
            }
        }
        SyncCommand::Now => {
            let store = ctx.open().await?;
            let interactive = std::io::stderr().is_terminal();
            let report = sync::sync_once(&store, |p| {
                if !interactive {
                    return;
                }
                match p.indexing {
                    None => eprint!(
                        "\rpulled {} changes ({:.0}/s), cursor {}   ",
                        p.changes, p.changes_per_sec, p.cursor
                    ),
                    Some((what, done, total)) => eprint!(
                        "\rpulled {} changes; first sync: creating the {what} ({done}/{total})   ",
                        p.changes
                    ),
                }
            })
            .await;
            if interactive {
                eprintln!();
            }
            let r = report?;
            println!(
                "pushed {} ({} applied, {} already applied, {} refused); pulled {} changes ({} rows changed); cursor {}",
                r.pushed.applied + r.pushed.duplicates + r.pushed.rejected,
                r.pushed.applied,
                r.pushed.duplicates,
                r.pushed.rejected,
                r.pulled_changes,
                r.rows_changed,
                r.cursor
            );
            if let Some(device) = &r.pushed.new_device {
                println!(
                    "this desk was restored from a backup or copied; it now sends as {device} (`countersign sync notices`)"
                );
            }
            if r.pushed.rejected > 0 {
                println!("the platform refused some decisions: `countersign sync notices`");
            }
        }
        SyncCommand::Watch => {
            let store = ctx.open().await?;
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            let stop = async {
                #[cfg(unix)]
                {
                    let mut term =
                        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                            .expect("SIGTERM handler");
                    tokio::select! { _ = stop => {}, _ = term.recv() => {} }
                }
                #[cfg(not(unix))]
                stop.await;
            };
            eprintln!("syncing; Ctrl-C to stop");
            sync::watch(&store, stop, |round| match round {
                Ok(r) if r.pushed.applied + r.pushed.rejected + r.pulled_changes > 0 => eprintln!(
                    "pushed {} ({} refused), pulled {} changes, cursor {}",
                    r.pushed.applied + r.pushed.duplicates + r.pushed.rejected,
                    r.pushed.rejected,
                    r.pulled_changes,
                    r.cursor
                ),
                Ok(_) => {}
                Err(e) => eprintln!("offline: {}", e.public_message()),
            })
            .await?;
        }
        SyncCommand::Notices => {
            let store = ctx.open().await?;
            let notices = sync::notices(&store, true).await?;
            if notices.is_empty() {
                println!("no notices");
            }
            for n in notices {
                let new = if n.read { " " } else { "*" };
                println!(
                    "{new} {}  {:<16} {}: {}",
                    n.at, n.code, n.subject, n.message
                );
            }
        }
    }
    Ok(())
}
