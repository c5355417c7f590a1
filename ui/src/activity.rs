//! Activity: the audit log (searchable) and whether its hash chain verifies.

use crate::app::use_ui;
use crate::format;
use crate::ipc::{self, UiError};
use countersign_model::ipc::ActivityView;
use leptos::prelude::*;
use serde_json::json;

#[component]
pub fn ActivityPage() -> impl IntoView {
    let ui = use_ui();
    let filter = RwSignal::new(String::new());
    let view_data = LocalResource::new(move || {
        let f = filter.get();
        ui.generation.track();
        async move {
            let filter = Some(f).filter(|f| !f.trim().is_empty());
            ipc::call::<_, ActivityView>("activity", &json!({ "filter": filter })).await
        }
    });
    view! {
        <section class="page" id="activity-page">
            <header class="page-head">
                <h1>"Activity"</h1>
                <input id="activity-search" type="search" placeholder="Filter by action, actor or subject"
                    on:change=move |e| filter.set(event_target_value(&e))/>
            </header>
            <Transition fallback=|| view! { <p class="muted pad">"Reading the audit log…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p class="error pad">{move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}</p>
                }>
                    {move || Suspend::new(async move {
                        let v = view_data.await?;
                        let now = ipc::now();
                        Ok::<_, UiError>(view! {
                            {match v.chain_break.clone() {
                                None => view! { <div class="chain ok" id="chain-status">"✓ Audit chain verified — "{v.chain_rows}" entries intact"</div> }.into_any(),
                                Some(why) => view! { <div class="chain broken" id="chain-status">"✗ Audit chain broken at "{why}</div> }.into_any(),
                            }}
                            <table class="audit" id="audit-rows">
                                <thead><tr><th>"#"</th><th>"When"</th><th>"Who"</th><th>"Action"</th><th>"Subject"</th><th>"Outcome"</th></tr></thead>
                                <tbody>
                                    {v.entries.into_iter().map(|e| view! {
                                        <tr class=format!("audit-row actor-{}", e.actor_kind) class:refused=e.outcome != "ok">
                                            <td class="muted">{e.seq}</td>
                                            <td class="muted" title=e.at.to_rfc3339()>{format::ago(e.at, now)}</td>
                                            <td>{e.actor.clone()}" "<span class="muted small">{e.actor_kind.clone()}</span></td>
                                            <td class="action">{e.action.clone()}</td>
                                            <td class="muted">{e.subject.clone().unwrap_or_default()}</td>
                                            <td class=format!("outcome {}", e.outcome)>{e.outcome.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
