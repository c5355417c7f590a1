//! A fresh desk per test with a small, hand-written world in it.

use countersign_core::Store;
use countersign_core::workflow::AssistantCall;
use countersign_model::workflow::{Person, Role, TokenScope};
use tempfile::TempDir;

pub struct TestDesk {
    pub store: Store,
    _dir: TempDir,
}

/// A migrated, empty desk in its own temp directory.
pub async fn empty_desk() -> TestDesk {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("desk.sqlite3"))
        .await
        .expect("open desk");
    TestDesk { store, _dir: dir }
}

/// A desk with two customers, their invoices, a failed payment, two tickets and a KB article.
///
/// - `cus_anna` (EUR): `inv_a1` INV-1 paid 49.00; `inv_a2` INV-2 unpaid 49.00, overdue; `pay_a2` failed.
/// - `cus_bob` (USD): `inv_b1` INV-3 unpaid 19.00, due in the future.
/// - `tkt_anna` (open, Anna: "I was charged twice"), `tkt_bob` (open), `kb_refunds`.
pub async fn desk() -> TestDesk {
    let d = empty_desk().await;
    sqlx::raw_sql(
        r#"
        INSERT INTO customers (id, external_id, name, email, company, status, created_at, updated_at)
        VALUES ('cus_anna', 'ext-anna', 'Anna Schmidt', 'anna.schmidt@example.com', 'Schmidt GmbH', 'active', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
               ('cus_bob', 'ext-bob', 'Bob Jones', 'bob@example.org', NULL, 'active', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
        INSERT INTO invoices (id, invoice_number, customer_id, invoice_status, payment_status, invoice_type, billing_reason,
            currency, amount_due, amount_paid, amount_remaining, subtotal, total_tax, total, issue_date, due_date, updated_at)
        VALUES ('inv_a1', 'INV-1', 'cus_anna', 'FINALIZED', 'SUCCEEDED', 'SUBSCRIPTION', 'SUBSCRIPTION_CYCLE', 'EUR', 4900, 4900, 0, 4118, 782, 4900, '2025-01-01', '2025-01-15', '2025-01-01T00:00:00.000Z'),
               ('inv_a2', 'INV-2', 'cus_anna', 'FINALIZED', 'FAILED', 'SUBSCRIPTION', 'SUBSCRIPTION_CYCLE', 'EUR', 4900, 0, 4900, 4118, 782, 4900, '2025-02-01', '2025-02-15', '2025-02-01T00:00:00.000Z'),
               ('inv_b1', 'INV-3', 'cus_bob', 'FINALIZED', 'PENDING', 'SUBSCRIPTION', 'SUBSCRIPTION_CYCLE', 'USD', 1900, 0, 1900, 1900, 0, 1900, '2099-01-01', '2099-01-15', '2025-02-01T00:00:00.000Z');
        INSERT INTO invoice_line_items (id, invoice_id, description, quantity, unit_amount, amount)
        VALUES ('li_1', 'inv_a1', 'Team plan', '1', '41.18', 4118), ('li_2', 'inv_a1', 'VAT 19%', '1', '7.82', 782);
        INSERT INTO payments (id, customer_id, invoice_id, currency, amount, method, payment_status, error_message, attempts, created_at, updated_at)
        VALUES ('pay_a1', 'cus_anna', 'inv_a1', 'EUR', 4900, 'card', 'SUCCEEDED', NULL, 1, '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z'),
               ('pay_a2', 'cus_anna', 'inv_a2', 'EUR', 4900, 'card', 'FAILED', 'card_declined: insufficient funds', 3, '2025-02-02T00:00:00.000Z', '2025-02-02T00:00:00.000Z');
        INSERT INTO tickets (id, customer_id, subject, status, priority, channel, language, created_at, updated_at)
        VALUES ('tkt_anna', 'cus_anna', 'Charged twice in January', 'open', 'high', 'email', 'en', '2025-02-03T00:00:00.000Z', '2025-02-03T00:00:00.000Z'),
               ('tkt_bob', 'cus_bob', 'Need an invoice copy', 'open', 'normal', 'chat', 'en', '2025-02-04T00:00:00.000Z', '2025-02-04T00:00:00.000Z');
        INSERT INTO messages (id, ticket_id, author_kind, author_name, body, visibility, created_at)
        VALUES ('msg_a1', 'tkt_anna', 'customer', 'Anna Schmidt', 'Hello, I was charged twice for January, invoice INV-1.', 'public', '2025-02-03T00:00:00.000Z'),
               ('msg_b1', 'tkt_bob', 'customer', 'Bob Jones', 'Please send me a copy of my invoice.', 'public', '2025-02-04T00:00:00.000Z');
        INSERT INTO kb_articles (id, title, body, language, tags, updated_at)
        VALUES ('kb_refunds', 'Refunds for double charges', 'When a customer was charged twice, refund the duplicate payment within 5 days.', 'en', '["refund"]', '2025-01-01T00:00:00.000Z');
        "#,
    )
    .execute(d.store.pool())
    .await
    .expect("fixture");
    d
}

pub fn assistant(scope: TokenScope, tool: &str) -> AssistantCall {
    AssistantCall {
        model: Some("test-model".into()),
        ..AssistantCall::new(
            "Test Assistant",
            scope,
            tool,
            serde_json::json!({"tool": tool}),
        )
    }
}

pub fn agent() -> Person {
    Person {
        id: "agt_agent".into(),
        name: "Alex Agent".into(),
        role: Role::Agent,
    }
}

pub fn supervisor() -> Person {
    Person {
        id: "agt_supervisor".into(),
        name: "Sam Supervisor".into(),
        role: Role::Supervisor,
    }
}

/// Row count of `table` (a fixed, trusted name).
pub async fn count(store: &Store, table: &'static str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(store.pool())
        .await
        .expect("count")
}

/// Counts of every table a failed call must not touch.
pub async fn footprint(store: &Store) -> [i64; 6] {
    [
        count(store, "drafts").await,
        count(store, "draft_citations").await,
        count(store, "escalations").await,
        count(store, "messages").await,
        count(store, "outbox").await,
        count(store, "audit_log").await,
    ]
}
