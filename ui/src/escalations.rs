//! The escalation queue: supervisors approve or deny with a note (the core checks the role and
//! the agent refund cap); agents see where their escalations stand.

use crate::app::use_ui;
use crate::format;
use crate::ipc::{self, UiError};
use crate::ticket::act;
use countersign_model::ipc::{DecideEscalation, EscalationQuery, EscalationRow};
use countersign_model::workflow::{Decision, EscalationStatus};
use leptos::prelude::*;
use serde_json::json;

#[component]
pub fn EscalationsPage() -> impl IntoView {
    let ui = use_ui();
    let status = RwSignal::new(Some(EscalationStatus::Pending));
    let rows = LocalResource::new(move || {
        let req = EscalationQuery {
            status: status.get(),
        };
        ui.generation.track();
        async move { ipc::call::<_, Vec<EscalationRow>>("escalations", &json!({ "req": req })).await }
    });
    let tab = move |s: Option<EscalationStatus>, label: &'static str| {
        view! {
            <button class="chip" class:on=move || status.get() == s on:click=move |_| status.set(s)>{label}</button>
        }
    };
    view! {
        <section class="page" id="escalations-page">
            <header class="page-head">
                <h1>"Escalations"</h1>
                <div class="chips">
                    {tab(Some(EscalationStatus::Pending), "Pending")}
                    {tab(Some(EscalationStatus::Approved), "Approved")}
                    {tab(Some(EscalationStatus::Denied), "Denied")}
                    {tab(None, "All")}
                </div>
            </header>
            <Transition fallback=|| view! { <p class="muted pad">"Loading escalations…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p class="error pad">{move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}</p>
                }>
                    {move || Suspend::new(async move {
                        let rows = rows.await?;
                        Ok::<_, UiError>(if rows.is_empty() {
                            view! { <p class="empty pad">"Nothing here."</p> }.into_any()
                        } else {
                            view! { <div class="esc-list">{rows.into_iter().map(|r| view! { <EscalationCard row=r/> }).collect_view()}</div> }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn EscalationCard(row: EscalationRow) -> impl IntoView {
    let ui = use_ui();
    let e = row.escalation.clone();
    let note = RwSignal::new(String::new());
    let decide = {
        let id = e.id.clone();
        move |decision: Decision| {
            let req = DecideEscalation {
                escalation_id: id.clone(),
                decision,
                note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
            };
            let done = if decision == Decision::Approve {
                "Escalation approved"
            } else {
                "Escalation denied"
            };
            act(ui, "decide_escalation", json!({ "req": req }), done, || ());
        }
    };
    let approve = decide.clone();
    let ticket = e.ticket_id.clone();
    view! {
        <div class=format!("card esc-card esc-{}", e.status) id=format!("escq-{}", e.id)>
            <div class="esc-top">
                <strong>{e.proposed_action.as_str()}</strong>
                {e.amount.map(|a| view! { <span class="amount">{format::money(&a)}</span> })}
                {row.invoice_number.clone().map(|n| view! { <span class="muted">"invoice "{n}</span> })}
                <span class=format!("esc-status {}", e.status)>{e.status.as_str()}</span>
            </div>
            <a href="#" class="subject" on:click=move |ev| {
                ev.prevent_default();
                ui.page.set(crate::app::Page::Inbox);
                ui.open.set(Some(ticket.clone()));
            }>{row.ticket_subject.clone()}" — "{row.customer_name.clone()}</a>
            <div class="small">{e.reason.clone()}</div>
            <div class="muted small">"raised by "{e.raised_by.clone()}" · "{format::ago(e.created_at, ipc::now())}</div>
            {e.decided_by.clone().map(|by| view! { <div class="small">"decided by "{by}{e.decision_note.clone().map(|n| format!(": {n}"))}</div> })}
            {(e.status == EscalationStatus::Pending).then(|| view! {
                <div class="actions">
                    <input class="esc-note" placeholder="Note (required to deny)" on:input=move |ev| note.set(event_target_value(&ev))/>
                    <button class="primary esc-approve" on:click=move |_| approve(Decision::Approve)>"Approve"</button>
                    <button class="danger esc-deny" on:click=move |_| decide(Decision::Deny)>"Deny"</button>
                </div>
            })}
        </div>
    }
}
