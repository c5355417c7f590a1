//! The platform under its normal load: many desktops pushing their outboxes at once (the desk's
//! real push code, in this process: one `Store` per simulated desktop), while hundreds of
//! desktops hold the event stream open and must each hear about every move of the feed.

use anyhow::{Context, Result, bail};
use countersign_core::Store;
use countersign_core::sync::{self, PlatformClient};
use countersign_model::sync::ChangeEvent;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// Event streams held open; each remembers the last cursor it was told.
pub struct Streams {
    cursors: Arc<Vec<AtomicI64>>,
    events: Arc<Vec<AtomicU64>>,
    /// Streams that ended (the platform closed them or the connection broke).
    ended: Arc<AtomicU64>,
    _tasks: JoinSet<()>,
}

impl Streams {
    /// Opens `n` streams and waits until each has its first event (the cursor now).
    pub async fn open(base: &str, token: &str, n: usize) -> Result<Self> {
        let cursors: Arc<Vec<AtomicI64>> = Arc::new((0..n).map(|_| AtomicI64::new(-1)).collect());
        let events: Arc<Vec<AtomicU64>> = Arc::new((0..n).map(|_| AtomicU64::new(0)).collect());
        let http = reqwest::Client::builder().tcp_nodelay(true).build()?;
        let ended = Arc::new(AtomicU64::new(0));
        let mut tasks = JoinSet::new();
        for i in 0..n {
            let r = http
                .get(format!("{base}/v1/sync/events"))
                .bearer_auth(token)
                .header("accept", "text/event-stream")
                .send()
                .await?;
            if !r.status().is_success() {
                bail!("event stream {i}: {}", r.status());
            }
            let (cursors, events, ended) = (cursors.clone(), events.clone(), ended.clone());
            tasks.spawn(async move {
                read_events(r, i, cursors, events).await;
                ended.fetch_add(1, Ordering::Relaxed);
            });
        }
        let s = Self {
            cursors,
            events,
            ended,
            _tasks: tasks,
        };
        s.wait_all_at(0, Duration::from_secs(30)).await?;
        Ok(s)
    }

    /// Waits until every stream reported `cursor` or beyond; returns how long that took.
    pub async fn wait_all_at(&self, cursor: i64, limit: Duration) -> Result<Duration> {
        let started = Instant::now();
        loop {
            let behind = self
                .cursors
                .iter()
                .filter(|c| c.load(Ordering::Relaxed) < cursor)
                .count();
            if behind == 0 {
                return Ok(started.elapsed());
            }
            if started.elapsed() > limit {
                bail!(
                    "{behind} of {} event streams did not report cursor {cursor} within {limit:?}",
                    self.cursors.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Streams still open, and the fewest events one of them received.
    pub fn held(&self) -> (usize, u64) {
        let open = self.cursors.len() - self.ended.load(Ordering::Relaxed) as usize;
        let fewest = self
            .events
            .iter()
            .map(|e| e.load(Ordering::Relaxed))
            .min()
            .unwrap_or(0);
        (open, fewest)
    }
}

async fn read_events(
    mut r: reqwest::Response,
    i: usize,
    cursors: Arc<Vec<AtomicI64>>,
    events: Arc<Vec<AtomicU64>>,
) {
    let mut buf = String::new();
    while let Ok(Some(chunk)) = r.chunk().await {
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let event: String = buf.drain(..end + 2).collect();
            if let Some(e) = event
                .lines()
                .find_map(|l| l.strip_prefix("data:"))
                .and_then(|d| serde_json::from_str::<ChangeEvent>(d.trim()).ok())
            {
                cursors[i].fetch_max(e.cursor, Ordering::Relaxed);
                events[i].fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// What the simulated desktops did.
pub struct Pushed {
    pub mutations: u64,
    pub applied: u64,
    pub rejected: u64,
    pub elapsed: Duration,
    /// Each desktop's time to deliver its whole outbox.
    pub per_desktop: Vec<Duration>,
}

/// Fills `per_desk` mutations into the outbox of each of `desktops` new desks — internal notes,
/// assignments and status changes on random tickets of the tenant, as agents make them — and
/// pushes them all at once through the desk's push code. Returns when every outbox is empty.
pub async fn desktops(
    dir: &std::path::Path,
    base: &str,
    token: &str,
    tickets: &[String],
    desktops: usize,
    per_desk: usize,
) -> Result<Pushed> {
    // Tickets go to the token's own agent or to nobody: the platform takes only its agents' ids.
    let me = PlatformClient::new(base, token)?.me().await?;
    let mut desks = Vec::with_capacity(desktops);
    let mut rng = crate::load::Rng::new(23);
    for d in 0..desktops {
        let store = Store::open(&dir.join(format!("desk{d}.sqlite3"))).await?;
        let device = sync::device_id(&store).await?;
        let mut tx = store.pool().begin().await?;
        for m in 0..per_desk {
            let ticket = &tickets[rng.below(tickets.len() as u64) as usize];
            let (kind, payload) = match rng.below(10) {
                0..=6 => (
                    "add_note",
                    json!({"ticket_id": ticket, "message_id": format!("msg_bench{d}x{m}"),
                           "body": "Checked the invoice with billing; it was charged once.",
                           "author": "Sam Agent", "author_kind": "agent"}),
                ),
                7 | 8 => (
                    "assign",
                    json!({"ticket_id": ticket, "assignee": (d % 2 == 0).then_some(&me.agent.id)}),
                ),
                _ => {
                    let status = ["open", "pending", "solved"][m % 3];
                    ("set_status", json!({"ticket_id": ticket, "status": status}))
                }
            };
            sqlx::query(
                "INSERT INTO outbox (mutation_id, kind, payload, based_on, created_at) \
                 VALUES (?, ?, ?, '{}', '2026-01-01T00:00:00.000Z')",
            )
            .bind(format!("mut_bench{d}x{m}"))
            .bind(kind)
            .bind(payload.to_string())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        desks.push((store, device, PlatformClient::new(base, token)?));
    }
    let started = Instant::now();
    let mut jobs = JoinSet::new();
    for (store, device, client) in desks {
        jobs.spawn(async move {
            let r = sync::push(&store, &client, &device).await;
            let took = started.elapsed();
            store.close().await;
            r.map(|r| (r, took))
        });
    }
    let mut out = Pushed {
        mutations: (desktops * per_desk) as u64,
        applied: 0,
        rejected: 0,
        elapsed: Duration::ZERO,
        per_desktop: vec![],
    };
    while let Some(j) = jobs.join_next().await {
        let (report, took) = j.context("a desktop's task")??;
        out.applied += report.applied;
        out.rejected += report.rejected;
        out.per_desktop.push(took);
    }
    out.elapsed = started.elapsed();
    Ok(out)
}
