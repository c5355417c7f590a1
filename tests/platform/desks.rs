//! Desk profiles that sync: `countersign` processes on one data directory, each profile with
//! its platform token in the test's OS keyring session.

use super::KeyringSession;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `countersign --data-dir DIR --profile PROFILE`, its keyring in `keyring`.
pub fn desk_command(dir: &Path, profile: &str, keyring: &KeyringSession) -> Command {
    let mut c = Command::new(crate::tool("COUNTERSIGN_BIN"));
    c.arg("--data-dir").arg(dir).args(["--profile", profile]);
    keyring.env(&mut c);
    c
}

/// Where PROFILE's desk file is under DIR.
pub fn desk_path(dir: &Path, profile: &str) -> PathBuf {
    dir.join("profiles").join(profile).join("desk.sqlite3")
}

/// `sync login --url URL` on `desk` (a [`desk_command`]), the token pasted on stdin.
pub fn sync_login(mut desk: Command, url: &str, token: &str) -> Result<()> {
    let mut child = desk
        .args(["sync", "login", "--url", url])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    writeln!(child.stdin.take().context("stdin")?, "{token}")?;
    let o = child.wait_with_output()?;
    if !o.status.success() {
        bail!("sync login: {}", String::from_utf8_lossy(&o.stderr));
    }
    Ok(())
}
