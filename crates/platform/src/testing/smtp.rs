//! A real SMTP server for tests: `tests/clients/smtp_server.py` (Python's aiosmtpd, installed by
//! `cargo xtask test` into the tools venv), on a loopback port, keeping each message it accepts
//! as a file. Found through `COUNTERSIGN_PYTHON` and `COUNTERSIGN_CLIENTS` (set by the xtask),
//! else the tools venv's python and this repository's `tests/clients`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running server; stopped when dropped.
#[derive(Debug)]
pub struct SmtpServer {
    pub port: u16,
    pub mailbox: PathBuf,
    child: Option<Child>,
    _dir: Option<tempfile_dir::Dir>,
}

/// A message the server accepted: its bytes and envelope.
#[derive(Debug, Clone)]
pub struct Received {
    pub raw: String,
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
}

impl Received {
    /// The value of header `name` (the first one; unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.raw.split("\r\n\r\n").next().unwrap_or_default();
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    v.push(' ');
                    v.push_str(line.trim());
                    continue;
                }
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case(name)
            {
                value = Some(v.trim().to_owned());
            }
        }
        value
    }
}

fn python() -> PathBuf {
    std::env::var_os("COUNTERSIGN_PYTHON").map_or_else(
        || {
            let tools = std::env::var_os("COUNTERSIGN_TOOLS_DIR").map_or_else(
                || {
                    PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                        .join(".cache/countersign/tools")
                },
                PathBuf::from,
            );
            tools.join("py/bin/python")
        },
        PathBuf::from,
    )
}

fn script() -> PathBuf {
    std::env::var_os("COUNTERSIGN_CLIENTS")
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/clients"),
            PathBuf::from,
        )
        .join("smtp_server.py")
}

impl SmtpServer {
    /// Starts a server keeping its mail in a new temporary folder, on a free port.
    pub fn start() -> Self {
        let dir = tempfile_dir::Dir::new();
        let mailbox = dir.path().join("mailbox");
        Self::start_at(&mailbox, None, None).with_dir(dir)
    }

    /// Starts a server keeping its mail in `mailbox` (counting on from what it holds), on `port`
    /// (a free one when `None`), requiring `auth` (user, password) when given.
    pub fn start_at(mailbox: &Path, port: Option<u16>, auth: Option<(&str, &str)>) -> Self {
        let mut cmd = Command::new(python());
        cmd.arg(script())
            .arg("--mailbox")
            .arg(mailbox)
            .arg("--port")
            .arg(port.unwrap_or(0).to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some((user, password)) = auth {
            cmd.args(["--user", user, "--password", password]);
        }
        let mut child = cmd.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start the test SMTP server ({} {}): {e}; `cargo xtask test` installs aiosmtpd",
                python().display(),
                script().display()
            )
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the SMTP server's first line");
        let port = line
            .strip_prefix("ready ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("the SMTP server did not start: {line:?}"));
        Self {
            port,
            mailbox: mailbox.to_owned(),
            child: Some(child),
            _dir: None,
        }
    }

    fn with_dir(mut self, dir: tempfile_dir::Dir) -> Self {
        self._dir = Some(dir);
        self
    }

    /// Every message accepted so far, in order.
    pub fn received(&self) -> Vec<Received> {
        received(&self.mailbox)
    }

    /// The next `n` messages answer 451 (a temporary failure).
    pub fn defer_next(&self, n: u32) {
        std::fs::write(self.mailbox.join("defer"), n.to_string()).expect("write defer");
    }

    /// Each message is answered only `seconds` after it was received (and kept).
    pub fn stall(&self, seconds: f64) {
        std::fs::write(self.mailbox.join("stall"), seconds.to_string()).expect("write stall");
    }

    /// Stops the server (as a crash would: the process is killed).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Every message kept in `mailbox`, in the order accepted.
pub fn received(mailbox: &Path) -> Vec<Received> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(mailbox)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    names.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    names.sort();
    names
        .iter()
        .map(|p| {
            let envelope: serde_json::Value = serde_json::from_slice(
                &std::fs::read(p.with_extension("json")).unwrap_or_default(),
            )
            .unwrap_or_default();
            Received {
                raw: String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned(),
                mail_from: envelope["mail_from"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                rcpt_tos: envelope["rcpt_tos"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.as_str().map(str::to_owned))
                    .collect(),
            }
        })
        .collect()
}

/// A temporary folder, removed when dropped (the platform keeps `tempfile` out of its
/// dependencies).
mod tempfile_dir {
    use std::path::{Path, PathBuf};

    #[derive(Debug)]
    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new() -> Self {
            let path = std::env::temp_dir().join(format!(
                "countersign-smtp-{}-{}",
                std::process::id(),
                rand::random::<u64>()
            ));
            std::fs::create_dir_all(&path).expect("create a temporary folder");
            Self(path)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
