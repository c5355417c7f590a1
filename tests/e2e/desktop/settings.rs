//! The settings page and the status bar's sync notices, in the real window: a token created
//! with a scope shows its ready-to-paste client configurations once and is revoked; desktop
//! notifications are switched off; a notice from the platform shows as a badge that opens its
//! list. What the window shows is checked against what the desk holds.

use super::fixtures::open_desk;
use super::window::{ACTION_LIMIT, Window};
use anyhow::{Context, Result};
use countersign_e2e::Desk;
use countersign_model::workflow::TokenScope;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_create_and_revoke_a_token_and_switch_notifications_off() -> Result<()> {
    let desk = Desk::demo(40, 200, 40)?;
    // A refusal as the sync's push writes it, for the status bar to surface.
    let store = open_desk(desk.data_dir()).await;
    sqlx::query("INSERT INTO sync_notices (at, code, subject, message) VALUES (?, 'stale', 'draft dft_e2e', ?)")
        .bind(countersign_core::store::ts(countersign_core::store::now()))
        .bind("The reply was not sent: the customer wrote again. The draft is back for review.")
        .execute(store.pool())
        .await?;
    store.close().await;

    let w = Window::open(desk.data_dir()).await?;
    w.wait_text("#sync-status", "local only", ACTION_LIMIT)
        .await?;
    w.click("#nav-settings").await?;
    w.type_into("#token-name", "Cursor on the laptop").await?;
    w.select("#token-scope", "read").await?;
    w.click("#create-token").await?;
    for client in ["Cursor", "VS Code"] {
        w.wait_text("#created-token", client, ACTION_LIMIT)
            .await
            .with_context(|| format!("a ready-to-paste configuration for {client}"))?;
    }
    // The recommended way, one for every client: stdio on this very desk, no token.
    for expected in [
        "Claude Desktop",
        "Cursor",
        "VS Code",
        "\"mcp\"",
        "--data-dir",
        &desk.data_dir().display().to_string(),
    ] {
        w.wait_text("#connect", expected, ACTION_LIMIT)
            .await
            .with_context(|| format!("Settings › Connect an assistant shows {expected}"))?;
    }
    w.click("#test-mcp").await?;
    w.wait_text("#toast", "The endpoint answers", ACTION_LIMIT)
        .await
        .context("Test the connection reaches the desk's own endpoint")?;
    w.wait_text("#created-token", "cst_", ACTION_LIMIT)
        .await
        .context("the secret is shown once")?;

    let store = open_desk(desk.data_dir()).await;
    let tokens = countersign_core::tokens::list(&store).await?;
    let token = tokens
        .iter()
        .find(|t| t.name == "Cursor on the laptop")
        .context("the token created in the window is in the desk")?;
    assert_eq!(token.scope, TokenScope::Read, "with the scope chosen");
    let row = format!("#token-{}", token.id);
    w.wait_text(&row, "read", ACTION_LIMIT).await?;
    w.screenshot("desktop-settings").await?;

    w.click(&format!("{row} .token-revoke")).await?;
    w.wait_text(&format!("{row} .token-state"), "revoked", ACTION_LIMIT)
        .await
        .context("the revoked token reads as revoked")?;
    let revoked = countersign_core::tokens::find(&store, &token.id).await?;
    assert!(revoked.revoked_at.is_some(), "revoked in the desk too");

    w.wait_text("#notifications-state", "desktop notification", ACTION_LIMIT)
        .await?;
    w.click("#toggle-notifications").await?;
    w.wait_text("#notifications-state", "Off", ACTION_LIMIT)
        .await
        .context("the switch reads off after turning notifications off")?;
    assert!(
        !countersign_core::settings::notifications_enabled(store.pool()).await?,
        "the desk remembers notifications are off"
    );

    w.wait_text("#notices-badge", "1 sync notice", ACTION_LIMIT)
        .await
        .context("an unread refusal from the platform shows in the status bar")?;
    w.click("#notices-badge").await?;
    w.wait_text("#sync-notices", "the customer wrote again", ACTION_LIMIT)
        .await?;
    w.wait_gone("#notices-badge", ACTION_LIMIT)
        .await
        .context("once read, the notices no longer count as unread in the status bar")?;
    w.screenshot("desktop-sync-notices").await?;
    let notices = countersign_core::sync::notices(&store, false).await?;
    assert!(
        notices.iter().all(|n| n.read),
        "opening the list marks the notices read"
    );
    w.close().await?;
    Ok(())
}

/// Issue 14: a provider added from Settings (a local server needs no key), listed before the
/// offline drafter, tested (nothing listens: the error names the provider), then the switch to
/// let drafting by itself ask it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_add_a_provider_test_it_and_let_drafting_use_it() -> Result<()> {
    let desk = Desk::demo(20, 100, 20)?;
    let w = Window::open(desk.data_dir()).await?;
    w.click("#nav-settings").await?;
    w.wait_css("#providers", ACTION_LIMIT).await?;
    w.type_into("#provider-name", "ollama").await?;
    w.type_into("#provider-url", "http://127.0.0.1:9/v1")
        .await?;
    w.type_into("#provider-model", "llama3.1").await?;
    w.click("#add-provider").await?;
    w.wait_text(
        "#provider-ollama",
        "openai-compatible/llama3.1",
        ACTION_LIMIT,
    )
    .await
    .context("the provider added in the window is listed")?;
    w.wait_text("#provider-ollama", "no key", ACTION_LIMIT)
        .await?;
    w.click("#provider-ollama button.secondary").await?;
    w.wait_text("#toast", "ollama", ACTION_LIMIT)
        .await
        .context("a failed test names the provider and why")?;
    w.wait_text("#auto-providers-state", "offline drafter", ACTION_LIMIT)
        .await?;
    w.click("#toggle-auto-providers").await?;
    w.wait_text(
        "#auto-providers-state",
        "asks the AI providers",
        ACTION_LIMIT,
    )
    .await?;
    w.screenshot("desktop-settings-providers").await?;
    w.close().await?;

    let store = open_desk(desk.data_dir()).await;
    let listed = countersign_core::drafting::providers::list(store.pool()).await?;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].name.as_str(), listed[0].has_key),
        ("ollama", false)
    );
    assert!(countersign_core::settings::drafting_auto_providers(store.pool()).await?);
    Ok(())
}
