//! The ticket's own state, changed by the person: its status (only the moves a ticket makes,
//! as the core's rule allows) and its priority. Each is a decision the core checks, audits and
//! queues for the platform.

use super::act;
use crate::app::use_ui;
use crate::labels;
use countersign_model::ipc::{SetTicketPriority, SetTicketStatus};
use countersign_model::records::{Ticket, TicketPriority, TicketStatus};
use leptos::prelude::*;
use serde_json::json;

/// What moving from `from` to `to` reads as on its button.
fn move_label(from: TicketStatus, to: TicketStatus) -> String {
    match to {
        TicketStatus::Open if from == TicketStatus::Solved => tr!("move-reopen"),
        TicketStatus::Open => tr!("move-open"),
        TicketStatus::Pending => tr!("move-pending"),
        TicketStatus::Solved => tr!("move-solved"),
        TicketStatus::Closed => tr!("move-closed"),
    }
}

#[component]
pub fn TicketActions(ticket: Ticket) -> impl IntoView {
    let ui = use_ui();
    let moves: Vec<TicketStatus> = TicketStatus::ALL
        .iter()
        .copied()
        .filter(|to| ticket.status.may_become(*to))
        .collect();
    let (id, version, from) = (ticket.id.clone(), ticket.version, ticket.status);
    let set_status = move |to: TicketStatus| {
        let req = SetTicketStatus {
            ticket_id: id.clone(),
            status: to,
            seen_version: version,
        };
        act(
            ui,
            "set_ticket_status",
            json!({ "req": req }),
            tr!("status-set", status = labels::ticket_status(to)),
            || (),
        );
    };
    let id = ticket.id.clone();
    let set_priority = move |value: String| {
        let Ok(priority) = TicketPriority::parse(&value) else {
            return;
        };
        let req = SetTicketPriority {
            ticket_id: id.clone(),
            priority,
        };
        act(
            ui,
            "set_ticket_priority",
            json!({ "req": req }),
            tr!("priority-set", priority = labels::priority(priority)),
            || (),
        );
    };
    let current = ticket.priority;
    view! {
        <div class="ticket-actions" id="ticket-actions">
            {moves.into_iter().map(|to| {
                let set_status = set_status.clone();
                view! {
                    <button class="secondary" id=format!("move-{to}") on:click=move |_| set_status(to)>
                        {move_label(from, to)}
                    </button>
                }
            }).collect_view()}
            {(ticket.status == TicketStatus::Closed).then(|| view! {
                <span class="muted small">{tr!("closed-final")}</span>
            })}
            <label class="small">{tr!("priority-field")}" "
                <select id="ticket-priority" on:change=move |e| set_priority(event_target_value(&e))>
                    {TicketPriority::ALL.iter().map(|p| view! {
                        <option value=p.as_str() selected=*p == current>{labels::priority(*p)}</option>
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}
