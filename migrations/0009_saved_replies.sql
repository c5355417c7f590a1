-- Saved replies ("macros") a person inserts into the reply box: the tenant's, fed by the
-- platform (`active` false once withdrawn there), and the person's own, kept on this desk only
-- (`personal`, never fed, ids `psr_…`). Variables such as {{customer.name}} are filled from
-- the desk's records when one is inserted.
CREATE TABLE saved_replies (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    language   TEXT NOT NULL,
    body       TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    personal   INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL,
    synced_at  TEXT
);
