//! Reads: lookups, the SQL-computed billing summary, lists and full-text search.

use crate::support::*;
use countersign_core::records::customers::{self, CustomerRef};
use countersign_core::records::invoices::{self, InvoiceFilter, InvoiceRef};
use countersign_core::records::{kb, tickets};
use countersign_model::CustomerId;
use countersign_model::records::PaymentStatus;

#[tokio::test]
async fn a_customer_is_found_by_id_external_id_or_email_with_exact_totals() {
    let d = desk().await;
    for by in [
        CustomerRef::Id(CustomerId::parse("cus_anna").unwrap()),
        CustomerRef::ExternalId("ext-anna".into()),
        CustomerRef::Email("ANNA.Schmidt@example.com".into()),
    ] {
        let c = customers::detail(d.store.pool(), &by)
            .await
            .unwrap_or_else(|e| panic!("{by}: {e}"));
        assert_eq!(c.customer.id.as_str(), "cus_anna");
        assert_eq!(c.outstanding.len(), 1);
        let eur = &c.outstanding[0];
        assert_eq!(
            (eur.unpaid_count, eur.unpaid_total.amount_string().as_str()),
            (1, "49.00")
        );
        assert_eq!(
            (
                eur.overdue_count,
                eur.overdue_total.amount_string().as_str()
            ),
            (1, "49.00")
        );
        assert_eq!(c.open_tickets, 1);
    }
    let bob = customers::detail(
        d.store.pool(),
        &CustomerRef::Email("bob@example.org".into()),
    )
    .await
    .unwrap();
    assert_eq!(
        bob.outstanding[0].overdue_count, 0,
        "due in the future is not overdue"
    );
}

#[tokio::test]
async fn an_invoice_is_found_by_number_with_lines_and_payments() {
    let d = desk().await;
    let inv = invoices::detail(d.store.pool(), &InvoiceRef::Number("INV-1".into()))
        .await
        .unwrap();
    assert_eq!(inv.invoice.id.as_str(), "inv_a1");
    assert_eq!(inv.line_items.len(), 2);
    let sum: i64 = inv.line_items.iter().map(|l| l.amount.minor()).sum();
    assert_eq!(sum, inv.invoice.total.minor(), "lines add up to the total");
    assert_eq!(inv.payments.len(), 1);
    assert_eq!(inv.customer.name, "Anna Schmidt");
}

#[tokio::test]
async fn invoice_lists_filter_and_page_with_a_cursor() {
    let d = desk().await;
    let filter = InvoiceFilter {
        customer_id: Some(CustomerId::parse("cus_anna").unwrap()),
        ..Default::default()
    };
    let first = invoices::list(d.store.pool(), &filter, None, 1)
        .await
        .unwrap();
    assert_eq!(first.items[0].id.as_str(), "inv_a2", "newest first");
    let cursor = first.next_cursor.expect("a second page");
    let second = invoices::list(d.store.pool(), &filter, Some(&cursor), 1)
        .await
        .unwrap();
    assert_eq!(second.items[0].id.as_str(), "inv_a1");
    assert_eq!(second.next_cursor, None);

    let failed = InvoiceFilter {
        payment_status: Some(PaymentStatus::Failed),
        ..Default::default()
    };
    let page = invoices::list(d.store.pool(), &failed, None, 10)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let overdue = InvoiceFilter {
        overdue_only: true,
        ..Default::default()
    };
    let page = invoices::list(d.store.pool(), &overdue, None, 10)
        .await
        .unwrap();
    assert!(
        page.items.iter().all(|i| i.overdue),
        "overdue filter returns overdue invoices"
    );
    assert_eq!(page.items.len(), 1);
}

#[tokio::test]
async fn full_text_search_finds_names_emails_tickets_and_articles() {
    let d = desk().await;
    let hits = customers::search(d.store.pool(), "schmi", 10)
        .await
        .unwrap();
    assert_eq!(
        hits.customers[0].id.as_str(),
        "cus_anna",
        "prefix match on a surname"
    );
    assert!(!hits.more_matches, "a handful of matches are all ranked");
    let hits = customers::search(d.store.pool(), "anna.schmidt@example.com", 10)
        .await
        .unwrap();
    assert_eq!(
        hits.customers.len(),
        1,
        "an e-mail address is searchable as typed"
    );
    let hits = kb::search(d.store.pool(), "charged twice", None, 5)
        .await
        .unwrap();
    assert_eq!(hits[0].id.as_str(), "kb_refunds");
    assert!(hits[0].snippet.contains('«'), "the snippet marks the match");
    let filter = tickets::TicketFilter {
        query: Some("three".into()),
        ..Default::default()
    };
    assert!(
        tickets::list(d.store.pool(), &filter, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let filter = tickets::TicketFilter {
        query: Some("charged twice".into()),
        ..Default::default()
    };
    let page = tickets::list(d.store.pool(), &filter, None, 10)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1, "subject and message text are searched");
}

#[tokio::test]
async fn fts_syntax_in_a_query_is_just_text() {
    let d = desk().await;
    for q in [
        "\"",
        "anna OR",
        "NEAR(anna bob)",
        "anna*",
        "-bob",
        "name:anna",
        "'; DROP TABLE customers; --",
        "^anna",
        "a AND NOT b",
    ] {
        let r = customers::search(d.store.pool(), q, 10).await;
        assert!(
            r.is_ok()
                || r.as_ref().unwrap_err().code() == countersign_model::ErrorCode::InvalidArgument,
            "{q:?}: {r:?}"
        );
    }
    assert_eq!(count(&d.store, "customers").await, 2);
}

#[tokio::test]
async fn a_search_matching_hundreds_ranks_a_bounded_set_and_says_there_are_more() {
    let d = desk().await;
    // 300 customers share a surname, plus one whose first name narrows it to exactly one.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) \
         INSERT INTO customers (id, external_id, name, email, status, created_at, updated_at) \
         SELECT 'cus_many' || i, 'ext_many' || i, 'Person' || i || ' Quimby', \
                'p' || i || '@example.org', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' \
         FROM n",
    )
    .execute(d.store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO customers (id, external_id, name, email, status, created_at, updated_at) \
         VALUES ('cus_last', 'ext_last', 'Zelda Quimby', 'zelda@example.org', 'active', \
                 '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .execute(d.store.pool())
    .await
    .unwrap();
    let broad = customers::search(d.store.pool(), "quimby", 20)
        .await
        .unwrap();
    assert_eq!(broad.customers.len(), 20, "a page of the ranked matches");
    assert!(
        broad.more_matches,
        "301 matches exceed the ranked bound; the caller must be told to narrow the query"
    );
    let narrow = customers::search(d.store.pool(), "zelda quimby", 20)
        .await
        .unwrap();
    assert_eq!(
        narrow
            .customers
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["cus_last"],
        "the bound applies to the matches of the whole query, so the newest customer is found"
    );
    assert!(!narrow.more_matches);
}
