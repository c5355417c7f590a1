//! Activity: the audit log (searchable) and whether its hash chain verifies.

use crate::app::{on_pause, use_ui};
use crate::intl;
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
                <h1>{tr!("nav-activity")}</h1>
                <input id="activity-search" type="search" placeholder=tr!("activity-filter")
                    on:input=on_pause(move |typed| filter.set(typed))/>
            </header>
            <Transition fallback=|| view! { <p class="muted pad">{tr!("activity-loading")}</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p class="error pad">{move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}</p>
                }>
                    {move || Suspend::new(async move {
                        let v = view_data.await?;
                        let now = ipc::now();
                        Ok::<_, UiError>(view! {
                            {match v.chain_break.clone() {
                                None => view! { <div class="chain ok" id="chain-status">"✓ "{tr!("chain-ok", count = v.chain_rows)}</div> }.into_any(),
                                Some(why) => view! { <div class="chain broken" id="chain-status">"✗ "{tr!("chain-broken", at = why)}</div> }.into_any(),
                            }}
                            <table class="audit" id="audit-rows">
                                <thead><tr><th>"#"</th><th>{tr!("audit-when")}</th><th>{tr!("audit-who")}</th><th>{tr!("audit-action")}</th><th>{tr!("audit-subject")}</th><th>{tr!("audit-outcome")}</th></tr></thead>
                                <tbody>
                                    {v.entries.into_iter().map(|e| view! {
                                        <tr class=format!("audit-row actor-{}", e.actor_kind) class:refused=e.outcome != "ok">
                                            <td class="muted">{e.seq}</td>
                                            <td class="muted" title=intl::date_time(e.at)>{intl::ago(e.at, now)}</td>
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
