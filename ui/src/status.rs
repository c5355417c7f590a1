//! The status bar: who is at the desk, sync state, outbox, MCP endpoint and assistants.

use crate::app::use_ui;
use crate::ipc;
use countersign_model::ipc::DeskStatus;
use leptos::prelude::*;
use serde_json::json;

#[component]
pub fn StatusBar() -> impl IntoView {
    let ui = use_ui();
    let status = LocalResource::new(move || {
        ui.generation.track();
        async move { ipc::call::<_, DeskStatus>("desk_status", &json!({})).await }
    });
    view! {
        <footer class="statusbar" id="statusbar">
            <Transition fallback=|| view! { <span class="muted">"…"</span> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) => {
                            let mcp = match (&s.mcp.url, &s.mcp.error) {
                                (Some(url), _) => view! { <span class="ok" id="mcp-status" title=url.clone()>"MCP on :"{s.mcp.port}</span> }.into_any(),
                                (None, Some(e)) => view! { <span class="warn" id="mcp-status" title=e.clone()>"MCP off: "{e.clone()}</span> }.into_any(),
                                (None, None) => view! { <span class="muted" id="mcp-status">"MCP disabled"</span> }.into_any(),
                            };
                            let assistants = if s.assistants_active.is_empty() {
                                "no assistant connected".to_owned()
                            } else {
                                format!("assistants: {}", s.assistants_active.join(", "))
                            };
                            view! {
                                <span>{s.person.name.clone()}" · "<strong>{s.person.role.as_str()}</strong>" · profile "{s.profile.clone()}</span>
                                <span class="muted" id="sync-status">{s.sync.clone()}</span>
                                <span id="outbox">"outbox "{s.outbox_pending}</span>
                                {mcp}
                                <span class="muted" id="assistants">{assistants}</span>
                            }.into_any()
                        }
                        Err(e) => view! { <span class="error">{e.to_string()}</span> }.into_any(),
                    }
                })}
            </Transition>
        </footer>
    }
}
