//! What a person writes on a ticket: a public reply to the customer (queued to send, like an
//! approved draft) or an internal note; and an escalation to a supervisor.

use super::{Mode, act};
use crate::app::use_ui;
use crate::labels;
use countersign_model::TicketId;
use countersign_model::ipc::{AddNote, RaiseEscalation, WriteReply};
use countersign_model::workflow::ProposedAction;
use leptos::prelude::*;
use serde_json::json;

/// Which kind of text the composer sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Reply,
    Note,
}

/// Under the thread: write a reply by hand, or an internal note.
#[component]
pub fn Composer(ticket: TicketId) -> impl IntoView {
    let ui = use_ui();
    let kind = RwSignal::new(Kind::Reply);
    let body = RwSignal::new(String::new());
    let send = move |_| {
        let text = body.get_untracked();
        let clear = move || body.set(String::new());
        match kind.get_untracked() {
            Kind::Reply => {
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
            Kind::Note => {
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
    };
    let tab = move |k: Kind, id: &'static str, label: String| {
        view! {
            <button class="tab" id=id class:on=move || kind.get() == k
                on:click=move |_| kind.set(k)>{label}</button>
        }
    };
    view! {
        <div class="composer" class:note=move || kind.get() == Kind::Note id="composer">
            <div class="tabs">
                {tab(Kind::Reply, "compose-reply", tr!("compose-reply"))}
                {tab(Kind::Note, "compose-note", tr!("compose-note"))}
            </div>
            <textarea id="compose-body" rows="3"
                placeholder=move || match kind.get() {
                    Kind::Reply => tr!("compose-reply-placeholder"),
                    Kind::Note => tr!("compose-note-placeholder"),
                }
                prop:value=move || body.get() on:input=move |e| body.set(event_target_value(&e))></textarea>
            <button class="secondary" id="compose-send" on:click=send>
                {move || match kind.get() {
                    Kind::Reply => tr!("compose-send-reply"),
                    Kind::Note => tr!("compose-add-note"),
                }}
            </button>
        </div>
    }
}

#[component]
pub fn EscalateForm(ticket: TicketId, mode: RwSignal<Mode>) -> impl IntoView {
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
            amount: Some(crate::format::amount_input(
                &amount.get_untracked(),
                crate::i18n::locale(),
            )),
        };
        act(
            ui,
            "raise_escalation",
            json!({ "req": req }),
            tr!("escalation-raised"),
            move || mode.set(Mode::Read),
        );
    };
    view! {
        <div class="card form" id="escalate-form">
            <div class="label">{tr!("escalate")}</div>
            <select id="esc-action" on:change=move |e| {
                if let Ok(a) = ProposedAction::parse(&event_target_value(&e)) { action.set(a) }
            }>
                {ProposedAction::ALL.iter().map(|a| view! { <option value=a.as_str()>{labels::proposed_action(*a)}</option> }).collect_view()}
            </select>
            <input id="esc-invoice" placeholder=tr!("esc-invoice-placeholder") on:input=move |e| invoice.set(event_target_value(&e))/>
            <input id="esc-amount" placeholder=tr!("esc-amount-placeholder") on:input=move |e| amount.set(event_target_value(&e))/>
            <textarea id="esc-reason" rows="3" placeholder=tr!("esc-reason-placeholder") on:input=move |e| reason.set(event_target_value(&e))></textarea>
            <div class="actions">
                <button class="primary" id="escalate-submit" on:click=submit>{tr!("esc-raise")}</button>
                <button class="ghost" on:click=move |_| mode.set(Mode::Read)>{tr!("cancel")}</button>
            </div>
        </div>
    }
}
