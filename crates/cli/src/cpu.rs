//! Where a server's threads run. A tool call is a relay between threads: the request thread
//! hands a query to one of SQLite's threads, waits, gets the row back, then does the same for
//! the audit row. Nothing in one call runs in parallel, and waking a thread on another, idle
//! CPU costs far more than switching to it on the same CPU: measured on the 2-core machine
//! `docs/performance.md` names, a query's round trip took 98-117 µs across CPUs and 13-17 µs on
//! one (`cargo bench -p countersign-core --bench store`, its `SELECT 1` row). So `countersign mcp`
//! and `countersign serve` keep every thread on the CPU they start on, unless told `--any-cpu`.
//!
//! A process on one CPU also keeps one SQLite connection for its work (see [`connections`]).
//!
//! The price: the server does one CPU's worth of work at a time, so concurrent HTTP clients
//! take turns, and the OS cannot move it off a CPU another program keeps busy. A desk serves a
//! person's few assistants; for them the cheaper hand-off is worth more. The desktop app serves
//! MCP inside its own process and does not do this.

use clap::Args;

#[derive(Debug, Args)]
pub struct Placement {
    /// Let the OS move this server's threads between CPUs. By default they stay on the CPU
    /// the server starts on, where handing a query to SQLite's threads and back is several
    /// times faster (Linux; elsewhere the OS decides).
    #[arg(long)]
    pub any_cpu: bool,
}

/// Keeps this thread, and every thread it starts from now on, on the CPU it runs on. Call it
/// before the async runtime and the database start their threads. Best effort: where it cannot
/// be done, the threads run wherever the OS puts them.
pub fn keep_on_one_cpu(placement: &Placement) {
    if placement.any_cpu {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::thread::{CpuSet, sched_getcpu, sched_setaffinity};
        let cpu = sched_getcpu();
        if cpu >= CpuSet::MAX_CPU {
            return; // beyond what a CPU set can name
        }
        let mut one = CpuSet::new();
        one.set(cpu);
        match sched_setaffinity(None, &one) {
            Ok(()) => tracing::debug!(cpu, "threads kept on one CPU"),
            Err(e) => tracing::debug!(error = %e, "cannot keep threads on one CPU"),
        }
    }
}

/// How many SQLite connections this process should keep: one when it may run on one CPU only
/// (pinned above, or placed so by whoever started it), where a second connection could never
/// run at the same time and would only make each keep a colder cache (see
/// `countersign_core::Store::open_with`); the default otherwise.
pub fn connections() -> u32 {
    if cpus_allowed() == Some(1) {
        1
    } else {
        countersign_core::store::DEFAULT_CONNECTIONS
    }
}

/// How many CPUs this process may run on, where the OS says.
fn cpus_allowed() -> Option<u32> {
    #[cfg(target_os = "linux")]
    {
        rustix::thread::sched_getaffinity(None)
            .ok()
            .map(|set| set.count())
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}
