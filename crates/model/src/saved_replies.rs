//! Saved replies (a help desk's "macros"): a text a person inserts into the reply box, with
//! variables such as `{{customer.name}}` or `{{invoice.amount_due}}` filled from the records the
//! desk holds. The tenant's come from the platform; a person keeps personal ones on their desk.
//! Inserting one only fills the reply box: a person still reads, edits and sends it.

use crate::TicketId;
use crate::problem::{Problem, TextField};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Every variable a saved reply may use. A text naming any other is refused when saved.
pub const VARIABLES: &[&str] = &[
    "customer.name",
    "customer.first_name",
    "customer.email",
    "invoice.number",
    "invoice.total",
    "invoice.amount_due",
    "invoice.due_date",
    "ticket.id",
    "ticket.subject",
    "agent.name",
];

/// At most this many characters in a saved reply's title, and in its text.
pub const MAX_TITLE: usize = 120;
pub const MAX_BODY: usize = 10_000;

/// The languages a saved reply is written in.
pub const LANGUAGES: [&str; 4] = ["en", "es", "fr", "de"];

/// A saved reply as the reply box lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReply {
    pub id: String,
    pub title: String,
    /// `en`, `es`, `fr` or `de`.
    pub language: String,
    pub body: String,
    /// Kept on this desk by the person, not the tenant's.
    pub personal: bool,
}

/// A saved reply with the ticket's records filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilledReply {
    pub text: String,
    /// The variables the records hold no value for (no invoice yet, say): left in the text as
    /// written, so the person sees what to complete; a reply that still has one is not sent.
    pub missing: Vec<String>,
}

/// Search the saved replies: every word of `query` in the title or text; `language` first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReplyQuery {
    #[serde(default)]
    pub query: String,
    pub language: Option<String>,
}

/// Fill saved reply `reply_id` for ticket `ticket_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FillReply {
    pub ticket_id: TicketId,
    pub reply_id: String,
}

/// Keep a personal saved reply on this desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveReply {
    pub title: String,
    pub language: String,
    pub body: String,
}

impl SaveReply {
    /// The saved reply as kept: title and text trimmed (NUL characters dropped), the language
    /// in lower case; refused when a text is blank or too long, the language is not one of
    /// [`LANGUAGES`], or the text names a variable not in [`VARIABLES`]. The one check of a
    /// saved reply, on a desk and on the platform.
    pub fn checked(&self) -> Result<SaveReply, Problem> {
        let text = |field, value: &str, max| {
            let t = value.replace('\0', "").trim().to_owned();
            let chars = t.chars().count();
            if t.is_empty() {
                Err(Problem::Required { field })
            } else if chars > max {
                Err(Problem::TooLong { field, chars, max })
            } else {
                Ok(t)
            }
        };
        let title = text(TextField::Title, &self.title, MAX_TITLE)?;
        let body = text(TextField::Body, &self.body, MAX_BODY)?;
        let language = self.language.trim().to_ascii_lowercase();
        if !LANGUAGES.contains(&language.as_str()) {
            return Err(Problem::UnknownLanguage {
                language: self.language.clone(),
            });
        }
        if let Some((_, name)) = placeholders(&body).find(|(_, n)| !VARIABLES.contains(n)) {
            return Err(Problem::UnknownVariable {
                name: name.to_owned(),
            });
        }
        Ok(SaveReply {
            title,
            language,
            body,
        })
    }
}

/// The placeholders of `text`: each `{{ name }}` whose name is words joined by dots (`a.b`,
/// lower case, digits and `_` allowed), with its byte range and trimmed name.
pub fn placeholders(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(open) = text[from..].find("{{").map(|i| from + i) {
            let Some(close) = text[open + 2..].find("}}").map(|i| open + 2 + i) else {
                from = text.len();
                return None;
            };
            let name = text[open + 2..close].trim();
            let is_name = !name.is_empty()
                && name.split('.').all(|w| {
                    !w.is_empty()
                        && w.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                });
            if is_name {
                from = close + 2;
                return Some((open..close + 2, name));
            }
            from = open + 2;
        }
        from = text.len();
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        placeholders(text).map(|(_, n)| n).collect()
    }

    #[test]
    fn placeholders_are_dotted_names_in_double_braces() {
        assert_eq!(
            names("Hi {{customer.first_name}}, {{ invoice.number }} is {{invoice.amount_due}}."),
            [
                "customer.first_name",
                "invoice.number",
                "invoice.amount_due"
            ]
        );
        assert_eq!(
            names("{{}} {{ }} {{Not A Name}} {x} {{a..b}} {{open"),
            [] as [&str; 0]
        );
        assert_eq!(names("{{{{ticket.id}}"), ["ticket.id"]);
        let text = "Dear {{customer.name}}";
        let (range, _) = placeholders(text).next().unwrap();
        assert_eq!(&text[range], "{{customer.name}}");
    }
}
