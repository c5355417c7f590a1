//! What demo customers and agents write, per language: a ticket thread for each billing-support
//! topic (subject, the customer's opening message and follow-up, an agent's reply, an internal
//! note) and knowledge-base articles answering those topics. Placeholders in braces are filled
//! by [`super::tickets`]: `{first}`, `{number}`, `{amount}`, `{date}`, `{due}`, `{plan}`,
//! `{error}`, `{agent}`; amounts and dates are written the way each language writes them.

mod de;
mod en;
mod es;
mod fr;

use super::people::{Cur, Lang};
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Topic {
    DoubleCharge,
    CardDeclined,
    Refund,
    InvoiceCopy,
    PlanChange,
    Cancellation,
    Overdue,
    Vat,
}

impl Topic {
    pub(super) const fn index(self) -> usize {
        self as usize
    }
}

/// One topic's thread in one language.
#[derive(Debug)]
pub(super) struct Thread {
    pub subject: &'static str,
    pub opening: &'static str,
    /// The customer writes again (chasing, or adding a detail).
    pub follow_up: &'static str,
    /// An agent's public answer.
    pub reply: &'static str,
    /// An agent's internal note.
    pub note: &'static str,
}

/// A knowledge-base article.
#[derive(Debug)]
pub(super) struct Article {
    pub title: &'static str,
    pub body: &'static str,
    /// A JSON array of tags.
    pub tags: &'static str,
}

/// Everything written in one language.
#[derive(Debug)]
pub(super) struct Phrases {
    /// Indexed by [`Topic::index`].
    pub threads: [Thread; 8],
    /// Short customer thank-you notes that close a thread.
    pub thanks: &'static [&'static str],
    pub months: [&'static str; 12],
    pub articles: &'static [Article],
}

pub(super) fn phrases(lang: Lang) -> &'static Phrases {
    match lang {
        Lang::En => &en::PHRASES,
        Lang::Es => &es::PHRASES,
        Lang::Fr => &fr::PHRASES,
        Lang::De => &de::PHRASES,
    }
}

/// An amount as a customer writing in `lang` would: `€1,990.00` in English, `1.990,00 €` in
/// Spanish and German, `1 990,00 €` in French.
pub(super) fn money_text(lang: Lang, cur: Cur, minor: i64) -> String {
    let (major, cents) = (minor / 100, (minor % 100).abs());
    let digits = major.to_string();
    let separator = match lang {
        Lang::En => ',',
        Lang::Es | Lang::De => '.',
        Lang::Fr => ' ',
    };
    let mut grouped = String::with_capacity(digits.len() + 4);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 && c.is_ascii_digit() {
            grouped.push(separator);
        }
        grouped.push(c);
    }
    match (lang, cur) {
        (Lang::En, Cur::Eur) => format!("€{grouped}.{cents:02}"),
        (Lang::En, Cur::Usd) => format!("${grouped}.{cents:02}"),
        (Lang::En, Cur::Gbp) => format!("£{grouped}.{cents:02}"),
        (_, Cur::Eur) => format!("{grouped},{cents:02} €"),
        (_, Cur::Usd) => format!("{grouped},{cents:02} US$"),
        (_, Cur::Gbp) => format!("{grouped},{cents:02} £"),
    }
}

/// A date as written in `lang`: `3 Mar 2026`, `3 de marzo de 2026`, `3 mars 2026`, `3. März 2026`.
pub(super) fn date_text(lang: Lang, d: NaiveDate) -> String {
    let month = phrases(lang).months[d.month0() as usize];
    match lang {
        Lang::En => format!("{} {month} {}", d.day(), d.year()),
        Lang::Es => format!("{} de {month} de {}", d.day(), d.year()),
        Lang::Fr if d.day() == 1 => format!("1er {month} {}", d.year()),
        Lang::Fr => format!("{} {month} {}", d.day(), d.year()),
        Lang::De => format!("{}. {month} {}", d.day(), d.year()),
    }
}
