//! The customer panel (billing summary, invoices with overdue ones highlighted, payments with
//! failure reasons) and the view of a record a draft cites.

use crate::format;
use crate::ipc::{self, UiError};
use countersign_model::CustomerId;
use countersign_model::ipc::CustomerPanel as Panel;
use countersign_model::records::{Article, InvoiceDetail};
use countersign_model::workflow::{Citation, CitedKind};
use leptos::prelude::*;
use serde_json::json;

fn synced(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    match at {
        Some(t) => format!("synced {}", format::ago(t, ipc::now())),
        None => "local only (not synced yet)".into(),
    }
}

#[component]
pub fn CustomerPanel(id: CustomerId) -> impl IntoView {
    let ui = crate::app::use_ui();
    let panel = LocalResource::new(move || {
        let id = id.clone();
        ui.generation.track();
        async move { ipc::call::<_, Panel>("customer_panel", &json!({ "id": id })).await }
    });
    view! {
        <div class="card customer-panel" id="customer-panel">
            <Transition fallback=|| view! { <p class="muted">"Loading the customer…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p class="error">{move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}</p>
                }>
                    {move || Suspend::new(async move {
                        let p = panel.await?;
                        Ok::<_, UiError>(view! { <PanelBody p=p/> })
                    })}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

#[component]
fn PanelBody(p: Panel) -> impl IntoView {
    let c = p.detail.customer.clone();
    view! {
        <div class="label">"Customer"</div>
        <div class="cust-name">{c.name.clone()}{c.company.clone().map(|co| format!(" · {co}"))}</div>
        <div class="muted small">{c.email.clone()}" · "{c.external_id.clone()}" · "{synced(c.synced_at)}</div>
        {p.detail.subscription.clone().map(|s| view! {
            <div class="small">"Plan "<strong>{s.plan_name.clone()}</strong>" · "{s.status.as_str()}" · "{format::money(&s.price)}" / "{s.billing_period.as_str()}</div>
        })}
        {p.detail.wallets.iter().map(|w| view! { <div class="small">"Wallet "{format::money(&w.balance)}</div> }).collect_view()}
        {p.detail.outstanding.iter().map(|o| view! {
            <div class="small" class:overdue={o.overdue_count > 0}>
                "Unpaid "{format::money(&o.unpaid_total)}" ("{o.unpaid_count}")"
                {(o.overdue_count > 0).then(|| format!(" · overdue {} ({})", format::money(&o.overdue_total), o.overdue_count))}
            </div>
        }).collect_view()}
        <div class="label sub">"Invoices"</div>
        <table class="mini" id="invoices">
            <tbody>
                {p.invoices.iter().map(|i| view! {
                    <tr class=format::invoice_class(i) id=format!("invoice-{}", i.id)>
                        <td>{i.invoice_number.clone()}</td>
                        <td>{i.invoice_status.as_str()}" / "{i.payment_status.as_str()}</td>
                        <td class="num">{format::money(&i.total)}</td>
                        <td class="muted">"due "{i.due_date.to_string()}{i.overdue.then_some(" · overdue")}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <div class="label sub">"Payments"</div>
        <table class="mini" id="payments">
            <tbody>
                {p.payments.iter().map(|pay| view! {
                    <tr class:failed=pay.error_message.is_some()>
                        <td>{pay.created_at.date_naive().to_string()}</td>
                        <td>{pay.method.as_str()}</td>
                        <td>{pay.payment_status.as_str()}</td>
                        <td class="num">{format::money(&pay.amount)}</td>
                        <td class="muted">{pay.error_message.clone().unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What a citation points at, once loaded.
#[derive(Debug, Clone)]
enum Cited {
    Invoice(Box<InvoiceDetail>),
    Article(Article),
    /// Shown elsewhere on the screen (the customer panel, the thread).
    Elsewhere,
}

async fn load_cited(c: Citation) -> Result<Cited, UiError> {
    Ok(match c.kind {
        CitedKind::Invoice => Cited::Invoice(Box::new(
            ipc::call::<_, InvoiceDetail>("invoice", &json!({ "id": c.id })).await?,
        )),
        CitedKind::KbArticle => {
            Cited::Article(ipc::call::<_, Article>("kb_article", &json!({ "id": c.id })).await?)
        }
        _ => Cited::Elsewhere,
    })
}

fn cited_view(c: &Citation, record: Cited) -> AnyView {
    match record {
        Cited::Invoice(d) => view! {
            <h3>"Invoice "{d.invoice.invoice_number.clone()}</h3>
            <p>{d.invoice.invoice_status.as_str()}" / "{d.invoice.payment_status.as_str()}" · total "{format::money(&d.invoice.total)}" · remaining "{format::money(&d.invoice.amount_remaining)}</p>
            <p class="muted small">"due "{d.invoice.due_date.to_string()}" · version "{d.invoice.version}" · "{synced(d.invoice.synced_at)}</p>
            {d.payments.iter().map(|p| view! { <div class="small">{p.payment_status.as_str()}" "{format::money(&p.amount)}" "{p.error_message.clone().unwrap_or_default()}</div> }).collect_view()}
        }.into_any(),
        Cited::Article(a) => view! { <h3>{a.title.clone()}</h3><p class="small pre">{a.body.clone()}</p> }.into_any(),
        Cited::Elsewhere => view! {
            <p class="small">{c.kind.as_str()}" "{c.id.clone()}" (version "{c.version}") — shown in the thread and the customer panel"</p>
        }.into_any(),
    }
}

/// A record a draft cites, opened from its citation link.
#[component]
pub fn CitedRecord(
    citation: Citation,
    on_close: impl Fn() + 'static + Clone + Send + Sync,
) -> impl IntoView {
    let c = citation.clone();
    let record = LocalResource::new(move || load_cited(c.clone()));
    let changed = citation.current_version.map(|v| {
        format!(
            "changed since the draft: version {} → {v}",
            citation.version
        )
    });
    view! {
        <div class="cited" id="cited-record">
            <button class="close" on:click=move |_| on_close()>"×"</button>
            {changed.map(|c| view! { <p class="stale-why small">{c}</p> })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || {
                    let citation = citation.clone();
                    Suspend::new(async move {
                        match record.await {
                            Ok(r) => cited_view(&citation, r),
                            Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </div>
    }
}
