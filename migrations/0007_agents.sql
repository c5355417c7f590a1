-- The tenant's agents, from the platform's feed (a demo desk writes its own): a ticket's
-- `assignee` is one of their ids, "mine" is the person's own id, and the window shows names.
CREATE TABLE agents (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    role      TEXT NOT NULL,
    version   INTEGER NOT NULL,
    synced_at TEXT
);
