//! Dates as our four languages write them: `3 March 2026`, `March 3, 2026`, `3 de marzo de 2026`,
//! `1er mars 2026`, `3. März 2026`, and the numeric `2026-03-05`, `05.03.2026`, `05/03/2026`.

use super::DateMention;
use crate::lang::MONTHS;
use chrono::NaiveDate;

/// A word of a text: a run of letters or digits, with where it starts and ends.
struct Word {
    text: String,
    start: usize,
    end: usize,
}

fn words(chars: &[char]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_alphanumeric() {
            i += 1;
        }
        out.push(Word {
            text: chars[start..i].iter().collect(),
            start,
            end: i,
        });
    }
    out
}

/// The month a word names, in any of our languages (full names, and English short forms).
fn month_of(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    for names in MONTHS {
        if let Some(m) = names.iter().position(|n| n.to_lowercase() == w) {
            return Some(m as u32 + 1);
        }
    }
    const SHORT: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if w == "sept" {
        return Some(9);
    }
    SHORT.iter().position(|s| *s == w).map(|m| m as u32 + 1)
}

fn day_of(word: &str) -> Option<u32> {
    let digits = word
        .strip_suffix("er")
        .or_else(|| word.strip_suffix("st"))
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))
        .unwrap_or(word);
    let day: u32 = digits.parse().ok()?;
    (digits.len() <= 2 && (1..=31).contains(&day)).then_some(day)
}

fn year_of(word: &str) -> Option<i32> {
    (word.len() == 4)
        .then(|| word.parse().ok())
        .flatten()
        .filter(|y| (1900..=2999).contains(y))
}

pub(super) fn dates(chars: &[char]) -> Vec<DateMention> {
    let mut found = numeric_dates(chars);
    let w = words(chars);
    let is_de = |k: usize| w.get(k).is_some_and(|x| x.text.eq_ignore_ascii_case("de"));
    for (k, word) in w.iter().enumerate() {
        let Some(month) = month_of(&word.text) else {
            continue;
        };
        // Day before the month: `3 March`, `3. März`, `1er mars`, `3 de marzo`.
        let day_at = match k.checked_sub(1) {
            Some(p) if is_de(p) => p.checked_sub(1),
            other => other,
        };
        let day_before = day_at.and_then(|d| day_of(&w[d].text).map(|day| (d, day)));
        // Year after: `… 2026`, `… de 2026`; or, in English, `March 3, 2026`.
        let year_at = if is_de(k + 1) { k + 2 } else { k + 1 };
        let found_date = match day_before {
            Some((d, day)) => w
                .get(year_at)
                .and_then(|y| year_of(&y.text))
                .map(|year| (year, day, w[d].start, w[year_at].end)),
            None => w
                .get(k + 1)
                .and_then(|dw| day_of(&dw.text))
                .and_then(|day| {
                    w.get(k + 2)
                        .and_then(|y| year_of(&y.text))
                        .map(|year| (year, day, word.start, w[k + 2].end))
                }),
        };
        if let Some((year, day, from, to)) = found_date
            && let Some(date) = NaiveDate::from_ymd_opt(year, month, day)
        {
            found.push(DateMention {
                text: chars[from..to].iter().collect(),
                readings: vec![date],
            });
        }
    }
    found
}

/// `2026-03-05`, `05/03/2026`, `05.03.2026` (and `03/05/2026` read both ways).
fn numeric_dates(chars: &[char]) -> Vec<DateMention> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !(chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric())) {
            i += 1;
            continue;
        }
        let mut groups: Vec<(usize, u32)> = Vec::new();
        let mut sep = None;
        let mut j = i;
        loop {
            let start = j;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let digits: String = chars[start..j].iter().collect();
            groups.push((digits.len(), digits.parse().unwrap_or(0)));
            let next = chars.get(j).copied();
            let continues = groups.len() < 3
                && matches!(next, Some('-' | '/' | '.'))
                && sep.is_none_or(|s| Some(s) == next)
                && chars.get(j + 1).is_some_and(char::is_ascii_digit);
            if !continues {
                break;
            }
            sep = next;
            j += 1;
        }
        let bounded = !chars.get(j).is_some_and(|c| c.is_alphanumeric());
        if groups.len() == 3 && bounded {
            let readings = numeric_readings(&groups, sep);
            if !readings.is_empty() {
                found.push(DateMention {
                    text: chars[i..j].iter().collect(),
                    readings,
                });
            }
        }
        i = j.max(i + 1);
    }
    found
}

fn numeric_readings(groups: &[(usize, u32)], sep: Option<char>) -> Vec<NaiveDate> {
    let ymd = |y: u32, m: u32, d: u32| NaiveDate::from_ymd_opt(y as i32, m, d);
    let mut out = Vec::new();
    match (groups[0], groups[1], groups[2]) {
        ((4, y), (1..=2, m), (1..=2, d)) => out.extend(ymd(y, m, d)),
        ((1..=2, a), (1..=2, b), (4, y)) => {
            out.extend(ymd(y, b, a));
            if sep == Some('/') {
                out.extend(ymd(y, a, b));
            }
        }
        _ => {}
    }
    out.dedup();
    out
}
