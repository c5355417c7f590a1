//! The inbox: filters, full-text search and a cursor-paged list (a page of 50 rows at a time,
//! so 10 000 tickets cost the same as 50), with the open ticket beside it.

use crate::app::use_ui;
use crate::format;
use crate::ipc::{self, UiError};
use countersign_model::ipc::{InboxQuery, InboxScope};
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
            text: Some(text.get()).filter(|t| !t.trim().is_empty()),
            needs_review: review.get(),
            cursor: cursors.with(|c| c.last().cloned().flatten()),
            limit: PAGE_SIZE,
        };
        ui.generation.track();
        async move { ipc::call::<_, Page<TicketRow>>("inbox", &json!({ "req": req })).await }
    });

    let chip = move |s: InboxScope, label: &'static str| {
        view! {
            <button class="chip" id=format!("scope-{s}") class:on=move || scope.get() == s
                on:click=move |_| { scope.set(s); reset(); }>{label}</button>
        }
    };
    view! {
        <div class="inbox-layout" class:with-ticket=move || ui.open.get().is_some()>
            <section class="inbox">
                <header class="filters">
                    <input id="search" type="search" placeholder="Search tickets  /"
                        prop:value=move || text.get()
                        on:change=move |e| { text.set(event_target_value(&e)); reset(); }/>
                    <div class="chips">
                        {chip(InboxScope::Mine, "Mine")}
                        {chip(InboxScope::Unassigned, "Unassigned")}
                        {chip(InboxScope::All, "All")}
                        <button class="chip" id="needs-review" class:on=move || review.get()
                            on:click=move |_| { review.update(|r| *r = !*r); reset(); }>"Needs review"</button>
                        <select id="status-filter" on:change=move |e| {
                            status.set(TicketStatus::parse(&event_target_value(&e)).ok());
                            reset();
                        }>
                            <option value="">"Any status"</option>
                            {TicketStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.as_str()}</option> }).collect_view()}
                        </select>
                    </div>
                </header>
                <Transition fallback=|| view! { <p class="muted pad">"Loading the inbox…"</p> }>
                    <ErrorBoundary fallback=|errors| view! {
                        <p class="error pad">{move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}</p>
                    }>
                        {move || Suspend::new(async move {
                            let page: Page<TicketRow> = rows.await?;
                            ui.rows.set(page.items.iter().map(|r| r.ticket.id.clone()).collect());
                            let next = page.next_cursor.clone();
                            let first = cursors.with(|c| c.len() == 1);
                            Ok::<_, UiError>(view! {
                                <TicketList rows=page.items/>
                                <footer class="pager">
                                    <button id="page-prev" disabled=first
                                        on:click=move |_| { cursors.update(|c| { c.pop(); }); ui.selected.set(0); }>"← Newer"</button>
                                    <button id="page-next" disabled=next.is_none()
                                        on:click=move |_| { cursors.update(|c| c.push(next.clone())); ui.selected.set(0); }>"Older →"</button>
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
        return view! { <p class="empty pad" id="inbox-empty">"No tickets match. Try another filter."</p> }.into_any();
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
                            <span class=format::priority_class(row.ticket.priority)>{row.ticket.priority.as_str()}</span>
                        </div>
                        <div class="subject">{row.ticket.subject.clone()}</div>
                        <div class="row-bottom">
                            <span class=format!("status status-{}", row.ticket.status)>{row.ticket.status.as_str()}</span>
                            {sla.map(|(text, state)| view! { <span class=state.class() title="SLA">{text}</span> })}
                            {badges.into_iter().map(|b| view! { <span class=b.class>{b.text}</span> }).collect_view()}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }.into_any()
}
