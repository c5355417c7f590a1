//! The window: navigation, the shared UI state, live refresh and the keyboard.

use crate::ipc;
use countersign_model::ipc::{DESK_CHANGED_EVENT, DeskChanged};
use countersign_model::{DraftId, TicketId};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

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
}

/// State every component shares, provided as context.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub page: RwSignal<Page>,
    pub open: RwSignal<Option<TicketId>>,
    /// Bumped whenever the desk changed: resources that read it refetch.
    pub generation: RwSignal<u64>,
    /// The inbox rows on screen, in order, for j/k.
    pub rows: RwSignal<Vec<TicketId>>,
    pub selected: RwSignal<usize>,
    /// The draft whose actions are on screen now, if any: the only thing a shortcut may act on.
    pub draft_on_screen: RwSignal<Option<DraftId>>,
    /// A shortcut pressed for that draft, until its card takes it. A key pressed with no draft
    /// on screen is never stored: a decision is only taken on what the person saw.
    pub shortcut: RwSignal<Option<(DraftId, Shortcut)>>,
    pub help: RwSignal<bool>,
    /// A transient message: (is_error, text).
    pub toast: RwSignal<Option<(bool, String)>>,
}

impl Ui {
    pub fn refresh(&self) {
        self.generation.update(|g| *g += 1);
    }

    pub fn say(&self, error: bool, text: impl Into<String>) {
        self.toast.set(Some((error, text.into())));
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
        rows: RwSignal::new(Vec::new()),
        selected: RwSignal::new(0),
        draft_on_screen: RwSignal::new(None),
        shortcut: RwSignal::new(None),
        help: RwSignal::new(false),
        toast: RwSignal::new(None),
    };
    provide_context(ui);
    ipc::on_event::<DeskChanged>(DESK_CHANGED_EVENT, move |_| ui.refresh());
    let _keys = window_event_listener(ev::keydown, move |e| on_key(ui, &e));

    let nav = move |page: Page, id: &'static str, label: &'static str| {
        view! {
            <button id=id class="nav" class:active=move || ui.page.get() == page
                on:click=move |_| ui.page.set(page)>{label}</button>
        }
    };
    view! {
        <div class="shell">
            <nav class="sidebar">
                <div class="brand"><span class="mark">"✓"</span>" Countersign"</div>
                {nav(Page::Inbox, "nav-inbox", "Inbox")}
                {nav(Page::Escalations, "nav-escalations", "Escalations")}
                {nav(Page::Activity, "nav-activity", "Activity")}
                {nav(Page::Settings, "nav-settings", "Settings")}
                <div class="grow"></div>
                <button class="nav subtle" on:click=move |_| ui.help.update(|h| *h = !*h)>"Shortcuts  ?"</button>
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
            <Show when=move || ui.help.get()><Help/></Show>
        </div>
    }
}

#[component]
fn Toast() -> impl IntoView {
    let ui = use_ui();
    move || {
        ui.toast.get().map(|(error, text)| {
            view! {
                <div id="toast" class="toast" class:error=error on:click=move |_| ui.toast.set(None)>{text}</div>
            }
        })
    }
}

#[component]
fn Help() -> impl IntoView {
    let ui = use_ui();
    let keys = [
        ("j / k", "next / previous ticket"),
        ("Enter", "open the selected ticket"),
        ("a", "approve the draft and send"),
        ("e", "edit the draft, then approve"),
        ("r", "reject the draft (with a reason)"),
        ("x", "escalate the ticket"),
        ("/", "search the inbox"),
        ("Esc", "close the ticket or this help"),
        ("?", "show or hide these shortcuts"),
    ];
    view! {
        <div class="overlay" on:click=move |_| ui.help.set(false)>
            <div class="dialog" id="help">
                <h2>"Keyboard shortcuts"</h2>
                <dl class="keys">
                    {keys.into_iter().map(|(k, what)| view! { <dt><kbd>{k}</kbd></dt><dd>{what}</dd> }).collect_view()}
                </dl>
            </div>
        </div>
    }
}

/// Typing in a field is not a shortcut.
fn typing(e: &web_sys::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

fn on_key(ui: Ui, e: &web_sys::KeyboardEvent) {
    if e.key() == "Escape" {
        if ui.help.get_untracked() {
            ui.help.set(false);
        } else if let Some(el) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            .filter(|_| typing(e))
        {
            let _ = el.blur();
        } else {
            ui.open.set(None);
        }
        return;
    }
    if typing(e) || e.ctrl_key() || e.meta_key() || e.alt_key() {
        return;
    }
    let rows = ui.rows.get_untracked();
    let move_by = |d: isize| {
        if rows.is_empty() {
            return;
        }
        let i = ui.selected.get_untracked() as isize + d;
        ui.selected
            .set(i.clamp(0, rows.len() as isize - 1) as usize);
    };
    match e.key().as_str() {
        "j" => move_by(1),
        "k" => move_by(-1),
        "Enter" => {
            if let Some(id) = rows.get(ui.selected.get_untracked()) {
                ui.page.set(Page::Inbox);
                ui.open.set(Some(id.clone()));
            }
        }
        "a" => on_draft(ui, Shortcut::Approve),
        "e" => on_draft(ui, Shortcut::Edit),
        "r" => on_draft(ui, Shortcut::Reject),
        "x" => on_draft(ui, Shortcut::Escalate),
        "/" => {
            ui.page.set(Page::Inbox);
            if let Some(input) = document()
                .get_element_by_id("search")
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = input.focus();
            }
        }
        "?" => ui.help.update(|h| *h = !*h),
        _ => return,
    }
    e.prevent_default();
}

/// A draft shortcut: for the draft on screen now, or for nothing (said, and forgotten).
fn on_draft(ui: Ui, shortcut: Shortcut) {
    match ui.draft_on_screen.get_untracked() {
        Some(draft) => ui.shortcut.set(Some((draft, shortcut))),
        None => {
            ui.shortcut.set(None);
            ui.say(
                false,
                "No draft on screen: open a ticket with a draft to use a, e, r or x",
            );
        }
    }
}
