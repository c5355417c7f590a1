//! A throwaway PostgreSQL cluster for tests (the platform's own and the end-to-end tests that run
//! desktops against a real platform), a FlexPrice stand-in ([`fake_flexprice`]) and a real SMTP
//! server ([`smtp`]). Not used by the service itself.

pub mod fake_flexprice;
pub mod smtp;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The newest installed PostgreSQL's `bin` directory (Debian's layout).
pub fn pg_bin() -> Result<PathBuf, String> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("no /usr/lib/postgresql ({e}); install Debian's postgresql package (cargo xtask test does)"))?
        .filter_map(|d| {
            let d = d.ok()?;
            let v = d.file_name().to_str()?.parse().ok()?;
            let bin = d.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no /usr/lib/postgresql/*/bin/initdb; install postgresql".into())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command run as the `postgres` user when we are root (initdb refuses root).
fn as_owner(program: &Path, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(mut c: Command, what: &str) -> Result<(), String> {
    let out = c
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// Starts a throwaway cluster: `initdb` into a temp dir, `pg_ctl start` on a free loopback port.
///
/// Stopping it cannot rely on a destructor (statics are never dropped, and a killed test
/// process runs none). Instead a watchdog `sh` in its own process group reads a pipe whose only
/// writer is this process: when the process ends — normally, by panic, Ctrl-C or kill -9 — the
/// kernel closes the pipe, `cat` sees end-of-file, and the watchdog stops the cluster and removes
/// its directory. It holds no terminal or output pipe, so it never keeps a caller waiting.
pub fn start_cluster() -> Result<String, String> {
    let bin = pg_bin()?;
    let root = is_root();
    let dir = std::env::temp_dir().join(format!(
        "countersign-pg-{}-{}",
        std::process::id(),
        crate::new_id("")
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if root {
        let mut c = Command::new("chown");
        c.args(["postgres:postgres"]).arg(&dir);
        run(c, "chown")?;
    }
    let data = dir.join("data");
    let mut initdb = as_owner(&bin.join("initdb"), root);
    initdb
        .arg("-D")
        .arg(&data)
        .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
    run(initdb, "initdb")?;

    // The watchdog first: from here on the directory goes away with this process.
    let pg_ctl = bin.join("pg_ctl");
    let stop = format!(
        "cat >/dev/null; {runuser}'{pg_ctl}' -D '{data}' stop -m immediate >/dev/null 2>&1; rm -rf '{dir}'",
        runuser = if root { "runuser -u postgres -- " } else { "" },
        pg_ctl = pg_ctl.display(),
        data = data.display(),
        dir = dir.display(),
    );
    let mut watchdog = {
        use std::os::unix::process::CommandExt;
        Command::new("sh")
            .args(["-c", &stop])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start the cluster's watchdog: {e}"))?
    };
    // Never written, never closed by us: the kernel closes it when this process ends.
    std::mem::forget(watchdog.stdin.take());

    let port = free_port()?;
    let mut start = as_owner(&pg_ctl, root);
    start.arg("-D").arg(&data).arg("-o").arg(format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=300",
        dir.display()
    ));
    start
        .arg("-l")
        .arg(dir.join("log"))
        .args(["start", "-w", "-t", "60"]);
    start.stdout(Stdio::null());
    run(start, "pg_ctl start").map_err(|e| {
        let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
        format!("{e}\n{log}")
    })?;
    Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
}

/// Creates database `name` on the cluster at `server_url` (a `postgres://…/postgres` URL) and
/// returns its URL.
pub fn create_database(server_url: &str, name: &str) -> Result<String, String> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("{name:?} is not a plain database name"));
    }
    let mut c = Command::new(pg_bin()?.join("psql"));
    c.arg(server_url)
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-c"])
        .arg(format!("CREATE DATABASE {name}"));
    run(c, "psql CREATE DATABASE")?;
    let (server, _) = server_url
        .rsplit_once('/')
        .ok_or_else(|| format!("{server_url} has no database part"))?;
    Ok(format!("{server}/{name}"))
}
