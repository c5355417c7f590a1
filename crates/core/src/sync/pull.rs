//! Pull: the tenant's change feed into the desk, page after page (each page: see
//! [`super::page`]), from the desk's cursor until the platform has no more.

use super::initial::PageWriter;
use super::page::read_page;
use super::{PlatformClient, cursor};
use crate::{Error, Result, Store};
use std::time::Instant;

/// Changes per pull request.
const PAGE: i64 = 1000;

/// Progress of a pull, reported after each applied page, and while a first sync creates its
/// indexes again at the end (see [`super::initial`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PullProgress {
    pub changes: u64,
    pub rows_changed: u64,
    pub cursor: i64,
    pub changes_per_sec: f64,
    /// Set while the indexes are being created: what (`indexes`, `search index`), how many
    /// done, of how many.
    pub indexing: Option<(&'static str, u64, u64)>,
}

/// Pages fetched ahead of the one the desk is applying.
const AHEAD: usize = 4;

/// Pulls every change after the desk's cursor, page by page. Fetching, reading and applying
/// are a pipeline: while the desk applies a page, the pages after it are being read into rows
/// (on blocking threads) and fetched (each as soon as the one before has arrived, since it
/// starts at that page's cursor), up to [`AHEAD`] pages ahead. The cursor still moves only
/// with each applied page. A first sync with more than a page to load sets the indexes aside
/// while it loads (see [`super::initial`]).
pub async fn pull(
    store: &Store,
    client: &PlatformClient,
    mut progress: impl FnMut(PullProgress) + Send,
) -> Result<(u64, u64, i64)> {
    let started = Instant::now();
    let (mut changes, mut rows) = (0u64, 0u64);
    let after = cursor(store).await?;
    let first = client.changes(after, PAGE).await?;
    let mut writer = PageWriter::start(store, after, first.has_more).await?;
    let mut report = |changes, rows, cursor, indexing| {
        progress(PullProgress {
            changes,
            rows_changed: rows,
            cursor,
            changes_per_sec: changes as f64 / started.elapsed().as_secs_f64().max(1e-6),
            indexing,
        })
    };
    let (queue, mut pages) = tokio::sync::mpsc::channel(AHEAD);
    let fetch = async move {
        let mut next = Ok(first);
        loop {
            let page = match next {
                Ok(page) => page,
                Err(e) => {
                    let _ = queue.send(Err(e)).await;
                    return Ok(());
                }
            };
            let more = page.has_more.then_some(page.cursor);
            let reading = tokio::task::spawn_blocking(move || read_page(&page));
            if queue.send(Ok(reading)).await.is_err() {
                return Ok(()); // the desk stopped applying
            }
            let Some(cursor) = more else { return Ok(()) };
            next = client.changes(cursor, PAGE).await;
        }
    };
    let mut cursor = after;
    let apply = async {
        while let Some(next) = pages.recv().await {
            let page = next?.await.map_err(|e| {
                Error::Internal(format!("reading a page of the feed failed: {e}"))
            })??;
            rows += writer.apply(&page).await?;
            changes += page.changes as u64;
            cursor = page.cursor;
            report(changes, rows, cursor, None);
        }
        Ok::<_, Error>(())
    };
    // An error applying ends the fetching at once; one fetching is applied after the pages
    // before it.
    tokio::try_join!(fetch, apply)?;
    writer
        .finish(&mut |what, done, total| report(changes, rows, cursor, Some((what, done, total))))
        .await?;
    Ok((changes, rows, cursor))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{customer_record, page};
    use super::super::{PlatformClient, status};
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A platform that answers `GET /v1/sync/changes?after=N` with the page given for N, and
    /// hangs up without an answer for any other N (an answer lost on the way).
    async fn platform(pages: Vec<(i64, String)>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                let pages = pages.clone();
                tokio::spawn(async move {
                    let mut pending = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        let end = loop {
                            if let Some(i) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                                break i + 4;
                            }
                            match conn.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => pending.extend_from_slice(&chunk[..n]),
                            }
                        };
                        let head = String::from_utf8_lossy(&pending[..end]).into_owned();
                        pending.drain(..end);
                        let after = head
                            .split("after=")
                            .nth(1)
                            .and_then(|r| r.split(['&', ' ']).next())
                            .and_then(|a| a.parse::<i64>().ok());
                        let Some((_, body)) = pages.iter().find(|(a, _)| Some(*a) == after) else {
                            return;
                        };
                        let answer = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                             content-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if conn.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        url
    }

    /// The feed page after `after`: customers `seqs`, and whether more follow.
    fn body(seqs: &[i64], has_more: bool) -> String {
        let changes = seqs
            .iter()
            .map(|s| customer_record(*s, &format!("cus_{s}"), 1, &format!("Customer {s}")))
            .collect();
        let mut p = page(*seqs.last().unwrap(), changes);
        p.has_more = has_more;
        serde_json::to_string(&p).unwrap()
    }

    async fn customers(store: &Store) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM customers")
            .fetch_one(store.pool())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_pull_that_loses_a_page_keeps_the_pages_before_it_and_resumes_after_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        let first = vec![(0, body(&[1, 2], true)), (2, body(&[3, 4], true))];
        let client = PlatformClient::new(&platform(first.clone()).await, "t").unwrap();
        let err = pull(&store, &client, |_| {}).await.unwrap_err();
        assert_eq!(
            err.code(),
            countersign_model::ErrorCode::Unavailable,
            "{err}"
        );
        assert_eq!(cursor(&store).await.unwrap(), 4, "both pages before it");
        assert_eq!(customers(&store).await, 4);
        assert!(status(&store).await.unwrap().first_sync_loading);

        let mut all = first;
        all.push((4, body(&[5], false)));
        let client = PlatformClient::new(&platform(all).await, "t").unwrap();
        let (changes, rows, at) = pull(&store, &client, |_| {}).await.unwrap();
        assert_eq!(
            (changes, rows, at),
            (1, 1, 5),
            "only what it had not applied"
        );
        assert_eq!(customers(&store).await, 5);
        assert!(!status(&store).await.unwrap().first_sync_loading);
    }
}
