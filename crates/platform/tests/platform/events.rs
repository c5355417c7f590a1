//! Server-Sent Events: the current cursor first, then a poke within a second of a commit.

use crate::support::{TestApp, spawn_app};
use std::time::Duration;

/// An open event stream, read event by event.
pub struct Events {
    res: reqwest::Response,
    buffer: String,
}

impl Events {
    pub async fn open(app: &TestApp, token: &str) -> Events {
        let res = app
            .http
            .get(app.url("/v1/sync/events"))
            .bearer_auth(token)
            .send()
            .await
            .expect("open the event stream");
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "text/event-stream");
        Events {
            res,
            buffer: String::new(),
        }
    }

    /// Whether the platform ends the stream within `wait` (events before the end are skipped).
    pub async fn ended(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.res.chunk()).await {
                Err(_) => return false,
                Ok(Ok(Some(_))) => continue,
                Ok(Ok(None) | Err(_)) => return true,
            }
        }
    }

    /// The name and data of the next event, or `None` if none comes within `wait`.
    pub async fn next_event(&mut self, wait: Duration) -> Option<(String, serde_json::Value)> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let name = block.lines().find_map(|l| l.strip_prefix("event: "));
                let data = block.lines().find_map(|l| l.strip_prefix("data: "));
                if let (Some(name), Some(data)) = (name, data) {
                    let data = serde_json::from_str(data).expect("event data is JSON");
                    return Some((name.to_owned(), data));
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.res.chunk())
                .await
                .ok()?;
            let chunk = chunk.expect("the stream stays open")?;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The data of the next event called `name` within `wait` (others are skipped).
    async fn next_named(&mut self, name: &str, wait: Duration) -> Option<serde_json::Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let (n, data) = self.next_event(left).await?;
            if n == name {
                return Some(data);
            }
        }
    }

    /// The data of the next `presence` event, or `None` if none comes within `wait`.
    pub async fn next_presence(&mut self, wait: Duration) -> Option<serde_json::Value> {
        self.next_named("presence", wait).await
    }

    /// The cursor of the next `change` event, or `None` if none comes within `wait`.
    pub async fn next_cursor(&mut self, wait: Duration) -> Option<i64> {
        let v = self.next_named("change", wait).await?;
        Some(v["cursor"].as_i64().expect("a cursor"))
    }
}

#[tokio::test]
async fn a_commit_reaches_a_listening_desktop_within_a_second() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    let mut events = Events::open(&app, &t.supervisor).await;
    let first = events.next_cursor(Duration::from_secs(5)).await;
    assert_eq!(
        first,
        Some(crate::support::AGENTS as i64 + 3),
        "the stream starts with the current cursor"
    );

    // Another connection commits: the customer writes again.
    let started = std::time::Instant::now();
    app.customer_writes(&t.ingest, "anna@example.com", Some(&ticket), "Any news?")
        .await;
    let poke = events.next_cursor(Duration::from_secs(1)).await;
    assert_eq!(
        poke,
        Some(crate::support::AGENTS as i64 + 5),
        "a change event with the new cursor within 1 s"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}
