//! Merging the open ticket into another of the same customer: choose which, then confirm. The
//! thread, drafts and escalations move there and this ticket is closed, pointing to it; the
//! core checks it as the platform does and queues it bound to both tickets as seen.

use super::act;
use crate::app::use_ui;
use crate::ipc;
use crate::labels;
use countersign_model::TicketId;
use countersign_model::ipc::MergeTicket;
use countersign_model::records::Ticket;
use leptos::prelude::*;
use serde_json::json;

#[component]
pub fn MergeInto(id: TicketId, version: i64) -> impl IntoView {
    let ui = use_ui();
    let candidates = {
        let id = id.clone();
        LocalResource::new(move || {
            let id = id.clone();
            // The other tickets change too (a customer writes on one): their versions follow.
            ui.generation.track();
            async move {
                ipc::call::<_, Vec<Ticket>>("merge_candidates", &json!({ "id": id }))
                    .await
                    .unwrap_or_default()
            }
        })
    };
    let chosen = RwSignal::new(None::<Ticket>);
    let confirm = move |_| {
        let Some(into) = chosen.get_untracked() else {
            return;
        };
        let req = MergeTicket {
            ticket_id: id.clone(),
            seen_version: version,
            into: into.id.clone(),
            into_version: into.version,
        };
        act(
            ui,
            "merge_ticket",
            json!({ "req": req }),
            tr!("merged", subject = into.subject.clone()),
            move || ui.open.set(Some(into.id)),
        );
    };
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let confirm = confirm.clone();
                Suspend::new(async move {
                    let list = candidates.await;
                    (!list.is_empty()).then(|| {
                        let pick = {
                            let list = list.clone();
                            move |value: String| chosen.set(list.iter().find(|t| t.id.as_str() == value).cloned())
                        };
                        view! {
                            <select id="ticket-merge" title=tr!("merge-hint")
                                on:change=move |e| pick(event_target_value(&e))>
                                <option value="" selected=true>{tr!("merge-into")}</option>
                                {list.into_iter().map(|t| view! {
                                    <option value=t.id.to_string()>
                                        {format!("{} ({})", t.subject, labels::ticket_status(t.status))}
                                    </option>
                                }).collect_view()}
                            </select>
                            {move || chosen.get().map(|t| view! {
                                <button class="secondary" id="merge-confirm" on:click=confirm.clone()>
                                    {tr!("merge-confirm", subject = t.subject.clone())}
                                </button>
                            })}
                        }
                    })
                })
            }}
        </Suspense>
    }
}
