//! The AI draft beside the thread — author, confidence, citations, approve / edit / reject /
//! re-review — and the drafts decided earlier, an edited one with what the person changed.

use super::{Mode, act};
use crate::app::{Shortcut, use_ui};
use crate::diff::{self, Span};
use crate::format;
use countersign_model::ipc::{ApproveDraft, RejectDraft};
use countersign_model::workflow::{Citation, CitedKind, Draft, DraftStatus};
use leptos::prelude::*;
use serde_json::json;

#[component]
pub fn DraftCard(draft: Draft, mode: RwSignal<Mode>) -> impl IntoView {
    let ui = use_ui();
    let stale = draft.status == DraftStatus::Stale;
    let id = draft.id.clone();
    let body = RwSignal::new(draft.body.clone());
    let reason = RwSignal::new(String::new());
    let cited = RwSignal::new(None::<Citation>);

    let approve = {
        let id = id.clone();
        move |edited: Option<String>| {
            let req = ApproveDraft {
                draft_id: id.clone(),
                edited_body: edited,
            };
            act(
                ui,
                "approve_draft",
                json!({ "req": req }),
                "Approved — the reply is queued to send",
                move || mode.set(Mode::Read),
            );
        }
    };
    let reject = {
        let id = id.clone();
        move || {
            let req = RejectDraft {
                draft_id: id.clone(),
                reason: reason.get_untracked(),
            };
            act(
                ui,
                "reject_draft",
                json!({ "req": req }),
                "Draft rejected",
                move || mode.set(Mode::Read),
            );
        }
    };
    let rereview = {
        let id = id.clone();
        move |_| {
            act(
                ui,
                "rereview_draft",
                json!({ "id": id.clone() }),
                "Re-reviewed: the draft is bound to the current records",
                || (),
            )
        }
    };
    // Keyboard shortcuts act on this draft, and only on a key pressed while it is on screen.
    ui.draft_on_screen.set(Some(id.clone()));
    {
        let id = id.clone();
        on_cleanup(move || {
            if ui.draft_on_screen.get_untracked().as_ref() == Some(&id) {
                ui.draft_on_screen.set(None);
            }
            ui.shortcut.set(None);
        });
    }
    {
        let approve = approve.clone();
        let id = id.clone();
        Effect::new(move |_| {
            let Some((target, s)) = ui.shortcut.get() else {
                return;
            };
            ui.shortcut.set(None);
            if target != id {
                return;
            }
            match s {
                Shortcut::Approve => approve(None),
                Shortcut::Edit => mode.set(Mode::Edit),
                Shortcut::Reject => mode.set(Mode::Reject),
                Shortcut::Escalate => mode.set(Mode::Escalate),
            }
        });
    }
    let approve_plain = approve.clone();
    let approve_edited = approve.clone();
    let model = draft
        .author
        .model
        .clone()
        .unwrap_or_else(|| "model not given".into());
    view! {
        <div class="card draft" class:stale=stale id=format!("draft-{id}")>
            <div class="draft-head">
                <span class="label">"AI draft"</span>
                <span id="draft-status" class=format!("draft-status {}", draft.status)>{format::draft_status_label(draft.status)}</span>
            </div>
            <div class="author muted">
                {draft.author.client.clone()}" · "{model}" · confidence "<strong>{format::confidence(draft.confidence)}</strong>
            </div>
            {draft.stale_reason.clone().map(|why| view! {
                <div class="stale-why" id="stale-reason"><strong>"Stale: "</strong>{why}</div>
            })}
            <Show when=move || mode.get() == Mode::Edit fallback={
                let text = draft.body.clone();
                move || view! { <div class="draft-body" id="draft-text">{text.clone()}</div> }
            }>
                <textarea id="draft-body" class="editor" rows="10"
                    prop:value=move || body.get()
                    on:input=move |e| body.set(event_target_value(&e))></textarea>
            </Show>
            <Citations items=draft.citations.clone() cited=cited/>
            {move || cited.get().map(|c| view! { <crate::customer::CitedRecord citation=c on_close=move || cited.set(None)/> })}
            <div class="actions">
                {move || match mode.get() {
                    Mode::Edit => {
                        let approve_edited = approve_edited.clone();
                        view! {
                            <button class="primary" id="approve-edited" disabled=stale
                                on:click=move |_| approve_edited(Some(body.get_untracked()))>"Approve edited & send"</button>
                            <button class="ghost" on:click=move |_| mode.set(Mode::Read)>"Cancel"</button>
                        }.into_any()
                    }
                    Mode::Reject => {
                        let reject = reject.clone();
                        view! {
                            <input id="reject-reason" placeholder="Why? (kept with the decision)"
                                on:input=move |e| reason.set(event_target_value(&e))/>
                            <button class="danger" id="reject-confirm" on:click=move |_| reject()>"Reject"</button>
                            <button class="ghost" on:click=move |_| mode.set(Mode::Read)>"Cancel"</button>
                        }.into_any()
                    }
                    _ if stale => view! {
                        <button class="primary" id="approve" disabled=true title="A stale draft must be re-reviewed first">"Approve & send"</button>
                        <button class="secondary" id="rereview" on:click=rereview.clone()>"Re-review against current records"</button>
                        <button class="ghost" id="reject" on:click=move |_| mode.set(Mode::Reject)>"Reject  r"</button>
                    }.into_any(),
                    _ => {
                        let approve_plain = approve_plain.clone();
                        view! {
                            <button class="primary" id="approve" on:click=move |_| approve_plain(None)>"Approve & send  a"</button>
                            <button class="secondary" id="edit" on:click=move |_| mode.set(Mode::Edit)>"Edit  e"</button>
                            <button class="ghost" id="reject" on:click=move |_| mode.set(Mode::Reject)>"Reject  r"</button>
                        }.into_any()
                    }
                }}
            </div>
        </div>
    }
}

#[component]
fn Citations(items: Vec<Citation>, cited: RwSignal<Option<Citation>>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted small">"No citations."</p> }.into_any();
    }
    view! {
        <div class="citations">
            <span class="muted small">"Cites "</span>
            {items.into_iter().map(|c| {
                let label = match c.kind {
                    CitedKind::Customer => "customer",
                    CitedKind::Invoice => "invoice",
                    CitedKind::Payment => "payment",
                    CitedKind::Message => "message",
                    CitedKind::KbArticle => "article",
                };
                let changed = c.current_version.is_some();
                let text = format!("{label} {}", c.id);
                let c2 = c.clone();
                view! {
                    <a href="#" class="cite" class:changed=changed id=format!("cite-{}", c.id)
                        on:click=move |e| { e.prevent_default(); cited.set(Some(c2.clone())); }>{text}</a>
                }
            }).collect_view()}
        </div>
    }.into_any()
}

/// Drafts already decided, newest first. An approved draft whose text was edited shows the
/// word-level changes from the assistant's text to what was sent.
#[component]
pub fn DecidedDrafts(drafts: Vec<Draft>) -> impl IntoView {
    view! {
        <div class="card decided">
            <div class="label">"Earlier drafts"</div>
            {drafts.into_iter().map(|d| {
                let who = d.decided_by.clone().unwrap_or_default();
                let note = d.decision_note.clone();
                let changes = d
                    .final_body
                    .as_deref()
                    .map(|sent| diff::words(&d.body, sent))
                    .filter(|spans| diff::changed(spans));
                let edited = changes.is_some();
                view! {
                    <div class=format!("decided-row {}", d.status) id=format!("decided-{}", d.id)>
                        <span class=format!("draft-status {}", d.status)>{format::draft_status_label(d.status)}</span>
                        " by "{who}
                        {edited.then(|| view! { <span class="tag">"edited"</span> })}
                        {note.map(|n| view! { <div class="muted small">"“"{n}"”"</div> })}
                        {changes.map(|spans| view! { <EditDiff id=d.id.to_string() spans=spans/> })}
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// The assistant's text with the person's deletions struck through and additions marked.
#[component]
fn EditDiff(id: String, spans: Vec<Span>) -> impl IntoView {
    view! {
        <details class="diff" id=format!("diff-{id}") open=true>
            <summary class="muted small">"Changes to the AI draft before sending"</summary>
            <div class="diff-body">
                {spans.into_iter().map(|s| match s {
                    Span::Same(t) => view! { <span>{t}</span> }.into_any(),
                    Span::Removed(t) => view! { <del title="in the AI draft, not sent">{t}</del> }.into_any(),
                    Span::Added(t) => view! { <ins title="added by the reviewer">{t}</ins> }.into_any(),
                }).collect_view()}
            </div>
        </details>
    }
}
