//! MCP benchmark: a 100k-customer / 1M-invoice desk, driven by an rmcp client over stdio and
//! HTTP, and the same queries through the reference `mcp-server-sqlite` over stdio with the same
//! client, in the same run. Prints p50/p95/p99 and calls/s per query and the ratio to the peer.
//!
//! Run with `cargo xtask bench` (it builds the release binary and installs the peer).
//! Options after `--`: `--customers N --invoices N --calls N` (defaults 100000, 1000000, 2000).

mod machine;

use anyhow::{Context, Result, bail};
use countersign_core::Store;
use countersign_e2e::{free_port, tool};
use machine::{Resident, cache, steal_so_far};
use rmcp::model::CallToolRequestParams;
use rmcp::service::RunningService;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::{ConfigureCommandExt, StreamableHttpClientTransport, TokioChildProcess};
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

type Client = RunningService<RoleClient, ()>;

struct Opts {
    customers: u32,
    invoices: u32,
    calls: usize,
}

fn opts() -> Result<Opts> {
    let mut o = Opts {
        customers: 100_000,
        invoices: 1_000_000,
        calls: 2000,
    };
    for (name, v) in countersign_e2e::bench_options(&["--customers", "--invoices", "--calls"])? {
        match name.as_str() {
            "--customers" => o.customers = v as u32,
            "--invoices" => o.invoices = v as u32,
            _ => o.calls = v as usize,
        }
    }
    Ok(o)
}

/// One logical query, as our tool call and as the peer's SQL.
struct Query {
    name: &'static str,
    ours: Vec<(String, Value)>,
    peer: Vec<String>,
    /// The peer given exactly our SQL, where ours differs by design: the ratio then measures
    /// the server and transport alone.
    peer_same_sql: Option<Vec<String>>,
}

fn sql_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// One word as an FTS5 prefix query, quoted for SQL.
fn fts_word(w: &str) -> String {
    sql_quote(&format!("\"{}\"*", w.replace('"', "")))
}

async fn queries(store: &Store, calls: usize) -> Result<Vec<Query>> {
    let pool = store.pool();
    let n = calls as i64;
    let numbers: Vec<String> =
        sqlx::query_scalar("SELECT invoice_number FROM invoices ORDER BY random() LIMIT ?")
            .bind(n)
            .fetch_all(pool)
            .await?;
    let customers: Vec<String> =
        sqlx::query_scalar("SELECT id FROM customers ORDER BY random() LIMIT ?")
            .bind(n)
            .fetch_all(pool)
            .await?;
    let surnames: Vec<String> = sqlx::query_scalar(
        "SELECT substr(name, instr(name, ' ') + 1) FROM customers ORDER BY random() LIMIT ?",
    )
    .bind(n)
    .fetch_all(pool)
    .await?;
    let cycle = |v: &Vec<String>, i: usize| v[i % v.len()].clone();
    Ok(vec![
        Query {
            name: "get_invoice (by number)",
            ours: (0..calls).map(|i| ("get_invoice".into(), json!({"invoice_number": cycle(&numbers, i)}))).collect(),
            peer: (0..calls).map(|i| format!(
                "SELECT i.*, (SELECT json_group_array(json_object('id', l.id, 'description', l.description, 'amount', l.amount)) FROM invoice_line_items l WHERE l.invoice_id = i.id) AS lines, \
                 (SELECT json_group_array(json_object('id', p.id, 'status', p.payment_status, 'error', p.error_message)) FROM payments p WHERE p.invoice_id = i.id) AS payments \
                 FROM invoices i WHERE i.invoice_number = {}", sql_quote(&cycle(&numbers, i)))).collect(),
            peer_same_sql: None,
        },
        Query {
            name: "get_customer",
            ours: (0..calls).map(|i| ("get_customer".into(), json!({"customer_id": cycle(&customers, i)}))).collect(),
            peer: (0..calls).map(|i| format!(
                "SELECT c.*, (SELECT json_group_array(json_object('currency', currency, 'unpaid', s, 'n', n)) FROM (SELECT currency, SUM(amount_remaining) s, COUNT(*) n FROM invoices \
                 WHERE customer_id = c.id AND invoice_status = 'FINALIZED' AND amount_remaining > 0 GROUP BY currency)) AS outstanding, \
                 (SELECT plan_name FROM subscriptions WHERE customer_id = c.id AND status != 'cancelled' LIMIT 1) AS plan \
                 FROM customers c WHERE c.id = {}", sql_quote(&cycle(&customers, i)))).collect(),
            peer_same_sql: None,
        },
        Query {
            name: "search_customers",
            ours: (0..calls).map(|i| ("search_customers".into(), json!({"query": cycle(&surnames, i), "limit": 10}))).collect(),
            peer: (0..calls).map(|i| format!(
                "SELECT c.id, c.name, c.email, c.company FROM customers_fts JOIN customers c ON c.rowid = customers_fts.rowid \
                 WHERE customers_fts MATCH {} ORDER BY rank LIMIT 10", fts_word(&cycle(&surnames, i)))).collect(),
            // Our bounded search (core::records::customers::search) as rows: the peer's SQLite
            // predates aggregate ORDER BY, so the JSON packing is left out.
            peer_same_sql: Some((0..calls).map(|i| format!(
                "WITH candidates AS MATERIALIZED (SELECT rowid FROM customers_fts WHERE customers_fts MATCH {w} LIMIT 257), \
                 ranked AS MATERIALIZED (SELECT customers_fts.rowid AS r, bm25(customers_fts) AS score FROM customers_fts \
                 WHERE customers_fts MATCH {w} \
                 AND customers_fts.rowid <= (SELECT max(rowid) FROM (SELECT rowid FROM candidates LIMIT 256)) \
                 ORDER BY score, r LIMIT 10) \
                 SELECT c.id, c.name, c.email, c.company, (SELECT count(*) FROM candidates) AS candidates \
                 FROM ranked JOIN customers c ON c.rowid = ranked.r ORDER BY ranked.score, ranked.r",
                 w = fts_word(&cycle(&surnames, i)))).collect()),
        },
        Query {
            name: "list_invoices (customer, 20)",
            ours: (0..calls).map(|i| ("list_invoices".into(), json!({"customer_id": cycle(&customers, i), "limit": 20}))).collect(),
            peer: (0..calls).map(|i| format!(
                "SELECT * FROM invoices WHERE customer_id = {} ORDER BY issue_date DESC, id DESC LIMIT 21", sql_quote(&cycle(&customers, i)))).collect(),
            peer_same_sql: None,
        },
    ])
}

struct Stats {
    p50: Duration,
    p95: Duration,
    p99: Duration,
    per_sec: f64,
    /// CPU time the hypervisor gave to others while the calls ran, both CPUs (`None` where
    /// the OS does not say).
    steal: Option<Duration>,
}

async fn drive(client: &Client, file: &Path, calls: &[(String, Value)]) -> Result<Stats> {
    cache(file)?;
    // Warm up caches and connections.
    for (tool, args) in calls.iter().take(50) {
        call(client, tool, args).await?;
    }
    let mut lat = Vec::with_capacity(calls.len());
    let steal_before = steal_so_far();
    let start = Instant::now();
    for (tool, args) in calls {
        let t = Instant::now();
        call(client, tool, args).await?;
        lat.push(t.elapsed());
    }
    let total = start.elapsed();
    let steal = steal_before
        .zip(steal_so_far())
        .map(|(a, b)| b.saturating_sub(a));
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    Ok(Stats {
        p50: pct(0.50),
        p95: pct(0.95),
        p99: pct(0.99),
        per_sec: lat.len() as f64 / total.as_secs_f64(),
        steal,
    })
}

async fn call(client: &Client, tool: &str, args: &Value) -> Result<()> {
    let r = client
        .call_tool(
            CallToolRequestParams::new(tool.to_owned())
                .with_arguments(args.as_object().cloned().unwrap_or_default()),
        )
        .await?;
    if r.is_error == Some(true) {
        bail!(
            "{tool} {args} failed: {:?}",
            r.structured_content.or(Some(json!(r.content)))
        );
    }
    Ok(())
}

fn row(name: &str, s: &Stats, peer: Option<&Stats>) {
    let ms = |d: Duration| format!("{:.3}", d.as_secs_f64() * 1000.0);
    let ratio = peer
        .map(|p| format!("{:.1}×", s.per_sec / p.per_sec))
        .unwrap_or_else(|| "".into());
    let steal = s
        .steal
        .map(|d| d.as_millis().to_string())
        .unwrap_or_else(|| "-".into());
    println!(
        "| {name:<34} | {:>8} | {:>8} | {:>8} | {:>9.0} | {ratio:>6} | {steal:>8} |",
        ms(s.p50),
        ms(s.p95),
        ms(s.p99),
        s.per_sec
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let o = opts()?;
    let bin = tool("COUNTERSIGN_BIN");
    let peer_bin = tool("COUNTERSIGN_PEER_SQLITE");
    let data_dir = countersign_e2e::bench_dir();
    countersign_e2e::seed_bench_desk(&bin, &data_dir, o.customers, o.invoices)?;
    let db = data_dir.join("profiles/demo/desk.sqlite3");
    let store = Store::open(&db).await?;
    let qs = queries(&store, o.calls).await?;
    // The bench token must not be rate-limited.
    Command::new(&bin)
        .arg("--data-dir")
        .arg(&data_dir)
        .args(["settings", "set", "mcp.rate_per_minute", "100000000"])
        .status()?;
    let out = Command::new(&bin)
        .arg("--data-dir")
        .arg(&data_dir)
        .args(["token", "create", "--name", "bench", "--scope", "read"])
        .output()?;
    let token = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .find(|w| w.starts_with("cst_"))
        .context("token")?
        .to_owned();

    // The peer reads a copy, so nothing it does can touch our desk.
    let peer_db = data_dir.join("peer.sqlite3");
    let _ = std::fs::remove_file(&peer_db);
    sqlx::query("VACUUM INTO ?")
        .bind(peer_db.to_str().context("utf-8")?)
        .execute(store.pool())
        .await?;

    let _resident = Resident::hold(&[&db, &peer_db]);
    let stdio: Client = ()
        .serve(TokioChildProcess::new(
            tokio::process::Command::new(&bin).configure(|c| {
                c.arg("--data-dir")
                    .arg(&data_dir)
                    .args(["mcp", "--scope", "read"])
                    .stderr(Stdio::null());
            }),
        )?)
        .await?;
    let port = free_port()?;
    let mut server = Command::new(&bin)
        .arg("--data-dir")
        .arg(&data_dir)
        .args(["serve", "--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("serve did not start");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let http_client = reqwest::Client::builder()
        .pool_max_idle_per_host(4)
        .tcp_nodelay(true)
        .build()?;
    let http: Client = ()
        .serve(StreamableHttpClientTransport::with_client(
            http_client,
            StreamableHttpClientTransportConfig::with_uri(format!("http://127.0.0.1:{port}/mcp"))
                .auth_header(token),
        ))
        .await?;
    let peer: Client = ()
        .serve(TokioChildProcess::new(
            tokio::process::Command::new(&peer_bin).configure(|c| {
                c.arg("--db-path").arg(&peer_db).stderr(Stdio::null());
            }),
        )?)
        .await?;

    println!(
        "\nCountersign MCP benchmark: {} customers, {} invoices, {} calls per query, sequential, one client",
        o.customers, o.invoices, o.calls
    );
    println!(
        "machine: {} cores, {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        std::env::consts::ARCH
    );
    println!(
        "\n| query / transport                  | p50 ms   | p95 ms   | p99 ms   | calls/s   | vs peer | steal ms |"
    );
    println!(
        "|------------------------------------|----------|----------|----------|-----------|--------|----------|"
    );
    for q in &qs {
        let peer_calls: Vec<(String, Value)> = q
            .peer
            .iter()
            .map(|sql| ("read_query".to_owned(), json!({"query": sql})))
            .collect();
        let p = drive(&peer, &peer_db, &peer_calls).await?;
        let s = drive(&stdio, &db, &q.ours).await?;
        let h = drive(&http, &db, &q.ours).await?;
        row(&format!("{} — stdio", q.name), &s, Some(&p));
        row(&format!("{} — HTTP", q.name), &h, Some(&p));
        row(&format!("{} — peer (stdio)", q.name), &p, None);
        if let Some(same) = &q.peer_same_sql {
            let calls: Vec<(String, Value)> = same
                .iter()
                .map(|sql| ("read_query".to_owned(), json!({"query": sql})))
                .collect();
            let p2 = drive(&peer, &peer_db, &calls).await?;
            row(&format!("{} — peer, our SQL", q.name), &p2, None);
            row(&format!("{} — stdio vs that", q.name), &s, Some(&p2));
        }
    }
    stdio.cancel().await?;
    http.cancel().await?;
    peer.cancel().await?;
    let _ = Command::new("kill").arg(server.id().to_string()).status();
    let _ = server.wait();
    Ok(())
}
