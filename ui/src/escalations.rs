//! The escalation queue: supervisors approve or deny with a note (the core checks the role and
//! the agent refund cap); agents see where their escalations stand.

use crate::app::use_ui;
use crate::intl;
use crate::ipc::{self, UiError};
use crate::labels;
use crate::ticket::act;
use countersign_model::ipc::{DecideEscalation, EscalationQuery, EscalationRow};
use countersign_model::workflow::{
    Decision, Escalation, EscalationStatus, Execution, ExecutionReport,
};
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
    let tab = move |s: Option<EscalationStatus>, label: String| {
        view! {
            <button class="chip" class:on=move || status.get() == s on:click=move |_| status.set(s)>{label}</button>
        }
    };
    view! {
        <section class="page" id="escalations-page">
            <header class="page-head">
                <h1>{tr!("nav-escalations")}</h1>
                <div class="chips">
                    {tab(Some(EscalationStatus::Pending), labels::escalation_status(EscalationStatus::Pending))}
                    {tab(Some(EscalationStatus::Approved), labels::escalation_status(EscalationStatus::Approved))}
                    {tab(Some(EscalationStatus::Denied), labels::escalation_status(EscalationStatus::Denied))}
                    {tab(None, tr!("inbox-all"))}
                </div>
            </header>
            <Transition fallback=|| view! { <p class="muted pad">{tr!("escalations-loading")}</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p class="error pad">{move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}</p>
                }>
                    {move || Suspend::new(async move {
                        let rows = rows.await?;
                        Ok::<_, UiError>(if rows.is_empty() {
                            view! { <p class="empty pad">{tr!("nothing-here")}</p> }.into_any()
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
                tr!("escalation-approved")
            } else {
                tr!("escalation-denied")
            };
            act(ui, "decide_escalation", json!({ "req": req }), done, || ());
        }
    };
    let approve = decide.clone();
    let ticket = e.ticket_id.clone();
    view! {
        <div class=format!("card esc-card esc-{}", e.status) id=format!("escq-{}", e.id)>
            <div class="esc-top">
                <strong>{labels::proposed_action(e.proposed_action)}</strong>
                {e.amount.map(|a| view! { <span class="amount">{intl::money(&a)}</span> })}
                {row.invoice_number.clone().map(|n| view! { <span class="muted">{tr!("invoice-ref", number = n)}</span> })}
                <span class=format!("esc-status {}", e.status)>{labels::escalation_status(e.status)}</span>
            </div>
            <a href="#" class="subject" on:click=move |ev| {
                ev.prevent_default();
                ui.page.set(crate::app::Page::Inbox);
                ui.open.set(Some(ticket.clone()));
            }>{row.ticket_subject.clone()}" — "{row.customer_name.clone()}</a>
            {(row.others_pending_on_invoice > 0 && e.status == EscalationStatus::Pending).then(|| view! {
                <div class="stale-why small esc-also-pending">{tr!("esc-also-pending", count = row.others_pending_on_invoice)}</div>
            })}
            <div class="small">{e.reason.clone()}</div>
            <div class="muted small" title=intl::date_time(e.created_at)>{tr!("raised-by", who = e.raised_by.clone(), ago = intl::ago(e.created_at, ipc::now()))}</div>
            {e.decided_by.clone().map(|by| view! { <div class="small">{tr!("decided-by-person", who = by)}{e.decision_note.clone().map(|n| format!(": {n}"))}</div> })}
            <FirstApproval escalation=e.clone()/>
            {e.execution.clone().map(|x| view! { <ExecutionLine report=x/> })}
            {matches!(e.execution.as_ref().map(|x| x.state), Some(Execution::Failed | Execution::Unconnected)).then(|| {
                let id = e.id.clone();
                view! {
                    <div class="actions">
                        <button class="esc-retry" on:click=move |_| {
                            act(ui, "retry_execution", json!({ "escalationId": id }), tr!("execution-retry-queued"), || ());
                        }>{tr!("esc-retry")}</button>
                    </div>
                }
            })}
            {(e.status == EscalationStatus::Pending).then(|| view! {
                <div class="actions">
                    <input class="esc-note" placeholder=tr!("esc-note-placeholder") on:input=move |ev| note.set(event_target_value(&ev))/>
                    <button class="primary esc-approve" on:click=move |_| approve(Decision::Approve)>{tr!("esc-approve")}</button>
                    <button class="danger esc-deny" on:click=move |_| decide(Decision::Deny)>{tr!("esc-deny")}</button>
                </div>
            })}
        </div>
    }
}

/// What became of an approved escalation in the billing system, on the escalation and its
/// ticket alike.
#[component]
pub fn ExecutionLine(report: ExecutionReport) -> impl IntoView {
    view! {
        <div class=format!("small esc-execution {}", report.state) title=report.at.map(intl::date_time)>
            {labels::execution(&report)}
        </div>
    }
}

/// Above the team's two-person threshold: who gave the first approval, while it waits for the
/// second.
#[component]
pub fn FirstApproval(escalation: Escalation) -> impl IntoView {
    (escalation.status == EscalationStatus::Pending)
        .then_some(escalation.first_approved_by)
        .flatten()
        .map(|who| view! { <div class="small esc-first-approval">{tr!("escalation-first-approval", who = who)}</div> })
}
