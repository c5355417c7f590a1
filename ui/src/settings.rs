//! Settings: the person and role (offline profile), the agent refund cap, the in-process MCP
//! endpoint (on/off, port), desktop notifications (on/off), drafting and its AI providers
//! ([`crate::providers`]) and MCP tokens with ready-to-paste client configurations.

use crate::app::use_ui;
use crate::format;
use crate::ipc::{self, UiError};
use countersign_model::ipc::{ChangeSetting, CreateToken, CreatedToken, RevokeToken, SettingsView};
use countersign_model::workflow::TokenScope;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let ui = use_ui();
    // Not `ui.generation`: the desk changes by itself (drafts, sync) while a person types here;
    // the page reloads after its own changes only.
    let data = LocalResource::new(move || {
        ui.settings_generation.track();
        async move { ipc::call::<_, SettingsView>("settings_view", &json!({})).await }
    });
    let created = RwSignal::new(None::<CreatedToken>);
    view! {
        <section class="page" id="settings-page">
            <header class="page-head"><h1>"Settings"</h1></header>
            <Transition fallback=|| view! { <p class="muted pad">"Loading settings…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p class="error pad">{move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}</p>
                }>
                    {move || Suspend::new(async move {
                        let v = data.await?;
                        Ok::<_, UiError>(view! { <SettingsBody v=v created=created/> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

pub(crate) fn change(key: &'static str, value: String) {
    let ui = use_ui();
    spawn_local(async move {
        let req = ChangeSetting {
            key: key.into(),
            value,
        };
        match ipc::call::<_, SettingsView>("change_setting", &json!({ "req": req })).await {
            Ok(v) => {
                match v.mcp.error {
                    Some(e) if key.starts_with("mcp.") => ui.say(true, e),
                    _ => ui.say(false, format!("Saved {key}")),
                }
                ui.refresh();
            }
            Err(e) => ui.say(true, e.to_string()),
        }
    });
}

#[component]
fn SettingsBody(v: SettingsView, created: RwSignal<Option<CreatedToken>>) -> impl IntoView {
    let ui = use_ui();
    let name = RwSignal::new(v.person.name.clone());
    let cap = RwSignal::new(v.refund_cap.clone().unwrap_or_default());
    let port = RwSignal::new(v.mcp.port.to_string());
    let token_name = RwSignal::new(String::new());
    let token_scope = RwSignal::new(TokenScope::Draft);
    let mcp_on = v.mcp.enabled;
    let notify_on = v.notifications;
    let create = move |_| {
        let req = CreateToken {
            name: token_name.get_untracked(),
            scope: token_scope.get_untracked(),
        };
        spawn_local(async move {
            match ipc::call::<_, CreatedToken>("create_token", &json!({ "req": req })).await {
                Ok(t) => {
                    created.set(Some(t));
                    ui.refresh();
                }
                Err(e) => ui.say(true, e.to_string()),
            }
        });
    };
    let now = ipc::now();
    view! {
        <div class="settings-grid">
            <div class="card form">
                <div class="label">"Profile"</div>
                <div>"Profile "<strong>{v.profile.clone()}</strong></div>
                {if v.platform_owned {
                    view! {
                        <div id="person-from-platform">
                            <div>"Name "<strong>{v.person.name.clone()}</strong></div>
                            <div>"Role "<strong id="role-value">{v.person.role.as_str()}</strong></div>
                            <div>"Agent refund cap "<strong>"none: supervisors decide"</strong></div>
                            <div class="muted">"Set by the platform you are signed in to; they change there, not on this desk."</div>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <label>"Name"<input id="set-name" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))/></label>
                        <label>"Role"
                            <select id="set-role" on:change=move |e| change("person.role", event_target_value(&e))>
                                <option value="agent" selected=v.person.role.as_str() == "agent">"agent"</option>
                                <option value="supervisor" selected=v.person.role.as_str() == "supervisor">"supervisor"</option>
                            </select>
                        </label>
                        <button class="secondary" on:click=move |_| change("person.name", name.get_untracked())>"Save name"</button>
                        <label>"Agent refund cap (0 = supervisors only)"
                            <input id="set-cap" prop:value=move || cap.get() placeholder="25.00" on:input=move |e| cap.set(event_target_value(&e))/>
                        </label>
                        <button class="secondary" id="save-cap" on:click=move |_| change("agent.refund_cap", cap.get_untracked())>"Save cap"</button>
                    }.into_any()
                }}
            </div>
            <div class="card form">
                <div class="label">"MCP endpoint"</div>
                {match (&v.mcp.url, &v.mcp.error) {
                    (Some(url), _) => view! { <div class="ok">"Listening on "<code>{url.clone()}</code></div> }.into_any(),
                    (None, Some(e)) => view! { <div class="error" id="mcp-error">{e.clone()}</div> }.into_any(),
                    _ => view! { <div class="muted">"Off"</div> }.into_any(),
                }}
                <label>"Port"<input id="set-port" prop:value=move || port.get() on:input=move |e| port.set(event_target_value(&e))/></label>
                <div class="actions">
                    <button class="secondary" id="save-port" on:click=move |_| change("mcp.port", port.get_untracked())>"Save port"</button>
                    <button class="secondary" id="toggle-mcp" on:click=move |_| change("mcp.enabled", (!mcp_on).to_string())>
                        {if mcp_on { "Turn off" } else { "Turn on" }}
                    </button>
                </div>
                <p class="muted small">"Assistants that launch Countersign themselves (stdio) need no endpoint: `countersign connect claude-desktop`."</p>
            </div>
            <div class="card form">
                <div class="label">"Notifications"</div>
                <div id="notifications-state">{if notify_on {
                    "A desktop notification when an assistant files a draft while the window is in the background."
                } else {
                    "Off: drafts still appear in the inbox live, without a desktop notification."
                }}</div>
                <div class="actions">
                    <button class="secondary" id="toggle-notifications"
                        on:click=move |_| change("notifications.enabled", (!notify_on).to_string())>
                        {if notify_on { "Turn off" } else { "Turn on" }}
                    </button>
                </div>
            </div>
            <crate::providers::DraftingCards auto_draft=v.auto_draft auto_providers=v.auto_providers providers=v.providers.clone()/>
            <div class="card form wide-card">
                <div class="label">"MCP tokens"</div>
                <table class="mini" id="tokens">
                    <tbody>
                        {v.tokens.iter().map(|t| {
                            let id = t.id.clone();
                            let row_id = format!("token-{id}");
                            let revoked = t.revoked_at.is_some();
                            view! {
                                <tr class:muted=revoked id=row_id>
                                    <td>{t.name.clone()}</td>
                                    <td>{t.scope.as_str()}</td>
                                    <td>{t.last_used_at.map(|u| format!("used {}", format::ago(u, now))).unwrap_or_else(|| "never used".into())}</td>
                                    <td>{if revoked {
                                        view! { <span class="token-state">"revoked"</span> }.into_any()
                                    } else {
                                        view! { <button class="ghost token-revoke" on:click=move |_| {
                                            let req = RevokeToken { token_id: id.clone() };
                                            crate::ticket::act(ui, "revoke_token", json!({ "req": req }), "Token revoked", || ());
                                        }>"Revoke"</button> }.into_any()
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <div class="actions">
                    <input id="token-name" placeholder="Token name, e.g. Cursor" on:input=move |e| token_name.set(event_target_value(&e))/>
                    <select id="token-scope" on:change=move |e| if let Ok(s) = TokenScope::parse(&event_target_value(&e)) { token_scope.set(s) }>
                        <option value="draft">"draft (read + propose)"</option>
                        <option value="read">"read only"</option>
                    </select>
                    <button class="primary" id="create-token" on:click=create>"Create token"</button>
                </div>
                {move || created.get().map(|t| view! {
                    <div class="created" id="created-token">
                        <p><strong>"Copy this token now — it is shown only once: "</strong><code>{t.secret.clone()}</code></p>
                        {t.snippets.iter().map(|s| view! {
                            <div class="snippet"><div class="muted small">{s.client.clone()}" — "{s.file.clone()}</div><pre>{s.text.clone()}</pre></div>
                        }).collect_view()}
                    </div>
                })}
            </div>
        </div>
    }
}
