//! The Countersign desktop shell: opens a profile's desk, starts the in-process MCP endpoint,
//! watches the desk for changes (live inbox, notifications) and serves the Leptos UI over thin
//! IPC commands.
//!
//! It must not hold business rules: every command parses its input, calls one function of
//! `countersign-core` and maps the result (errors as `{code, message}`).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod auto_draft;
mod background_sync;
mod commands;
mod live;
mod mcp_endpoint;
mod sla_watch;

use clap::Parser;
use countersign_core::Store;
use countersign_core::client_config::StdioLaunch;
use countersign_core::first_run::{self, Opened};
use countersign_core::profile::{DEMO_PROFILE, DataDir};
use mcp_endpoint::McpEndpoint;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "countersign-desktop",
    version,
    about = "Countersign: AI drafts, humans countersign."
)]
struct Args {
    /// Where profiles are kept [env: COUNTERSIGN_DATA_DIR] [default: the platform's data directory].
    #[arg(long, value_name = "PATH")]
    data_dir: Option<PathBuf>,
    /// The profile to open; the demo profile is created on first start.
    #[arg(long, value_name = "NAME", env = "COUNTERSIGN_PROFILE", default_value = DEMO_PROFILE)]
    profile: String,
    /// Port of the in-process MCP endpoint [default: the profile's `mcp.port` setting].
    #[arg(long, value_name = "N")]
    mcp_port: Option<u16>,
    /// Do not start the in-process MCP endpoint.
    #[arg(long)]
    no_mcp: bool,
}

/// What every command works on.
pub struct Desk {
    pub store: Store,
    pub profile: String,
    pub mcp: McpEndpoint,
    /// How an assistant starts this desk's stdio MCP server (shown in Settings).
    pub launch: StdioLaunch,
}

/// `countersign mcp` on this profile: the `countersign` beside this executable (both are in
/// `/usr/bin` from the package, in `target/<profile>` from a build), else the one on `PATH`.
fn stdio_launch(data_dir: &DataDir, profile: &str) -> StdioLaunch {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::canonicalize(exe).ok())
        .and_then(|exe| Some(exe.parent()?.join("countersign")))
        .filter(|p| p.is_file());
    StdioLaunch {
        command: beside.map_or_else(|| "countersign".into(), |p| p.display().to_string()),
        args: vec![
            "mcp".into(),
            "--profile".into(),
            profile.into(),
            "--data-dir".into(),
            data_dir.root().display().to_string(),
        ],
    }
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tao=warn,wry=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    if let Err(e) = run(args) {
        eprintln!("countersign-desktop: {e:#}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let data_dir = DataDir::locate(args.data_dir.as_deref())?;
    let (store, opened) =
        tauri::async_runtime::block_on(first_run::open_profile(&data_dir, &args.profile))?;
    if opened == Opened::CreatedDemo {
        eprintln!(
            "created the demo desk (profile `{DEMO_PROFILE}`) under {}",
            data_dir.root().display()
        );
    }
    let mcp = tauri::async_runtime::block_on(McpEndpoint::start(
        store.clone(),
        args.mcp_port,
        args.no_mcp.then_some(false),
    ));
    let desk = Desk {
        store: store.clone(),
        launch: stdio_launch(&data_dir, &args.profile),
        profile: args.profile,
        mcp,
    };
    tauri::Builder::default()
        .manage(desk)
        .setup(move |app| {
            paint_without_gl(app);
            let drafter = auto_draft::spawn(store.clone());
            live::spawn(app.handle().clone(), store.clone(), drafter);
            background_sync::spawn(app.handle().clone(), store.clone());
            sla_watch::spawn(store.clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::desk_status,
            commands::sync_notices,
            commands::inbox,
            commands::ticket,
            commands::approve_draft,
            commands::reject_draft,
            commands::draft_with_ai,
            commands::add_provider,
            commands::remove_provider,
            commands::test_provider,
            commands::order_providers,
            commands::rereview_draft,
            commands::write_reply,
            commands::set_ticket_status,
            commands::set_ticket_priority,
            commands::assign_ticket,
            commands::snooze_ticket,
            commands::team,
            commands::add_note,
            commands::raise_escalation,
            commands::decide_escalation,
            commands::retry_execution,
            commands::escalations,
            commands::customer_panel,
            commands::invoice,
            commands::kb_article,
            commands::presence,
            commands::announce_presence,
            commands::save_attachment,
            commands::merge_candidates,
            commands::merge_ticket,
            commands::saved_replies,
            commands::fill_saved_reply,
            commands::save_reply,
            commands::delete_reply,
            commands::activity,
            commands::settings_view,
            commands::change_setting,
            commands::test_mcp,
            commands::create_token,
            commands::revoke_token,
        ])
        .run(tauri::generate_context!())?;
    Ok(())
}

/// WebKit composites the page with OpenGL by default. Countersign's window is text, lists and
/// forms, with nothing for a GPU to do; on a machine without one (Mesa's software renderer, as
/// under Xvfb) compositing cost the web process 217 MiB of anonymous memory instead of 80, and
/// a ticket took 103 ms from click to painted instead of 28 (p50 of 50 tickets on the
/// 1M-invoice desk, `cargo xtask bench-desktop`, see docs/performance.md). The window paints
/// without it; `WEBKIT_DISABLE_COMPOSITING_MODE=0` in the environment turns it back on.
fn paint_without_gl(app: &tauri::App) {
    #[cfg(not(target_os = "linux"))]
    let _ = app;
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if std::env::var("WEBKIT_DISABLE_COMPOSITING_MODE").as_deref() == Ok("0") {
            return;
        }
        for window in app.webview_windows().values() {
            let painted = window.with_webview(|w| {
                if let Some(settings) = w.inner().settings() {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
            });
            if let Err(e) = painted {
                tracing::warn!(error = %e, "cannot turn off the webview's GPU compositing");
            }
        }
    }
}
