//! The machine under the bench: keeping the database files in memory while it runs, and how
//! much CPU time the hypervisor took.

use anyhow::Result;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Reads `file` through, so the phase about to run finds it in the OS page cache, as a desk in
/// use is. Done before every phase, not once: the kernel of this project's VMs pages out file
/// pages it sees unused (a DAMON reclaim scheme, whatever memory is free), within seconds to a
/// minute, and a run lasts minutes. See also [`Resident`].
pub fn cache(file: &Path) -> Result<()> {
    std::io::copy(&mut std::fs::File::open(file)?, &mut std::io::sink())?;
    Ok(())
}

/// The bench's database files held in memory for the whole run by `vmtouch -l` (locked, and
/// mapped, which that reclaim scheme leaves alone): re-reading before each phase still let
/// ~4 MB/s of the desk be paged out while the calls ran, and a call that then read a page
/// from the virtual disk measured the disk. Without vmtouch (or the right to lock memory) the
/// run goes on with the per-phase read alone, and says so.
///
/// vmtouch runs in the foreground as the bench's child, in its process group: Ctrl-C ends it
/// too, and dropping this kills it.
pub struct Resident {
    vmtouch: std::process::Child,
}

impl Resident {
    pub fn hold(files: &[&Path]) -> Option<Self> {
        let want_kib: u64 = files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len() / 1024)
            .sum();
        let warn = |why: &str| {
            eprintln!(
                "warning: cannot hold the database files in memory with `vmtouch -l` ({why}); \
                 the OS may page them out during the run"
            );
        };
        let child = Command::new("vmtouch")
            .args(["-l", "-q", "-m", "64G"])
            .args(files)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let mut held = match child {
            Ok(c) => Self { vmtouch: c },
            Err(e) => {
                warn(&e.to_string());
                return None;
            }
        };
        // Done when the files' pages are locked: the child's VmLck reaches their size.
        let status = format!("/proc/{}/status", held.vmtouch.id());
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            if let Ok(Some(exit)) = held.vmtouch.try_wait() {
                warn(&format!("vmtouch exited: {exit}"));
                return None;
            }
            let locked_kib = std::fs::read_to_string(&status)
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find_map(|l| l.strip_prefix("VmLck:"))
                        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                })
                .unwrap_or(0);
            if locked_kib >= want_kib {
                return Some(held);
            }
            if Instant::now() > deadline {
                warn("still locking after 300 s");
                return None; // dropping `held` kills it
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Resident {
    fn drop(&mut self) {
        let _ = self.vmtouch.kill();
        let _ = self.vmtouch.wait();
    }
}

/// Steal time so far, summed over CPUs (`/proc/stat`, in clock ticks of 10 ms).
pub fn steal_so_far() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu = stat.lines().next()?.strip_prefix("cpu ")?;
    let ticks: u64 = cpu.split_whitespace().nth(7)?.parse().ok()?;
    Some(Duration::from_millis(ticks * 10))
}
