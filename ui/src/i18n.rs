//! The UI's four languages: every string a person reads comes from a Fluent catalogue
//! (`ui/locales/<lang>.ftl`, Project Fluent's `fluent-bundle`), through [`tr!`].
//!
//! The language is the person's choice in Settings, or the system's (the first of the
//! browser's preferred languages we speak), English otherwise. It is kept in one place per
//! thread ([`set_locale`]); the window rebuilds its views when it changes, so every call reads
//! the current one. Dates, numbers and money are formatted by the platform's ICU (`intl`).
//!
//! The tests below fail when a key is missing in any language, when a translation drops or
//! invents a variable, when a `tr!` in the sources names a key the catalogue lacks or passes
//! other variables than its message uses, and when a key is no longer used.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
use std::cell::{Cell, OnceCell};

/// A language of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    En,
    Es,
    Fr,
    De,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Locale::En, Locale::Es, Locale::Fr, Locale::De];

    /// The BCP 47 tag, also the value of the `ui.language` setting.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Es => "es",
            Locale::Fr => "fr",
            Locale::De => "de",
        }
    }

    /// The language's own name, for the switch (the same in every language).
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Es => "Español",
            Locale::Fr => "Français",
            Locale::De => "Deutsch",
        }
    }

    /// `es`, `es-MX`, `es_ES.UTF-8` → Spanish; a language we do not speak → `None`.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag
            .split(['-', '_', '.'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The first of `preferred` (most preferred first) that we speak; English otherwise.
    pub fn first_spoken<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Locale {
        preferred
            .into_iter()
            .find_map(Locale::parse)
            .unwrap_or(Locale::En)
    }

    fn index(self) -> usize {
        self as usize
    }

    fn source(self) -> &'static str {
        match self {
            Locale::En => include_str!("../locales/en.ftl"),
            Locale::Es => include_str!("../locales/es.ftl"),
            Locale::Fr => include_str!("../locales/fr.ftl"),
            Locale::De => include_str!("../locales/de.ftl"),
        }
    }
}

thread_local! {
    static CURRENT: Cell<Locale> = const { Cell::new(Locale::En) };
    static BUNDLES: [OnceCell<FluentBundle<FluentResource>>; 4] =
        const { [OnceCell::new(), OnceCell::new(), OnceCell::new(), OnceCell::new()] };
}

/// The language strings are read in now.
pub fn locale() -> Locale {
    CURRENT.with(Cell::get)
}

/// Reads strings in `l` from now on (the views rebuild to show it).
pub fn set_locale(l: Locale) {
    CURRENT.with(|c| c.set(l));
}

fn bundle(l: Locale) -> FluentBundle<FluentResource> {
    // The catalogues are tested to parse; a broken one still yields what did parse.
    let resource = FluentResource::try_new(l.source().to_owned()).unwrap_or_else(|(r, _)| r);
    let lang = l.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new(vec![lang]);
    // No bidi isolation marks: the four languages are left-to-right, and the marks would end
    // up in copied text and in tests' text matches.
    bundle.set_use_isolating(false);
    // A duplicate id is caught by the tests; the first one stays.
    let _ = bundle.add_resource(resource);
    bundle
}

/// `key` in the current language (English when the key is missing there, the key itself when
/// it is missing everywhere: the tests make sure neither happens).
pub fn t(key: &str, args: Option<&FluentArgs>) -> String {
    format_in(locale(), key, args)
        .unwrap_or_else(|| format_in(Locale::En, key, args).unwrap_or_else(|| key.to_owned()))
}

fn format_in(l: Locale, key: &str, args: Option<&FluentArgs>) -> Option<String> {
    BUNDLES.with(|bundles| {
        let bundle = bundles[l.index()].get_or_init(|| bundle(l));
        let pattern = bundle.get_message(key)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        Some(text.into_owned())
    })
}

/// A string of the catalogue in the current language: `tr!("key")`, or with variables
/// `tr!("key", count = n, name = s)` (numbers select plural forms).
macro_rules! tr {
    ($key:literal) => {
        $crate::i18n::t($key, None)
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = fluent_bundle::FluentArgs::new();
        $( args.set(stringify!($name), fluent_bundle::FluentValue::from($value)); )+
        $crate::i18n::t($key, Some(&args))
    }};
}

#[cfg(test)]
mod tests;
