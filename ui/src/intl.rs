//! Dates, times, numbers and money in the person's language, by the platform's ICU (the
//! browser's `Intl`), never by rules of our own. Formatters are made once per language and kind.
//!
//! Money stays exact: the amount goes to `Intl.NumberFormat` as its decimal string with the
//! currency's own number of decimals, so nothing is rounded through a float on the way.

use crate::i18n::{self, Locale};
use chrono::{DateTime, NaiveDate, Utc};
use countersign_model::Money;
use js_sys::{Array, Function, Intl, Object, Reflect};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsValue;

thread_local! {
    static NUMBERS: RefCell<HashMap<(Locale, String), Function>> = RefCell::new(HashMap::new());
    static DATES: RefCell<HashMap<(Locale, &'static str), Intl::DateTimeFormat>> =
        RefCell::new(HashMap::new());
    static RELATIVE: RefCell<HashMap<Locale, Intl::RelativeTimeFormat>> =
        RefCell::new(HashMap::new());
}

fn locales(l: Locale) -> Array {
    Array::of1(&JsValue::from_str(l.tag()))
}

fn options(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

/// Formats `value` (a number or a decimal string) with the number format `kind` builds.
fn number_with(kind: &str, value: JsValue, make: impl FnOnce() -> Object) -> String {
    let l = i18n::locale();
    NUMBERS.with(|m| {
        let mut m = m.borrow_mut();
        let f = m
            .entry((l, kind.to_owned()))
            .or_insert_with(|| Intl::NumberFormat::new(&locales(l), &make()).format());
        f.call1(&JsValue::NULL, &value)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    })
}

/// `1.234,50 €`, `€1,234.50`, `1 234,50 €`: the exact amount, per the language's rules.
pub fn money(m: &Money) -> String {
    let code = m.currency().to_string();
    let digits = JsValue::from_f64(f64::from(m.currency().exponent()));
    number_with(&format!("money-{code}"), m.amount_string().into(), || {
        options(&[
            ("style", "currency".into()),
            ("currency", code.as_str().into()),
            ("minimumFractionDigits", digits.clone()),
            ("maximumFractionDigits", digits),
        ])
    })
}

/// `87 %`, `87%`: a confidence between 0 and 1, as a whole percentage.
pub fn percent(p: f64) -> String {
    number_with("percent", JsValue::from_f64(p.clamp(0.0, 1.0)), || {
        options(&[
            ("style", "percent".into()),
            ("maximumFractionDigits", JsValue::from_f64(0.0)),
        ])
    })
}

/// `12 kB`, `1,2 MB`: a file's size in the language's units (decimal: 1 kB is 1000 bytes).
pub fn file_size(bytes: i64) -> String {
    let (unit, value) = match bytes {
        b if b < 1000 => ("byte", b as f64),
        b if b < 1_000_000 => ("kilobyte", b as f64 / 1e3),
        b => ("megabyte", b as f64 / 1e6),
    };
    number_with(&format!("size-{unit}"), JsValue::from_f64(value), || {
        options(&[
            ("style", "unit".into()),
            ("unit", unit.into()),
            ("unitDisplay", "short".into()),
            ("maximumFractionDigits", JsValue::from_f64(1.0)),
        ])
    })
}

fn date_with(kind: &'static str, millis: f64, make: impl FnOnce() -> Object) -> String {
    let l = i18n::locale();
    DATES.with(|m| {
        let mut m = m.borrow_mut();
        let f = m
            .entry((l, kind))
            .or_insert_with(|| Intl::DateTimeFormat::new(&locales(l), &make()));
        let date = js_sys::Date::new(&JsValue::from_f64(millis));
        f.format()
            .call1(&JsValue::NULL, &date)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    })
}

/// A calendar day (a due date): `7 dic 2026`, `Dec 7, 2026`. The day as recorded, whatever the
/// machine's time zone.
pub fn date(d: NaiveDate) -> String {
    let millis = d
        .and_hms_opt(12, 0, 0)
        .map(|t| t.and_utc().timestamp_millis() as f64)
        .unwrap_or_default();
    date_with("date", millis, || {
        options(&[("dateStyle", "medium".into()), ("timeZone", "UTC".into())])
    })
}

/// A moment in the machine's time zone: `7 dic 2026, 14:05`.
pub fn date_time(t: DateTime<Utc>) -> String {
    date_with("date-time", t.timestamp_millis() as f64, || {
        options(&[
            ("dateStyle", "medium".into()),
            ("timeStyle", "short".into()),
        ])
    })
}

/// `hace 5 minutos`, `vor 3 Stunden`, `just now`: how long ago `at` was.
pub fn ago(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - at).num_minutes().max(0);
    let (value, unit) = match minutes {
        0 => (0, "minute"),
        1..=59 => (minutes, "minute"),
        60..=2879 => (minutes / 60, "hour"),
        _ => (minutes / (24 * 60), "day"),
    };
    let l = i18n::locale();
    RELATIVE.with(|m| {
        let mut m = m.borrow_mut();
        let f = m.entry(l).or_insert_with(|| {
            Intl::RelativeTimeFormat::new(&locales(l), &options(&[("numeric", "auto".into())]))
        });
        if value == 0 {
            // "now" in every language (`numeric: auto` reads 0 seconds as now).
            return String::from(f.format(0.0, "second"));
        }
        String::from(f.format(-(value as f64), unit))
    })
}
