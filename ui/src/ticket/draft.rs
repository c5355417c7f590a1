//! The AI draft beside the thread — author, confidence, citations, approve / edit / reject /
//! re-review — and the drafts decided earlier, an edited one with what the person changed.

use super::{Mode, act};
use crate::app::{OnScreen, Shortcut, use_ui};
use crate::diff::{self, Span};
use crate::intl;
use crate::ipc;
use crate::labels;
use countersign_model::TicketId;
use countersign_model::ipc::{ApproveDraft, DraftWithAi, RejectDraft};
use countersign_model::workflow::{Citation, Claim, Draft, DraftStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

/// A ticket with no draft waiting: "Draft with AI" (or `d`) asks the desk to draft one now;
/// the button says so while the drafter works.
#[component]
pub fn NoDraft(ticket: TicketId, mode: RwSignal<Mode>) -> impl IntoView {
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
                        let mut text = tr!("drafted-by", author = d.author.client.clone());
                        if let Some(why) = &fell_back {
                            text.push_str(&format!(" — {why}"));
                        }
                        if flagged > 0 {
                            text.push_str(" — ");
                            text.push_str(&tr!("drafted-flagged", count = flagged));
                        }
                        ui.say(flagged > 0 || fell_back.is_some(), text);
                        ui.refresh();
                    }
                    Err(e) => ui.say(true, tr!("draft-failed", error = e.to_string())),
                }
                working.set(false);
            });
        }
    };
    let stamp = ui.claim_keys(OnScreen::NoDraft(ticket));
    {
        let run = run.clone();
        Effect::new(move |_| match ui.take_shortcut(stamp) {
            Some(Shortcut::DraftWithAi) => run(),
            Some(Shortcut::Escalate) => mode.set(Mode::Escalate),
            _ => {}
        });
    }
    view! {
        <div class="card no-draft" id="no-draft">
            <div class="muted">{tr!("no-draft")}</div>
            <button class="primary" id="draft-with-ai" disabled=move || working.get()
                on:click=move |_| run()>
                {move || if working.get() { tr!("drafting") } else { tr!("draft-with-ai") + "  d" }}
            </button>
            <p class="muted small">{tr!("no-draft-help")}</p>
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
        .unwrap_or_else(|| tr!("model-not-given"));
    let how = draft.generation.clone().map(|g| {
        let mut parts = vec![tr!("generation-ms", ms = g.duration_ms)];
        if let (Some(i), Some(o)) = (g.input_tokens, g.output_tokens) {
            parts.push(tr!("generation-tokens", input = i, output = o));
        }
        if let Some(intent) = g.intent {
            parts.push(tr!("generation-intent", intent = labels::intent(&intent)));
        }
        (parts.join(" · "), g.fallbacks)
    });
    let generated = how.is_some();
    view! {
        <div class="author muted">
            {draft.author.client.clone()}
            {(!generated).then(|| format!(" · {model}"))}
            " · "{tr!("confidence")}" "<strong>{intl::percent(draft.confidence)}</strong>
            {how.clone().map(|(text, _)| view! { <span id="generation">" · "{text}</span> })}
        </div>
        {how.map(|(_, fallbacks)| fallbacks.into_iter().map(|f| view! {
            <div class="fallback small">{tr!("fell-back", why = f)}</div>
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
        let text = tr!("grounding-ok", count = total);
        return view! { <div class="grounded small" id="grounding-ok">"✓ "{text}</div> }.into_any();
    }
    view! {
        <div class="ungrounded" id="grounding-flags">
            <strong>{tr!("grounding-flags")}</strong>
            <ul>
                {failed.into_iter().map(|c| {
                    view! { <li><code>{c.text}</code>" ("{labels::claim_kind(c.kind)}")"</li> }
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
    let reason = super::use_writing().rejection;
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
                tr!("approved-queued"),
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
                tr!("draft-rejected"),
                move || {
                    reason.set(String::new());
                    mode.set(Mode::Read);
                },
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
                tr!("rereviewed"),
                || (),
            )
        }
    };
    // Keyboard shortcuts act on this draft, and only on a key pressed while it is on screen.
    let stamp = ui.claim_keys(OnScreen::Draft(id.clone()));
    {
        let approve = approve.clone();
        Effect::new(move |_| match ui.take_shortcut(stamp) {
            // While the person edits, rejects or escalates, the keys are theirs: `a` would
            // approve the text as the assistant wrote it.
            Some(_) if mode.get_untracked() != Mode::Read => {}
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
                <span class="label">{tr!("ai-draft")}</span>
                <span id="draft-status" class=format!("draft-status {}", draft.status)>{labels::draft_status(draft.status)}</span>
            </div>
            <Provenance draft=draft.clone()/>
            {draft.stale_reason.clone().map(|why| view! {
                <div class="stale-why" id="stale-reason"><strong>{tr!("stale")}" "</strong>{why}</div>
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
                    {tr!("suggested-escalation", action = labels::proposed_action(e.proposed_action), amount = intl::money(&e.amount))}
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
                                on:click=move |_| approve_edited(Some(body.get_untracked()))>{tr!("approve-edited")}</button>
                            <button class="ghost" on:click=move |_| mode.set(Mode::Read)>{tr!("cancel")}</button>
                        }.into_any()
                    }
                    Mode::Reject => {
                        let reject = reject.clone();
                        view! {
                            <input id="reject-reason" placeholder=tr!("reject-reason") prop:value=move || reason.get()
                                on:input=move |e| reason.set(event_target_value(&e))/>
                            <button class="danger" id="reject-confirm" on:click=move |_| reject()>{tr!("reject")}</button>
                            <button class="ghost" on:click=move |_| mode.set(Mode::Read)>{tr!("cancel")}</button>
                        }.into_any()
                    }
                    _ if stale => view! {
                        <button class="primary" id="approve" disabled=true title=tr!("stale-approve-title")>{tr!("approve")}</button>
                        <button class="secondary" id="rereview" on:click=rereview.clone()>{tr!("rereview")}</button>
                        <button class="ghost" id="reject" on:click=move |_| mode.set(Mode::Reject)>{tr!("reject")}"  r"</button>
                    }.into_any(),
                    _ => {
                        let approve_plain = approve_plain.clone();
                        view! {
                            <button class="primary" id="approve" on:click=move |_| approve_plain(None)>{tr!("approve")}"  a"</button>
                            <button class="secondary" id="edit" on:click=move |_| mode.set(Mode::Edit)>{tr!("edit")}"  e"</button>
                            <button class="ghost" id="reject" on:click=move |_| mode.set(Mode::Reject)>{tr!("reject")}"  r"</button>
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
        return view! { <p class="muted small">{tr!("no-citations")}</p> }.into_any();
    }
    view! {
        <div class="citations">
            <span class="muted small">{tr!("cites")}" "</span>
            {items.into_iter().map(|c| {
                let label = labels::cited_kind(c.kind);
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
            <div class="label">{tr!("earlier-drafts")}</div>
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
                        <span class=format!("draft-status {}", d.status)>{labels::draft_status(d.status)}</span>
                        " "{tr!("decided-by", who = who)}
                        {edited.then(|| view! { <span class="tag">{tr!("edited")}</span> })}
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
            <summary class="muted small">{tr!("diff-title")}</summary>
            <div class="diff-body">
                {spans.into_iter().map(|s| match s {
                    Span::Same(t) => view! { <span>{t}</span> }.into_any(),
                    Span::Removed(t) => view! { <del title=tr!("diff-removed")>{t}</del> }.into_any(),
                    Span::Added(t) => view! { <ins title=tr!("diff-added")>{t}</ins> }.into_any(),
                }).collect_view()}
            </div>
        </details>
    }
}
