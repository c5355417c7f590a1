//! Reading what a person types in a text box: where the caret is in the text, and the `#word`
//! being typed before it (the reply box's saved-reply search).

/// The byte offset in `text` of a position counted in UTF-16 units, as the page counts.
pub(crate) fn byte_at(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// The `#word` that ends at byte `caret` of `text`, if the person is typing one: its range and
/// the word without `#`.
pub(crate) fn typed_hash(text: &str, caret: usize) -> Option<((usize, usize), String)> {
    let before = text.get(..caret)?;
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    let query = word.strip_prefix('#')?;
    (!query.contains('#')).then(|| ((start, caret), query.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_word_before_the_caret_is_a_search() {
        assert_eq!(typed_hash("#", 1), Some(((0, 1), String::new())));
        assert_eq!(typed_hash("Hi #card", 8), Some(((3, 8), "card".into())));
        assert_eq!(
            typed_hash("Hi #card more", 8),
            Some(((3, 8), "card".into()))
        );
        assert_eq!(typed_hash("Hi #card more", 13), None);
        assert_eq!(typed_hash("issue#4", 7), None);
        assert_eq!(
            typed_hash("Hola\n#ñandú", 13),
            Some(((5, 13), "ñandú".into()))
        );
    }

    #[test]
    fn page_positions_count_utf16_units() {
        let text = "é😀#x";
        assert_eq!(byte_at(text, 0), 0);
        assert_eq!(byte_at(text, 1), 2);
        assert_eq!(byte_at(text, 3), 6);
        assert_eq!(byte_at(text, 5), text.len());
    }
}
