//! The four languages the desk drafts in, and how each writes money and dates. The drafter
//! writes with these; [`crate::mentions`] reads any of them back.

use chrono::{Datelike, NaiveDate};
use countersign_model::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
    Fr,
    De,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Es, Lang::Fr, Lang::De];

    /// The language of a BCP 47 tag (`es`, `es-MX`, `DE_at`); English when it is none of ours.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").trim();
        match primary.to_ascii_lowercase().as_str() {
            "es" => Lang::Es,
            "fr" => Lang::Fr,
            "de" => Lang::De,
            _ => Lang::En,
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::De => "de",
        }
    }

    /// The language's place in [`Lang::ALL`], for tables indexed by language.
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// Month names as each language writes them in full, indexed by language then month.
pub(crate) const MONTHS: [[&str; 12]; 4] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
];

/// An amount as `lang` writes it: `€1,990.00` in English, `1.990,00 €` in Spanish and German,
/// `1 990,00 €` in French; a currency without a common symbol is written with its code.
pub fn money_text(lang: Lang, money: Money) -> String {
    let exp = money.currency().exponent();
    let scale = 10i64.pow(exp);
    let minor = money.minor();
    let sign = if minor < 0 { "-" } else { "" };
    let (major, cents) = (
        minor.unsigned_abs() / scale as u64,
        minor.unsigned_abs() % scale as u64,
    );
    let (group, decimal) = match lang {
        Lang::En => (',', '.'),
        Lang::Es | Lang::De => ('.', ','),
        Lang::Fr => (' ', ','),
    };
    let digits = major.to_string();
    let mut number = String::with_capacity(digits.len() + 8);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            number.push(group);
        }
        number.push(c);
    }
    if exp > 0 {
        number.push(decimal);
        number.push_str(&format!("{cents:0width$}", width = exp as usize));
    }
    let code = money.currency();
    let symbol = match (lang, code.as_str()) {
        (_, "EUR") => Some("€"),
        (_, "GBP") => Some("£"),
        (Lang::En, "USD") => Some("$"),
        (_, "USD") => Some("US$"),
        _ => None,
    };
    match (lang, symbol) {
        (Lang::En, Some(s)) => format!("{sign}{s}{number}"),
        (Lang::En, None) => format!("{sign}{code} {number}"),
        (_, Some(s)) => format!("{sign}{number} {s}"),
        (_, None) => format!("{sign}{number} {code}"),
    }
}

/// A date as `lang` writes it: `3 March 2026`, `3 de marzo de 2026`, `3 mars 2026` (`1er mars`),
/// `3. März 2026`.
pub fn date_text(lang: Lang, d: NaiveDate) -> String {
    let month = MONTHS[lang.index()][d.month0() as usize];
    match lang {
        Lang::En => format!("{} {month} {}", d.day(), d.year()),
        Lang::Es => format!("{} de {month} de {}", d.day(), d.year()),
        Lang::Fr if d.day() == 1 => format!("1er {month} {}", d.year()),
        Lang::Fr => format!("{} {month} {}", d.day(), d.year()),
        Lang::De => format!("{}. {month} {}", d.day(), d.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use countersign_model::Currency;

    #[test]
    fn money_is_written_the_way_each_language_writes_it() {
        let m = Money::from_minor(199_000, Currency::EUR);
        assert_eq!(money_text(Lang::En, m), "€1,990.00");
        assert_eq!(money_text(Lang::Es, m), "1.990,00 €");
        assert_eq!(money_text(Lang::Fr, m), "1 990,00 €");
        assert_eq!(money_text(Lang::De, m), "1.990,00 €");
        let usd = Money::from_minor(4_905, Currency::USD);
        assert_eq!(money_text(Lang::En, usd), "$49.05");
        assert_eq!(money_text(Lang::De, usd), "49,05 US$");
        let jpy = Money::from_minor(1200, Currency::parse("JPY").unwrap());
        assert_eq!(money_text(Lang::En, jpy), "JPY 1,200");
    }

    #[test]
    fn dates_are_written_the_way_each_language_writes_them() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(date_text(Lang::En, d), "1 March 2026");
        assert_eq!(date_text(Lang::Es, d), "1 de marzo de 2026");
        assert_eq!(date_text(Lang::Fr, d), "1er mars 2026");
        assert_eq!(date_text(Lang::De, d), "1. März 2026");
    }

    #[test]
    fn a_tag_names_its_language_or_english() {
        assert_eq!(Lang::from_tag("es-MX"), Lang::Es);
        assert_eq!(Lang::from_tag("DE_at"), Lang::De);
        assert_eq!(Lang::from_tag("pt-BR"), Lang::En);
    }
}
