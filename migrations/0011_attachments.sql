-- Files customers sent with messages, as the platform feeds them: what each is (name, declared
-- type, size), never its bytes. A person saves one through the platform; nothing here opens it.
CREATE TABLE attachments (
    id           TEXT PRIMARY KEY,
    message_id   TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    synced_at    TEXT
);
CREATE INDEX attachments_message ON attachments (message_id);
