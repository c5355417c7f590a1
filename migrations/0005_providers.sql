-- The AI providers a profile drafts with, in chain order. The offline drafter, always last and
-- never removable, is not a row. A provider's key lives in the OS keyring under `key_account`
-- (NULL: no key, as a local server needs none); it is never stored here.
CREATE TABLE providers (
    name        TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('openai-compatible', 'anthropic')),
    base_url    TEXT NOT NULL,
    model       TEXT NOT NULL,
    timeout_ms  INTEGER NOT NULL CHECK (timeout_ms BETWEEN 1000 AND 300000),
    position    INTEGER NOT NULL,
    key_account TEXT,
    created_at  TEXT NOT NULL
);
