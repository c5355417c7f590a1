//! The window the desktop scenarios drive: the built `countersign-desktop` under its own Xvfb,
//! through tauri-driver + WebKitWebDriver with fantoccini; and the Python MCP SDK assistant
//! (tests/clients/propose.py) that files drafts and escalations on the same desk.

use anyhow::{Context, Result, bail};
use countersign_e2e::{free_port, tool};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long the window may take to show the inbox (cold start, first paint).
pub(super) const START_LIMIT: Duration = Duration::from_secs(30);
/// How long an action's visible effect may take.
pub(super) const ACTION_LIMIT: Duration = Duration::from_secs(10);
/// The promise: an assistant's draft shows in the open window within one second.
pub(super) const LIVE_LIMIT: Duration = Duration::from_secs(1);

/// A virtual X server on a display number it picks itself.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Result<Self> {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1920x1080x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("start Xvfb (apt-get install xvfb; `cargo xtask test` does)")?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("Xvfb stdout")?).read_line(&mut line)?;
        let n: u32 = line
            .trim()
            .parse()
            .context("Xvfb did not report its display")?;
        Ok(Self {
            child,
            display: format!(":{n}"),
        })
    }
}

/// The element went between finding it and acting on it: a live refresh rebuilt it (a draft
/// filed, a sync). A person would act on the new one; so does the test, from the start (a
/// field is cleared again before typing).
fn replaced(e: &fantoccini::error::CmdError) -> bool {
    e.is_stale_element_reference()
        || e.is_no_such_element()
        || e.is_element_not_interactable()
        || e.to_string().contains("not found")
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

/// SIGTERM (so tauri-driver stops its WebKitWebDriver child too), then SIGKILL after 5 s.
fn terminate(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn wait_for_port(port: u16, limit: Duration, what: &str) -> Result<()> {
    let deadline = Instant::now() + limit;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("{what} did not listen on {port} within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// tauri-driver (and the WebKitWebDriver it starts) on free ports, on `xvfb`'s display.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// The driver (and through it the app) gets `env` on top of the display.
    fn start(xvfb: &Xvfb, env: &[(&str, &str)]) -> Result<Self> {
        let (port, native) = (free_port()?, free_port()?);
        let child = Command::new(tool("COUNTERSIGN_TAURI_DRIVER"))
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("DISPLAY", &xvfb.display)
            .env_remove("WAYLAND_DISPLAY")
            // The app's own notifications must not find a session bus of the machine's.
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
            // The window reads in the desktop's language: English unless a test says otherwise,
            // whatever the machine's locale is.
            .env("LANG", "en_US.UTF-8")
            .env("LANGUAGE", "en_US")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("start tauri-driver")?;
        let driver = Self { child, port };
        wait_for_port(port, Duration::from_secs(20), "tauri-driver")?;
        // tauri-driver listens before its WebKitWebDriver does; a session needs both.
        wait_for_port(native, Duration::from_secs(20), "WebKitWebDriver")?;
        Ok(driver)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

/// The app in a window, with what it runs on. Dropped in field order: session, driver, display.
pub(super) struct Window {
    pub client: Client,
    _driver: Driver,
    _xvfb: Xvfb,
    /// How long the app took from session request to the inbox rendered.
    pub started_in: Duration,
}

impl Window {
    /// The `demo` profile under `data_dir`, created by the app on first start.
    pub async fn open(data_dir: &Path) -> Result<Self> {
        Self::open_on(data_dir, "demo", &[]).await
    }

    /// `profile` under `data_dir`, the app (and its driver) run with `env` added.
    pub async fn open_on(data_dir: &Path, profile: &str, env: &[(&str, &str)]) -> Result<Self> {
        // A loaded machine sometimes starts WebKit slower than tauri-driver waits for it
        // ("webdriver server did not respond"): the session, not the app, failed. One fresh
        // display and driver get a second chance; what the test checks is never retried.
        match Self::open_once(data_dir, profile, env).await {
            Err(e) if format!("{e:#}").contains("did not respond") => {
                eprintln!("WebDriver session failed to start ({e:#}); starting a fresh one");
                Self::open_once(data_dir, profile, env).await
            }
            other => other,
        }
    }

    async fn open_once(data_dir: &Path, profile: &str, env: &[(&str, &str)]) -> Result<Self> {
        let xvfb = Xvfb::start()?;
        let driver = Driver::start(&xvfb, env)?;
        let app = tool("COUNTERSIGN_DESKTOP_BIN");
        let args = [
            "--data-dir".to_owned(),
            data_dir.display().to_string(),
            "--profile".to_owned(),
            profile.to_owned(),
            "--mcp-port".to_owned(),
            free_port()?.to_string(),
        ];
        let caps = json!({
            "browserName": "wry",
            "tauri:options": {"application": app, "args": args},
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let started = Instant::now();
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .context("WebDriver session with the app")?;
        let window = Self {
            client,
            _driver: driver,
            _xvfb: xvfb,
            started_in: Duration::ZERO,
        };
        window.wait_css("#inbox-rows .row", START_LIMIT).await?;
        Ok(Self {
            started_in: started.elapsed(),
            ..window
        })
    }

    /// Waits until `css` matches an element; returns how long that took.
    pub async fn wait_css(&self, css: &str, limit: Duration) -> Result<Duration> {
        self.wait_text(css, "", limit).await
    }

    /// Waits until the element matching `css` exists and its text contains `needle`.
    pub async fn wait_text(&self, css: &str, needle: &str, limit: Duration) -> Result<Duration> {
        let started = Instant::now();
        let mut last = String::from("(no such element)");
        while started.elapsed() < limit {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return Ok(started.elapsed());
                }
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        // What the window last said: a refusal or an error is in the toast.
        let toast = match self.client.find(Locator::Css("#toast")).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => "(none)".into(),
        };
        bail!("after {limit:?}, `{css}` shows {last:?}, not {needle:?} (toast: {toast:?})")
    }

    /// The text of the element matching `css` now.
    pub async fn text(&self, css: &str) -> Result<String> {
        let el = self.client.find(Locator::Css(css)).await?;
        Ok(el.text().await?)
    }

    /// Waits until nothing matches `css`.
    pub async fn wait_gone(&self, css: &str, limit: Duration) -> Result<()> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if self.client.find(Locator::Css(css)).await.is_err() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        bail!("after {limit:?}, `{css}` is still there")
    }

    /// Clicks what matches `css`. The window is live (the desk drafts, syncs and refreshes by
    /// itself), so an element found may be replaced before the click lands: find it again.
    pub async fn click(&self, css: &str) -> Result<()> {
        self.retry(css, |el| async move { el.click().await.map(|_| ()) })
            .await
    }

    /// Chooses `value` in the `<select>` that matches `css` (found again if a refresh replaced it).
    pub async fn select(&self, css: &str, value: &str) -> Result<()> {
        let value = value.to_owned();
        self.retry(css, move |el| {
            let value = value.clone();
            async move { el.select_by_value(&value).await }
        })
        .await
    }

    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let text = text.to_owned();
        self.retry(css, move |el| {
            let text = text.clone();
            async move {
                el.clear().await?;
                el.send_keys(&text).await
            }
        })
        .await
    }

    async fn retry<F, Fut>(&self, css: &str, act: F) -> Result<()>
    where
        F: Fn(fantoccini::elements::Element) -> Fut,
        Fut: std::future::Future<Output = Result<(), fantoccini::error::CmdError>>,
    {
        let started = Instant::now();
        loop {
            self.wait_css(css, ACTION_LIMIT).await?;
            let outcome = match self.client.find(Locator::Css(css)).await {
                Ok(el) => {
                    // WebKitWebDriver acts only on what is in view, as a person does.
                    let arg = serde_json::to_value(&el).unwrap_or_default();
                    let _ = self
                        .client
                        .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
                        .await;
                    act(el).await
                }
                Err(e) => Err(e),
            };
            match outcome {
                Ok(()) => return Ok(()),
                Err(e) if started.elapsed() < ACTION_LIMIT && replaced(&e) => {
                    tokio::time::sleep(Duration::from_millis(25)).await;
                }
                Err(e) => {
                    let kind = match &e {
                        fantoccini::error::CmdError::Standard(w) => format!("{:?}", w.error),
                        other => format!("{other:?}"),
                    };
                    return Err(e).with_context(|| format!("act on {css} ({kind})"));
                }
            }
        }
    }

    /// Presses a shortcut key on the page (as a person would, focus outside any field).
    pub async fn press(&self, key: &str) -> Result<()> {
        self.client
            .execute(
                "document.activeElement && document.activeElement.blur(); \
                 window.dispatchEvent(new KeyboardEvent('keydown', {key: arguments[0], bubbles: true}));",
                vec![json!(key)],
            )
            .await?;
        Ok(())
    }

    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        // WebKit captures the last composited frame: wait until the current DOM was painted
        // (two animation frames), or the picture may show the page before the last action.
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await
            .context("wait for the page to be painted")?;
        let png = self.client.screenshot().await?;
        let dir = tool("COUNTERSIGN_SCREENSHOTS");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    pub async fn close(self) -> Result<()> {
        self.client.close().await?;
        Ok(())
    }
}
