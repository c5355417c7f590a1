//! Saved replies from the reply box: type `#` and a word (or press "Saved replies"), pick one
//! with the arrows and Enter or a click, and its text, filled from the ticket's records, goes
//! into the box in place of `#word`. Nothing is sent: the person reads it and presses Send.
//! What the records could not fill stays as `{{variable}}` and is named, and the desk refuses
//! to send a reply that still holds one. A person keeps their own saved replies here too.

use super::use_writing;
use crate::app::use_ui;
use crate::ipc;
use crate::typed::{byte_at, typed_hash};
use countersign_model::TicketId;
use countersign_model::saved_replies::{
    FillReply, FilledReply, SaveReply, SavedReply, SavedReplyQuery,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use wasm_bindgen::JsCast;

/// The saved-reply list as it is open under the reply box.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Picker {
    /// The words searched for.
    pub query: String,
    /// Opened by typing `#word`: the byte range of `#word` in the reply, which the chosen text
    /// replaces. `None` when opened by the button: the text goes at the end.
    pub typed: Option<(usize, usize)>,
    /// The highlighted row.
    pub selected: usize,
}

/// After a key in the reply box: opens, follows or closes the list as the person types `#word`.
pub(crate) fn on_typed(area: &web_sys::HtmlTextAreaElement) {
    let writing = use_writing();
    let text = area.value();
    let caret = area
        .selection_start()
        .ok()
        .flatten()
        .map_or(text.len(), |at| byte_at(&text, at));
    match typed_hash(&text, caret) {
        Some((range, query)) => writing.picker.update(|p| {
            let selected = match p {
                Some(old) if old.query == query => old.selected,
                _ => 0,
            };
            *p = Some(Picker {
                query,
                typed: Some(range),
                selected,
            });
        }),
        None => {
            if writing
                .picker
                .with_untracked(|p| p.as_ref().is_some_and(|p| p.typed.is_some()))
            {
                writing.picker.set(None);
            }
        }
    }
}

/// Keys in the reply box while the list is open: arrows move, Enter picks, Escape closes.
/// Returns whether the key was the list's.
pub(crate) fn on_key(e: &web_sys::KeyboardEvent, ticket: &TicketId, shown: &[SavedReply]) -> bool {
    let writing = use_writing();
    let Some(p) = writing.picker.get_untracked() else {
        return false;
    };
    let last = shown.len().saturating_sub(1);
    match e.key().as_str() {
        "ArrowDown" => writing.picker.update(|p| {
            if let Some(p) = p {
                p.selected = (p.selected + 1).min(last)
            }
        }),
        "ArrowUp" => writing.picker.update(|p| {
            if let Some(p) = p {
                p.selected = p.selected.saturating_sub(1)
            }
        }),
        "Enter" if !shown.is_empty() => {
            choose(ticket.clone(), shown[p.selected.min(last)].id.clone())
        }
        "Escape" => writing.picker.set(None),
        _ => return false,
    }
    e.prevent_default();
    e.stop_propagation();
    true
}

/// Fills saved reply `id` for the ticket and puts it in the reply box.
fn choose(ticket: TicketId, id: String) {
    let ui = use_ui();
    let writing = use_writing();
    spawn_local(async move {
        let req = FillReply {
            ticket_id: ticket,
            reply_id: id,
        };
        match ipc::call::<_, FilledReply>("fill_saved_reply", &json!({ "req": req })).await {
            Ok(filled) => {
                let typed = writing.picker.get_untracked().and_then(|p| p.typed);
                writing.reply.update(|body| {
                    *body = match typed {
                        Some((from, to))
                            if body.get(from..to).is_some_and(|w| w.starts_with('#')) =>
                        {
                            format!("{}{}{}", &body[..from], filled.text, &body[to..])
                        }
                        _ if body.trim().is_empty() => filled.text.clone(),
                        _ => format!("{}\n\n{}", body.trim_end(), filled.text),
                    }
                });
                writing.picker.set(None);
                if filled.missing.is_empty() {
                    ui.say(false, tr!("saved-inserted"));
                } else {
                    let names = filled
                        .missing
                        .iter()
                        .map(|n| format!("{{{{{n}}}}}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    ui.say(true, tr!("saved-missing", names = names));
                }
                focus("compose-body");
            }
            Err(e) => ui.say(true, e.to_string()),
        }
    });
}

fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The button over the reply box that opens (or closes) the list with a search field.
#[component]
pub fn SavedRepliesButton() -> impl IntoView {
    let picker = use_writing().picker;
    let toggle = move |_| {
        if picker.with_untracked(Option::is_some) {
            picker.set(None);
        } else {
            picker.set(Some(Picker::default()));
            request_animation_frame(|| focus("saved-search"));
        }
    };
    view! {
        <button class="tab saved-open" id="saved-open" title=tr!("saved-hint") on:click=toggle>
            {tr!("saved-replies")}" #"
        </button>
    }
}

/// The list under the reply box.
#[component]
pub fn SavedReplies(
    ticket: TicketId,
    language: String,
    /// The saved replies on screen, for the reply box's keys.
    shown: RwSignal<Vec<SavedReply>>,
) -> impl IntoView {
    let ui = use_ui();
    let writing = use_writing();
    let picker = writing.picker;
    let query = Memo::new(move |_| picker.with(|p| p.as_ref().map(|p| p.query.clone())));
    let found = {
        let language = language.clone();
        LocalResource::new(move || {
            let q = query.get();
            let language = language.clone();
            ui.generation.track();
            async move {
                let Some(query) = q.clone() else {
                    return Ok((q, Vec::new()));
                };
                let req = SavedReplyQuery {
                    query,
                    language: Some(language),
                };
                ipc::call::<_, Vec<SavedReply>>("saved_replies", &json!({ "q": req }))
                    .await
                    .map(|list| (q, list))
            }
        })
    };
    // Only the answer to what the search field says now: loads overlap (a key typed while a
    // refresh's load is out), and an older one finishing last must not put its list back.
    Effect::new(move |_| {
        if let Some(Ok((asked, list))) = found.get()
            && asked == query.get_untracked()
        {
            shown.set(list);
        }
    });
    let title = RwSignal::new(String::new());
    let keep = {
        let language = language.clone();
        move |_| {
            let req = SaveReply {
                title: title.get_untracked(),
                language: language.clone(),
                body: writing.reply.get_untracked(),
            };
            spawn_local(async move {
                match ipc::call::<_, SavedReply>("save_reply", &json!({ "req": req })).await {
                    Ok(_) => {
                        title.set(String::new());
                        ui.say(false, tr!("saved-kept"));
                        ui.refresh();
                    }
                    Err(e) => ui.say(true, e.to_string()),
                }
            });
        }
    };
    let delete = move |id: String| {
        spawn_local(async move {
            match ipc::call::<_, ()>("delete_reply", &json!({ "id": id })).await {
                Ok(()) => {
                    ui.say(false, tr!("saved-deleted"));
                    ui.refresh();
                }
                Err(e) => ui.say(true, e.to_string()),
            }
        });
    };
    let search_keys = {
        let ticket = ticket.clone();
        move |e: web_sys::KeyboardEvent| {
            on_key(&e, &ticket, &shown.get_untracked());
        }
    };
    let rows = move || {
        let ticket = ticket.clone();
        let selected = picker.with(|p| p.as_ref().map_or(0, |p| p.selected));
        let list = shown.get();
        if list.is_empty() {
            return view! { <li class="muted" id="saved-none">{tr!("saved-none")}</li> }.into_any();
        }
        list.into_iter()
            .enumerate()
            .map(|(i, r)| {
                let pick = {
                    let (ticket, id) = (ticket.clone(), r.id.clone());
                    move |_| choose(ticket.clone(), id.clone())
                };
                let id = r.id.clone();
                let excerpt: String = r.body.chars().take(90).collect();
                view! {
                    <li class="saved-item" class:selected=i == selected data-id=r.id.clone()
                        on:mousedown=|e| e.prevent_default() on:click=pick>
                        <span class="saved-title">{r.title.clone()}</span>
                        <span class="badge">{r.language.clone()}</span>
                        {r.personal.then(|| view! { <span class="badge mine">{tr!("saved-mine")}</span> })}
                        <span class="muted saved-excerpt">{excerpt}</span>
                        {r.personal.then(|| view! {
                            <button class="ghost saved-delete" title=tr!("saved-delete")
                                on:click=move |e| { e.stop_propagation(); delete(id.clone()) }>"×"</button>
                        })}
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        {move || {
            let (keep, rows, search_keys) = (keep.clone(), rows.clone(), search_keys.clone());
            picker.get().map(move |p| view! {
            <div class="saved-picker" id="saved-picker">
                {p.typed.is_none().then(|| view! {
                    <input id="saved-search" type="search" placeholder=tr!("saved-search")
                        prop:value=move || picker.with(|p| p.as_ref().map(|p| p.query.clone()).unwrap_or_default())
                        on:input=move |e| {
                            let q = event_target_value(&e);
                            picker.update(|p| if let Some(p) = p { p.query = q; p.selected = 0 });
                        }
                        on:keydown=search_keys/>
                })}
                <ul id="saved-list">{rows}</ul>
                {move || (p.typed.is_none() && !writing.reply.with(|b| b.trim().is_empty())).then(|| view! {
                    <div class="saved-keep">
                        <input id="saved-title" placeholder=tr!("saved-title") prop:value=move || title.get()
                            on:input=move |e| title.set(event_target_value(&e))/>
                        <button class="secondary" id="saved-keep" on:click=keep.clone()>{tr!("saved-keep")}</button>
                    </div>
                })}
            </div>
        })}}
    }
}
