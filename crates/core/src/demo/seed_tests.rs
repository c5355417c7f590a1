//! Seeding real temp desks: determinism, the money invariants, and the shapes the demo promises.

use super::*;
use countersign_model::TicketId;
use sqlx::Row;

fn cfg() -> DemoConfig {
    DemoConfig {
        customers: 50,
        invoices: 500,
        tickets: 30,
        seed: 7,
        today: NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
    }
}

async fn seeded(cfg: &DemoConfig) -> (tempfile::TempDir, Store, SeedReport) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("d.sqlite3")).await.unwrap();
    let mut calls = 0;
    let report = seed(&store, cfg, &mut |_, _, _| calls += 1).await.unwrap();
    assert!(calls > 0, "progress must be reported");
    (dir, store, report)
}

async fn scalar(store: &Store, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// `(id, total)` of every invoice plus `(id, email)` of every customer and `(id, subject)` of
/// every ticket, in id order.
async fn fingerprint(store: &Store) -> Vec<(String, String)> {
    let rows = sqlx::query(
        "SELECT id, CAST(total AS TEXT) AS v FROM invoices \
         UNION ALL SELECT id, email FROM customers \
         UNION ALL SELECT id, subject FROM tickets ORDER BY 1",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    rows.iter().map(|r| (r.get("id"), r.get("v"))).collect()
}

#[tokio::test]
async fn the_same_config_seeds_the_same_rows() {
    let (_a, first, r1) = seeded(&cfg()).await;
    let (_b, second, r2) = seeded(&cfg()).await;
    let counts = |r: &SeedReport| SeedReport {
        elapsed: Duration::ZERO,
        ..r.clone()
    };
    assert_eq!(
        counts(&r1),
        counts(&r2),
        "row counts must not depend on the run"
    );
    assert_eq!(r1.customers, 50);
    assert_eq!(r1.invoices, 500);
    assert_eq!(r1.tickets, 30);
    assert!(
        r1.articles >= 20,
        "a knowledge base of about two dozen articles"
    );
    assert_eq!(
        fingerprint(&first).await,
        fingerprint(&second).await,
        "same seed, same rows"
    );

    let other = DemoConfig { seed: 8, ..cfg() };
    let (_c, third, _) = seeded(&other).await;
    assert_ne!(
        fingerprint(&first).await,
        fingerprint(&third).await,
        "the seed must matter"
    );
}

#[tokio::test]
async fn seeded_money_adds_up_and_the_demo_has_something_to_show() {
    let (_dir, store, report) = seeded(&cfg()).await;
    let count = |sql| scalar(&store, sql);
    assert_eq!(
        count("SELECT COUNT(*) FROM invoices WHERE subtotal + total_tax != total").await,
        0,
        "subtotal + tax = total"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM invoices i WHERE subtotal != (SELECT SUM(amount) FROM invoice_line_items l WHERE l.invoice_id = i.id)").await,
        0,
        "line items add up to the subtotal"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM invoices WHERE invoice_status = 'FINALIZED' AND amount_due != amount_paid + amount_remaining").await,
        0,
        "amount_due = paid + remaining on finalized invoices"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM invoices WHERE refunded_amount > amount_paid").await,
        0,
        "refunds never exceed payments"
    );
    assert!(
        count("SELECT COUNT(*) FROM invoices WHERE invoice_status = 'FINALIZED' AND amount_remaining > 0 AND due_date < '2026-03-15'").await > 0,
        "some invoices must be overdue"
    );
    assert!(
        count("SELECT COUNT(*) FROM payments WHERE payment_status = 'FAILED' AND error_message IS NOT NULL AND attempts > 1").await > 0,
        "some payments failed after retries, with the processor's reason"
    );
    assert!(count("SELECT COUNT(*) FROM invoices WHERE payment_status IN ('REFUNDED', 'PARTIALLY_REFUNDED')").await > 0, "refunds");
    assert!(
        count("SELECT COUNT(*) FROM invoices WHERE invoice_status = 'VOIDED'").await > 0,
        "voided invoices"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM invoices WHERE issue_date >= '2026-03-15'").await,
        0,
        "nothing issued on or after today"
    );
    assert_eq!(
        count("SELECT COUNT(DISTINCT email) FROM customers").await,
        50,
        "e-mail addresses are unique"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM customers WHERE email GLOB '*[^a-z0-9@._-]*'").await,
        0,
        "e-mails are folded ASCII"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM pragma_foreign_key_check").await,
        0,
        "no dangling references"
    );
    assert_eq!(
        report.line_items as i64,
        count("SELECT COUNT(*) FROM invoice_line_items").await
    );
    assert_eq!(
        report.payments as i64,
        count("SELECT COUNT(*) FROM payments").await
    );
    assert_eq!(
        report.messages as i64,
        count("SELECT COUNT(*) FROM messages").await
    );

    for lang in ["en", "es", "fr", "de"] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE language = ?")
            .bind(lang)
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert!(n >= 3, "language {lang} has only {n} tickets");
    }
    assert_eq!(
        count("SELECT COUNT(*) FROM (SELECT ticket_id, COUNT(*) AS n FROM messages GROUP BY ticket_id) WHERE n NOT BETWEEN 1 AND 4").await,
        0,
        "threads have 1 to 4 messages"
    );
    assert_eq!(count("SELECT COUNT(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id)").await, 0);
    assert_eq!(
        count("SELECT COUNT(*) FROM messages WHERE body LIKE '%{%'").await,
        0,
        "every placeholder is filled"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM tickets WHERE status = 'open' AND sla_due_at IS NULL").await,
        0,
        "open tickets have an SLA"
    );
    assert!(
        count("SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.body LIKE '%INV-20%'").await > 0,
        "threads quote invoice numbers"
    );
    assert!(
        count("SELECT COUNT(*) FROM tickets WHERE assignee IS NULL").await > 0,
        "some tickets are unassigned"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM kb_articles WHERE json_valid(tags) = 0").await,
        0,
        "tags are JSON"
    );

    // Threads quote the customer's own invoices, numbered as the invoices table has them.
    let quoted: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.customer_id, m.body FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.body LIKE '%INV-%'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    for (customer, body) in &quoted {
        let start = body.find("INV-").unwrap();
        let number: String = body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let owner: Option<String> =
            sqlx::query_scalar("SELECT customer_id FROM invoices WHERE invoice_number = ?")
                .bind(&number)
                .fetch_optional(store.pool())
                .await
                .unwrap();
        assert_eq!(
            owner.as_deref(),
            Some(customer.as_str()),
            "{number} quoted in a ticket of {customer}"
        );
    }
}

#[tokio::test]
async fn seeding_restores_every_index_and_refuses_a_populated_desk() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("d.sqlite3")).await.unwrap();
    let schema = "SELECT name || ':' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name";
    let before: Vec<String> = sqlx::query_scalar(schema)
        .fetch_all(store.pool())
        .await
        .unwrap();
    seed(&store, &cfg(), &mut |_, _, _| {}).await.unwrap();
    let after: Vec<String> = sqlx::query_scalar(schema)
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert!(
        before
            .iter()
            .any(|i| i.starts_with("invoices_customer_unpaid:")),
        "the partial index exists"
    );
    assert_eq!(
        before, after,
        "indexes must come back exactly as the migration defines them"
    );

    // Seeding loads without foreign-key checks on its own connection, which it then closes:
    // every connection of the pool still checks them.
    let mut held = Vec::new();
    for _ in 0..store.pool().options().get_max_connections() {
        let mut conn = store.pool().acquire().await.unwrap();
        let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(
            on, 1,
            "a pooled connection has foreign keys off after seeding"
        );
        held.push(conn);
    }
    drop(held);

    let again = seed(&store, &cfg(), &mut |_, _, _| {}).await;
    assert!(
        matches!(again, Err(Error::Conflict(_))),
        "a desk with customers is not seeded twice: {again:?}"
    );
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM customers").await,
        50,
        "the refused seed wrote nothing"
    );
}

#[tokio::test]
async fn a_customer_message_reopens_the_ticket_and_is_audited() {
    let (_dir, store, _) = seeded(&cfg()).await;
    let (id, version): (String, i64) = sqlx::query_as(
        "SELECT id, version FROM tickets WHERE status = 'solved' ORDER BY id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    let ticket = TicketId::parse(&id).unwrap();
    let msg = customer_message(&store, &ticket, "It happened again this month.")
        .await
        .unwrap();
    let row = sqlx::query("SELECT status, version FROM tickets WHERE id = ?")
        .bind(&id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("status"), "open");
    assert_eq!(
        row.get::<i64, _>("version"),
        version + 1,
        "the ticket version moves on"
    );
    let (kind, last): (String, String) = sqlx::query_as(
        "SELECT author_kind, id FROM messages WHERE ticket_id = ? ORDER BY rowid DESC LIMIT 1",
    )
    .bind(&id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(
        (kind.as_str(), last.as_str()),
        ("customer", msg.as_str()),
        "newest message is the customer's"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'customer_message' AND actor = 'demo' AND subject = ?",
    )
    .bind(msg.as_str())
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1, "the message is audited");

    let missing = TicketId::parse("tkt_999999").unwrap();
    let err = customer_message(&store, &missing, "hello").await;
    assert!(matches!(err, Err(Error::NotFound { .. })), "{err:?}");
}

#[tokio::test]
async fn the_small_demo_seeds_its_promised_sizes() {
    let today = NaiveDate::from_ymd_opt(2026, 5, 6).unwrap();
    let (_dir, store, report) = seeded(&DemoConfig::small(today)).await;
    assert_eq!(
        (report.customers, report.invoices, report.tickets),
        (500, 10_000, 300)
    );
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM invoices").await,
        10_000
    );
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(DISTINCT invoice_number) FROM invoices"
        )
        .await,
        10_000,
        "invoice numbers are unique"
    );
}

/// The drafting engine recognises what each demo thread asks for, in every language: the demo
/// is the drafter's first audience, and a topic it misreads gets a wrong reply.
#[test]
fn the_drafter_recognises_every_demo_topic_in_every_language() {
    use super::people::Lang;
    use super::phrases::{Topic, phrases};
    use countersign_drafting::Intent;
    let topics = [
        (Topic::DoubleCharge, Intent::DuplicateCharge),
        (Topic::CardDeclined, Intent::FailedPayment),
        (Topic::Refund, Intent::Refund),
        (Topic::InvoiceCopy, Intent::InvoiceCopy),
        (Topic::PlanChange, Intent::PlanChange),
        (Topic::Cancellation, Intent::Cancel),
        (Topic::Overdue, Intent::Overdue),
        (Topic::Vat, Intent::Vat),
    ];
    for lang in Lang::ALL {
        for (topic, want) in topics {
            let t = &phrases(lang).threads[topic.index()];
            let opening = countersign_drafting::intent::classify(t.subject, t.opening).0;
            let both = format!("{}\n{}", t.opening, t.follow_up);
            let chased = countersign_drafting::intent::classify(t.subject, &both).0;
            assert_eq!(opening, want, "{} {topic:?}: {:?}", lang.code(), t.subject);
            assert_eq!(chased, want, "{} {topic:?} with its follow-up", lang.code());
        }
    }
}
