//! Issue 15: saved replies in the window — `#` and a word in the reply box finds one, Enter puts
//! it in filled from the ticket's records, nothing goes out until the person sends; a reply still
//! holding a variable is refused in their words; a person keeps a text as their own.

use super::fixtures::{open_desk, quiet_ticket};
use super::window::{ACTION_LIMIT, Window};
use anyhow::{Context, Result, ensure};
use countersign_e2e::Desk;
use countersign_model::TicketId;
use fantoccini::Locator;
use std::time::{Duration, Instant};

/// The reply box's text as the page holds it.
async fn reply_text(w: &Window) -> Result<String> {
    let v = w
        .client
        .execute(
            "return document.querySelector('#compose-body').value;",
            vec![],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Keys typed into the reply box after what it holds (WebDriver key codes allowed).
async fn keys(w: &Window, keys: &str) -> Result<()> {
    w.client
        .find(Locator::Css("#compose-body"))
        .await?
        .send_keys(keys)
        .await?;
    Ok(())
}

async fn wait_reply(w: &Window, want: &str) -> Result<()> {
    let started = Instant::now();
    loop {
        let now = reply_text(w).await?;
        if now == want {
            return Ok(());
        }
        ensure!(
            started.elapsed() < ACTION_LIMIT,
            "the reply box holds {now:?}, not {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_reply_is_found_with_hash_filled_and_sent_only_by_the_person() -> Result<()> {
    let desk = Desk::demo(40, 200, 40)?;
    let ticket = quiet_ticket(desk.data_dir()).await?;
    // What the desk fills this saved reply with for this ticket: the window must insert exactly
    // that, and it must name the customer and an invoice of theirs.
    let store = open_desk(desk.data_dir()).await;
    let person = countersign_core::settings::person(store.pool()).await?;
    let tid = TicketId::parse(&ticket)?;
    let filled =
        countersign_core::saved_replies::fill(&store, &person, &tid, "sr_demo_en_2").await?;
    let (first, number): (String, String) = sqlx::query_as(
        "SELECT substr(c.name || ' ', 1, instr(c.name || ' ', ' ') - 1), \
                (SELECT invoice_number FROM invoices WHERE customer_id = c.id ORDER BY issue_date DESC LIMIT 1) \
         FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?",
    )
    .bind(&ticket)
    .fetch_one(store.pool())
    .await?;
    ensure!(
        filled.missing.is_empty() && filled.text.starts_with(&format!("Hi {first},")),
        "filled from the records: {filled:?}"
    );
    ensure!(
        filled.text.contains("INV-"),
        "an invoice number is filled in: {filled:?} (newest {number})"
    );
    let messages_before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE ticket_id = ?")
            .bind(&ticket)
            .fetch_one(store.pool())
            .await?;
    store.close().await;

    let w = Window::open(desk.data_dir()).await?;
    w.click(&format!("#row-{ticket}")).await?;
    w.wait_css("#compose-body", ACTION_LIMIT).await?;
    w.type_into("#compose-body", "#card").await?;
    w.wait_text("#saved-list", "update your card", ACTION_LIMIT)
        .await
        .context("# and a word find the saved reply")?;
    w.screenshot("desktop-saved-replies").await?;
    keys(&w, "\u{E007}").await?;
    wait_reply(&w, &filled.text)
        .await
        .context("Enter puts it in, filled, in place of #card")?;
    w.wait_gone("#saved-picker", ACTION_LIMIT).await?;

    let store = open_desk(desk.data_dir()).await;
    let messages_now: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE ticket_id = ?")
        .bind(&ticket)
        .fetch_one(store.pool())
        .await?;
    ensure!(messages_now == messages_before, "inserting sent nothing");
    store.close().await;

    // A variable the person left in is refused in their words.
    keys(&w, " {{invoice.number}}").await?;
    w.click("#compose-send").await?;
    w.wait_text("#toast", "still holds {{invoice.number}}", ACTION_LIMIT)
        .await
        .context("a reply holding a variable is not sent")?;
    // The person takes it out again and sends: that reply, and only it, goes.
    let added = " {{invoice.number}}".chars().count();
    keys(&w, &"\u{E003}".repeat(added)).await?;
    wait_reply(&w, &filled.text).await?;
    w.click("#compose-send").await?;
    w.wait_text("#toast", "queued", ACTION_LIMIT).await?;

    // Their own saved reply: a text kept under a title, found, marked theirs.
    w.type_into(
        "#compose-body",
        "Thanks {{customer.first_name}}, all sorted.",
    )
    .await?;
    w.click("#saved-open").await?;
    w.type_into("#saved-title", "All sorted").await?;
    w.click("#saved-keep").await?;
    w.wait_text("#toast", "kept", ACTION_LIMIT).await?;
    // Typed a key at a time, as a person types: the field stays the one typed in (it was built
    // again after every key, and the keys after the first went nowhere).
    let search = w.client.find(Locator::Css("#saved-search")).await?;
    search.clear().await?;
    for key in "sorted".chars() {
        search
            .send_keys(&key.to_string())
            .await
            .context("the search field is still the one being typed in")?;
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    w.wait_text("#saved-list .saved-item", "All sorted", ACTION_LIMIT)
        .await?;
    w.wait_css("#saved-list .badge.mine", ACTION_LIMIT).await?;
    w.close().await?;

    let store = open_desk(desk.data_dir()).await;
    let sent: Vec<String> = sqlx::query_scalar(
        "SELECT json_extract(payload, '$.body') FROM outbox
         WHERE kind = 'send_reply' AND json_extract(payload, '$.ticket_id') = ? ORDER BY seq",
    )
    .bind(&ticket)
    .fetch_all(store.pool())
    .await?;
    assert_eq!(sent, [filled.text], "one reply, the one sent");
    let kept: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT title, body, personal FROM saved_replies WHERE personal = 1")
            .fetch_all(store.pool())
            .await?;
    assert_eq!(
        kept,
        [(
            "All sorted".to_owned(),
            "Thanks {{customer.first_name}}, all sorted.".to_owned(),
            1
        )]
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'save_reply'")
            .fetch_one(store.pool())
            .await?;
    assert_eq!(audited, 1);
    Ok(())
}
