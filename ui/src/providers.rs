//! Settings › Drafting: whether the desk drafts by itself, and the AI providers it asks first —
//! added (the key goes to the OS keyring), tested with one tiny call, moved up the chain,
//! removed. The offline drafter is always last and needs nothing.

use crate::app::use_ui;
use crate::ipc;
use crate::settings::change;
use countersign_model::ipc::AddProvider;
use countersign_model::workflow::ProviderInfo;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

#[component]
pub fn DraftingCards(
    auto_draft: bool,
    auto_providers: bool,
    providers: Vec<ProviderInfo>,
) -> impl IntoView {
    view! {
        <div class="card form">
            <div class="label">{tr!("drafting-title")}</div>
            <div id="auto-draft-state">{if auto_draft {
                tr!("auto-draft-on")
            } else {
                tr!("auto-draft-off")
            }}</div>
            <div class="actions">
                <button class="secondary" id="toggle-auto-draft"
                    on:click=move |_| change("drafting.auto", (!auto_draft).to_string())>
                    {if auto_draft { tr!("turn-off") } else { tr!("turn-on") }}
                </button>
            </div>
            <div id="auto-providers-state" class="small">{if auto_providers {
                tr!("auto-providers-on")
            } else {
                tr!("auto-providers-off")
            }}</div>
            <div class="actions">
                <button class="secondary" id="toggle-auto-providers"
                    on:click=move |_| change("drafting.auto_providers", (!auto_providers).to_string())>
                    {if auto_providers { tr!("auto-providers-turn-off") } else { tr!("auto-providers-turn-on") }}
                </button>
            </div>
        </div>
        <ProvidersCard providers=providers/>
    }
}

/// Runs a provider command; on success says `done` (or what the command returned) and refreshes.
fn run<A: serde::Serialize + 'static>(
    cmd: &'static str,
    args: A,
    done: impl Fn(serde_json::Value) -> String + 'static,
) {
    let ui = use_ui();
    spawn_local(async move {
        match ipc::call::<_, serde_json::Value>(cmd, &args).await {
            Ok(v) => {
                ui.say(false, done(v));
                ui.refresh();
            }
            Err(e) => ui.say(true, e.to_string()),
        }
    });
}

#[component]
fn ProvidersCard(providers: Vec<ProviderInfo>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new("openai-compatible".to_owned());
    let base_url = RwSignal::new(String::new());
    let model = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let testing = RwSignal::new(None::<String>);
    let order: Vec<String> = providers.iter().map(|p| p.name.clone()).collect();
    let add = move |_| {
        let req = AddProvider {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            base_url: base_url.get_untracked(),
            model: model.get_untracked(),
            timeout_secs: None,
            key: Some(key.get_untracked()).filter(|k| !k.trim().is_empty()),
        };
        key.set(String::new());
        run("add_provider", json!({ "req": req }), |v| {
            tr!(
                "provider-added",
                name = v["name"].as_str().unwrap_or_default().to_owned()
            )
        });
    };
    view! {
        <div class="card form wide-card" id="providers">
            <div class="label">{tr!("providers-title")}</div>
            <p class="muted small">{tr!("providers-help")}</p>
            <table class="mini" id="provider-rows">
                <tbody>
                    {providers.into_iter().enumerate().map(|(i, p)| {
                        let up = order.clone();
                        let (test_name, remove_name) = (p.name.clone(), p.name.clone());
                        view! {
                            <tr id=format!("provider-{}", p.name)>
                                <td>{p.position}</td>
                                <td><strong>{p.name.clone()}</strong></td>
                                <td>{p.author.clone()}</td>
                                <td class="muted">{p.base_url.clone()}</td>
                                <td>{if p.has_key { tr!("provider-key-in-keyring") } else { tr!("provider-no-key") }}</td>
                                <td class="actions">
                                    <button class="ghost" disabled=i == 0 title=tr!("provider-up")
                                        on:click=move |_| {
                                            let mut names = up.clone();
                                            names.swap(i, i.saturating_sub(1));
                                            run("order_providers", json!({ "names": names }), |_| tr!("provider-order-saved"));
                                        }>"↑"</button>
                                    <button class="secondary" disabled=move || testing.get().is_some()
                                        on:click=move |_| {
                                            let name = test_name.clone();
                                            testing.set(Some(name.clone()));
                                            let ui = use_ui();
                                            spawn_local(async move {
                                                match ipc::call::<_, u64>("test_provider", &json!({ "name": name })).await {
                                                    Ok(ms) => ui.say(false, tr!("provider-answered", name = name.clone(), ms = ms)),
                                                    Err(e) => ui.say(true, e.to_string()),
                                                }
                                                testing.set(None);
                                            });
                                        }>{move || if testing.get().is_some() { tr!("provider-testing") } else { tr!("provider-test") }}</button>
                                    <button class="ghost" on:click=move |_| {
                                        run("remove_provider", json!({ "name": remove_name.clone() }), |_| tr!("provider-removed"));
                                    }>{tr!("provider-remove")}</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                    <tr class="muted"><td>{tr!("provider-last")}</td><td><strong>"offline"</strong></td><td>"countersign/offline"</td><td>{tr!("provider-on-this-machine")}</td><td>{tr!("provider-no-key-needed")}</td><td></td></tr>
                </tbody>
            </table>
            <div class="provider-form">
                <input id="provider-name" placeholder=tr!("provider-name-placeholder") prop:value=move || name.get()
                    on:input=move |e| name.set(event_target_value(&e))/>
                <select id="provider-kind" on:change=move |e| kind.set(event_target_value(&e))>
                    <option value="openai-compatible">{tr!("provider-kind-openai")}</option>
                    <option value="anthropic">"Anthropic"</option>
                </select>
                <input id="provider-url" placeholder=tr!("provider-url-placeholder") prop:value=move || base_url.get()
                    on:input=move |e| base_url.set(event_target_value(&e))/>
                <input id="provider-model" placeholder=tr!("provider-model-placeholder") prop:value=move || model.get()
                    on:input=move |e| model.set(event_target_value(&e))/>
                <input id="provider-key" type="password" placeholder=tr!("provider-key-placeholder") prop:value=move || key.get()
                    on:input=move |e| key.set(event_target_value(&e))/>
                <button class="primary" id="add-provider" on:click=add>{tr!("provider-add")}</button>
            </div>
        </div>
    }
}
