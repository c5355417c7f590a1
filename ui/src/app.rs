//! The window: navigation, the shared UI state, live refresh and the keyboard.

use crate::i18n::{self, Locale};
use crate::ipc;
use countersign_model::ipc::{DESK_CHANGED_EVENT, DeskChanged, SettingsView};
use countersign_model::{DraftId, TicketId};
use leptos::ev;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Inbox,
    Escalations,
    Activity,
    Settings,
}

/// A keyboard shortcut the open ticket acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    Approve,
    Edit,
    Reject,
    Escalate,
    DraftWithAi,
}

/// What the open ticket's keys act on: its draft, or the offer to draft one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnScreen {
    Draft(DraftId),
    NoDraft(TicketId),
}

/// How long a focus that left a field has to come back to one before a missed reload runs.
const FOCUS_SETTLES: std::time::Duration = std::time::Duration::from_millis(300);

/// Tells the cards that claim the keys apart, including two cards for the same draft (a
/// refresh builds the new one before the old one goes).
static NEXT_STAMP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// State every component shares, provided as context.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub page: RwSignal<Page>,
    pub open: RwSignal<Option<TicketId>>,
    /// Bumped whenever the desk changed: resources that read it refetch.
    pub generation: RwSignal<u64>,
    /// Bumped when a setting changed (the settings page does not follow every desk change).
    pub settings_generation: RwSignal<u64>,
    /// Moves on every change of the desk, even while the person types: what only shows (who
    /// else is on the ticket) follows it without rebuilding anything they write in.
    pub changes: RwSignal<u64>,
    /// The desk changed while the person was typing: the views reload when they stop.
    pub missed_change: RwSignal<bool>,
    /// The inbox rows on screen, in order, for j/k.
    pub rows: RwSignal<Vec<TicketId>>,
    pub selected: RwSignal<usize>,
    /// The card whose actions are on screen now (stamped), if any: the only thing a shortcut
    /// may act on.
    pub on_screen: RwSignal<Option<(u64, OnScreen)>>,
    /// A shortcut pressed for that card, until it takes it. A key pressed with nothing on screen
    /// to act on is never stored: a decision is only taken on what the person saw.
    pub shortcut: RwSignal<Option<(u64, Shortcut)>>,
    pub help: RwSignal<bool>,
    /// A transient message: (is_error, text).
    pub toast: RwSignal<Option<(bool, String)>>,
    /// The language the window reads in; the views rebuild when it changes.
    pub locale: RwSignal<Locale>,
    /// The profile has no platform: its records were never synced from anywhere (the status
    /// bar learns it).
    pub local_only: RwSignal<bool>,
    /// The first-start welcome, until read: `Some(connected)` (a desk on a platform is not a
    /// demo).
    pub welcome: RwSignal<Option<bool>>,
    /// The desktop's preferred languages, as the shell read them from the session.
    pub system_languages: StoredValue<Vec<String>>,
}

impl Ui {
    /// The first of the desktop's preferred languages we speak (the session's, then the
    /// webview's), English otherwise.
    pub fn system_locale(&self) -> Locale {
        let mut tags = self.system_languages.get_value();
        tags.extend(browser_languages());
        Locale::first_spoken(tags.iter().map(String::as_str))
    }

    /// After the person's own action: everything on screen reloads.
    pub fn refresh(&self) {
        self.missed_change.set(false);
        self.generation.update(|g| *g += 1);
        self.settings_generation.update(|g| *g += 1);
    }

    /// Shows `text` for a moment (an error longer), or until clicked.
    pub fn say(&self, error: bool, text: impl Into<String>) {
        let text = text.into();
        self.toast.set(Some((error, text.clone())));
        let toast = self.toast;
        let shown = if error { 8 } else { 4 };
        set_timeout(
            move || {
                // Only this message goes: a newer one stays its own time.
                if toast
                    .get_untracked()
                    .is_some_and(|(e, t)| e == error && t == text)
                {
                    toast.set(None);
                }
            },
            std::time::Duration::from_secs(shown),
        );
    }

    /// Reads the window in `choice` (`system`, `en`, `es`, `fr` or `de`).
    pub fn use_language(&self, choice: &str) {
        let l = Locale::parse(choice).unwrap_or_else(|| self.system_locale());
        if l != self.locale.get_untracked() {
            // At once, for what is said right after (the views rebuild a moment later).
            i18n::set_locale(l);
            self.locale.set(l);
        }
    }

    /// A card on screen takes the keys for `what` until it goes; returns its stamp.
    pub fn claim_keys(&self, what: OnScreen) -> u64 {
        let stamp = NEXT_STAMP.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.on_screen.set(Some((stamp, what)));
        let ui = *self;
        on_cleanup(move || {
            if ui
                .on_screen
                .get_untracked()
                .is_some_and(|(s, _)| s == stamp)
            {
                ui.on_screen.set(None);
            }
            if ui.shortcut.get_untracked().is_some_and(|(s, _)| s == stamp) {
                ui.shortcut.set(None);
            }
        });
        stamp
    }

    /// The shortcut pressed for the card with `stamp`, taken once (tracked: call in an effect).
    pub fn take_shortcut(&self, stamp: u64) -> Option<Shortcut> {
        let (target, s) = self.shortcut.get()?;
        if target != stamp {
            return None;
        }
        self.shortcut.set(None);
        Some(s)
    }
}

pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}

#[component]
pub fn App() -> impl IntoView {
    let ui = Ui {
        page: RwSignal::new(Page::Inbox),
        open: RwSignal::new(None),
        generation: RwSignal::new(0),
        settings_generation: RwSignal::new(0),
        changes: RwSignal::new(0),
        missed_change: RwSignal::new(false),
        rows: RwSignal::new(Vec::new()),
        selected: RwSignal::new(0),
        on_screen: RwSignal::new(None),
        shortcut: RwSignal::new(None),
        help: RwSignal::new(false),
        toast: RwSignal::new(None),
        locale: RwSignal::new(browser_locale()),
        local_only: RwSignal::new(false),
        welcome: RwSignal::new(None),
        system_languages: StoredValue::new(Vec::new()),
    };
    provide_context(ui);
    // The person's choice of language, if any, over the system's.
    leptos::task::spawn_local(async move {
        if let Ok(v) = ipc::call::<_, SettingsView>("settings_view", &serde_json::json!({})).await {
            ui.system_languages.set_value(v.system_languages.clone());
            ui.use_language(&v.language);
            if !v.welcomed {
                ui.welcome.set(Some(v.platform_owned));
            }
        }
    });
    // The desk changed by itself (a draft filed, a sync): the live views reload, not the forms —
    // and not while the person types: a reload rebuilds the field they type in, and the keys
    // that follow would land on the page as shortcuts (`a` approves).
    ipc::on_event::<DeskChanged>(DESK_CHANGED_EVENT, move |_| {
        ui.changes.update(|n| *n += 1);
        if crate::keys::in_text_field() {
            ui.missed_change.set(true);
        } else {
            ui.generation.update(|g| *g += 1);
        }
    });
    // Leaving a field reloads what was missed — unless the focus comes straight back to a field
    // (Tab to the next one, a click back into it): the reload would rebuild it under the keys.
    // Where the focus is, is read from the page each time: a field removed with the focus in it
    // fires no focusout, and a flag kept from focus events would say "typing" forever.
    let _focus_out = window_event_listener(ev::focusout, move |_| {
        set_timeout(
            move || {
                if !crate::keys::in_text_field() && ui.missed_change.get_untracked() {
                    ui.missed_change.set(false);
                    ui.generation.update(|g| *g += 1);
                }
            },
            FOCUS_SETTLES,
        );
    });
    let _keys = window_event_listener(ev::keydown, move |e| crate::keys::on_key(ui, &e));
    let _press = window_event_listener(ev::pointerdown, |_| crate::keys::pointer(true));
    let _release = window_event_listener(ev::pointerup, |_| crate::keys::pointer(false));
    let _cancel = window_event_listener(ev::pointercancel, |_| crate::keys::pointer(false));
    // A native popup (a <select>'s list) may keep the release to itself; its choice ends the press.
    let _chosen = window_event_listener(ev::change, |_| crate::keys::pointer(false));
    let _clicked = window_event_listener(ev::click, |_| crate::keys::pointer(false));

    move || {
        let l = ui.locale.get();
        i18n::set_locale(l);
        document()
            .document_element()
            .map(|html| html.set_attribute("lang", l.tag()));
        view! { <Shell/> }
    }
}

/// The window's frame, built again when the language changes.
#[component]
fn Shell() -> impl IntoView {
    let ui = use_ui();
    let nav = move |page: Page, id: &'static str, label: String| {
        view! {
            <button id=id class="nav" class:active=move || ui.page.get() == page
                on:click=move |_| ui.page.set(page)>{label}</button>
        }
    };
    view! {
        <div class="shell">
            <nav class="sidebar">
                <div class="brand"><span class="mark">"✓"</span>" Countersign"</div>
                {nav(Page::Inbox, "nav-inbox", tr!("nav-inbox"))}
                {nav(Page::Escalations, "nav-escalations", tr!("nav-escalations"))}
                {nav(Page::Activity, "nav-activity", tr!("nav-activity"))}
                {nav(Page::Settings, "nav-settings", tr!("nav-settings"))}
                <div class="grow"></div>
                <button class="nav subtle" on:click=move |_| ui.help.update(|h| *h = !*h)>{tr!("nav-shortcuts")}"  ?"</button>
            </nav>
            <main class="main">
                {move || match ui.page.get() {
                    Page::Inbox => view! { <crate::inbox::InboxPage/> }.into_any(),
                    Page::Escalations => view! { <crate::escalations::EscalationsPage/> }.into_any(),
                    Page::Activity => view! { <crate::activity::ActivityPage/> }.into_any(),
                    Page::Settings => view! { <crate::settings::SettingsPage/> }.into_any(),
                }}
            </main>
            <crate::status::StatusBar/>
            <Toast/>
            <Show when=move || ui.help.get()><crate::keys::Help/></Show>
        </div>
    }
}

/// The first of the webview's preferred languages we speak, English otherwise: what the window
/// shows until the shell says what the desktop's are.
fn browser_locale() -> Locale {
    Locale::first_spoken(browser_languages().iter().map(String::as_str))
}

fn browser_languages() -> Vec<String> {
    let languages = window().navigator().languages();
    languages.iter().filter_map(|v| v.as_string()).collect()
}

#[component]
fn Toast() -> impl IntoView {
    let ui = use_ui();
    move || {
        ui.toast.get().map(|(error, text)| {
            view! {
                <div id="toast" class="toast" class:error=error title=tr!("toast-close")
                    on:click=move |_| ui.toast.set(None)>{text}</div>
            }
        })
    }
}

/// An `input` handler that calls `f` with the field's text once the person pauses typing: a
/// search runs as they type, not on every keystroke.
pub fn on_pause(f: impl Fn(String) + Copy + 'static) -> impl Fn(web_sys::Event) + 'static {
    let keystrokes = StoredValue::new(0u64);
    move |e| {
        let typed = event_target_value(&e);
        let n = keystrokes.get_value() + 1;
        keystrokes.set_value(n);
        set_timeout(
            move || {
                if keystrokes.get_value() == n {
                    f(typed);
                }
            },
            std::time::Duration::from_millis(200),
        );
    }
}
