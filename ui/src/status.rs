//! The status bar: who is at the desk, the sync state (local only, online or offline with the
//! last sync), the outbox, the platform's unread notices (a badge opening their list), the MCP
//! endpoint and the assistants connected. It refreshes with every desk change.

use crate::app::use_ui;
use crate::format;
use crate::intl;
use crate::ipc::{self, UiError};
use crate::labels;
use countersign_model::ipc::DeskStatus;
use countersign_model::sync::SyncNotice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

#[component]
pub fn StatusBar() -> impl IntoView {
    let ui = use_ui();
    let status = LocalResource::new(move || {
        ui.generation.track();
        async move { ipc::call::<_, DeskStatus>("desk_status", &json!({})).await }
    });
    // The notices list, once opened (reading it marks them read).
    let notices = RwSignal::new(None::<Result<Vec<SyncNotice>, UiError>>);
    let open_notices = move |_| {
        spawn_local(async move {
            let list =
                ipc::call::<_, Vec<SyncNotice>>("sync_notices", &json!({ "acknowledge": true }))
                    .await;
            notices.set(Some(list));
            ui.refresh();
        });
    };
    view! {
        <footer class="statusbar" id="statusbar">
            <Transition fallback=|| view! { <span class="muted">"…"</span> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) => {
                            ui.local_only.set(s.sync.platform.is_none());
                            let mcp = match (&s.mcp.url, &s.mcp.error) {
                                (Some(url), _) => view! { <span class="ok" id="mcp-status" title=url.clone()>{tr!("status-mcp-on", port = s.mcp.port)}</span> }.into_any(),
                                (None, Some(e)) => view! { <span class="warn" id="mcp-status" title=e.clone()>{tr!("status-mcp-off", error = e.clone())}</span> }.into_any(),
                                (None, None) => view! { <span class="muted" id="mcp-status">{tr!("status-mcp-disabled")}</span> }.into_any(),
                            };
                            let assistants = match s.assistants_active.len() {
                                0 => tr!("status-no-client"),
                                n => tr!("status-clients", count = n, names = s.assistants_active.join(", ")),
                            };
                            let now = ipc::now();
                            let sync = format::sync_label(&s.sync, |t| intl::ago(t, now));
                            let unread = s.sync.unread_notices;
                            view! {
                                <span>{s.person.name.clone()}" · "<strong>{labels::role(s.person.role)}</strong>" · "{tr!("status-profile", profile = s.profile.clone())}</span>
                                <span class=format!("sync {}", sync.class) id="sync-status" title=sync.title>
                                    <span class="dot"></span>{sync.text}
                                </span>
                                <span id="outbox" title=tr!("status-outbox-title")>{tr!("status-outbox", count = s.sync.outbox_depth)}</span>
                                {(unread > 0).then(|| view! {
                                    <button class="notice-badge" id="notices-badge" on:click=open_notices
                                        title=tr!("status-notices-title")>
                                        {tr!("status-notices", count = unread)}
                                    </button>
                                })}
                                {mcp}
                                <span class="muted" id="assistants">{assistants}</span>
                            }.into_any()
                        }
                        Err(e) => view! { <span class="error">{e.to_string()}</span> }.into_any(),
                    }
                })}
            </Transition>
        </footer>
        {move || notices.get().map(|list| view! { <NoticeList list=list on_close=move || notices.set(None)/> })}
    }
}

/// The platform's refusals and conflicts, newest first, above the status bar.
#[component]
fn NoticeList(
    list: Result<Vec<SyncNotice>, UiError>,
    on_close: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let body = match list {
        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
        Ok(items) if items.is_empty() => {
            view! { <p class="muted">{tr!("notices-none")}</p> }.into_any()
        }
        Ok(items) => view! {
            <ol class="notices">
                {items.into_iter().map(|n| view! {
                    <li class="notice" class:unread=!n.read id=format!("notice-{}", n.id)>
                        <div class="notice-head">
                            <span class="badge badge-stale">{n.code.clone()}</span>
                            <strong>{n.subject.clone()}</strong>
                            <span class="muted small" title=n.at.clone()>{when(&n.at)}</span>
                        </div>
                        <div>{n.message.clone()}</div>
                    </li>
                }).collect_view()}
            </ol>
        }
        .into_any(),
    };
    view! {
        <div class="notice-panel" id="sync-notices">
            <div class="notice-panel-head">
                <strong>{tr!("notices-title")}</strong>
                <button class="close" title=tr!("close") on:click=move |_| on_close()>"×"</button>
            </div>
            {body}
        </div>
    }
}

/// `5 min ago` for a notice's time stamp; the stamp itself when it does not parse.
fn when(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| intl::ago(t.with_timezone(&chrono::Utc), ipc::now()))
        .unwrap_or_else(|_| at.to_owned())
}
