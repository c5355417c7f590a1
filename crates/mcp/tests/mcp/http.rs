//! The HTTP endpoint on a real loopback socket: auth, Host/Origin checks, body cap, rate limit.

use crate::support::*;
use countersign_core::Store;
use countersign_core::tokens;
use countersign_mcp::http::{self, HttpOptions};
use countersign_model::workflow::{Person, Role, TokenScope};
use rmcp::ServiceExt;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use serde_json::json;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn start(store: &Store, rate_per_minute: u32) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = HttpOptions {
        bind: addr.ip(),
        rate_per_minute,
        extra_origins: vec![],
    };
    let store = store.clone();
    tokio::spawn(
        async move { http::serve(store, listener, &options, std::future::pending()).await },
    );
    addr
}

async fn token(store: &Store, scope: TokenScope) -> String {
    let person = Person {
        id: "Test".into(),
        name: "Test".into(),
        role: Role::Agent,
    };
    tokens::create(store, &person, "Cursor", scope)
        .await
        .unwrap()
        .1
}

const INIT: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#;

/// Sends one raw HTTP/1.1 POST and returns the status code.
async fn post_status(addr: SocketAddr, headers: &[(&str, &str)], body: &str) -> u16 {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!(
        "POST /mcp HTTP/1.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    s.write_all(body.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 64];
    let n = s.read(&mut buf).await.unwrap();
    let head = String::from_utf8_lossy(&buf[..n]);
    head.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"))
}

#[tokio::test]
async fn requests_without_a_valid_token_get_401() {
    let desk = demo_desk().await;
    let addr = start(&desk.store, 600).await;
    assert_eq!(post_status(addr, &[], INIT).await, 401);
    assert_eq!(
        post_status(addr, &[("Authorization", "Bearer cst_nope")], INIT).await,
        401
    );
    assert_eq!(
        post_status(addr, &[("Authorization", "Basic dXNlcjpwYXNz")], INIT).await,
        401
    );
    let t = token(&desk.store, TokenScope::Read).await;
    let auth = format!("Bearer {t}");
    assert_eq!(
        post_status(addr, &[("Authorization", &auth)], INIT).await,
        200
    );
}

#[tokio::test]
async fn foreign_hosts_and_origins_get_403() {
    let desk = demo_desk().await;
    let addr = start(&desk.store, 600).await;
    let t = token(&desk.store, TokenScope::Read).await;
    let auth = format!("Bearer {t}");
    assert_eq!(
        post_status(
            addr,
            &[("Authorization", &auth), ("Origin", "http://evil.example")],
            INIT
        )
        .await,
        403
    );
    assert_eq!(
        post_status(
            addr,
            &[("Authorization", &auth), ("Host", "evil.example")],
            INIT
        )
        .await,
        403,
        "DNS rebinding"
    );
    assert_eq!(
        post_status(
            addr,
            &[
                ("Authorization", &auth),
                ("Origin", "http://localhost:5173")
            ],
            INIT
        )
        .await,
        200
    );
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let desk = demo_desk().await;
    let addr = start(&desk.store, 600).await;
    let auth = format!("Bearer {}", token(&desk.store, TokenScope::Read).await);
    let huge = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"ping","params":{{"x":"{}"}}}}"#,
        "x".repeat(http::MAX_BODY_BYTES + 1)
    );
    assert_eq!(
        post_status(addr, &[("Authorization", &auth)], &huge).await,
        413
    );
}

async fn http_client(
    addr: SocketAddr,
    secret: &str,
) -> rmcp::service::RunningService<rmcp::RoleClient, ()> {
    let cfg = StreamableHttpClientTransportConfig::with_uri(format!("http://{addr}/mcp"))
        .auth_header(secret.to_owned());
    ().serve(StreamableHttpClientTransport::from_config(cfg))
        .await
        .expect("HTTP client connects")
}

#[tokio::test]
async fn a_read_token_reads_but_cannot_draft() {
    let desk = demo_desk().await;
    let addr = start(&desk.store, 600).await;
    let secret = token(&desk.store, TokenScope::Read).await;
    let client = http_client(addr, &secret).await;
    let ticket = scalar(&desk.store, "SELECT id FROM tickets ORDER BY id LIMIT 1").await;
    let args = |v: serde_json::Value| v.as_object().unwrap().clone();
    let r = client
        .call_tool(
            rmcp::model::CallToolRequestParams::new("get_ticket")
                .with_arguments(args(json!({"ticket_id": ticket}))),
        )
        .await
        .unwrap();
    ok(&r, "get_ticket");
    let r = client
        .call_tool(
            rmcp::model::CallToolRequestParams::new("draft_reply").with_arguments(args(
                json!({"ticket_id": ticket, "body": "hi", "confidence": 0.5}),
            )),
        )
        .await
        .unwrap();
    assert_eq!(error_code(&r), "forbidden");
    assert_eq!(count(&desk.store, "SELECT COUNT(*) FROM drafts").await, 0);
    let who = scalar(
        &desk.store,
        "SELECT actor || '/' || (token_id IS NOT NULL) FROM audit_log WHERE action = 'draft_reply'",
    )
    .await;
    assert_eq!(
        who, "Cursor/1",
        "HTTP calls are audited under the token's name and id"
    );
}

#[tokio::test]
async fn a_token_over_its_rate_is_refused_for_every_method_and_summarised() {
    let desk = demo_desk().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = HttpOptions {
        bind: addr.ip(),
        // initialize, notifications/initialized and three calls.
        rate_per_minute: 5,
        extra_origins: vec![],
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let store = desk.store.clone();
    let server = tokio::spawn(async move {
        http::serve(store, listener, &options, async move {
            let _ = stopped.await;
        })
        .await
    });
    let secret = token(&desk.store, TokenScope::Read).await;
    let client = http_client(addr, &secret).await;
    let args = json!({"query": "a"}).as_object().unwrap().clone();
    for _ in 0..3 {
        let r = client
            .call_tool(
                rmcp::model::CallToolRequestParams::new("search_kb").with_arguments(args.clone()),
            )
            .await
            .unwrap();
        assert_ne!(r.is_error, Some(true), "within the rate");
    }
    let audit_before = count(&desk.store, "SELECT COUNT(*) FROM audit_log").await;
    let refused = client
        .call_tool(rmcp::model::CallToolRequestParams::new("search_kb").with_arguments(args))
        .await;
    assert!(refused.is_err(), "over the rate: {refused:?}");
    // Every method is limited, not only tools: a prompt (which carries customers' names and
    // messages) and a ping are refused alike.
    let auth = format!("Bearer {secret}");
    let prompt = r#"{"jsonrpc":"2.0","id":7,"method":"prompts/get","params":{"name":"triage_inbox","arguments":{}}}"#;
    let ping = r#"{"jsonrpc":"2.0","id":8,"method":"ping"}"#;
    for body in [prompt, ping].repeat(20) {
        assert_eq!(
            post_status(addr, &[("Authorization", &auth)], body).await,
            429
        );
    }
    for _ in 0..5 {
        assert_eq!(
            post_status(addr, &[("Authorization", "Bearer cst_made_up")], ping).await,
            401
        );
    }
    assert_eq!(
        count(&desk.store, "SELECT COUNT(*) FROM audit_log").await,
        audit_before,
        "a refused flood writes no row per call"
    );
    let _ = client.cancel().await;
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    let summaries: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT actor, outcome, arguments FROM audit_log WHERE action = 'mcp_refused' ORDER BY actor",
    )
    .fetch_all(desk.store.pool())
    .await
    .unwrap();
    assert!(
        (2..=4).contains(&summaries.len()),
        "one summary per caller, reason and minute: {summaries:?}"
    );
    let total = |outcome: &str| -> i64 {
        summaries
            .iter()
            .filter(|s| s.1 == outcome)
            .map(|s| {
                serde_json::from_str::<serde_json::Value>(&s.2).unwrap()["count"]
                    .as_i64()
                    .unwrap()
            })
            .sum()
    };
    assert_eq!(
        total("rate_limited"),
        41,
        "the call, 20 prompts and 20 pings"
    );
    assert_eq!(total("unauthenticated"), 5);
}

#[tokio::test]
async fn prompts_are_audited_reads() {
    let desk = demo_desk().await;
    let addr = start(&desk.store, 600).await;
    let secret = token(&desk.store, TokenScope::Read).await;
    let client = http_client(addr, &secret).await;
    let ticket = scalar(&desk.store, "SELECT id FROM tickets ORDER BY id LIMIT 1").await;
    client
        .get_prompt(
            rmcp::model::GetPromptRequestParams::new("draft_reply_for_ticket")
                .with_arguments(json!({"ticket_id": ticket}).as_object().unwrap().clone()),
        )
        .await
        .unwrap();
    client
        .get_prompt(rmcp::model::GetPromptRequestParams::new("triage_inbox"))
        .await
        .unwrap();
    let audited = scalar(
        &desk.store,
        "SELECT group_concat(tool, ',') FROM (SELECT action AS tool FROM audit_log \
         WHERE action IN ('draft_reply_for_ticket', 'triage_inbox') AND token_id IS NOT NULL ORDER BY seq)",
    )
    .await;
    assert_eq!(audited, "draft_reply_for_ticket,triage_inbox");
}

/// Settings' "Test the connection": a live endpoint answers as ours (401 without a token), a
/// closed port and a server that is not ours are told apart.
#[tokio::test]
async fn the_connection_test_tells_a_live_endpoint_from_a_closed_port_or_another_server() {
    use countersign_mcp::probe::probe;
    use std::time::Duration;
    let desk = demo_desk().await;
    let addr = start(&desk.store, 600).await;
    let took = probe(addr, Duration::from_secs(5))
        .await
        .expect("the endpoint answers");
    assert!(took < Duration::from_secs(5));

    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed_addr = closed.local_addr().unwrap();
    drop(closed);
    let e = probe(closed_addr, Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(e.contains("cannot reach"), "{e}");

    // Something else on the port: an HTTP server that answers 200 to anything.
    let other = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let other_addr = other.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = other.accept().await {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                .await;
        }
    });
    let e = probe(other_addr, Duration::from_secs(5)).await.unwrap_err();
    assert!(e.contains("answered 200"), "{e}");
}
