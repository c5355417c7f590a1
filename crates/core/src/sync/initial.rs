//! A desk's first sync: the tenant's every record into an empty desk. Maintaining the secondary
//! indexes and the full-text indexes row by row, page after page, costs more than building
//! each once at the end, so the first sync sets them aside and creates them again when it has
//! caught up (measured in `benches/sync_apply.rs`).
//!
//! Setting aside and creating again are each one transaction, and what was set aside is written
//! down in the desk (`sync.set_aside_schema`) in the transaction that drops it. A first sync cut
//! short (offline, killed) leaves the desk without those indexes but says so; the next pull
//! goes on without them and creates them again when it catches up. Searches find nothing new
//! and lookups by secondary keys scan meanwhile: the desk is still filling, and `sync status`
//! says so.
//!
//! [`PageWriter`] is the pull loop's side of the desk: it decides whether a pull is such a first
//! sync and finishes it.

use super::page::{ReadPage, apply_read_page};
use super::state;
use crate::bulk::{self, SchemaObject};
use crate::store::{Tx, corrupt};
use crate::{Result, Store};

/// Applying a page deletes the line items of the invoices it replaces through this index.
const KEPT: &[&str] = &["invoice_line_items_invoice"];

async fn set_aside(tx: &mut Tx) -> Result<Option<Vec<SchemaObject>>> {
    let json: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(state::SET_ASIDE)
        .fetch_optional(&mut **tx)
        .await?;
    json.map(|j| serde_json::from_str(&j).map_err(corrupt))
        .transpose()
}

/// Sets the indexes and full-text triggers of the synced tables aside, unless a first sync
/// already has.
async fn begin(store: &Store) -> Result<()> {
    let mut tx = store.write().await?;
    if set_aside(&mut tx).await?.is_some() {
        return Ok(());
    }
    let mut objects = bulk::drop_secondary_indexes(&mut tx, KEPT).await?;
    objects.extend(bulk::drop_search_triggers(&mut tx).await?);
    let json = serde_json::to_string(&objects).map_err(corrupt)?;
    state::put(&mut *tx, state::SET_ASIDE, &json).await?;
    tx.commit().await?;
    tracing::info!(
        count = objects.len(),
        "first sync: indexes set aside until it catches up"
    );
    Ok(())
}

/// Creates again what [`begin`] set aside and fills the full-text indexes from the synced rows,
/// in one transaction. Returns whether there was anything to do.
async fn finish(
    store: &Store,
    progress: &mut (dyn FnMut(&'static str, u64, u64) + Send),
) -> Result<bool> {
    let mut tx = store.write().await?;
    let Some(objects) = set_aside(&mut tx).await? else {
        return Ok(false);
    };
    bulk::recreate(&mut tx, &objects, progress).await?;
    // Filling and merging are one stage to the person watching: steps 1..N, then N+1..2N.
    bulk::rebuild_search_indexes(&mut tx, &mut |what, done, total| {
        progress(what, done, 2 * total)
    })
    .await?;
    bulk::optimize_search_indexes(&mut tx, &mut |what, done, total| {
        progress(what, total + done, 2 * total)
    })
    .await?;
    sqlx::query("DELETE FROM settings WHERE key = ?")
        .bind(state::SET_ASIDE)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Applies the pages of one pull, one after another.
pub struct PageWriter<'a> {
    store: &'a Store,
}

impl<'a> PageWriter<'a> {
    /// Starts writing the pages that follow the cursor `after`; `more_pages` if the first of
    /// them says more follow. A desk's first sync with more than one page to load sets its
    /// indexes aside until [`PageWriter::finish`] (see the module doc).
    pub async fn start(store: &'a Store, after: i64, more_pages: bool) -> Result<Self> {
        if after == 0 && more_pages {
            begin(store).await?;
        }
        Ok(Self { store })
    }

    /// [`apply_read_page`].
    pub async fn apply(&mut self, page: &ReadPage) -> Result<u64> {
        apply_read_page(self.store, page).await
    }

    /// Call once the feed has no more pages: creates again any index a first sync set aside
    /// (this one or an earlier one cut short), reporting `progress(what, done, total)`.
    pub async fn finish(
        self,
        progress: &mut (dyn FnMut(&'static str, u64, u64) + Send),
    ) -> Result<()> {
        finish(self.store, progress).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::page::{apply_page, read_page};
    use super::*;

    fn read(page: countersign_model::sync::RawChangesPage) -> ReadPage {
        read_page(&page).unwrap()
    }

    /// Whether a first sync has set indexes aside and not yet created them again.
    async fn pending(store: &Store) -> Result<bool> {
        Ok(state::get(store.pool(), state::SET_ASIDE).await?.is_some())
    }

    async fn schema(store: &Store) -> Vec<String> {
        sqlx::query_scalar(
            "SELECT type || ' ' || name || ': ' || sql FROM sqlite_master \
             WHERE sql IS NOT NULL ORDER BY type, name",
        )
        .fetch_all(store.pool())
        .await
        .unwrap()
    }

    async fn found(store: &Store, query: &str) -> usize {
        crate::records::customers::search(store.pool(), query, 10)
            .await
            .unwrap()
            .customers
            .len()
    }

    #[tokio::test]
    async fn a_one_page_sync_sets_nothing_aside() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).await.unwrap();
        let only = read(page(1, vec![customer(1)]));
        let mut writer = PageWriter::start(&store, 0, only.has_more).await.unwrap();
        assert!(!pending(&store).await.unwrap());
        writer.apply(&only).await.unwrap();
        writer.finish(&mut |_, _, _| {}).await.unwrap();
        assert_eq!(found(&store, "Schmidt").await, 1);
    }

    #[tokio::test]
    async fn a_first_sync_cut_short_still_ends_with_every_index_as_the_schema_defines_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.sqlite3");
        let store = Store::open(&path).await.unwrap();
        let defined = schema(&store).await;
        assert!(
            defined
                .iter()
                .any(|o| o.starts_with("trigger customers_fts_ai:")),
            "{defined:?}"
        );

        // The first page of a longer feed: the indexes and search triggers go aside.
        let mut first = page(
            2,
            vec![customer(1), invoice(2, 1, "PENDING", &[("li_a", 4118)])],
        );
        first.has_more = true;
        let first = read(first);
        let mut writer = PageWriter::start(&store, 0, first.has_more).await.unwrap();
        assert!(pending(&store).await.unwrap());
        let aside = schema(&store).await;
        for gone in ["index invoices_number:", "trigger customers_fts_ai:"] {
            assert!(
                !aside.iter().any(|o| o.starts_with(gone)),
                "{gone} set aside"
            );
        }
        assert!(
            aside
                .iter()
                .any(|o| o.starts_with("index invoice_line_items_invoice:")),
            "applying a page reads through this one"
        );
        writer.apply(&first).await.unwrap();
        assert_eq!(found(&store, "Schmidt").await, 0, "not indexed yet");

        // The process ends here. The next pull starts from cursor 2 and finds the rest.
        let _ = writer;
        store.close().await;
        drop(store);
        let store = Store::open(&path).await.unwrap();
        assert!(pending(&store).await.unwrap(), "the desk knows");
        assert!(
            super::super::status(&store)
                .await
                .unwrap()
                .first_sync_loading,
            "and says so"
        );
        let rest = read(page(3, vec![invoice(3, 2, "SUCCEEDED", &[("li_b", 4118)])]));
        let mut writer = PageWriter::start(&store, 2, rest.has_more).await.unwrap();
        writer.apply(&rest).await.unwrap();
        let mut stages = Vec::new();
        writer
            .finish(&mut |what, done, total| stages.push((what, done, total)))
            .await
            .unwrap();
        assert!(
            !super::super::status(&store)
                .await
                .unwrap()
                .first_sync_loading
        );
        assert_eq!(
            schema(&store).await,
            defined,
            "created again exactly as the migrations define them"
        );
        assert!(stages.contains(&("indexes", 1, stages[0].2)), "{stages:?}");
        let search: Vec<(u64, u64)> = stages
            .iter()
            .filter(|(what, _, _)| *what == "search index")
            .map(|(_, done, total)| (*done, *total))
            .collect();
        let n = search.len() as u64;
        assert_eq!(
            search,
            (1..=n).map(|i| (i, n)).collect::<Vec<_>>(),
            "filling and merging the search indexes count up once"
        );
        assert_eq!(
            found(&store, "Schmidt").await,
            1,
            "the search index holds what was loaded without its trigger"
        );

        // The triggers keep the index in step again.
        apply_page(&store, &page(4, vec![named_customer(4, 2, "Anna Weber")]))
            .await
            .unwrap();
        assert_eq!(found(&store, "Weber").await, 1);
        for check in [
            "PRAGMA integrity_check",
            "INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')",
        ] {
            sqlx::query(check).execute(store.pool()).await.unwrap();
        }
        let number: String =
            sqlx::query_scalar("SELECT invoice_number FROM invoices INDEXED BY invoices_number")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(number, "INV-P1");
    }
}
