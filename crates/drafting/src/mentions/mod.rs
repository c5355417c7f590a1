//! What a text states: money amounts (a number next to a currency sign or code), invoice numbers
//! and dates, written the way any of our four languages writes them. The grounding check reads a
//! reply with this; the offline drafter reads the customer's messages with it.

use chrono::NaiveDate;
use countersign_model::Currency;
use dates::dates;
use rust_decimal::Decimal;

mod dates;

/// An amount of money a text states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountMention {
    /// As written, e.g. `1.990,00 €`.
    pub text: String,
    pub currency: Currency,
    pub value: Decimal,
}

/// A date a text states. Numeric dates such as `03/04/2026` can be read two ways; both are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    pub text: String,
    pub readings: Vec<NaiveDate>,
}

/// Everything a text states that a record must back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    pub amounts: Vec<AmountMention>,
    pub invoice_numbers: Vec<String>,
    pub dates: Vec<DateMention>,
}

/// The prefix every invoice number is looked for with, besides those the records use.
pub const DEFAULT_INVOICE_PREFIX: &str = "INV";

/// Finds what `text` states. `invoice_prefixes` are the letters invoice numbers start with on
/// this desk (`INV-` and any other the records use).
pub fn find(text: &str, invoice_prefixes: &[String]) -> Mentions {
    let chars: Vec<char> = text.chars().collect();
    Mentions {
        amounts: amounts(&chars),
        invoice_numbers: invoice_numbers(text, invoice_prefixes),
        dates: dates(&chars),
    }
}

/// The letters before the first digit of an invoice number (`INV-` of `INV-2026-000123`), if it
/// has any worth looking for.
pub fn invoice_prefix(number: &str) -> Option<String> {
    let prefix: String = number.chars().take_while(|c| !c.is_ascii_digit()).collect();
    (prefix.chars().filter(|c| c.is_alphabetic()).count() >= 2).then_some(prefix)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

fn starts_number(chars: &[char], i: usize) -> bool {
    chars[i].is_ascii_digit()
        && match i.checked_sub(1).map(|p| chars[p]) {
            None => true,
            Some(p) if p.is_alphanumeric() => false,
            // `INV-2026-…`, `2026/03`: part of an identifier or a date, not an amount.
            Some('-' | '/' | '_' | '.' | ',') => false,
            Some(_) => true,
        }
}

/// The end of the number starting at `i`: digits, and `.` `,` `'` or a space between digit
/// groups (a space only before exactly three digits, as in `1 990,00`).
fn number_end(chars: &[char], i: usize) -> usize {
    let mut j = i;
    while j < chars.len() {
        let c = chars[j];
        if c.is_ascii_digit() {
            j += 1;
            continue;
        }
        let next_digit = chars.get(j + 1).is_some_and(char::is_ascii_digit);
        if matches!(c, '.' | ',' | '\'') && next_digit {
            j += 1;
            continue;
        }
        if is_space(c) && next_digit {
            let run = chars[j + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let after = chars.get(j + 1 + run);
            if run == 3 && !after.is_some_and(|c| c.is_alphabetic()) {
                j += 1;
                continue;
            }
        }
        break;
    }
    j
}

/// The value of a number as written with grouping and a decimal mark in any of our languages.
fn number_value(s: &[char]) -> Option<Decimal> {
    let mut groups: Vec<String> = vec![String::new()];
    let mut seps: Vec<char> = Vec::new();
    for &c in s {
        if c.is_ascii_digit() {
            groups.last_mut()?.push(c);
        } else {
            seps.push(c);
            groups.push(String::new());
        }
    }
    let last_sep = seps.last().copied();
    let last_len = groups.last().map_or(0, String::len);
    let (int, frac) = match last_sep {
        Some('.' | ',') if last_len != 3 => {
            let frac = groups.pop()?;
            (groups.concat(), frac)
        }
        _ => (groups.concat(), String::new()),
    };
    let text = if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    };
    Decimal::from_str_exact(&text).ok().map(|d| d.normalize())
}

/// A currency sign or code ending just before `end` (a space allowed between).
fn currency_before(chars: &[char], end: usize) -> Option<Currency> {
    let mut e = end;
    if e > 0 && is_space(chars[e - 1]) {
        e -= 1;
    }
    let before: String = chars[e.saturating_sub(3)..e].iter().collect();
    if before.ends_with("US$") {
        return Some(Currency::USD);
    }
    match chars.get(e.wrapping_sub(1)) {
        Some('€') => return Some(Currency::EUR),
        Some('£') => return Some(Currency::GBP),
        Some('$') => return Some(Currency::USD),
        _ => {}
    }
    let start = e.checked_sub(3)?;
    let code = &chars[start..e];
    let bounded = start == 0 || !chars[start - 1].is_alphanumeric();
    (bounded && code.iter().all(char::is_ascii_uppercase))
        .then(|| Currency::parse(&code.iter().collect::<String>()).ok())
        .flatten()
}

/// A currency sign or code starting at `start` (a space allowed before); returns it and its end.
fn currency_after(chars: &[char], start: usize) -> Option<(Currency, usize)> {
    let mut s = start;
    if chars.get(s).copied().is_some_and(is_space) {
        s += 1;
    }
    let rest: String = chars[s.min(chars.len())..].iter().take(3).collect();
    if rest.starts_with("US$") {
        return Some((Currency::USD, s + 3));
    }
    match chars.get(s) {
        Some('€') => return Some((Currency::EUR, s + 1)),
        Some('£') => return Some((Currency::GBP, s + 1)),
        Some('$') => return Some((Currency::USD, s + 1)),
        _ => {}
    }
    let code = chars.get(s..s + 3)?;
    let bounded = !chars.get(s + 3).is_some_and(|c| c.is_alphanumeric());
    (bounded && code.iter().all(char::is_ascii_uppercase))
        .then(|| Currency::parse(&code.iter().collect::<String>()).ok())
        .flatten()
        .map(|c| (c, s + 3))
}

fn sign_start(chars: &[char], number_start: usize) -> usize {
    let mut s = number_start;
    if s > 0 && is_space(chars[s - 1]) {
        s -= 1;
    }
    let before: String = chars[s.saturating_sub(3)..s].iter().collect();
    if before.ends_with("US$") {
        return s - 3;
    }
    if s > 0 && matches!(chars[s - 1], '€' | '£' | '$') {
        return s - 1;
    }
    s.saturating_sub(3)
}

fn amounts(chars: &[char]) -> Vec<AmountMention> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !starts_number(chars, i) {
            i += 1;
            continue;
        }
        let end = number_end(chars, i);
        let mut number = &chars[i..end];
        // A trailing separator is punctuation: "€49.00." ends a sentence.
        while number.last().is_some_and(|c| !c.is_ascii_digit()) {
            number = &number[..number.len() - 1];
        }
        let value = number_value(number);
        let stated = match (currency_after(chars, end), currency_before(chars, i)) {
            (Some((cur, to)), _) => Some((cur, i, to)),
            (None, Some(cur)) => Some((cur, sign_start(chars, i), end)),
            (None, None) => None,
        };
        if let (Some(value), Some((currency, from, to))) = (value, stated) {
            found.push(AmountMention {
                text: chars[from..to].iter().collect::<String>().trim().to_owned(),
                currency,
                value,
            });
        }
        i = end.max(i + 1);
    }
    found
}

fn invoice_numbers(text: &str, prefixes: &[String]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let tokens = text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '/')));
    for token in tokens {
        let token = token.trim_end_matches(['-', '_', '/']);
        let upper = token.to_uppercase();
        let matches = std::iter::once(DEFAULT_INVOICE_PREFIX)
            .chain(prefixes.iter().map(String::as_str))
            .any(|p| {
                let p = p.to_uppercase();
                upper.starts_with(&p)
                    && upper[p.len()..]
                        .trim_start_matches(['-', '_'])
                        .starts_with(|c: char| c.is_ascii_digit())
            });
        if matches && !found.iter().any(|f| f.eq_ignore_ascii_case(token)) {
            found.push(token.to_owned());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts_in(text: &str) -> Vec<(String, &'static str)> {
        find(text, &[])
            .amounts
            .into_iter()
            .map(|a| {
                let code = match a.currency.as_str() {
                    "EUR" => "EUR",
                    "USD" => "USD",
                    "GBP" => "GBP",
                    _ => "other",
                };
                (a.value.to_string(), code)
            })
            .collect()
    }

    #[test]
    fn amounts_in_every_language_are_read_with_their_currency() {
        assert_eq!(
            amounts_in("we charged €1,990.00 twice"),
            [("1990".into(), "EUR")]
        );
        assert_eq!(
            amounts_in("cobrado 1.990,00 € dos veces"),
            [("1990".into(), "EUR")]
        );
        assert_eq!(
            amounts_in("prélevé 1 990,00 € deux fois"),
            [("1990".into(), "EUR")]
        );
        assert_eq!(
            amounts_in("prélevé 1\u{202f}990,50\u{a0}€."),
            [("1990.5".into(), "EUR")]
        );
        assert_eq!(
            amounts_in("zweimal 49,05 US$ abgebucht"),
            [("49.05".into(), "USD")]
        );
        assert_eq!(amounts_in("a refund of $49.05."), [("49.05".into(), "USD")]);
        assert_eq!(
            amounts_in("GBP 12 and 30 EUR"),
            [("12".into(), "GBP"), ("30".into(), "EUR")]
        );
        assert_eq!(amounts_in("£7.5"), [("7.5".into(), "GBP")]);
    }

    #[test]
    fn numbers_without_a_currency_are_not_amounts() {
        assert!(
            amounts_in("within 5 to 7 working days, 24 hours, invoice INV-2026-000123").is_empty()
        );
        assert!(amounts_in("ABC 12").is_empty(), "ABC is not a currency");
    }

    #[test]
    fn invoice_numbers_are_found_by_their_prefix() {
        let m = find(
            "Invoice INV-2026-000123, and inv-2025-000007. Not INVOICE.",
            &[],
        );
        assert_eq!(m.invoice_numbers, ["INV-2026-000123", "inv-2025-000007"]);
        let m = find("see FAC/2026/17 please", &["FAC/".to_owned()]);
        assert_eq!(m.invoice_numbers, ["FAC/2026/17"]);
        assert_eq!(invoice_prefix("INV-2026-000123").as_deref(), Some("INV-"));
        assert_eq!(invoice_prefix("12345"), None);
    }

    #[test]
    fn dates_in_every_language_are_read() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let read = |t: &str| -> Vec<Vec<NaiveDate>> {
            find(t, &[]).dates.into_iter().map(|d| d.readings).collect()
        };
        assert_eq!(read("on 3 March 2026."), [vec![d(2026, 3, 3)]]);
        assert_eq!(read("on March 3, 2026"), [vec![d(2026, 3, 3)]]);
        assert_eq!(read("el 3 de marzo de 2026"), [vec![d(2026, 3, 3)]]);
        assert_eq!(read("le 1er mars 2026"), [vec![d(2026, 3, 1)]]);
        assert_eq!(read("am 3. März 2026"), [vec![d(2026, 3, 3)]]);
        assert_eq!(read("on 3 Mar 2026"), [vec![d(2026, 3, 3)]]);
        assert_eq!(read("2026-03-05"), [vec![d(2026, 3, 5)]]);
        assert_eq!(read("05.03.2026"), [vec![d(2026, 3, 5)]]);
        assert_eq!(read("05/03/2026"), [vec![d(2026, 3, 5), d(2026, 5, 3)]]);
        assert!(read("INV-2026-000123 and May we help").is_empty());
        assert!(read("31 February 2026").is_empty(), "no such day");
    }
}
