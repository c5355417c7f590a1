//! The keyboard in the window: a shortcut acts only on what is on screen when it is pressed, and
//! never on keys meant for a field.

use super::fixtures::{field, open_desk, propose};
use super::window::{ACTION_LIMIT, Window};
use anyhow::{Context, Result};
use countersign_e2e::Desk;
use fantoccini::Locator;
use std::time::Duration;

/// Issue "Holes found by attack", item 6: `a` pressed on a ticket with no draft did nothing
/// visible, and clicking another ticket then approved *its* draft at once; `x` likewise opened
/// an escalation form minutes later. A shortcut acts only on what is on screen when it is pressed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shortcut_with_nothing_to_act_on_is_forgotten() -> Result<()> {
    let desk = Desk::demo(60, 600, 60)?;
    let filed = propose(desk.data_dir(), &["draft"])?;
    let (ticket, draft) = (field(&filed, "ticket_id"), field(&filed, "draft_id"));
    let w = Window::open(desk.data_dir()).await?;
    w.wait_css(&format!("#row-{ticket} .badge-draft"), ACTION_LIMIT)
        .await?;
    let other = w
        .client
        .execute(
            "return Array.from(document.querySelectorAll('[id^=\"row-\"]'))
                 .find(r => !r.querySelector('.badge-draft')).id;",
            vec![],
        )
        .await?
        .as_str()
        .context("a ticket without a draft on screen")?
        .to_owned();
    w.click(&format!("#{other}")).await?;
    w.wait_css("#ticket-view", ACTION_LIMIT).await?;
    w.press("a").await?;
    w.wait_text("#toast", "No draft on screen", ACTION_LIMIT)
        .await
        .context("a shortcut with nothing to act on says so")?;
    w.press("x").await?;

    w.click(&format!("#row-{ticket}")).await?;
    w.wait_css(&format!("#draft-{draft}"), ACTION_LIMIT).await?;
    // A key pressed now acts on this draft, which is on screen: the editor opens.
    w.press("e").await?;
    w.wait_css("#draft-body", ACTION_LIMIT).await?;
    w.wait_text("#draft-status", "waiting for review", ACTION_LIMIT)
        .await
        .context("the earlier `a` did not approve the draft opened after it")?;
    assert!(
        w.client.find(Locator::Css("#escalate-form")).await.is_err(),
        "the earlier `x` did not open the escalation form"
    );
    w.close().await?;

    let store = open_desk(desk.data_dir()).await;
    let d = countersign_core::workflow::drafts::find(store.pool(), &draft.parse()?).await?;
    assert_eq!(
        d.status,
        countersign_model::workflow::DraftStatus::PendingReview,
        "the draft was never approved"
    );
    let approvals = countersign_core::audit::tail(store.pool(), 100, Some("approve_draft")).await?;
    assert!(
        approvals.is_empty(),
        "no approval was audited: {approvals:?}"
    );
    Ok(())
}

/// Found by CI: a live reload rebuilt the draft editor while keys were being typed into it, and
/// the keys that followed landed on the page as shortcuts (the reply held `e`, `r` and `a`): the
/// card left edit mode, and `a` would approve the assistant's text instead of the person's. Keys
/// within a moment of typing in a field never act, and while a draft is being edited no
/// shortcut does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_meant_for_the_editor_never_act_on_the_draft() -> Result<()> {
    let desk = Desk::demo(60, 600, 60)?;
    let filed = propose(desk.data_dir(), &["draft"])?;
    let (ticket, draft) = (field(&filed, "ticket_id"), field(&filed, "draft_id"));
    let w = Window::open(desk.data_dir()).await?;
    w.click(&format!("#row-{ticket}")).await?;
    w.wait_css(&format!("#draft-{draft}"), ACTION_LIMIT).await?;
    w.click("#edit").await?;
    w.type_into("#draft-body", "Hello, we refunded").await?;
    // The field is gone from under the keys (as a reload rebuilds it): `r` lands on the page.
    w.press("r").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        w.client.find(Locator::Css("#reject-reason")).await.is_err(),
        "a key typed just after the field went did not open the rejection"
    );
    w.wait_css("#approve-edited", ACTION_LIMIT)
        .await
        .context("the draft is still being edited")?;
    // Long after typing, `a` still does not approve the assistant's text over the edit.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    w.press("a").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    w.wait_css("#approve-edited", ACTION_LIMIT)
        .await
        .context("the draft is still being edited")?;
    w.wait_text("#draft-status", "waiting for review", ACTION_LIMIT)
        .await
        .context("`a` while editing approved nothing")?;
    w.close().await?;

    let store = open_desk(desk.data_dir()).await;
    let approvals = countersign_core::audit::tail(store.pool(), 100, Some("approve_draft")).await?;
    assert!(approvals.is_empty(), "nothing was approved: {approvals:?}");
    Ok(())
}
