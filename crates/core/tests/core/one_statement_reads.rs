//! The reads that return a record with its related rows, or a list, in one statement (JSON built
//! by SQLite) agree with the plain row-by-row SQL they replace, on a seeded demo desk: same
//! records, same order, same sums.

use crate::support::{TestDesk, empty_desk};
use countersign_core::demo::{self, DemoConfig};
use countersign_core::records::customers::{self, CustomerRef};
use countersign_core::records::invoices::{self, InvoiceFilter};
use countersign_model::CustomerId;

async fn demo_desk() -> TestDesk {
    let d = empty_desk().await;
    let cfg = DemoConfig::small(chrono::Utc::now().date_naive());
    demo::seed(&d.store, &cfg, &mut |_, _, _| {})
        .await
        .expect("seed");
    d
}

async fn sample_customers(d: &TestDesk, n: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT id FROM customers ORDER BY id LIMIT ?")
        .bind(n)
        .fetch_all(d.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn lists_details_and_searches_match_the_row_by_row_sql() {
    let d = demo_desk().await;
    let pool = d.store.pool();
    for id in sample_customers(&d, 40).await {
        // The invoice list: the page, in order, as the plain query returns it.
        let filter = InvoiceFilter {
            customer_id: Some(CustomerId::parse(&id).unwrap()),
            ..Default::default()
        };
        let page = invoices::list(pool, &filter, None, 100).await.unwrap();
        let expected: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM invoices WHERE customer_id = ? ORDER BY issue_date DESC, id DESC LIMIT 100",
        )
        .bind(&id)
        .fetch_all(pool)
        .await
        .unwrap();
        let got: Vec<&str> = page.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(got, expected, "invoices of {id}");
        for (listed, number) in page.items.iter().zip(&expected) {
            let one = invoices::find(pool, &invoices::InvoiceRef::Id(listed.id.clone()))
                .await
                .unwrap();
            assert_eq!(
                &one.summary(),
                listed,
                "listed {number} summarises the invoice read alone"
            );
        }

        // The customer's billing summary against sums over its own rows.
        let detail = customers::detail(pool, &CustomerRef::Id(CustomerId::parse(&id).unwrap()))
            .await
            .unwrap();
        let unpaid: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT currency, COUNT(*), SUM(amount_remaining) FROM invoices WHERE customer_id = ? \
             AND invoice_status = 'FINALIZED' AND amount_remaining > 0 GROUP BY currency ORDER BY currency",
        )
        .bind(&id)
        .fetch_all(pool)
        .await
        .unwrap();
        let got: Vec<(String, i64, i64)> = detail
            .outstanding
            .iter()
            .map(|o| {
                (
                    o.currency.to_string(),
                    o.unpaid_count,
                    o.unpaid_total.minor(),
                )
            })
            .collect();
        assert_eq!(got, unpaid, "outstanding of {id}");
        let wallets: Vec<String> =
            sqlx::query_scalar("SELECT id FROM wallets WHERE customer_id = ? ORDER BY currency")
                .bind(&id)
                .fetch_all(pool)
                .await
                .unwrap();
        let got: Vec<&str> = detail.wallets.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(got, wallets, "wallets of {id}");
        let subscription: Option<String> = sqlx::query_scalar(
            "SELECT id FROM subscriptions WHERE customer_id = ? AND status != 'cancelled' \
             ORDER BY started_at DESC LIMIT 1",
        )
        .bind(&id)
        .fetch_optional(pool)
        .await
        .unwrap();
        assert_eq!(
            detail.subscription.as_ref().map(|s| s.id.to_string()),
            subscription,
            "subscription of {id}"
        );
    }
}

#[tokio::test]
async fn search_hits_come_in_rank_order() {
    let d = demo_desk().await;
    let pool = d.store.pool();
    let surnames: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT substr(name, instr(name, ' ') + 1) FROM customers ORDER BY 1 LIMIT 30",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for surname in surnames {
        let hits = customers::search(pool, &surname, 10).await.unwrap();
        assert!(
            !hits.more_matches,
            "a demo desk has no surname with 256 customers"
        );
        // With fewer matches than the ranking bound, the order is plain FTS5 rank order.
        let expected: Vec<String> = sqlx::query_scalar(
            "SELECT c.id FROM customers_fts JOIN customers c ON c.rowid = customers_fts.rowid \
             WHERE customers_fts MATCH ? ORDER BY customers_fts.rank, c.rowid LIMIT 10",
        )
        .bind(countersign_core::fts::match_all_words(&surname).unwrap())
        .fetch_all(pool)
        .await
        .unwrap();
        let got: Vec<&str> = hits.customers.iter().map(|c| c.id.as_str()).collect();
        assert!(!got.is_empty(), "{surname} finds its customers");
        assert_eq!(got, expected, "hits for {surname}");
    }
}
