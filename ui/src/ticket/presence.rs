//! Colleagues on the open ticket: who else is reading or replying to it now (the platform's
//! event stream, kept by the desk), shown in the header; and this desk telling the platform
//! where its person is — on opening a ticket, when they start or stop writing, and every
//! [`REPEAT_MS`] while they stay (a presence not repeated lapses on the platform).

use super::use_writing;
use crate::app::use_ui;
use crate::ipc;
use countersign_model::TicketId;
use countersign_model::sync::PresenceEntry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use std::time::Duration;

/// How often a desk repeats where its person is, well inside the platform's 45 s.
const REPEAT_MS: u64 = 20_000;

/// How often the open ticket reads its colleagues again though nothing woke it: a colleague
/// whose desk went away lapses by time alone, with no list arriving to say so.
const REREAD_MS: u64 = 3_000;

fn announce(ticket: Option<TicketId>, replying: bool) {
    spawn_local(async move {
        // A desk without a platform answers false; a failure shows nowhere: presence is a hint,
        // and the next repeat tries again.
        let _ = ipc::call::<_, bool>(
            "announce_presence",
            &json!({ "ticket": ticket, "replying": replying }),
        )
        .await;
    });
}

/// Tells the platform the person is on `id` while this view lives: reading, or replying while
/// the reply box holds text.
pub fn announce_while_open(id: TicketId) {
    let ui = use_ui();
    let writing = use_writing();
    let replying = Memo::new(move |_| writing.reply.with(|b| !b.trim().is_empty()));
    {
        let id = id.clone();
        Effect::new(move |_| announce(Some(id.clone()), replying.get()));
    }
    let repeat = {
        let id = id.clone();
        set_interval_with_handle(
            move || announce(Some(id.clone()), replying.get_untracked()),
            Duration::from_millis(REPEAT_MS),
        )
        .ok()
    };
    on_cleanup(move || {
        if let Some(h) = repeat {
            h.clear();
        }
        // Switching to another ticket announces that one; only leaving every ticket says none.
        if ui.open.try_get_untracked().flatten().is_none() {
            announce(None, false);
        }
    });
}

/// "Priya Shah is replying": the colleagues on this ticket now.
#[component]
pub fn Colleagues(id: TicketId) -> impl IntoView {
    let ui = use_ui();
    let tick = RwSignal::new(0u64);
    let reread = set_interval_with_handle(
        move || tick.update(|n| *n += 1),
        Duration::from_millis(REREAD_MS),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = reread {
            h.clear();
        }
    });
    let present = LocalResource::new(move || {
        let id = id.clone();
        ui.generation.track();
        ui.changes.track();
        tick.track();
        async move {
            ipc::call::<_, Vec<PresenceEntry>>("presence", &json!({ "id": id }))
                .await
                .unwrap_or_default()
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = present.await;
                (!list.is_empty()).then(|| view! {
                    <div class="presence" id="presence">
                        {list.into_iter().map(|p| {
                            let text = if p.replying {
                                tr!("presence-replying", name = p.agent_name.clone())
                            } else {
                                tr!("presence-viewing", name = p.agent_name.clone())
                            };
                            view! {
                                <span class="presence-chip" class:replying=p.replying
                                    data-agent=p.agent_id.clone()>{text}</span>
                            }
                        }).collect_view()}
                    </div>
                })
            })}
        </Suspense>
    }
}
