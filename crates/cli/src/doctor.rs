//! `countersign doctor`: checks that the desk can work here — data directory, the profile's
//! database (opens, fully migrated, not corrupt), the audit chain, the OS keyring and the MCP
//! port — one line each. Failures make the exit code non-zero; warnings do not.

use crate::desk::Context;
use crate::serve::LOOPBACK;
use countersign_core::store::MIGRATOR;
use countersign_core::{Store, audit, secrets, settings};
use std::collections::BTreeSet;
use std::fmt;
use std::process::ExitCode;
use std::time::Duration;

/// How long the keyring may take to answer before it counts as unavailable.
const KEYRING_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    Warn,
    Fail,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ok => "ok",
            Self::Warn => "warn",
            Self::Fail => "fail",
        })
    }
}

#[derive(Debug, Default)]
struct Report {
    checks: Vec<(Status, &'static str, String)>,
}

impl Report {
    fn add(&mut self, status: Status, name: &'static str, detail: impl Into<String>) {
        let detail = detail.into();
        println!("{:<4}  {name:<12}  {detail}", status.to_string());
        self.checks.push((status, name, detail));
    }

    fn count(&self, status: Status) -> usize {
        self.checks.iter().filter(|(s, ..)| *s == status).count()
    }
}

pub async fn run(ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut report = Report::default();
    check_data_dir(ctx, &mut report);
    let store = check_desk(ctx, &mut report).await?;
    if let Some(store) = &store {
        check_migrations(store, &mut report).await;
        check_integrity(store, &mut report).await;
        check_audit(store, &mut report).await;
    }
    check_keyring(&mut report).await;
    let port = match &store {
        Some(s) => settings::mcp_port(s.pool())
            .await
            .unwrap_or(settings::DEFAULT_MCP_PORT),
        None => settings::DEFAULT_MCP_PORT,
    };
    check_port(port, &mut report);
    if let Some(store) = store {
        store.close().await;
    }
    let (warn, fail) = (report.count(Status::Warn), report.count(Status::Fail));
    println!(
        "{} checks: {} ok, {warn} warnings, {fail} failures",
        report.checks.len(),
        report.count(Status::Ok)
    );
    Ok(if fail > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn check_data_dir(ctx: &Context, report: &mut Report) {
    let root = ctx.data_dir.root();
    let probe = root.join(format!(".doctor-probe-{}", std::process::id()));
    let result = std::fs::create_dir_all(root)
        .and_then(|()| std::fs::write(&probe, b"probe"))
        .and_then(|()| std::fs::remove_file(&probe));
    match result {
        Ok(()) => report.add(
            Status::Ok,
            "data dir",
            format!("{} is writable", root.display()),
        ),
        Err(e) => report.add(
            Status::Fail,
            "data dir",
            format!("{} is not writable: {e}", root.display()),
        ),
    }
}

async fn check_desk(ctx: &Context, report: &mut Report) -> anyhow::Result<Option<Store>> {
    let path = ctx.desk_path()?;
    if !path.exists() {
        report.add(
            Status::Fail,
            "desk",
            format!(
                "profile `{}` has no desk at {}; run `countersign demo` (with --profile {0} for this profile)",
                ctx.profile,
                path.display()
            ),
        );
        return Ok(None);
    }
    match Store::open(&path).await {
        Ok(store) => {
            report.add(
                Status::Ok,
                "desk",
                format!("profile `{}` opens: {}", ctx.profile, path.display()),
            );
            Ok(Some(store))
        }
        Err(e) => {
            // The person's own diagnostics: show the full cause, driver details included.
            report.add(
                Status::Fail,
                "desk",
                format!("{} does not open: {e}", path.display()),
            );
            Ok(None)
        }
    }
}

async fn check_migrations(store: &Store, report: &mut Report) {
    let known: BTreeSet<i64> = MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| m.version)
        .collect();
    let applied: Result<Vec<i64>, _> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1")
            .fetch_all(store.pool())
            .await;
    let applied: BTreeSet<i64> = match applied {
        Ok(v) => v.into_iter().collect(),
        Err(e) => {
            return report.add(
                Status::Fail,
                "migrations",
                format!("cannot read the migration table: {e}"),
            );
        }
    };
    let missing: Vec<String> = known.difference(&applied).map(i64::to_string).collect();
    let unknown: Vec<String> = applied.difference(&known).map(i64::to_string).collect();
    if !missing.is_empty() {
        report.add(
            Status::Fail,
            "migrations",
            format!("not applied: {}", missing.join(", ")),
        );
    } else if !unknown.is_empty() {
        report.add(
            Status::Warn,
            "migrations",
            format!("the desk has migrations this countersign does not know ({}): a newer version wrote it", unknown.join(", ")),
        );
    } else {
        report.add(
            Status::Ok,
            "migrations",
            format!("all {} applied", known.len()),
        );
    }
}

async fn check_integrity(store: &Store, report: &mut Report) {
    let rows: Result<Vec<String>, _> = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_all(store.pool())
        .await;
    match rows {
        Ok(rows) if rows == ["ok"] => report.add(Status::Ok, "integrity", "PRAGMA quick_check: ok"),
        Ok(rows) => {
            let first: Vec<&str> = rows.iter().take(3).map(String::as_str).collect();
            report.add(
                Status::Fail,
                "integrity",
                format!(
                    "PRAGMA quick_check found {} problems, e.g. {}",
                    rows.len(),
                    first.join("; ")
                ),
            );
        }
        Err(e) => report.add(
            Status::Fail,
            "integrity",
            format!("PRAGMA quick_check failed: {e}"),
        ),
    }
}

async fn check_audit(store: &Store, report: &mut Report) {
    match audit::verify(store.pool()).await {
        Ok(v) => match v.broken {
            None => report.add(Status::Ok, "audit log", format!("intact: {} rows", v.rows)),
            Some(b) => report.add(
                Status::Fail,
                "audit log",
                format!("BROKEN at row {}: {}", b.seq, b.why),
            ),
        },
        Err(e) => report.add(
            Status::Fail,
            "audit log",
            format!("cannot be verified: {e}"),
        ),
    }
}

async fn check_keyring(report: &mut Report) {
    let probe = tokio::task::spawn_blocking(secrets::keyring_status);
    match tokio::time::timeout(KEYRING_TIMEOUT, probe).await {
        Ok(Ok(Ok(what))) => report.add(Status::Ok, "keyring", what),
        Ok(Ok(Err(why))) => report.add(Status::Warn, "keyring", why),
        Ok(Err(e)) => report.add(
            Status::Warn,
            "keyring",
            format!("the keyring probe crashed: {e}"),
        ),
        Err(_) => report.add(
            Status::Warn,
            "keyring",
            format!(
                "the OS keyring did not answer within {} s",
                KEYRING_TIMEOUT.as_secs()
            ),
        ),
    }
}

fn check_port(port: u16, report: &mut Report) {
    match std::net::TcpListener::bind((LOOPBACK, port)) {
        Ok(listener) => {
            drop(listener);
            report.add(Status::Ok, "mcp port", format!("{LOOPBACK}:{port} is free for `countersign serve`"));
        }
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => report.add(
            Status::Warn,
            "mcp port",
            format!(
                "{LOOPBACK}:{port} is in use (a running `countersign serve`?); otherwise choose another with `countersign settings set mcp.port N`"
            ),
        ),
        Err(e) => report.add(Status::Warn, "mcp port", format!("cannot listen on {LOOPBACK}:{port}: {e}")),
    }
}
