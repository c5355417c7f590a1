//! A D-Bus session with an unlocked GNOME Keyring.

use super::wait_for;
use anyhow::{Context, Result};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;
/// A D-Bus session bus with GNOME Keyring's Secret Service, unlocked: the OS keyring a desktop
/// session has. Processes get it through [`KeyringSession::env`].
pub struct KeyringSession {
    bus: Child,
    keyring: Child,
    dir: TempDir,
    address: String,
}

impl KeyringSession {
    pub fn start() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let socket = dir.path().join("bus");
        let address = format!("unix:path={}", socket.display());
        let bus = Command::new("dbus-daemon")
            .args([
                "--session",
                "--nofork",
                "--nopidfile",
                "--address",
                &address,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("start dbus-daemon (Debian package dbus)")?;
        wait_for("the session bus", Duration::from_secs(10), || {
            socket.exists()
        })?;
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_RUNTIME_DIR", dir.path())
            .env("HOME", dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("start gnome-keyring-daemon (Debian package gnome-keyring)")?;
        {
            use std::io::Write;
            let mut stdin = keyring.stdin.take().context("keyring stdin")?;
            stdin.write_all(b"e2e-keyring-password")?;
        }
        let s = Self {
            bus,
            keyring,
            dir,
            address,
        };
        // Ready when our daemon owns the Secret Service name. (Asking the service itself would
        // let the bus start a second, locked daemon by activation.)
        wait_for("the Secret Service", Duration::from_secs(10), || {
            let mut c = Command::new("dbus-send");
            s.env(&mut c);
            c.args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .stderr(Stdio::null())
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
        })?;
        Ok(s)
    }

    /// Puts a command in this session.
    pub fn env<'c>(&self, c: &'c mut Command) -> &'c mut Command {
        c.env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_RUNTIME_DIR", self.dir.path())
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The session bus, for a process started by someone else (the desktop app by its driver).
    pub fn bus_address(&self) -> &str {
        &self.address
    }
}

impl Drop for KeyringSession {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
