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
    /// When a mouse button or finger went down and is still down (ms since the epoch; 0: up).
    static POINTER_DOWN: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// How long a press holds a reload back at most (a button released outside the window never
/// says so).
const PRESS_HOLD_MS: f64 = 2000.0;

/// A pointer went down (`true`) or up (`false`) anywhere on the page.
pub(crate) fn pointer(down: bool) {
    POINTER_DOWN.set(if down { js_sys::Date::now() } else { 0.0 });
}

/// Between a press and its release the page must stay as it is: a click is the press and the
/// release on the same element, and a reload that rebuilt the button in between (the press
/// took the focus out of a field, which let a held reload go) would swallow the click.
fn pressing() -> bool {
    let at = POINTER_DOWN.get();
    at > 0.0 && js_sys::Date::now() - at < PRESS_HOLD_MS
}

/// How long after a key typed in a field the keys are still the field's.
const TYPING_PAUSE_MS: f64 = 1500.0;

/// Typing in a field is not a shortcut.
pub(crate) fn typing(e: &web_sys::Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// The focused element, when it takes typed text (a textarea, a text-like input): a reload that
/// rebuilt it would take the person's cursor, and their next keys would land on the page.
/// Read from the page, so a field removed with the focus in it no longer counts.
fn text_field() -> Option<web_sys::HtmlElement> {
    let el = document().active_element()?;
    let takes_text = match el.tag_name().as_str() {
        "TEXTAREA" => true,
        "INPUT" => matches!(
            el.get_attribute("type").as_deref().unwrap_or("text"),
            "text" | "search" | "email" | "url" | "tel" | "password" | "number"
        ),
        _ => false,
    };
    takes_text.then(|| el.dyn_into().ok()).flatten()
}

/// The person is in a field they type in.
pub(crate) fn in_text_field() -> bool {
    text_field().is_some()
}

/// Resolves once the person is not in the middle of typing in a field, nor of a click: a reload
/// already under way holds its result until then, rather than rebuilding the field under their
/// keys or the button under their pointer.
pub(crate) async fn typing_paused() {
    while pressing()
        || (in_text_field() && js_sys::Date::now() - LAST_TYPED.get() < TYPING_PAUSE_MS)
    {
        sleep(100).await;
    }
}

/// Resolves after `ms` milliseconds.
pub(crate) async fn sleep(ms: i32) {
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
}

/// Where the cursor was in a field, to put it back in the same field once a reload rebuilt it.
pub(crate) struct Caret {
    id: String,
    /// The text as the page had it: a form's state can lag a key behind.
    value: String,
    selection: Option<(u32, u32)>,
}

impl Caret {
    /// The cursor now, if it is in a field with an id.
    pub(crate) fn take() -> Option<Caret> {
        let el = text_field()?;
        let id = el.id();
        let (value, selection) = if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            let at = t.selection_start().ok().flatten();
            (t.value(), at.zip(t.selection_end().ok().flatten()))
        } else if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            let at = i.selection_start().ok().flatten();
            (i.value(), at.zip(i.selection_end().ok().flatten()))
        } else {
            return None;
        };
        (!id.is_empty()).then_some(Caret {
            id,
            value,
            selection,
        })
    }

    /// After the page is redrawn: back into the field of the same id, unless the person has
    /// put the focus somewhere else meanwhile.
    pub(crate) fn restore(self) {
        request_animation_frame(move || {
            let doc = document();
            let elsewhere = doc
                .active_element()
                .is_some_and(|a| Some(&a) != doc.body().as_ref().map(AsRef::as_ref));
            let Some(el) = doc
                .get_element_by_id(&self.id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                return;
            };
            if elsewhere {
                return;
            }
            let _ = el.focus();
            let (start, end) = self.selection.unwrap_or_default();
            let differs = if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                let differs = t.value() != self.value;
                if differs {
                    t.set_value(&self.value);
                }
                let _ = t.set_selection_range(start, end);
                differs
            } else if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
                let differs = i.value() != self.value;
                if differs {
                    i.set_value(&self.value);
                }
                let _ = i.set_selection_range(start, end);
                differs
            } else {
                false
            };
            // The form's state follows the text, as if the person had typed it.
            if differs {
                let init = web_sys::EventInit::new();
                init.set_bubbles(true);
                if let Ok(input) = web_sys::Event::new_with_event_init_dict("input", &init) {
                    let _ = el.dispatch_event(&input);
                }
            }
        });
    }
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
