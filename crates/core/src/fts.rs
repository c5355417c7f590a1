//! Turning what a person or an assistant typed into a safe FTS5 query.
//!
//! Every word is quoted (FTS5 string syntax: `"` doubled) and becomes a prefix query, so
//! punctuation, `AND`/`NOT`/`NEAR`, column filters and stray quotes are plain text, never syntax.

/// The most words of a query that are used; the rest are ignored.
pub const MAX_WORDS: usize = 12;
/// The longest query accepted, in bytes.
pub const MAX_QUERY_LEN: usize = 512;

/// Builds an FTS5 MATCH expression in which every word must match (as a prefix).
/// Returns `None` when the text has no searchable word.
pub fn match_all_words(text: &str) -> Option<String> {
    let words = quoted_words(text, |_| true);
    (!words.is_empty()).then(|| words.join(" "))
}

/// Each searchable word of `text` on its own: (the word as typed, its FTS5 prefix query). For
/// searches in which every word must match somewhere, not all in the same column.
pub fn each_word(text: &str) -> Vec<(String, String)> {
    words(text)
        .take(MAX_WORDS)
        .map(|w| (w.to_owned(), quote(w)))
        .collect()
}

/// Builds an FTS5 MATCH expression any of whose words may match (ranked by how well): the words
/// of four letters or more, numbers left out. For "what is this text about" lookups.
pub fn match_any_word(text: &str) -> Option<String> {
    let words = quoted_words(text, |w| {
        w.chars().count() >= 4 && !w.chars().any(|c| c.is_ascii_digit())
    });
    (!words.is_empty()).then(|| words.join(" OR "))
}

fn quoted_words(text: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    words(text)
        .filter(|w| keep(w))
        .take(MAX_WORDS)
        .map(quote)
        .collect()
}

/// The words of `text`, punctuation trimmed from their ends.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().any(char::is_alphanumeric))
}

/// A word as an FTS5 prefix query, its quotes doubled: always text, never syntax.
fn quote(w: &str) -> String {
    format!("\"{}\"*", w.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_every_word_as_a_prefix() {
        assert_eq!(
            match_all_words("anna schmidt").as_deref(),
            Some("\"anna\"* \"schmidt\"*")
        );
    }

    #[test]
    fn syntax_characters_are_text() {
        assert_eq!(
            match_all_words("a\"b OR c* NEAR(d)").as_deref(),
            Some("\"a\"\"b\"* \"OR\"* \"c\"* \"NEAR(d\"*")
        );
        assert_eq!(match_all_words("  ** \"\" () - "), None);
        assert_eq!(
            match_all_words("anna.schmidt@example.com").as_deref(),
            Some("\"anna.schmidt@example.com\"*")
        );
    }

    #[test]
    fn any_word_leaves_out_short_words_and_numbers() {
        assert_eq!(
            match_any_word("Charged twice for INV-2026-000123").as_deref(),
            Some("\"Charged\"* OR \"twice\"*")
        );
        assert_eq!(match_any_word("a or 12"), None);
    }

    #[test]
    fn bounds_the_number_of_words() {
        let q = match_all_words(&"w ".repeat(100)).unwrap();
        assert_eq!(q.matches('*').count(), MAX_WORDS);
    }
}
