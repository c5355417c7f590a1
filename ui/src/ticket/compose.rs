//! What a person writes on a ticket: a public reply to the customer (queued to send, like an
//! approved draft) or an internal note; and an escalation to a supervisor.

use super::saved::{SavedReplies, SavedRepliesButton};
use super::{EscalationForm, Mode, Writing, act, use_writing};
use crate::app::use_ui;
use crate::labels;
use countersign_model::TicketId;
use countersign_model::ipc::{AddNote, RaiseEscalation, WriteReply};
use countersign_model::workflow::ProposedAction;
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsCast;

/// Under the thread: write a reply by hand, or an internal note.
#[component]
pub fn Composer(ticket: TicketId, language: String) -> impl IntoView {
    let ui = use_ui();
    let Writing {
        reply: body,
        note,
        picker,
        ..
    } = use_writing();
    let shown = RwSignal::new(Vec::new());
    let send = {
        let ticket = ticket.clone();
        move |_| {
            picker.set(None);
            let text = body.get_untracked();
            let clear = move || body.set(String::new());
            match note.get_untracked() {
                false => {
                    let req = WriteReply {
                        ticket_id: ticket.clone(),
                        body: text,
                    };
                    act(
                        ui,
                        "write_reply",
                        json!({ "req": req }),
                        tr!("reply-queued"),
                        clear,
                    );
                }
                true => {
                    let req = AddNote {
                        ticket_id: ticket.clone(),
                        body: text,
                    };
                    act(
                        ui,
                        "add_note",
                        json!({ "req": req }),
                        tr!("note-added"),
                        clear,
                    );
                }
            }
        }
    };
    let keys = {
        let ticket = ticket.clone();
        move |e: web_sys::KeyboardEvent| {
            super::saved::on_key(&e, &ticket, &shown.get_untracked());
        }
    };
    let tab = move |k: bool, id: &'static str, label: String| {
        view! {
            <button class="tab" id=id class:on=move || note.get() == k
                on:click=move |_| note.set(k)>{label}</button>
        }
    };
    view! {
        <div class="composer" class:note=move || note.get() id="composer">
            <div class="tabs">
                {tab(false, "compose-reply", tr!("compose-reply"))}
                {tab(true, "compose-note", tr!("compose-note"))}
                <SavedRepliesButton/>
            </div>
            <textarea id="compose-body" rows="3"
                placeholder=move || if note.get() {
                    tr!("compose-note-placeholder")
                } else {
                    tr!("compose-reply-placeholder")
                }
                prop:value=move || body.get()
                on:input=move |e| {
                    body.set(event_target_value(&e));
                    if let Some(area) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                        super::saved::on_typed(&area);
                    }
                }
                on:keydown=keys></textarea>
            <button class="secondary" id="compose-send" on:click=send>
                {move || if note.get() {
                    tr!("compose-add-note")
                } else {
                    tr!("compose-send-reply")
                }}
            </button>
            <SavedReplies ticket=ticket.clone() language=language shown=shown/>
        </div>
    }
}

#[component]
pub fn EscalateForm(ticket: TicketId, mode: RwSignal<Mode>) -> impl IntoView {
    let ui = use_ui();
    let form = use_writing().escalation;
    let field = move |f: fn(&EscalationForm) -> &String| move || form.with(|v| f(v).clone());
    let submit = move |_| {
        let f = form.get_untracked();
        let req = RaiseEscalation {
            ticket_id: ticket.clone(),
            reason: f.reason,
            proposed_action: f.action.unwrap_or(ProposedAction::Refund),
            invoice: Some(f.invoice),
            amount: Some(crate::format::amount_input(
                &f.amount,
                crate::i18n::locale(),
            )),
        };
        act(
            ui,
            "raise_escalation",
            json!({ "req": req }),
            tr!("escalation-raised"),
            move || {
                form.set(EscalationForm::default());
                mode.set(Mode::Read);
            },
        );
    };
    view! {
        <div class="card form" id="escalate-form">
            <div class="label">{tr!("escalate")}</div>
            <select id="esc-action" on:change=move |e| {
                if let Ok(a) = ProposedAction::parse(&event_target_value(&e)) { form.update(|f| f.action = Some(a)) }
            }>
                {ProposedAction::ALL.iter().map(|a| {
                    let a = *a;
                    view! { <option value=a.as_str() selected=move || form.with(|f| f.action == Some(a))>{labels::proposed_action(a)}</option> }
                }).collect_view()}
            </select>
            <input id="esc-invoice" placeholder=tr!("esc-invoice-placeholder") prop:value=field(|f| &f.invoice)
                on:input=move |e| form.update(|f| f.invoice = event_target_value(&e))/>
            <input id="esc-amount" placeholder=tr!("esc-amount-placeholder") prop:value=field(|f| &f.amount)
                on:input=move |e| form.update(|f| f.amount = event_target_value(&e))/>
            <textarea id="esc-reason" rows="3" placeholder=tr!("esc-reason-placeholder") prop:value=field(|f| &f.reason)
                on:input=move |e| form.update(|f| f.reason = event_target_value(&e))></textarea>
            <div class="actions">
                <button class="primary" id="escalate-submit" on:click=submit>{tr!("esc-raise")}</button>
                <button class="ghost" on:click=move |_| mode.set(Mode::Read)>{tr!("cancel")}</button>
            </div>
        </div>
    }
}
