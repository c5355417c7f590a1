//! The inbox: filters, full-text search and a cursor-paged list (a page of 50 rows at a time,
//! so 10 000 tickets cost the same as 50), with the open ticket beside it.

use crate::app::{on_pause, use_ui};
use crate::format;
use crate::ipc::{self, UiError};
use crate::labels;
use countersign_model::ipc::{ChangeSetting, InboxQuery, InboxScope, InboxSort};
use countersign_model::records::{Page, TicketRow, TicketStatus};
use leptos::prelude::*;
use serde_json::json;

const PAGE_SIZE: i64 = 50;

#[component]
pub fn InboxPage() -> impl IntoView {
    let ui = use_ui();
    let scope = RwSignal::new(InboxScope::All);
    let status = RwSignal::new(None::<TicketStatus>);
    let text = RwSignal::new(String::new());
    let review = RwSignal::new(false);
    let snoozed = RwSignal::new(false);
    let breaks_next = RwSignal::new(false);
    // Cursors of the pages before the current one; the last is the current page's.
    let cursors = RwSignal::new(vec![None::<String>]);
    let reset = move || {
        cursors.set(vec![None]);
        ui.selected.set(0);
    };

    let rows = LocalResource::new(move || {
        let req = InboxQuery {
            scope: scope.get(),
            status: status.get(),
            // From two letters on: one letter would match most of the desk.
            text: Some(text.get()).filter(|t| t.trim().chars().count() >= 2),
            needs_review: review.get(),
            snoozed: snoozed.get(),
            sort: if breaks_next.get() {
                InboxSort::BreaksNext
            } else {
                InboxSort::Updated
            },
            cursor: cursors.with(|c| c.last().cloned().flatten()),
            limit: PAGE_SIZE,
        };
        ui.generation.track();
        async move { ipc::call::<_, Page<TicketRow>>("inbox", &json!({ "req": req })).await }
    });

    let chip = move |s: InboxScope, label: String| {
        view! {
            <button class="chip" id=format!("scope-{s}") class:on=move || scope.get() == s
                on:click=move |_| { scope.set(s); reset(); }>{label}</button>
        }
    };
    view! {
        <div class="inbox-layout" class:with-ticket=move || ui.open.get().is_some()>
            <section class="inbox">
                <header class="filters">
                    <input id="search" type="search" placeholder=tr!("inbox-search-placeholder")
                        prop:value=move || text.get()
                        on:input=on_pause(move |typed| { text.set(typed); reset(); })/>
                    <div class="chips">
                        {chip(InboxScope::Mine, tr!("inbox-mine"))}
                        {chip(InboxScope::Unassigned, tr!("inbox-unassigned"))}
                        {chip(InboxScope::All, tr!("inbox-all"))}
                        <button class="chip" id="needs-review" class:on=move || review.get()
                            on:click=move |_| { review.update(|r| *r = !*r); reset(); }>{tr!("inbox-needs-review")}</button>
                        <button class="chip" id="snoozed" class:on=move || snoozed.get()
                            on:click=move |_| { snoozed.update(|s| *s = !*s); reset(); }>{tr!("inbox-snoozed")}</button>
                        <button class="chip" id="breaks-next" class:on=move || breaks_next.get()
                            title=tr!("inbox-breaks-next-hint")
                            on:click=move |_| { breaks_next.update(|b| *b = !*b); reset(); }>{tr!("inbox-breaks-next")}</button>
                        <select id="status-filter" on:change=move |e| {
                            status.set(TicketStatus::parse(&event_target_value(&e)).ok());
                            reset();
                        }>
                            <option value="">{tr!("inbox-any-status")}</option>
                            {TicketStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{labels::ticket_status(*s)}</option> }).collect_view()}
                        </select>
                    </div>
                </header>
                {move || ui.welcome.get().map(|connected| view! { <Welcome connected=connected/> })}
                <Transition fallback=|| view! { <p class="muted pad">{tr!("inbox-loading")}</p> }>
                    <ErrorBoundary fallback=|errors| view! {
                        <p class="error pad">{move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}</p>
                    }>
                        {move || Suspend::new(async move {
                            let page: Page<TicketRow> = rows.await?;
                            let ids: Vec<_> = page.items.iter().map(|r| r.ticket.id.clone()).collect();
                            // The highlight follows the open ticket when the list reorders
                            // (an action moves its ticket to the top).
                            if let Some(i) = ui.open.with_untracked(|o| o.as_ref().and_then(|o| ids.iter().position(|id| id == o))) {
                                ui.selected.set(i);
                            }
                            ui.rows.set(ids);
                            let next = page.next_cursor.clone();
                            let first = cursors.with(|c| c.len() == 1);
                            Ok::<_, UiError>(view! {
                                <TicketList rows=page.items/>
                                <footer class="pager">
                                    <button id="page-prev" disabled=first
                                        on:click=move |_| { cursors.update(|c| { c.pop(); }); ui.selected.set(0); }>{tr!("inbox-newer")}</button>
                                    <button id="page-next" disabled=next.is_none()
                                        on:click=move |_| { cursors.update(|c| c.push(next.clone())); ui.selected.set(0); }>{tr!("inbox-older")}</button>
                                </footer>
                            })
                        })}
                    </ErrorBoundary>
                </Transition>
            </section>
            {move || ui.open.get().map(|id| view! { <crate::ticket::TicketView id=id/> })}
        </div>
    }
}

#[component]
fn TicketList(rows: Vec<TicketRow>) -> impl IntoView {
    let ui = use_ui();
    if rows.is_empty() {
        return view! { <p class="empty pad" id="inbox-empty">{tr!("inbox-empty")}</p> }.into_any();
    }
    let now = ipc::now();
    view! {
        <ol class="rows" id="inbox-rows">
            {rows.into_iter().enumerate().map(|(i, row)| {
                let id = row.ticket.id.clone();
                let open_id = id.clone();
                let is_open = {
                    let id = id.clone();
                    move || ui.open.with(|o| o.as_ref() == Some(&id))
                };
                let sla = format::sla(row.ticket.sla_due_at, now);
                let badges = format::badges(&row);
                view! {
                    <li id=format!("row-{id}") class="row"
                        class:selected=move || ui.selected.get() == i
                        class:open=is_open
                        on:click=move |_| { ui.selected.set(i); ui.open.set(Some(open_id.clone())); }>
                        <div class="row-top">
                            <span class="customer">{row.customer_name.clone()}</span>
                            <span class=format::priority_class(row.ticket.priority)>{labels::priority(row.ticket.priority)}</span>
                        </div>
                        <div class="subject">{row.ticket.subject.clone()}</div>
                        <div class="row-bottom">
                            <span class=format!("status status-{}", row.ticket.status)>{labels::ticket_status(row.ticket.status)}</span>
                            {sla.map(|(text, state)| view! { <span class=state.class() title=tr!("sla-title")>{text}</span> })}
                            {row.ticket.snoozed_until.filter(|u| *u > now).map(|u| view! {
                                <span class="muted small snoozed">{tr!("snoozed-until", until = crate::intl::date_time(u))}</span>
                            })}
                            {badges.into_iter().map(|b| view! { <span class=b.class>{b.text}</span> }).collect_view()}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }.into_any()
}

/// Said once, on the first start: what this desk is, what the drafts are, how to connect an
/// assistant. Above the list, never in the way of it.
#[component]
fn Welcome(connected: bool) -> impl IntoView {
    let ui = use_ui();
    let close = move |_| {
        ui.welcome.set(None);
        let req = ChangeSetting {
            key: "ui.welcomed".into(),
            value: "true".into(),
        };
        leptos::task::spawn_local(async move {
            if let Err(e) =
                ipc::call::<_, serde_json::Value>("change_setting", &json!({ "req": req })).await
            {
                ui.say(true, e.to_string());
            }
        });
    };
    view! {
        <div class="card welcome" id="welcome">
            <strong>{tr!("welcome-title")}</strong>
            {(!connected).then(|| view! { <p>{tr!("welcome-demo")}</p> })}
            <p>{tr!("welcome-drafts")}</p>
            <p>{tr!("welcome-assistant")}</p>
            <button class="primary" id="welcome-ok" on:click=close>{tr!("welcome-ok")}</button>
        </div>
    }
}
