//! The keyboard: shortcuts for the list and the card on screen, and their help.

use crate::app::{OnScreen, Page, Shortcut, Ui, use_ui};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub(crate) fn Help() -> impl IntoView {
    let ui = use_ui();
    let keys = [
        ("j / k", tr!("key-next-previous")),
        ("Enter", tr!("key-open")),
        ("a", tr!("key-approve")),
        ("e", tr!("key-edit")),
        ("r", tr!("key-reject")),
        ("x", tr!("key-escalate")),
        ("d", tr!("key-draft-with-ai")),
        ("/", tr!("key-search")),
        ("Esc", tr!("key-escape")),
        ("?", tr!("key-help")),
    ];
    view! {
        <div class="overlay" on:click=move |_| ui.help.set(false)>
            <div class="dialog" id="help">
                <h2>{tr!("shortcuts-title")}</h2>
                <dl class="keys">
                    {keys.into_iter().map(|(k, what)| view! { <dt><kbd>{k}</kbd></dt><dd>{what}</dd> }).collect_view()}
                </dl>
            </div>
        </div>
    }
}

thread_local! {
    /// When a key was last typed in a field (ms since the epoch).
    static LAST_TYPED: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// How long after a key typed in a field the keys are still the field's.
const TYPING_PAUSE_MS: f64 = 1500.0;

/// Typing in a field is not a shortcut.
pub(crate) fn typing(e: &web_sys::Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

pub(crate) fn on_key(ui: Ui, e: &web_sys::KeyboardEvent) {
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
    if typing(e) {
        LAST_TYPED.set(js_sys::Date::now());
        return;
    }
    // A key within a moment of typing in a field was meant for the field (a reload may have
    // just rebuilt it): never a shortcut, which could approve or reject.
    if e.ctrl_key()
        || e.meta_key()
        || e.alt_key()
        || js_sys::Date::now() - LAST_TYPED.get() < TYPING_PAUSE_MS
    {
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
        // Once the row shows the highlight, keep it on screen.
        request_animation_frame(|| {
            if let Some(row) = document()
                .query_selector("#inbox-rows .row.selected")
                .ok()
                .flatten()
            {
                scroll_nearest(&row);
            }
        });
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
        "a" => on_shortcut(ui, Shortcut::Approve),
        "e" => on_shortcut(ui, Shortcut::Edit),
        "r" => on_shortcut(ui, Shortcut::Reject),
        "x" => on_shortcut(ui, Shortcut::Escalate),
        "d" => on_shortcut(ui, Shortcut::DraftWithAi),
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

/// Scrolls the least needed to show `el` (`scrollIntoView({block: "nearest"})`).
fn scroll_nearest(el: &web_sys::Element) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"block".into(), &"nearest".into());
    if let Ok(f) = js_sys::Reflect::get(el, &"scrollIntoView".into()) {
        let _ = f.unchecked_into::<js_sys::Function>().call1(el, &options);
    }
}

/// A shortcut for what is on screen now, or for nothing (said, and forgotten).
fn on_shortcut(ui: Ui, shortcut: Shortcut) {
    let on_screen = ui.on_screen.get_untracked();
    let fits = match (&on_screen, shortcut) {
        (Some((_, OnScreen::NoDraft(_))), Shortcut::DraftWithAi | Shortcut::Escalate) => true,
        (Some((_, OnScreen::Draft(_))), Shortcut::DraftWithAi) => {
            ui.say(false, tr!("shortcut-draft-exists"));
            false
        }
        (Some((_, OnScreen::Draft(_))), _) => true,
        (_, Shortcut::DraftWithAi) => {
            ui.say(false, tr!("shortcut-no-ticket-for-d"));
            false
        }
        _ => {
            ui.say(false, tr!("shortcut-no-draft"));
            false
        }
    };
    match on_screen {
        Some((stamp, _)) if fits => ui.shortcut.set(Some((stamp, shortcut))),
        _ => ui.shortcut.set(None),
    }
}
