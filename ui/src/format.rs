//! Pure presentation rules, tested natively: how amounts, countdowns, ages and a ticket's badges
//! read. No browser APIs here; "now" is always passed in.

use chrono::{DateTime, Utc};
use countersign_model::Money;
use countersign_model::records::{InvoiceSummary, TicketPriority, TicketRow};
use countersign_model::sync::SyncStatus;
use countersign_model::workflow::DraftStatus;

/// `1 234.50 EUR`: the exact decimal, thin-space grouped, with its currency code.
pub fn money(m: &Money) -> String {
    let s = m.amount_string();
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("−", d));
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('\u{2009}');
        }
        grouped.push(c);
    }
    let frac = if frac.is_empty() {
        String::new()
    } else {
        format!(".{frac}")
    };
    format!("{sign}{grouped}{frac} {}", m.currency())
}

/// How long until the SLA is breached, or how long ago it was: `2h 05m`, `overdue 3h`.
pub fn sla(due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<(String, SlaState)> {
    let due = due?;
    let minutes = (due - now).num_minutes();
    let span = |m: i64| {
        let m = m.abs();
        if m >= 48 * 60 {
            format!("{}d", m / (24 * 60))
        } else if m >= 60 {
            format!("{}h {:02}m", m / 60, m % 60)
        } else {
            format!("{m}m")
        }
    };
    Some(if minutes < 0 {
        (format!("overdue {}", span(minutes)), SlaState::Breached)
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

/// `just now`, `5 min ago`, `3 h ago`, `2 d ago`.
pub fn ago(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let m = (now - at).num_minutes().max(0);
    match m {
        0 => "just now".into(),
        1..=59 => format!("{m} min ago"),
        60..=2879 => format!("{} h ago", m / 60),
        _ => format!("{} d ago", m / (24 * 60)),
    }
}

/// A badge on an inbox row: its text and CSS class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub text: String,
    pub class: &'static str,
}

/// Badges of an inbox row, most urgent first: stale draft, draft waiting, escalated.
pub fn badges(row: &TicketRow) -> Vec<Badge> {
    let mut out = Vec::new();
    if row.stale_drafts > 0 {
        out.push(Badge {
            text: "stale draft".into(),
            class: "badge badge-stale",
        });
    }
    if row.pending_drafts > 0 {
        let text = if row.pending_drafts == 1 {
            "draft waiting".into()
        } else {
            format!("{} drafts waiting", row.pending_drafts)
        };
        out.push(Badge {
            text,
            class: "badge badge-draft",
        });
    }
    if row.open_escalations > 0 {
        out.push(Badge {
            text: "escalated".into(),
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

pub fn draft_status_label(s: DraftStatus) -> &'static str {
    match s {
        DraftStatus::PendingReview => "waiting for review",
        DraftStatus::Stale => "stale — re-review needed",
        DraftStatus::Approved => "approved",
        DraftStatus::Rejected => "rejected",
    }
}

/// `87 %` for a confidence between 0 and 1.
pub fn confidence(c: f64) -> String {
    format!("{:.0} %", (c.clamp(0.0, 1.0) * 100.0).round())
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
/// ago`, `offline · last sync 3 h ago` with the last error on hover, `not signed in`.
pub fn sync_label(s: &SyncStatus, now: DateTime<Utc>) -> SyncLabel {
    let Some(platform) = &s.platform else {
        return SyncLabel {
            text: "local only".into(),
            class: "muted",
            title: "This profile is not connected to a platform: decisions stay on this desk."
                .into(),
        };
    };
    let last = s
        .last_pull_at
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| ago(t.with_timezone(&Utc), now));
    let mut title = format!("Platform {platform}");
    if let Some(e) = &s.last_error {
        title.push_str(&format!(" — last error: {e}"));
    }
    let (text, class) = if s.signed_in == Some(false) {
        ("not signed in".to_owned(), "warn")
    } else {
        match (s.online, last) {
            (Some(true), Some(l)) => (format!("online · synced {l}"), "ok"),
            (Some(true), None) => ("online".to_owned(), "ok"),
            (Some(false), Some(l)) => (format!("offline · last sync {l}"), "warn"),
            (Some(false), None) => ("offline · never synced".to_owned(), "warn"),
            (None, _) => ("not synced yet".to_owned(), "muted"),
        }
    };
    if s.first_sync_loading {
        title.push_str(
            " — the first sync is still loading: searches find nothing from the platform until it catches up",
        );
        return SyncLabel {
            text: format!("{text} · first sync loading"),
            class: "warn",
            title,
        };
    }
    SyncLabel { text, class, title }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use countersign_model::Currency;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
    }

    #[test]
    fn money_keeps_every_digit_groups_thousands_and_names_the_currency() {
        let m = Money::parse("1234567.5", Currency::EUR).unwrap();
        assert_eq!(money(&m), "1\u{2009}234\u{2009}567.50 EUR");
        let yen = Money::parse("1200", Currency::parse("JPY").unwrap()).unwrap();
        assert_eq!(
            money(&yen),
            "1\u{2009}200 JPY",
            "no decimals for a zero-exponent currency"
        );
        let neg = Money::parse("-19.99", Currency::USD).unwrap();
        assert_eq!(money(&neg), "−19.99 USD");
        let small = Money::parse("999", Currency::GBP).unwrap();
        assert_eq!(money(&small), "999.00 GBP", "no separator below a thousand");
    }

    #[test]
    fn sla_counts_down_then_says_how_late() {
        assert_eq!(sla(None, at(9, 0)), None, "no SLA, no countdown");
        assert_eq!(
            sla(Some(at(11, 5)), at(9, 0)).unwrap(),
            ("2h 05m".into(), SlaState::Ok)
        );
        assert_eq!(
            sla(Some(at(9, 40)), at(9, 0)).unwrap(),
            ("40m".into(), SlaState::Soon)
        );
        assert_eq!(
            sla(Some(at(6, 0)), at(9, 0)).unwrap(),
            ("overdue 3h 00m".into(), SlaState::Breached)
        );
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(ago(at(9, 0), at(9, 0)), "just now");
        assert_eq!(ago(at(8, 55), at(9, 0)), "5 min ago");
        assert_eq!(ago(at(6, 0), at(9, 0)), "3 h ago");
    }

    #[test]
    fn confidence_is_a_whole_percentage() {
        assert_eq!(confidence(0.874), "87 %");
        assert_eq!(confidence(1.7), "100 %", "clamped");
    }

    #[test]
    fn a_profile_without_a_platform_reads_local_only_calmly() {
        let l = sync_label(&SyncStatus::default(), at(9, 0));
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
        let l = sync_label(&s, at(9, 0));
        assert_eq!(
            (l.text.as_str(), l.class),
            ("online · synced 2 min ago", "ok")
        );
        s.online = Some(false);
        s.last_error = Some("connection refused".into());
        let l = sync_label(&s, at(11, 0));
        assert_eq!(
            (l.text.as_str(), l.class),
            ("offline · last sync 2 h ago", "warn")
        );
        assert!(l.title.contains("connection refused"), "{}", l.title);
        s.last_pull_at = None;
        assert_eq!(sync_label(&s, at(9, 0)).text, "offline · never synced");
        s.signed_in = Some(false);
        assert_eq!(sync_label(&s, at(9, 0)).text, "not signed in");
        s.signed_in = Some(true);
        s.online = Some(true);
        s.first_sync_loading = true;
        let l = sync_label(&s, at(9, 0));
        assert_eq!(
            (l.text.as_str(), l.class),
            ("online · first sync loading", "warn")
        );
        assert!(l.title.contains("searches find nothing"), "{}", l.title);
    }
}
