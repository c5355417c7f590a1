//! One ticket: the thread (public replies and internal notes look different) with the composer
//! under it, the AI draft beside it ([`draft`]), escalations and the customer panel. What a
//! person writes is in [`compose`].

mod actions;
mod compose;
mod draft;
mod merge;
mod presence;
mod saved;

use crate::app::{Ui, use_ui};
use crate::format;
use crate::intl;
use crate::ipc::{self, UiError};
use crate::labels;
use compose::{Composer, EscalateForm};
use countersign_model::TicketId;
use countersign_model::records::{Attachment, AuthorKind, Message, Visibility};
use countersign_model::workflow::{Draft, DraftStatus, Escalation, TicketDetail};
use draft::{DecidedDrafts, DraftCard};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use serde_json::json;

/// Runs a command; on success says `done` and refreshes, on failure shows the core's message.
pub fn act<A: Serialize + 'static>(
    ui: Ui,
    cmd: &'static str,
    args: A,
    done: String,
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

/// What the person is writing on the open ticket. It lives in the ticket view, outside the part
/// a live refresh rebuilds, so a refresh never takes their words; each form reads its own.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Writing {
    /// The composer under the thread: a reply or a note.
    pub reply: RwSignal<String>,
    pub note: RwSignal<bool>,
    /// Why the draft on screen is rejected.
    pub rejection: RwSignal<String>,
    /// The escalation being raised.
    pub escalation: RwSignal<EscalationForm>,
    /// The saved-reply list, when open under the reply box.
    pub picker: RwSignal<Option<saved::Picker>>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct EscalationForm {
    pub action: Option<countersign_model::workflow::ProposedAction>,
    pub invoice: String,
    pub amount: String,
    pub reason: String,
}

pub(crate) fn use_writing() -> Writing {
    expect_context::<Writing>()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Read,
    Edit,
    Reject,
    Escalate,
}

#[component]
pub fn TicketView(id: TicketId) -> impl IntoView {
    let ui = use_ui();
    // Kept outside the part a live refresh rebuilds: what the person is doing survives it.
    let mode = RwSignal::new(Mode::Read);
    let edit = RwSignal::new(None::<(countersign_model::DraftId, String)>);
    provide_context(Writing {
        reply: RwSignal::new(String::new()),
        note: RwSignal::new(false),
        rejection: RwSignal::new(String::new()),
        escalation: RwSignal::new(EscalationForm::default()),
        picker: RwSignal::new(None),
    });
    // What is on screen (set as it is rendered). A reload that reads the same (the desk's own
    // change event after the person's action, a sync that changed nothing here) does not settle
    // until the next reload has begun, which replaces it: the view is not rebuilt under the
    // person's pointer or keys for nothing.
    let shown = StoredValue::new_local(None::<Result<TicketDetail, UiError>>);
    presence::announce_while_open(id.clone());
    let ticket = {
        let id = id.clone();
        LocalResource::new(move || {
            let id = id.clone();
            ui.generation.track();
            async move {
                let detail = ipc::call::<_, TicketDetail>("ticket", &json!({ "id": id })).await;
                crate::keys::typing_paused().await;
                if shown.try_with_value(|s| s.as_ref() == Some(&detail)) == Some(true) {
                    let seen = ui.generation.get_untracked();
                    while ui.generation.try_get_untracked() == Some(seen) {
                        crate::keys::sleep(250).await;
                    }
                }
                detail
            }
        })
    };
    view! {
        <section class="ticket" id="ticket-view">
            // Outside the part a live refresh rebuilds: a reload that reads the same ticket
            // holds the old body on screen with its reactive scope gone, and a colleague who
            // starts replying must still show.
            <presence::Colleagues id=id.clone()/>
            <Transition fallback=|| view! { <p class="muted pad">{tr!("ticket-opening")}</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p class="error pad">{move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}</p>
                }>
                    {move || Suspend::new(async move {
                        let detail = ticket.await;
                        shown.try_set_value(Some(detail.clone()));
                        let detail = detail?;
                        // The rebuild must not take the person's cursor out of what they write.
                        if let Some(caret) = crate::keys::Caret::take() {
                            caret.restore();
                        }
                        Ok::<_, UiError>(view! { <TicketBody detail=detail mode=mode edit=edit/> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn TicketBody(
    detail: TicketDetail,
    mode: RwSignal<Mode>,
    edit: RwSignal<Option<(countersign_model::DraftId, String)>>,
) -> impl IntoView {
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
    view! {
        <header class="ticket-head" data-ticket=t.id.to_string()>
            <button class="close" title=tr!("ticket-close") on:click=move |_| ui.open.set(None)>"×"</button>
            <h1 id="ticket-subject">{t.subject.clone()}</h1>
            <div class="meta">
                <span class="customer">{detail.customer.name.clone()}</span>
                <span class="muted">{detail.customer.email.clone()}</span>
                <span class=format!("status status-{}", t.status)>{labels::ticket_status(t.status)}</span>
                <span class=format::priority_class(t.priority)>{labels::priority(t.priority)}</span>
                {format::sla(t.sla_due_at, ipc::now()).map(|(text, s)| view! { <span class=s.class() title=tr!("sla-title")>{tr!("ticket-sla", left = text)}</span> })}
                <span class="muted">{labels::channel(t.channel)}" · "{t.language.clone()}</span>
            </div>
            {t.merged_into.clone().map(|into| view! {
                <p class="merged" id="merged-into">{tr!("merged-into")}" "
                    <button class="link" on:click=move |_| ui.open.set(Some(into.clone()))>{tr!("merged-open")}</button>
                </p>
            })}
            <actions::TicketActions ticket=t.clone()/>
        </header>
        <div class="ticket-cols">
            <div class="thread-col">
                <Thread messages=detail.thread.clone() attachments=detail.attachments.clone()/>
                {t.merged_into.is_none().then(|| view! {
                    <Composer ticket=t.id.clone() language=t.language.clone()/>
                })}
            </div>
            <aside class="side-col">
                {match current {
                    Some(d) => view! { <DraftCard draft=d mode=mode edit=edit/> }.into_any(),
                    None => view! { <draft::NoDraft ticket=t.id.clone() mode=mode/> }.into_any(),
                }}
                {(!decided.is_empty()).then(|| view! { <DecidedDrafts drafts=decided/> })}
                <Escalations items=detail.escalations.clone()/>
                <Show when=move || mode.get() == Mode::Escalate fallback=move || view! {
                    <button class="secondary wide" id="escalate" on:click=move |_| mode.set(Mode::Escalate)>{tr!("ticket-escalate")}"  x"</button>
                }>
                    <EscalateForm ticket=t.id.clone() mode=mode/>
                </Show>
                <crate::customer::CustomerPanel id=customer_id.clone()/>
            </aside>
        </div>
    }
}

#[component]
fn Thread(messages: Vec<Message>, attachments: Vec<Attachment>) -> impl IntoView {
    let ui = use_ui();
    let now = ipc::now();
    let save = move |id: String| {
        spawn_local(async move {
            match ipc::call::<_, String>("save_attachment", &json!({ "id": id })).await {
                Ok(path) => ui.say(false, tr!("attachment-saved", path = path)),
                Err(e) => ui.say(true, e.to_string()),
            }
        });
    };
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
                            {internal.then(|| view! { <span class="tag">{tr!("ticket-internal-note")}</span> })}
                            <span class="muted" title=intl::date_time(m.created_at)>{intl::ago(m.created_at, now)}</span>
                        </div>
                        <div class="msg-body">{m.body.clone()}</div>
                        {m.delivery.clone().map(|d| {
                            // The server's answer (or the failure) and when, on hover.
                            let title = format!("{} {}", d.detail.clone().unwrap_or_default(), d.at.map(intl::date_time).unwrap_or_default());
                            view! {
                                <div class=format!("small msg-delivery {}", d.state) title=title.trim().to_owned()>
                                    {labels::delivery(&d)}
                                </div>
                            }
                        })}
                        {attachments.iter().filter(|a| a.message_id == m.id).map(|a| {
                            let id = a.id.clone();
                            view! {
                                <div class="attachment" id=format!("att-{}", a.id)>
                                    <span class="att-name">{a.name.clone()}</span>
                                    <span class="muted small">{a.content_type.clone()}" · "{intl::file_size(a.size)}</span>
                                    <button class="ghost small att-save" title=tr!("attachment-save-hint")
                                        on:click=move |_| save(id.clone())>{tr!("attachment-save")}</button>
                                </div>
                            }
                        }).collect_view()}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn Escalations(items: Vec<Escalation>) -> impl IntoView {
    (!items.is_empty()).then(|| view! {
        <div class="card">
            <div class="label">{tr!("nav-escalations")}</div>
            {items.into_iter().map(|e| view! {
                <div class=format!("esc-row esc-{}", e.status) id=format!("esc-{}", e.id)>
                    <strong>{labels::proposed_action(e.proposed_action)}</strong>
                    {e.amount.map(|a| format!(" {}", intl::money(&a)))}
                    " · "<span class=format!("esc-status {}", e.status)>{labels::escalation_status(e.status)}</span>
                    <div class="muted small">{e.reason.clone()}</div>
                    {e.decision_note.clone().map(|n| view! { <div class="small">{e.decided_by.clone().unwrap_or_default()}": "{n}</div> })}
                    <crate::escalations::FirstApproval escalation=e.clone()/>
                    {e.execution.clone().map(|x| view! { <crate::escalations::ExecutionLine report=x/> })}
                </div>
            }).collect_view()}
        </div>
    })
}
