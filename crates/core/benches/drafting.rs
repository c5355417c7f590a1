//! What the desk's own drafting costs, on a copy of a seeded desk (the original is not changed):
//!
//! ```text
//! countersign --data-dir /var/tmp/cs-bench demo --customers 100000 --invoices 1000000 --tickets 20000
//! COUNTERSIGN_BENCH_DESK=/var/tmp/cs-bench/profiles/demo/desk.sqlite3 cargo bench -p countersign-core --bench drafting
//! ```
//!
//! - the offline drafter end to end for one ticket (context read, draft written, grounding
//!   check, filing with its audit row), and each part alone;
//! - the engine's own overhead with a provider that answers at once (a fake OpenAI-compatible
//!   server on loopback): context, the HTTP round trip, parsing, grounding, filing;
//! - the first inbox page while the desk drafts every waiting ticket in the background, against
//!   the same page on an idle desk: drafting at start must not delay the first paint.
//!
//! Runs on a two-worker runtime, as the desktop app's does, with the page cache warm.

use countersign_core::drafting::providers;
use countersign_core::drafting::{self, Pace, Trigger, context};
use countersign_core::{Store, inbox, settings};
use countersign_drafting::testing::fake::Fake;
use countersign_drafting::testing::flavor::OPENAI;
use countersign_drafting::{grounding, offline};
use countersign_model::ipc::AddProvider;
use countersign_model::ipc::InboxQuery;
use countersign_model::{ErrorCode, TicketId};
use std::time::{Duration, Instant};

/// Tickets drafted one by one for the per-ticket figures.
const SAMPLE: i64 = 300;

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

fn report(name: &str, mut d: Vec<Duration>) {
    d.sort();
    println!(
        "| {name:<44} | {:>5} | {:>7.2} | {:>7.2} | {:>7.2} |",
        d.len(),
        pct(&d, 0.5),
        pct(&d, 0.95),
        pct(&d, 0.99)
    );
}

fn main() {
    let Some(source) = std::env::var_os("COUNTERSIGN_BENCH_DESK") else {
        eprintln!("set COUNTERSIGN_BENCH_DESK to a seeded desk.sqlite3 (see the file's doc)");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("desk.sqlite3");
    let started = Instant::now();
    std::fs::copy(&source, &path).expect("copy the desk");
    println!(
        "copied the desk in {:.1?} (the copy is warm in the page cache)",
        started.elapsed()
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(&path));
}

async fn run(path: &std::path::Path) {
    let store = Store::open(path).await.expect("open the copy");
    let pool = store.pool();
    // The sweep is what this bench starts; nothing drafts before it.
    sqlx::query("DELETE FROM draft_citations")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM drafts")
        .execute(pool)
        .await
        .unwrap();
    let waiting_total = drafting::waiting_count(pool).await.unwrap();
    let tickets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets")
        .fetch_one(pool)
        .await
        .unwrap();
    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(pool)
        .await
        .unwrap();
    let invoices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invoices")
        .fetch_one(pool)
        .await
        .unwrap();
    println!(
        "desk: {customers} customers, {invoices} invoices, {tickets} tickets, {waiting_total} waiting for a draft"
    );
    let sample: Vec<TicketId> = sqlx::query_scalar::<_, String>(
        "SELECT id FROM tickets WHERE status IN ('open', 'pending') ORDER BY random() LIMIT ?",
    )
    .bind(SAMPLE)
    .fetch_all(pool)
    .await
    .unwrap()
    .iter()
    .map(|t| t.parse().unwrap())
    .collect();

    println!(
        "| ms                                           |     n |     p50 |     p95 |     p99 |"
    );
    println!(
        "|----------------------------------------------|------:|--------:|--------:|--------:|"
    );
    // First, on the copy as seeded: the first inbox page idle, then while every waiting ticket is
    // drafted in the background, as the desktop app does at start.
    let person = settings::person(pool).await.unwrap();
    let query = InboxQuery::default();
    let mut idle = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        inbox::page(pool, &person, &query).await.unwrap();
        idle.push(started.elapsed());
    }
    report("first inbox page, desk idle", idle);
    let sweeping = store.clone();
    let sweep_started = Instant::now();
    let sweep = tokio::spawn(async move { drafting::sweep(&sweeping, 25, Pace::Background).await });
    let mut busy = Vec::new();
    while !sweep.is_finished() {
        let started = Instant::now();
        inbox::page(pool, &person, &query).await.unwrap();
        busy.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let swept = sweep.await.unwrap().unwrap();
    let took = sweep_started.elapsed();
    report("first inbox page, while drafting (paced)", busy);
    let mut after = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        inbox::page(pool, &person, &query).await.unwrap();
        after.push(started.elapsed());
    }
    report("first inbox page, idle, every draft filed", after);
    println!(
        "| sweep: {} tickets drafted ({} failed) in {:.1?}, {:.1} tickets/s |",
        swept.drafted,
        swept.failed,
        took,
        swept.drafted as f64 / took.as_secs_f64()
    );

    let (mut ctx_t, mut draft_t, mut ground_t) = (Vec::new(), Vec::new(), Vec::new());
    for t in &sample {
        let started = Instant::now();
        let mut conn = pool.acquire().await.unwrap();
        let ctx = context::load(&mut conn, t.as_str(), "", &[]).await.unwrap();
        drop(conn);
        ctx_t.push(started.elapsed());
        let started = Instant::now();
        let p = offline::draft(&ctx);
        draft_t.push(started.elapsed());
        let started = Instant::now();
        let claims = grounding::check(&ctx, &p.body);
        ground_t.push(started.elapsed());
        assert!(grounding::holds(&claims), "{}", p.body);
    }
    report("context read (two statements)", ctx_t);
    report("offline drafter (text only)", draft_t);
    report("grounding check", ground_t);
    let mut whole = Vec::new();
    for t in &sample {
        let started = Instant::now();
        match drafting::draft_ticket(&store, t, Trigger::Automatic, None).await {
            Ok(_) => whole.push(started.elapsed()),
            Err(e) if e.code() == ErrorCode::InvalidArgument => {}
            Err(e) => panic!("drafting {t} failed: {e}"),
        }
    }
    report("offline draft, end to end (filed)", whole);

    // A provider answering at once: what is left is the engine's own overhead.
    let answer = serde_json::json!({
        "reply": "Thank you for your message. I am looking into it and will get back to you shortly.",
        "citations": [],
        "confidence": 0.6,
        "escalation": null
    })
    .to_string();
    let fake = Fake::start(vec![OPENAI.success(&answer)]).await;
    providers::add(
        &store,
        &person,
        &AddProvider {
            name: "instant".into(),
            kind: "openai-compatible".into(),
            base_url: format!("{}/v1", fake.origin),
            model: "bench".into(),
            timeout_secs: Some(5),
            key: None,
        },
    )
    .await
    .unwrap();
    let mut with_provider = Vec::new();
    for t in &sample {
        let started = Instant::now();
        match drafting::draft_ticket(&store, t, Trigger::Person(&person), Some("instant")).await {
            Ok(d) => {
                assert_eq!(
                    d.author.client, "openai-compatible/bench",
                    "{:?}",
                    d.generation
                );
                with_provider.push(started.elapsed());
            }
            Err(e) if e.code() == ErrorCode::InvalidArgument => {}
            Err(e) => panic!("drafting {t} failed: {e}"),
        }
    }
    report("provider answering at once, end to end", with_provider);
    providers::remove(&store, &person, "instant").await.unwrap();

    store.close().await;
}
