-- Sync with the central platform (see crates/core/src/sync).

-- Escalations travel through the platform's change feed like every synced record.
ALTER TABLE escalations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE escalations ADD COLUMN synced_at TEXT;

-- What the platform answered for a delivered mutation: {"status": "applied"|"duplicate"|"rejected", ...}.
ALTER TABLE outbox ADD COLUMN outcome TEXT;
-- Undelivered rows in order: the push loop's only query.
CREATE INDEX outbox_pending ON outbox (seq) WHERE delivered_at IS NULL;

-- Things the platform refused or changed that a person must see (a reply that went stale, an
-- escalation another supervisor decided first). The UI lists unread ones; the CLI prints them.
CREATE TABLE sync_notices (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    code        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    message     TEXT NOT NULL,
    read_at     TEXT
);
