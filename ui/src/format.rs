//! Pure presentation rules, tested natively: how countdowns, a ticket's badges and the sync
//! state read, in the person's language. No browser APIs here; "now" is always passed in (the
//! window's ICU formats dates and money: `intl`).

use chrono::{DateTime, Utc};
use countersign_model::records::{InvoiceSummary, TicketPriority, TicketRow};
use countersign_model::sync::SyncStatus;

/// How long until the SLA is breached, or how long ago it was: `2 h 05 min`, `overdue 3 h`.
pub fn sla(due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<(String, SlaState)> {
    let due = due?;
    let minutes = (due - now).num_minutes();
    let span = |m: i64| {
        let m = m.abs();
        if m >= 48 * 60 {
            tr!("sla-days", days = m / (24 * 60))
        } else if m >= 60 {
            tr!(
                "sla-hours",
                hours = m / 60,
                minutes = format!("{:02}", m % 60)
            )
        } else {
            tr!("sla-minutes", minutes = m)
        }
    };
    Some(if minutes < 0 {
        (tr!("sla-overdue", span = span(minutes)), SlaState::Breached)
    } else if minutes < 60 {
        (span(minutes), SlaState::Soon)
    } else {
        (span(minutes), SlaState::Ok)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaState {
    Ok,
    Soon,
    Breached,
}

impl SlaState {
    pub fn class(self) -> &'static str {
        match self {
            Self::Ok => "sla ok",
            Self::Soon => "sla soon",
            Self::Breached => "sla breached",
        }
    }
}

/// A badge on an inbox row: its text and CSS class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub text: String,
    pub class: &'static str,
}

/// Badges of an inbox row, most urgent first: a colleague on it now, stale draft, draft
/// waiting, escalated.
pub fn badges(row: &TicketRow) -> Vec<Badge> {
    let mut out = Vec::new();
    if !row.present.is_empty() {
        out.push(Badge {
            text: tr!("badge-present", names = row.present.join(", ")),
            class: "badge badge-present",
        });
    }
    if row.stale_drafts > 0 {
        out.push(Badge {
            text: tr!("badge-stale"),
            class: "badge badge-stale",
        });
    }
    if row.pending_drafts > 0 {
        out.push(Badge {
            text: tr!("badge-drafts-waiting", count = row.pending_drafts),
            class: "badge badge-draft",
        });
    }
    if row.open_escalations > 0 {
        out.push(Badge {
            text: tr!("badge-escalated"),
            class: "badge badge-esc",
        });
    }
    out
}

pub fn priority_class(p: TicketPriority) -> &'static str {
    match p {
        TicketPriority::Low => "prio prio-low",
        TicketPriority::Normal => "prio prio-normal",
        TicketPriority::High => "prio prio-high",
        TicketPriority::Urgent => "prio prio-urgent",
    }
}

/// The invoice row's class: overdue ones stand out.
pub fn invoice_class(inv: &InvoiceSummary) -> &'static str {
    if inv.overdue { "overdue" } else { "" }
}

/// How the status bar reads the desk's sync state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncLabel {
    pub text: String,
    /// `ok`, `warn` or `muted`.
    pub class: &'static str,
    /// The longer story on hover: the platform, the last error.
    pub title: String,
}

/// `local only` for a profile without a platform (calm: nothing is wrong), `online · synced 2 min
/// ago`, `offline · last sync 3 h ago` with the last error on hover, `not signed in`. `ago`
/// says how long ago a moment was (the platform's ICU does, in the window).
pub fn sync_label(s: &SyncStatus, ago: impl Fn(DateTime<Utc>) -> String) -> SyncLabel {
    let Some(platform) = &s.platform else {
        return SyncLabel {
            text: tr!("sync-local-only"),
            class: "muted",
            title: tr!("sync-local-only-title"),
        };
    };
    let last = s
        .last_pull_at
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| ago(t.with_timezone(&Utc)));
    let mut title = tr!("sync-platform", platform = platform.as_str());
    if let Some(e) = &s.last_error {
        title = tr!(
            "sync-platform-error",
            platform = platform.as_str(),
            error = e.as_str()
        );
    }
    let (text, class) = if s.signed_in == Some(false) {
        (tr!("sync-not-signed-in"), "warn")
    } else {
        match (s.online, last) {
            (Some(true), Some(ago)) => (tr!("sync-online-synced", ago = ago), "ok"),
            (Some(true), None) => (tr!("sync-online"), "ok"),
            (Some(false), Some(ago)) => (tr!("sync-offline-last", ago = ago), "warn"),
            (Some(false), None) => (tr!("sync-offline-never"), "warn"),
            (None, _) => (tr!("sync-not-yet"), "muted"),
        }
    };
    if s.first_sync_loading {
        return SyncLabel {
            text: tr!("sync-first-loading", state = text),
            class: "warn",
            title: tr!("sync-first-loading-title", title = title),
        };
    }
    SyncLabel { text, class, title }
}

/// An amount as a person typed it in their language (`19,99` in Spanish, French or German,
/// `1,234.50` in English, `1 234,50` with spaces) → the plain decimal the core reads (`19.99`,
/// `1234.50`). A lone separator is the decimal one unless it is the language's grouping mark
/// followed by exactly three digits (`1.234` in German is 1234; `19.99` stays 19.99 in any
/// language, so a habit from another language never multiplies an amount by a hundred). Text
/// that is not a number goes through unchanged, for the core to refuse with its reason.
pub fn amount_input(text: &str, locale: crate::i18n::Locale) -> String {
    let t = text.trim();
    let grouping_mark = match locale {
        crate::i18n::Locale::En => ',',
        _ => '.',
    };
    let s: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    let number = |c: char| c.is_ascii_digit() || matches!(c, '-' | '.' | ',');
    if s.is_empty() || !s.chars().all(number) {
        return t.to_owned();
    }
    let marks: Vec<(usize, char)> = s
        .char_indices()
        .filter(|(_, c)| matches!(c, '.' | ','))
        .collect();
    let decimal_at = match marks.as_slice() {
        [] => None,
        [.., (at, last)] if marks.iter().any(|(_, c)| c != last) => {
            // Both marks: the last is the decimal one, the other groups before it.
            if marks[..marks.len() - 1].iter().any(|(_, c)| c == last) {
                return t.to_owned();
            }
            Some(*at)
        }
        [(at, c)] if *c == grouping_mark && s.len() - at - 1 == 3 => None,
        [(at, _)] => Some(*at),
        // One mark several times: it groups (`1.234.567`).
        _ => None,
    };
    s.char_indices()
        .filter_map(|(i, c)| match c {
            '.' | ',' if Some(i) == decimal_at => Some('.'),
            '.' | ',' => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Locale, set_locale};
    use chrono::TimeZone;

    /// What the window's ICU would say, minute-exact, for the tests.
    fn ago(now: DateTime<Utc>) -> impl Fn(DateTime<Utc>) -> String {
        move |t| format!("{} min ago", (now - t).num_minutes())
    }

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
    }

    #[test]
    fn sla_counts_down_then_says_how_late() {
        assert_eq!(sla(None, at(9, 0)), None, "no SLA, no countdown");
        assert_eq!(
            sla(Some(at(11, 5)), at(9, 0)).unwrap(),
            ("2 h 05 min".into(), SlaState::Ok)
        );
        assert_eq!(
            sla(Some(at(9, 40)), at(9, 0)).unwrap(),
            ("40 min".into(), SlaState::Soon)
        );
        assert_eq!(
            sla(Some(at(6, 0)), at(9, 0)).unwrap(),
            ("overdue 3 h 00 min".into(), SlaState::Breached)
        );
    }

    #[test]
    fn amounts_are_read_as_people_write_them_in_their_language() {
        use Locale::*;
        for (typed, locale, read) in [
            ("19,99", Es, "19.99"),
            ("19,99", De, "19.99"),
            ("1.234,50", De, "1234.50"),
            ("1 234,50", Fr, "1234.50"),
            ("1\u{202f}234,50", Fr, "1234.50"),
            ("19.99", En, "19.99"),
            ("1,234.50", En, "1234.50"),
            ("19.99", De, "19.99"),
            ("1.234", De, "1234"),
            ("1.234.567,5", Es, "1234567.5"),
            ("1,234", En, "1234"),
            ("1,5", En, "1.5"),
            ("12,345", Es, "12.345"),
            (" 25 ", Es, "25"),
            ("0", Fr, "0"),
        ] {
            assert_eq!(amount_input(typed, locale), read, "{typed:?} in {locale:?}");
        }
        assert_eq!(
            amount_input("twelve", En),
            "twelve",
            "not a number: the core says why"
        );
        assert_eq!(amount_input("", De), "");
        assert_eq!(
            amount_input("1,2,3.4,5", En),
            "1,2,3.4,5",
            "unreadable: the core refuses it"
        );
    }

    #[test]
    fn labels_follow_the_language() {
        set_locale(Locale::Es);
        assert_eq!(
            sla(Some(at(6, 0)), at(9, 0)).unwrap().0,
            "vencido hace 3 h 00 min"
        );
        assert_eq!(
            sync_label(&SyncStatus::default(), ago(at(9, 0))).text,
            "solo local"
        );
        set_locale(Locale::De);
        assert_eq!(
            sync_label(&SyncStatus::default(), ago(at(9, 0))).text,
            "nur lokal"
        );
        set_locale(Locale::En);
    }

    #[test]
    fn a_profile_without_a_platform_reads_local_only_calmly() {
        let l = sync_label(&SyncStatus::default(), ago(at(9, 0)));
        assert_eq!(l.text, "local only");
        assert_eq!(l.class, "muted", "not an error, not a warning");
    }

    #[test]
    fn a_connected_desk_says_online_or_offline_with_its_last_sync() {
        let mut s = SyncStatus {
            platform: Some("https://platform.test".into()),
            signed_in: Some(true),
            online: Some(true),
            last_pull_at: Some("2026-03-02T08:58:00.000Z".into()),
            ..SyncStatus::default()
        };
        let l = sync_label(&s, ago(at(9, 0)));
        assert_eq!(
            (l.text.as_str(), l.class),
            ("online · synced 2 min ago", "ok")
        );
        s.online = Some(false);
        s.last_error = Some("connection refused".into());
        let l = sync_label(&s, ago(at(11, 0)));
        assert_eq!(
            (l.text.as_str(), l.class),
            ("offline · last sync 122 min ago", "warn")
        );
        assert!(l.title.contains("connection refused"), "{}", l.title);
        s.last_pull_at = None;
        assert_eq!(sync_label(&s, ago(at(9, 0))).text, "offline · never synced");
        s.signed_in = Some(false);
        assert_eq!(sync_label(&s, ago(at(9, 0))).text, "not signed in");
        s.signed_in = Some(true);
        s.online = Some(true);
        s.first_sync_loading = true;
        let l = sync_label(&s, ago(at(9, 0)));
        assert_eq!(
            (l.text.as_str(), l.class),
            ("online · first sync loading", "warn")
        );
        assert!(l.title.contains("searches find nothing"), "{}", l.title);
    }
}
