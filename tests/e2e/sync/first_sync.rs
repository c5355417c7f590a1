//! A first sync of more than one page sets the desk's indexes aside while it loads, and ends
//! with every index and search trigger as the migrations define them.

use super::*;

async fn schema(pool: &SqlitePool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT type || ' ' || name || ': ' || sql FROM sqlite_master \
         WHERE sql IS NOT NULL ORDER BY type, name",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_of_many_pages_ends_with_every_index_and_search_working() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let agent = tenant.agent.clone();
    // More than the desk's page of 1 000 changes: the first sync sets the indexes aside.
    platform
        .ingest_customers(&tenant.ingest, 2_500)
        .await
        .unwrap();
    platform.ingest_double_charge(&tenant.ingest).await.unwrap();
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &agent);
    desks.ok("sam", &["sync", "now"]);

    let desk = desks.pool("sam").await;
    let customers: i64 = sqlx::query_scalar("SELECT count(*) FROM customers")
        .fetch_one(&desk)
        .await
        .unwrap();
    assert_eq!(customers, 2_501);
    assert_eq!(
        scalar(
            &desk,
            "SELECT value FROM settings WHERE key = ?",
            "sync.set_aside_schema"
        )
        .await,
        None,
        "nothing left aside"
    );
    assert_eq!(status(&desks, "sam")["first_sync_loading"], false);
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = countersign_core::Store::open(&fresh_dir.path().join("desk.sqlite3"))
        .await
        .unwrap();
    assert_eq!(
        schema(&desk).await,
        schema(fresh.pool()).await,
        "the synced desk has every index and trigger a new desk has"
    );

    // Search finds what the first sync loaded, through the assistant's tool.
    let hits = desks
        .assistant("sam", "search_customers", json!({"query": "Schmidt"}))
        .await;
    assert_eq!(hits["customers"][0]["id"], "cus_anna", "{hits}");
    let hits = desks
        .assistant("sam", "search_customers", json!({"query": "Customer 2499"}))
        .await;
    assert_eq!(hits["customers"][0]["id"], "cus_many_002499", "{hits}");
}
