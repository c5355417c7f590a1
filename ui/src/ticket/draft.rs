//! The AI draft beside the thread — author, confidence, citations, approve / edit / reject /
//! re-review — and the drafts decided earlier, an edited one with what the person changed.

use super::{Mode, act};
use crate::app::{OnScreen, Shortcut, use_ui};
use crate::diff::{self, Span};
use crate::format;
use crate::ipc;
use countersign_model::TicketId;
use countersign_model::ipc::{ApproveDraft, DraftWithAi, RejectDraft};
use countersign_model::workflow::{Citation, CitedKind, Claim, ClaimKind, Draft, DraftStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

/// A ticket with no draft waiting: "Draft with AI" (or `d`) asks the desk to draft one now;
/// the button says so while the drafter works.
#[component]
pub fn NoDraft(ticket: TicketId) -> impl IntoView {
    let ui = use_ui();
    let working = RwSignal::new(false);
    let run = {
        let ticket = ticket.clone();
        move || {
            if working.get_untracked() {
                return;
            }
            working.set(true);
            let req = DraftWithAi {
                ticket_id: ticket.clone(),
            };
            spawn_local(async move {
                match ipc::call::<_, Draft>("draft_with_ai", &json!({ "req": req })).await {
                    Ok(d) => {
                        let flagged = d.ungrounded().count();
                        let fell_back = d
                            .generation
                            .as_ref()
                            .and_then(|g| g.fallbacks.first().cloned());
                        let mut text = format!("Drafted by {}", d.author.client);
                        if let Some(why) = &fell_back {
                            text.push_str(&format!(" — {why}"));
                        }
                        if flagged > 0 {
                            text.push_str(&format!(
                                " — {flagged} figure(s) match no record, check them"
                            ));
                        }
                        ui.say(flagged > 0 || fell_back.is_some(), text);
                        ui.refresh();
                    }
                    Err(e) => ui.say(true, format!("Could not draft: {e}")),
                }
                working.set(false);
            });
        }
    };
    let stamp = ui.claim_keys(OnScreen::NoDraft(ticket));
    {
        let run = run.clone();
        Effect::new(move |_| {
            if ui.take_shortcut(stamp) == Some(Shortcut::DraftWithAi) {
                run();
            }
        });
    }
    view! {
        <div class="card no-draft" id="no-draft">
            <div class="muted">"No draft waiting."</div>
            <button class="primary" id="draft-with-ai" disabled=move || working.get()
                on:click=move |_| run()>
                {move || if working.get() { "Drafting…" } else { "Draft with AI  d" }}
            </button>
            <p class="muted small">"The desk's drafter writes from this customer's records; assistants connected over MCP can file drafts too."</p>
        </div>
    }
}

/// Who wrote a draft and how: the author, the time it took, tokens, what it fell back from.
#[component]
fn Provenance(draft: Draft) -> impl IntoView {
    let model = draft
        .author
        .model
        .clone()
        .unwrap_or_else(|| "model not given".into());
    let how = draft.generation.clone().map(|g| {
        let mut parts = vec![format!("{} ms", g.duration_ms)];
        if let (Some(i), Some(o)) = (g.input_tokens, g.output_tokens) {
            parts.push(format!("{i} + {o} tokens"));
        }
        if let Some(intent) = g.intent {
            parts.push(format!("read as {}", intent.replace('_', " ")));
        }
        (parts.join(" · "), g.fallbacks)
    });
    let generated = how.is_some();
    view! {
        <div class="author muted">
            {draft.author.client.clone()}
            {(!generated).then(|| format!(" · {model}"))}
            " · confidence "<strong>{format::confidence(draft.confidence)}</strong>
            {how.clone().map(|(text, _)| view! { <span id="generation">" · "{text}</span> })}
        </div>
        {how.map(|(_, fallbacks)| fallbacks.into_iter().map(|f| view! {
            <div class="fallback small" >"Fell back: "{f}</div>
        }).collect_view())}
    }
}

/// The grounding check beside the text: the figures no record backs, or that all do.
#[component]
fn Grounding(claims: Vec<Claim>) -> impl IntoView {
    let failed: Vec<Claim> = claims.iter().filter(|c| !c.grounded).cloned().collect();
    let total = claims.len();
    if total == 0 {
        return ().into_any();
    }
    if failed.is_empty() {
        let text = match total {
            1 => "The one figure stated matches the records.".to_owned(),
            n => format!("All {n} figures stated match the records."),
        };
        return view! { <div class="grounded small" id="grounding-ok">"✓ "{text}</div> }.into_any();
    }
    view! {
        <div class="ungrounded" id="grounding-flags">
            <strong>"Not backed by any record — check before sending:"</strong>
            <ul>
                {failed.into_iter().map(|c| {
                    let what = match c.kind {
                        ClaimKind::Amount => "amount",
                        ClaimKind::InvoiceNumber => "invoice number",
                        ClaimKind::Date => "date",
                    };
                    view! { <li><code>{c.text}</code>" ("{what}")"</li> }
                }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

#[component]
pub fn DraftCard(
    draft: Draft,
    mode: RwSignal<Mode>,
    /// The person's edit of a draft, kept by the ticket view across live refreshes.
    edit: RwSignal<Option<(countersign_model::DraftId, String)>>,
) -> impl IntoView {
    let ui = use_ui();
    let stale = draft.status == DraftStatus::Stale;
    let id = draft.id.clone();
    let kept = edit
        .get_untracked()
        .filter(|(d, _)| *d == id)
        .map(|(_, text)| text);
    let body = RwSignal::new(kept.unwrap_or_else(|| draft.body.clone()));
    {
        let id = id.clone();
        Effect::new(move |_| edit.set(Some((id.clone(), body.get()))));
    }
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
    let stamp = ui.claim_keys(OnScreen::Draft(id.clone()));
    {
        let approve = approve.clone();
        Effect::new(move |_| match ui.take_shortcut(stamp) {
            Some(Shortcut::Approve) => approve(None),
            Some(Shortcut::Edit) => mode.set(Mode::Edit),
            Some(Shortcut::Reject) => mode.set(Mode::Reject),
            Some(Shortcut::Escalate) => mode.set(Mode::Escalate),
            Some(Shortcut::DraftWithAi) | None => {}
        });
    }
    let approve_plain = approve.clone();
    let approve_edited = approve.clone();
    let suggested = draft.suggested_escalation.clone();
    view! {
        <div class="card draft" class:stale=stale id=format!("draft-{id}")>
            <div class="draft-head">
                <span class="label">"AI draft"</span>
                <span id="draft-status" class=format!("draft-status {}", draft.status)>{format::draft_status_label(draft.status)}</span>
            </div>
            <Provenance draft=draft.clone()/>
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
            <Grounding claims=draft.claims.clone()/>
            {suggested.map(|e| view! {
                <div class="suggested small" id="suggested-escalation">
                    "Approving also raises a "<strong>{e.proposed_action.as_str().replace('_', " ")}</strong>
                    " of "<strong>{format::money(&e.amount)}</strong>" for a supervisor to decide."
                </div>
            })}
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
