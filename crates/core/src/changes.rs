//! Noticing that the desk changed, whoever changed it: this process, a `countersign mcp` child
//! writing the same file, or a sync. One read-only connection of its own polls SQLite's
//! `PRAGMA data_version`, which moves whenever another connection commits; a poll costs one
//! statement. When it moves, the drafts assistants filed since the last poll are reported so the
//! desktop can refresh and notify (the desk's own drafts, thousands at a first start, notify
//! nobody: they are waiting in the inbox).

use crate::{Result, Store};
use countersign_model::ipc::{DeskChanged, DraftArrived};
use countersign_model::records::TicketPriority;
use countersign_model::{DraftId, TicketId};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, Row, SqliteConnection};

/// How often the desktop shell polls: well inside its one-second promise.
pub const POLL_INTERVAL: std::time::Duration = std::time::Duration::from_millis(200);

/// A watcher over one desk database.
#[derive(Debug)]
pub struct ChangeWatch {
    conn: SqliteConnection,
    data_version: i64,
    last_draft_rowid: i64,
    generation: u64,
}

impl ChangeWatch {
    /// Opens the watcher's own connection on `store`'s file; changes before now are not reported.
    pub async fn open(store: &Store) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(store.path())
            .read_only(true)
            .busy_timeout(crate::store::BUSY_TIMEOUT);
        let mut conn = SqliteConnection::connect_with(&options).await?;
        let data_version = data_version(&mut conn).await?;
        let last_draft_rowid: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(rowid), 0) FROM drafts")
                .fetch_one(&mut conn)
                .await?;
        Ok(Self {
            conn,
            data_version,
            last_draft_rowid,
            generation: 0,
        })
    }

    /// `Some` when the desk changed since the last call, with the drafts filed since.
    pub async fn poll(&mut self) -> Result<Option<DeskChanged>> {
        let now = data_version(&mut self.conn).await?;
        if now == self.data_version {
            return Ok(None);
        }
        self.data_version = now;
        self.generation += 1;
        let rows = sqlx::query(
            "SELECT d.rowid AS rid, d.id, d.ticket_id, d.author_client, t.subject, t.priority \
             FROM drafts d JOIN tickets t ON t.id = d.ticket_id \
             WHERE d.rowid > ? AND d.status = 'pending_review' AND d.generation IS NULL \
             ORDER BY d.rowid LIMIT 50",
        )
        .bind(self.last_draft_rowid)
        .fetch_all(&mut self.conn)
        .await?;
        let mut drafts_arrived = Vec::with_capacity(rows.len());
        for row in &rows {
            self.last_draft_rowid = self.last_draft_rowid.max(row.try_get("rid")?);
            drafts_arrived.push(DraftArrived {
                draft_id: DraftId::parse(row.try_get("id")?).map_err(crate::store::corrupt)?,
                ticket_id: TicketId::parse(row.try_get("ticket_id")?)
                    .map_err(crate::store::corrupt)?,
                ticket_subject: row.try_get("subject")?,
                priority: TicketPriority::parse(row.try_get("priority")?)
                    .map_err(crate::store::corrupt)?,
                client: row.try_get("author_client")?,
            });
        }
        // Drafts decided before this poll saw them still move the high-water mark.
        let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(rowid), 0) FROM drafts")
            .fetch_one(&mut self.conn)
            .await?;
        self.last_draft_rowid = self.last_draft_rowid.max(max);
        Ok(Some(DeskChanged {
            generation: self.generation,
            drafts_arrived,
        }))
    }
}

async fn data_version(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::AssistantCall;
    use crate::workflow::drafts::NewDraft;
    use countersign_model::workflow::TokenScope;

    async fn demo_store(dir: &std::path::Path) -> Store {
        let store = Store::open(&dir.join("desk.sqlite3")).await.unwrap();
        let mut cfg = crate::demo::DemoConfig::small(chrono::Utc::now().date_naive());
        (cfg.customers, cfg.invoices, cfg.tickets) = (5, 20, 5);
        crate::demo::seed(&store, &cfg, &mut |_, _, _| {})
            .await
            .unwrap();
        store
    }

    #[tokio::test]
    async fn a_draft_filed_on_another_connection_is_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = demo_store(dir.path()).await;
        let mut watch = ChangeWatch::open(&store).await.unwrap();
        assert_eq!(watch.poll().await.unwrap(), None, "nothing changed yet");

        // A second Store is what a `countersign mcp` process is: another connection pool.
        let other = Store::open(store.path()).await.unwrap();
        let ticket: String = sqlx::query_scalar("SELECT id FROM tickets LIMIT 1")
            .fetch_one(other.pool())
            .await
            .unwrap();
        let call = AssistantCall::new(
            "test-assistant",
            TokenScope::Draft,
            "draft_reply",
            serde_json::json!({}),
        );
        let input = NewDraft {
            ticket_id: TicketId::parse(&ticket).unwrap(),
            body: "Hello".into(),
            confidence: 0.5,
            citations: vec![],
        };
        let draft = crate::workflow::drafts::propose(&other, &call, &input)
            .await
            .unwrap();

        let changed = watch
            .poll()
            .await
            .unwrap()
            .expect("the commit must be seen");
        assert_eq!(changed.drafts_arrived.len(), 1, "one draft was filed");
        assert_eq!(changed.drafts_arrived[0].draft_id, draft.id);
        assert_eq!(changed.drafts_arrived[0].client, "test-assistant");
        assert_eq!(watch.poll().await.unwrap(), None, "reported only once");
    }
}
