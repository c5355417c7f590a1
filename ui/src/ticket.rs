//! One ticket: the thread (public replies and internal notes look different), the AI draft
//! beside it with its author, confidence and citations, and the person's actions.

use crate::app::{Shortcut, Ui, use_ui};
use crate::format;
use crate::ipc::{self, UiError};
use countersign_model::TicketId;
use countersign_model::ipc::{AddNote, ApproveDraft, RaiseEscalation, RejectDraft};
use countersign_model::records::{AuthorKind, Message, Visibility};
use countersign_model::workflow::{
    Citation, CitedKind, Draft, DraftStatus, Escalation, ProposedAction, TicketDetail,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use serde_json::json;

/// Runs a command; on success says `done` and refreshes, on failure shows the core's message.
pub fn act<A: Serialize + 'static>(
    ui: Ui,
    cmd: &'static str,
    args: A,
    done: &'static str,
    after: impl FnOnce() + 'static,
) {
    spawn_local(async move {
        match ipc::call::<_, serde_json::Value>(cmd, &args).await {
            Ok(_) => {
                ui.say(false, done);
                after();
                ui.refresh();
            }
            Err(e) => ui.say(true, e.to_string()),
        }
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Read,
    Edit,
    Reject,
    Escalate,
}

#[component]
pub fn TicketView(id: TicketId) -> impl IntoView {
    let ui = use_ui();
    let ticket = {
        let id = id.clone();
        LocalResource::new(move || {
            let id = id.clone();
            ui.generation.track();
            async move { ipc::call::<_, TicketDetail>("ticket", &json!({ "id": id })).await }
        })
    };
    view! {
        <section class="ticket" id="ticket-view">
            <Transition fallback=|| view! { <p class="muted pad">"Opening the ticket…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p class="error pad">{move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}</p>
                }>
                    {move || Suspend::new(async move {
                        let detail = ticket.await?;
                        Ok::<_, UiError>(view! { <TicketBody detail=detail/> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn TicketBody(detail: TicketDetail) -> impl IntoView {
    let ui = use_ui();
    let t = detail.ticket.clone();
    let customer_id = detail.customer.id.clone();
    let current = detail
        .drafts
        .iter()
        .find(|d| matches!(d.status, DraftStatus::PendingReview | DraftStatus::Stale))
        .cloned();
    let decided: Vec<Draft> = detail
        .drafts
        .iter()
        .filter(|d| matches!(d.status, DraftStatus::Approved | DraftStatus::Rejected))
        .cloned()
        .collect();
    let mode = RwSignal::new(Mode::Read);
    view! {
        <header class="ticket-head">
            <button class="close" title="Close (Esc)" on:click=move |_| ui.open.set(None)>"×"</button>
            <h1 id="ticket-subject">{t.subject.clone()}</h1>
            <div class="meta">
                <span class="customer">{detail.customer.name.clone()}</span>
                <span class="muted">{detail.customer.email.clone()}</span>
                <span class=format!("status status-{}", t.status)>{t.status.as_str()}</span>
                <span class=format::priority_class(t.priority)>{t.priority.as_str()}</span>
                {format::sla(t.sla_due_at, ipc::now()).map(|(text, s)| view! { <span class=s.class()>"SLA "{text}</span> })}
                <span class="muted">{t.channel.as_str()}" · "{t.language.clone()}</span>
            </div>
        </header>
        <div class="ticket-cols">
            <div class="thread-col">
                <Thread messages=detail.thread.clone()/>
                <NoteComposer ticket=t.id.clone()/>
            </div>
            <aside class="side-col">
                {match current {
                    Some(d) => view! { <DraftCard draft=d mode=mode/> }.into_any(),
                    None => view! { <div class="card muted" id="no-draft">"No draft waiting. Assistants file drafts over MCP; they appear here live."</div> }.into_any(),
                }}
                {(!decided.is_empty()).then(|| view! { <DecidedDrafts drafts=decided/> })}
                <Escalations items=detail.escalations.clone()/>
                <Show when=move || mode.get() == Mode::Escalate fallback=move || view! {
                    <button class="secondary wide" id="escalate" on:click=move |_| mode.set(Mode::Escalate)>"Escalate…  x"</button>
                }>
                    <EscalateForm ticket=t.id.clone() mode=mode/>
                </Show>
                <crate::customer::CustomerPanel id=customer_id.clone()/>
            </aside>
        </div>
    }
}

#[component]
fn Thread(messages: Vec<Message>) -> impl IntoView {
    let now = ipc::now();
    view! {
        <ol class="thread" id="thread">
            {messages.into_iter().map(|m| {
                let internal = m.visibility == Visibility::Internal;
                let who = match m.author_kind {
                    AuthorKind::Customer => "customer",
                    AuthorKind::Agent => "agent",
                    AuthorKind::Ai => "assistant",
                    AuthorKind::System => "system",
                };
                view! {
                    <li class=format!("msg {} from-{who}", if internal { "internal" } else { "public" }) id=format!("msg-{}", m.id)>
                        <div class="msg-head">
                            <strong>{m.author_name.clone()}</strong>
                            {internal.then(|| view! { <span class="tag">"internal note"</span> })}
                            <span class="muted">{format::ago(m.created_at, now)}</span>
                        </div>
                        <div class="msg-body">{m.body.clone()}</div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn DraftCard(draft: Draft, mode: RwSignal<Mode>) -> impl IntoView {
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
    // Keyboard shortcuts act on this draft.
    {
        let approve = approve.clone();
        Effect::new(move |_| {
            let Some(s) = ui.shortcut.get() else { return };
            ui.shortcut.set(None);
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

#[component]
fn DecidedDrafts(drafts: Vec<Draft>) -> impl IntoView {
    view! {
        <div class="card decided">
            <div class="label">"Earlier drafts"</div>
            {drafts.into_iter().map(|d| {
                let who = d.decided_by.clone().unwrap_or_default();
                let note = d.decision_note.clone();
                let edited = d.final_body.as_ref().is_some_and(|f| f != &d.body);
                view! {
                    <div class=format!("decided-row {}", d.status) id=format!("decided-{}", d.id)>
                        <span class=format!("draft-status {}", d.status)>{format::draft_status_label(d.status)}</span>
                        " by "{who}
                        {edited.then(|| view! { <span class="tag">"edited"</span> })}
                        {note.map(|n| view! { <div class="muted small">"“"{n}"”"</div> })}
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn Escalations(items: Vec<Escalation>) -> impl IntoView {
    (!items.is_empty()).then(|| view! {
        <div class="card">
            <div class="label">"Escalations"</div>
            {items.into_iter().map(|e| view! {
                <div class=format!("esc-row esc-{}", e.status) id=format!("esc-{}", e.id)>
                    <strong>{e.proposed_action.as_str()}</strong>
                    {e.amount.map(|a| format!(" {}", format::money(&a)))}
                    " · "<span class=format!("esc-status {}", e.status)>{e.status.as_str()}</span>
                    <div class="muted small">{e.reason.clone()}</div>
                    {e.decision_note.clone().map(|n| view! { <div class="small">{e.decided_by.clone().unwrap_or_default()}": "{n}</div> })}
                </div>
            }).collect_view()}
        </div>
    })
}

#[component]
fn EscalateForm(ticket: TicketId, mode: RwSignal<Mode>) -> impl IntoView {
    let ui = use_ui();
    let action = RwSignal::new(ProposedAction::Refund);
    let invoice = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let submit = move |_| {
        let req = RaiseEscalation {
            ticket_id: ticket.clone(),
            reason: reason.get_untracked(),
            proposed_action: action.get_untracked(),
            invoice: Some(invoice.get_untracked()),
            amount: Some(amount.get_untracked()),
        };
        act(
            ui,
            "raise_escalation",
            json!({ "req": req }),
            "Escalation raised",
            move || mode.set(Mode::Read),
        );
    };
    view! {
        <div class="card form" id="escalate-form">
            <div class="label">"Escalate"</div>
            <select id="esc-action" on:change=move |e| {
                if let Ok(a) = ProposedAction::parse(&event_target_value(&e)) { action.set(a) }
            }>
                {ProposedAction::ALL.iter().map(|a| view! { <option value=a.as_str()>{a.as_str()}</option> }).collect_view()}
            </select>
            <input id="esc-invoice" placeholder="Invoice number or id" on:input=move |e| invoice.set(event_target_value(&e))/>
            <input id="esc-amount" placeholder="Amount, e.g. 19.99" on:input=move |e| amount.set(event_target_value(&e))/>
            <textarea id="esc-reason" rows="3" placeholder="Reason" on:input=move |e| reason.set(event_target_value(&e))></textarea>
            <div class="actions">
                <button class="primary" id="escalate-submit" on:click=submit>"Raise escalation"</button>
                <button class="ghost" on:click=move |_| mode.set(Mode::Read)>"Cancel"</button>
            </div>
        </div>
    }
}

#[component]
fn NoteComposer(ticket: TicketId) -> impl IntoView {
    let ui = use_ui();
    let body = RwSignal::new(String::new());
    let add = move |_| {
        let req = AddNote {
            ticket_id: ticket.clone(),
            body: body.get_untracked(),
        };
        act(
            ui,
            "add_note",
            json!({ "req": req }),
            "Internal note added",
            move || body.set(String::new()),
        );
    };
    view! {
        <div class="composer">
            <textarea id="note-body" rows="2" placeholder="Internal note — the customer never sees it"
                prop:value=move || body.get() on:input=move |e| body.set(event_target_value(&e))></textarea>
            <button class="secondary" id="note-add" on:click=add>"Add note"</button>
        </div>
    }
}
