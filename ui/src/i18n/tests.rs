use super::*;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Message id → the variables its value uses (all variants), per language.
fn catalogue(l: Locale) -> BTreeMap<String, BTreeSet<String>> {
    let res = match fluent_syntax::parser::parse(l.source()) {
        Ok(r) => r,
        Err((_, errors)) => panic!("{}.ftl does not parse: {errors:?}", l.tag()),
    };
    let mut out = BTreeMap::new();
    for entry in res.body {
        match entry {
            ast::Entry::Message(m) => {
                assert!(
                    m.attributes.is_empty(),
                    "{}.ftl: {} has attributes; the UI reads values only",
                    l.tag(),
                    m.id.name
                );
                let value = m
                    .value
                    .unwrap_or_else(|| panic!("{}.ftl: {} has no value", l.tag(), m.id.name));
                let mut vars = BTreeSet::new();
                pattern_vars(&value, &mut vars);
                let fresh = out.insert(m.id.name.to_owned(), vars).is_none();
                assert!(fresh, "{}.ftl: {} is defined twice", l.tag(), m.id.name);
            }
            ast::Entry::Term(t) => {
                panic!("{}.ftl: term -{} (keep to messages)", l.tag(), t.id.name)
            }
            ast::Entry::Junk { content } => panic!("{}.ftl: junk {content:?}", l.tag()),
            _ => {}
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, out),
    }
}

fn inline_vars(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
        _ => {}
    }
}

/// Every `tr!("key", a = …, b = …)` in the UI's sources: (file, key, variables passed).
fn calls() -> Vec<(String, String, BTreeSet<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // Comment lines may show the macro; only code counts.
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let name = f.strip_prefix(&root).unwrap().display().to_string();
        let mut rest = code.as_str();
        while let Some(at) = rest.find("tr!(") {
            // `include_str!(` is not a call of ours.
            let whole_word = !rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            rest = &rest[at + 4..];
            if !whole_word {
                continue;
            }
            let (key, vars, after) = parse_call(rest)
                .unwrap_or_else(|| panic!("{name}: cannot read the tr! call at {:.60}", rest));
            out.push((name.clone(), key, vars));
            rest = after;
        }
    }
    assert!(out.len() > 100, "found only {} tr! calls", out.len());
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n/tests.rs") {
            out.push(p);
        }
    }
}

/// `"key", a = x(1, 2), b = "s")…` → the key, `{a, b}` and what follows the call.
fn parse_call(s: &str) -> Option<(String, BTreeSet<String>, &str)> {
    let s = s.trim_start().strip_prefix('"')?;
    let end = s.find('"')?;
    let key = s[..end].to_owned();
    let s = &s[end + 1..];
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    let mut segment_start = 0;
    let mut vars = BTreeSet::new();
    let mut take = |segment: &str| {
        if let Some((name, _)) = segment.split_once('=') {
            let name = name.trim();
            if !name.is_empty() {
                vars.insert(name.to_owned());
            }
        }
    };
    for (i, c) in s.char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth > 0 => depth -= 1,
            ')' => {
                take(&s[segment_start..i]);
                return Some((key, vars, &s[i + 1..]));
            }
            ',' if depth == 0 => {
                take(&s[segment_start..i]);
                segment_start = i + 1;
            }
            _ => {}
        }
    }
    None
}

#[test]
fn every_key_exists_in_every_language_with_the_same_variables() {
    let en = catalogue(Locale::En);
    assert!(
        en.len() > 100,
        "the English catalogue has {} keys",
        en.len()
    );
    for l in [Locale::Es, Locale::Fr, Locale::De] {
        let other = catalogue(l);
        let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{}.ftl lacks {missing:?}", l.tag());
        let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(
            extra.is_empty(),
            "{}.ftl has keys English lacks: {extra:?}",
            l.tag()
        );
        for (key, vars) in &en {
            assert_eq!(
                &other[key],
                vars,
                "{}.ftl: {key} uses other variables than English",
                l.tag()
            );
        }
    }
}

#[test]
fn every_call_names_a_key_of_the_catalogue_and_passes_its_variables() {
    let en = catalogue(Locale::En);
    let calls = calls();
    for (file, key, vars) in &calls {
        let Some(wanted) = en.get(key) else {
            panic!("{file}: tr!({key:?}) names no key of en.ftl");
        };
        assert_eq!(vars, wanted, "{file}: tr!({key:?}) passes other variables");
    }
    let used: BTreeSet<&String> = calls.iter().map(|(_, k, _)| k).collect();
    let unused: Vec<_> = en.keys().filter(|k| !used.contains(k)).collect();
    assert!(unused.is_empty(), "keys no code uses: {unused:?}");
}

#[test]
fn every_message_formats_in_every_language_without_error() {
    for l in Locale::ALL {
        let bundle = bundle(l);
        for (key, vars) in catalogue(l) {
            let mut args = FluentArgs::new();
            for v in &vars {
                // A number where one is expected selects a plural form; words read as text.
                args.set(v.clone(), 2);
            }
            let pattern = bundle.get_message(&key).unwrap().value().unwrap();
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
            assert!(errors.is_empty(), "{}: {key}: {errors:?}", l.tag());
            assert!(!text.trim().is_empty(), "{}: {key} is empty", l.tag());
        }
    }
}

#[test]
fn a_missing_translation_reads_english_and_plurals_follow_the_language() {
    set_locale(Locale::De);
    assert_eq!(t("nav-inbox", None), "Posteingang");
    set_locale(Locale::Fr);
    assert_eq!(
        tr!("badge-drafts-waiting", count = 1),
        "1 brouillon en attente"
    );
    assert_eq!(
        tr!("badge-drafts-waiting", count = 3),
        "3 brouillons en attente"
    );
    set_locale(Locale::En);
    assert_eq!(tr!("badge-drafts-waiting", count = 1), "1 draft waiting");
    assert_eq!(t("no-such-key", None), "no-such-key");
}

#[test]
fn the_system_language_is_the_first_preferred_one_we_speak() {
    assert_eq!(Locale::first_spoken(["es-MX", "en-US"]), Locale::Es);
    assert_eq!(Locale::first_spoken(["pt-BR", "de_DE.UTF-8"]), Locale::De);
    assert_eq!(Locale::first_spoken(["ja"]), Locale::En);
    assert_eq!(Locale::first_spoken([]), Locale::En);
    assert_eq!(Locale::parse("FR-ca"), Some(Locale::Fr));
}
