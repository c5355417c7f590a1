//! Issue 14, a provider set up as a person would, from the CLI in a desktop session with a real
//! OS keyring: the key read from stdin is kept in the keyring, and never in the desk's file nor
//! in anything the CLI prints; `countersign draft` sends it to the provider (here a fake that
//! answers as Anthropic's API does) and files the provider's draft, signed with its model; when
//! the provider fails, the offline drafter answers and the draft says which provider failed.

use anyhow::{Context, Result};
use countersign_drafting::testing::fake::Fake;
use countersign_drafting::testing::flavor::ANTHROPIC;
use countersign_e2e::Desk;
use countersign_e2e::platform::KeyringSession;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Output, Stdio};

const KEY: &str = "sk-ant-e2e-0123456789-secret";

fn run(desk: &Desk, keyring: &KeyringSession, args: &[&str], stdin: &str) -> Result<Output> {
    let mut c = desk.command();
    keyring.env(&mut c);
    let mut child = c
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("run countersign")?;
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(stdin.as_bytes())?;
    Ok(child.wait_with_output()?)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_providers_key_stays_in_the_keyring_and_a_failure_falls_back_offline() -> Result<()> {
    let keyring = KeyringSession::start()?;
    let desk = Desk::demo(30, 300, 30)?;
    let store = countersign_core::Store::open(
        &countersign_core::profile::DataDir::locate(Some(desk.data_dir()))?.desk_path("demo")?,
    )
    .await?;
    let (ticket, invoice, number): (String, String, String) = sqlx::query_as(
        "SELECT t.id, i.id, i.invoice_number FROM tickets t JOIN invoices i ON i.customer_id = t.customer_id \
         WHERE t.status IN ('open', 'pending') ORDER BY t.id, i.issue_date DESC LIMIT 1",
    )
    .fetch_one(store.pool())
    .await?;
    store.close().await;
    let reply = json!({
        "reply": format!("Hello, I looked at invoice {number} and a colleague will follow up today."),
        "citations": [{"kind": "invoice", "id": invoice}],
        "confidence": 0.7,
        "escalation": null
    })
    .to_string();
    let fake = Fake::start(vec![
        ANTHROPIC.success(&reply),
        ANTHROPIC.error(401, "invalid x-api-key"),
    ])
    .await;

    let added = run(
        &desk,
        &keyring,
        &[
            "providers",
            "add",
            "claude",
            "--kind",
            "anthropic",
            "--base-url",
            &fake.origin,
            "--model",
            "claude-e2e",
            "--key-stdin",
        ],
        &format!("{KEY}\n"),
    )?;
    assert!(added.status.success(), "{}", text(&added));
    let listed = run(&desk, &keyring, &["providers", "list"], "")?;
    assert!(
        text(&listed).contains("anthropic/claude-e2e") && text(&listed).contains("in keyring"),
        "{}",
        text(&listed)
    );

    let drafted = run(&desk, &keyring, &["draft", &ticket, "--json"], "")?;
    assert!(drafted.status.success(), "{}", text(&drafted));
    let draft: Value = serde_json::from_slice(&drafted.stdout)?;
    assert_eq!(draft["author"]["client"], "anthropic/claude-e2e");
    assert_eq!(draft["generation"]["input_tokens"], 812);
    let sent = &fake.received()[0];
    assert_eq!(
        sent.header("x-api-key"),
        Some(KEY),
        "the key from the keyring reaches the provider"
    );

    // The provider now refuses the key: the offline drafter answers, saying why.
    let again = run(&desk, &keyring, &["draft", &ticket, "--json"], "")?;
    assert!(again.status.success(), "{}", text(&again));
    let offline: Value = serde_json::from_slice(&again.stdout)?;
    assert_eq!(offline["author"]["client"], "countersign/offline");
    let fell_back = offline["generation"]["fallbacks"][0]
        .as_str()
        .unwrap_or_default();
    assert!(
        fell_back.contains("anthropic/claude-e2e") && fell_back.contains("invalid x-api-key"),
        "the draft says which provider failed and why: {fell_back}"
    );

    // The key is in none of the desk's files, and nothing printed it.
    for entry in std::fs::read_dir(desk.data_dir().join("profiles").join("demo"))? {
        let bytes = std::fs::read(entry?.path())?;
        assert!(
            !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
            "the key must not be written to the desk's files"
        );
    }
    for out in [&added, &listed, &drafted, &again] {
        assert!(!text(out).contains(KEY), "the key must never be printed");
    }
    let removed = run(&desk, &keyring, &["providers", "remove", "claude"], "")?;
    assert!(removed.status.success(), "{}", text(&removed));
    Ok(())
}
