//! In-process cost of the desk's hot reads and of the audit append, without any transport:
//! where an MCP call's time goes. Needs a seeded desk:
//!
//! ```text
//! countersign --data-dir /var/tmp/cs-bench demo --customers 100000 --invoices 1000000 --tickets 20000
//! COUNTERSIGN_BENCH_DESK=/var/tmp/cs-bench/profiles/demo/desk.sqlite3 cargo bench -p countersign-core --bench store
//! ```
//! Runs on a current-thread runtime, as `countersign mcp` does, after reading the file once so the
//! OS page cache is warm (a desk in daily use is; a cold disk measures the disk, not the desk).

use countersign_core::Store;
use countersign_core::records::{customers, invoices};
use countersign_core::workflow::{self, AssistantCall};
use countersign_model::workflow::TokenScope;
use std::time::{Duration, Instant};

const CALLS: usize = 2000;

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e6
}

fn report(name: &str, mut d: Vec<Duration>) {
    d.sort();
    println!(
        "| {name:<28} | {:>8.0} | {:>8.0} | {:>8.0} |",
        pct(&d, 0.5),
        pct(&d, 0.95),
        pct(&d, 0.99)
    );
}

async fn time<F, Fut, T>(inputs: &[String], f: F) -> Vec<Duration>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = countersign_core::Result<T>>,
{
    let mut out = Vec::with_capacity(inputs.len());
    for i in inputs {
        let t = Instant::now();
        f(i.clone()).await.expect("bench call failed");
        out.push(t.elapsed());
    }
    out
}

fn main() {
    let Some(path) = std::env::var_os("COUNTERSIGN_BENCH_DESK") else {
        eprintln!("set COUNTERSIGN_BENCH_DESK to a seeded desk.sqlite3 (see the file's doc)");
        return;
    };
    let started = Instant::now();
    let bytes = std::io::copy(
        &mut std::fs::File::open(&path).expect("open the desk"),
        &mut std::io::sink(),
    )
    .expect("read the desk");
    println!(
        "warmed the page cache: read {} MB in {:.1?}",
        bytes >> 20,
        started.elapsed()
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = Store::open(std::path::Path::new(&path)).await.unwrap();
        let pool = store.pool();
        let sample = |sql: &'static str| async move {
            sqlx::query_scalar::<_, String>(sql)
                .bind(CALLS as i64)
                .fetch_all(pool)
                .await
                .unwrap()
        };
        let numbers = sample("SELECT invoice_number FROM invoices ORDER BY random() LIMIT ?").await;
        let customers_ = sample("SELECT id FROM customers ORDER BY random() LIMIT ?").await;
        let surnames: Vec<String> = sample("SELECT name FROM customers ORDER BY random() LIMIT ?")
            .await
            .into_iter()
            .map(|n| n.rsplit(' ').next().unwrap_or_default().to_owned())
            .collect();
        println!("| in-process, µs               |      p50 |      p95 |      p99 |");
        println!("|------------------------------|---------:|---------:|---------:|");
        // The floor of any query: a round trip to a connection's worker thread and back.
        let d = time(&numbers, |_| async move {
            sqlx::query_scalar::<_, i64>("SELECT 1")
                .fetch_one(pool)
                .await
                .map_err(countersign_core::Error::from)
        })
        .await;
        report("SELECT 1 (the round trip)", d);
        let d = time(&numbers, |n| async move {
            invoices::detail(pool, &invoices::InvoiceRef::Number(n)).await
        })
        .await;
        report("invoice detail (by number)", d);
        let d = time(&customers_, |c| async move {
            customers::detail(pool, &customers::CustomerRef::Id(c.parse().unwrap())).await
        })
        .await;
        report("customer detail", d);
        let d = time(&customers_, |c| async move {
            let filter = invoices::InvoiceFilter {
                customer_id: Some(c.parse().unwrap()),
                ..Default::default()
            };
            invoices::list(pool, &filter, None, 20).await
        })
        .await;
        report("invoice list (customer, 20)", d);
        let d = time(&surnames, |s| async move {
            customers::search(pool, &s, 20).await
        })
        .await;
        report("customer search (surname)", d);
        let call = AssistantCall::new(
            "bench",
            TokenScope::Read,
            "get_invoice",
            serde_json::json!({"invoice_number": "INV-1"}),
        );
        let call = &call;
        let store = &store;
        let d = time(&numbers, |n| async move {
            workflow::record_call(store, call, Some(&n), "ok").await
        })
        .await;
        report("audit append (read call)", d);
    });
}
