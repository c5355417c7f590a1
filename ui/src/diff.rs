//! A word-level diff between the text an assistant drafted and the text a person sent, for the
//! ticket view's "what was changed" display. Pure and tested natively.
//!
//! Texts are split into words, whitespace and punctuation; the longest common subsequence
//! of those tokens is kept, the rest is shown removed or added. Common leading and trailing
//! tokens are set aside first, so a small edit in a long reply stays cheap; an edit too large
//! to compare token by token (over [`MAX_CELLS`]) reads as one replacement of the changed part.

/// One run of the diff, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    Same(String),
    Removed(String),
    Added(String),
}

/// The largest comparison table (tokens × tokens) computed; beyond it, a plain replacement.
pub const MAX_CELLS: usize = 4_000_000;

/// Words, whitespace runs and single punctuation marks, in order; concatenated they give `text`
/// back. Punctuation stands alone so that `charge.` and `charge today.` share `charge` and `.`.
fn tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq)]
    enum Class {
        Space,
        Word,
        Mark,
    }
    let class = |c: char| {
        if c.is_whitespace() {
            Class::Space
        } else if c.is_alphanumeric() || c == '_' {
            Class::Word
        } else {
            Class::Mark
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev = None;
    for (i, c) in text.char_indices() {
        let k = class(c);
        if prev.as_ref().is_some_and(|p| *p != k || k == Class::Mark) {
            out.push(&text[start..i]);
            start = i;
        }
        prev = Some(k);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The diff from `before` to `after`, with neighbouring runs of one kind merged.
pub fn words(before: &str, after: &str) -> Vec<Span> {
    let (a, b) = (tokens(before), tokens(after));
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out = Vec::new();
    push_all(&mut out, &a[..prefix], Span::Same);
    if mid_a.len().saturating_mul(mid_b.len()) > MAX_CELLS {
        push_all(&mut out, mid_a, Span::Removed);
        push_all(&mut out, mid_b, Span::Added);
    } else {
        lcs(&mut out, mid_a, mid_b);
    }
    push_all(&mut out, &a[a.len() - suffix..], Span::Same);
    fold_separators(out)
}

/// Joins a rewritten passage into one removed and one added run: the spaces and punctuation the
/// two texts happen to share inside it would otherwise cut it into word-by-word alternations
/// (`~~thank~~ we ~~you~~ refunded …`). A separator between changes of one kind only stays.
fn fold_separators(spans: Vec<Span>) -> Vec<Span> {
    let separator = |t: &str| !t.chars().any(char::is_alphanumeric);
    let (mut out, mut del, mut ins) = (Vec::new(), String::new(), String::new());
    let flush = |out: &mut Vec<Span>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            out.push(Span::Removed(std::mem::take(del)));
        }
        if !ins.is_empty() {
            out.push(Span::Added(std::mem::take(ins)));
        }
    };
    for (i, span) in spans.iter().enumerate() {
        match span {
            Span::Removed(t) => del.push_str(t),
            Span::Added(t) => ins.push_str(t),
            Span::Same(t) => {
                let next_kind_differs = match spans.get(i + 1) {
                    Some(Span::Removed(_)) => del.is_empty(),
                    Some(Span::Added(_)) => ins.is_empty(),
                    _ => false,
                };
                let mixed = !del.is_empty() && !ins.is_empty();
                let inside = !del.is_empty() || !ins.is_empty();
                if inside && separator(t) && (mixed || next_kind_differs) && i + 1 < spans.len() {
                    del.push_str(t);
                    ins.push_str(t);
                } else {
                    flush(&mut out, &mut del, &mut ins);
                    out.push(span.clone());
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// Whether the diff changes anything.
pub fn changed(spans: &[Span]) -> bool {
    spans.iter().any(|s| !matches!(s, Span::Same(_)))
}

fn push(out: &mut Vec<Span>, span: Span) {
    match (out.last_mut(), span) {
        (Some(Span::Same(t)), Span::Same(s))
        | (Some(Span::Removed(t)), Span::Removed(s))
        | (Some(Span::Added(t)), Span::Added(s)) => t.push_str(&s),
        (_, span) => out.push(span),
    }
}

fn push_all(out: &mut Vec<Span>, toks: &[&str], kind: fn(String) -> Span) {
    if !toks.is_empty() {
        push(out, kind(toks.concat()));
    }
}

/// Longest common subsequence by dynamic programming over the (trimmed) middle.
fn lcs(out: &mut Vec<Span>, a: &[&str], b: &[&str]) {
    let (n, m) = (a.len(), b.len());
    // len[i][j]: LCS length of a[i..] and b[j..], row-major.
    let mut len = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[i * (m + 1) + j] = if a[i] == b[j] {
                len[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                len[(i + 1) * (m + 1) + j].max(len[i * (m + 1) + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            push(out, Span::Same(a[i].to_owned()));
            (i, j) = (i + 1, j + 1);
        } else if len[(i + 1) * (m + 1) + j] >= len[i * (m + 1) + j + 1] {
            push(out, Span::Removed(a[i].to_owned()));
            i += 1;
        } else {
            push(out, Span::Added(b[j].to_owned()));
            j += 1;
        }
    }
    push_all(out, &a[i..], Span::Removed);
    push_all(out, &b[j..], Span::Added);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Span {
        Span::Same(t.into())
    }
    fn r(t: &str) -> Span {
        Span::Removed(t.into())
    }
    fn a(t: &str) -> Span {
        Span::Added(t.into())
    }

    /// Rebuilds both texts from the spans: the diff must lose nothing.
    fn sides(spans: &[Span]) -> (String, String) {
        let (mut before, mut after) = (String::new(), String::new());
        for span in spans {
            match span {
                Span::Same(t) => {
                    before.push_str(t);
                    after.push_str(t);
                }
                Span::Removed(t) => before.push_str(t),
                Span::Added(t) => after.push_str(t),
            }
        }
        (before, after)
    }

    #[test]
    fn identical_texts_are_one_unchanged_run() {
        let d = words("Hello Anna, refunded.", "Hello Anna, refunded.");
        assert_eq!(d, vec![s("Hello Anna, refunded.")]);
        assert!(!changed(&d));
        assert!(words("", "").is_empty());
    }

    #[test]
    fn a_replaced_word_shows_as_removed_then_added() {
        let d = words(
            "We refunded 49.00 EUR today.",
            "We refunded 59.00 EUR today.",
        );
        assert_eq!(
            d,
            vec![s("We refunded "), r("49"), a("59"), s(".00 EUR today.")]
        );
        assert!(changed(&d));
    }

    #[test]
    fn inserted_and_deleted_words_keep_the_text_around_them() {
        let d = words(
            "Hi Anna, we refunded the charge.",
            "Hi Anna, we refunded the duplicate charge today. Priya",
        );
        assert_eq!(
            sides(&d),
            (
                "Hi Anna, we refunded the charge.".to_owned(),
                "Hi Anna, we refunded the duplicate charge today. Priya".to_owned()
            ),
            "both texts are recoverable from the diff"
        );
        assert_eq!(
            d,
            vec![
                s("Hi Anna, we refunded the "),
                a("duplicate "),
                s("charge"),
                a(" today"),
                s("."),
                a(" Priya"),
            ],
            "only the added words are marked; `charge` and the full stop stay"
        );
    }

    #[test]
    fn a_rewritten_sentence_reads_as_one_removal_and_one_addition() {
        let d = words(
            "Hello Anna,\n\nthank you for writing. Best regards",
            "Hello Anna,\n\nwe refunded it today. Best regards",
        );
        assert_eq!(
            d,
            vec![
                s("Hello Anna,\n\n"),
                r("thank you for writing"),
                a("we refunded it today"),
                s(". Best regards"),
            ],
            "shared spaces inside the rewrite do not cut it word by word"
        );
    }

    #[test]
    fn everything_removed_or_everything_new() {
        assert_eq!(words("old text", ""), vec![r("old text")]);
        assert_eq!(words("", "new text"), vec![a("new text")]);
    }

    #[test]
    fn line_breaks_and_unicode_survive() {
        let before = "Grüße,\nthe team — Zoë";
        let after = "Viele Grüße,\n\nthe billing team — Zoë";
        let d = words(before, after);
        assert_eq!(sides(&d), (before.to_owned(), after.to_owned()));
    }

    #[test]
    fn a_huge_rewrite_degrades_to_one_replacement_and_loses_nothing() {
        let before: String = (0..3000).map(|i| format!("a{i} ")).collect();
        let after: String = (0..3000).map(|i| format!("b{i} ")).collect();
        let d = words(&before, &after);
        assert_eq!(sides(&d), (before.clone(), after.clone()));
        assert!(
            d.len() <= 3,
            "no token-by-token table this size: {}",
            d.len()
        );
    }
}
