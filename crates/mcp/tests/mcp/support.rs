//! A small demo desk per test, and an rmcp client connected to it.

use countersign_core::Store;
use countersign_core::demo::{self, DemoConfig};
use countersign_mcp::DeskServer;
use countersign_model::workflow::TokenScope;
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientCapabilities, ClientConfig, Implementation,
};
use rmcp::service::RunningService;
use rmcp::{RoleClient, ServiceExt};
use serde_json::Value;
use tempfile::TempDir;

pub struct Desk {
    pub store: Store,
    pub _dir: TempDir,
}

/// The desk opened as `countersign mcp` and `serve` open it on one CPU: with one connection, a
/// call that needed a second at once would time out here instead of passing.
pub async fn demo_desk() -> Desk {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_with(&dir.path().join("desk.sqlite3"), 1)
        .await
        .expect("open");
    let cfg = DemoConfig {
        customers: 40,
        invoices: 400,
        tickets: 40,
        seed: 7,
        today: chrono::Utc::now().date_naive(),
    };
    demo::seed(&store, &cfg, &mut |_, _, _| {})
        .await
        .expect("seed");
    Desk { store, _dir: dir }
}

pub type Client = RunningService<RoleClient, ClientConfig>;

/// An rmcp client named `name` talking to a stdio-style server over an in-memory pipe.
pub async fn connect(store: &Store, scope: TokenScope, name: &str) -> Client {
    let (server_io, client_io) = tokio::io::duplex(1 << 20);
    let server = DeskServer::stdio(store.clone(), scope);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    ClientConfig::new(
        ClientCapabilities::default(),
        Implementation::new(name, "1.0"),
    )
    .serve(client_io)
    .await
    .expect("client connects")
}

pub async fn call(client: &Client, tool: &str, args: Value) -> CallToolResult {
    let Value::Object(args) = args else {
        panic!("arguments must be an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(args))
        .await
        .unwrap_or_else(|e| panic!("{tool}: protocol error {e}"))
}

/// The structured content of a successful call.
pub fn ok(r: &CallToolResult, tool: &str) -> Value {
    assert_ne!(
        r.is_error,
        Some(true),
        "{tool} failed: {:?}",
        r.structured_content
    );
    r.structured_content
        .clone()
        .unwrap_or_else(|| panic!("{tool} returned no structured content"))
}

/// The error code of a failed call.
pub fn error_code(r: &CallToolResult) -> String {
    assert_eq!(
        r.is_error,
        Some(true),
        "expected an error, got {:?}",
        r.structured_content
    );
    r.structured_content
        .as_ref()
        .and_then(|v| v["error"]["code"].as_str())
        .expect("an error code")
        .to_owned()
}

pub async fn scalar(store: &Store, sql: &'static str) -> String {
    let v: String = sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .expect(sql);
    v
}

pub async fn count(store: &Store, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .expect(sql)
}
