//! Issue 15: a person works a ticket's own state in the window — waiting on the customer,
//! solved, its priority — and each change is on the desk, audited and queued for the platform.

use super::fixtures::{open_desk, to_top};
use super::window::{ACTION_LIMIT, Window};
use anyhow::{Context, Result};
use countersign_e2e::Desk;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_is_set_waiting_then_solved_and_its_priority_raised() -> Result<()> {
    let desk = Desk::demo(40, 200, 40)?;
    let store = open_desk(desk.data_dir()).await;
    let ticket: String = sqlx::query_scalar(
        "SELECT id FROM tickets WHERE status = 'open' AND priority <> 'urgent' ORDER BY id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .context("the demo has an open ticket")?;
    to_top(&store, &ticket).await?;
    store.close().await;

    let w = Window::open(desk.data_dir()).await?;
    w.click(&format!("#row-{ticket}")).await?;
    w.wait_css("#ticket-actions", ACTION_LIMIT).await?;
    w.click("#move-pending").await?;
    w.wait_text(".ticket-head .status", "Pending", ACTION_LIMIT)
        .await
        .context("the ticket waits on the customer")?;
    w.wait_text("#move-open", "Open", ACTION_LIMIT)
        .await
        .context("a ticket waiting on the customer is opened, not reopened")?;
    w.click("#move-solved").await?;
    w.wait_text(".ticket-head .status", "Solved", ACTION_LIMIT)
        .await?;
    w.wait_css("#move-closed", ACTION_LIMIT)
        .await
        .context("a solved ticket can be closed or reopened")?;
    w.wait_text("#move-open", "Reopen", ACTION_LIMIT).await?;
    w.select("#ticket-priority", "urgent").await?;
    w.wait_text(".ticket-head .prio", "Urgent", ACTION_LIMIT)
        .await?;
    w.screenshot("desktop-ticket-actions").await?;
    w.close().await?;

    let store = open_desk(desk.data_dir()).await;
    let (status, priority): (String, String) =
        sqlx::query_as("SELECT status, priority FROM tickets WHERE id = ?")
            .bind(&ticket)
            .fetch_one(store.pool())
            .await?;
    assert_eq!((status.as_str(), priority.as_str()), ("solved", "urgent"));
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT kind FROM outbox WHERE payload LIKE '%' || ? || '%' ORDER BY seq",
    )
    .bind(&ticket)
    .fetch_all(store.pool())
    .await?;
    assert_eq!(
        kinds,
        ["set_status", "set_status", "set_priority"],
        "each change is queued for the platform"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE subject = ? AND action IN ('set_status', 'set_priority')",
    )
    .bind(&ticket)
    .fetch_one(store.pool())
    .await?;
    assert_eq!(audited, 3, "and audited");
    Ok(())
}

/// Issue 15: a ticket is taken ("Take it"), given to a colleague, and let go, in the window;
/// "Mine" follows the agent id; each is on the desk, audited and queued with the id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_is_taken_given_to_a_colleague_and_let_go() -> Result<()> {
    let desk = Desk::demo(40, 200, 40)?;
    let store = open_desk(desk.data_dir()).await;
    let ticket: String = sqlx::query_scalar(
        "SELECT id FROM tickets WHERE status = 'open' AND assignee IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .context("the demo has an open ticket nobody holds")?;
    to_top(&store, &ticket).await?;
    store.close().await;

    let w = Window::open(desk.data_dir()).await?;
    w.click(&format!("#row-{ticket}")).await?;
    w.click("#assign-me").await?;
    w.wait_text("#toast", "Assigned to Alex Morgan", ACTION_LIMIT)
        .await
        .context("the person takes the ticket")?;
    w.wait_text("#ticket-assignee", "Alex Morgan (me)", ACTION_LIMIT)
        .await?;
    w.click("#scope-mine").await?;
    w.wait_css(&format!("#row-{ticket}"), ACTION_LIMIT)
        .await
        .context("a ticket taken is in Mine")?;
    w.select("#ticket-assignee", "agt_priya").await?;
    w.wait_text("#toast", "Assigned to Priya Shah", ACTION_LIMIT)
        .await
        .context("given to a colleague")?;
    w.wait_css("#assign-me", ACTION_LIMIT)
        .await
        .context("a colleague's ticket can be taken back")?;
    w.screenshot("desktop-assigned").await?;
    w.select("#ticket-assignee", "").await?;
    w.wait_text("#toast", "Unassigned", ACTION_LIMIT).await?;
    w.close().await?;

    let store = open_desk(desk.data_dir()).await;
    let assignee: Option<String> = sqlx::query_scalar("SELECT assignee FROM tickets WHERE id = ?")
        .bind(&ticket)
        .fetch_one(store.pool())
        .await?;
    assert_eq!(assignee, None, "let go at the end");
    let sent: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT json_extract(payload, '$.assignee') FROM outbox
         WHERE kind = 'assign' AND json_extract(payload, '$.ticket_id') = ? ORDER BY seq",
    )
    .bind(&ticket)
    .fetch_all(store.pool())
    .await?;
    assert_eq!(
        sent,
        [
            Some("agt_alex".to_owned()),
            Some("agt_priya".to_owned()),
            None
        ],
        "each assignment is queued for the platform, by agent id"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE subject = ? AND action = 'assign'",
    )
    .bind(&ticket)
    .fetch_one(store.pool())
    .await?;
    assert_eq!(audited, 3, "and audited");
    Ok(())
}

/// Issue 15: a ticket snoozed until tomorrow morning leaves the inbox for the Snoozed list, says
/// until when, and is woken back; both decisions are on the desk, audited and queued.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_is_snoozed_until_tomorrow_and_woken() -> Result<()> {
    let desk = Desk::demo(40, 200, 40)?;
    let store = open_desk(desk.data_dir()).await;
    let ticket: String =
        sqlx::query_scalar("SELECT id FROM tickets WHERE status = 'open' ORDER BY id DESC LIMIT 1")
            .fetch_one(store.pool())
            .await
            .context("the demo has an open ticket")?;
    to_top(&store, &ticket).await?;
    store.close().await;

    let w = Window::open(desk.data_dir()).await?;
    let row = format!("#row-{ticket}");
    w.click(&row).await?;
    w.select("#ticket-snooze", "tomorrow").await?;
    w.wait_text("#toast", "Snoozed until", ACTION_LIMIT)
        .await
        .context("the ticket is set aside")?;
    w.wait_gone(&row, ACTION_LIMIT)
        .await
        .context("a snoozed ticket leaves the inbox")?;
    w.wait_text("#snoozed-until", "Snoozed until", ACTION_LIMIT)
        .await
        .context("the open ticket says until when")?;
    w.click("#snoozed").await?;
    w.wait_text(&format!("{row} .snoozed"), "Snoozed until", ACTION_LIMIT)
        .await
        .context("it waits in the Snoozed list")?;
    w.screenshot("desktop-snoozed").await?;
    w.click("#wake").await?;
    w.wait_text("#toast", "Back in the inbox", ACTION_LIMIT)
        .await?;
    w.wait_gone(&row, ACTION_LIMIT)
        .await
        .context("woken, it leaves the Snoozed list")?;
    w.click("#snoozed").await?;
    w.wait_css(&row, ACTION_LIMIT)
        .await
        .context("and is back in the inbox")?;
    w.close().await?;

    let store = open_desk(desk.data_dir()).await;
    let until: Option<String> =
        sqlx::query_scalar("SELECT snoozed_until FROM tickets WHERE id = ?")
            .bind(&ticket)
            .fetch_one(store.pool())
            .await?;
    assert_eq!(until, None, "awake at the end");
    // Hours from now to each queued end (none for the wake).
    let sent: Vec<Option<f64>> = sqlx::query_scalar(
        "SELECT (julianday(json_extract(payload, '$.until')) - julianday('now')) * 24 FROM outbox
         WHERE kind = 'snooze' AND json_extract(payload, '$.ticket_id') = ? ORDER BY seq",
    )
    .bind(&ticket)
    .fetch_all(store.pool())
    .await?;
    assert_eq!(sent.len(), 2, "snoozed, then woken: {sent:?}");
    let hours = sent[0].unwrap_or_default();
    assert!(
        (9.0..=33.0).contains(&hours),
        "tomorrow at 9:00 local is 9 to 33 hours away, not {hours}"
    );
    assert_eq!(sent[1], None);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE subject = ? AND action = 'snooze'",
    )
    .bind(&ticket)
    .fetch_one(store.pool())
    .await?;
    assert_eq!(audited, 2, "and audited");
    Ok(())
}

/// Issue 15: a customer's ticket is merged into another of theirs from the header: the window
/// goes to the survivor, whose thread now holds both; the merged ticket says where it went; the
/// desk has it closed, pointing there, audited and queued bound to both tickets as seen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_is_merged_into_another_of_the_customers() -> Result<()> {
    let desk = Desk::demo(40, 200, 60)?;
    let store = open_desk(desk.data_dir()).await;
    let (from, into, subject): (String, String, String) = sqlx::query_as(
        "SELECT a.id, b.id, b.subject FROM tickets a JOIN tickets b \
         ON a.customer_id = b.customer_id AND a.id <> b.id \
         WHERE a.status <> 'closed' AND b.status <> 'closed' ORDER BY a.id, b.updated_at DESC LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .context("the demo has a customer with two tickets")?;
    let thread = |pool: sqlx::SqlitePool, t: String| async move {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM messages WHERE ticket_id = ?")
            .bind(t)
            .fetch_one(&pool)
            .await
    };
    let both = thread(store.pool().clone(), from.clone()).await?
        + thread(store.pool().clone(), into.clone()).await?;
    to_top(&store, &from).await?;
    store.close().await;

    let w = Window::open(desk.data_dir()).await?;
    w.click(&format!("#row-{from}")).await?;
    w.select("#ticket-merge", &into).await?;
    w.wait_text("#merge-confirm", &subject, ACTION_LIMIT)
        .await?;
    w.screenshot("desktop-merge").await?;
    w.click("#merge-confirm").await?;
    w.wait_text("#toast", "Merged into", ACTION_LIMIT)
        .await
        .context("the merge is done")?;
    w.wait_css(&format!(".ticket-head[data-ticket={into}]"), ACTION_LIMIT)
        .await
        .context("the window goes to the survivor")?;
    w.close().await?;

    let store = open_desk(desk.data_dir()).await;
    assert_eq!(
        thread(store.pool().clone(), into.clone()).await?,
        both,
        "both threads are on the survivor"
    );
    let (status, merged_into): (String, Option<String>) =
        sqlx::query_as("SELECT status, merged_into FROM tickets WHERE id = ?")
            .bind(&from)
            .fetch_one(store.pool())
            .await?;
    assert_eq!(
        (status.as_str(), merged_into.as_deref()),
        ("closed", Some(into.as_str()))
    );
    let queued: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'merge_tickets' \
         AND json_extract(payload, '$.ticket_id') = ? AND json_extract(payload, '$.into') = ?",
    )
    .bind(&from)
    .bind(&into)
    .fetch_one(store.pool())
    .await?;
    assert_eq!(queued, 1, "queued for the platform");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'merge_tickets' AND subject = ?",
    )
    .bind(&from)
    .fetch_one(store.pool())
    .await?;
    assert_eq!(audited, 1, "and audited");
    Ok(())
}

/// Issue 15 (SLA): "Breaks next" lists the open tickets with an SLA running, the one that breaks
/// next first, with its countdown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_lists_what_breaks_next_first() -> Result<()> {
    let desk = Desk::demo(40, 200, 60)?;
    let store = open_desk(desk.data_dir()).await;
    let first: String = sqlx::query_scalar(
        "SELECT id FROM tickets WHERE status = 'open' AND sla_due_at IS NOT NULL \
         AND (snoozed_until IS NULL OR snoozed_until <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) \
         ORDER BY sla_due_at, id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .context("the demo has open tickets with an SLA")?;
    store.close().await;
    let w = Window::open(desk.data_dir()).await?;
    w.click("#breaks-next").await?;
    w.wait_css(
        &format!("#inbox-rows > #row-{first}:first-child"),
        ACTION_LIMIT,
    )
    .await
    .context("the ticket that breaks next is first")?;
    w.wait_css(&format!("#row-{first} .sla"), ACTION_LIMIT)
        .await
        .context("with its countdown")?;
    w.screenshot("desktop-breaks-next").await?;
    w.close().await?;
    Ok(())
}
