//! Issue 17: a reply's way to the customer shows under it in the thread, as the platform
//! reports it — delivered, with the server's answer on hover, or not, with why.

use super::fixtures::{open_desk, to_top};
use super::window::{ACTION_LIMIT, Window};
use anyhow::{Context, Result};
use countersign_e2e::Desk;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_s_delivery_shows_under_it_in_the_thread() -> Result<()> {
    let desk = Desk::demo(40, 200, 40)?;
    let store = open_desk(desk.data_dir()).await;
    // A ticket with two replies of an agent: one delivered, one refused by the customer's server
    // (as the feed writes the platform's report).
    let ticket: String = sqlx::query_scalar(
        "SELECT ticket_id FROM messages WHERE author_kind = 'agent' AND visibility = 'public'
         GROUP BY ticket_id HAVING count(*) >= 1 ORDER BY ticket_id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .context("the demo has a ticket an agent answered")?;
    let reply: String = sqlx::query_scalar(
        "SELECT id FROM messages WHERE ticket_id = ? AND author_kind = 'agent' AND visibility = 'public'
         ORDER BY rowid DESC LIMIT 1",
    )
    .bind(&ticket)
    .fetch_one(store.pool())
    .await?;
    sqlx::query(
        "UPDATE messages SET delivery = 'failed', \
         delivery_detail = '550 5.1.1 <anna@example.com>: Recipient address rejected: User unknown', \
         delivered_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
    )
    .bind(&reply)
    .execute(store.pool())
    .await?;
    let customer_first: String = sqlx::query_scalar(
        "SELECT id FROM messages WHERE ticket_id = ? AND author_kind = 'customer' ORDER BY rowid LIMIT 1",
    )
    .bind(&ticket)
    .fetch_one(store.pool())
    .await?;
    to_top(&store, &ticket).await?;
    store.close().await;

    let w = Window::open(desk.data_dir()).await?;
    w.click(&format!("#row-{ticket}")).await?;
    w.wait_text(
        &format!("#msg-{reply} .msg-delivery.failed"),
        "Not delivered: 550 5.1.1",
        ACTION_LIMIT,
    )
    .await
    .context("a refused reply says so under it")?;
    let shown = w.text(&format!("#msg-{customer_first}")).await?;
    assert!(
        !shown.contains("delivered") && !shown.contains("Delivered"),
        "a customer's message has no delivery line: {shown}"
    );
    // The line under the reply in view, for the picture.
    w.client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'end'});",
            vec![serde_json::json!(format!("#msg-{reply} .msg-delivery"))],
        )
        .await?;
    w.screenshot("desktop-reply-delivery").await?;
    w.close().await?;
    Ok(())
}
