//! Plain-text output: aligned tables, timestamps, one-line previews. Pure functions, so the
//! commands stay about what to show, not how.

use chrono::{DateTime, Utc};

/// A table with a header row; columns are padded to their widest cell.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text, one line per row, no trailing spaces.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                let n = cell.chars().count();
                match widths.get_mut(i) {
                    Some(w) => *w = (*w).max(n),
                    None => widths.push(n),
                }
            }
        }
        let line = |cells: &[String]| {
            let padded: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c:<w$}", w = widths.get(i).copied().unwrap_or(0)))
                .collect();
            padded.join("  ").trim_end().to_owned()
        };
        std::iter::once(line(&self.header))
            .chain(self.rows.iter().map(|r| line(r)))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A timestamp for a table cell: UTC to the minute.
pub fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%MZ").to_string()
}

/// An optional timestamp; `-` when absent.
pub fn when_opt(t: Option<DateTime<Utc>>) -> String {
    t.map(when).unwrap_or_else(|| "-".into())
}

/// `text` on one line, cut to `max` characters with an ellipsis.
pub fn preview(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// An optional text cell; `-` when absent.
pub fn or_dash(text: Option<&str>) -> String {
    text.filter(|t| !t.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns_to_the_widest_cell() {
        let mut t = Table::new(&["id", "name"]);
        t.row(vec!["tok_1".into(), "cursor".into()]);
        t.row(vec!["t".into(), "x".into()]);
        assert_eq!(t.render(), "id     name\ntok_1  cursor\nt      x");
    }

    #[test]
    fn previews_are_one_line_and_bounded() {
        assert_eq!(preview("a\n b   c", 10), "a b c");
        assert_eq!(preview("abcdefghij", 5), "abcd…");
    }
}
