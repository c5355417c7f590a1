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
            <div class="label">"Drafting"</div>
            <div id="auto-draft-state">{if auto_draft {
                "When a customer writes, the desk drafts a reply by itself for you to review."
            } else {
                "Off: press Draft with AI (d) on a ticket to get a draft."
            }}</div>
            <div class="actions">
                <button class="secondary" id="toggle-auto-draft"
                    on:click=move |_| change("drafting.auto", (!auto_draft).to_string())>
                    {if auto_draft { "Turn off" } else { "Turn on" }}
                </button>
            </div>
            <div id="auto-providers-state" class="small">{if auto_providers {
                "Drafting by itself asks the AI providers below first (they may cost money)."
            } else {
                "Drafting by itself uses the offline drafter; Draft with AI asks the providers below first."
            }}</div>
            <div class="actions">
                <button class="secondary" id="toggle-auto-providers"
                    on:click=move |_| change("drafting.auto_providers", (!auto_providers).to_string())>
                    {if auto_providers { "Offline only when drafting by itself" } else { "Use providers when drafting by itself" }}
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
            format!("Added {}", v["name"].as_str().unwrap_or("the provider"))
        });
    };
    view! {
        <div class="card form wide-card" id="providers">
            <div class="label">"AI providers"</div>
            <p class="muted small">"Draft with AI asks these in order; when one fails, the next answers, and the offline drafter always answers last. Keys are kept in the OS keyring."</p>
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
                                <td>{if p.has_key { "key in keyring" } else { "no key" }}</td>
                                <td class="actions">
                                    <button class="ghost" disabled=i == 0 title="Ask this one earlier"
                                        on:click=move |_| {
                                            let mut names = up.clone();
                                            names.swap(i, i.saturating_sub(1));
                                            run("order_providers", json!({ "names": names }), |_| "Order saved".into());
                                        }>"↑"</button>
                                    <button class="secondary" disabled=move || testing.get().is_some()
                                        on:click=move |_| {
                                            let name = test_name.clone();
                                            testing.set(Some(name.clone()));
                                            let ui = use_ui();
                                            spawn_local(async move {
                                                match ipc::call::<_, u64>("test_provider", &json!({ "name": name })).await {
                                                    Ok(ms) => ui.say(false, format!("{name} answered in {ms} ms")),
                                                    Err(e) => ui.say(true, e.to_string()),
                                                }
                                                testing.set(None);
                                            });
                                        }>{move || if testing.get().is_some() { "Testing…" } else { "Test" }}</button>
                                    <button class="ghost" on:click=move |_| {
                                        run("remove_provider", json!({ "name": remove_name.clone() }), |_| "Removed; its key is forgotten".into());
                                    }>"Remove"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                    <tr class="muted"><td>"last"</td><td><strong>"offline"</strong></td><td>"countersign/offline"</td><td>"on this machine"</td><td>"no key needed"</td><td></td></tr>
                </tbody>
            </table>
            <div class="provider-form">
                <input id="provider-name" placeholder="Name, e.g. claude" prop:value=move || name.get()
                    on:input=move |e| name.set(event_target_value(&e))/>
                <select id="provider-kind" on:change=move |e| kind.set(event_target_value(&e))>
                    <option value="openai-compatible">"OpenAI-compatible (OpenAI, Azure, OpenRouter, Ollama, llama.cpp, vLLM, LM Studio)"</option>
                    <option value="anthropic">"Anthropic"</option>
                </select>
                <input id="provider-url" placeholder="Base URL (empty: the public endpoint)" prop:value=move || base_url.get()
                    on:input=move |e| base_url.set(event_target_value(&e))/>
                <input id="provider-model" placeholder="Model, e.g. gpt-4o-mini" prop:value=move || model.get()
                    on:input=move |e| model.set(event_target_value(&e))/>
                <input id="provider-key" type="password" placeholder="API key (none for a local server)" prop:value=move || key.get()
                    on:input=move |e| key.set(event_target_value(&e))/>
                <button class="primary" id="add-provider" on:click=add>"Add provider"</button>
            </div>
        </div>
    }
}
