//! Percentiles and the result table.

use std::time::Duration;

/// p50/p95/p99 (nearest rank) of `samples`, in milliseconds.
pub fn percentiles(samples: &[Duration]) -> (f64, f64, f64) {
    let mut v: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    v.sort_by(f64::total_cmp);
    let at = |p: f64| {
        if v.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
        v[rank.clamp(1, v.len()) - 1]
    };
    (at(50.0), at(95.0), at(99.0))
}

/// One line of the closing table: a figure, its target, and whether it is met.
pub struct Figure {
    pub what: String,
    pub measured: String,
    pub target: String,
    pub met: Option<bool>,
}

pub fn print_table(figures: &[Figure]) {
    println!();
    println!(
        "| {:<58} | {:<44} | {:<24} | {:<4} |",
        "figure", "measured", "target", "met"
    );
    println!("|{:-<60}|{:-<46}|{:-<26}|{:-<6}|", "", "", "", "");
    for f in figures {
        let met = match f.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "-",
        };
        println!(
            "| {:<58} | {:<44} | {:<24} | {:<4} |",
            f.what, f.measured, f.target, met
        );
    }
}
