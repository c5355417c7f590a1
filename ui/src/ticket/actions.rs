//! The ticket's own state, changed by the person: its status (only the moves a ticket makes,
//! as the core's rule allows), its priority and whose it is (an agent of the tenant, by id). Each is a decision the core checks, audits and
//! queues for the platform.

use super::act;
use crate::app::use_ui;
use crate::ipc;
use crate::labels;
use countersign_model::ipc::{
    AssignTicket, SetTicketPriority, SetTicketStatus, SnoozeTicket, Team,
};
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
    let id = ticket.id.clone();
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
            <Assignee id=id assignee=ticket.assignee.clone() version=version/>
            {(ticket.status != TicketStatus::Closed).then(|| view! {
                <Snooze id=ticket.id.clone() until=ticket.snoozed_until version=version/>
                <super::merge::MergeInto id=ticket.id.clone() version=version/>
            })}
        </div>
    }
}

/// Whose the ticket is: a choice among the tenant's agents (the person first named as "me"),
/// or nobody; "Take it" when it is not the person's.
#[component]
fn Assignee(
    id: countersign_model::TicketId,
    assignee: Option<String>,
    version: i64,
) -> impl IntoView {
    let ui = use_ui();
    let team = LocalResource::new(|| async { ipc::call::<_, Team>("team", &json!({})).await });
    let assign = move |to: Option<String>, name: Option<String>| {
        let req = AssignTicket {
            ticket_id: id.clone(),
            assignee: to,
            seen_version: version,
        };
        let done = match name {
            Some(name) => tr!("assigned-to", name = name),
            None => tr!("assigned-to-nobody"),
        };
        act(ui, "assign_ticket", json!({ "req": req }), done, || ());
    };
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let assignee = assignee.clone();
                let assign = assign.clone();
                Suspend::new(async move {
                    let team = team.await.ok()?;
                    let name_of = {
                        let team = team.clone();
                        move |id: &str| team.agents.iter().find(|a| a.id == id).map(|a| a.name.clone())
                    };
                    let mine = assignee.as_deref() == Some(team.me.as_str());
                    let me_known = name_of(&team.me).is_some();
                    // A value the desk knows no agent for still shows, as it is.
                    let stranger = assignee.clone().filter(|a| name_of(a).is_none());
                    let choose = {
                        let (assign, name_of) = (assign.clone(), name_of.clone());
                        move |value: String| {
                            let to = (!value.is_empty()).then_some(value);
                            let name = to.as_deref().and_then(&name_of);
                            assign(to, name);
                        }
                    };
                    let take = {
                        let (assign, me) = (assign.clone(), team.me.clone());
                        let name = name_of(&me);
                        move |_| assign(Some(me.clone()), name.clone())
                    };
                    Some(view! {
                        <label class="small">{tr!("assignee-field")}" "
                            <select id="ticket-assignee" on:change=move |e| choose(event_target_value(&e))>
                                <option value="" selected=assignee.is_none()>{tr!("assignee-nobody")}</option>
                                {team.agents.iter().map(|a| {
                                    let label = if a.id == team.me {
                                        tr!("assignee-me", name = a.name.clone())
                                    } else {
                                        a.name.clone()
                                    };
                                    view! {
                                        <option value=a.id.clone() selected=assignee.as_deref() == Some(a.id.as_str())>{label}</option>
                                    }
                                }).collect_view()}
                                {stranger.map(|s| view! { <option value=s.clone() selected=true>{s.clone()}</option> })}
                            </select>
                        </label>
                        {(!mine && me_known).then(|| view! {
                            <button class="secondary" id="assign-me" on:click=take>{tr!("assign-to-me")}</button>
                        })}
                    })
                })
            }}
        </Suspense>
    }
}

/// Set the ticket aside until later today, tomorrow morning or next Monday (the person's own
/// clock), or wake it when it sleeps.
#[component]
fn Snooze(
    id: countersign_model::TicketId,
    until: Option<chrono::DateTime<chrono::Utc>>,
    version: i64,
) -> impl IntoView {
    let ui = use_ui();
    let send = move |until: Option<chrono::DateTime<chrono::Utc>>| {
        let done = match until {
            Some(u) => tr!("snoozed-until", until = crate::intl::date_time(u)),
            None => tr!("woken"),
        };
        let req = SnoozeTicket {
            ticket_id: id.clone(),
            until,
            seen_version: version,
        };
        act(ui, "snooze_ticket", json!({ "req": req }), done, || ());
    };
    match until.filter(|u| *u > ipc::now()) {
        Some(u) => {
            let send = send.clone();
            view! {
                <span class="small snoozed" id="snoozed-until">{tr!("snoozed-until", until = crate::intl::date_time(u))}</span>
                <button class="secondary" id="wake" on:click=move |_| send(None)>{tr!("wake")}</button>
            }
            .into_any()
        }
        None => view! {
            <select id="ticket-snooze" on:change=move |e| {
                if let Some(at) = snooze_end(&event_target_value(&e)) {
                    send(Some(at));
                }
            }>
                <option value="" selected=true>{tr!("snooze")}</option>
                <option value="later">{tr!("snooze-later")}</option>
                <option value="tomorrow">{tr!("snooze-tomorrow")}</option>
                <option value="monday">{tr!("snooze-monday")}</option>
            </select>
        }
        .into_any(),
    }
}

/// When a snooze of `choice` ends: in three hours, tomorrow at 9:00, or next Monday at 9:00 by
/// the desktop's clock and time zone.
fn snooze_end(choice: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let d = js_sys::Date::new_0();
    match choice {
        "later" => {
            d.set_time(d.get_time() + 3.0 * 3_600_000.0);
        }
        "tomorrow" | "monday" => {
            // Days to add: 1, or up to the next Monday (Sunday is 0, Monday 1).
            let days = if choice == "tomorrow" {
                1
            } else {
                (8 - d.get_day()) % 7
            };
            let days = if days == 0 { 7 } else { days };
            d.set_date(d.get_date() + days);
            d.set_hours(9);
            d.set_minutes(0);
            d.set_seconds(0);
            d.set_milliseconds(0);
        }
        _ => return None,
    }
    chrono::DateTime::from_timestamp_millis(d.get_time() as i64)
}
