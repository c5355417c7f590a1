//! The desktop app in a real window: the built `countersign-desktop` under its own Xvfb, driven
//! through tauri-driver + WebKitWebDriver with fantoccini, while the official Python MCP SDK acts
//! as the assistant through a separate `countersign mcp` process on the same desk. Each scenario
//! saves a screenshot to `$COUNTERSIGN_SCREENSHOTS`.
//!
//! Every test has its own X display and its own driver ports, so they may run in parallel.

mod delivery;
mod fixtures;
mod keys;
mod languages;
mod saved_replies;
mod settings;
mod syncing;
mod ticket_actions;
mod window;

use anyhow::{Context, Result, bail};
use countersign_e2e::Desk;
use fantoccini::Locator;
use fixtures::{field, open_desk, propose, quiet_ticket};
use window::{ACTION_LIMIT, LIVE_LIMIT, Window};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assistants_draft_appears_live_and_is_edited_then_approved() -> Result<()> {
    let dir = tempfile::tempdir()?;
    // First start without a desk: the app creates the demo profile itself.
    let w = Window::open(dir.path()).await?;
    eprintln!(
        "desktop: inbox rendered {:?} after session request",
        w.started_in
    );

    // The desk drafts waiting tickets by itself; the assistant answers one nobody drafts. On a
    // fresh machine the first start's background drafting (a reload per draft filed) went on
    // while this scenario clicked, and twice an action had no effect within 10 s (the edit
    // box never opened; an approval never reached the thread): it starts once that is done.
    fixtures::first_sweep_done(dir.path()).await?;
    let quiet = quiet_ticket(dir.path()).await?;
    let filed = propose(dir.path(), &["draft", "--ticket", &quiet])?;
    let (ticket, draft) = (field(&filed, "ticket_id"), field(&filed, "draft_id"));
    let live = w
        .wait_css(&format!("#row-{ticket} .badge-draft"), LIVE_LIMIT)
        .await
        .context(
            "the assistant's draft must appear in the open inbox within 1 s, without reload",
        )?;
    eprintln!("desktop: draft visible in the inbox {live:?} after it was filed");

    w.click(&format!("#row-{ticket}")).await?;
    w.wait_css(&format!("#draft-{draft}"), ACTION_LIMIT).await?;
    w.wait_text("#draft-status", "waiting for review", ACTION_LIMIT)
        .await?;
    w.wait_text(".author", "e2e-assistant", ACTION_LIMIT)
        .await?;
    w.wait_css(
        &format!("#cite-{}", field(&filed, "invoice_id")),
        ACTION_LIMIT,
    )
    .await
    .context("the cited invoice is a link")?;
    w.click("#edit").await?;
    // One line: WebKitWebDriver does not type newlines into a textarea.
    let edited = "Hello, we refunded the duplicate charge today; it shows on your statement within 5 days. Priya";
    w.type_into("#draft-body", edited).await?;
    w.screenshot("desktop-edit-draft").await?;
    w.click("#approve-edited").await?;
    w.wait_text(
        "#thread",
        "we refunded the duplicate charge today",
        ACTION_LIMIT,
    )
    .await
    .context("the sent reply joins the thread")?;
    w.wait_text(&format!("#decided-{draft}"), "approved", ACTION_LIMIT)
        .await?;
    w.wait_text(&format!("#decided-{draft}"), "edited", ACTION_LIMIT)
        .await?;
    // The edit stays diffable: what the assistant wrote, struck through, and what was sent.
    w.wait_css(&format!("#diff-{draft} ins"), ACTION_LIMIT)
        .await
        .context("the edit is shown as a diff")?;
    let marked = |tag: &str| {
        let js = format!(
            "return Array.from(document.querySelectorAll('#diff-{draft} {tag}')).map(e => e.textContent).join('|');"
        );
        let client = w.client.clone();
        async move {
            anyhow::Ok(
                client
                    .execute(&js, vec![])
                    .await?
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        }
    };
    let (added, removed) = (marked("ins").await?, marked("del").await?);
    assert!(
        added.contains("duplicate") && added.contains("Priya"),
        "the reviewer's words show as added: {added:?}"
    );
    assert!(
        removed.contains("thank") && removed.contains("you for writing"),
        "the assistant's words that were not sent show as removed: {removed:?} (added: {added:?})"
    );
    w.screenshot("desktop-approved").await?;

    // A reply written by hand: an empty one is refused as a person would say it, then one is
    // sent.
    w.click("#compose-reply").await?;
    w.click("#compose-send").await?;
    w.wait_text(
        "#toast",
        "Write the reply's text first. (invalid_argument)",
        ACTION_LIMIT,
    )
    .await
    .context("an empty reply is refused with a clear message")?;
    let by_hand = "One more thing: the refund reference is RF-2231. Priya";
    w.type_into("#compose-body", by_hand).await?;
    w.click("#compose-send").await?;
    w.wait_text("#thread", "refund reference is RF-2231", ACTION_LIMIT)
        .await
        .context("the hand-written reply joins the thread")?;
    w.wait_text("#statusbar #sync-status", "local only", ACTION_LIMIT)
        .await
        .context("a demo profile without a platform says so calmly")?;
    w.wait_text("#statusbar #outbox", "outbox 2", ACTION_LIMIT)
        .await
        .context("the approved reply and the hand-written one wait in the outbox")?;

    w.click("#nav-activity").await?;
    w.wait_text("#chain-status", "verified", ACTION_LIMIT)
        .await?;
    w.wait_text("#audit-rows", "approve_draft", ACTION_LIMIT)
        .await?;
    w.wait_text("#audit-rows", "draft_reply", ACTION_LIMIT)
        .await?;
    w.wait_text("#audit-rows", "write_reply", ACTION_LIMIT)
        .await?;
    w.screenshot("desktop-activity").await?;
    w.close().await?;

    // What the window showed is what the desk holds.
    let store = open_desk(dir.path()).await;
    let d = countersign_core::workflow::drafts::find(store.pool(), &draft.parse()?).await?;
    assert_eq!(
        d.status,
        countersign_model::workflow::DraftStatus::Approved,
        "the draft approved in the window is approved in the desk"
    );
    assert_eq!(
        d.final_body.as_deref(),
        Some(edited),
        "the reviewer's edit is what is sent"
    );
    let thread = countersign_core::records::tickets::thread(store.pool(), &ticket.parse()?).await?;
    assert!(
        thread.iter().any(|m| m.body == by_hand),
        "the hand-written reply is in the desk's thread"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_above_the_cap_is_refused_for_an_agent_and_approved_by_a_supervisor() -> Result<()>
{
    let desk = Desk::demo(60, 600, 60)?;
    let set = |k: &str, v: &str| -> Result<()> {
        let out = desk.cli(&["settings", "set", k, v])?;
        if !out.status.success() {
            bail!("settings set {k}: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    };
    set("agent.refund_cap", "5.00")?;
    let filed = propose(desk.data_dir(), &["refund", "--amount", "10.00"])?;
    let esc = field(&filed, "escalation_id");

    let w = Window::open(desk.data_dir()).await?;
    w.click("#nav-escalations").await?;
    w.click(&format!("#escq-{esc} .esc-approve")).await?;
    w.wait_text(
        "#toast",
        "a supervisor must decide. (forbidden)",
        ACTION_LIMIT,
    )
    .await
    .context("the core refuses an agent's approval above the cap")?;
    w.wait_text(&format!("#escq-{esc} .esc-status"), "Pending", ACTION_LIMIT)
        .await?;
    w.screenshot("desktop-escalation-refused").await?;
    w.close().await?;

    set("person.name", "Sam Okafor")?;
    set("person.role", "supervisor")?;
    let w = Window::open(desk.data_dir()).await?;
    w.wait_text("#statusbar", "Supervisor", ACTION_LIMIT)
        .await?;
    w.click("#nav-escalations").await?;
    w.type_into(
        &format!("#escq-{esc} .esc-note"),
        "Duplicate charge confirmed.",
    )
    .await?;
    w.click(&format!("#escq-{esc} .esc-approve")).await?;
    w.wait_text("#toast", "approved", ACTION_LIMIT).await?;
    w.click(".chip:last-child").await?; // "All": decided ones too
    w.wait_text(
        &format!("#escq-{esc} .esc-status"),
        "Approved",
        ACTION_LIMIT,
    )
    .await?;
    w.screenshot("desktop-escalation-approved").await?;

    // The platform reports that FlexPrice refused it, as the feed writes it on the desk: the
    // card says why, and the supervisor queues a retry from it.
    // A plain connection, as the sync's own: the open window holds the desk's Store.
    let path =
        countersign_core::profile::DataDir::locate(Some(desk.data_dir()))?.desk_path("demo")?;
    let feed = sqlx::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .busy_timeout(std::time::Duration::from_secs(10)),
    )
    .await?;
    sqlx::query(
        "UPDATE escalations SET execution = 'failed', \
         execution_error = 'credit amount exceeds available limit', \
         execution_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
    )
    .bind(esc)
    .execute(&feed)
    .await?;
    feed.close().await;
    w.wait_text(
        &format!("#escq-{esc} .esc-execution"),
        "Failed in billing: credit amount exceeds available limit",
        LIVE_LIMIT,
    )
    .await
    .context("the window shows the platform's report when the desk changes")?;
    w.click(&format!("#escq-{esc} .esc-retry")).await?;
    w.wait_text("#toast", "Retry queued", ACTION_LIMIT).await?;
    w.wait_text(
        &format!("#escq-{esc} .esc-execution"),
        "Being carried out in billing",
        ACTION_LIMIT,
    )
    .await?;
    w.screenshot("desktop-escalation-execution").await?;
    w.close().await?;
    let out = desk.cli(&["sync", "status", "--json"])?;
    let status: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(
        status["outbox_depth"], 3,
        "raise, approve and the retry wait for the platform: {status}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_draft_cannot_be_approved() -> Result<()> {
    let desk = Desk::demo(60, 600, 60)?;
    // The desk would answer the customer's new message with a fresh draft; this test is about
    // the stale one, so the profile does not draft by itself.
    let off = desk.cli(&["settings", "set", "drafting.auto", "false"])?;
    assert!(
        off.status.success(),
        "{}",
        String::from_utf8_lossy(&off.stderr)
    );
    let filed = propose(desk.data_dir(), &["draft"])?;
    let (ticket, draft) = (field(&filed, "ticket_id"), field(&filed, "draft_id"));
    // The customer writes again after the draft was filed (as a sync would deliver it).
    let store = open_desk(desk.data_dir()).await;
    countersign_core::demo::customer_message(
        &store,
        &ticket.parse()?,
        "Any news? I still see two charges.",
    )
    .await?;
    store.close().await;

    let w = Window::open(desk.data_dir()).await?;
    w.wait_css(&format!("#row-{ticket} .badge-stale"), ACTION_LIMIT)
        .await?;
    w.click(&format!("#row-{ticket}")).await?;
    w.wait_text("#draft-status", "stale", ACTION_LIMIT).await?;
    w.wait_css("#stale-reason", ACTION_LIMIT).await?;
    let approve = w.client.find(Locator::Css("#approve")).await?;
    assert!(
        !approve.is_enabled().await?,
        "the approve button of a stale draft is disabled"
    );
    // Even when asked (the `a` shortcut goes straight to the core), the core refuses.
    w.press("a").await?;
    w.wait_text("#toast", "stale", ACTION_LIMIT)
        .await
        .context("the core refuses to approve a stale draft")?;
    w.screenshot("desktop-stale-draft").await?;
    w.close().await?;

    let store = open_desk(desk.data_dir()).await;
    let d = countersign_core::workflow::drafts::find(store.pool(), &draft.parse()?).await?;
    assert_eq!(
        d.status,
        countersign_model::workflow::DraftStatus::Stale,
        "a refused approval leaves the draft stale"
    );
    Ok(())
}

/// Issue 14: a ticket nobody drafted → Draft with AI (`d`, the offline drafter) → the draft
/// shows who wrote it, that its figures match the records, and what it cites → approve.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft_with_ai_then_approve() -> Result<()> {
    let desk = Desk::demo(60, 600, 60)?;
    let ticket = quiet_ticket(desk.data_dir()).await?;

    let w = Window::open(desk.data_dir()).await?;
    w.click(&format!("#row-{ticket}")).await?;
    w.wait_css("#draft-with-ai", ACTION_LIMIT)
        .await
        .context("a ticket without a draft offers Draft with AI")?;
    w.press("d").await?;
    w.wait_css(".card.draft", ACTION_LIMIT)
        .await
        .context("the draft appears in the ticket")?;
    w.wait_text(".author", "countersign/offline", ACTION_LIMIT)
        .await
        .context("the draft says who wrote it")?;
    w.wait_css("#generation", ACTION_LIMIT).await?;
    w.wait_css(".citations .cite", ACTION_LIMIT)
        .await
        .context("the draft cites the records it used")?;
    w.wait_css("#grounding-ok", ACTION_LIMIT)
        .await
        .context("the offline drafter states only what the records show")?;
    let text = w
        .client
        .find(Locator::Css("#draft-text"))
        .await?
        .text()
        .await?;
    w.screenshot("desktop-draft-with-ai").await?;
    w.click("#approve").await?;
    // The toast first: the thread may already hold an earlier reply that opens the same way
    // (the demo's agents and the offline drafter both thank the customer for writing).
    w.wait_text("#toast", "Approved", ACTION_LIMIT)
        .await
        .context("the approval is confirmed")?;
    let first_line = text
        .lines()
        .find(|l| l.len() > 20)
        .unwrap_or(&text)
        .to_owned();
    w.wait_text("#thread", &first_line, ACTION_LIMIT)
        .await
        .context("the approved reply joins the thread")?;
    w.close().await?;

    let store = open_desk(desk.data_dir()).await;
    let (author, status): (String, String) = sqlx::query_as(
        "SELECT author_client, status FROM drafts WHERE ticket_id = ? ORDER BY created_at DESC LIMIT 1",
    )
    .bind(&ticket)
    .fetch_one(store.pool())
    .await?;
    assert_eq!(
        (author.as_str(), status.as_str()),
        ("countersign/offline", "approved")
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'draft_with_ai' AND actor = 'countersign/offline'",
    )
    .fetch_one(store.pool())
    .await?;
    assert_eq!(
        audited, 1,
        "asking for a draft is audited like any proposal"
    );
    Ok(())
}
