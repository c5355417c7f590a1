//! The customer panel (billing summary, invoices with overdue ones highlighted, payments with
//! failure reasons) and the view of a record a draft cites.

use crate::format;
use crate::intl;
use crate::ipc::{self, UiError};
use crate::labels;
use countersign_model::CustomerId;
use countersign_model::ipc::CustomerPanel as Panel;
use countersign_model::records::{Article, InvoiceDetail};
use countersign_model::workflow::{Citation, CitedKind};
use leptos::prelude::*;
use serde_json::json;

/// How fresh a record is: when it came from the platform, or that this desk has no platform.
fn synced(at: Option<chrono::DateTime<chrono::Utc>>, local_only: bool) -> String {
    if local_only {
        return tr!("local-record");
    }
    match at {
        Some(t) => tr!("synced-ago", ago = intl::ago(t, ipc::now())),
        None => tr!("not-synced"),
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
            <Transition fallback=|| view! { <p class="muted">{tr!("customer-loading")}</p> }>
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
    let local_only = crate::app::use_ui().local_only.get_untracked();
    // An invoice row opened, shown as a cited record is.
    let opened = RwSignal::new(None::<Citation>);
    view! {
        <div class="label">{tr!("customer")}</div>
        <div class="cust-name">{c.name.clone()}{c.company.clone().map(|co| format!(" · {co}"))}</div>
        <div class="muted small">{c.email.clone()}" · "{c.external_id.clone()}" · "{synced(c.synced_at, local_only)}</div>
        {p.detail.subscription.clone().map(|s| view! {
            <div class="small">{tr!("plan")}" "<strong>{s.plan_name.clone()}</strong>" · "{labels::subscription_status(s.status)}" · "{intl::money(&s.price)}" / "{labels::billing_period(s.billing_period)}</div>
        })}
        {p.detail.wallets.iter().map(|w| view! { <div class="small">{tr!("wallet", balance = intl::money(&w.balance))}</div> }).collect_view()}
        {p.detail.outstanding.iter().map(|o| view! {
            <div class="small" class:overdue={o.overdue_count > 0}>
                {tr!("unpaid", amount = intl::money(&o.unpaid_total), count = o.unpaid_count)}
                {(o.overdue_count > 0).then(|| format!(" · {}", tr!("overdue-total", amount = intl::money(&o.overdue_total), count = o.overdue_count)))}
            </div>
        }).collect_view()}
        <div class="label sub">{tr!("invoices")}</div>
        <table class="mini" id="invoices">
            <tbody>
                {p.invoices.iter().map(|i| {
                    let record = Citation {
                        kind: CitedKind::Invoice,
                        id: i.id.to_string(),
                        version: i.version,
                        current_version: None,
                    };
                    view! {
                    <tr class=format!("clickable {}", format::invoice_class(i)) id=format!("invoice-{}", i.id)
                        title=tr!("invoice-open") on:click=move |_| opened.set(Some(record.clone()))>
                        <td>{i.invoice_number.clone()}</td>
                        <td>{labels::invoice_status(i.invoice_status)}" · "{labels::payment_status(i.payment_status)}</td>
                        <td class="num">{intl::money(&i.total)}</td>
                        <td class="muted">{tr!("due", date = intl::date(i.due_date))}{i.overdue.then(|| format!(" · {}", tr!("overdue")))}</td>
                    </tr>
                }}).collect_view()}
            </tbody>
        </table>
        {move || opened.get().map(|c| view! { <CitedRecord citation=c on_close=move || opened.set(None)/> })}
        <div class="label sub">{tr!("payments")}</div>
        <table class="mini" id="payments">
            <tbody>
                {p.payments.iter().map(|pay| view! {
                    <tr class:failed=pay.error_message.is_some()>
                        <td title=intl::date_time(pay.created_at)>{intl::date(pay.created_at.date_naive())}</td>
                        <td>{labels::payment_method(pay.method)}</td>
                        <td>{labels::payment_status(pay.payment_status)}</td>
                        <td class="num">{intl::money(&pay.amount)}</td>
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

fn cited_view(c: &Citation, record: Cited, local_only: bool) -> AnyView {
    match record {
        Cited::Invoice(d) => view! {
            <h3>{tr!("invoice-title", number = d.invoice.invoice_number.clone())}</h3>
            <p>{labels::invoice_status(d.invoice.invoice_status)}" · "{labels::payment_status(d.invoice.payment_status)}" · "{tr!("invoice-total", amount = intl::money(&d.invoice.total))}" · "{tr!("invoice-remaining", amount = intl::money(&d.invoice.amount_remaining))}</p>
            <p class="muted small">{tr!("due", date = intl::date(d.invoice.due_date))}" · "{tr!("record-version", version = d.invoice.version)}" · "{synced(d.invoice.synced_at, local_only)}</p>
            {d.payments.iter().map(|p| view! { <div class="small">{labels::payment_status(p.payment_status)}" "{intl::money(&p.amount)}" "{p.error_message.clone().unwrap_or_default()}</div> }).collect_view()}
        }.into_any(),
        Cited::Article(a) => view! { <h3>{a.title.clone()}</h3><p class="small pre">{a.body.clone()}</p> }.into_any(),
        Cited::Elsewhere => view! {
            <p class="small">{tr!("cited-elsewhere", kind = labels::cited_kind(c.kind), id = c.id.clone(), version = c.version)}</p>
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
    let local_only = crate::app::use_ui().local_only.get_untracked();
    let record = LocalResource::new(move || load_cited(c.clone()));
    let changed = citation
        .current_version
        .map(|v| tr!("cited-changed", from = citation.version, to = v));
    view! {
        <div class="cited" id="cited-record">
            <button class="close" title=tr!("close") on:click=move |_| on_close()>"×"</button>
            {changed.map(|c| view! { <p class="stale-why small">{c}</p> })}
            <Transition fallback=|| view! { <p class="muted">{tr!("loading")}</p> }>
                {move || {
                    let citation = citation.clone();
                    Suspend::new(async move {
                        match record.await {
                            Ok(r) => cited_view(&citation, r, local_only),
                            Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </div>
    }
}
