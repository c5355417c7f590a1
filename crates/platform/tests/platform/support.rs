//! The test harness: a PostgreSQL cluster per test binary, a database and an app per test.

use countersign_platform::Platform;
use countersign_platform::billing::SecretsKey;
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{AssertSqlSafe, PgPool};
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";
/// The platform's secrets key in tests.
pub const SECRETS_KEY: &str = "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7";

/// The server URL tests create their databases through.
fn server_url() -> String {
    if let Ok(url) = std::env::var("COUNTERSIGN_TEST_DATABASE_URL") {
        return url;
    }
    static CLUSTER: OnceLock<Result<String, String>> = OnceLock::new();
    CLUSTER
        .get_or_init(countersign_platform::testing::start_cluster)
        .clone()
        .unwrap_or_else(|e| panic!("cannot start a throwaway PostgreSQL for the tests: {e}"))
}

/// One test's platform: its own database, the app on a loopback port.
pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: PgPool,
    pub http: reqwest::Client,
}

/// A tenant with an agent and two supervisors, each with a desk token, and an integration's
/// ingest token.
/// The agents [`TestApp::tenant`] creates (an agent, two supervisors): the first changes of
/// every tenant's feed.
pub const AGENTS: usize = 3;

#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: String,
    pub agent: String,
    pub supervisor: String,
    pub supervisor2: String,
    pub agent_id: String,
    pub ingest: String,
}

pub async fn spawn_app() -> TestApp {
    let server = server_url();
    let name = format!("t_{}", countersign_platform::new_id(""));
    let options = PgConnectOptions::from_str(&server).expect("a PostgreSQL URL");
    let maintenance = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .expect("connect to the test cluster");
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&maintenance)
        .await
        .expect("create a test database");
    maintenance.close().await;
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect_with(options.database(&name))
        .await
        .expect("connect to the test database");
    countersign_platform::migrate(&pool).await.expect("migrate");
    serve(pool).await
}

/// A platform instance over `pool` (migrated), on a loopback port.
async fn serve(pool: PgPool) -> TestApp {
    let options = countersign_platform::Options {
        admin_token: Some(ADMIN_TOKEN.into()),
        secrets: Some(SecretsKey::from_hex(SECRETS_KEY).expect("a key")),
        executor: countersign_platform::billing::ExecutorConfig {
            call_timeout: Duration::from_millis(700),
            lease: Duration::from_secs(3),
            poll: Duration::from_millis(100),
            retry_after: Duration::from_millis(50),
            max_attempts: 4,
            backfill_page: 2,
        },
        mail: countersign_platform::mail::MailConfig {
            timeout: Duration::from_secs(2),
            lease: Duration::from_secs(4),
            poll: Duration::from_millis(100),
            retry_after: Duration::from_millis(200),
            max_attempts: 6,
        },
        hooks: countersign_platform::hooks::HooksConfig {
            timeout: Duration::from_secs(2),
            lease: Duration::from_secs(4),
            poll: Duration::from_millis(100),
            retry_after: Duration::from_millis(100),
            give_up_after: Duration::from_secs(3),
        },
    };
    let platform = Platform::start(pool.clone(), options)
        .await
        .expect("start the platform");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(platform.serve(listener, std::future::pending()));
    TestApp {
        addr,
        pool,
        http: reqwest::Client::new(),
    }
}

/// A response's status and JSON body (`Null` when it has none).
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// The `error.code` of an error body.
    pub fn code(&self) -> &str {
        self.body["error"]["code"]
            .as_str()
            .unwrap_or("<no error code>")
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Another platform instance over the same database, as a load balancer spreads desks over
    /// several; a [`TestApp`] that talks to it.
    pub async fn another_instance(&self) -> TestApp {
        serve(self.pool.clone()).await
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("the platform answers");
        let status = res.status().as_u16();
        let text = res.text().await.expect("a body");
        Reply {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send("GET", path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.send("POST", path, Some(token), Some(body)).await
    }

    /// Creates a tenant with an agent and two supervisors through the admin API.
    pub async fn tenant(&self, name: &str) -> Tenant {
        let t = self
            .post("/v1/admin/tenants", ADMIN_TOKEN, json!({"name": name}))
            .await;
        assert_eq!(t.status, 200, "create tenant: {}", t.body);
        let id = t.body["id"].as_str().unwrap().to_owned();
        let mut tokens = vec![];
        let mut agent_id = String::new();
        for (who, role) in [
            ("agent", "agent"),
            ("sup1", "supervisor"),
            ("sup2", "supervisor"),
        ] {
            let a = self
                .post(
                    &format!("/v1/admin/tenants/{id}/agents"),
                    ADMIN_TOKEN,
                    json!({"name": format!("{name} {who}"), "email": format!("{who}@{name}.test"), "role": role}),
                )
                .await;
            assert_eq!(a.status, 200, "create agent: {}", a.body);
            let aid = a.body["id"].as_str().unwrap().to_owned();
            if role == "agent" {
                agent_id = aid.clone();
            }
            let k = self
                .post(
                    &format!("/v1/admin/tenants/{id}/agents/{aid}/tokens"),
                    ADMIN_TOKEN,
                    json!({"name": "desktop"}),
                )
                .await;
            assert_eq!(k.status, 200, "create token: {}", k.body);
            tokens.push(k.body["secret"].as_str().unwrap().to_owned());
        }
        let k = self
            .post(
                &format!("/v1/admin/tenants/{id}/ingest-tokens"),
                ADMIN_TOKEN,
                json!({"name": "billing webhook"}),
            )
            .await;
        assert_eq!(k.status, 200, "create an ingest token: {}", k.body);
        assert!(k.body["secret"].as_str().unwrap().starts_with("csi_"));
        Tenant {
            ingest: k.body["secret"].as_str().unwrap().to_owned(),
            id,
            supervisor2: tokens.pop().unwrap(),
            supervisor: tokens.pop().unwrap(),
            agent: tokens.pop().unwrap(),
            agent_id,
        }
    }

    /// A customer's message through the channel webhook; returns the ingest answer.
    pub async fn customer_writes(
        &self,
        token: &str,
        email: &str,
        ticket_id: Option<&str>,
        body: &str,
    ) -> Value {
        let r = self
            .post(
                "/v1/ingest/messages",
                token,
                json!({"customer": {"email": email, "name": "Anna Schmidt"}, "subject": "Charged twice",
                       "body": body, "ticket_id": ticket_id}),
            )
            .await;
        assert_eq!(r.status, 200, "ingest a message: {}", r.body);
        r.body
    }

    pub async fn changes(&self, token: &str, after: i64, limit: i64) -> Value {
        let r = self
            .get(
                &format!("/v1/sync/changes?after={after}&limit={limit}"),
                token,
            )
            .await;
        assert_eq!(r.status, 200, "changes: {}", r.body);
        r.body
    }

    /// Every change of the tenant, pulled page by page.
    pub async fn all_changes(&self, token: &str) -> Vec<Value> {
        let (mut after, mut all) = (0, vec![]);
        loop {
            let page = self.changes(token, after, 100).await;
            all.extend(page["changes"].as_array().unwrap().iter().cloned());
            after = page["cursor"].as_i64().unwrap();
            if !page["has_more"].as_bool().unwrap() {
                return all;
            }
        }
    }

    pub async fn push(&self, token: &str, device: &str, mutations: Value) -> Vec<Value> {
        let r = self
            .post(
                "/v1/sync/mutations",
                token,
                json!({"device_id": device, "mutations": mutations}),
            )
            .await;
        assert_eq!(r.status, 200, "push mutations: {}", r.body);
        r.body["results"].as_array().unwrap().clone()
    }

    /// A ticket of a new customer with one customer message; returns (ticket id, version).
    pub async fn ticket(&self, token: &str, email: &str) -> (String, i64) {
        let m = self
            .customer_writes(token, email, None, "I was charged twice in January.")
            .await;
        (
            m["ticket_id"].as_str().unwrap().to_owned(),
            m["ticket_version"].as_i64().unwrap(),
        )
    }

    /// Anna's invoice `inv_1`, 49.00 EUR paid in full (one line of 41.18), and a ticket of hers;
    /// returns the ticket.
    pub async fn paid_invoice_and_ticket(&self, t: &Tenant) -> String {
        let mut batch = billing("inv_1", "49.00");
        let inv = &mut batch["invoices"][0];
        inv["payment_status"] = json!("SUCCEEDED");
        inv["amount_paid"] = json!("49.00");
        inv["amount_remaining"] = json!("0");
        let r = self.post("/v1/ingest/billing", &t.ingest, batch).await;
        assert_eq!(r.status, 200, "{}", r.body);
        self.ticket(&t.ingest, "anna@example.com").await.0
    }

    /// Connects the tenant to a FlexPrice at `base_url` with `api_key`.
    pub async fn connect_billing(&self, t: &Tenant, base_url: &str, api_key: &str) {
        let r = self
            .send(
                "PUT",
                &format!("/v1/admin/tenants/{}/billing-connector", t.id),
                Some(ADMIN_TOKEN),
                Some(json!({"base_url": base_url, "api_key": api_key})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    /// One invoice (and its customer) through the billing ingest.
    pub async fn invoice(&self, token: &str, invoice_id: &str, amount_due: &str) -> Value {
        let r = self
            .post("/v1/ingest/billing", token, billing(invoice_id, amount_due))
            .await;
        assert_eq!(r.status, 200, "ingest billing: {}", r.body);
        r.body
    }
}

/// A FlexPrice-shaped billing batch: customer `cus_anna`, invoice `invoice_id`, payment `pay_<tail>`.
pub fn billing(invoice_id: &str, amount_due: &str) -> Value {
    let tail = invoice_id.trim_start_matches("inv_");
    json!({
        "customers": [{"id": "cus_anna", "external_id": "ext-anna", "name": "Anna Schmidt",
                       "email": "anna@example.com", "company": "Schmidt GmbH",
                       "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}],
        "invoices": [{"id": invoice_id, "invoice_number": format!("INV-{tail}"), "customer_id": "cus_anna",
                      "invoice_status": "FINALIZED", "payment_status": "FAILED", "invoice_type": "SUBSCRIPTION",
                      "billing_reason": "SUBSCRIPTION_CYCLE", "currency": "EUR", "amount_due": amount_due,
                      "amount_paid": "0", "amount_remaining": amount_due, "subtotal": "41.18",
                      "total_tax": "7.82", "total": amount_due, "issue_date": "2025-02-01",
                      "due_date": "2025-02-15", "updated_at": "2025-02-01T00:00:00Z",
                      "line_items": [{"id": format!("li_{tail}"), "description": "Team plan", "quantity": "1",
                                      "unit_amount": "41.18", "amount": "41.18"}]}],
        "payments": [{"id": format!("pay_{tail}"), "customer_id": "cus_anna", "invoice_id": invoice_id,
                      "currency": "EUR", "amount": amount_due, "method": "card", "payment_status": "FAILED",
                      "error_message": "card_declined", "attempts": 3,
                      "created_at": "2025-02-02T00:00:00Z", "updated_at": "2025-02-02T00:00:00Z"}]
    })
}

/// A pushed mutation's status and, when refused, its code.
pub fn outcome(r: &Value) -> (String, Option<String>) {
    (
        r["status"].as_str().unwrap().to_owned(),
        r["code"].as_str().map(str::to_owned),
    )
}
