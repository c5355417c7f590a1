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
use chrono::NaiveDate;

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

/// A saved reply the team keeps, with variables such as `{{customer.first_name}}`.
#[derive(Debug)]
pub(super) struct SavedReply {
    pub title: &'static str,
    pub body: &'static str,
}

/// Everything written in one language.
#[derive(Debug)]
pub(super) struct Phrases {
    /// Indexed by [`Topic::index`].
    pub threads: [Thread; 8],
    /// Short customer thank-you notes that close a thread.
    pub thanks: &'static [&'static str],
    pub articles: &'static [Article],
    /// The team's saved replies in this language.
    pub saved_replies: &'static [SavedReply],
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
/// Spanish and German, `1 990,00 €` in French (the drafting engine's notation).
pub(super) fn money_text(lang: Lang, cur: Cur, minor: i64) -> String {
    countersign_drafting::lang::money_text(
        lang,
        countersign_model::Money::from_minor(minor, cur.currency()),
    )
}

/// A date as written in `lang`: `3 March 2026`, `3 de marzo de 2026`, `3 mars 2026`, `3. März 2026`.
pub(super) fn date_text(lang: Lang, d: NaiveDate) -> String {
    countersign_drafting::lang::date_text(lang, d)
}
