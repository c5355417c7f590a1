//! The benchmark's tenant, loaded the way the systems around the platform would: billing records
//! through `POST /v1/ingest/billing` (FlexPrice's shapes) and the help desk's tickets, each with
//! its customer's first message, through `POST /v1/ingest/tickets`; several batches in flight.

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// Records per billing request (an invoice with its line item is ~0.8 KB of JSON; the
/// platform takes at most 10 000 records and 8 MiB per request).
const BILLING_BATCH: usize = 5000;
/// Billing requests in flight at once.
const BILLING_IN_FLIGHT: usize = 3;
/// Tickets per import request (each carries one message: two records).
const TICKET_BATCH: u64 = 2500;

/// A small deterministic generator, so two runs load the same tenant.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

pub fn customer_id(i: u64) -> String {
    format!("cus_b{i:07}")
}

fn customer(i: u64) -> Value {
    json!({
        "id": customer_id(i), "external_id": format!("ext-{i:07}"),
        "name": format!("Customer {i}"), "email": format!("c{i}@example.com"),
        "company": format!("Company {} Ltd", i % 9973), "address_city": "Berlin",
        "address_country": "DE", "timezone": "Europe/Berlin",
        "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"
    })
}

fn invoice(i: u64, customers: u64, rng: &mut Rng) -> Value {
    let cents = 500 + rng.below(50_000);
    let amount = format!("{}.{:02}", cents / 100, cents % 100);
    let month = 1 + i % 12;
    let paid = rng.below(10) < 8;
    json!({
        "id": format!("inv_b{i:08}"), "invoice_number": format!("INV-B-{i:08}"),
        "customer_id": customer_id(i % customers),
        "invoice_status": "FINALIZED",
        "payment_status": if paid { "SUCCEEDED" } else { "PENDING" },
        "invoice_type": "SUBSCRIPTION", "billing_reason": "SUBSCRIPTION_CYCLE", "currency": "EUR",
        "amount_due": amount, "amount_paid": if paid { amount.as_str() } else { "0" },
        "amount_remaining": if paid { "0" } else { amount.as_str() },
        "subtotal": amount, "total_tax": "0", "total": amount,
        "issue_date": format!("2025-{month:02}-01"), "due_date": format!("2025-{month:02}-15"),
        "updated_at": format!("2025-{month:02}-01T00:00:00Z"),
        "line_items": [{"id": format!("li_b{i:08}"), "description": "Team plan", "quantity": "1",
                        "unit_amount": amount, "amount": amount}]
    })
}

pub fn ticket_id(i: u64) -> String {
    format!("tkt_b{i:07}")
}

fn ticket(i: u64, customers: u64) -> Value {
    let c = i % customers;
    json!({
        "id": ticket_id(i), "customer_id": customer_id(c),
        "subject": format!("Question about my invoice ({i})"), "status": "open", "channel": "email",
        "thread_key": format!("bench-thread-{i}"),
        "created_at": "2025-06-01T09:00:00Z", "updated_at": "2025-06-01T09:00:00Z",
        "messages": [{"id": format!("msg_b{i:07}"), "author_kind": "customer",
                      "author_name": format!("Customer {c}"),
                      "body": format!("Hello, I have a question about invoice INV-B-{c:08}. Could you check it?"),
                      "created_at": "2025-06-01T09:00:00Z"}]
    })
}

/// What loading the tenant took.
pub struct Loaded {
    pub billing_records: u64,
    pub billing_time: Duration,
    pub tickets: u64,
    pub tickets_time: Duration,
    /// Every ticket's id, for the desks' work.
    pub ticket_ids: Vec<String>,
}

async fn post(http: &reqwest::Client, url: &str, token: &str, body: Vec<u8>) -> Result<Value> {
    let r = http
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    let status = r.status();
    let v: Value = r.json().await?;
    if !status.is_success() {
        bail!("POST {url}: {status} {v}");
    }
    Ok(v)
}

/// Sends one billing batch once fewer than [`BILLING_IN_FLIGHT`] are in flight.
async fn submit(
    jobs: &mut JoinSet<Result<()>>,
    http: &reqwest::Client,
    url: &str,
    token: &str,
    body: Value,
) -> Result<()> {
    while jobs.len() >= BILLING_IN_FLIGHT {
        jobs.join_next().await.context("a job")???;
    }
    let (http, url, token) = (http.clone(), url.to_owned(), token.to_owned());
    let body = serde_json::to_vec(&body)?;
    jobs.spawn(async move { post(&http, &url, &token, body).await.map(drop) });
    Ok(())
}

async fn drain(jobs: &mut JoinSet<Result<()>>) -> Result<()> {
    while let Some(j) = jobs.join_next().await {
        j??;
    }
    Ok(())
}

/// Loads `customers` customers, `invoices` invoices (one line item each) and `tickets` tickets
/// (one customer message each) into the tenant of `token`.
pub async fn tenant(
    base: &str,
    token: &str,
    customers: u64,
    invoices: u64,
    tickets: u64,
) -> Result<Loaded> {
    let http = reqwest::Client::new();
    let billing_url = format!("{base}/v1/ingest/billing");
    let started = Instant::now();
    // Customers first: invoices reference them.
    let mut jobs = JoinSet::new();
    let mut loaded = 0u64;
    for start in (0..customers).step_by(BILLING_BATCH) {
        let end = (start + BILLING_BATCH as u64).min(customers);
        let batch: Vec<Value> = (start..end).map(customer).collect();
        submit(
            &mut jobs,
            &http,
            &billing_url,
            token,
            json!({"customers": batch}),
        )
        .await?;
        loaded += end - start;
    }
    drain(&mut jobs).await?;
    let mut rng = Rng::new(7);
    for start in (0..invoices).step_by(BILLING_BATCH) {
        let end = (start + BILLING_BATCH as u64).min(invoices);
        let batch: Vec<Value> = (start..end)
            .map(|i| invoice(i, customers, &mut rng))
            .collect();
        submit(
            &mut jobs,
            &http,
            &billing_url,
            token,
            json!({"invoices": batch}),
        )
        .await?;
        loaded += end - start;
    }
    drain(&mut jobs).await?;
    let billing_time = started.elapsed();

    let started = Instant::now();
    let tickets_url = format!("{base}/v1/ingest/tickets");
    for start in (0..tickets).step_by(TICKET_BATCH as usize) {
        let end = (start + TICKET_BATCH).min(tickets);
        let batch: Vec<Value> = (start..end).map(|i| ticket(i, customers)).collect();
        submit(
            &mut jobs,
            &http,
            &tickets_url,
            token,
            json!({"tickets": batch}),
        )
        .await?;
    }
    drain(&mut jobs).await?;
    Ok(Loaded {
        billing_records: loaded,
        billing_time,
        tickets,
        tickets_time: started.elapsed(),
        ticket_ids: (0..tickets).map(ticket_id).collect(),
    })
}
