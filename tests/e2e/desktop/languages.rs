//! Issue 15: the window reads in the desktop's language, with dates, numbers and money per its
//! rules, and the person can switch it in Settings; the layout works from the window's minimum
//! width to a wide screen.

use super::fixtures::{open_desk, quiet_ticket};
use super::window::{ACTION_LIMIT, Window};
use anyhow::{Context, Result, ensure};
use countersign_e2e::Desk;
use fantoccini::Locator;

/// The width in CSS pixels of what `css` matches.
async fn width(w: &Window, css: &str) -> Result<f64> {
    let v = w
        .client
        .execute(
            "return document.querySelector(arguments[0]).getBoundingClientRect().width;",
            vec![css.into()],
        )
        .await?;
    v.as_f64().context("a width")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spanish_desktop_reads_in_spanish_and_the_language_can_be_switched() -> Result<()> {
    let desk = Desk::demo(60, 600, 60)?;
    let ticket = quiet_ticket(desk.data_dir()).await?;
    let w = Window::open_on(
        desk.data_dir(),
        "demo",
        &[("LANG", "es_ES.UTF-8"), ("LANGUAGE", "es_ES")],
    )
    .await?;
    w.wait_text("#nav-inbox", "Bandeja", ACTION_LIMIT)
        .await
        .context("a Spanish desktop gets a Spanish window")?;
    w.wait_css("html[lang=es]", ACTION_LIMIT).await?;
    w.wait_text("#welcome", "demostración", ACTION_LIMIT)
        .await
        .context("the first start says what this desk is, in Spanish")?;
    w.click("#welcome-ok").await?;
    w.wait_gone("#welcome", ACTION_LIMIT).await?;
    w.wait_text(&format!("#row-{ticket} .status"), "Pendiente", ACTION_LIMIT)
        .await
        .context("states read in Spanish, not as raw enums")?;
    w.wait_text("#sync-status", "solo local", ACTION_LIMIT)
        .await?;

    w.click(&format!("#row-{ticket}")).await?;
    w.wait_css("#invoices tr", ACTION_LIMIT).await?;
    let row = w.client.find(Locator::Css("#invoices tr")).await?;
    let invoice = row
        .attr("id")
        .await?
        .and_then(|id| id.strip_prefix("invoice-").map(str::to_owned))
        .context("an invoice row names its invoice")?;
    let shown = row.text().await?;
    let store = open_desk(desk.data_dir()).await;
    let (total, currency, status): (i64, String, String) =
        sqlx::query_as("SELECT total, currency, invoice_status FROM invoices WHERE id = ?")
            .bind(&invoice)
            .fetch_one(store.pool())
            .await?;
    store.close().await;
    ensure!(
        currency != "JPY",
        "the demo bills in two-decimal currencies"
    );
    // Spanish writes the decimal comma; grouping marks vary with the size, so they are left out.
    let digits: String = shown
        .chars()
        .filter(|c| !matches!(c, '.' | '\u{a0}' | '\u{202f}' | ' '))
        .collect();
    let (units, cents) = (total.abs() / 100, total.abs() % 100);
    let amount = format!("{units},{cents:02}");
    ensure!(
        digits.contains(&amount) && !shown.contains(&format!("{units}.{cents:02}")),
        "{invoice} ({total} {currency}) reads {shown:?}: the amount in Spanish is {amount}"
    );
    ensure!(
        !shown.contains(&status) && !shown.contains('_'),
        "statuses are words, not raw enums: {shown:?}"
    );
    w.press("d").await?;
    w.wait_css(".card.draft", ACTION_LIMIT).await?;
    w.wait_text("#toast", "Redactado por", ACTION_LIMIT)
        .await
        .context("what the window says after an action is in Spanish too")?;
    w.screenshot("desktop-es-ticket").await?;
    // A refusal is said as a person would, in their language, its code kept (it read
    // "invalid argument: `reason` must not be empty").
    w.click("#reject").await?;
    w.click("#reject-confirm").await?;
    w.wait_text(
        "#toast",
        "Di por qué, en pocas palabras. (invalid_argument)",
        ACTION_LIMIT,
    )
    .await
    .context("a rejection without a reason is refused in Spanish")?;

    w.click("#nav-settings").await?;
    w.wait_css("#set-language", ACTION_LIMIT).await?;
    w.select("#set-language", "de").await?;
    w.wait_text("#nav-inbox", "Posteingang", ACTION_LIMIT)
        .await
        .context("the switch in Settings changes the window at once")?;
    w.wait_css("html[lang=de]", ACTION_LIMIT).await?;
    w.wait_text("#toast", "Gespeichert", ACTION_LIMIT).await?;
    w.screenshot("desktop-de-settings").await?;
    w.select("#set-language", "system").await?;
    w.wait_text("#nav-inbox", "Bandeja", ACTION_LIMIT)
        .await
        .context("back to the system's language")?;
    w.close().await?;

    let store = open_desk(desk.data_dir()).await;
    let (value, changes, welcomed): (String, i64, String) = sqlx::query_as(
        "SELECT (SELECT value FROM settings WHERE key = 'ui.language'), \
                (SELECT COUNT(*) FROM audit_log WHERE action = 'change_setting' AND subject = 'ui.language'), \
                (SELECT value FROM settings WHERE key = 'ui.welcomed')",
    )
    .fetch_one(store.pool())
    .await?;
    assert_eq!(
        (value.as_str(), changes),
        ("system", 2),
        "the choice is kept on the desk, each change audited"
    );
    assert_eq!(welcomed, "true", "the welcome is said once");
    Ok(())
}

/// At the window's smallest size an open ticket keeps a thread one can read (it was 128 px,
/// one word a line); on a wide screen the side column grows and its tables fit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_layout_works_from_the_smallest_window_to_a_wide_screen() -> Result<()> {
    let desk = Desk::demo(60, 600, 60)?;
    let ticket = quiet_ticket(desk.data_dir()).await?;
    let w = Window::open(desk.data_dir()).await?;
    w.click(&format!("#row-{ticket}")).await?;
    w.wait_css("#invoices tr", ACTION_LIMIT).await?;
    for (wide, high) in [(1024u32, 700u32), (900, 700), (1920, 1080)] {
        w.client.set_window_size(wide, high).await?;
        // The window manager's resize reaches the page a moment later.
        let mut shown = 0.0;
        for _ in 0..40 {
            shown = w
                .client
                .execute("return window.innerWidth;", vec![])
                .await?
                .as_f64()
                .unwrap_or_default();
            if (shown - f64::from(wide)).abs() < 40.0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        ensure!(
            (shown - f64::from(wide)).abs() < 40.0,
            "the window was resized to {wide} px (it is {shown})"
        );
        let thread = width(&w, "#thread").await?;
        ensure!(
            thread >= 400.0,
            "at {wide}×{high} the thread is {thread} px wide"
        );
        let (side, table) = (width(&w, ".side-col").await?, width(&w, "#invoices").await?);
        ensure!(
            table <= side + 1.0,
            "at {wide}×{high} the invoice table ({table} px) overflows its column ({side} px)"
        );
        w.screenshot(&format!("desktop-ticket-{wide}x{high}"))
            .await?;
    }
    ensure!(
        width(&w, ".side-col").await? > 400.0,
        "a wide screen gives the side column room"
    );
    // An invoice row opens the invoice (it could not be opened).
    let number = w
        .client
        .find(Locator::Css("#invoices tr td"))
        .await?
        .text()
        .await?;
    w.click("#invoices tr td:nth-child(3)").await?;
    w.wait_text("#cited-record h3", &number, ACTION_LIMIT)
        .await
        .context("the invoice opens from its row")?;
    // `j` keeps the highlight on screen however far it goes (it went off-screen), in the
    // smallest window with the first-start welcome still shown above the list.
    w.client.set_window_size(1024, 700).await?;
    for _ in 0..25 {
        w.press("j").await?;
    }
    let mut seen = serde_json::Value::Null;
    for _ in 0..40 {
        seen = w
            .client
            .execute(
                "const list = document.querySelector('#inbox-rows'); \
                 const row = list.querySelector('.row.selected'); \
                 const l = list.getBoundingClientRect(), r = row.getBoundingClientRect(); \
                 return {index: Array.from(list.children).indexOf(row), height: l.height, \
                         inside: r.top >= l.top - 1 && r.bottom <= l.bottom + 1};",
                vec![],
            )
            .await?;
        if seen["index"] == 25 && seen["inside"] == true && seen["height"].as_f64() > Some(100.0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    ensure!(
        seen["index"] == 25 && seen["inside"] == true && seen["height"].as_f64() > Some(100.0),
        "after 25 × j the 26th row is highlighted and in sight in a list one can see: {seen}"
    );
    w.close().await?;
    Ok(())
}
