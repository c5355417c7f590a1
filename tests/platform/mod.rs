//! A real central platform for the end-to-end tests: PostgreSQL (a throwaway cluster), the
//! `countersign-platform` binary as a process that tests can kill and restart, a tenant with an
//! agent and a supervisor, and a D-Bus session with an unlocked GNOME Keyring so desktops keep
//! their platform tokens in a real OS keyring.

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tempfile::TempDir;

mod desks;
mod keyring;
mod proxy;

pub use desks::{desk_command, desk_path, sync_login};
pub use keyring::KeyringSession;
pub use proxy::{Proxy, ProxyMode};

pub const ADMIN_TOKEN: &str = "e2e-admin-token-0123456789abcdef";
/// The platform's secrets key (seals billing keys and webhook secrets at rest).
pub const SECRETS_KEY: &str = "e2e5ec7e5ec7e5ec7e5ec7e5ec7e5ec7e5ec7e5ec7e5ec7e5ec7e5ec7e5ec7e5";
/// The signing secret of the tenant's FlexPrice webhook endpoint.
pub const WEBHOOK_SECRET: &str = "whsec_ZTJlLXdlYmhvb2stc2VjcmV0LW9mLWFjbWU=";

fn cluster() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        std::env::var("COUNTERSIGN_TEST_DATABASE_URL").unwrap_or_else(|_| {
            countersign_platform::testing::start_cluster()
                .unwrap_or_else(|e| panic!("cannot start PostgreSQL for the sync tests: {e}"))
        })
    })
}

/// The `countersign-platform` binary beside the `countersign` one.
fn platform_bin() -> PathBuf {
    crate::tool("COUNTERSIGN_BIN").with_file_name("countersign-platform")
}

/// Waits for `check` with a deadline; never a fixed sleep.
pub fn wait_for(what: &str, limit: Duration, mut check: impl FnMut() -> bool) -> Result<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check() {
            return Ok(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    bail!("{what}: not within {limit:?}")
}

/// A tenant's tokens: its agent's and supervisor's desks, and its integrations' ingest token.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: String,
    pub agent: String,
    pub supervisor: String,
    pub ingest: String,
}

/// The platform process on a fixed port over one database, so it can be killed and restarted.
pub struct Platform {
    pub url: String,
    database_url: String,
    port: u16,
    child: Option<Child>,
    log: PathBuf,
    _dir: TempDir,
}

impl Platform {
    pub fn start() -> Result<Self> {
        let name = format!("e2e_{}", countersign_core::new_id("").to_lowercase());
        let database_url = countersign_platform::testing::create_database(cluster(), &name)
            .map_err(anyhow::Error::msg)?;
        let port = crate::free_port()?;
        let dir = tempfile::tempdir()?;
        let mut p = Self {
            url: format!("http://127.0.0.1:{port}"),
            database_url,
            port,
            child: None,
            log: dir.path().join("platform.log"),
            _dir: dir,
        };
        p.up()?;
        Ok(p)
    }

    /// Starts the process (again) and waits until it answers.
    pub fn up(&mut self) -> Result<()> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)?;
        let child = Command::new(platform_bin())
            .args(["--database-url", &self.database_url])
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .args(["--admin-token", ADMIN_TOKEN])
            .env("COUNTERSIGN_SECRETS_KEY", SECRETS_KEY)
            // A crashed attempt is taken up again within seconds, not minutes.
            .args(["--billing-timeout-secs", "1", "--billing-lease-secs", "4"])
            // A send cut off before the hand-over is taken up again within seconds too.
            .args(["--mail-timeout-secs", "1", "--mail-lease-secs", "4"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .with_context(|| format!("start {}", platform_bin().display()))?;
        self.child = Some(child);
        let port = self.port;
        wait_for("the platform listens", Duration::from_secs(30), || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        })
        .with_context(|| std::fs::read_to_string(&self.log).unwrap_or_default())?;
        Ok(())
    }

    /// Runs one SQL statement on the platform's database, as an operator at a `psql` prompt
    /// would (e.g. to change an agent's role behind a desk's back).
    pub fn sql(&self, statement: &str) -> Result<()> {
        let out = Command::new("psql")
            .arg(&self.database_url)
            .args(["-v", "ON_ERROR_STOP=1", "-qc", statement])
            .output()
            .context("run psql")?;
        if !out.status.success() {
            bail!("psql: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    }

    /// The last `lines` lines the platform logged (to explain a failure).
    pub fn log_tail(&self, lines: usize) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// kill -9: the platform dies mid-whatever, as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    async fn post(&self, auth: &str, path: &str, body: Value) -> Result<Value> {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", self.url))
            .bearer_auth(auth)
            .json(&body)
            .send()
            .await?;
        let status = r.status();
        let v: Value = r.json().await?;
        if !status.is_success() {
            bail!("POST {path}: {status} {v}");
        }
        Ok(v)
    }

    /// A tenant with one agent and one supervisor, and the ingest token of the integrations that
    /// feed it (billing, mail).
    pub async fn tenant(&self) -> Result<Tenant> {
        let t = self
            .post(ADMIN_TOKEN, "/v1/admin/tenants", json!({"name": "Acme"}))
            .await?;
        let tid = t["id"].as_str().context("tenant id")?;
        let mut tokens = vec![];
        for (name, email, role) in [
            ("Sam Agent", "sam@acme.test", "agent"),
            ("Sue Supervisor", "sue@acme.test", "supervisor"),
        ] {
            let a = self
                .post(
                    ADMIN_TOKEN,
                    &format!("/v1/admin/tenants/{tid}/agents"),
                    json!({"name": name, "email": email, "role": role}),
                )
                .await?;
            let aid = a["id"].as_str().context("agent id")?;
            let tok = self
                .post(
                    ADMIN_TOKEN,
                    &format!("/v1/admin/tenants/{tid}/agents/{aid}/tokens"),
                    json!({"name": format!("{name}'s desktop")}),
                )
                .await?;
            tokens.push(tok["secret"].as_str().context("secret")?.to_owned());
        }
        let ingest = self
            .post(
                ADMIN_TOKEN,
                &format!("/v1/admin/tenants/{tid}/ingest-tokens"),
                json!({"name": "billing and mail"}),
            )
            .await?;
        Ok(Tenant {
            id: tid.to_owned(),
            agent: tokens.remove(0),
            supervisor: tokens.remove(0),
            ingest: ingest["secret"].as_str().context("secret")?.to_owned(),
        })
    }

    /// Connects the tenant to a FlexPrice at `base_url`, with its API key, that signs its
    /// webhooks with [`WEBHOOK_SECRET`].
    pub async fn connect_billing(
        &self,
        tenant: &Tenant,
        base_url: &str,
        api_key: &str,
    ) -> Result<Value> {
        let r = reqwest::Client::new()
            .put(format!(
                "{}/v1/admin/tenants/{}/billing-connector",
                self.url, tenant.id
            ))
            .bearer_auth(ADMIN_TOKEN)
            .json(&json!({"base_url": base_url, "api_key": api_key, "webhook_secret": WEBHOOK_SECRET}))
            .send()
            .await?;
        let status = r.status();
        let v: Value = r.json().await?;
        if !status.is_success() {
            bail!("PUT billing-connector: {status} {v}");
        }
        Ok(v)
    }

    /// Sets the tenant's email channel: the SMTP server on this machine at `port`, replies
    /// from support@acme.test.
    pub async fn email_channel(&self, tenant: &Tenant, port: u16) -> Result<Value> {
        let r = reqwest::Client::new()
            .put(format!(
                "{}/v1/admin/tenants/{}/email-channel",
                self.url, tenant.id
            ))
            .bearer_auth(ADMIN_TOKEN)
            .json(
                &json!({"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
                          "from_address": "support@acme.test", "from_name": "Acme Support"}),
            )
            .send()
            .await?;
        let status = r.status();
        let v: Value = r.json().await?;
        if !status.is_success() {
            bail!("PUT email-channel: {status} {v}");
        }
        Ok(v)
    }

    /// FlexPrice's webhook `event` for the tenant, signed as its Svix signs it, delivery `id`.
    pub async fn flexprice_webhook(
        &self,
        tenant: &Tenant,
        id: &str,
        event: &Value,
    ) -> Result<Value> {
        use countersign_platform::billing::svix;
        let body = event.to_string();
        let ts = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs()
            .to_string();
        let key = svix::key(WEBHOOK_SECRET).context("a whsec_ secret")?;
        let r = reqwest::Client::new()
            .post(format!("{}/v1/webhooks/flexprice/{}", self.url, tenant.id))
            .header("content-type", "application/json")
            .header("svix-id", id)
            .header("svix-timestamp", &ts)
            .header(
                "svix-signature",
                svix::signature(&key, id, &ts, body.as_bytes()),
            )
            .body(body)
            .send()
            .await?;
        let status = r.status();
        let v: Value = r.json().await?;
        if !status.is_success() {
            bail!("POST webhook: {status} {v}");
        }
        Ok(v)
    }

    /// A desk (by its token) says its person is on `ticket` (or none); answers the tenant's list.
    pub async fn presence(
        &self,
        token: &str,
        ticket: Option<&str>,
        replying: bool,
    ) -> Result<Value> {
        self.post(
            token,
            "/v1/presence",
            json!({"ticket_id": ticket, "replying": replying}),
        )
        .await
    }

    /// A channel posts `message` (an `InboundMessage`, attachments and all).
    pub async fn ingest_message(&self, token: &str, message: Value) -> Result<Value> {
        self.post(token, "/v1/ingest/messages", message).await
    }

    /// Anna writes on another thread of hers (`thread_key`): a ticket of its own.
    pub async fn customer_writes_on(
        &self,
        token: &str,
        thread_key: &str,
        subject: &str,
        body: &str,
    ) -> Result<Value> {
        self.post(
            token,
            "/v1/ingest/messages",
            json!({"customer": {"email": "anna@example.com"}, "subject": subject, "body": body,
                   "thread_key": thread_key}),
        )
        .await
    }

    /// An operator sets the tenant's escalation policy.
    pub async fn escalation_policy(&self, tenant: &Tenant, policy: Value) -> Result<Value> {
        let r = reqwest::Client::new()
            .put(format!(
                "{}/v1/admin/tenants/{}/escalation-policy",
                self.url, tenant.id
            ))
            .bearer_auth(ADMIN_TOKEN)
            .json(&policy)
            .send()
            .await?;
        let status = r.status();
        let v: Value = r.json().await?;
        if !status.is_success() {
            bail!("PUT escalation-policy: {status} {v}");
        }
        Ok(v)
    }

    /// An operator writes a saved reply of the tenant (`id`: rewrites that one); returns it.
    pub async fn saved_reply(
        &self,
        tenant: &Tenant,
        id: Option<&str>,
        reply: Value,
    ) -> Result<Value> {
        let path = format!("/v1/admin/tenants/{}/saved-replies", tenant.id);
        let r = match id {
            None => reqwest::Client::new().post(format!("{}{path}", self.url)),
            Some(id) => reqwest::Client::new().put(format!("{}{path}/{id}", self.url)),
        }
        .bearer_auth(ADMIN_TOKEN)
        .json(&reply)
        .send()
        .await?;
        let status = r.status();
        let v: Value = r.json().await?;
        if !status.is_success() {
            bail!("saved reply: {status} {v}");
        }
        Ok(v)
    }

    /// What the billing system and the mail channel would send: a customer who was charged
    /// twice for an invoice, and her message about it.
    pub async fn ingest_double_charge(&self, token: &str) -> Result<String> {
        self.post(token, "/v1/ingest/billing", json!({
            "customers": [{"id": "cus_anna", "external_id": "ext-anna", "name": "Anna Schmidt",
                           "email": "anna@example.com", "company": "Schmidt GmbH",
                           "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}],
            "invoices": [{"id": "inv_feb", "invoice_number": "INV-2026-0002", "customer_id": "cus_anna",
                          "invoice_status": "FINALIZED", "payment_status": "SUCCEEDED", "invoice_type": "SUBSCRIPTION",
                          "billing_reason": "SUBSCRIPTION_CYCLE", "currency": "EUR", "amount_due": "49.00",
                          "amount_paid": "49.00", "amount_remaining": "0", "subtotal": "41.18", "total_tax": "7.82",
                          "total": "49.00", "issue_date": "2026-02-01", "due_date": "2026-02-15",
                          "updated_at": "2026-02-01T00:00:00Z",
                          "line_items": [{"id": "li_feb", "description": "Team plan", "quantity": "1",
                                          "unit_amount": "41.18", "amount": "41.18"}]}],
            "payments": [
                {"id": "pay_feb_1", "customer_id": "cus_anna", "invoice_id": "inv_feb", "currency": "EUR",
                 "amount": "49.00", "method": "card", "payment_status": "SUCCEEDED", "attempts": 1,
                 "created_at": "2026-02-02T09:00:00Z", "updated_at": "2026-02-02T09:00:00Z"},
                {"id": "pay_feb_2", "customer_id": "cus_anna", "invoice_id": "inv_feb", "currency": "EUR",
                 "amount": "49.00", "method": "card", "payment_status": "SUCCEEDED", "attempts": 1,
                 "created_at": "2026-02-02T09:00:04Z", "updated_at": "2026-02-02T09:00:04Z"}]
        })).await?;
        let m = self
            .customer_writes(
                token,
                "Hello, I was charged twice for INV-2026-0002 (49.00 EUR). Please refund one.",
            )
            .await?;
        Ok(m["ticket_id"].as_str().context("ticket id")?.to_owned())
    }

    /// `n` more customers from the billing system, in one batch.
    pub async fn ingest_customers(&self, token: &str, n: usize) -> Result<()> {
        let customers: Vec<Value> = (0..n)
            .map(|i| {
                json!({"id": format!("cus_many_{i:06}"), "external_id": format!("ext-many-{i}"),
                       "name": format!("Customer {i}"), "email": format!("c{i}@example.com"),
                       "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"})
            })
            .collect();
        self.post(
            token,
            "/v1/ingest/billing",
            json!({ "customers": customers }),
        )
        .await?;
        Ok(())
    }

    /// Anna writes (again) on her thread.
    pub async fn customer_writes(&self, token: &str, body: &str) -> Result<Value> {
        self.post(
            token,
            "/v1/ingest/messages",
            json!({
                "customer": {"email": "anna@example.com"}, "subject": "Charged twice in February",
                "body": body, "thread_key": "mail-anna-feb"
            }),
        )
        .await
    }
}

impl Drop for Platform {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Platform {
    /// Every change of the tenant's feed, read with `token` (through the platform, not a desk).
    pub async fn feed(&self, token: &str) -> Result<Vec<Value>> {
        let mut after = 0;
        let mut all = vec![];
        loop {
            let page: Value = reqwest::Client::new()
                .get(format!(
                    "{}/v1/sync/changes?after={after}&limit=5000",
                    self.url
                ))
                .bearer_auth(token)
                .send()
                .await?
                .json()
                .await?;
            all.extend(page["changes"].as_array().cloned().unwrap_or_default());
            after = page["cursor"].as_i64().context("cursor")?;
            if page["has_more"] != true {
                return Ok(all);
            }
        }
    }
}
