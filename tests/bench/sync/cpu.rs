//! Where the CPU went during a phase of the bench, per program: the desk (`countersign`
//! children this bench waited for), the platform and PostgreSQL. On two cores the three share
//! the machine, so the sum says what bounds the phase, and the split says whose work to cut.

use std::collections::BTreeMap;

/// Clock ticks per second in `/proc/*/stat` (USER_HZ: 100 on Linux, whatever the kernel's HZ).
const TICKS: f64 = 100.0;

/// CPU seconds used so far, per program name (each process with the children it has reaped),
/// and by this process's waited-for children.
pub struct Snapshot {
    by_program: BTreeMap<String, f64>,
    children: f64,
}

/// `(comm, user + system, waited-for children's user + system)` from a `/proc/PID/stat` line.
fn parse(stat: &str) -> Option<(String, f64, f64)> {
    // The name is in parentheses and may hold spaces; the fields after it are positional.
    let (head, rest) = stat.rsplit_once(')')?;
    let comm = head.split_once('(')?.1.to_owned();
    let f: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    let n = |i: usize| f.get(i - 3)?.parse::<f64>().ok();
    Some((comm, (n(14)? + n(15)?) / TICKS, (n(16)? + n(17)?) / TICKS))
}

pub fn snapshot() -> Snapshot {
    let mut by_program = BTreeMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Some((comm, cpu, reaped)) = std::fs::read_to_string(entry.path().join("stat"))
            .ok()
            .as_deref()
            .and_then(parse)
        {
            *by_program.entry(comm).or_insert(0.0) += cpu + reaped;
        }
    }
    let children = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .as_deref()
        .and_then(parse)
        .map_or(0.0, |(_, _, children)| children);
    Snapshot {
        by_program,
        children,
    }
}

/// CPU seconds each of the bench's programs used since `before`, as one line. A process that
/// ended in between counts through the process that reaped it: a PostgreSQL backend through
/// the postmaster (the platform's pool closes idle connections), a desk's `sync now` through
/// this bench.
pub fn since(before: &Snapshot) -> String {
    let now = snapshot();
    let used = |prefix: &str| -> f64 {
        now.by_program
            .iter()
            .filter(|(comm, _)| comm.starts_with(prefix))
            .map(|(comm, cpu)| cpu - before.by_program.get(comm).copied().unwrap_or(0.0))
            .sum()
    };
    format!(
        "CPU: desk {:.1} s, platform {:.1} s, PostgreSQL {:.1} s",
        now.children - before.children,
        used("countersign-pla"),
        used("postgres"),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn stat_lines_with_spaces_in_the_name() {
        let line = "42 (tokio runtime) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0 5 0 0";
        assert_eq!(super::parse(line), Some(("tokio runtime".into(), 3.0, 0.1)));
    }
}
