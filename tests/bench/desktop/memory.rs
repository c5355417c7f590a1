//! The memory of the app and every process it started, read from /proc: per process (RSS by
//! kind, PSS) and by kind of mapping.

use anyhow::{Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Memory of one process, MiB.
#[derive(Default)]
pub struct Memory {
    pub rss: f64,
    pub anon: f64,
    pub file: f64,
    pub shmem: f64,
    pub pss: f64,
}

impl Memory {
    pub fn add(&mut self, o: &Memory) {
        self.rss += o.rss;
        self.anon += o.anon;
        self.file += o.file;
        self.shmem += o.shmem;
        self.pss += o.pss;
    }
}

pub struct Process {
    pub pid: u32,
    pub name: String,
    pub memory: Memory,
    /// Proportional resident MiB (PSS) by kind of mapping.
    pub kinds: BTreeMap<&'static str, f64>,
}

/// `kB` figure of `field` in a /proc status-like text, in MiB.
fn field_mib(text: &str, field: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The running app (the process whose executable is `app`) and every process under it.
pub fn app_family(app: &Path) -> Result<Vec<Process>> {
    let app = std::fs::canonicalize(app)?;
    let mut parent: BTreeMap<u32, u32> = BTreeMap::new();
    let mut roots = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let Some(pid) = entry?
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // `pid (comm) state ppid ...`: comm may hold spaces and parentheses.
        let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        if let Some(ppid) = after.split_whitespace().nth(1).and_then(|s| s.parse().ok()) {
            parent.insert(pid, ppid);
        }
        if std::fs::read_link(format!("/proc/{pid}/exe")).ok() == Some(app.clone()) {
            roots.push(pid);
        }
    }
    let [root] = roots[..] else {
        bail!("expected one running {}, found {roots:?}", app.display());
    };
    let under = |mut pid: u32| {
        while let Some(&p) = parent.get(&pid) {
            if p == root {
                return true;
            }
            if p <= 1 {
                return false;
            }
            pid = p;
        }
        false
    };
    let pids: Vec<u32> = std::iter::once(root)
        .chain(parent.keys().copied().filter(|&p| under(p)))
        .collect();
    pids.into_iter().map(process).collect()
}

fn process(pid: u32) -> Result<Process> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let name = status
        .lines()
        .find_map(|l| l.strip_prefix("Name:"))
        .unwrap_or("?")
        .trim()
        .to_owned();
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let memory = Memory {
        rss: field_mib(&status, "VmRSS:"),
        anon: field_mib(&status, "RssAnon:"),
        file: field_mib(&status, "RssFile:"),
        shmem: field_mib(&status, "RssShmem:"),
        pss: field_mib(&rollup, "Pss:"),
    };
    Ok(Process {
        pid,
        name,
        memory,
        kinds: mapping_kinds(pid),
    })
}

/// Proportional resident memory of `pid` by what its mappings are (`/proc/<pid>/smaps`): a
/// library's pages count once over all the processes that map them, as in the PSS total.
fn mapping_kinds(pid: u32) -> BTreeMap<&'static str, f64> {
    let mut kinds = BTreeMap::new();
    let Ok(smaps) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else {
        return kinds;
    };
    let mut kind = "anonymous";
    for line in smaps.lines() {
        let mut parts = line.split_whitespace();
        let first = parts.next().unwrap_or("");
        if first.contains('-') && first.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            let path: PathBuf = parts.skip(4).collect::<Vec<_>>().join(" ").into();
            kind = mapping_kind(&path.to_string_lossy());
        } else if first == "Pss:" {
            *kinds.entry(kind).or_default() += field_mib(line, "Pss:");
        }
    }
    kinds
}

fn mapping_kind(path: &str) -> &'static str {
    match path {
        "" => "anonymous (heaps, JS and wasm memory)",
        "[heap]" => "[heap] (malloc)",
        p if p.starts_with("[stack") => "stacks",
        p if p.starts_with('[') => "kernel-provided ([vdso] …)",
        p if p.ends_with(".sqlite3") || p.ends_with(".sqlite3-shm") => "the desk's database",
        p if p.contains(".so") => "shared libraries",
        p if p.starts_with("/memfd:") || p.starts_with("/dev/shm") => "shared memory (memfd)",
        p if p.starts_with("/dev/dri") => "GPU buffers",
        p if p.contains("/fonts/") || p.contains(".cache/fontconfig") => "fonts",
        _ => "other files",
    }
}
