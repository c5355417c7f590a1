//! The desk's side of an initial sync, without the platform or the network: how fast pages of
//! the change feed are parsed (as the sync client parses a response body), read into rows and
//! applied to an empty desk, one after another (the sync client reads a page while the desk
//! applies the one before). The feed is built from a seeded desk's rows, each record with the desk's column
//! names as the platform sends them (invoices with their `line_items`), 1 000 changes per page
//! as the client asks for.
//!
//! ```text
//! countersign --data-dir /var/tmp/cs-bench demo --customers 100000 --invoices 1000000 --tickets 20000
//! COUNTERSIGN_BENCH_DESK=/var/tmp/cs-bench/profiles/demo/desk.sqlite3 cargo bench -p countersign-core --bench sync_apply
//! ```
//! Or the platform's own feed, saved by the sync bench (`COUNTERSIGN_BENCH_SAVE_FEED=DIR cargo
//! xtask bench-sync`): set `COUNTERSIGN_BENCH_FEED=DIR` as well, and the pages are read from
//! there instead of built from the desk.
//!
//! The empty desk is created next to the source desk (same disk) and removed afterwards.

use countersign_core::Store;
use countersign_core::sync::{PageWriter, read_page};
use countersign_model::sync::{Entity, RawChange, RawChangesPage};
use serde_json::value::RawValue;
use sqlx::SqlitePool;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const PAGE: usize = 1000;

/// The desk table an entity's records come from. Escalations are the desk's own in a demo
/// desk, not the feed's, so they are left out.
fn table(entity: Entity) -> Option<&'static str> {
    (entity != Entity::Escalation).then_some(entity.table())
}

async fn column_names(pool: &SqlitePool, table: &str) -> Vec<String> {
    sqlx::query_scalar::<_, String>("SELECT name FROM pragma_table_info(?) ORDER BY cid")
        .bind(table)
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c != "synced_at")
        .collect()
}

fn json_object(cols: &[String], prefix: &str) -> String {
    let pairs: Vec<String> = cols.iter().map(|c| format!("'{c}', {prefix}{c}")).collect();
    format!("json_object({})", pairs.join(", "))
}

/// Every record of `entity` in the source desk, as the feed carries it.
async fn records(pool: &SqlitePool, entity: Entity, table: &str) -> Vec<(String, i64, String)> {
    let mut object = json_object(&column_names(pool, table).await, "t.");
    if entity == Entity::Invoice {
        let items = json_object(&column_names(pool, "invoice_line_items").await, "li.");
        object.insert_str(
            object.len() - 1,
            &format!(
                ", 'line_items', json((SELECT json_group_array({items}) \
                 FROM invoice_line_items li WHERE li.invoice_id = t.id))"
            ),
        );
    }
    let sql = format!("SELECT t.id, t.version, {object} FROM {table} t ORDER BY t.rowid");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await
        .unwrap()
}

/// The feed of the whole source desk, as response bodies of `PAGE` changes each.
async fn feed(source: &SqlitePool) -> (Vec<String>, Vec<(Entity, u64)>) {
    let mut bodies = Vec::new();
    let mut counts = Vec::new();
    let mut seq = 0i64;
    for entity in Entity::ALL {
        let Some(table) = table(entity) else { continue };
        let rows = records(source, entity, table).await;
        counts.push((entity, rows.len() as u64));
        for chunk in rows.chunks(PAGE) {
            let changes = chunk
                .iter()
                .map(|(id, version, data)| {
                    seq += 1;
                    RawChange {
                        seq,
                        entity,
                        id: id.clone(),
                        version: *version,
                        data: RawValue::from_string(data.clone()).unwrap(),
                    }
                })
                .collect();
            let page = RawChangesPage {
                changes,
                cursor: seq,
                has_more: true,
            };
            bodies.push(serde_json::to_string(&page).unwrap());
        }
    }
    (bodies, counts)
}

/// A feed the sync bench saved (`COUNTERSIGN_BENCH_SAVE_FEED`): the platform's own bodies.
fn saved_feed(dir: &Path) -> (Vec<String>, Vec<(Entity, u64)>) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("read the saved feed")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let bodies: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let mut counts: Vec<(Entity, u64)> = Entity::ALL.iter().map(|e| (*e, 0)).collect();
    for body in &bodies {
        let page: RawChangesPage = serde_json::from_str(body).unwrap();
        for c in &page.changes {
            counts.iter_mut().find(|(e, _)| *e == c.entity).unwrap().1 += 1;
        }
    }
    counts.retain(|(_, n)| *n > 0);
    (bodies, counts)
}

fn rate(n: u64, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

fn main() {
    let desk = std::env::var_os("COUNTERSIGN_BENCH_DESK").map(PathBuf::from);
    let saved = std::env::var_os("COUNTERSIGN_BENCH_FEED").map(PathBuf::from);
    // The empty desk goes next to the source (same disk).
    let next_to = match (&saved, &desk) {
        (Some(feed), _) => feed.parent().unwrap_or(feed).to_owned(),
        (None, Some(desk)) => desk.parent().unwrap_or(desk).to_owned(),
        (None, None) => {
            eprintln!(
                "set COUNTERSIGN_BENCH_DESK to a seeded desk.sqlite3, or COUNTERSIGN_BENCH_FEED \
                 to a saved feed (see the file's doc)"
            );
            return;
        }
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let started = Instant::now();
        let (bodies, counts) = match (&saved, &desk) {
            (Some(dir), _) => saved_feed(dir),
            (None, Some(path)) => {
                let source = Store::open(path).await.unwrap();
                let built = feed(source.pool()).await;
                source.close().await;
                built
            }
            (None, None) => unreachable!("checked above"),
        };
        let bytes: usize = bodies.iter().map(String::len).sum();
        println!(
            "feed: {} pages, {} MB, built in {:.1?}",
            bodies.len(),
            bytes >> 20,
            started.elapsed()
        );

        let dir = tempfile::tempdir_in(&next_to).unwrap();
        let desk = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        let (mut parsing, mut reading, mut applying) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        let mut per_entity: Vec<(Entity, Duration)> = Vec::new();
        let mut changes = 0u64;
        let mut writer = None;
        for body in &bodies {
            let t = Instant::now();
            let raw: RawChangesPage = serde_json::from_str(body).unwrap();
            parsing += t.elapsed();
            let t = Instant::now();
            let page = read_page(&raw).unwrap();
            reading += t.elapsed();
            let t = Instant::now();
            if writer.is_none() {
                writer = Some(PageWriter::start(&desk, 0, page.has_more).await.unwrap());
            }
            let writer = writer.as_mut().unwrap();
            writer.apply(&page).await.unwrap();
            let took = t.elapsed();
            applying += took;
            changes += page.changes as u64;
            let entity = raw.changes[0].entity;
            match per_entity.last_mut() {
                Some((e, d)) if *e == entity => *d += took,
                _ => per_entity.push((entity, took)),
            }
        }
        let t = Instant::now();
        let writer = writer.expect("the source desk has records");
        // The slowest steps of creating the indexes again, for where the time goes.
        let mut steps: Vec<(String, Duration)> = Vec::new();
        let mut last = Instant::now();
        writer
            .finish(&mut |what, done, total| {
                steps.push((format!("{what} {done}/{total}"), last.elapsed()));
                last = Instant::now();
            })
            .await
            .unwrap();
        steps.sort_by_key(|s| std::cmp::Reverse(s.1));
        let slowest: Vec<String> = steps
            .iter()
            .take(6)
            .map(|(step, d)| format!("{step} {:.2} s", d.as_secs_f64()))
            .collect();
        println!("slowest index steps: {}", slowest.join(", "));
        let indexing = t.elapsed();
        applying += indexing;
        // A page is timed under the entity of its first change (a saved feed mixes them).
        println!("| entity        |   records |  apply s | records/s |");
        println!("|---------------|----------:|---------:|----------:|");
        for (entity, n) in &counts {
            let d = per_entity
                .iter()
                .filter(|(e, _)| e == entity)
                .map(|(_, d)| *d)
                .sum::<Duration>();
            println!(
                "| {:<13} | {n:>9} | {:>8.2} | {:>9.0} |",
                format!("{entity:?}"),
                d.as_secs_f64(),
                rate(*n, d)
            );
        }
        let issue_rows: u64 = counts
            .iter()
            .filter(|(e, _)| matches!(e, Entity::Customer | Entity::Invoice | Entity::Ticket))
            .map(|(_, n)| n)
            .sum();
        println!(
            "parse {:.2} s, read {:.2} s, apply {:.2} s (of which creating the indexes set aside {:.2} s): {changes} changes at {:.0}/s; {issue_rows} customers+invoices+tickets at {:.0} rows/s",
            parsing.as_secs_f64(),
            reading.as_secs_f64(),
            applying.as_secs_f64(),
            indexing.as_secs_f64(),
            rate(changes, parsing + reading + applying),
            rate(issue_rows, parsing + reading + applying)
        );
        desk.close().await;
    });
}
