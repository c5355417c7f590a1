//! A TCP proxy that can lose or hold the platform's answers.

use anyhow::{Context, Result};
use std::time::Duration;

/// What the [`Proxy`] does with the platform's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ProxyMode {
    /// Forward both ways.
    Pass = 0,
    /// Forward requests; when the platform starts answering, cut the client's connection: the
    /// platform has committed, the desk never hears it.
    DropAnswers = 1,
    /// Forward requests; keep the answers back (the desk waits, e.g. to be killed mid-push).
    HoldAnswers = 2,
}

/// A TCP proxy between desks and the platform that can lose or hold the platform's answers.
pub struct Proxy {
    pub url: String,
    mode: std::sync::Arc<std::sync::atomic::AtomicU8>,
    /// Answers the platform started sending (dropped or held ones included).
    answers: std::sync::Arc<std::sync::atomic::AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    pub async fn start(target: &str) -> Result<Self> {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let target = target
            .strip_prefix("http://")
            .context("an http:// target")?
            .to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let mode = Arc::new(AtomicU8::new(ProxyMode::Pass as u8));
        let answers = Arc::new(AtomicU64::new(0));
        let (m, a) = (mode.clone(), answers.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(upstream) = tokio::net::TcpStream::connect(&target).await else {
                    continue;
                };
                let (mode, answers) = (m.clone(), a.clone());
                tokio::spawn(async move {
                    let (mut cr, mut cw) = client.into_split();
                    let (mut ur, mut uw) = upstream.into_split();
                    let up = tokio::spawn(async move {
                        let _ = tokio::io::copy(&mut cr, &mut uw).await;
                        let _ = uw.shutdown().await;
                    });
                    let mut buf = vec![0u8; 64 * 1024];
                    let mut answering = false;
                    loop {
                        let n = match ur.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        if !answering {
                            answering = true;
                            answers.fetch_add(1, Ordering::SeqCst);
                        }
                        // Hold: wait until told otherwise (or the desk goes away).
                        while mode.load(Ordering::SeqCst) == ProxyMode::HoldAnswers as u8 {
                            tokio::time::sleep(Duration::from_millis(5)).await;
                        }
                        if mode.load(Ordering::SeqCst) == ProxyMode::DropAnswers as u8 {
                            break;
                        }
                        if cw.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                    up.abort();
                });
            }
        });
        Ok(Self {
            url,
            mode,
            answers,
            task,
        })
    }

    pub fn set(&self, mode: ProxyMode) {
        self.mode
            .store(mode as u8, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn answers(&self) -> u64 {
        self.answers.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}
