//! Settings: the person and role (offline profile), the agent refund cap, the in-process MCP
//! endpoint (on/off, port), desktop notifications (on/off), drafting and its AI providers
//! ([`crate::providers`]) and MCP tokens with ready-to-paste client configurations.

use crate::app::use_ui;
use crate::copy::CopyButton;
use crate::i18n::Locale;
use crate::intl;
use crate::ipc::{self, UiError};
use crate::labels;
use countersign_model::ipc::{
    ChangeSetting, ConfigSnippet, CreateToken, CreatedToken, RevokeToken, SettingsView,
};
use countersign_model::workflow::{Role, TokenScope};
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
            <header class="page-head"><h1>{tr!("nav-settings")}</h1></header>
            <Transition fallback=|| view! { <p class="muted pad">{tr!("settings-loading")}</p> }>
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
                if key == "ui.language" {
                    // The window switches first, so the confirmation reads in the new language.
                    ui.use_language(&v.language);
                }
                match v.mcp.error {
                    Some(e) if key.starts_with("mcp.") => ui.say(true, e),
                    _ => ui.say(false, tr!("setting-saved")),
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
    // No cap is a cap of 0: supervisors decide every refund (never a placeholder that reads
    // like a cap in force).
    let cap = RwSignal::new(v.refund_cap.clone().unwrap_or_else(|| "0".into()));
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
    let language = v.language.clone();
    let testing = RwSignal::new(false);
    let test_mcp = move |_| {
        testing.set(true);
        spawn_local(async move {
            match ipc::call::<_, u64>("test_mcp", &json!({})).await {
                Ok(ms) => ui.say(false, tr!("mcp-test-ok", ms = ms)),
                Err(e) => ui.say(true, e.to_string()),
            }
            testing.set(false);
        });
    };
    view! {
        <div class="settings-grid">
            <div class="card form">
                <div class="label">{tr!("language")}</div>
                <label>{tr!("language-field")}
                    <select id="set-language" on:change=move |e| change("ui.language", event_target_value(&e))>
                        <option value="system" selected=language == "system">
                            {tr!("language-system", name = ui.system_locale().native_name())}
                        </option>
                        {Locale::ALL.into_iter().map(|l| view! {
                            <option value=l.tag() selected=language == l.tag()>{l.native_name()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <p class="muted small">{tr!("language-help")}</p>
            </div>
            <div class="card form">
                <div class="label">{tr!("profile")}</div>
                <div>{tr!("profile")}" "<strong>{v.profile.clone()}</strong></div>
                {if v.platform_owned {
                    view! {
                        <div id="person-from-platform">
                            <div>{tr!("name")}" "<strong>{v.person.name.clone()}</strong></div>
                            <div>{tr!("role")}" "<strong id="role-value">{labels::role(v.person.role)}</strong></div>
                            <div>{tr!("refund-cap")}" "<strong>{tr!("refund-cap-none")}</strong></div>
                            <div class="muted">{tr!("platform-owned")}</div>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <label>{tr!("name")}<input id="set-name" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))/></label>
                        <label>{tr!("role")}
                            <select id="set-role" on:change=move |e| change("person.role", event_target_value(&e))>
                                <option value="agent" selected=v.person.role.as_str() == "agent">{labels::role(Role::Agent)}</option>
                                <option value="supervisor" selected=v.person.role.as_str() == "supervisor">{labels::role(Role::Supervisor)}</option>
                            </select>
                        </label>
                        <button class="secondary" on:click=move |_| change("person.name", name.get_untracked())>{tr!("save-name")}</button>
                        <label>{tr!("refund-cap-field")}
                            <input id="set-cap" inputmode="decimal" prop:value=move || cap.get() on:input=move |e| cap.set(event_target_value(&e))/>
                        </label>
                        <button class="secondary" id="save-cap" on:click=move |_| change("agent.refund_cap", crate::format::amount_input(&cap.get_untracked(), crate::i18n::locale()))>{tr!("save-cap")}</button>
                    }.into_any()
                }}
            </div>
            <div class="card form">
                <div class="label">{tr!("mcp-endpoint")}</div>
                {match (&v.mcp.url, &v.mcp.error) {
                    (Some(url), _) => view! { <div class="ok">{tr!("listening-on")}" "<code>{url.clone()}</code></div> }.into_any(),
                    (None, Some(e)) => view! { <div class="error" id="mcp-error">{e.clone()}</div> }.into_any(),
                    _ => view! { <div class="muted">{tr!("off")}</div> }.into_any(),
                }}
                <label>{tr!("port")}<input id="set-port" prop:value=move || port.get() on:input=move |e| port.set(event_target_value(&e))/></label>
                <div class="actions">
                    <button class="secondary" id="save-port" on:click=move |_| change("mcp.port", port.get_untracked())>{tr!("save-port")}</button>
                    <button class="secondary" id="toggle-mcp" on:click=move |_| change("mcp.enabled", (!mcp_on).to_string())>
                        {if mcp_on { tr!("turn-off") } else { tr!("turn-on") }}
                    </button>
                    <button class="secondary" id="test-mcp" disabled=move || testing.get() on:click=test_mcp>
                        {move || if testing.get() { tr!("provider-testing") } else { tr!("mcp-test") }}
                    </button>
                </div>
                <p class="muted small">{tr!("mcp-stdio-help")}</p>
            </div>
            <div class="card form wide-card" id="connect">
                <div class="label">{tr!("connect-title")}</div>
                <p class="muted small">{tr!("connect-help")}</p>
                <Snippets list=v.connect.clone()/>
            </div>
            <div class="card form">
                <div class="label">{tr!("notifications")}</div>
                <div id="notifications-state">{if notify_on {
                    tr!("notifications-on")
                } else {
                    tr!("notifications-off")
                }}</div>
                <div class="actions">
                    <button class="secondary" id="toggle-notifications"
                        on:click=move |_| change("notifications.enabled", (!notify_on).to_string())>
                        {if notify_on { tr!("turn-off") } else { tr!("turn-on") }}
                    </button>
                </div>
            </div>
            <crate::providers::DraftingCards auto_draft=v.auto_draft auto_providers=v.auto_providers providers=v.providers.clone()/>
            <div class="card form wide-card">
                <div class="label">{tr!("mcp-tokens")}</div>
                <p class="muted small">{tr!("mcp-tokens-help")}</p>
                <table class="mini" id="tokens">
                    <tbody>
                        {v.tokens.iter().map(|t| {
                            let id = t.id.clone();
                            let row_id = format!("token-{id}");
                            let revoked = t.revoked_at.is_some();
                            view! {
                                <tr class:muted=revoked id=row_id>
                                    <td>{t.name.clone()}</td>
                                    <td>{labels::token_scope(t.scope)}</td>
                                    <td>{t.last_used_at.map(|u| tr!("token-used", ago = intl::ago(u, now))).unwrap_or_else(|| tr!("token-never-used"))}</td>
                                    <td>{if revoked {
                                        view! { <span class="token-state">{tr!("token-revoked")}</span> }.into_any()
                                    } else {
                                        view! { <button class="ghost token-revoke" on:click=move |_| {
                                            let req = RevokeToken { token_id: id.clone() };
                                            crate::ticket::act(ui, "revoke_token", json!({ "req": req }), tr!("token-revoked-done"), || ());
                                        }>{tr!("revoke")}</button> }.into_any()
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <div class="actions">
                    <input id="token-name" placeholder=tr!("token-name-placeholder") on:input=move |e| token_name.set(event_target_value(&e))/>
                    <select id="token-scope" on:change=move |e| if let Ok(s) = TokenScope::parse(&event_target_value(&e)) { token_scope.set(s) }>
                        <option value="draft">{labels::token_scope(TokenScope::Draft)}</option>
                        <option value="read">{labels::token_scope(TokenScope::Read)}</option>
                    </select>
                    <button class="primary" id="create-token" on:click=create>{tr!("create-token")}</button>
                </div>
                {move || created.get().map(|t| view! {
                    <div class="created" id="created-token">
                        <p><strong>{tr!("token-shown-once")}" "</strong><code>{t.secret.clone()}</code>" "<CopyButton text=t.secret.clone() id="copy-token"/></p>
                        <Snippets list=t.snippets.clone()/>
                    </div>
                })}
            </div>
        </div>
    }
}

/// Client configurations, each with where it goes and a Copy button.
#[component]
fn Snippets(list: Vec<ConfigSnippet>) -> impl IntoView {
    list.into_iter()
        .map(|s| {
            view! {
                <div class="snippet">
                    <div class="snippet-head">
                        <strong>{s.client}</strong>
                        <span class="muted small">{s.file}</span>
                        <CopyButton text=s.text.clone()/>
                    </div>
                    <pre>{s.text}</pre>
                </div>
            }
        })
        .collect_view()
}
